"""Placing one article in its story, and taking one out (the book's changes).

An article is compared with the stories that share its rarest keys (through
the ``keys`` table: an inverted index, each key's postings read newest story
first and cut at :data:`~.summary.POSTINGS`, so the cost does not grow with the number
of stories); the most similar one takes it if the similarity reaches
:data:`JOIN_AT`, else it starts a story. Similarity, after Miranda et al.
(EMNLP 2018): the TF-IDF cosine of the words and that of the names against the
story's centroid, combined, then damped by the days between the article and
the story's dates (two earthquakes a year apart are two stories, however
alike their words). A story's centroid is bounded (:data:`CENTROID_KEYS`)
and changed in place as members come and go (see :mod:`.summary`).

Within one update the rarities, the inverted index and the new members' rows
are kept in memory and written at its end (:meth:`Placer.flush`); a story's
title is chosen then too, once, not at every change.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from reader.core.stories.postings import Rarities
from reader.core.stories.profile import Profile, day_number, pack_counts, unpack_counts
from reader.core.stories.summary import STORY_KEYS, Summaries, Summary
from reader.core.stories.vectors import Scorer, Vocab, make_vector, merge, pack_hashed, unpack_hashed

if TYPE_CHECKING:
    from reader.core.stories.book import StoryBook

JOIN_AT = 0.30
"""Similarity from which an article joins a story rather than starting its own."""
NAME_SHARE = 0.4
"""Share of the names' cosine in the similarity (the words have the rest)."""
DAYS_HALF = 4.0
"""Days apart at which the similarity is halved (the next week's event of the same kind is another)."""
QUERY_KEYS = 25
"""Heaviest keys of a new article looked up in the inverted index."""
CANDIDATES = 30
"""Stories compared with a new article (those sharing most of its heaviest keys)."""
STORY_VECTOR = 200
"""Heaviest keys of a story's centroid kept for comparisons."""
CENTROID_KEYS = 600
"""Keys of a story's centroid kept (the heaviest by rarity): a large story's centroid stays bounded."""
ARTICLE_KEYS = 60
"""Heaviest keys of an article kept for comparing two articles (cross-references)."""
MEMBER_BATCH = 2000
"""New members' rows kept before they are written (memory stays flat in a large update)."""
CENTRAL_FULL = 12
"""Up to this size a story's title is chosen again among all its members at each change."""


