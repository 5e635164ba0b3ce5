"""Time adding one bookmark to a large bookmarks file.

Usage::

    python benchmarks/bench_bookmarks.py [--bookmarks 100000] [--adds 3]

Writes a file of N made-up bookmarks in a temporary folder (as kreader writes
it), then times: loading it, the first add by a fresh store (what one
``kreader`` process does), further adds by the same store (the reader
adding several), and a note changed (which rewrites the whole file). Every add holds the writers' lock (15 s timeout) while it
runs. A script, not a test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import contextlib

from reader.core.bookmarks import store as store_module
from reader.core.bookmarks import yaml_format as fmt
from reader.core.bookmarks.store import Bookmark, BookmarkStore, new_id

HELD: list[float] = []
"""How long each add held the writers' lock."""


@contextlib.contextmanager
def timed_lock(path, *args, **kw):
    with _real_locked(path, *args, **kw):
        t = time.perf_counter()
        try:
            yield
        finally:
            HELD.append(time.perf_counter() - t)


_real_locked = store_module.locked
store_module.locked = timed_lock


def made_up(i: int) -> Bookmark:
    """A bookmark shaped like a real one."""
    return Bookmark(id=new_id(), created="2024-05-01T09:30:00+00:00", article=f"{i:05d}_883b0ecb052fe686",
                    title=f"Made-up story number {i} about the harbour strike", passage=i % 40,
                    quote=f"Dock workers stopped work on Monday {i} after talks over night shifts failed.",
                    prefix="The union said on Sunday that ", suffix=" The company did not comment.",
                    path=f"corpus/{i:05d}_883b0ecb052fe686.txt", source=None, note="",
                    tags=("strike", f"t{i % 7}"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bookmarks", type=int, default=100_000)
    ap.add_argument("--adds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bookmarks.yaml"
        t = time.perf_counter()
        path.write_text(fmt.dump([made_up(i).to_record() for i in range(args.bookmarks)], {}), encoding="utf-8")
        print(f"{args.bookmarks:,} bookmarks: {path.stat().st_size / 1e6:.1f} MB written in "
              f"{time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        n = len(BookmarkStore(path).load())
        print(f"load: {time.perf_counter() - t:.2f} s ({n:,} bookmarks)")
        t = time.perf_counter()
        BookmarkStore(path).add(made_up(args.bookmarks))
        print(f"first add by a fresh store: {time.perf_counter() - t:.2f} s, the lock held {HELD[-1]:.2f} s")
        store = BookmarkStore(path)
        store.load()
        for k in range(args.adds):
            t = time.perf_counter()
            store.add(made_up(args.bookmarks + 1 + k))
            print(f"add {k + 1} by a store that has loaded the file: {time.perf_counter() - t:.2f} s, "
                  f"the lock held {HELD[-1]:.2f} s")
        t = time.perf_counter()
        n = len(BookmarkStore(path).load())
        print(f"load after the adds: {time.perf_counter() - t:.2f} s ({n:,} bookmarks)")
        t = time.perf_counter()
        store.update(store.load()[0].id, note="changed")
        print(f"a note changed by that store (the whole file rewritten): {time.perf_counter() - t:.2f} s, "
              f"the lock held {HELD[-1]:.2f} s")


if __name__ == "__main__":
    main()
