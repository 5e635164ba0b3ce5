"""Placing one article in its story, and taking one out (the book's changes).

An article is compared with the stories that share its rarest keys (through
the ``keys`` table: an inverted index, so the cost does not grow with the
number of stories); the most similar one takes it if the similarity reaches
:data:`JOIN_AT`, else it starts a story. Similarity, after Miranda et al.
(EMNLP 2018): the TF-IDF cosine of the words and that of the names against the
story's centroid, combined, then damped by the days between the article and
the story's dates (two earthquakes a year apart are two stories, however
alike their words).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from reader.core.stories.profile import (Profile, cosines, day_number, idf_of, norms, pack_counts,
                                         unpack_counts, weighted)

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
STORY_KEYS = 40
"""Keys of a story listed in the inverted index."""
STORY_VECTOR = 200
"""Heaviest keys of a story's centroid kept for comparisons."""
ARTICLE_KEYS = 60
"""Heaviest keys of an article kept for comparing two articles (cross-references)."""
CENTRAL_FULL = 12
"""Up to this size a story's title is chosen again among all its members at each change."""


class Placer:
    """The place/remove steps, run inside the book's transaction."""

    def __init__(self, book: StoryBook):
        self.book = book
        self._df: dict[str, int] = {}
        """Document frequencies read so far in this update (kept in step with the table)."""

        self._members: int | None = None
        self._seq: int | None = None

    def forget(self) -> None:
        """Drop what was read of the tables (another process may have changed them)."""
        self._df, self._members, self._seq = {}, None, None

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
        return {k: idf_of(n, self._df[k]) for k in keys}

    def _count_keys(self, keys, step: int) -> None:
        keys = list(keys)
        self._idf(keys)  # known before they change
        for k in keys:
            self._df[k] += step
        self.db.executemany("INSERT INTO df VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET n = n + ?",
                            [(k, max(step, 0), step) for k in keys])
        gone = [k for k in keys if self._df[k] <= 0]
        for i in range(0, len(gone), 900):
            chunk = gone[i:i + 900]
            self.db.execute(f"DELETE FROM df WHERE key IN ({','.join('?' * len(chunk))})", chunk)

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
    def place(self, p: Profile, stamp: str | None = None, fallback: int | None = None) -> int:
        """Put a profile in its story (the best candidate, else ``fallback`` if that
        story still exists, else a new one); returns the story number."""
        self._count_keys(p.counts, 1)
        idf = self._idf(p.counts)
        vec = weighted(p.counts, idf.__getitem__)
        day = day_number(p.date)
        best, best_sim = None, 0.0
        own = norms(vec)
        for story, first, last, svec in self._candidates(vec):
            theirs = norms(svec)
            sim = self.combine(*cosines(vec, svec, own, theirs), bool(own[1] and theirs[1]),
                               self.time_factor(day, first, last))
            if sim > best_sim:
                best, best_sim = story, sim
        if (best is None or best_sim < JOIN_AT) and fallback is not None and self.db.execute(
                "SELECT 1 FROM stories WHERE id=?", (fallback,)).fetchone():
            best, best_sim = fallback, JOIN_AT
        if best is None or best_sim < JOIN_AT:
            best = self.db.execute("INSERT INTO stories (size, centroid) VALUES (0, ?)",
                                   (pack_counts({}),)).lastrowid
        seq = self._next_seq()
        short = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:ARTICLE_KEYS])
        self._n_articles()
        self._members += 1
        self.db.execute("INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (p.article, best, p.date, day, p.site, p.title, pack_counts(p.counts),
                         json.dumps(short), seq, stamp))
        self._refresh(best, add=p.counts)
        return best

    def _candidates(self, vec: dict[str, float]):
        """(story, first day, last day, vector) of the stories sharing most of the article's heaviest keys."""
        top = [k for k, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:QUERY_KEYS]]
        if not top:
            return []
        marks = ",".join("?" * len(top))
        rows = self.db.execute(
            f"SELECT s.id, s.first_day, s.last_day, s.vector FROM stories s JOIN ("
            f"  SELECT story, COUNT(*) AS c FROM keys WHERE key IN ({marks}) GROUP BY story"
            f"  ORDER BY c DESC LIMIT {CANDIDATES}) k ON k.story = s.id", top).fetchall()
        return [(r[0], r[1], r[2], json.loads(r[3] or "{}")) for r in rows]

    # -- remove ---------------------------------------------------------------------
    def remove(self, article_id: str) -> int | None:
        """Take an article out of its story (a story left empty is deleted); returns the story's number."""
        row = self.db.execute("SELECT story, counts FROM members WHERE article=?", (article_id,)).fetchone()
        if row is None:
            return None
        story, counts = row[0], unpack_counts(row[1])
        self.db.execute("DELETE FROM members WHERE article=?", (article_id,))
        self._n_articles()
        self._members -= 1
        self._count_keys(counts, -1)
        self._refresh(story, remove=counts)
        return story

    # -- a story's summary ------------------------------------------------------------
    def _refresh(self, story: int, add: dict | None = None, remove: dict | None = None) -> None:
        """Update a story's centroid, vector, keys, title, dates and outlets after a change."""
        size, first, last, first_day, last_day = self.db.execute(
            "SELECT COUNT(*), MIN(date), MAX(date), MIN(day), MAX(day) FROM members WHERE story=?",
            (story,)).fetchone()
        if size == 0:
            self.db.execute("DELETE FROM stories WHERE id=?", (story,))
            self.db.execute("DELETE FROM keys WHERE story=?", (story,))
            return
        centroid = unpack_counts(self.db.execute("SELECT centroid FROM stories WHERE id=?", (story,)).fetchone()[0])
        for k, v in (add or {}).items():
            centroid[k] = centroid.get(k, 0.0) + v
        for k, v in (remove or {}).items():
            left = centroid.get(k, 0.0) - v
            if left > 1e-6:
                centroid[k] = left
            else:
                centroid.pop(k, None)
        idf = self._idf(centroid)
        vec = weighted(centroid, idf.__getitem__, keep=STORY_VECTOR)
        sites = sorted({s for (s,) in self.db.execute(
            "SELECT DISTINCT site FROM members WHERE story=? AND site IS NOT NULL AND site != ''", (story,))})
        title, title_article = self._central(story, vec, size)
        self.db.execute("UPDATE stories SET title=?, title_article=?, size=?, first=?, last=?, first_day=?, "
                        "last_day=?, sites=?, centroid=?, vector=? WHERE id=?",
                        (title, title_article, size, first, last, first_day, last_day, json.dumps(sites),
                         pack_counts(centroid), json.dumps({k: round(v, 4) for k, v in vec.items()}), story))
        self.db.execute("DELETE FROM keys WHERE story=?", (story,))
        keys = [k for k, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:STORY_KEYS]]
        self.db.executemany("INSERT INTO keys VALUES (?, ?)", [(k, story) for k in keys])

    def _central(self, story: int, vec: dict[str, float], size: int) -> tuple[str, str]:
        """The headline of the member most like the story's centroid (for a large
        story: the current title's holder or the newest member, whichever is closer)."""
        if size <= CENTRAL_FULL:
            rows = self.db.execute("SELECT article, title, vector FROM members WHERE story=?", (story,)).fetchall()
        else:
            rows = self.db.execute(
                "SELECT article, title, vector FROM members WHERE story=? AND (article = "
                "(SELECT title_article FROM stories WHERE id=?) OR seq = (SELECT MAX(seq) FROM members "
                "WHERE story=?))", (story, story, story)).fetchall()
        best = max(rows, key=lambda r: (_score(json.loads(r[2]), vec), r[0]))
        return best[1] or "", best[0]


def _score(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
