"""The best passages for a query, scored a posting block at a time.

Whoosh finds the top N by stepping a tree of matchers one posting at a time,
several Python calls per posting; a common word in a large corpus has tens of
thousands of postings. For the shapes kreader's query language produces
(terms, AND, OR, NOT, prefixes, ranges and phrases), this module reads each
term's postings a block at a time and scores them with Whoosh's own BM25F
formula and statistics, so terms, ANDs, ORs and NOTs rank exactly as Whoosh
ranks them. Two shapes are scored differently on purpose:

- a prefix or range stands for its words, each scored by BM25F (Whoosh gives
  every match the same score), so ``protest*`` ranks passages that speak of
  protests above a passing mention;
- a phrase's passages are looked for among the best :data:`PHRASE_CANDIDATES`
  (at least five times the results asked for) that hold all its words; a
  passage holding the words only in a poor one is not checked.

Any other shape returns ``None``, and the caller asks Whoosh.
"""

from __future__ import annotations

import heapq
from itertools import accumulate
from math import log

from whoosh import query as wq
from whoosh.reading import TermNotFound

K1, B = 1.2, 0.75
"""Whoosh's BM25F defaults (the searcher's weighting)."""
PHRASE_CANDIDATES = 100


class _Unsupported(Exception):
    """A query shape this module leaves to Whoosh."""


def posting_blocks(reader, fieldname: str, btext: bytes):
    """(leaf number, offset, ids, weights) of each block of a term's postings,
    deleted documents left out. Reaches into Whoosh's block matcher (ids
    delta-decoded by :func:`itertools.accumulate`, not a generator); any other
    matcher takes the public road, one posting at a time."""
    for li, (sub, offset) in enumerate(reader.leaf_readers()):
        if (fieldname, btext) not in sub:
            continue
        m = sub.postings(fieldname, btext)
        leaf = getattr(m, "child", m)
        deleted = sub.deleted_docs_set if leaf is not m else None
        if not all(hasattr(leaf, a) for a in ("_read_data", "_next_block", "_read_weights", "_byteids")):
            ids, weights = [], []
            while m.is_active():
                ids.append(m.id())
                weights.append(m.weight())
                m.next()
            yield li, offset, ids, weights
            continue
        while leaf.is_active():
            if leaf._data is None:
                leaf._read_data()
            ids, weights = leaf._data[0], leaf._data[1]
            if not leaf._byteids:
                ids = list(accumulate(ids))
            if weights is None or isinstance(weights, float):  # Whoosh's "all weights equal"
                weights = [1.0 if weights is None else weights] * len(ids)
            if leaf._i:
                ids, weights = ids[leaf._i:], weights[leaf._i:]
            if deleted:
                kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
                ids, weights = [d for d, _ in kept], [w for _, w in kept]
            yield li, offset, ids, weights
            leaf._next_block()


