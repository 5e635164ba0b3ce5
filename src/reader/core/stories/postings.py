"""The book's running tallies, kept in memory during one update and written at its end.

:class:`Postings` is the inverted index from a story's heaviest keys to the
story (the ``keys`` table: how a new article's candidates are found), and
:class:`Rarities` the number of articles holding each key (the ``df`` table).
Each reads a key's row from its table the first time the update needs it,
then keeps it, with every change, in memory; :meth:`flush` writes the changes
in a few ``executemany`` calls before the update commits. Placing thousands of
articles thus costs no SQL round trip per article for either.
"""

from __future__ import annotations

import bisect
import heapq
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from operator import itemgetter

import numpy as np

from reader.core.stories.profile import idf_of
from reader.core.stories.vectors import Vocab

_HITS_THEN_NEWEST = itemgetter(1, 0)
CHUNK = 900
"""Keys per ``IN (...)`` query (under SQLite's default limit of 999 parameters)."""


class Postings:
    """Key -> the stories listing it, ascending (a story's number grows with its age).

    A key's list is read once per update, its ``newest`` stories only (all a
    search for candidates looks at); within the update it gains the stories
    that take the key and loses those that drop it, so a list that lost some
    may lack an older story until the next update reads it again."""

    def __init__(self, db: Callable[[], sqlite3.Connection], newest: int):
        self._db = db
        self.newest = newest
        self._lists: dict[str, list[int]] = {}
        self._added: set[tuple[str, int]] = set()
        self._dropped: set[tuple[str, int]] = set()
        self.empty = False
        """The table is known to be empty (a new book): nothing to read."""

    def forget(self) -> None:
        """Drop what was read and changed (after a rollback, or before an update)."""
        self._lists.clear()
        self._added.clear()
        self._dropped.clear()
        self.empty = False

    def _list(self, key: str) -> list[int]:
        lst = self._lists.get(key)
        if lst is None:
            lst = [] if self.empty else [r[0] for r in self._db().execute(
                "SELECT story FROM keys WHERE key=? ORDER BY story DESC LIMIT ?", (key, self.newest))][::-1]
            self._lists[key] = lst
        return lst

    def change(self, story: int, old: Iterable[str], new: Iterable[str]) -> None:
        """A story's listed keys went from ``old`` to ``new``."""
        old, new = set(old), set(new)
        for k in old - new:
            lst = self._list(k)
            i = bisect.bisect_left(lst, story)
            if i < len(lst) and lst[i] == story:
                del lst[i]
            if (k, story) in self._added:
                self._added.discard((k, story))
            else:
                self._dropped.add((k, story))
        for k in new - old:
            lst = self._list(k)
            if not lst or lst[-1] < story:
                lst.append(story)
            else:
                i = bisect.bisect_left(lst, story)
                if i == len(lst) or lst[i] != story:
                    lst.insert(i, story)
            if (k, story) in self._dropped:
                self._dropped.discard((k, story))
            else:
                self._added.add((k, story))

    def candidates(self, keys: Iterable[str], n: int) -> list[int]:
        """The ``n`` stories listed under most of ``keys`` (each key's
        :attr:`newest` stories counted), the newest first among equals."""
        hits: Counter[int] = Counter()
        newest = self.newest
        for k in keys:
            hits.update(self._list(k)[-newest:])
        items = hits.items()
        if len(hits) > n:  # only those with as many hits as the n-th most are sorted
            least = heapq.nlargest(n, hits.values())[-1]
            items = [sc for sc in items if sc[1] >= least]
        return [s for s, _ in sorted(items, key=_HITS_THEN_NEWEST, reverse=True)[:n]]

    def flush(self) -> None:
        """Write the changes (before the commit)."""
        db = self._db()
        if self._dropped:
            db.executemany("DELETE FROM keys WHERE key=? AND story=?", sorted(self._dropped))
        if self._added:
            db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", sorted(self._added))
        self._added.clear()
        self._dropped.clear()


class Rarities:
    """Key -> how many of the book's articles hold it, and the rarity that follows
    (kept per key number of the book's :class:`~reader.core.stories.vectors.Vocab`)."""

    def __init__(self, db: Callable[[], sqlite3.Connection], vocab: Vocab):
        self._db = db
        self.vocab = vocab
        self._df: dict[str, int] = {}
        self._changed: set[str] = set()
        self._idf = np.full(1024, np.nan)
        self._idf_n: int | None = None
        self.empty = False
        """The table is known to be empty (a new book): nothing to read."""

    def forget(self) -> None:
        self._df.clear()
        self._changed.clear()
        self._idf_n = None
        self.empty = False

    def _read(self, keys: Iterable[str]) -> None:
        missing = [k for k in keys if k not in self._df]
        if not missing:
            return
        self._df.update(dict.fromkeys(missing, 0))
        if self.empty:
            return
        for i in range(0, len(missing), CHUNK):
            chunk = missing[i:i + CHUNK]
            self._df.update(self._db().execute(
                f"SELECT key, n FROM df WHERE key IN ({','.join('?' * len(chunk))})", chunk))

    def count(self, keys: Iterable[str], step: int) -> None:
        """An article holding ``keys`` counted in (1) or out (-1)."""
        keys = list(keys)
        self._read(keys)
        df = self._df
        for k in keys:
            df[k] += step
        self._changed.update(keys)
        known = [i for k in keys if (i := self.vocab.index.get(k)) is not None and i < len(self._idf)]
        self._idf[known] = np.nan

    def idf(self, ids: np.ndarray, n_articles: int) -> np.ndarray:
        """The rarity of each of these keys in a book of ``n_articles`` (remembered
        until the key's or the book's count changes)."""
        if n_articles != self._idf_n:
            self._idf[:] = np.nan
            self._idf_n = n_articles
        if len(self.vocab) > len(self._idf):
            self._idf = np.concatenate([self._idf, np.full(max(len(self.vocab), len(self._idf)), np.nan)])
        out = self._idf[ids]
        missing = np.isnan(out)
        if missing.any():
            keys = [self.vocab.keys[i] for i in ids[missing].tolist()]
            self._read(keys)
            df, n = self._df, n_articles + 1
            new = np.array([idf_of(n, df[k]) for k in keys])
            self._idf[ids[missing]] = new
            out[missing] = new
        return out

    def flush(self) -> None:
        """Write the changed counts (a key no article holds any more leaves the table)."""
        db, df = self._db(), self._df
        held = [(k, df[k]) for k in sorted(self._changed) if df[k] > 0]
        gone = [k for k in sorted(self._changed) if df[k] <= 0]
        if held:
            db.executemany("INSERT OR REPLACE INTO df VALUES (?, ?)", held)
        for i in range(0, len(gone), CHUNK):
            chunk = gone[i:i + CHUNK]
            db.execute(f"DELETE FROM df WHERE key IN ({','.join('?' * len(chunk))})", chunk)
        self._changed.clear()
