"""Reading parts of a Whoosh segment that Whoosh keeps behind private names.

The block scorer needs two things Whoosh computes but does not expose: the
words a multi-term query (prefix, wildcard, fuzzy) expands to, and a field's
length byte for every document of a segment at once (Whoosh reads them one
document at a time). ``tests/test_whoosh_ext.py`` exercises both.
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
