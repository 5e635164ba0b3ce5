"""The bytes of one posting block of :class:`~.codec.PackedCodec`: its ids, weights and values.

A block is written *narrow* (:func:`pack`): the first id, then each gap in
the fewest bytes that hold them all (1, 2 or 4), and integral weights under
256 as one byte each, uncompressed and checked by a CRC-32, so numpy reads ids
and weights straight from the block's bytes. zlib inflated a common word's
blocks at 40-50 us each, the whole of what reading them cost; the narrow ones
are 10-30% larger. Blocks of the earlier layout (ids and weights compressed
each on its own, or raw in full width below :data:`RAW_BELOW` postings) are
still read (:class:`Block`), so an index need not be rebuilt; a kreader of
before reading a narrow block finds it damaged (its ids are not a zlib
stream), never misreads it.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate
from operator import sub
from pickle import dumps, loads

RAW_BELOW = 16
"""A block of fewer postings keeps its data uncompressed: most terms have a
handful of postings, and two zlib calls a term were a twentieth of writing a
segment (for a few bytes saved, or none)."""
_RAW = 0x80
"""Set in a block's weight kind (the earlier layout): its ids, weights and values
are not compressed, and a CRC-32 of them follows (what zlib's own check gives a
compressed block: damage is found, not read as postings)."""
_NARROW = 0x40
"""Set in a block's weight kind: the narrow layout (:func:`pack`), a CRC-32 after its data."""
_CRC = struct.Struct("<I")
_FIRST = struct.Struct("<I")
"""A narrow block's first id (its gaps follow)."""
_GAPS = {1: "B", 2: "H", 4: "I"}
"""Bytes a gap -> the array type code (``I`` is 4 bytes on the platforms numpy builds for)."""
_NUMPY_GAPS = {1: "u1", 2: "<u2", 4: "<u4"}

HEAD = struct.Struct("<BBfIII")
"""Weight kind, values kind, the one weight, and the packed lengths of ids, weights, values."""
_W_ONES, _W_SAME, _W_EACH = 0, 1, 2
_V_NONE, _V_FIXED, _V_PICKLED = 0, 1, 2
_BIG = sys.byteorder == "big"


def _little(a: array) -> bytes:
    if _BIG:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _unpack(data: bytes, typecode: str) -> array:
    a = array(typecode)
    a.frombytes(data)
    if _BIG:
        a.byteswap()
    return a


def pack(ids: array, weights: array, values: list, fixedsize, level: int) -> bytes:
    """A block's data, narrow: the first id (4 bytes), then the gaps between ids in
    1, 2 or 4 bytes each (the fewest that hold them all); the weights none (all
    1.0), one (all equal: in the header), or each as a byte when all are whole
    numbers under 256 (frequencies), else float32; the values compressed unless
    the block holds fewer than :data:`RAW_BELOW` postings; a CRC-32 of it all."""
    n = len(ids)
    gaps = array("I", map(sub, ids[1:], ids[:-1]))
    for code in "BH":
        try:
            gaps = array(code, gaps)
            break
        except OverflowError:
            continue
    packed_ids = _FIRST.pack(ids[0]) + _little(gaps)
    first = weights[0]
    if weights.count(first) == n:
        wkind, packed_w = (_W_ONES if first == 1.0 else _W_SAME), b""
    else:
        wkind, wide = _W_EACH, array("f", weights)
        try:
            small = array("B", map(int, wide))
            packed_w = small.tobytes() if small == wide else _little(wide)
        except (OverflowError, ValueError):  # over 255, below 0, not a number
            packed_w = _little(wide)
    squeeze = (lambda b: b) if n < RAW_BELOW else (lambda b: zlib.compress(b, level))
    if fixedsize == 0 or not values:
        vkind, packed_v = _V_NONE, b""
    elif fixedsize is not None and fixedsize > 0:
        vkind, packed_v = _V_FIXED, squeeze(b"".join(values))
    else:
        vkind, packed_v = _V_PICKLED, squeeze(dumps(tuple(values), 4))
    head = HEAD.pack(wkind | _NARROW, vkind, first if wkind == _W_SAME else 0.0,
                      len(packed_ids), len(packed_w), len(packed_v))
    data = packed_ids + packed_w + packed_v
    return head + data + _CRC.pack(zlib.crc32(data))


