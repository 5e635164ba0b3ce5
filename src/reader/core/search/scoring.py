"""The best passages for a query, scored a whole posting list at a time.

Whoosh finds the top N by stepping a tree of matchers one posting at a time,
several Python calls per posting; a common word in a large corpus has tens of
thousands of postings. For the shapes kreader's query language produces
(terms, AND, OR, NOT, prefixes, ranges and phrases), this module reads each
term's postings as numpy arrays (:func:`reader.core.postings.term_arrays`)
and scores them with Whoosh's own BM25F formula and statistics, in array
operations, so terms, ANDs, ORs and NOTs rank exactly as Whoosh ranks them.
Two shapes are scored differently on purpose:

- a prefix or range stands for its words, each scored by BM25F (Whoosh gives
  every match the same score), so ``protest*`` ranks passages that speak of
  protests above a passing mention;
- a phrase's passages are looked for among the best :func:`~reader.core.search.phrases.phrase_candidates`
  (at least five times the results asked for) that hold all its words; a
  passage holding the words only in a poor one is not checked. A phrase
  beside other words (``ceasefire "military operation"``) is looked for
  among the passages that match those words, not among all that hold the
  phrase's words.

Any other shape returns ``None``, and the caller asks Whoosh.

A set of scored passages is a pair of arrays: document numbers (int64,
ascending, each once) and their scores (float64).
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq

from reader.core.search.phrases import phrase_candidates, phrase_docs, phrase_group
from reader.core.search.whoosh_ext.codec import deleted_mask, term_arrays
from reader.core.search.whoosh_ext.readers import expanded_words, length_bytes

K1, B = 1.2, 0.75
"""Whoosh's BM25F defaults (the searcher's weighting)."""

Scored = tuple[np.ndarray, np.ndarray]
_NONE: Scored = (np.empty(0, np.int64), np.empty(0, np.float64))


class _Unsupported(Exception):
    """A query shape this module leaves to Whoosh."""


def best(scored: Scored, limit: int | None) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score), by score then docnum (Whoosh's order)."""
    ids, s = scored
    if limit is not None and len(s) > limit:
        if limit <= 0:
            return []
        cut = np.partition(s, len(s) - limit)[len(s) - limit]  # the limit-th best score
        keep = s >= cut
        ids, s = ids[keep], s[keep]
    order = np.lexsort((ids, -s))[:limit]
    return list(zip(ids[order].tolist(), s[order].tolist()))


