"""The library's questions to the index: search, an entity's passages, quotes.

:class:`Queries` is a part of :class:`~reader.core.library.facade.Library`
(which it is mixed into): it uses the library's resolution, searchers
(``searching()``) and article list, and keeps nothing of its own but the
query parser and each field's vocabulary, both dropped at every update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.errors import QueryError

if TYPE_CHECKING:
    from reader.core.quotes import Said
    from reader.core.search import index

STRICT_EXPANSION = 90
"""A name filter of the reader's suggestions (strict) expands only to entities scoring at least this."""
EXPANSION_TIE = 0.5
"""Entities within this score of the best are all taken as what a name filter means."""


class Queries:
    """Search, entity passages and quotes over the library's index (see the module doc)."""

    def corpus_position(self, article_id: str) -> int:
        """Where an article stands in corpus order (after every article when unknown)."""
        if self._order is None:
            self._order = {article: n for n, article in enumerate(self._info_map())}
        return self._order.get(article_id, len(self._order))

    def _expand(self, value: str, type: str | None, strict: bool = False) -> list[str]:
        """The indexed name forms a name filter (``person:pashinian``) stands for."""
        from reader.core import entities
        if self._resolution is None and not self._opened:  # the first index is still being built
            if strict:
                return []  # plain words: searched as words only
            raise QueryError("Names are matched once the first index is built; search the words "
                             "without the filter until then.")
        matches = self.resolution.lookup(value, limit=3, type=type,
                                         least=STRICT_EXPANSION if strict else None)
        if not matches:
            return []
        best = matches[0][1]
        forms = set()
        for e, s in matches:
            if s >= best - EXPANSION_TIE:
                forms.update(entities.normalise_name(f) for f in self.resolution.forms(e.id))
        return sorted(f for f in forms if f)

    def search(self, text: str, limit: int = 20) -> list[index.Hit]:
        """The passages matching a query of the query language, best first."""
        from reader.core.search import index
        if self._qparser is None:
            self._qparser = index.parser(self.folder.ix.schema)
        q = index.parse(self._qparser, text, self._expand)
        with self.searching() as lease:
            q = index.expand_fuzzy(q, lambda fieldname: self._vocabulary(fieldname, lease.searcher))
            return index.run_search(lease.searcher, q, limit, self.hit_titles(), lease.topn)

    def _vocabulary(self, fieldname: str, searcher) -> index.Vocabulary:
        """The words of a field, built once per index generation."""
        from reader.core.search import index
        if fieldname not in self._vocab:
            self._vocab[fieldname] = index.Vocabulary(searcher.reader(), fieldname)
        return self._vocab[fieldname]

    def entity_hits(self, entity_id: str, limit: int | None = None) -> list[index.Hit]:
        """Every passage that mentions the entity, in corpus order."""
        from reader.core import entities
        from reader.core.search import index
        forms = sorted({entities.normalise_name(f) for f in self.resolution.forms(entity_id)} - {""})
        if not forms:
            return []
        with self.searching() as lease:
            hits = index.run_search(lease.searcher, index.ent_query(forms), limit, self.hit_titles(), lease.topn)
        return sorted(hits, key=lambda h: (self.corpus_position(h.article), h.passage))

    # -- quotes -----------------------------------------------------------------
    def quotes(self, speaker: str | None = None) -> list[Said]:
        """Every quote of the corpus with its speaker, in corpus order; with ``speaker``, only
        the quotes of the entities that name means (matched fuzzily, as ``person:`` is)."""
        from reader.core.quotes import said_in
        if speaker is None:
            return [s for a in self.articles() for s in said_in(a, self.resolution)]
        matches = self.resolution.lookup(speaker, limit=3)
        if not matches:
            return []
        best = matches[0][1]
        return self.quotes_of([e.id for e, score in matches if score >= best - EXPANSION_TIE])

    def quotes_of(self, entity_ids: list[str]) -> list[Said]:
        """The quotes of these speakers across the corpus, in corpus order (found through the
        index's ``said`` field, so only the articles quoting them are read)."""
        from reader.core import entities
        from reader.core.quotes import said_in
        from reader.core.search import index
        forms = sorted({entities.normalise_name(f) for e in entity_ids for f in self.resolution.forms(e)} - {""})
        if not forms:
            return []
        with self.searching() as lease:
            hits = index.run_search(lease.searcher, index.said_query(forms), None, self.hit_titles(), lease.topn)
        wanted = set(entity_ids)
        out = []
        for article_id in sorted({h.article for h in hits}, key=self.corpus_position):
            out += [s for s in said_in(self.article(article_id), self.resolution)
                    if s.entity is not None and s.entity.id in wanted]
        return out
