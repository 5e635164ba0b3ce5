"""Start-up of the reader against an empty Textual app (a script, not a test).

    python benchmarks/bench_startup.py [--runs 7]

Each measurement is a fresh Python process, from its launch to the app's first
paint (Textual's auto-pilot runs once the app is ready and painted), imports
included, its exit not: what a user waits for. kreader is started through
its command-line entry (``kreader read``), headless. kreader opens the bundled corpus with a warm
index (built before timing). Also timed: until the article list is filled
(the index opened and checked in the thread worker). Target: first paint of
kreader <= 2x the empty app.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

EMPTY = """
import time
from textual.app import App
async def auto(pilot):
    print(time.time(), flush=True)
    pilot.app.exit()
App().run(headless=True, auto_pilot=auto)
"""

KREADER = """
import sys, time
from reader import cli
from reader.ui import app as ui
async def auto(pilot):
    if sys.argv[2] == "filled":
        while not (pilot.app.main and pilot.app.main.ready):
            await pilot.pause(0.01)
    print(time.time(), flush=True)
    pilot.app.exit()
run = ui.KReader.run
ui.KReader.run = lambda self, **kw: run(self, headless=True, auto_pilot=auto)
cli.main(["read", "--index-dir", sys.argv[1], "--bookmarks", sys.argv[1] + "/b.yaml"])
"""


def timed(code: str, *args: str) -> float:
    """From the process's launch to the moment the script prints (the app's
    first paint, or the list filled); the process's exit is not counted."""
    t = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[-1]) - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as ix:
        timed(KREADER, ix, "filled")  # build the index: the runs below find it warm
        empty, paint, filled = [], [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits all three alike
            empty.append(timed(EMPTY))
            paint.append(timed(KREADER, ix, "paint"))
            filled.append(timed(KREADER, ix, "filled"))
    e, p, f = (statistics.median(x) * 1000 for x in (empty, paint, filled))
    print(f"empty Textual app, first paint: median {e:.0f} ms over {args.runs} runs")
    print(f"kreader, bundled corpus, warm index, first paint: median {p:.0f} ms = {p / e:.2f}x the empty app "
          f"(target <= 2x)")
    print(f"kreader, until the article list is filled: median {f:.0f} ms = {f / e:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
