"""A story as placing needs it (centroid, vector, dates, outlets), kept in memory while the book changes.

Placing an article reads the summaries of its candidate stories and changes
one; :class:`Summaries` keeps the most recently used ones decoded (the
vector's norms computed once, the centroid unpacked only when the story
changes) and writes a changed one back to the ``stories`` table when it is
evicted or the update commits, not at every placement. The inverted index
of the stories' keys (the ``keys`` table) is written at once, since the
next article's candidates are found through it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reader.core.stories.profile import norms, pack_counts, unpack_counts

STORY_CACHE = 2000
"""Story summaries kept decoded in memory (the stories a stream of news is adding to)."""
STORY_KEYS = 40
"""Keys of a story listed in the inverted index."""

_COLUMNS = "id, size, first, last, first_day, last_day, sites, title, title_article, centroid, vector"


@dataclass
class Summary:
    """One story's row, decoded."""

    id: int
    size: int = 0
    first: str | None = None
    last: str | None = None
    first_day: int | None = None
    last_day: int | None = None
    sites: set[str] = field(default_factory=set)
    title: str = ""
    title_article: str | None = None
    vector: dict[str, float] = field(default_factory=dict)
    """Its heaviest keys weighted by rarity (what a new article is compared with)."""
    norms: tuple[float, float] = (0.0, 0.0)
    keys: tuple[str, ...] = ()
    """Its keys listed in the inverted index."""
    packed: bytes | None = None
    """The centroid as stored, until :meth:`centroid` decodes it."""
    _centroid: dict[str, float] | None = None

    def centroid(self) -> dict[str, float]:
        """The sum of its members' counts (decoded once, then changed in place)."""
        if self._centroid is None:
            self._centroid = unpack_counts(self.packed) if self.packed else {}
            self.packed = None
        return self._centroid

    def set_vector(self, vec: dict[str, float]) -> None:
        self.vector = {k: round(v, 4) for k, v in vec.items()}
        self.norms = norms(self.vector)


def top_keys(vec: dict[str, float], n: int = STORY_KEYS) -> tuple[str, ...]:
    """The ``n`` heaviest keys of a vector, heaviest first."""
    return tuple(k for k, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _decode(row) -> Summary:
    vec = json.loads(row[10] or "{}")
    return Summary(row[0], row[1] or 0, row[2], row[3], row[4], row[5], set(json.loads(row[6] or "[]")),
                   row[7] or "", row[8], vec, norms(vec), top_keys(vec), row[9])


class Summaries:
    """The stories' summaries of one book, read through a cache, written back on commit."""

    def __init__(self, db: Callable[[], sqlite3.Connection], size: int = STORY_CACHE):
        self._db = db
        self._size = size
        self._cache: OrderedDict[int, Summary] = OrderedDict()
        self._dirty: set[int] = set()

    def forget(self) -> None:
        """Drop what was read (after a rollback, or when another process may have written)."""
        self._cache.clear()
        self._dirty.clear()

    def get(self, ids: Iterable[int]) -> dict[int, Summary]:
        """The summaries of those of ``ids`` that exist."""
        out: dict[int, Summary] = {}
        missing = []
        for i in ids:
            s = self._cache.get(i)
            if s is None:
                missing.append(i)
            else:
                self._cache.move_to_end(i)
                out[i] = s
        for j in range(0, len(missing), 500):
            chunk = missing[j:j + 500]
            for row in self._db().execute(
                    f"SELECT {_COLUMNS} FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[row[0]] = self._keep(_decode(row))
        return out

    def one(self, story: int) -> Summary | None:
        return self.get([story]).get(story)

    def new(self) -> Summary:
        """A new, empty story (its row made at once: its id is its number)."""
        sid = self._db().execute("INSERT INTO stories (size, centroid) VALUES (0, ?)", (pack_counts({}),)).lastrowid
        s = Summary(sid, _centroid={})
        return self._keep(s)

    def changed(self, s: Summary, keys: tuple[str, ...]) -> None:
        """Mark a summary changed (written back later); its inverted-index keys are written now."""
        self._keep(s)  # it may have left the cache since it was read
        self._dirty.add(s.id)
        if keys != s.keys:
            db = self._db()
            old, new = set(s.keys), set(keys)
            db.executemany("DELETE FROM keys WHERE key=? AND story=?", [(k, s.id) for k in old - new])
            db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", [(k, s.id) for k in new - old])
            s.keys = keys

    def drop(self, story: int) -> None:
        """A story left empty: its rows go."""
        db = self._db()
        db.execute("DELETE FROM stories WHERE id=?", (story,))
        db.execute("DELETE FROM keys WHERE story=?", (story,))
        self._cache.pop(story, None)
        self._dirty.discard(story)

    def flush(self) -> None:
        """Write every changed summary back (before the commit)."""
        for sid in list(self._dirty):
            if (s := self._cache.get(sid)) is not None:
                self._write(s)
        self._dirty.clear()

    def _keep(self, s: Summary) -> Summary:
        self._cache[s.id] = s
        self._cache.move_to_end(s.id)
        while len(self._cache) > self._size:
            sid, old = self._cache.popitem(last=False)
            if sid in self._dirty:
                self._write(old)
                self._dirty.discard(sid)
        return s

    def _write(self, s: Summary) -> None:
        centroid = pack_counts(s._centroid) if s._centroid is not None else s.packed
        self._db().execute(
            "UPDATE stories SET title=?, title_article=?, size=?, first=?, last=?, first_day=?, last_day=?, "
            "sites=?, centroid=?, vector=? WHERE id=?",
            (s.title, s.title_article, s.size, s.first, s.last, s.first_day, s.last_day,
             json.dumps(sorted(s.sites)), centroid, json.dumps(s.vector), s.id))