class Block:
    """The packed data of one block: its ids, weights (none when all are 1.0,
    one float when all are equal, else one each) and values (fixed-size bytes
    joined, or a pickled tuple), after a header giving their kinds and
    lengths; narrow (:func:`pack`) or of the earlier layout (below)."""

    __slots__ = ("raw", "count", "wkind", "vkind", "weight", "ids_at", "w_at", "v_at", "end", "_open", "_vopen",
                 "gap", "wbytes")

    def __init__(self, raw: bytes, count: int):
        self.raw = raw
        self.count = count
        self.wkind, self.vkind, self.weight, n_ids, n_w, n_v = HEAD.unpack_from(raw)
        self.ids_at = HEAD.size
        self.w_at = self.ids_at + n_ids
        self.v_at = self.w_at + n_w
        self.end = self.v_at + n_v
        self.gap = 0
        """Bytes a gap between ids in a narrow block; 0 in the earlier layout."""
        self.wbytes = 4
        """Bytes a weight (1 or 4) when each posting has its own."""
        self._open = self._vopen = zlib.decompress
        """How the ids and weights, and the values, are read: decompressed, or as they are."""
        if self.wkind & (_RAW | _NARROW):
            sums = raw[self.end:self.end + _CRC.size]
            if len(sums) != _CRC.size or _CRC.unpack(sums)[0] != zlib.crc32(raw[self.ids_at:self.end]):
                raise zlib.error("a posting block does not match its checksum")
            self._open = bytes
            if self.wkind & _NARROW:
                self._narrow(n_ids, n_w)
            else:
                self._vopen = bytes
            self.wkind &= ~(_RAW | _NARROW)

    def _narrow(self, n_ids: int, n_w: int) -> None:
        """Check a narrow block's widths against its counts (a block that does not
        add up is damage: zlib's own error, as for a garbled compressed one)."""
        gaps = self.count - 1
        self.gap = (n_ids - _FIRST.size) // gaps if gaps > 0 else 1
        if self.gap not in _GAPS or n_ids != _FIRST.size + self.gap * gaps:
            raise zlib.error("a posting block's ids are not laid out as written")
        if self.wkind & ~_NARROW == _W_EACH:
            self.wbytes = n_w // self.count
            if self.wbytes not in (1, 4) or n_w != self.wbytes * self.count:
                raise zlib.error("a posting block's weights are not laid out as written")
        self._vopen = zlib.decompress if self.count >= RAW_BELOW else bytes

    def _wide_deltas(self) -> bytes:
        """A block of the earlier layout's ids, as little-endian uint32 deltas (the first from 0)."""
        return self._open(self.raw[self.ids_at:self.w_at])

    def _narrow_deltas(self) -> array:
        out = array("I", [_FIRST.unpack_from(self.raw, self.ids_at)[0]])
        gaps = _unpack(self.raw[self.ids_at + _FIRST.size:self.w_at], _GAPS[self.gap])
        out.extend(gaps if self.gap == 4 else array("I", gaps))
        return out

    def delta_arrays(self, np) -> list:
        """The ids' deltas as numpy arrays read from the block's bytes (narrow:
        the first id and the gaps, without a copy)."""
        if not self.gap:
            return [np.frombuffer(self._wide_deltas(), dtype="<u4")]
        return [np.frombuffer(self.raw, dtype="<u4", count=1, offset=self.ids_at),
                np.frombuffer(self.raw, dtype=_NUMPY_GAPS[self.gap], count=self.count - 1,
                              offset=self.ids_at + _FIRST.size)]

    def weights(self) -> bytes | float:
        """Little-endian float32 weights, or the one weight of them all."""
        if self.wkind == _W_EACH:
            data = self._open(self.raw[self.w_at:self.v_at])
            return data if self.wbytes == 4 else _little(array("f", array("B", data)))
        return 1.0 if self.wkind == _W_ONES else self.weight

    def weight_array(self, np):
        """The weights as a numpy array (float32 or, narrow and whole, uint8)."""
        if self.wkind != _W_EACH:
            return np.full(self.count, 1.0 if self.wkind == _W_ONES else self.weight, dtype=np.float32)
        if self.gap:
            return np.frombuffer(self.raw, dtype="u1" if self.wbytes == 1 else "<f4", count=self.count,
                                 offset=self.w_at)
        return np.frombuffer(self.weights(), dtype="<f4")

    def id_list(self) -> array:
        return array("I", accumulate(self._narrow_deltas() if self.gap else _unpack(self._wide_deltas(), "I")))

    def weight_list(self) -> array:
        w = self.weights()
        if isinstance(w, float):
            return array("f", [w]) * self.count
        a = array("f")
        a.frombytes(w)
        if _BIG:
            a.byteswap()
        return a

    def values(self, fixedsize):
        if self.vkind == _V_NONE:
            return (None,) * self.count
        raw = self._vopen(self.raw[self.v_at:self.end])
        if self.vkind == _V_PICKLED:
            return loads(raw)
        return tuple(raw[i:i + fixedsize] for i in range(0, len(raw), fixedsize))


def blocks_arrays(blocks: list[Block], np):
    """The (ids, weights) of a term's blocks, decoded together: each block's
    deltas start from 0, so one running sum over them all is corrected by the
    sum reached at the end of the block before (a few array operations a term,
    not a few a block)."""
    counts = np.fromiter((b.count for b in blocks), dtype=np.int64, count=len(blocks))
    deltas = [part for b in blocks for part in b.delta_arrays(np)]
    ids = np.cumsum(deltas[0] if len(deltas) == 1 else np.concatenate(deltas), dtype=np.int64)
    if len(blocks) > 1:
        ends = np.cumsum(counts)
        ids -= np.repeat(np.concatenate(([0], ids[ends[:-1] - 1])), counts)
    weights = [b.weight_array(np) for b in blocks]
    return ids, (weights[0] if len(weights) == 1 else np.concatenate(weights)).astype(np.float64)
