"""Posting blocks that read as arrays: a Whoosh codec, and a term's postings as numpy arrays.

Whoosh's own codec (W3) pickles each block of 128 postings as tuples of
Python numbers, so reading a common word's 80,000 postings creates 240,000
Python objects (ids, weights, values) before any scoring: about 14 ms. This
codec keeps all of W3 (files, term table, block headers, so Whoosh's matchers,
skipping and block quality work as before) and changes only the data of a
block: the ids (delta-encoded), the weights and the values are packed arrays,
so ids and weights are read by numpy straight from the block's bytes and the
values (which repeat the frequency) are not read at all unless Whoosh asks
for them. Blocks hold :data:`BLOCK_POSTINGS` postings.

Blocks are written *narrow* (see :func:`_pack`): the first id, then each gap
in the fewest bytes that hold them all (1, 2 or 4), and integral weights
under 256 as one byte each, uncompressed and checked by a CRC-32. zlib
inflated a common word's blocks at 40-50 us each, the whole of what reading
them cost; the narrow ones are 10-30% larger. Blocks of the earlier layout
(ids and weights compressed each on its own, or raw in full width below
:data:`RAW_BELOW` postings) are still read, so an index need not be rebuilt;
a kreader of before reading a narrow block finds it damaged (its ids are not
a zlib stream), never misreads it.

:func:`term_arrays` reads a term's postings over the whole index; segments of
another codec (and postings inlined in the term table) take Whoosh's public
road, one posting at a time.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate
from operator import sub
from pickle import dumps, loads

from whoosh.codec.whoosh3 import (WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3LeafMatcher, W3PerDocWriter,
                                   W3PostingsWriter, W3TermInfo, W3TermsReader)
from whoosh.util.numeric import byte_to_length, length_to_byte

BLOCK_POSTINGS = 1024
"""Postings per block: fewer, larger blocks cost fewer Python steps per term."""
LEVEL = 1
"""zlib level: deltas and weights are very regular, level 1 takes most of the gain."""

RAW_BELOW = 16
"""A block of fewer postings keeps its data uncompressed: most terms have a
handful of postings, and two zlib calls a term were a twentieth of writing a
segment (for a few bytes saved, or none)."""
_RAW = 0x80
"""Set in a block's weight kind (the earlier layout): its ids, weights and values
are not compressed, and a CRC-32 of them follows (what zlib's own check gives a
compressed block: damage is found, not read as postings)."""
_NARROW = 0x40
"""Set in a block's weight kind: the narrow layout (:func:`_pack`), a CRC-32 after its data."""
_CRC = struct.Struct("<I")
_FIRST = struct.Struct("<I")
"""A narrow block's first id (its gaps follow)."""
_GAPS = {1: "B", 2: "H", 4: "I"}
"""Bytes a gap -> the array type code (``I`` is 4 bytes on the platforms numpy builds for)."""
_NUMPY_GAPS = {1: "u1", 2: "<u2", 4: "<u4"}
_SIZE = struct.Struct("!i")
"""A block's length, as W3 writes it before each block (negative: the last block)."""

_HEAD = struct.Struct("<BBfIII")
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


class PackedCodec(W3Codec):
    """W3 with packed block data (term postings only; vectors stay W3's)."""

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = LEVEL, inlinelimit: int = 1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        self._lengths: dict[str, KeptLengths] = {}
        """The lengths a segment's per-document writer keeps, until its field writer is made."""

    def per_document_writer(self, storage, segment):
        writer = LengthKeepingDocWriter(self, storage, segment)
        self._lengths[segment.segment_id()] = writer.lengths
        return writer

    def field_writer(self, storage, segment):
        return KeptLengthsFieldWriter(self, storage, segment, self._lengths.pop(segment.segment_id(), None))

    def postings_writer(self, dbfile, byteids=False):
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                    inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class KeptLengths:
    """Each document's field lengths as the segment's length columns hold them
    (one byte a document and field), kept in memory while the segment is
    written: writing the postings asks for the length of each posting's
    document, which W3 reads back from the column file just written, one
    call through its column reader a posting (an eighth of writing a segment)."""

    def __init__(self) -> None:
        self.bytes: dict[str, bytearray] = {}

    def add(self, fieldname: str, docnum: int, length: int) -> None:
        col = self.bytes.get(fieldname)
        if col is None:
            col = self.bytes[fieldname] = bytearray()
        if len(col) <= docnum:
            col.extend(bytes(docnum + 1 - len(col)))
        col[docnum] = length_to_byte(length)

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        """What ``W3PerDocReader.doc_field_length`` gives: the length the byte
        stands for, None for a document without it, ``default`` for a field
        that no document has a length of."""
        col = self.bytes.get(fieldname)
        if col is None:
            return default
        lbyte = col[docnum] if docnum < len(col) else 0
        return byte_to_length(lbyte) if lbyte else None


