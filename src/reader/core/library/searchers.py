"""Searchers lent for one call, kept idle for the next one, dropped when the index changes.

Whoosh searchers must not serve two threads at once, and the reader runs each
search and each cross-reference in a new thread: a searcher opened per thread
would cost more than the search (at 20,000 articles, 100-700 ms against
15-40). So idle searchers are kept for the next caller, and closed when the
index's generation moves on.
"""

from __future__ import annotations

import pickle
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from reader.core.errors import IndexError_

DAMAGE = (zlib.error, struct.error, EOFError, pickle.UnpicklingError)
"""What reading a garbled part of the index raises (zlib streams carry a checksum)."""

IDLE_SEARCHERS = 4
"""Idle searchers kept for the next call (one per thread that searched at once)."""


class Lease:
    """A searcher of one index generation and its block scorer (made when first used)."""

    def __init__(self, generation: int, searcher):
        self.generation = generation
        self.searcher = searcher
        self._topn = None

    def topn(self):
        """The numpy block scorer over this searcher (:class:`~reader.core.search.scoring.TopN`),
        made (and numpy imported) when first asked for."""
        if self._topn is None:
            from reader.core.search.scoring import TopN
            self._topn = TopN(self.searcher)
        return self._topn

    def close(self) -> None:
        self.searcher.close()


class SearcherPool:
    """Lends searchers over an index; ``open_searcher()`` makes a new one."""

    def __init__(self, open_searcher: Callable[[], object], on_damage: Callable[[], str]):
        self._open = open_searcher
        self._on_damage = on_damage
        self._idle: list[Lease] = []
        self._lock = threading.Lock()
        self.generation = 0

    def next_generation(self) -> None:
        """The index changed: searchers lent from now on see the new one."""
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
        for lease in stale:
            lease.close()

    @contextmanager
    def lend(self) -> Iterator[Lease]:
        """A searcher over the current index for one call. A posting block or a
        stored field that no longer decodes marks the index damaged (it is
        rebuilt at the next opening) and raises one :class:`IndexError_`."""
        lease = None
        with self._lock:
            while self._idle and lease is None:
                lease = self._idle.pop()
                if lease.generation != self.generation:
                    lease.close()
                    lease = None
        if lease is None:
            lease = Lease(self.generation, self._open())
        try:
            yield lease
        except DAMAGE as e:
            raise IndexError_(self._on_damage()) from e
        finally:
            with self._lock:
                if lease.generation == self.generation and len(self._idle) < IDLE_SEARCHERS:
                    self._idle.append(lease)
                    lease = None
            if lease is not None:
                lease.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for lease in idle:
            lease.close()
