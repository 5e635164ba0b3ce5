"""Command-line start-up: `kreader search`, `entities` and `xref`, start to exit (a script, not a test).

    python benchmarks/bench_cli.py [--corpus DIR] [--index-dir DIR] [--runs 5]
                                   [--query Q] [--xref ARTICLE PASSAGE] [--importtime]

Each measurement is a fresh process, from its launch to its exit, output
thrown away: what a script calling kreader waits for. The baseline is a bare
Python process importing ``whoosh.index, whoosh.qparser, whoosh.searching``,
timed in the same run and interleaved with the commands, so load on the
machine hits all alike; the figures are medians. Target (issue 18): `kreader
search` on a warm index of ~20k real articles <= 2.5x the bare process.

The index is brought up to date once before timing (`kreader index`, which
may take minutes on a new corpus of thousands of files): the runs find it
warm. Without ``--index-dir`` the index is kept in a temporary folder.
``--importtime`` also prints what ``python -X importtime`` gives for
``import reader.cli`` and for a whole search call (the sum of the top-level
imports, in milliseconds).

kreader's own modules are compiled to bytecode first (``compileall``), as
``pip install`` does and as the baseline's Whoosh already is: an editable
install under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every
module from source at each start (~60 ms on the bundled corpus), a cost no
installed kreader pays. ``--no-compile`` leaves them as they are.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = "import whoosh.index, whoosh.qparser, whoosh.searching"
"""What the baseline process does: import the parts of Whoosh a search needs."""
BUNDLED_QUERY = "pashinian"
"""The default query on the bundled corpus (a misspelt name: the fuzzy side works too)."""
OTHER_QUERY = "cocoa OR coffee"
"""The default query on another corpus."""
TOP_IMPORT = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$")
"""A line of ``-X importtime`` naming a top-level import (no indentation before the name)."""


def kreader() -> list[str]:
    """The `kreader` script beside this Python, else ``python -m reader.cli``."""
    script = Path(sys.executable).parent / "kreader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def timed(cmd: list[str]) -> float:
    """Seconds from launching ``cmd`` to its exit (it must succeed)."""
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def import_ms(code: str) -> float:
    """Milliseconds ``python -X importtime -c code`` spends in top-level imports."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          check=True)
    total = 0
    for line in proc.stderr.splitlines():
        m = TOP_IMPORT.match(line)
        if m:
            total += int(m.group(1))
    return total / 1000


def compile_kreader() -> str:
    """Compile kreader's modules to bytecode beside their source; the folder compiled."""
    spec = importlib.util.find_spec("reader")
    folder = list(spec.submodule_search_locations)[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True, stdout=subprocess.DEVNULL)
    return folder


def pick_xref(common: list[str], query: str) -> tuple[str, int]:
    """The article and passage of the search's best hit."""
    proc = subprocess.run(kreader() + ["search", query, "--json", "--limit", "1", *common],
                          capture_output=True, text=True, check=True)
    hits = json.loads(proc.stdout)
    if not hits:
        sys.exit(f"bench_cli: the query {query!r} finds nothing; give --xref ARTICLE PASSAGE.")
    return hits[0]["article"], hits[0]["passage"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a corpus folder (default: the bundled corpus)")
    ap.add_argument("--index-dir", help="where kreader keeps its indexes (default: a temporary folder)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", help=f"what to search (default {BUNDLED_QUERY!r}, on --corpus {OTHER_QUERY!r})")
    ap.add_argument("--xref", nargs=2, metavar=("ARTICLE", "PASSAGE"),
                    help="the passage to cross-reference (default: the search's best hit)")
    ap.add_argument("--importtime", action="store_true", help="also print -X importtime totals")
    ap.add_argument("--no-compile", action="store_true",
                    help="do not compile kreader's modules to bytecode first (see above)")
    args = ap.parse_args()
    if not args.no_compile:
        print(f"kreader's modules compiled to bytecode in {compile_kreader()} (as pip install does)")
    query = args.query or (OTHER_QUERY if args.corpus else BUNDLED_QUERY)
    with tempfile.TemporaryDirectory() as tmp:
        common = ["--index-dir", args.index_dir or tmp] + (["--corpus", args.corpus] if args.corpus else [])
        t = time.perf_counter()
        subprocess.run(kreader() + ["index", *common], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"kreader index (bring the index up to date before timing): {time.perf_counter() - t:.1f} s")
        article, passage = args.xref or pick_xref(common, query)
        cases = {
            "bare Whoosh import": [sys.executable, "-c", BARE],
            f"kreader search {query!r}": kreader() + ["search", query, *common],
            "kreader entities": kreader() + ["entities", *common],
            f"kreader xref {article} {passage}": kreader() + ["xref", article, str(passage), *common],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved
            for name, cmd in cases.items():
                times[name].append(timed(cmd))
        if args.importtime:
            search_call = (f"from reader.cli import main; main({['search', query, *common]!r})")
            cli_ms, search_ms = import_ms("import reader.cli"), import_ms(search_call)
    corpus = args.corpus or "the bundled corpus"
    print(f"{corpus}; start to exit, median of {args.runs} fresh processes each:")
    bare = statistics.median(times["bare Whoosh import"])
    for name, runs in times.items():
        med = statistics.median(runs)
        spread = f"{min(runs):.2f}-{max(runs):.2f}"
        ratio = "" if name.startswith("bare") else f" = {med / bare:.2f}x bare"
        print(f"  {name:40s} {med:6.3f} s{ratio}  (runs {spread} s)")
    print("  target: kreader search <= 2.5x bare (issue 18, on ~20k real articles)")
    if args.importtime:
        print(f"  python -X importtime: import reader.cli {cli_ms:.0f} ms; a whole search call {search_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