class LengthKeepingDocWriter(W3PerDocWriter):
    """W3's per-document writer, keeping the length bytes it writes (:class:`KeptLengths`)."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self.lengths = KeptLengths()

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        if length:
            self.lengths.add(fieldname, self._docnum, length)


class KeptLengthsFieldWriter(W3FieldWriter):
    """W3's field writer, taking the documents' lengths from memory when its
    segment's per-document writer kept them."""

    def __init__(self, codec, storage, segment, lengths: KeptLengths | None):
        super().__init__(codec, storage, segment)
        self._kept = lengths

    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, self._kept if (lengths is not None and self._kept is not None) else lengths,
                             items)


class PackedPostingsWriter(W3PostingsWriter):
    """Writes W3's block header, then the packed data (see :class:`Block`)."""

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        data = _pack(ids, self._weights, self._values, self._format.fixed_value_size(), self._compression)
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression,
                      length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


def _pack(ids: array, weights: array, values: list, fixedsize, level: int) -> bytes:
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
    head = _HEAD.pack(wkind | _NARROW, vkind, first if wkind == _W_SAME else 0.0,
                      len(packed_ids), len(packed_w), len(packed_v))
    data = packed_ids + packed_w + packed_v
    return head + data + _CRC.pack(zlib.crc32(data))


class Block:
    """The packed data of one block: its ids, weights (none when all are 1.0,
    one float when all are equal, else one each) and values (fixed-size bytes
    joined, or a pickled tuple), after a header giving their kinds and
    lengths; narrow (:func:`_pack`) or of the earlier layout (below)."""

    __slots__ = ("raw", "count", "wkind", "vkind", "weight", "ids_at", "w_at", "v_at", "end", "_open", "_vopen",
                 "gap", "wbytes")

    def __init__(self, raw: bytes, count: int):
        self.raw = raw
        self.count = count
        self.wkind, self.vkind, self.weight, n_ids, n_w, n_v = _HEAD.unpack_from(raw)
        self.ids_at = _HEAD.size
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

    def deltas(self) -> bytes:
        """The ids as little-endian uint32 deltas (the first from 0)."""
        if not self.gap:
            return self._open(self.raw[self.ids_at:self.w_at])
        return _little(array("I", self._narrow_deltas()))

    def _narrow_deltas(self) -> array:
        out = array("I", [_FIRST.unpack_from(self.raw, self.ids_at)[0]])
        gaps = _unpack(self.raw[self.ids_at + _FIRST.size:self.w_at], _GAPS[self.gap])
        out.extend(gaps if self.gap == 4 else array("I", gaps))
        return out

    def delta_arrays(self, np) -> list:
        """The ids' deltas as numpy arrays read from the block's bytes (narrow:
        the first id and the gaps, without a copy)."""
        if not self.gap:
            return [np.frombuffer(self.deltas(), dtype="<u4")]
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
        return array("I", accumulate(self._narrow_deltas() if self.gap else _unpack(self.deltas(), "I")))

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


class PackedLeafMatcher(W3LeafMatcher):
    """W3's block matcher reading packed block data."""

    def _read_data(self):
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = Block(bytes(raw), self._blocklength)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._data.id_list()

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = self._data.weight_list()

    def _read_values(self):
        if self._data is None:
            self._read_data()
        self._values = self._data.values(self._fixedsize)

    def blocks(self):
        """Each remaining block's :class:`Block` and last id, from the start
        of the current block (the matcher is used up)."""
        while self.is_active():
            if self._data is None:
                self._read_data()
            yield self._data, self._maxid
            self._next_block()


