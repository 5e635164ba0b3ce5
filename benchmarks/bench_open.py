"""Re-open of an unchanged index and search latency, on an index already built (a script, not a test).

    python benchmarks/bench_open.py --corpus DIR --index-dir ROOT [--queries 200] [--profile open|search]

``ROOT`` is what ``kreader --index-dir`` is given (one index per corpus under
it); build it first with ``kreader index DIR --index-dir ROOT``. Prints, in
one process: the open of the unchanged index as the reader and ``kreader
index`` do it (every file's stamp compared; median of 3 and the first), the
open as a command-line search does it (the folders' times compared: see
``reader.core.library.freshness``), and the latency of the same 200 mixed
queries as ``bench_index.py`` (median, p95), the first query apart (it
loads what later ones reuse). ``--profile`` prints cProfile's top
functions of the third open or of the searches instead of timing alone.
Targets (issue 18): open < 0.5 s, search p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import pstats
import random
import statistics
import time
from pathlib import Path

from bench_index import pct, queries

from reader.core import locations
from reader.core.library.facade import Library

OPENS = 3
"""Opens timed of each kind (the median is reported)."""
PROFILE_LINES = 30
"""Functions printed by --profile."""


def timed_open(corpus: Path, index_dir: Path, quick: bool, profile: cProfile.Profile | None = None) -> tuple[float, Library]:
    """Milliseconds to open the library and bring it up to date, and the library."""
    t = time.perf_counter()
    if profile:
        profile.enable()
    lib = Library(corpus, index_dir)
    for _ in (lib.update(quick=True) if quick else lib.update()):
        pass
    if profile:
        profile.disable()
    return (time.perf_counter() - t) * 1000, lib


def opens(corpus: Path, index_dir: Path, quick: bool, profile: cProfile.Profile | None) -> list[float]:
    out = []
    for n in range(OPENS):
        ms, lib = timed_open(corpus, index_dir, quick, profile if n == OPENS - 1 else None)
        out.append(ms)
        lib.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index-dir", type=Path, required=True, help="the root kreader keeps its indexes in")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--profile", choices=("open", "quick", "search"))
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    index_dir = locations.index_dir_for(corpus, args.index_dir)
    profile = cProfile.Profile() if args.profile else None
    full = opens(corpus, index_dir, False, profile if args.profile == "open" else None)
    print(f"open unchanged index (every file checked): median {statistics.median(full):.0f} ms of {OPENS} "
          f"(first {full[0]:.0f} ms; target < 500 ms)", flush=True)
    has_quick = "quick" in inspect.signature(Library.update).parameters  # not in a kreader of before
    if has_quick:
        quick = opens(corpus, index_dir, True, profile if args.profile == "quick" else None)
        print(f"open unchanged index (folders checked, as a CLI search): median {statistics.median(quick):.0f} ms "
              f"of {OPENS} (first {quick[0]:.0f} ms)", flush=True)
    _, lib = timed_open(corpus, index_dir, has_quick)
    qs = queries(lib, args.queries, random.Random(11))  # bench_index.py's queries
    lat = []
    for n, q in enumerate(qs):
        if profile and args.profile == "search" and n:
            profile.enable()
        t = time.perf_counter()
        lib.search(q, limit=20)
        lat.append((time.perf_counter() - t) * 1000)
        if profile:
            profile.disable()
    rest = lat[1:]
    slow = sorted(zip(lat, qs), reverse=True)[:5]
    print(f"search: {len(qs)} queries, first {lat[0]:.0f} ms, then median {statistics.median(rest):.1f} ms, "
          f"p95 {pct(rest, .95):.1f} ms; all {len(lat)}: p95 {pct(lat, .95):.1f} ms (target p95 < 20 ms)", flush=True)
    print("  slowest: " + "; ".join(f"{q} {ms:.0f} ms" for ms, q in slow), flush=True)
    lib.close()
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(PROFILE_LINES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
