"""Cross-reference latency on a built index (a script, not a test).

    python benchmarks/bench_xref.py CORPUS INDEX_DIR [--passages 100] [--seed 3]
                                    [--profile N] [--dump FILE] [--build]

Opens the library (quick freshness check; an index needing a rebuild stops
the script unless ``--build``), picks a fixed sample of passages (one random
passage of each of ``--passages`` random articles, seeded), and times
``Library.related`` on each in one process, as the reader and
``bench_index.py`` do: prints the median, p95 and max in milliseconds, the
first call apart. ``--profile N`` prints the N costliest functions of the
timed loop (cProfile, cumulative). ``--gc-freeze`` freezes what is
allocated once the library is open (so the collector's full passes skip it).
``--dump FILE`` writes every result as
JSON, to compare two versions' results (they must not change with speed
work). Target (issues 16 and 18): p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from reader.core.library.facade import Library


def pct(xs: list[float], p: float) -> float:
    """The ``p`` quantile of ``xs`` (as bench_index.py works it out)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def open_library(corpus: Path, index_dir: Path, build: bool) -> Library:
    """The library, brought up to date; exits when that means a rebuild and ``build`` is off."""
    lib = Library(corpus, index_dir)
    t = time.perf_counter()
    for step in lib.update(quick=True):
        if step.message.startswith("Rebuilding") and not build:
            print(f"the index needs a rebuild ({step.message}); pass --build to let it", flush=True)
            sys.exit(2)
    print(f"opened {len(lib.infos())} articles in {time.perf_counter() - t:.2f} s", flush=True)
    return lib


def sample(lib: Library, n: int, seed: int) -> list[tuple[str, int]]:
    """One random passage of each of ``n`` random articles."""
    rng = random.Random(seed)
    infos = [i for i in lib.infos() if i.passages]
    return [(i.id, rng.randrange(i.passages)) for i in rng.sample(infos, min(n, len(infos)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--passages", type=int, default=100)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--gc-freeze", action="store_true",
                    help="gc.freeze() once the library is open (what the collector's pauses cost)")
    args = ap.parse_args(argv)
    lib = open_library(args.corpus, args.index_dir, args.build)
    picks = sample(lib, args.passages, args.seed)
    if args.gc_freeze:
        import gc
        gc.freeze()
    prof = None
    if args.profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    lat, cpu, out = [], [], []
    for art, n in picks:
        t, c = time.perf_counter(), time.process_time()
        r = lib.related(art, n, limit=10)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        out.append(r.to_json() if hasattr(r, "to_json") else repr(r))
    if prof is not None:
        prof.disable()
        import pstats
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    rest = lat[1:] or lat
    print(f"xref: {len(lat)} passages, first {lat[0]:.1f} ms, then median {statistics.median(rest):.1f} ms, "
          f"p95 {pct(rest, .95):.1f} ms, max {max(rest):.1f} ms; all: median {statistics.median(lat):.1f} ms, "
          f"p95 {pct(lat, .95):.1f} ms (target p95 < 50 ms)", flush=True)
    print(f"xref CPU time (steadier on a loaded machine): first {cpu[0]:.1f} ms, then median "
          f"{statistics.median(cpu[1:] or cpu):.1f} ms, p95 {pct(cpu[1:] or cpu, .95):.1f} ms; all: p95 "
          f"{pct(cpu, .95):.1f} ms", flush=True)
    if args.dump:
        args.dump.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
