"""Ingest rate and peak memory on one large JSON Lines export (a script, not a test).

    python benchmarks/bench_formats.py                       # 10,000 then 100,000 records
    python benchmarks/bench_formats.py --records 10000 50000
    python benchmarks/bench_formats.py --stage read          # reading and cleaning only, no index
    python benchmarks/bench_formats.py --gzip                # the export gzipped

For each size, a JSON Lines file of that many generated records (news-please's
field names, sentences of the bundled corpus recombined) is ingested in a
fresh process: the whole of ``kreader index`` (read, clean, recognise, index,
resolve) or, with ``--stage read``, the records read and cleaned. It prints
the file's size, articles/s and the process's peak resident memory: memory
flat from one size to the next is what streaming means.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = "Anna Boris Carla Dmitri Elena Farid Greta Hassan Irina Jonas Karin Leila Marek Nadia Oskar Pavel".split()
LAST = "Novak Haddad Lindgren Petrov Okafor Mendes Kovacs Rahimi Berger Sato Duarte Ivanova Moreau Kaya".split()
SITES = "wire.example post.example daily.example herald.example".split()


def sentences() -> list[str]:
    from reader.core import locations
    from reader.core.ingest.formats.reading import read_corpus
    from reader.core.ingest.formats.reading import to_articles
    texts = [p.text for src in read_corpus(locations.bundled_corpus()) for a in to_articles(src) for p in a.passages]
    return [s for t in texts for s in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", t) if len(s) > 30]


def generate(dest: Path, n: int, zipped: bool, seed: int = 7) -> Path:
    """A JSON Lines export of ``n`` records, written a record at a time."""
    rng = random.Random(seed)
    pool = sentences()
    path = dest / ("export.jsonl.gz" if zipped else "export.jsonl")
    opener = gzip.open if zipped else open
    with opener(path, "wt", encoding="utf-8") as out:
        for i in range(n):
            paras = [" ".join(rng.sample(pool, rng.randint(1, 3))) for _ in range(rng.randint(4, 10))]
            who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            paras[0] = f"{who} said {rng.randint(2, 90)} people were affected. " + paras[0]
            out.write(json.dumps({
                "url": f"https://{rng.choice(SITES)}/2023/{i % 12 + 1:02d}/story-{i}",
                "title": f"{who}: {pool[rng.randrange(len(pool))][:70]}",
                "maintext": "\n".join(paras), "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
                "date_publish": f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d} 10:00:00",
            }, ensure_ascii=False) + "\n")
    return path


def child(corpus: Path, stage: str) -> None:
    """Ingest ``corpus`` in this process; print one JSON line of figures."""
    start = time.perf_counter()
    if stage == "read":
        from reader.core.ingest.formats.reading import read_corpus
        from reader.core.ingest.formats.reading import to_articles
        from reader.core.model import LoadWarning
        articles = 0
        for item in read_corpus(corpus):
            if not isinstance(item, LoadWarning):
                out = to_articles(item)
                articles += 0 if isinstance(out, LoadWarning) else len(out)
    else:
        from reader.core.library.facade import Library
        lib = Library(corpus, corpus.parent / "index")
        for _ in lib.update():
            pass
        articles = lib.summary.articles
        lib.close()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"articles": articles, "seconds": seconds, "peak_mb": peak}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--stage", choices=("index", "read"), default="index")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.stage)
        return
    print(f"stage: {a.stage}{' (gzipped export)' if a.gzip else ''}")
    for n in a.records:
        with tempfile.TemporaryDirectory(prefix="bench-formats-") as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            path = generate(corpus, n, a.gzip)
            size = path.stat().st_size / 1024 / 1024
            r = subprocess.run([sys.executable, __file__, "--child", str(corpus), "--stage", a.stage],
                               capture_output=True, text=True)
            if r.returncode:
                print(f"{n:>8,} records: failed\n{r.stderr[-2000:]}")
                continue
            f = json.loads(r.stdout.strip().splitlines()[-1])
            print(f"{n:>8,} records  {size:7.1f} MB  {f['articles']:>8,} articles in {f['seconds']:7.1f} s  "
                  f"{f['articles'] / f['seconds']:7.0f} articles/s  peak memory {f['peak_mb']:6.0f} MB", flush=True)


if __name__ == "__main__":
    main()
