"""Ingest, open, search and cross-reference speed at scale (a script, not a test).

    python benchmarks/bench_index.py                   # 20,000 generated articles
    python benchmarks/bench_index.py --articles 100000 # the issue 18 scale
    python benchmarks/bench_index.py --corpus DIR      # any folder of articles (mirrored
                                                       # by hard links, 100 files held
                                                       # back to time adding them)
    python benchmarks/bench_index.py --keep DIR        # keep corpus and index in DIR; a
                                                       # second run reuses them and times
                                                       # only open, search, xref, stories
                                                       # (and adding 100 files, once, to a
                                                       # generated corpus)

Prints, in one run: kreader's whole ingest (cleaning, entities, index) in
articles/s, with where its time went by stage (bench_stages.py); the same
passages indexed by a bare Whoosh writer with a minimal schema, and the
ratio; the time to open the unchanged index, both with every file's size
and time compared (the reader's full check) and with only the folders'
times compared (what the reader and a command wait for); search latency (median, p95)
over 200 mixed queries; cross-reference latency (median, p95); the time to
place one article in its story (median, p95); adding 100 files to the built
index, by stage; peak memory of the main process, the largest worker and
all processes, by phase. Targets (issue 18): ratio <= 1.2, open < 0.5 s,
search p95 < 20 ms, xref p95 < 50 ms, 100 files added < 10 s, memory
<= 1.5 GB across all processes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_stages import MemorySampler, StageClock, analysis_split

from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer

from reader.core import locations
from reader.core.ingest.clean import clean
from reader.core.ingest.formats.reading import read_corpus
from reader.core.library.facade import Library

FIRST = "Anna Boris Carla Dmitri Elena Farid Greta Hassan Irina Jonas Karin Leila Marek Nadia Oskar Pavel".split()
LAST = "Novak Haddad Lindgren Petrov Okafor Mendes Kovacs Rahimi Berger Sato Duarte Ivanova Moreau Kaya".split()
CITIES = "Tbilisi Gyumri Ganja Kutaisi Batumi Sumgait Vanadzor Shusha Lankaran Goris Dilijan Sheki".split()


ADDED = 100
"""Files added to the built index, timed."""
SPLIT_SAMPLE = 300
"""Files whose analysis is replayed stage by stage to split the workers' time."""


def generate(dest: Path, n: int, seed: int = 7, first: int = 0) -> None:
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
    for i in range(first, first + n):
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


