"""A story as placing needs it (centroid, vector, dates, outlets), kept in memory while the book changes.

Placing an article reads the summaries of its candidate stories and changes
one; :class:`Summaries` keeps the most recently used ones decoded (as arrays
of key numbers and weights, see :mod:`.vectors`: a few kilobytes each, the
centroid unpacked only when the story changes) and writes a changed one back to the ``stories`` table when it is
evicted or the update commits, not at every placement. A new story's number
is taken in memory, its row written with the others. The inverted index of
the stories' keys (:class:`~reader.core.stories.postings.Postings`) is kept
in step in memory and written at the commit.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from reader.core.stories.postings import Postings
from reader.core.stories.profile import pack_counts, unpack_counts
from reader.core.stories.vectors import EMPTY, INT, Vector, Vocab, vector_of

STORY_CACHE = 10000
"""Story summaries kept decoded in memory (the stories a stream of news is adding to)."""
STORY_KEYS = 40
"""Keys of a story listed in the inverted index."""
POSTINGS = 200
"""Stories read per looked-up key, newest first (a common key's list is cut, a rare one's is whole)."""

_COLUMNS = "id, size, first, last, first_day, last_day, sites, title, title_article, centroid, vector, top"


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
    vector: Vector = EMPTY
    """Its heaviest keys weighted by rarity, heaviest first (what a new article is compared with)."""
    keys: tuple[str, ...] = ()
    """Its keys listed in the inverted index (its vector's heaviest)."""
    packed: bytes | None = None
    """The centroid as stored, until :meth:`centroid` decodes it."""
    cent: tuple[np.ndarray, np.ndarray] | None = None
    """The centroid decoded: key numbers (ascending), the sums of their members' counts."""

    def centroid(self, vocab: Vocab) -> tuple[np.ndarray, np.ndarray]:
        """The sum of its members' counts (decoded once, then replaced as it changes)."""
        if self.cent is None:
            counts = unpack_counts(self.packed) if self.packed else {}
            ids = vocab.ids(counts)
            order = np.argsort(ids)
            self.cent = (ids[order], np.fromiter(counts.values(), float, len(counts))[order])
            self.packed = None
        return self.cent



def _decode(row, vocab: Vocab) -> Summary:
    vec = vector_of(vocab, unpack_counts(row[10])) if row[10] else EMPTY
    return Summary(row[0], row[1] or 0, row[2], row[3], row[4], row[5], set(json.loads(row[6] or "[]")),
                   row[7] or "", row[8], vec, tuple(row[11].split("\0")) if row[11] else (), row[9])


class Summaries:
    """The stories' summaries of one book, read through a cache, written back on commit."""

    def __init__(self, db: Callable[[], sqlite3.Connection], vocab: Vocab, size: int = STORY_CACHE):
        self._db = db
        self.vocab = vocab
        self._size = size
        self._cache: OrderedDict[int, Summary] = OrderedDict()
        self._dirty: set[int] = set()
        self._last_id: int | None = None
        self.postings = Postings(db, POSTINGS)
        """The inverted index of the stories' keys."""

    def forget(self) -> None:
        """Drop what was read (after a rollback, or when another process may have written)."""
        self._cache.clear()
        self._dirty.clear()
        self._last_id = None
        self.postings.forget()

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
        for row in self._rows(_COLUMNS, missing):
            out[row[0]] = self._keep(_decode(row, self.vocab))
        return out

    def peek(self, ids: Iterable[int]) -> dict[int, tuple[int, int | None, int | None]]:
        """Story number -> (size, first day, last day), for those of ``ids`` that
        exist, without decoding a summary not in the cache."""
        out: dict[int, tuple[int, int | None, int | None]] = {}
        missing = []
        for i in ids:
            s = self._cache.get(i)
            if s is None:
                missing.append(i)
            else:
                out[i] = (s.size, s.first_day, s.last_day)
        for sid, *rest in self._rows("id, size, first_day, last_day", missing):
            out[sid] = tuple(rest)
        return out

    def _rows(self, columns: str, ids: list[int]):
        """The stored rows of those stories, ``columns`` of each, read 500 ids at a time."""
        for j in range(0, len(ids), 500):
            chunk = ids[j:j + 500]
            yield from self._db().execute(
                f"SELECT {columns} FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    def one(self, story: int) -> Summary | None:
        return self.get([story]).get(story)

    def new(self) -> Summary:
        """A new, empty story (its number taken now, its row written with the others)."""
        if self._last_id is None:
            row = self._db().execute("SELECT seq FROM sqlite_sequence WHERE name='stories'").fetchone()
            self._last_id = row[0] if row else 0
        self._last_id += 1
        s = Summary(self._last_id, cent=(np.zeros(0, dtype=INT), np.zeros(0)))
        self._dirty.add(s.id)
        return self._keep(s)

    def changed(self, s: Summary, keys: tuple[str, ...]) -> None:
        """Mark a summary changed (written back later), and its keys in the inverted index."""
        self._keep(s)  # it may have left the cache since it was read
        self._dirty.add(s.id)
        if keys != s.keys:
            self.postings.change(s.id, s.keys, keys)
            s.keys = keys

    def drop(self, s: Summary) -> None:
        """A story left empty: its rows go."""
        self._db().execute("DELETE FROM stories WHERE id=?", (s.id,))
        self.postings.change(s.id, s.keys, ())
        self._cache.pop(s.id, None)
        self._dirty.discard(s.id)

    def flush(self) -> None:
        """Write every changed summary back, and the inverted index's changes (before the commit)."""
        for sid in sorted(self._dirty):
            if (s := self._cache.get(sid)) is not None:
                self._write(s)
        self._dirty.clear()
        self.postings.flush()

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
        to_dict = self.vocab.to_dict
        centroid = pack_counts(to_dict(*s.cent)) if s.cent is not None else s.packed
        self._db().execute(
            f"INSERT OR REPLACE INTO stories ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.id, s.size, s.first, s.last, s.first_day, s.last_day, json.dumps(sorted(s.sites)),
             s.title, s.title_article, centroid, pack_counts(to_dict(s.vector.ids, s.vector.values)),
             "\0".join(s.keys)))
