"""Cross-references: passages of *other* articles related to one passage.

Candidates are the passages sharing the most rarity-weighted signals with it
(content stems, adjacent-word phrases, entity forms), read straight from the
posting lists rarest first, plus every passage of the other reports of its
story. A candidate's score blends the two passages' similarity (the cosine of
their weighted signals, entities counting extra, a heading or caption less)
with the two articles' (the same story counts fully, and so does an article
as alike as the story book needs to join a story; otherwise the likeness of
the articles' words and names, damped by the days between them), so the
reports of the same event come first. Scores are 0-1. Near-identical passages
(reposts of one wire story) are folded into one entry, and figures that
differ for the same thing counted in the same sense are marked.

An engine belongs to one library; its caches are dropped whenever the
library's generation moves on (an update), so no result outlives the index
it came from.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from operator import mul

import numpy as np
from rapidfuzz import fuzz

from reader.core import entities as ents
from reader.core.errors import NotFoundError

from reader.core.search.analyzer import content_forms, surfaces
from reader.core.search import termstats
from reader.core.search.index import form_token, passage_id, posting_ids
from reader.core.search.whoosh_ext.codec import deleted_mask
from reader.core.search.whoosh_ext.readers import stored_fields_of
from reader.core.xref.figures import differing, figures
from reader.core.xref.names import names_as_words
from reader.core.xref.namesets import (NameSets, contained, inner_runs, long_names, name_sets, untouched,
                                       words_untouched)
from reader.core.xref.reasons import is_generic, mention_words, words_of_names
from reader.core.xref.results import Related, XrefResult
from reader.core.xref.signals import Signals, make_signals

ENTITY_BOOST = 1.6
"""An entity shared counts this much more than a word of the same rarity."""
KIND_WEIGHT = {"paragraph": 1.0, "quote": 1.0, "list-item": 0.95, "heading": 0.75, "caption": 0.7}
"""A passage's kind scales its score (a heading says less than a paragraph)."""
PAIR_WEIGHT = 0.5
"""A shared pair of adjacent words counts this share of its two words' rarity."""
CANDIDATES = 60
"""Passages found through the posting lists for each passage (besides its story's)."""
POSTINGS_BUDGET = 20000
"""How many postings the candidate query may read (its speed at scale)."""
REPOST_SIMILARITY = 88
"""rapidfuzz ratio from which two passages are reposts of one text."""
REPOST_LENGTH = 0.2
"""Reposts differ in length by less than this share."""
PASSAGE_SHARE = 0.5
"""Share of the passages' own similarity in the score (the articles' has the rest)."""
STORY_MATES = 25
"""Other reports of the story whose passages may be candidates."""
STORY_PASSAGES = 60
"""Passages of those reports that are candidates besides the ones found, shared out
between the reports (a small story's are all candidates: the reading of many more,
in a big story, was the slowest cross-references' cost)."""
PER_MATE = 2
"""Passages of each report that are candidates, however big the story."""
MATES_READ = 50
"""Reports of a big story whose vectors are read and weighed at a time, nearest in time first."""
MATES_WEIGHED = 200
"""Reports of a big story weighed at most, nearest in time first: the work of a
passage's cross-references stays bounded however long a story runs (weighing
every report of a 1,000-report story took 40-65 ms at 100,000 articles)."""
BOUND_SLACK = 1.000001
"""Rounding room on the most similarity a report can have (:meth:`Xref._closest_mates`)."""
FREE_PLACES = 4
"""Places of a list given to the closest passages whatever their report (see :func:`_spread`)."""
OUTSIDER_SHARE = 0.5
"""Share of the story book's ``JOIN_AT`` from which an article outside the story is worth a
later place more than a listed report's further passage."""
DAYS_HALF = 4.0
"""Days apart at which two articles' likeness is halved."""
CACHE_SIZE = 2000
"""Results kept per engine (dropped at each update). This cache and the next two
are trimmed oldest first (:func:`_trim`): emptying 10,000 kept vectors at once
stopped one cross-reference for 30 ms at 100,000 articles."""
DOC_CACHE = 50000
"""Passages whose stored fields and weights are kept per engine (dropped at each update)."""
ARTICLE_CACHE = 10000
"""Articles whose story vector, story number and day are kept per engine (dropped at each update)."""
MASKS_KEPT = 64
"""Deleted-document masks of segments kept per engine (a segment's goes with each
new deletion in it; dropped at each update)."""
POSTINGS_CACHE = 2_000_000
"""Postings of the signals read kept per engine (dropped at each update): the
passages of one article, or of one story, look up many of the same signals."""


def _signals_of(doc) -> Signals:
    stems = (doc.get("sig") or "").split(" ")
    forms = {form_token(span[2]) for span in json.loads(doc.get("spans") or "[]")}
    return make_signals(stems, forms)


@dataclass
class _Context:
    """What the passages of one article share while they are ranked."""

    article: str
    day: int | None
    story: int | None
    vectors: dict = field(default_factory=dict)
    """Article id -> its story-book :class:`~reader.core.stories.vectors.Vector` (:meth:`Xref._vectors_of`)."""
    similarity: dict[str, float] = field(default_factory=dict)
    """Other article -> :meth:`Xref._articles_similarity` (weighed in bulk, once)."""
    stories: dict[str, int] = field(default_factory=dict)
    mates: list[str] = field(default_factory=list)
    docs: list[list[int]] | None = None
    """Document numbers of each mate's passages (found once)."""
    likeness: dict[str, float] = field(default_factory=dict)
    """Other article -> how alike it is to this one (worked out once)."""
    unweighed: set[str] = field(default_factory=set)
    """Reports of the story too far in time to be among its closest (:meth:`Xref._closest_mates`)."""