def term_arrays(reader, fieldname: str, btext: bytes, dead=None, leaves=None):
    """A term's postings over the whole index: (docnums as int64, weights as
    float64), in docnum order, deleted documents left out. ``dead(li, sub)``
    gives a leaf's deleted-document mask (a numpy bool array), or None;
    ``leaves``: the positions of the only leaves that may hold the term (None: any)."""
    import numpy as np
    id_parts, w_parts = [], []
    for li, (sub, offset) in enumerate(reader.leaf_readers()):
        if leaves is not None and li not in leaves:
            continue
        found = _packed_term(sub, fieldname, btext, np)
        if found is not None:
            if found is _ABSENT:
                continue
            ids, weights = found
            if sub.has_deletions():
                keep = ~(dead(li, sub) if dead else deleted_mask(sub))[ids]
                ids, weights = ids[keep], weights[keep]
            id_parts.append(ids + offset if offset else ids)
            w_parts.append(weights)
            continue
        if (fieldname, btext) not in sub:
            continue
        m = sub.postings(fieldname, btext)
        leaf = getattr(m, "child", m)
        if isinstance(leaf, PackedLeafMatcher) and leaf._i == 0:
            ids, weights = _leaf_arrays(leaf, np)
            if leaf is not m:  # Whoosh's filter of deleted documents, bypassed
                keep = ~(dead(li, sub) if dead else deleted_mask(sub))[ids]
                ids, weights = ids[keep], weights[keep]
        else:  # another codec, or inlined: the public road (deleted ones filtered)
            pairs = [(m.id(), m.weight()) for _ in _steps(m)]
            ids = np.array([d for d, _ in pairs], dtype=np.int64)
            weights = np.array([w for _, w in pairs], dtype=np.float64)
        id_parts.append(ids + offset if offset else ids)
        w_parts.append(weights)
    if not id_parts:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    if len(id_parts) == 1:
        return id_parts[0], w_parts[0]
    return np.concatenate(id_parts), np.concatenate(w_parts)


_ABSENT = object()
"""What :func:`_packed_term` gives for a term the segment does not hold."""


def _packed_term(sub, fieldname: str, btext: bytes, np):
    """A term's (ids, weights) in one segment of this codec, read straight from
    its term record and posting blocks (deleted documents left in): what a
    :class:`PackedLeafMatcher` reads, without Whoosh's matcher objects and the
    second look-up of the term they make (a cross-reference reads a few dozen
    terms in each of about ten segments). :data:`_ABSENT` when the segment does
    not hold the term; None when it is not of this codec or a block is not laid
    out as :class:`PackedPostingsWriter` writes it (the caller takes Whoosh's road)."""
    terms = getattr(sub, "_terms", None)
    if type(terms) is not W3TermsReader or not isinstance(getattr(sub, "_codec", None), PackedCodec):
        return None
    record = terms._tindex.get(terms._keycoder(fieldname, btext))
    if record is None:
        return _ABSENT
    info = W3TermInfo.from_bytes(record)
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    start, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7's from_bytes keeps the length as unpacked: (n,)
        length = length[0]
    raw = terms._postfile.get(start, length)
    if raw[:len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        return None
    at, blocks = len(WHOOSH3_HEADER_MAGIC), []
    while True:
        size = _SIZE.unpack_from(raw, at)[0]
        at += _SIZE.size
        end = at + abs(size)
        head = raw[at:end]
        block_info = loads(head)
        pickled = dumps(block_info, 2)  # as the writer pickled it: its length
        if head[:len(pickled)] != pickled:
            return None
        blocks.append(Block(head[len(pickled):], block_info[0]))
        at = end
        if size < 0 or at >= len(raw):
            break
    return _blocks_arrays(blocks, np)


def _blocks_arrays(blocks: list[Block], np):
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


def _steps(m):
    while m.is_active():
        yield
        m.next()


def _leaf_arrays(leaf: PackedLeafMatcher, np):
    return _blocks_arrays([block for block, _ in leaf.blocks()], np)


def deleted_mask(sub):
    """A segment's deleted documents, as a numpy bool mask over its documents."""
    import numpy as np
    mask = np.zeros(sub.doc_count_all(), dtype=bool)
    if sub.has_deletions():
        mask[np.fromiter(sub.deleted_docs_set, dtype=np.int64)] = True
    return mask