class TopN:
    """Array scoring over one searcher (made once per searcher: it keeps each
    field's length norms and each segment's deleted documents)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.leaves = list(self.reader.leaf_readers())
        self.doc_count_all = self.reader.doc_count_all()
        self.limit = 0
        self._norms: dict[str, np.ndarray] = {}
        self._dead: dict[int, np.ndarray] = {}

    # -- public ---------------------------------------------------------------
    def top(self, q: wq.Query, limit: int | None) -> list[tuple[int, float]] | None:
        """The best ``limit`` (docnum, score), best first; ``None`` when the
        query's shape is left to Whoosh."""
        self.limit = limit or 0
        try:
            scored = self._scores(q)
        except _Unsupported:
            return None
        return best(scored, limit)

    # -- query shapes -----------------------------------------------------------
    def _scores(self, q: wq.Query) -> Scored:
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _NONE
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, self._words(q))
        if isinstance(q, wq.AndNot):
            ids, s = self._scores(q.a)
            keep = ~self._member(self._scores(q.b)[0], ids)
            return self._boosted((ids[keep], s[keep]), q.boost)
        if isinstance(q, wq.AndMaybe):  # b only adds to a's score
            ids, s = self._scores(q.a)
            return self._boosted((ids, s + self._dense(self._scores(q.b))[ids]), q.boost)
        if isinstance(q, wq.And):
            return self._boosted(self._and(q.subqueries), q.boost)
        if isinstance(q, wq.Not):  # every passage but these, scored 1 like Whoosh's inverse matcher
            return self._and([q])
        if isinstance(q, wq.Or) and type(q) is wq.Or and not q.minmatch and not q.scale:
            return self._boosted(self._or([self._scores(c) for c in q.subqueries]), q.boost)
        if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.Term):
            words = expanded_words(q, self.reader)
            return self._boosted(self._or([self._term(q.fieldname, w, 1.0) for w in words]), q.boost)
        raise _Unsupported(type(q).__name__)

    def _size(self, q: wq.Query) -> int:
        """Whoosh's estimate of how many passages ``q`` matches."""
        try:
            return q.estimate_size(self.reader)
        except (NotImplementedError, AttributeError):  # a shape without an estimate: last
            return self.doc_count_all

    def _and(self, subqueries) -> Scored:
        plain, phrases = [], []  # phrases: (query, [(phrase, the passages holding its words)])
        for c in subqueries:
            if isinstance(c, wq.Not):
                continue
            group = phrase_group(c)
            if group:
                phrases.append((c, [(p, self._words(p)) for p in group]))
            else:
                plain.append(c)
        plain.sort(key=self._size)
        if plain:
            ids, s = self._scores(plain[0])
            for c in plain[1:]:  # the smallest first, so the kept set only shrinks
                if not len(ids):
                    return _NONE
                ids, s = self._both((ids, s), self._scores(c))
        elif phrases:  # phrases alone: looked for where all their words are
            ids = None
            for _, group in phrases:
                held = self._or([words for _, words in group])[0]
                ids = held if ids is None else ids[self._member(held, ids)]
            s = np.zeros(len(ids))
        else:  # NOT alone: from every passage
            ids = np.flatnonzero(~self._dead_all()) if self.reader.has_deletions() \
                else np.arange(self.doc_count_all, dtype=np.int64)
            s = np.zeros(len(ids))
        for c in subqueries:
            if isinstance(c, wq.Not):
                keep = ~self._member(self._scores(c.query)[0], ids)
                ids, s = ids[keep], s[keep] + c.boost  # Whoosh's inverse matcher scores its boost
        for c, group in phrases:  # checked only where the rest matched
            if not len(ids):
                return _NONE
            found = self._or([self._phrase(p, words, within=ids) for p, words in group])
            ids, s = self._both((ids, s), found if isinstance(c, wq.Phrase) else self._boosted(found, c.boost))
        return ids, s

    def _both(self, a: Scored, b: Scored) -> Scored:
        """The passages in both, each scored by the sum."""
        (ids, s), (other_ids, other_s) = a, b
        keep = self._member(other_ids, ids)
        ids = ids[keep]
        return ids, s[keep] + other_s[np.searchsorted(other_ids, ids)]

    def _or(self, parts: list[Scored]) -> Scored:
        parts = sorted((p for p in parts if len(p[0])), key=lambda p: len(p[0]), reverse=True)
        if len(parts) <= 1:
            return parts[0] if parts else _NONE
        acc = np.zeros(self.doc_count_all)
        hit = np.zeros(self.doc_count_all, dtype=bool)
        for ids, s in parts:  # a term's ids are unique, so += adds once each
            acc[ids] += s
            hit[ids] = True
        ids = np.flatnonzero(hit)
        return ids, acc[ids]

    @staticmethod
    def _boosted(scored: Scored, boost: float) -> Scored:
        return (scored[0], scored[1] * boost) if boost != 1.0 else scored

    def _member(self, these: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` are among ``these`` (a mask over ``ids``)."""
        if not len(these) or not len(ids):
            return np.zeros(len(ids), dtype=bool)
        mark = np.zeros(self.doc_count_all, dtype=bool)
        mark[these] = True
        return mark[ids]

    def _dense(self, scored: Scored) -> np.ndarray:
        out = np.zeros(self.doc_count_all)
        out[scored[0]] = scored[1]
        return out

    def _term(self, fieldname: str, text, boost: float) -> Scored:
        if fieldname not in self.schema:
            return _NONE
        field = self.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return _NONE
        if (fieldname, btext) not in self.reader:
            return _NONE
        ids, w = term_arrays(self.reader, fieldname, btext, self._dead_mask)
        if not field.scorable:  # Whoosh scores such a field by the posting's weight
            return ids, w * boost
        idf = log(self.doc_count_all / (self.reader.doc_frequency(fieldname, btext) + 1)) + 1
        c = idf * (K1 + 1) * boost
        return ids, c * w / (w + self._norm(fieldname)[ids])

    def _words(self, q: wq.Phrase) -> Scored:
        """The passages holding all of a phrase's words, scored as those words."""
        return self._and([wq.Term(q.fieldname, w) for w in q.words])

    def _phrase(self, q: wq.Phrase, words: Scored, within: np.ndarray | None = None) -> Scored:
        """A phrase's passages among those holding its ``words`` (and among
        ``within``, when given), scored as its words."""
        if within is not None:
            keep = self._member(within, words[0])
            words = (words[0][keep], words[1][keep])
        if not len(words[0]):
            return _NONE
        candidates = best(words, phrase_candidates(self.limit))
        try:
            found = phrase_docs(self.reader, q, [d for d, _ in candidates])
        except (KeyError, AttributeError, TypeError) as e:  # a field not stored, an odd reader: Whoosh's way
            raise _Unsupported("phrase") from e
        kept = sorted((d, s * q.boost) for d, s in candidates if d in found)
        return np.array([d for d, _ in kept], dtype=np.int64), np.array([s for _, s in kept])

    # -- statistics -----------------------------------------------------------
    def _dead_mask(self, li: int, sub) -> np.ndarray:
        """Segment ``li``'s deleted documents, as a mask over its documents."""
        if li not in self._dead:
            self._dead[li] = deleted_mask(sub)
        return self._dead[li]

    def _dead_all(self) -> np.ndarray:
        return np.concatenate([self._dead_mask(li, sub) for li, (sub, _) in enumerate(self.leaves)])

    def _norm(self, fieldname: str) -> np.ndarray:
        """Per document: BM25F's ``tf`` denominator less ``tf``, from the
        field lengths Whoosh stores as one byte each."""
        if fieldname not in self._norms:
            from whoosh.util.numeric import byte_to_length
            avg = self.searcher.avg_field_length(fieldname) or 1
            table = np.array([K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avg) for b in range(256)])
            lengths = b"".join(length_bytes(sub, fieldname) for sub, _ in self.leaves)
            self._norms[fieldname] = table[np.frombuffer(lengths, dtype=np.uint8)]
        return self._norms[fieldname]
