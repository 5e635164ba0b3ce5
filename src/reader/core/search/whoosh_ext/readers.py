"""Reading parts of a Whoosh segment that Whoosh keeps behind private names.

The block scorer needs two things Whoosh computes but does not expose: the
words a multi-term query (prefix, wildcard, fuzzy) expands to, and a field's
length byte for every document of a segment at once (Whoosh reads them one
document at a time). The cross-reference engine reads many passages' stored
fields a call, without Whoosh's check of each field against the schema.
``tests/test_whoosh_ext.py`` exercises all three.
"""

from __future__ import annotations


def expanded_words(query, reader) -> list[str]:
    """The words of the index a multi-term query (prefix, wildcard, fuzzy) stands for."""
    return [w.decode("utf-8") if isinstance(w, bytes) else w for w in query._btexts(reader) if w]


def length_bytes(segment_reader, fieldname: str) -> bytes:
    """The field's length byte (Whoosh's one-byte encoding) of every document
    of one segment; zeros where the segment keeps none."""
    n = segment_reader.doc_count_all()
    perdoc = getattr(segment_reader, "_perdoc", None)
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    except (AttributeError, ImportError):
        col = None
    if col is None:
        return bytes(n)
    if all(hasattr(col, a) for a in ("_dbfile", "_basepos", "_count")):
        raw = bytes(col._dbfile.get(col._basepos, min(col._count, n)))
    else:
        raw = bytes(col[d] for d in range(n))
    return raw + bytes(n - len(raw))


def stored_fields_of(reader, docnums) -> list[dict]:
    """The stored fields of each of ``docnums``, as ``reader.stored_fields`` gives
    them, read from each segment's per-document reader directly: Whoosh's reader
    also checks every field against the schema (for fields removed from it, which
    kreader's fixed schema never has), a third of the read for a passage."""
    if hasattr(reader, "_perdoc"):
        leaves = [(reader, 0)]
    elif hasattr(reader, "doc_offsets") and hasattr(reader, "readers"):
        leaves = list(zip(reader.readers, reader.doc_offsets))
    else:
        return [reader.stored_fields(d) for d in docnums]
    if not all(hasattr(r, "_perdoc") and not r.is_closed for r, _ in leaves):
        return [reader.stored_fields(d) for d in docnums]
    from bisect import bisect_right
    offsets = [offset for _, offset in leaves]
    out = []
    for d in docnums:
        if d < 0:
            raise ValueError(f"No document {d}.")
        r, offset = leaves[bisect_right(offsets, d) - 1]
        out.append(dict(r._perdoc.stored_fields(d - offset)))
    return out