class Xref:
    """The cross-reference engine of one :class:`~reader.core.library.Library`
    (``book``: its :class:`~reader.core.stories.StoryBook`, or None)."""

    def __init__(self, library, book=None):
        self.lib = library
        self.book = book
        self._generation: int | None = None
        self._fresh()

    def _fresh(self) -> None:
        """Drop every cache when the library has been updated since they were filled."""
        if self._generation == self.lib.generation:
            return
        self._generation = self.lib.generation
        self._cache: dict[tuple[str, int, int], XrefResult] = {}
        self._idf_of: dict[str, dict[str, float]] = {"text": {}, "ent": {}}
        """Field -> term -> rarity."""
        self._df_of: dict[str, dict[str, int]] = {"text": {}, "ent": {}}
        """Field -> term -> document frequency."""
        self._termstats: tuple[tuple[str, ...], termstats.TermStats | None] | None = None
        """The index's term table (:mod:`~reader.core.search.termstats`) and the segments it is for."""
        self._entity_of_form: dict[str, str] = {}
        self._all_forms = False
        """Whether every entity's forms are in ``_entity_of_form`` (an index without the alias table)."""
        self._stems_cache: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._runs_cache: dict[str, tuple] = {}
        """Entity id -> the :func:`~.namesets.inner_runs` and :func:`~.namesets.long_names` of its names."""
        self._names: dict[str, str] = {}
        self._forms: dict[str, set[str]] = {}
        self._docs: dict[int, tuple[dict, dict[str, float]]] = {}
        self._doc_names: dict[tuple[str, int], tuple[NameSets, float]] = {}
        """(article, passage) -> its name sets and squared weights (see :meth:`_score`)."""
        self._source: tuple[dict, tuple[NameSets, float]] | None = None
        self._article_docs: dict[str, list[int]] = {}
        """Article id -> the document numbers of its passages."""
        self._postings: dict[tuple[str, str], np.ndarray] = {}
        """(field, term) -> the document numbers holding it."""
        self._postings_held = 0
        self._accs: list[np.ndarray] = []
        """Weight shared per document, all zero, one per thread that ranked passages at
        once (:meth:`_candidates`): none is zeroed or scanned whole again."""
        self._vectors: dict[str, object] = {}
        """Article id -> its story-book vector (None: not placed)."""
        self._story_of: dict[str, int | None] = {}
        """Article id -> its story number (None: not placed)."""
        self._days: dict[str, int | None] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        """(segment id, its deleted count) -> its deleted documents as a mask (:meth:`_dead`)."""

    # -- rarity and entities ------------------------------------------------------
    def _idf(self, reader, fieldname: str, term: str, n_docs: int) -> float:
        found = self._idf_of[fieldname].get(term)
        if found is None:
            self._look_up(reader, fieldname, [term], n_docs)
            found = self._idf_of[fieldname][term]
        return found

    def _df(self, reader, fieldname: str, term: str) -> int:
        """Passages holding ``term`` (as Whoosh counts them)."""
        found = self._df_of[fieldname].get(term)
        if found is None:
            self._look_up(reader, fieldname, [term], max(1, reader.doc_count()))
            found = self._df_of[fieldname][term]
        return found

    def _look_up(self, reader, fieldname: str, terms, n_docs: int) -> None:
        """The document frequencies and rarities of the terms not seen yet, in one
        look-up of the index's term table (Whoosh's segments when there is none)."""
        stats = self._term_table(reader)
        known = self._df_of[fieldname]
        missing = list(set(terms).difference(known))  # (in any order: only kept)
        if not missing:
            return
        dfs = (stats.doc_frequencies(fieldname, missing) if stats is not None
               else [reader.doc_frequency(fieldname, t) for t in missing])
        known.update(zip(missing, dfs))
        self._idf_of[fieldname].update((t, math.log(1 + n_docs / (1 + df)) if df else 0.0)
                                       for t, df in zip(missing, dfs))

    def _term_table(self, reader) -> termstats.TermStats | None:
        """The term table for ``reader``'s segments (loaded once per set of segments; a
        reader of other segments within one generation, as when another process updated
        the index, also drops what was kept of the one before)."""
        ids = termstats.segment_ids(reader)
        if self._termstats is None or self._termstats[0] != ids:
            if self._termstats is not None:
                self._docs.clear()
                self._doc_names.clear()
                self._article_docs.clear()
                self._postings.clear()
                self._postings_held = 0
                for kept in (*self._df_of.values(), *self._idf_of.values()):
                    kept.clear()
            folder = self._whoosh_folder()
            table = termstats.for_reader(reader, folder) if folder else None
            self._termstats = (ids, table)
        return self._termstats[1]

    def _whoosh_folder(self) -> str | None:
        """The Whoosh index's folder (None for an index kept elsewhere than on disk)."""
        return getattr(getattr(self.lib.folder.ix, "storage", None), "folder", None)

    def entity_of_form(self, form: str) -> str:
        """The entity id an indexed form belongs to (the form itself when none)."""
        found = self._entity_of_form.get(form)
        if found is None:
            self._entities_of_forms([form])
            found = self._entity_of_form[form]
        return found

    def _entities_of_forms(self, forms) -> None:
        """Look the forms not seen yet up in the resolution's alias table, in one query
        (an index of before that table: every entity's forms, read once)."""
        missing = [f for f in set(forms) if f not in self._entity_of_form]
        if not missing or self._all_forms:
            self._entity_of_form.update((f, f) for f in missing)
            return
        found = self.lib.resolution.alias_entities([f.replace("_", " ") for f in missing])
        if found is None:
            self._all_forms = True
            for e in self.lib.resolution.entities:
                for f in self.lib.resolution.forms(e.id):
                    self._entity_of_form.setdefault(form_token(ents.normalise_name(f)), e.id)
            found = {}
        for f in missing:
            self._entity_of_form.setdefault(f, found.get(f.replace("_", " "), f))

    def name_of(self, entity_id: str) -> str:
        """An entity's name as shown (a form no entity holds: its words)."""
        found = self._names.get(entity_id)
        if found is None:
            e = self.lib.resolution.entity(entity_id)
            found = self._names[entity_id] = e.name if e else entity_id.replace("_", " ")
        return found

    def _weights(self, sig: Signals, reader, n_docs: int) -> dict[str, float]:
        """Signal key -> weight (rarity); entity keys are entity ids."""
        self._entities_of_forms(sig.forms)
        self._look_up(reader, "text", _words(sig), n_docs)
        self._look_up(reader, "ent", sig.forms, n_docs)
        return self._weighed(sig)

    def _weighed(self, sig: Signals) -> dict[str, float]:
        """:meth:`_weights` once its entities and rarities are looked up."""
        idf, ent_idf, entity = self._idf_of["text"], self._idf_of["ent"], self._entity_of_form
        w = {"t:" + t: idf[t] for t in sig.terms}
        w.update({f"p:{a} {b}": PAIR_WEIGHT * (idf[a] + idf[b]) for a, b in sig.pairs})
        for f in sig.forms:
            key = "e:" + entity[f]
            w[key] = max(w.get(key, 0.0), ent_idf[f] * ENTITY_BOOST)
        return w

    # -- the public calls ------------------------------------------------------------
    def related(self, article_id: str, n: int, limit: int = 10) -> XrefResult:
        """Cross-references of passage ``n`` of ``article_id``, best first."""
        self._fresh()
        key = (article_id, n, limit)
        if key not in self._cache:
            info = self.lib.info(article_id)
            if not 0 <= n < info.passages:
                raise NotFoundError(f"Article {article_id} has passages 0 to {info.passages - 1}, not {n}.")
            with self.lib.searching() as lease:
                self._remember(key, XrefResult(article_id, n, self._rank_with(
                    lease.searcher, self._context(article_id), n, limit)))
        return self._cache[key]

    def related_all(self, article_id: str, limit: int = 10) -> list[XrefResult]:
        """Cross-references of every passage of ``article_id`` (one searcher, one context)."""
        self._fresh()
        info = self.lib.info(article_id)
        out = []
        with self.lib.searching() as lease:
            ctx = self._context(article_id)
            for n in range(info.passages):
                key = (article_id, n, limit)
                if key not in self._cache:
                    self._remember(key, XrefResult(article_id, n, self._rank_with(lease.searcher, ctx, n, limit)))
                out.append(self._cache[key])
        return out

    def _remember(self, key, result: XrefResult) -> None:
        self._cache[key] = result
        _trim(self._cache, CACHE_SIZE)

    # -- ranking -------------------------------------------------------------------------
    def _context(self, article_id: str) -> _Context:
        from reader.core.stories.profile import day_number
        ctx = _Context(article_id, day_number(self.lib.info(article_id).date), None)
        if self.book is not None:
            ctx.story = self.book.story_number(article_id)
            if ctx.story is not None:
                days = self.book.member_days(ctx.story)  # (in the story's order: one query for both)
                ctx.mates = self._closest_mates(ctx, [a for a in days if a != article_id], days)
                ctx.stories = {a: ctx.story for a in ctx.mates}
        return ctx

    def _closest_mates(self, ctx: _Context, mates: list[str], days: dict[str, int | None]) -> list[str]:
        """The :data:`STORY_MATES` reports most alike the context's article, most alike
        first (as sorting them all by :meth:`_articles_similarity` gives). Similarity is
        at most 1 before it is damped by the days between the articles, so in a big
        story the reports are weighed nearest in time first, and the weighing stops
        once the next report could not be alike enough, or after :data:`MATES_WEIGHED`
        reports: the rest are not read. ``days``: the story's reports' day numbers."""
        if len(mates) <= STORY_MATES or ctx.day is None:
            ctx.vectors = self._vectors_of([ctx.article] + mates if len(mates) <= STORY_MATES else [ctx.article])
            mates.sort(key=lambda a: -self._articles_similarity(ctx, a))
            return mates[:STORY_MATES]

        def bound(a: str) -> float:  # the most similarity a report this far in time can have
            day = days.get(a)
            return 1.0 if day is None else 1.0 / (1.0 + abs(ctx.day - day) / DAYS_HALF)

        nearest = sorted(mates, key=bound, reverse=True)
        # the article's own vector is read with the first chunk (always weighed: nothing to beat yet)
        ctx.vectors = self._vectors_of([ctx.article] + nearest[:min(MATES_READ, MATES_WEIGHED)])
        sims: dict[str, float] = {}
        best: list[float] = []  # the STORY_MATES highest similarities so far (a heap)
        for i in range(0, min(len(nearest), MATES_WEIGHED), MATES_READ):
            chunk = nearest[i:min(i + MATES_READ, MATES_WEIGHED)]
            if len(best) == STORY_MATES and bound(chunk[0]) * BOUND_SLACK < best[0]:
                break
            ctx.vectors.update(self._vectors_of(chunk))
            self._know_days(chunk, days)
            for a in chunk:
                sims[a] = sim = self._articles_similarity(ctx, a)
                if len(best) < STORY_MATES:
                    heapq.heappush(best, sim)
                elif sim > best[0]:
                    heapq.heapreplace(best, sim)
        ctx.unweighed = {a for a in mates if a not in sims}
        weighed = [a for a in mates if a in sims]
        weighed.sort(key=sims.__getitem__, reverse=True)
        return weighed[:STORY_MATES]

    def _likeness(self, ctx: _Context, other: str) -> float:
        """How alike the two articles are, 0-1 (1: the same story), once per context."""
        found = ctx.likeness.get(other)
        if found is None:
            found = ctx.likeness[other] = self._articles_likeness(ctx, other)
        return found

    def _articles_likeness(self, ctx: _Context, other: str) -> float:
        """1 for the same story, and for an article as alike as the story book needs
        to join a story (its ``JOIN_AT``: a report the book placed elsewhere, or one
        between two of its stories, is ranked with the story's); else
        :meth:`_articles_similarity`."""
        if ctx.story is not None and ctx.stories.get(other) == ctx.story:
            return 1.0
        sim = self._articles_similarity(ctx, other)
        if sim > 0:
            from reader.core.stories.grouping import JOIN_AT  # loaded with the book
            if sim >= JOIN_AT:
                return 1.0
        return sim

    def _articles_similarity(self, ctx: _Context, other: str) -> float:
        """The articles' words and names alike, 0-1, damped by the days between them."""
        found = ctx.similarity.get(other)
        if found is None:
            self._weigh(ctx)
            found = ctx.similarity.setdefault(other, 0.0)
        return found

    def _weigh(self, ctx: _Context) -> None:
        """:meth:`_articles_similarity` of every article whose vector is loaded and not
        weighed yet, all at once (as the story book compares an article with its candidates)."""
        todo = [a for a in ctx.vectors if a not in ctx.similarity and a != ctx.article]
        mine = ctx.vectors.get(ctx.article)
        if not todo or self.book is None or mine is None or not len(mine.ids):
            ctx.similarity.update(dict.fromkeys(todo, 0.0))
            return
        others = [ctx.vectors[a] for a in todo]
        sims = self.book.similarities(mine, others).tolist()
        for a, sim, vec in zip(todo, sims, others):
            day = self._day(a)
            if ctx.day is not None and day is not None:
                sim /= 1.0 + abs(ctx.day - day) / DAYS_HALF
            ctx.similarity[a] = sim if len(vec.ids) else 0.0

    def _candidates(self, source: Signals, wp: dict[str, float], reader,
                    limit: int) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Document numbers sharing the most signal weight with the source.

        Signals are taken rarest first until their posting lists reach the
        budget: every signal in a small corpus, the rare ones (the ones that
        decide the ranking, and cheap to read) in a large one. Postings are
        read directly and weights summed per document: no BM25 matcher tree.
        Signals found in this passage only cannot find anything: skipped.
        Returns the best ``limit``, the weight every document shares (an
        accumulator of the engine's, which :meth:`_cleared` empties and gives
        back once it is read) and the documents sharing any.
        """
        self._term_table(reader)  # (documents kept from another reader are dropped)
        signals = [("text", t, wp["t:" + t]) for t in source.terms]
        signals += [("ent", f, wp["e:" + self.entity_of_form(f)]) for f in source.forms]
        size = reader.doc_count_all()
        try:
            acc = self._accs.pop()  # (a list's pop: one thread's at a time, without a lock)
        except IndexError:
            acc = np.zeros(size)
        if len(acc) != size:
            acc = np.zeros(size)
        read = []
        postings = 0
        for fieldname, term, w in sorted(signals, key=lambda s: -s[2]):
            df = self._df(reader, fieldname, term)
            if df <= 1 or w <= 0:
                continue
            if postings and postings + df > POSTINGS_BUDGET:
                break
            postings += df
            ids = self._posting_ids(reader, fieldname, term)
            acc[ids] += w
            read.append(ids)
        # the documents touched, from the postings read (at most the budget): never a
        # pass over the whole accumulator, one slot per passage of the index
        found = _distinct(read)
        sharing = found
        if len(found) > limit:
            found = found[np.argpartition(-acc[found], limit - 1)[:limit]]
        return found[np.lexsort((found, -acc[found]))].tolist(), acc, sharing

    def _cleared(self, acc: np.ndarray, touched: np.ndarray) -> None:
        """An accumulator of :meth:`_candidates` emptied and kept for the next passage."""
        acc[touched] = 0.0
        self._accs.append(acc)

    def _story_docs(self, reader, ctx: _Context) -> list[list[int]]:
        """Document numbers of the passages of each of the story's other reports (once per context)."""
        if ctx.docs is not None:
            return ctx.docs
        out = []
        new = [m for m in ctx.mates if m not in self._article_docs]
        self.lib.preload_infos(new)  # in one query
        infos = {}
        for mate in new:
            try:
                infos[mate] = self.lib.info(mate)
            except NotFoundError:
                continue
        paths = list(dict.fromkeys(i.path for i in infos.values()))
        folder = self._whoosh_folder()
        held = termstats.leaves_holding(reader, folder, "path", paths) if folder and paths else None
        leaves = dict(zip(paths, held)) if held is not None else {}
        for mate in ctx.mates:
            found = self._article_docs.get(mate)
            if found is None:
                if mate not in infos:
                    continue
                info = infos[mate]
                found = self._article_docs[mate] = self._passage_docs(reader, info, leaves.get(info.path))
            out.append(found)
        ctx.docs = out
        return out

    def _passage_docs(self, reader, info, leaves=None) -> list[int]:
        """Document numbers of an article's passages (``leaves``: the only segments
        that may hold its file, from :func:`~reader.core.search.termstats.leaves_holding`)."""
        in_file = posting_ids(reader, "path", info.path, leaves, dead=self._dead)
        if len(in_file) == info.passages:  # the file holds this article only: its passages, in one read
            return in_file.tolist()
        out = []
        for n in range(info.passages):
            d = reader.first_id("pid", passage_id(info.id, n))
            if d is not None:
                out.append(d)
        return out

    def _rank_with(self, s, ctx: _Context, n: int, limit: int) -> list[Related]:
        reader = s.reader()
        n_docs = max(1, reader.doc_count())
        found = posting_ids(reader, "pid", passage_id(ctx.article, n), dead=self._dead)  # (not s.document)
        if not len(found):
            return []
        doc = stored_fields_of(reader, [int(found[0])])[0]
        source = _signals_of(doc)
        wp = self._weights(source, reader, n_docs)
        found, shares, touched = self._candidates(source, wp, reader, CANDIDATES + self.lib.info(ctx.article).passages)
        try:
            story = _story_candidates(self._story_docs(reader, ctx), shares, reader)
        finally:
            self._cleared(shares, touched)
        docnums = list(dict.fromkeys(found + story))
        cands = [c for c in self._stored_all(reader, docnums) if c[0]["article"] != ctx.article]
        self._note_articles(ctx, {c[0]["article"] for c in cands})
        shares: dict[tuple[str, int], tuple[set[str], dict[str, float]]] = {}
        scored = [r for r in (self._score(c, w, wp, ctx, shares) for c, w in cands) if r is not None]
        ranked = _spread(scored, ctx.likeness, self._outsider_floor(), 2 * limit)
        folded = _fold_reposts(ranked, doc["text"], limit)
        mentions = mention_words(doc["text"], _spans(doc)) if folded else []
        return [self._explain(r, shares[r.article, r.passage], mentions, reader, n_docs) for r in folded]

    def _outsider_floor(self) -> float:
        """Likeness from which an article outside the story takes a later place before a
        listed report's further passage (:func:`_spread`): a share of the story book's
        ``JOIN_AT``; 0 without a book (no article is then of a story)."""
        if self.book is None:
            return 0.0
        from reader.core.stories.grouping import JOIN_AT  # loaded with the book
        return OUTSIDER_SHARE * JOIN_AT

    def _note_articles(self, ctx: _Context, articles: set[str]) -> None:
        """Load the stories of candidate articles not seen yet for this context, and the
        vectors of those outside its story (a report of the story is as alike as can be:
        :meth:`_articles_likeness` weighs it not)."""
        if self.book is None:
            return
        new = [a for a in articles if a not in ctx.vectors and a not in ctx.stories]
        if new:
            self._read_placements(new)  # their stories and vectors, in one query
            # reports of the story beyond its closest few stay outside it here, weighed or not
            ctx.stories.update(self._story_numbers([a for a in new if a not in ctx.unweighed]))
            outside = [a for a in new if ctx.story is None or ctx.stories.get(a) != ctx.story]
            ctx.vectors.update(self._vectors_of(outside))
            self.lib.preload_infos(a for a in outside if a not in self._days)  # their days, in one query

    def _posting_ids(self, reader, fieldname: str, term: str) -> np.ndarray:
        """:func:`~reader.core.search.index.posting_ids`, kept (up to :data:`POSTINGS_CACHE`)."""
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is None:
            found = posting_ids(reader, fieldname, term, dead=self._dead)
            if self._postings_held + len(found) > POSTINGS_CACHE:
                self._postings.clear()
                self._postings_held = 0
            self._postings[key] = found
            self._postings_held += len(found)
        return found

    def _read_placements(self, articles: list[str]) -> None:
        """Keep the story numbers and vectors of these articles (those not kept yet),
        read together: :meth:`_story_numbers` and :meth:`_vectors_of` then find them kept."""
        missing = [a for a in dict.fromkeys(articles) if a not in self._story_of or a not in self._vectors]
        if missing:
            stories, vectors = self.book.placements(missing)
            self._story_of.update((a, stories.get(a)) for a in missing)
            self._vectors.update((a, vectors.get(a)) for a in missing)

    def _dead(self, position: int, sub) -> np.ndarray:
        """A segment's deleted documents as a mask, kept while the segment has as many
        (documents are never brought back): a segment with deletions was masked again
        for each term read, a few dozen terms in each segment a call."""
        segment = sub.segment()
        if segment is None:  # (not a segment of Whoosh's own)
            return deleted_mask(sub)
        key = (segment.segment_id(), segment.deleted_count())
        found = self._masks.get(key)
        if found is None:
            if len(self._masks) >= MASKS_KEPT:
                self._masks.clear()
            found = self._masks[key] = deleted_mask(sub)
        return found

    def _vectors_of(self, articles) -> dict:
        """Article id -> story-book vector, for those the book holds (kept)."""
        return _held(self._vectors, articles, self.book.vectors)

    def _story_numbers(self, articles) -> dict[str, int]:
        """Article id -> story number, for those the book holds (kept)."""
        return _held(self._story_of, articles, self.book.story_numbers)

    def _know_days(self, articles: list[str], days: dict[str, int | None]) -> None:
        """Keep the day numbers of these reports of a story as the story book has them
        (the day of each article's date, as :meth:`_day` works it out)."""
        for a in articles:
            if a in days:
                self._days.setdefault(a, days[a])
        _trim(self._days, ARTICLE_CACHE)

    def _day(self, article: str) -> int | None:
        """An article's day number (kept)."""
        if article not in self._days:
            from reader.core.stories.profile import day_number
            _trim(self._days, ARTICLE_CACHE - 1)
            self._days[article] = day_number(self.lib.info(article).date)
        return self._days[article]

    def _inner_runs(self, entity_id: str):
        return self._name_runs(entity_id)[0]

    def _long_names(self, entity_id: str):
        return self._name_runs(entity_id)[1]

    def _name_runs(self, entity_id: str) -> tuple:
        found = self._runs_cache.get(entity_id)
        if found is None:
            names = self._name_stems(entity_id)
            found = self._runs_cache[entity_id] = (inner_runs(names), long_names(names))
        return found

    def _name_stems(self, entity_id: str) -> tuple[tuple[str, ...], ...]:
        """The stems of each of an entity's names (``("secur", "council")``)."""
        if entity_id not in self._stems_cache:
            forms = self.lib.resolution.forms(entity_id) if self.lib.resolution.entity(entity_id) else [
                entity_id.replace("_", " ")]
            stems = {_stems(f) for f in forms}
            self._stems_cache[entity_id] = tuple(s for s in stems if s)  # a tuple: left alone by the GC
        return self._stems_cache[entity_id]

    def _stored_all(self, reader, docnums: list[int]) -> list[tuple[dict, dict[str, float]]]:
        """Each passage's stored fields and signal weights (kept for the generation);
        the ones not seen yet are read together: their entities in one query, the
        rarity of their terms in one look-up."""
        new = [d for d in docnums if d not in self._docs]
        if new:
            n_docs = max(1, reader.doc_count())
            read = [(d, fields, _signals_of(fields)) for d, fields in zip(new, stored_fields_of(reader, new))]
            forms = list(chain.from_iterable(sig.forms for _, _, sig in read))
            self._entities_of_forms(forms)
            self.lib.resolution.preload(set(map(self._entity_of_form.__getitem__, forms)))
            self._look_up(reader, "text", set(chain.from_iterable(
                chain(sig.terms, chain.from_iterable(sig.pairs)) for _, _, sig in read)), n_docs)
            self._look_up(reader, "ent", forms, n_docs)
            for d, fields, sig in read:
                self._docs[d] = (fields, self._weighed(sig))
        out = [self._docs[d] for d in docnums]
        _trim(self._docs, DOC_CACHE)
        return out

    def _score(self, cand, weights: dict[str, float], wp, ctx: _Context, shares: dict) -> Related | None:
        """The candidate scored against the source passage (None when they share nothing).
        Names are mended (:mod:`.names`) on copies of the weights, unless the two
        passages' :data:`~.namesets.NameSets` show nothing would change. Its shared
        entities and words are left for :meth:`_explain` (only the listed few are
        shown): ``shares`` keeps, by (article, passage), the signals the two
        passages share and the source's weights they were scored with."""
        (p_sets, p_square), (c_sets, c_square) = self._source_sets(wp), self._doc_sets(cand, weights)
        if untouched(p_sets, wp, c_sets, weights):
            wc = weights
            shared = wp.keys() & wc.keys()
            products = _products(shared, wp, wc)
            similarity = _similarity(products, wp, wc, (p_square, c_square))
        else:
            wp, wc = self._mended(wp, p_sets, weights, c_sets)
            shared = wp.keys() & wc.keys()
            products = _products(shared, wp, wc)
            similarity = _similarity(products, wp, wc)
        similarity *= KIND_WEIGHT.get(cand["kind"], 1.0)
        if similarity <= 0:
            return None
        likeness = self._likeness(ctx, cand["article"])
        score = (PASSAGE_SHARE * similarity + (1 - PASSAGE_SHARE) * likeness) if self.book else similarity
        same = ctx.story is not None and ctx.stories.get(cand["article"]) == ctx.story
        links = _links(products)  # for _spread
        shares[cand["article"], cand["n"]] = (shared, wp)
        return Related(cand["article"], cand["n"], min(1.0, score), cand["text"], "",  # titled by _explain
                       cand["kind"], [], [], same_story=same, links=links)

    def _mended(self, wp: dict[str, float], p_sets: NameSets, weights: dict[str, float],
                c_sets: NameSets) -> tuple[dict[str, float], dict[str, float]]:
        """Copies of the two passages' weights, their names mended (:mod:`.names`;
        names standing as words only where their sets say it can change something)."""
        wp, wc = dict(wp), dict(weights)
        if not words_untouched(p_sets, wp, c_sets, wc):
            for a, b in ((wp, wc), (wc, wp)):
                names_as_words(a, b, self._name_stems)
        for a, b in ((wp, wc), (wc, wp)):
            contained(a, b, self._inner_runs, self._long_names)
        return wp, wc

    def _source_sets(self, wp: dict[str, float]) -> tuple[NameSets, float]:
        """The source passage's name sets (as frozensets) and squared weights, once a call."""
        if self._source is None or self._source[0] is not wp:
            firsts, runs, names = name_sets(wp, self._name_stems)
            self._source = (wp, ((firsts, frozenset(runs), frozenset(names)), _square(wp)))
        return self._source[1]

    def _doc_sets(self, cand, weights: dict[str, float]) -> tuple[NameSets, float]:
        """A candidate passage's name sets and squared weights (kept with its weights)."""
        key = (cand["article"], cand["n"])
        found = self._doc_names.get(key)
        if found is None:
            found = self._doc_names[key] = (name_sets(weights, self._name_stems), _square(weights))
            _trim(self._doc_names, DOC_CACHE)
        return found

    def _explain(self, r: Related, share: tuple[set[str], dict[str, float]], mentions, reader,
                 n_docs: int) -> Related:
        """The reasons as shown (``share``: the signals shared and the source's weights,
        ``mentions``: the source's :func:`~.reasons.mention_words`): the shared entities and
        words, the rarest first; no generic word, no word of a shared name; names for ids."""
        shared, wp = share
        entities = sorted((k[2:] for k in shared if k.startswith("e:")), key=lambda e: -wp["e:" + e])
        terms = sorted((k[2:] for k in shared if k.startswith("t:")), key=lambda t: -wp["t:" + t])
        forms = {form for e in entities for form in self._forms_of(e)}
        own = words_of_names(mentions, forms)
        terms = [t for t in terms
                 if t not in own and not is_generic(t, self._idf(reader, "text", t, n_docs), n_docs)]
        return replace(r, title=self.lib.title(r.article), shared_entities=entities,
                       shared_terms=_surface(r.text, terms), shared_names=[self.name_of(e) for e in entities])

    def _forms_of(self, entity_id: str) -> set[str]:
        """The indexed forms (normalised, as in a passage's spans) of an entity."""
        found = self._forms.get(entity_id)
        if found is None:
            if self.lib.resolution.entity(entity_id) is None:
                found = {entity_id.replace("_", " ")}
            else:
                found = {ents.normalise_name(f) for f in self.lib.resolution.forms(entity_id)}
            self._forms[entity_id] = found
        return found


