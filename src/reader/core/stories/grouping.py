"""Placing one article in its story, and taking one out (the book's changes).

An article is compared with the stories that share its rarest keys (through
the ``keys`` table: an inverted index, each key's postings read newest story
first and cut at :data:`POSTINGS`, so the cost does not grow with the number
of stories); the most similar one takes it if the similarity reaches
:data:`JOIN_AT`, else it starts a story. Similarity, after Miranda et al.
(EMNLP 2018): the TF-IDF cosine of the words and that of the names against the
story's centroid, combined, then damped by the days between the article and
the story's dates (two earthquakes a year apart are two stories, however
alike their words). A story's centroid is bounded (:data:`CENTROID_KEYS`)
and changed in place as members come and go (see :mod:`.summary`).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from reader.core.stories.profile import Profile, cosines, day_number, idf_of, norms, pack_counts, unpack_counts
from reader.core.stories.summary import Summaries, Summary, top_keys

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
POSTINGS = 200
"""Stories read per looked-up key, newest first (a common key's list is cut, a rare one's is whole)."""
CANDIDATES = 30
"""Stories compared with a new article (those sharing most of its heaviest keys)."""
STORY_VECTOR = 200
"""Heaviest keys of a story's centroid kept for comparisons."""
CENTROID_KEYS = 600
"""Keys of a story's centroid kept (the heaviest by rarity): a large story's centroid stays bounded."""
ARTICLE_KEYS = 60
"""Heaviest keys of an article kept for comparing two articles (cross-references)."""
CENTRAL_FULL = 12
"""Up to this size a story's title is chosen again among all its members at each change."""


