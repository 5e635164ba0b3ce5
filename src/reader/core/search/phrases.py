"""Phrases without positions in the index: a phrase's words are searched, and
the stored text of the best candidates is analysed again to check the phrase."""

from __future__ import annotations

from whoosh import query as wq

from reader.core.search.analyzer import content_forms

PHRASE_CANDIDATES = 100
"""At least this many passages holding all of a phrase's words are checked for the phrase."""
OVERFETCH = 5
"""And at least this many times the results asked for."""


def phrase_candidates(limit: int) -> int:
    """How many passages holding a phrase's words to check, for ``limit`` results."""
    return max(PHRASE_CANDIDATES, limit * OVERFETCH)


def phrase_group(q: wq.Query) -> list[wq.Phrase] | None:
    """A phrase, or an Or of phrases (one phrase searched in several fields)."""
    if isinstance(q, wq.Phrase):
        return [q]
    if isinstance(q, wq.Or) and q.subqueries and all(isinstance(c, wq.Phrase) for c in q.subqueries):
        return list(q.subqueries)
    return None


def required_phrases(q: wq.Query) -> list[list[wq.Phrase]]:
    """Groups of phrases every result must match (one phrase of each group):
    the query itself, or the phrases of a top-level And."""
    group = phrase_group(q)
    if group:
        return [group]
    if isinstance(q, wq.And):
        return [g for g in map(phrase_group, q.subqueries) if g]
    return []


def _without_phrases(q: wq.Query) -> wq.Query:
    if isinstance(q, wq.Phrase):
        return wq.And([wq.Term(q.fieldname, w, boost=q.boost) for w in q.words])
    return q.apply(_without_phrases)


def _in_sequence(position_lists: list[list[int]], slop: int) -> bool:
    starts = set(position_lists[0])
    for positions in position_lists[1:]:
        starts = {p for p in positions if any(0 < p - s <= slop for s in starts)}
        if not starts:
            return False
    return True


def phrase_docs(reader, phrase: wq.Phrase, docnums: list[int]) -> set[int]:
    """Which of ``docnums`` hold the phrase. The index keeps no positions, so
    each candidate's stored field is analysed again: its words' forms past
    removed stop words (:func:`~reader.core.search.analyzer.content_forms`),
    whose places are the positions the index was given, renumbered from 0
    (a phrase compares only their distances)."""
    words = list(phrase.words)
    if not words:
        return set()
    found = set()
    for d in sorted(docnums):
        value = reader.stored_fields(d).get(phrase.fieldname)
        if not value:
            continue
        positions: dict[str, list[int]] = {w: [] for w in words}
        for i, form in enumerate(content_forms(value)):
            if form in positions:
                positions[form].append(i)
        if all(positions.values()) and _in_sequence([positions[w] for w in words], phrase.slop):
            found.add(d)
    return found


def search_phrases_fast(searcher, q: wq.Query, limit: int | None):
    """Whoosh checks a phrase's positions in every passage holding its words;
    here the words are searched with top-N skipping, over-fetched, and only
    those candidates are checked. Returns the hits (docnum, score), or None
    when the query has no phrase that every result must contain."""
    groups = required_phrases(q)
    if not groups or limit is None:
        return None
    try:
        plain = _without_phrases(q)
        reader = searcher.reader()
        results = searcher.search(plain, limit=phrase_candidates(limit))
        scored = [(h.docnum, h.score) for h in results]
        keep = {d for d, _ in scored}
        for group in groups:
            keep = set().union(*(phrase_docs(reader, phrase, list(keep)) for phrase in group))
    except (wq.QueryError, KeyError, AttributeError, TypeError):  # a field not stored, an odd reader: Whoosh's way
        return None
    return [(d, s) for d, s in scored if d in keep][:limit]
