"""Time reading + cleaning a generated 2,000-article corpus.

Usage::

    python benchmarks/bench_clean.py [--articles 2000] [--seed 7] [--keep DIR]

The corpus is made from the bundled articles with variation: paragraphs
shuffled, numbers and names substituted from made-up lists, boilerplate lines
(ads, teasers, bylines, dates, comment forms, credits) inserted, a few files in
legacy encodings or Markdown. It prints ms per article and articles per second
for reading, cleaning and both. A script, not a test.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from reader.core.ingest.clean import clean
from reader.core.ingest.rules import load_rules
from reader.core.ingest.formats.reading import read_corpus
from reader.core.locations import bundled_corpus
from reader.core.model import SourceFile

NAMES = ["Mara Quell", "Tobin Vasko", "Ilse Brandt", "Oren Fadil", "Lucia Penn", "Hamid Rostov",
         "Greta Holm", "Nuno Sava", "Alba Kerr", "Piet Moreau"]
PLACES = ["Varnholt", "Lessing Bay", "Odrava", "Kellmere", "Portvine", "Sarnok", "Elbrook"]
BOILERPLATE = ["[ad_1]", "Advertisement", "Read also:\nTugboats return to the old canal in {place}",
               "Related: Port strike enters its second week", "Leave a Reply",
               "Your email address will not be published. Required fields are marked *",
               "Exit mobile version", "(photo credit: GULL AGENCY)", "Share this article", "rep",
               "Follow us on Twitter for updates", "© 2023 Gull Media. All rights reserved."]
HEADS = ["By {name}\n{day} Sep, 2023", "By {name}", "September {day}, 2023", "2023-09-{day:02d}", ""]
_NUMBER = re.compile(r"\b\d{1,6}\b")
_CAPWORD = re.compile(r"\b(?:Baku|Yerevan|Stepanakert|Moscow)\b")


def bundled_paragraphs() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each bundled file."""
    out = []
    for path in sorted(bundled_corpus().glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        out.append((blocks[0], blocks[1:]))
    return out


def make_article(rng: random.Random, k: int, sources: list[tuple[str, list[str]]]) -> str:
    title, paras = rng.choice(sources)
    paras = rng.sample(paras, k=max(3, int(len(paras) * rng.uniform(0.5, 1.0))))
    place = rng.choice(PLACES)
    paras = [_CAPWORD.sub(place, _NUMBER.sub(lambda m: str(rng.randint(1, 999)), p)) for p in paras]
    for _ in range(rng.randint(1, 4)):
        paras.insert(rng.randrange(len(paras) + 1), rng.choice(BOILERPLATE).format(place=place))
    head = rng.choice(HEADS).format(name=rng.choice(NAMES), day=rng.randint(1, 28))
    suffix = rng.choice(["", "", f" | News | {place} Daily"])
    return "\n\n".join([f"{title} ({k}){suffix}", head, *paras]) + "\n"


def generate(folder: Path, n: int, seed: int) -> int:
    rng = random.Random(seed)
    sources = bundled_paragraphs()
    total = 0
    for k in range(n):
        text = make_article(rng, k, sources)
        sub = folder / f"batch{k % 20:02d}"
        sub.mkdir(exist_ok=True)
        roll = rng.random()
        if roll < 0.05:
            data = text.encode("cp1252", "replace")
        elif roll < 0.08:
            data = ("# " + text).encode("utf-8")
        else:
            data = text.encode("utf-8")
        suffix = ".md" if data.startswith(b"# ") else ".txt"
        (sub / f"article_{k:05d}{suffix}").write_bytes(data)
        total += len(data)
    return total


def bench(folder: Path) -> dict[str, float]:
    rules = load_rules()
    t0 = time.perf_counter()
    sources = [s for s in read_corpus(folder) if isinstance(s, SourceFile)]
    t1 = time.perf_counter()
    articles = [a for s in sources for a in clean(s, rules)]
    t2 = time.perf_counter()
    return {"files": len(sources), "articles": len(articles), "read": t1 - t0, "clean": t2 - t1,
            "passages": sum(len(a.passages) for a in articles)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kreader-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        size = generate(folder, args.articles, args.seed)
        bench(folder)  # warm-up: imports, rule compilation, OS file cache
        r = bench(folder)
    n = r["files"]
    total = r["read"] + r["clean"]
    print(f"corpus: {n} files, {size / 1e6:.1f} MB, {r['articles']} articles, {r['passages']} passages")
    for label, secs in (("read", r["read"]), ("clean", r["clean"]), ("read+clean", total)):
        print(f"{label:>10}: {secs:6.2f} s  {1000 * secs / n:6.2f} ms/article  {n / secs:8.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