def _story_candidates(per_mate: list[list[int]], shares: np.ndarray, reader) -> list[int]:
    """The story's passages read (besides the ones found, read anyway): each
    report's best by the weight they share with the source for their size (none
    sharing nothing), :data:`STORY_PASSAGES` shared out between the reports but
    at least :data:`PER_MATE` each. A small story's are all read."""
    each = max(PER_MATE, STORY_PASSAGES // max(1, len(per_mate)))
    out = []
    for docs in per_mate:
        sharing = [d for d in docs if shares[d] > 0]
        if len(sharing) > each:
            sharing = sorted(sharing, key=lambda d: (-shares[d] / _size(reader, d), d))[:each]
        out.extend(sharing)
    return out


def _size(reader, docnum: int) -> float:
    """Square root of a passage's words and entities (the index's field lengths)."""
    return math.sqrt(1 + (reader.doc_field_length(docnum, "text") or 0) + (reader.doc_field_length(docnum, "ent") or 0))


def _spread(scored: list[Related], likeness: dict[str, float], floor: float, places: int) -> list[Related]:
    """The passages best first, the story's reports (``likeness`` 1: the same story,
    or as alike) before the others, and the later places spread over the reports.

    The first :data:`FREE_PLACES` places go to the closest passages whatever
    their report: the partner of a passage is often its report's second- or
    fourth-best passage, within a few thousandths of another report's best
    (damping a report's further passages there lost such partners, on the
    bundled corpus and the dev set). Each later place, up to ``places``, goes to
    the best passage that is either of a report not listed yet (of the story, or
    at least ``floor`` alike) or links differently from its report's listed
    passages (the shared signal adding most to its similarity is one none of
    them shares); and a listed report's passage gives way even then to the best
    unlisted article from outside the story at least ``floor`` alike. The rest
    follow in order. So a list names more of the reports: the articles a
    reader (or an article-level ranking) can reach through it."""
    order = sorted(scored, key=lambda r: (likeness.get(r.article, 0.0) < 1.0, -r.score, r.article, r.passage))
    out, rest = order[:FREE_PLACES], order[FREE_PLACES:]
    shown: dict[str, set[str]] = {}
    for r in out:
        shown.setdefault(r.article, set()).update(r.links)
    while rest and len(out) < places:
        i = next((i for i, r in enumerate(rest) if _takes_place(r, shown, likeness, floor)), None)
        if i is None:
            break
        if rest[i].article in shown:
            i = next((j for j, r in enumerate(rest)
                      if r.article not in shown and floor <= likeness.get(r.article, 0.0) < 1.0), i)
        r = rest.pop(i)
        out.append(r)
        shown.setdefault(r.article, set()).update(r.links)
    return out + rest


def _takes_place(r: Related, shown: dict[str, set[str]], likeness: dict[str, float], floor: float) -> bool:
    """Whether ``r`` may take a later place (:func:`_spread`): a report not listed
    yet and alike enough, or a listed one's passage with a link of its own."""
    listed = shown.get(r.article)
    if listed is None:
        return likeness.get(r.article, 0.0) >= floor
    return bool(r.links) and r.links[0] not in listed


def _surface(text: str, stems: list[str]) -> list[str]:
    """The words of ``text`` that the stems came from (for showing the reasons)."""
    found = surfaces(text, stems)
    return [found.get(t, t) for t in stems]


def _products(shared: set[str], wp: dict[str, float], wc: dict[str, float]) -> dict[str, float]:
    """Each shared signal's two weights multiplied, in the order of ``shared`` (read
    by both :func:`_similarity` and :func:`_links`)."""
    return {k: wp[k] * wc[k] for k in shared}


def _similarity(products: dict[str, float], wp: dict[str, float], wc: dict[str, float],
                squares: tuple[float, float] | None = None) -> float:
    """Cosine of two weighted signal sets, 0-1, from their shared signals'
    :func:`_products`: rare signals shared count most (``squares``: their sums of
    squared weights, when known)."""
    dot = sum(products.values())
    if squares is None:
        squares = (_square(wp), _square(wc))
    norm = math.sqrt(squares[0] * squares[1])
    return dot / norm if norm else 0.0


def _links(products: dict[str, float]) -> tuple[str, ...]:
    """:attr:`Related.links` from the shared signals' :func:`_products`: the signal
    adding most to the similarity (of two adding as much, the first in key order),
    then the others in no order (:func:`_spread` reads the first and the set;
    sorting them all was a few hundred thousand key calls a second at 100,000 articles)."""
    if not products:
        return ()
    most = max(products.values())
    top = min(k for k, v in products.items() if v == most)
    return (top, *(k for k in products if k != top))


def _square(w: dict[str, float]) -> float:
    """The sum of squared weights."""
    values = w.values()
    return sum(map(mul, values, values))


def _held(cache: dict, keys, read) -> dict:
    """``read(missing keys)`` (a dict, leaving out what it does not hold) through
    ``cache`` (which keeps None for what ``read`` left out, up to :data:`ARTICLE_CACHE`)."""
    keys = list(dict.fromkeys(keys))
    missing = [k for k in keys if k not in cache]
    if missing:
        found = read(missing)
        cache.update((k, found.get(k)) for k in missing)
    out = {k: cache[k] for k in keys if cache[k] is not None}
    _trim(cache, ARTICLE_CACHE)
    return out


def _distinct(runs: list[np.ndarray]) -> np.ndarray:
    """The numbers of these ascending runs of distinct numbers, ascending, each once
    (a stable sort merges the runs: several times quicker than ``np.unique``'s hashing)."""
    if not runs:
        return np.zeros(0, dtype=np.int64)
    every = np.sort(np.concatenate(runs), kind="stable")
    if len(every) < 2:
        return every
    keep = np.empty(len(every), dtype=bool)
    keep[0] = True
    np.not_equal(every[1:], every[:-1], out=keep[1:])
    return every[keep]


def _trim(cache: dict, size: int) -> None:
    """Drop the oldest entries of ``cache`` beyond ``size`` (a few at each call: the
    cost of freeing them is spread over the calls, never one long pause)."""
    over = len(cache) - size
    if over > 0:
        for k in list(islice(cache, over)):
            del cache[k]


def _stems(name: str) -> tuple[str, ...]:
    """A name's stems, as the analyzer gives them (stop words left out)."""
    return content_forms(name)


def _words(sig: Signals) -> list[str]:
    """The words whose rarity a passage's weights take: its terms and its pairs' words."""
    return [*sig.terms, *chain.from_iterable(sig.pairs)]


def _spans(doc) -> list[tuple[int, int, str]]:
    return [tuple(x) for x in json.loads(doc.get("spans") or "[]")]


def _fold_reposts(ranked: list[Related], source_text: str, limit: int) -> list[Related]:
    """The ``limit`` best entries, passages with near-identical text folded
    into the best-ranked one; each entry's figures checked against the source."""
    out: list[Related] = []
    sizes: list[tuple[int, float]] = []  # each kept text's length and REPOST_LENGTH share of it
    ratio = fuzz.ratio
    for r in ranked:
        text, n = r.text, len(r.text)
        for i, (size, near) in enumerate(sizes):
            if abs(size - n) < near and ratio(out[i].text, text, score_cutoff=REPOST_SIMILARITY):
                out[i] = replace(out[i], reposts=out[i].reposts + [(r.article, r.passage)])
                break
        else:
            if len(out) < limit:
                out.append(r)
                sizes.append((n, REPOST_LENGTH * max(n, 1)))
    if not out:
        return out
    source = figures(source_text)
    return [replace(r, disagreement=differing(source, figures(r.text))) for r in out]
