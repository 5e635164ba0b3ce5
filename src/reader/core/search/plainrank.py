"""Which scorer ranks a query: Whoosh's own matchers or the block scorer.

For terms, AND and OR the block scorer (:mod:`.scoring`) ranks exactly as
Whoosh does (the same BM25F, the same statistics), a whole posting list at a
time; Whoosh walks the postings one at a time. The block scorer needs numpy,
whose import takes longer than Whoosh takes to walk a few thousand postings.
So a query of those shapes over few postings is left to Whoosh while numpy
is not loaded yet (a command-line search); a process that has loaded it (the
reader, after its first cross-reference or large search) always uses the block
scorer. Either way the passages and their order are the same.
"""

from __future__ import annotations

import sys

from whoosh import query as wq

WHOOSH_POSTINGS = 20_000
"""Postings up to which Whoosh's matchers rank a query faster than numpy imports."""


def whoosh_suffices(q: wq.Query, reader) -> bool:
    """Whether Whoosh's own search should rank ``q`` (see the module doc)."""
    if "numpy" in sys.modules:
        return False
    cost = _postings(q, reader)
    return cost is not None and cost <= WHOOSH_POSTINGS


def _postings(q: wq.Query, reader) -> int | None:
    """The postings Whoosh walks for ``q``; None for a shape the block scorer ranks
    its own way (prefixes, ranges, phrases) or that Whoosh walks whole (NOT)."""
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return 0
    if type(q) is wq.Term:
        try:
            return reader.doc_frequency(q.fieldname, q.text)
        except (KeyError, ValueError, TypeError):  # a field the schema lacks: the block scorer's way
            return None
    if type(q) in (wq.And, wq.AndNot, wq.AndMaybe) or (type(q) is wq.Or and not q.minmatch and not q.scale):
        total = 0
        for child in q.children():
            cost = _postings(child, reader)
            if cost is None:
                return None
            total += cost
        return total
    return None