def mirror(src: Path, dest: Path, held: int) -> list[Path]:
    """Hard-link (or copy) every file of ``src`` into ``dest`` but ``held`` of
    them, evenly spread; returns the held-back files (as paths under ``src``)."""
    files = sorted(p for p in src.rglob("*") if p.is_file())
    step = max(1, len(files) // max(1, held))
    back = set(files[step // 2::step][:held]) if len(files) > held else set()
    for p in files:
        if p in back:
            continue
        target = dest / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(p, target)
        except OSError:
            shutil.copy2(p, target)
    return sorted(back)


def add_files(lib: Library, corpus: Path, src: Path | None, held: list[Path], first: int, clock: StageClock) -> None:
    """Add :data:`ADDED` files to the built index and time bringing it up to date."""
    if src is None:
        generate(corpus / "added", ADDED, seed=99, first=first)
        n = ADDED
    else:
        for p in held:
            target = corpus / p.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, target)
        n = len(held)
    clock.reset()
    t = time.perf_counter()
    lib.ensure()
    sec = time.perf_counter() - t
    print(f"add {n} files to the built index ({lib.summary.added} added, {lib.summary.articles} articles now): "
          f"{sec:.1f} s (target < 10 s)", flush=True)
    print(clock.report(sec), flush=True)


def ingest(corpus: Path, tmp: Path, clock: StageClock, memory: MemorySampler) -> None:
    """The whole first ingest, by stage, then the bare Whoosh writer on the same passages."""
    memory.phase = "ingest"
    lib = Library(corpus, tmp / "ix")
    t = time.perf_counter()
    lib.ensure()
    sec = time.perf_counter() - t
    n_art = lib.summary.articles
    print(f"kreader ingest: {n_art} articles in {sec:.1f} s = {n_art / sec:.0f} articles/s "
          f"(cleaning, entities, index; {lib.summary.skipped} files skipped)", flush=True)
    sample = sorted(p for p in corpus.rglob("*") if p.is_file())
    sample = sample[::max(1, len(sample) // SPLIT_SAMPLE)][:SPLIT_SAMPLE]
    memory.phase = "profile"
    print(clock.report(sec, analysis_split(sample, corpus, lib.rules, lib.max_bytes)), flush=True)
    memory.phase = "bare whoosh"
    bare, n_pass = bare_whoosh(lib, tmp / "bare")
    print(f"bare Whoosh writer, minimal schema: {n_pass} passages in {bare:.1f} s; "
          f"ratio kreader/bare = {sec / bare:.2f} (target <= 1.2)", flush=True)
    lib.close()
    shutil.rmtree(tmp / "bare", ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--corpus", type=Path, help="use this folder instead of a generated corpus")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="keep the corpus and index here; reuse them when present")
    args = ap.parse_args()
    rng = random.Random(11)
    memory = MemorySampler().start()
    clock = StageClock().install()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = args.keep or Path(tmp)
        reuse = args.keep is not None and (tmp / "ix").exists()
        corpus = tmp / "corpus"
        held: list[Path] = []
        if not reuse:
            t = time.perf_counter()
            if args.corpus is None:
                generate(corpus, args.articles)
                print(f"generated {args.articles} articles in {time.perf_counter() - t:.1f} s", flush=True)
            else:
                held = mirror(args.corpus.resolve(), corpus, ADDED)
                print(f"mirrored {args.corpus} in {time.perf_counter() - t:.1f} s ({len(held)} files held back "
                      f"to be added at the end)", flush=True)
        if reuse:
            print(f"reusing the corpus and index in {tmp}: ingest not timed", flush=True)
        else:
            with memory.during("ingest"):
                ingest(corpus, tmp, clock, memory)

        with memory.during("open"):
            opens = []
            for _ in range(3):  # the first open follows the ingest's work; the median is the steadier figure
                t = time.perf_counter()
                lib = Library(corpus, tmp / "ix").ensure()
                opens.append((time.perf_counter() - t) * 1000)
                if len(opens) < 3:
                    lib.close()
        print(f"open unchanged index, every file's size and time compared (the reader's check in the "
              f"background): median {statistics.median(opens):.0f} ms of 3 (first {opens[0]:.0f} ms; "
              f"target < 500 ms)", flush=True)
        quick = []
        for _ in range(3):  # what the reader and every command wait for: the folders' times compared
            t = time.perf_counter()
            other = Library(corpus, tmp / "ix")
            for _ in other.update(quick=True):
                pass
            quick.append((time.perf_counter() - t) * 1000)
            other.close()
        print(f"open unchanged index, folders compared (what the reader and a command wait for): "
              f"median {statistics.median(quick):.0f} ms of 3 (first {quick[0]:.0f} ms)", flush=True)

        with memory.during("search"):
            qs = queries(lib, args.queries, rng)
            lat = []
            for q in qs:
                t = time.perf_counter()
                lib.search(q, limit=20)
                lat.append((time.perf_counter() - t) * 1000)
        print(f"search: {len(qs)} queries, median {statistics.median(lat):.1f} ms, p95 {pct(lat, .95):.1f} ms "
              f"(target p95 < 20 ms)", flush=True)

        with memory.during("xref"):
            infos = lib.infos()
            picks = [(i.id, rng.randrange(i.passages)) for i in rng.sample(infos, min(100, len(infos)))
                     if i.passages]
            lat = []
            for art, n in picks:
                t = time.perf_counter()
                lib.related(art, n, limit=10)
                lat.append((time.perf_counter() - t) * 1000)
        print(f"xref: {len(lat)} passages, median {statistics.median(lat):.1f} ms, p95 {pct(lat, .95):.1f} ms "
              f"(target p95 < 50 ms)", flush=True)
        with memory.during("stories"):
            stories_update(lib, infos, rng)
        # A reused generated corpus gets its 100 files once: a later reuse finds them indexed.
        if not reuse or (args.corpus is None and not (corpus / "added").exists()):
            with memory.during("add files"):
                add_files(lib, corpus, args.corpus.resolve() if args.corpus else None, held,
                          args.articles, clock)
        lib.close()
        memory.stop()
        clock.uninstall()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory (getrusage): {peak:.0f} MB main process, {kids:.0f} MB largest worker; "
              f"sampled by phase (target <= 1500 MB all processes):", flush=True)
        print(memory.report(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