class Placer:
    """The place/remove steps, run inside the book's transaction."""

    def __init__(self, book: StoryBook):
        self.book = book
        self.summaries = Summaries(lambda: self.book.db)
        self._df: dict[str, int] = {}
        """Document frequencies read so far in this update (kept in step with the table)."""
        self._members: int | None = None
        self._seq: int | None = None

    def forget(self) -> None:
        """Drop what was read of the tables (another process may have changed them)."""
        self._df, self._members, self._seq = {}, None, None
        self.summaries.forget()

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
        self._seq += 1
        return self._seq

    def _idf(self, keys) -> dict[str, float]:
        keys = list(keys)
        n = self._n_articles() + 1
        missing = [k for k in keys if k not in self._df]
        for i in range(0, len(missing), 900):
            chunk = missing[i:i + 900]
            self._df.update(dict.fromkeys(chunk, 0))
            self._df.update(self.db.execute(
                f"SELECT key, n FROM df WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        df = self._df
        return {k: idf_of(n, df[k]) for k in keys}

    def count(self, p: Profile, step: int) -> None:
        """Count an article in (1) or out (-1) of the book: the rarities and the number of articles."""
        keys = list(p.counts)
        self._idf(keys)  # known before they change
        for k in keys:
            self._df[k] += step
        self.db.executemany("INSERT INTO df VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET n = n + ?",
                            [(k, max(step, 0), step) for k in keys])
        gone = [k for k in keys if self._df[k] <= 0]
        for i in range(0, len(gone), 900):
            chunk = gone[i:i + 900]
            self.db.execute(f"DELETE FROM df WHERE key IN ({','.join('?' * len(chunk))})", chunk)
        self._n_articles()
        self._members += step

    # -- similarity ---------------------------------------------------------------
    @staticmethod
    def combine(words: float, names: float, has_names: bool, time: float) -> float:
        """Words and names combined (names only when both sides have some), times the time factor."""
        sim = (1 - NAME_SHARE) * words + NAME_SHARE * names if has_names else words
        return sim * time

    @staticmethod
    def time_factor(day: int | None, first: int | None, last: int | None) -> float:
        """1 within the story's dates, halved :data:`DAYS_HALF` days away; 1 when either is undated."""
        if day is None or first is None:
            return 1.0
        gap = max(first - day, day - (last if last is not None else first), 0)
        return 1.0 / (1.0 + gap / DAYS_HALF)

    # -- place ----------------------------------------------------------------------
    def place(self, p: Profile, stamp: str | None = None) -> int:
        """Put a profile already :meth:`count`-ed in its story (the most similar
        candidate, else a new one); returns the story number."""
        idf = self._idf(p.counts)
        vec = {k: v for k, c in p.counts.items() if (v := c * idf[k]) > 0}
        day = day_number(p.date)
        best, best_sim = None, 0.0
        own = norms(vec)
        for s in self._candidates(vec):
            time = self.time_factor(day, s.first_day, s.last_day)
            if time < max(JOIN_AT, best_sim):  # a cosine is at most 1: this one cannot win
                continue
            sim = self.combine(*cosines(vec, s.vector, own, s.norms), bool(own[1] and s.norms[1]), time)
            if sim > best_sim:
                best, best_sim = s, sim
        if best is None or best_sim < JOIN_AT:
            best = self.summaries.new()
        short = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:ARTICLE_KEYS])
        self.db.execute("INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (p.article, best.id, p.date, day, p.site, p.title, pack_counts(p.counts),
                         json.dumps(short), self._next_seq(), stamp))
        self._joined(best, p, day)
        return best.id

    def _candidates(self, vec: dict[str, float]) -> list[Summary]:
        """The stories sharing most of the article's heaviest keys."""
        top = [k for k, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:QUERY_KEYS]]
        if not top:
            return []
        one = f"SELECT story FROM (SELECT story FROM keys WHERE key=? ORDER BY story DESC LIMIT {POSTINGS})"
        ids = [r[0] for r in self.db.execute(
            f"SELECT story FROM ({' UNION ALL '.join([one] * len(top))}) GROUP BY story "
            f"ORDER BY COUNT(*) DESC, story DESC LIMIT {CANDIDATES}", top)]
        found = self.summaries.get(ids)
        return [found[i] for i in ids if i in found]

    def _joined(self, s: Summary, p: Profile, day: int | None) -> None:
        """A story's summary after a new member (its row was just written)."""
        s.size += 1
        if p.date:
            s.first = min(s.first, p.date) if s.first else p.date
            s.last = max(s.last, p.date) if s.last else p.date
        if day is not None:
            s.first_day = min(s.first_day, day) if s.first_day is not None else day
            s.last_day = max(s.last_day, day) if s.last_day is not None else day
        if p.site:
            s.sites.add(p.site)
        centroid = s.centroid()
        for k, v in p.counts.items():
            centroid[k] = centroid.get(k, 0.0) + v
        self._summarise(s)

    # -- remove ---------------------------------------------------------------------
    def remove(self, article_id: str) -> int | None:
        """Take an article out of its story (a story left empty is deleted); returns the story's number."""
        row = self.db.execute("SELECT story, counts, title, date, site FROM members WHERE article=?",
                              (article_id,)).fetchone()
        if row is None:
            return None
        story, counts = row[0], unpack_counts(row[1])
        self.db.execute("DELETE FROM members WHERE article=?", (article_id,))
        self.count(Profile(article_id, row[2] or "", row[3], row[4], counts), -1)
        s = self.summaries.one(story)
        if s is None:
            return story
        size, first, last, first_day, last_day = self.db.execute(
            "SELECT COUNT(*), MIN(date), MAX(date), MIN(day), MAX(day) FROM members WHERE story=?",
            (story,)).fetchone()
        if size == 0:
            self.summaries.drop(story)
            return story
        s.size, s.first, s.last, s.first_day, s.last_day = size, first, last, first_day, last_day
        s.sites = {r[0] for r in self.db.execute(
            "SELECT DISTINCT site FROM members WHERE story=? AND site IS NOT NULL AND site != ''", (story,))}
        centroid = s.centroid()
        for k, v in counts.items():
            left = centroid.get(k, 0.0) - v
            if left > 1e-6:
                centroid[k] = left
            else:
                centroid.pop(k, None)
        self._summarise(s)
        return story

    # -- a story's summary ------------------------------------------------------------
    def _summarise(self, s: Summary) -> None:
        """A story's vector, keys and title again after its centroid changed (the
        centroid cut to its :data:`CENTROID_KEYS` heaviest keys)."""
        centroid = s.centroid()
        idf = self._idf(centroid)
        weights = sorted(((k, c * idf[k]) for k, c in centroid.items()), key=lambda kv: -kv[1])
        if len(weights) > CENTROID_KEYS:
            for k, _ in weights[CENTROID_KEYS:]:
                del centroid[k]
        s.set_vector({k: v for k, v in weights[:STORY_VECTOR] if v > 0})
        s.title, s.title_article = self._central(s)
        self.summaries.changed(s, top_keys(s.vector))

    def _central(self, s: Summary) -> tuple[str, str]:
        """The headline of the member most like the story's centroid (for a large
        story: the current title's holder or the newest member, whichever is closer)."""
        if s.size <= CENTRAL_FULL:
            rows = self.db.execute("SELECT article, title, vector FROM members WHERE story=?", (s.id,)).fetchall()
        else:
            rows = self.db.execute(
                "SELECT article, title, vector FROM members WHERE story=? AND (article=? OR seq = "
                "(SELECT MAX(seq) FROM members WHERE story=?))", (s.id, s.title_article, s.id)).fetchall()
        best = max(rows, key=lambda r: (_score(json.loads(r[2]), s.vector), r[0]))
        return best[1] or "", best[0]


def _score(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