class Placer:
    """The place/remove steps, run inside the book's transaction."""

    def __init__(self, book: StoryBook):
        self.book = book
        self.vocab = Vocab()
        """Key numbers (kept while the book is open: they are not stored)."""
        self.scorer = Scorer(self.vocab)
        self.summaries = Summaries(lambda: self.book.db, self.vocab)
        self.rarities = Rarities(lambda: self.book.db, self.vocab)
        self._members: int | None = None
        self._seq: int | None = None
        self._first_seq: int | None = None
        """The last sequence number before this update (its new members come after)."""
        self._rows: dict[str, tuple] = {}
        """Members placed in this update, not written yet: article -> its ``members`` row."""
        self._retitle: set[int] = set()
        """Stories whose title is chosen again at the flush."""

    def forget(self) -> None:
        """Drop what was read of the tables (another process may have changed them)."""
        self._members, self._seq, self._first_seq = None, None, None
        self._rows.clear()
        self._retitle.clear()
        self.rarities.forget()
        self.summaries.forget()

    def start(self) -> None:
        """Begin an update: a book that holds nothing needs no reads of its tables."""
        self.forget()
        if self._n_articles() == 0 and self.db.execute("SELECT 1 FROM df LIMIT 1").fetchone() is None:
            self.rarities.empty = True
            if self.db.execute("SELECT 1 FROM keys LIMIT 1").fetchone() is None:
                self.summaries.postings.empty = True

    @property
    def db(self):
        return self.book.db

    # -- rarity -----------------------------------------------------------------
    def _n_articles(self) -> int:
        if self._members is None:
            self._members = self.book.count()
        return self._members

    def counted(self) -> int | None:
        """How many articles the book holds after this update's changes (None when none was made)."""
        return self._members

    def _next_seq(self) -> int:
        if self._seq is None:
            self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM members").fetchone()[0]
            self._first_seq = self._seq
        self._seq += 1
        return self._seq

    def _idf(self, ids: np.ndarray) -> np.ndarray:
        return self.rarities.idf(ids, self._n_articles())

    def count(self, p: Profile, step: int) -> None:
        """Count an article in (1) or out (-1) of the book: the rarities and the number of articles."""
        self.rarities.count(p.counts, step)
        self._n_articles()
        self._members += step

    # -- similarity ---------------------------------------------------------------
    @staticmethod
    def combine(words: float, names: float, has_names: bool, time: float) -> float:
        """Words and names combined (names only when both sides have some), times the time factor."""
        sim = (1 - NAME_SHARE) * words + NAME_SHARE * names if has_names else words
        return sim * time

    @staticmethod
    def combined(words: np.ndarray, names: np.ndarray, has_names: np.ndarray) -> np.ndarray:
        """:meth:`combine` of many at once (the time factor apart)."""
        return np.where(has_names, (1 - NAME_SHARE) * words + NAME_SHARE * names, words)

    @staticmethod
    def time_factor(day: int | None, first: int | None, last: int | None) -> float:
        """1 within the story's dates, halved :data:`DAYS_HALF` days away; 1 when either is undated."""
        if day is None or first is None:
            return 1.0
        gap = max(first - day, day - (last if last is not None else first), 0)
        return 1.0 / (1.0 + gap / DAYS_HALF)

    # -- place ----------------------------------------------------------------------
    def place(self, p: Profile, stamp: str | None = None, packed: bytes | None = None) -> int:
        """Put a profile already :meth:`count`-ed in its story (the most similar
        candidate, else a new one); returns the story number. ``packed``: its
        counts as :func:`pack_counts` gives them, when already made."""
        ids = self.vocab.ids(p.counts)
        counts = np.fromiter(p.counts.values(), float, len(ids))
        weights = counts * self._idf(ids)
        order = np.argsort(-weights, kind="stable")
        own = make_vector(self.vocab, ids[order], weights[order])
        day = day_number(p.date)
        keys = self.vocab.keys
        best = None
        found = self._candidates([keys[i] for i in own.ids[:QUERY_KEYS].tolist()], day)
        if found:
            words, names = self.scorer.cosines(own, [s.vector for s in found])
            both = np.array([bool(own.norms[1] and s.vector.norms[1]) for s in found])
            times = np.array([self.time_factor(day, s.first_day, s.last_day) for s in found])
            sims = self.combined(words, names, both) * times
            i = int(np.argmax(sims))  # the first of equals: the one sharing most keys
            if sims[i] >= JOIN_AT:
                best = found[i]
        if best is None:
            best = self.summaries.new()
        self._rows[p.article] = (p.article, best.id, p.date, day, p.site, p.title,
                                 packed if packed is not None else pack_counts(p.counts),
                                 pack_hashed(self.vocab, own.ids[:ARTICLE_KEYS], own.values[:ARTICLE_KEYS]),
                                 self._next_seq(), stamp)
        if len(self._rows) >= MEMBER_BATCH:
            self.write_members()
        self._joined(best, p, day, ids, counts)
        return best.id

    def _candidates(self, top: list[str], day: int | None) -> list[Summary]:
        """The stories sharing most of the article's heaviest keys (those too far
        in time to reach :data:`JOIN_AT` left out before they are read)."""
        if not top:
            return []
        ids = self.summaries.postings.candidates(top, CANDIDATES)
        if day is not None:
            spans = self.summaries.peek(ids)
            ids = [i for i in ids if i in spans and self.time_factor(day, *spans[i][1:]) >= JOIN_AT]
        found = self.summaries.get(ids)
        return [found[i] for i in ids if i in found]

    def _joined(self, s: Summary, p: Profile, day: int | None, ids: np.ndarray, counts: np.ndarray) -> None:
        """A story's summary after a new member (its keys' numbers and counts)."""
        s.size += 1
        if p.date:
            s.first = min(s.first, p.date) if s.first else p.date
            s.last = max(s.last, p.date) if s.last else p.date
        if day is not None:
            s.first_day = min(s.first_day, day) if s.first_day is not None else day
            s.last_day = max(s.last_day, day) if s.last_day is not None else day
        if p.site:
            s.sites.add(p.site)
        s.cent = merge(*s.centroid(self.vocab), ids, counts)
        self._summarise(s)

    # -- remove ---------------------------------------------------------------------
    def write_members(self) -> None:
        """Write the members placed so far (before their table is read)."""
        if self._rows:
            self.db.executemany("INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                list(self._rows.values()))
            self._rows.clear()

    def remove(self, article_id: str, uncount: bool = True) -> int | None:
        """Take an article out of its story (a story left empty is deleted); returns
        the story's number. ``uncount=False``: it stays counted (it is placed again at once)."""
        row = self._rows.pop(article_id, None)
        if row is not None:
            story, title, date, site, counts = row[1], row[5], row[2], row[4], row[6]
        else:
            row = self.db.execute("SELECT story, counts, title, date, site FROM members WHERE article=?",
                                  (article_id,)).fetchone()
            if row is None:
                return None
            story, counts, title, date, site = row
            self.db.execute("DELETE FROM members WHERE article=?", (article_id,))
        counts = unpack_counts(counts)
        if uncount:
            self.count(Profile(article_id, title or "", date, site, counts), -1)
        s = self.summaries.one(story)
        if s is None:
            return story
        if s.size <= 1:  # its last member: nothing to read
            self.summaries.drop(s)
            self._retitle.discard(story)
            return story
        self.write_members()
        size, first, last, first_day, last_day = self.db.execute(
            "SELECT COUNT(*), MIN(date), MAX(date), MIN(day), MAX(day) FROM members WHERE story=?",
            (story,)).fetchone()
        if size == 0:
            self.summaries.drop(s)
            self._retitle.discard(story)
            return story
        s.size, s.first, s.last, s.first_day, s.last_day = size, first, last, first_day, last_day
        s.sites = {r[0] for r in self.db.execute(
            "SELECT DISTINCT site FROM members WHERE story=? AND site IS NOT NULL AND site != ''", (story,))}
        left_ids, left = merge(*s.centroid(self.vocab), self.vocab.ids(counts),
                               np.fromiter(counts.values(), float, len(counts)), -1.0)
        kept = left > 1e-6
        s.cent = (left_ids[kept], left[kept])
        self._summarise(s)
        return story

    # -- a story's summary ------------------------------------------------------------
    def _summarise(self, s: Summary) -> None:
        """A story's vector and keys again after its centroid changed (the centroid
        cut to its :data:`CENTROID_KEYS` heaviest keys); its title at the flush."""
        ids, counts = s.centroid(self.vocab)
        weights = counts * self._idf(ids)
        order = np.argsort(-weights, kind="stable")
        if len(order) > CENTROID_KEYS:
            keep = np.sort(order[:CENTROID_KEYS])
            ids, counts, weights = ids[keep], counts[keep], weights[keep]
            s.cent = (ids, counts)
            order = np.argsort(-weights, kind="stable")
        top = order[:STORY_VECTOR]
        top = top[weights[top] > 0]
        s.vector = make_vector(self.vocab, ids[top], weights[top])
        self._retitle.add(s.id)
        keys = self.vocab.keys
        self.summaries.changed(s, tuple(keys[i] for i in s.vector.ids[:STORY_KEYS].tolist()))

    def flush(self) -> None:
        """Write what this update changed: members, titles, summaries, the inverted index, rarities."""
        self.write_members()
        for sid in sorted(self._retitle):
            if (s := self.summaries.one(sid)) is not None:
                title = self._central(s)
                if title != (s.title, s.title_article):
                    s.title, s.title_article = title
                    self.summaries.changed(s, s.keys)
        self._retitle.clear()
        self.summaries.flush()
        self.rarities.flush()

    def _central(self, s: Summary) -> tuple[str, str]:
        """The headline of the member most like the story's centroid (for a large
        story: among the current title's holder and the members this update placed)."""
        if s.size <= CENTRAL_FULL or self._first_seq is None:
            rows = self.db.execute("SELECT article, title, vector FROM members WHERE story=?", (s.id,)).fetchall()
        else:
            rows = self.db.execute(
                "SELECT article, title, vector FROM members WHERE story=? AND (article=? OR seq > ?)",
                (s.id, s.title_article, self._first_seq)).fetchall()
        if not rows:
            return s.title, s.title_article
        vector = dict(zip(self.vocab.hashes(s.vector.ids).tolist(), s.vector.values.tolist()))
        best = max(rows, key=lambda r: (_score(_hashed_dict(r[2]), vector), r[0]))
        return best[1] or "", best[0]


def _hashed_dict(blob: bytes) -> dict[int, float]:
    """A member's stored vector (:func:`~.vectors.pack_hashed`) as hash -> weight."""
    hashes, values = unpack_hashed(blob)
    return dict(zip(hashes.tolist(), values.tolist()))


def _score(a: dict[int, float], b: dict[int, float]) -> float:
    """Plain cosine of a member's vector and its story's (words and names together)."""
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.hypot(*a.values()) * math.hypot(*b.values())
    return dot / norm if norm else 0.0
