"""Ingest, open, search and cross-reference speed at scale (a script, not a test).

    python benchmarks/bench_index.py                 # 20,000 generated articles
    python benchmarks/bench_index.py --articles 5000
    python benchmarks/bench_index.py --corpus DIR    # any folder of articles
    python benchmarks/bench_index.py --keep DIR      # keep corpus and index in DIR; a
                                                     # second run reuses them and times
                                                     # only open, search and xref

Prints, in one run: kreader's whole ingest (cleaning, entities, index) in
articles/s; the same passages indexed by a bare Whoosh writer with a minimal
schema, and the ratio; the time to open the unchanged index; search latency
(median, p95) over 200 mixed queries; cross-reference latency (median, p95);
the time to place one article in its story (median, p95); peak memory. Targets: ratio <= 1.5, open < 0.5 s, search p95 < 20 ms,
xref <= 50 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer

from reader.core import locations
from reader.core.ingest.clean import clean
from reader.core.ingest.formats.reading import read_corpus
from reader.core.library.facade import Library

FIRST = "Anna Boris Carla Dmitri Elena Farid Greta Hassan Irina Jonas Karin Leila Marek Nadia Oskar Pavel".split()
LAST = "Novak Haddad Lindgren Petrov Okafor Mendes Kovacs Rahimi Berger Sato Duarte Ivanova Moreau Kaya".split()
CITIES = "Tbilisi Gyumri Ganja Kutaisi Batumi Sumgait Vanadzor Shusha Lankaran Goris Dilijan Sheki".split()


def generate(dest: Path, n: int, seed: int = 7) -> None:
    """``n`` articles made from the bundled corpus's sentences, recombined.

    Each paragraph is one to four sentences drawn from the whole bundled corpus,
    numbers varied, a made-up person or town swapped in now and then: the
    vocabulary of one story, with passages that differ in length and content
    as real reports do (copying whole passages would make every search tie).
    """
    rng = random.Random(seed)
    passages = [p.text for src in read_corpus(locations.bundled_corpus()) for a in clean(src) for p in a.passages]
    pool = [s for text in passages for s in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", text) if len(s) > 30]
    titles = [a.title for src in read_corpus(locations.bundled_corpus()) for a in clean(src)]
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        city = rng.choice(CITIES)
        paras = [" ".join(rng.sample(pool, rng.randint(1, 4))) for _ in range(rng.randint(6, 16))]
        paras = [re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(0, 9)), p) for p in paras]
        paras = [p.replace("Baku", city) if rng.random() < 0.2 else p for p in paras]
        paras.insert(rng.randint(0, len(paras)), f"{person} said in {city} on Monday that talks would resume "
                                                  f"after {rng.randint(2, 90)} days.")
        body = "\n\n".join(paras)
        day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        sub = dest / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"art{i:06d}.txt").write_text(
            f"{rng.choice(titles)} ({i})\n\nBy {person}\n{day}\n\n{body}\n\nRead also:\nA teaser line\n",
            encoding="utf-8")


def bare_whoosh(lib: Library, dest: Path) -> tuple[float, int]:
    """Index the same passages with a minimal schema; seconds and passage count."""
    texts = [p.text for a in lib.store.articles() for p in a.passages]
    schema = fields.Schema(text=fields.TEXT(analyzer=StemmingAnalyzer()), id=fields.ID(stored=True))
    dest.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(dest), schema)
    t = time.perf_counter()
    w = ix.writer(limitmb=256)
    for i, text in enumerate(texts):
        w.add_document(text=text, id=str(i))
    w.commit()
    return time.perf_counter() - t, len(texts)


def queries(lib: Library, n: int, rng: random.Random) -> list[str]:
    ents = lib.entities()[:200] or []
    words = ["blockade", "ceasefire", "protest*", "killed", "peacekeepers", "\"military operation\"",
             "negotiat*", "surrender", "civilians", "humanitarian", "sovereignty", "pashinian~"]
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0 and ents:
            e = rng.choice(ents)
            out.append(f"{ {'person': 'person', 'place': 'place'}.get(e.type, 'org')}:\"{e.name.lower()}\"")
        elif kind == 1:
            out.append(" ".join(rng.sample(words, 2)))
        elif kind == 2:
            out.append(rng.choice(words))
        else:
            out.append(f"{rng.choice(words)} OR {rng.choice(words)}")
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def stories_update(lib: Library, infos, rng: random.Random, n: int = 50) -> None:
    """Time placing one article in its story, article by article, in the full
    story book: each sampled article is taken out and placed again as if it
    were new (what an update does for a new or changed file)."""
    book = lib.folder.stories
    lat = []
    for info in rng.sample(infos, min(n, len(infos))):
        article = lib.store.article(info.id)
        t = time.perf_counter()
        book.update([article], removed=[info.id])
        lat.append((time.perf_counter() - t) * 1000)
    print(f"stories: {len(lib.stories())} for {len(infos)} articles; one article placed in its story "
          f"(taken out, placed again, committed): median {statistics.median(lat):.1f} ms, "
          f"p95 {pct(lat, .95):.1f} ms (target <= 50 ms at 100k)", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--corpus", type=Path, help="use this folder instead of a generated corpus")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="keep the corpus and index here; reuse them when present")
    args = ap.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = args.keep or Path(tmp)
        reuse = args.keep is not None and (tmp / "ix").exists()
        corpus = args.corpus
        if corpus is None:
            corpus = tmp / "corpus"
            if not reuse:
                t = time.perf_counter()
                generate(corpus, args.articles)
                print(f"generated {args.articles} articles in {time.perf_counter() - t:.1f} s", flush=True)
        if reuse:
            print(f"reusing the corpus and index in {tmp}: ingest not timed", flush=True)
        else:
            lib = Library(corpus, tmp / "ix")
            t = time.perf_counter()
            lib.ensure()
            ingest = time.perf_counter() - t
            n_art = lib.summary.articles
            print(f"kreader ingest: {n_art} articles in {ingest:.1f} s = {n_art / ingest:.0f} articles/s "
                  f"(cleaning, entities, index; {lib.summary.skipped} files skipped)", flush=True)
            bare, n_pass = bare_whoosh(lib, tmp / "bare")
            print(f"bare Whoosh writer, minimal schema: {n_pass} passages in {bare:.1f} s; "
                  f"ratio kreader/bare = {ingest / bare:.2f} (target <= 1.5)", flush=True)
            lib.close()

        opens = []
        for _ in range(3):  # the first open follows the ingest's work; the median is the steadier figure
            t = time.perf_counter()
            lib = Library(corpus, tmp / "ix").ensure()
            opens.append((time.perf_counter() - t) * 1000)
            if len(opens) < 3:
                lib.close()
        print(f"open unchanged index: median {statistics.median(opens):.0f} ms of 3 (first {opens[0]:.0f} ms; "
              f"target < 500 ms)", flush=True)

        qs = queries(lib, args.queries, rng)
        lat = []
        for q in qs:
            t = time.perf_counter()
            lib.search(q, limit=20)
            lat.append((time.perf_counter() - t) * 1000)
        print(f"search: {len(qs)} queries, median {statistics.median(lat):.1f} ms, p95 {pct(lat, .95):.1f} ms "
              f"(target p95 < 20 ms)", flush=True)

        infos = lib.infos()
        picks = [(i.id, rng.randrange(i.passages)) for i in rng.sample(infos, min(100, len(infos))) if i.passages]
        lat = []
        for art, n in picks:
            t = time.perf_counter()
            lib.related(art, n, limit=10)
            lat.append((time.perf_counter() - t) * 1000)
        print(f"xref: {len(lat)} passages, median {statistics.median(lat):.1f} ms, p95 {pct(lat, .95):.1f} ms "
              f"(target <= 50 ms)", flush=True)
        stories_update(lib, infos, rng)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB (main process), {kids:.0f} MB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
