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

The bytes of one block, narrow or of the earlier layout, are read and
written by :mod:`.blocks`.

:func:`term_arrays` reads a term's postings over the whole index; segments of
another codec (and postings inlined in the term table) take Whoosh's public
road, one posting at a time.
"""

from __future__ import annotations

import struct
from pickle import dumps, loads

from whoosh.codec.whoosh3 import (WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3LeafMatcher, W3PerDocWriter,
                                   W3PostingsWriter, W3TermInfo, W3TermsReader)
from whoosh.util.numeric import byte_to_length, length_to_byte

from reader.core.search.whoosh_ext.blocks import Block, blocks_arrays, pack

BLOCK_POSTINGS = 1024
"""Postings per block: fewer, larger blocks cost fewer Python steps per term."""
LEVEL = 1
"""zlib level: deltas and weights are very regular, level 1 takes most of the gain."""

_SIZE = struct.Struct("!i")
"""A block's length, as W3 writes it before each block (negative: the last block)."""

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
        data = pack(ids, self._weights, self._values, self._format.fixed_value_size(), self._compression)
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression,
                      length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


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
    return blocks_arrays(blocks, np)


def _steps(m):
    while m.is_active():
        yield
        m.next()


def _leaf_arrays(leaf: PackedLeafMatcher, np):
    return blocks_arrays([block for block, _ in leaf.blocks()], np)


def deleted_mask(sub):
    """A segment's deleted documents, as a numpy bool mask over its documents."""
    import numpy as np
    mask = np.zeros(sub.doc_count_all(), dtype=bool)
    if sub.has_deletions():
        mask[np.fromiter(sub.deleted_docs_set, dtype=np.int64)] = True
    return mask
