"""What quote finding costs at ingest (a script, not a test).

    python benchmarks/bench_quotes.py --corpus DIR            # the first 199 files of DIR
    python benchmarks/bench_quotes.py --corpus DIR --files 150 --rounds 3
    python benchmarks/bench_quotes.py                         # the bundled corpus

Prints, in one run:

1. the analysis share: every file read, cleaned and recognised in this process
   (``analysis.analyse_parts``), with the process CPU time spent in quote
   finding set against the rest of the analysis;
2. the whole ingest (cleaning, entities, quotes, index, store: ``Library.update``
   on a fresh index) with quote finding on and off, alternating, best of the
   rounds, in process CPU time (load-independent enough on a shared machine).

At most 199 files are used so that the ingest runs in this process (from 200
files kreader spawns worker processes, which would not see quote finding
switched off). The files are copied into a temporary folder first.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from reader.core import locations
from reader.core.ingest import rules as cleanrules
from reader.core.library import analysis
from reader.core.library.facade import Library
from reader.core.library.update import PARALLEL_FROM

MAX_BYTES = 10 ** 8
"""Largest file read (far above any article)."""


def _files(corpus: Path, n: int) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))[:n]


def analysis_share(files: list[Path], root: Path) -> tuple[float, float]:
    """(CPU seconds of the whole analysis, of which quote finding) over ``files``."""
    rules = cleanrules.builtin_rules()
    real, spent = analysis.with_quotes, [0.0]

    def timed(article):
        t = time.process_time()
        out = real(article)
        spent[0] += time.process_time() - t
        return out

    analysis.with_quotes = timed
    try:
        list(analysis.analyse_parts(files[0], files[0].name, files[0].stem, MAX_BYTES, rules))  # warm-up
        spent[0] = 0.0
        t = time.process_time()
        for f in files:
            rel = str(f.relative_to(root))
            list(analysis.analyse_parts(f, rel, f.stem, MAX_BYTES, rules))
        return time.process_time() - t, spent[0]
    finally:
        analysis.with_quotes = real


def ingest_cpu(corpus: Path, index_dir: Path, quotes_on: bool) -> float:
    """Process CPU seconds of a whole first ingest, quote finding on or off."""
    real = analysis.with_quotes
    if not quotes_on:
        analysis.with_quotes = lambda article: article
    try:
        t = time.process_time()
        lib = Library(corpus, index_dir)
        for _ in lib.update():
            pass
        spent = time.process_time() - t
        lib.close()
        return spent
    finally:
        analysis.with_quotes = real
        shutil.rmtree(index_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=locations.bundled_corpus())
    ap.add_argument("--files", type=int, default=PARALLEL_FROM - 1)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    files = _files(a.corpus, min(a.files, PARALLEL_FROM - 1))
    if not files:
        raise SystemExit(f"no files in {a.corpus}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-quotes-"))
    try:
        corpus = tmp / "corpus"
        for f in files:
            dest = corpus / f.relative_to(a.corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
        size = sum(f.stat().st_size for f in files) / 1e6
        total, quotes = analysis_share(sorted(p for p in corpus.rglob("*") if p.is_file()), corpus)
        print(f"{len(files)} files, {size:.2f} MB from {a.corpus}")
        print(f"analysis: {total:.2f} s CPU, quote finding {quotes:.2f} s = {100 * quotes / total:.1f}% of it "
              f"({100 * quotes / max(total - quotes, 1e-9):+.1f}% on the rest)")
        times: dict[bool, list[float]] = {True: [], False: []}
        for r in range(a.rounds):
            for on in ((False, True) if r % 2 == 0 else (True, False)):
                times[on].append(ingest_cpu(corpus, tmp / f"ix-{r}-{int(on)}", on))
        off, on = min(times[False]), min(times[True])
        print(f"whole ingest, best of {a.rounds}: {off:.2f} s CPU without quotes, {on:.2f} s with "
              f"({100 * (on - off) / off:+.1f}%); runs off {' '.join(f'{x:.2f}' for x in times[False])}, "
              f"on {' '.join(f'{x:.2f}' for x in times[True])}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