def best(scores: dict[int, float], limit: int | None) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score), by score then docnum (Whoosh's
    order). The cut-off score is found among bare floats first: comparing
    tuples through a key function costs several times more."""
    if limit is not None and len(scores) > limit:
        if limit <= 0:
            return []
        cut = heapq.nlargest(limit, scores.values())[-1]
        scores = {d: s for d, s in scores.items() if s >= cut}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


class TopN:
    """Block-at-a-time scoring over one searcher (made once per searcher:
    it keeps each field's length norms)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.leaves = list(self.reader.leaf_readers())
        self.doc_count_all = self.reader.doc_count_all()
        self._norms: dict[tuple[int, str], list[float]] = {}

    # -- public ---------------------------------------------------------------
    def top(self, q: wq.Query, limit: int | None) -> list[tuple[int, float]] | None:
        """The best ``limit`` (docnum, score), best first; ``None`` when the
        query's shape is left to Whoosh."""
        self.limit = limit or 0
        try:
            scores = self._scores(q, None)
        except _Unsupported:
            return None
        return best(scores, limit)

    # -- query shapes -----------------------------------------------------------
    def _scores(self, q: wq.Query, within) -> dict[int, float]:
        """Each matching passage's score. ``within``: when not None, only the
        passages in it are wanted (the others may be left out), so an AND
        scores its larger parts only where its smaller ones matched."""
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost, within)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, within)
        if isinstance(q, wq.AndNot):
            kept = self._scores(q.a, within)
            for d in self._scores(q.b, kept):
                kept.pop(d, None)
            return self._boosted(kept, q.boost)
        if isinstance(q, wq.AndMaybe):  # b only adds to a's score
            a = self._scores(q.a, within)
            b = self._scores(q.b, a)
            return self._boosted({d: s + b.get(d, 0.0) for d, s in a.items()}, q.boost)
        if isinstance(q, wq.And):
            return self._boosted(self._and(q.subqueries, within), q.boost)
        if isinstance(q, wq.Not):  # every passage but these, scored 1 like Whoosh's inverse matcher
            return self._and([q], within)
        if isinstance(q, wq.Or) and type(q) is wq.Or and not q.minmatch and not q.scale:
            return self._boosted(self._or([self._scores(c, within) for c in q.subqueries]), q.boost)
        if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.Term):
            words = [w.decode("utf-8") if isinstance(w, bytes) else w
                     for w in q._btexts(self.reader) if w]
            return self._boosted(self._or([self._term(q.fieldname, w, 1.0, within) for w in words]), q.boost)
        raise _Unsupported(type(q).__name__)

    def _size(self, q: wq.Query) -> int:
        """Whoosh's estimate of how many passages ``q`` matches."""
        try:
            return q.estimate_size(self.reader)
        except Exception:  # a shape without an estimate: last
            return self.doc_count_all

    def _and(self, subqueries, within) -> dict[int, float]:
        positive = sorted((c for c in subqueries if not isinstance(c, wq.Not)), key=self._size)
        if positive:
            out = None
            for c in positive:  # the smallest first; each next part only where all before matched
                part = self._scores(c, within if out is None else out)
                out = part if out is None else {d: s + part[d] for d, s in out.items() if d in part}
                if not out:
                    return {}
        else:  # NOT alone: from every passage
            out = dict.fromkeys(self.reader.all_doc_ids() if within is None else within, 0.0)
        for c in subqueries:
            if isinstance(c, wq.Not):
                for d in self._scores(c.query, out):
                    out.pop(d, None)
                out = {d: s + c.boost for d, s in out.items()}  # Whoosh's inverse matcher scores its boost
        return out

    @staticmethod
    def _or(maps: list[dict[int, float]]) -> dict[int, float]:
        maps = sorted(maps, key=len, reverse=True)
        if not maps:
            return {}
        out = dict(maps[0])
        for other in maps[1:]:
            get = out.get
            for d, s in other.items():
                out[d] = get(d, 0.0) + s
        return out

    @staticmethod
    def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
        if boost != 1.0:
            return {d: s * boost for d, s in scores.items()}
        return scores

    def _term(self, fieldname: str, text, boost: float, within=None) -> dict[int, float]:
        if fieldname not in self.schema:
            return {}
        field = self.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}
        if (fieldname, btext) not in self.reader:
            return {}
        out: dict[int, float] = {}
        if not field.scorable:  # Whoosh scores such a field by the posting's weight
            for _, offset, ids, weights in posting_blocks(self.reader, fieldname, btext):
                out.update((offset + d, w * boost) for d, w in zip(ids, weights)
                           if within is None or offset + d in within)
            return out
        idf = log(self.doc_count_all / (self.reader.doc_frequency(fieldname, btext) + 1)) + 1
        c = idf * (K1 + 1) * boost
        for li, offset, ids, weights in posting_blocks(self.reader, fieldname, btext):
            norm = self._norm(li, fieldname)
            if within is None:
                scores = [c * w / (w + norm[d]) for d, w in zip(ids, weights)]
                out.update(zip([offset + d for d in ids] if offset else ids, scores))
            elif offset:
                out.update({offset + d: c * w / (w + norm[d]) for d, w in zip(ids, weights) if offset + d in within})
            else:
                out.update({d: c * w / (w + norm[d]) for d, w in zip(ids, weights) if d in within})
        return out

    def _phrase(self, q: wq.Phrase, within) -> dict[int, float]:
        from .index import phrase_docs
        words = self._and([wq.Term(q.fieldname, w) for w in q.words], within)
        if not words:
            return {}
        candidates = dict(best(words, max(PHRASE_CANDIDATES, self.limit * 5)))
        try:
            found = phrase_docs(self.reader, q, list(candidates))
        except Exception as e:  # a field without positions, an odd reader: Whoosh's way
            raise _Unsupported("phrase") from e
        return {d: candidates[d] * q.boost for d in found}

    # -- statistics -----------------------------------------------------------
    def _norm(self, li: int, fieldname: str) -> list[float]:
        """Per document of leaf ``li``: BM25F's ``tf`` denominator less ``tf``,
        from the field lengths Whoosh stores as one byte each."""
        key = (li, fieldname)
        if key not in self._norms:
            from whoosh.util.numeric import byte_to_length
            avg = self.searcher.avg_field_length(fieldname) or 1
            table = [K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avg) for b in range(256)]
            self._norms[key] = [table[b] for b in self._length_bytes(self.leaves[li][0], fieldname)]
        return self._norms[key]

    @staticmethod
    def _length_bytes(sub, fieldname: str):
        """The field's length byte of every document of one segment."""
        n = sub.doc_count_all()
        perdoc = getattr(sub, "_perdoc", None)
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
            col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        except (AttributeError, ImportError):
            col = None
        if col is None:
            return bytes(n)
        raw = None
        if all(hasattr(col, a) for a in ("_dbfile", "_basepos", "_count")):
            raw = bytes(col._dbfile.get(col._basepos, min(col._count, n)))
        else:
            raw = bytes(col[d] for d in range(n))
        return raw + bytes(n - len(raw))
