"""Scratch: the whole ingest (cleaning, entities, quotes, index) with quote finding on and off,
in one run, alternating, on a corpus made by benchmarks/bench_index.generate.

    python scratch/bench_quotes.py --articles 180 --rounds 3

Below 200 files kreader analyses in its own process, where switching quote
finding off reaches (worker processes are spawned and would not see it).
"""
import argparse, shutil, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_index  # noqa: E402
from reader.core.library import analysis  # noqa: E402
from reader.core.library.facade import Library  # noqa: E402

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=180)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-quotes-"))
    bench_index.generate(tmp / "corpus", a.articles)
    real = analysis.with_quotes
    times = {"off": [], "on": []}
    for r in range(a.rounds):
        for mode in ("off", "on"):
            analysis.with_quotes = real if mode == "on" else (lambda art: art)
            ix = tmp / f"ix-{mode}-{r}"
            t = time.process_time()
            lib = Library(tmp / "corpus", ix)
            for _ in lib.update():
                pass
            times[mode].append(time.process_time() - t)
            lib.close()
            shutil.rmtree(ix, ignore_errors=True)
    off, on = min(times["off"]), min(times["on"])
    print(f"{a.articles} articles, best of {a.rounds}: ingest CPU without quotes {off:.2f} s, with quotes {on:.2f} s "
          f"({100 * (on - off) / off:+.1f}%); all runs off {['%.2f' % x for x in times['off']]}, "
          f"on {['%.2f' % x for x in times['on']]}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
