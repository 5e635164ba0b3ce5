"""Print entity recognition throughput and resolution time (a script, not a test).

usage: python benchmarks/bench_entities.py [--mb 4] [--mentions 100000]

Recognition runs on several MB of generated news-like text (made-up names);
resolution runs on articles carrying the requested number of synthetic
mentions over a few thousand distinct forms, as ``recognise_article`` gives them.
"""

from __future__ import annotations

import argparse
import random
import time

from reader.core.entities import recognise_article, resolve_corpus
from reader.core.entities.gazetteer import gazetteer
from reader.core.model import Article, Mention, Passage

GIVEN = ["Maria", "John", "Ahmed", "Olga", "Pierre", "Li", "Fatima", "Carlos", "Anna", "Yusuf"]
SYLLABLES = ["ka", "lo", "mir", "dan", "vek", "sul", "tar", "ben", "gor", "zi", "ran", "mo"]
TEMPLATES = [
    "President {p} said on Tuesday that talks in {c} would continue.",
    "{p}, the foreign minister, met officials of the {o} Council in {c}.",
    "Thousands of people gathered in the village of {c} after the {o} Ministry warned of unrest.",
    "Meanwhile, the U.N. Security Council and the EU called for calm, according to {p}.",
    "Protesters marched to the {o} Agency, where spokesman {p} told reporters nothing.",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _text(rng: random.Random, size: int) -> list[str]:
    passages, total = [], 0
    while total < size:
        sents = [rng.choice(TEMPLATES).format(p=f"{rng.choice(GIVEN)} {_word(rng)}", c=_word(rng), o=_word(rng))
                 for _ in range(4)]
        passages.append(" ".join(sents))
        total += len(passages[-1])
    return passages


def bench_recognition(mb: float) -> None:
    rng = random.Random(1)
    passages = _text(rng, int(mb * 1_000_000))
    articles = [Article(f"a{i}", f"a{i}.txt", "Generated story",
                        tuple(Passage(n, "paragraph", t) for n, t in enumerate(passages[i:i + 20])))
                for i in range(0, len(passages), 20)]
    size = sum(len(p.text) for a in articles for p in a.passages)
    gazetteer()  # loading the gazetteers and the model is paid once, not per MB
    recognise_article(Article("w", "w.txt", "Warm-up", (Passage(0, "paragraph", "Anna Berg said."),)))
    t, cpu = time.perf_counter(), time.process_time()
    for a in articles:
        recognise_article(a)
    dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"recognition: {size / 1e6:.1f} MB in {dt:.2f} s = {size / 1e6 / dt:.2f} MB/s "
          f"(CPU time {dcpu:.2f} s = {size / 1e6 / dcpu:.2f} MB/s; the two differ on a busy machine)")


def bench_resolution(n_mentions: int) -> None:
    rng = random.Random(2)
    people = [f"{rng.choice(GIVEN)} {_word(rng)}" for _ in range(3000)]
    places = [_word(rng) for _ in range(3000)]
    orgs = [f"{_word(rng)} Council" for _ in range(1000)]
    pool = ([(p, "person") for p in people] + [(p.split()[-1], "person") for p in people]
            + [(p, "place") for p in places] + [(o, "organization") for o in orgs])
    articles, made = [], 0
    while made < n_mentions:
        text, mentions = [], []
        pos = 0
        for _ in range(50):
            name, typ = rng.choice(pool)
            chunk = f"Yesterday {name} was named. "
            start = pos + len("Yesterday ")
            mentions.append(Mention(start, start + len(name), name, typ))
            text.append(chunk)
            pos += len(chunk)
        articles.append(Article(f"r{len(articles)}", "r.txt", "",
                                (Passage(0, "paragraph", "".join(text), tuple(mentions)),)))
        made += len(mentions)
    t = time.perf_counter()
    res = resolve_corpus(articles)
    dt = time.perf_counter() - t
    t = time.perf_counter()
    for a in articles:
        res.apply(a)
    dt_apply = time.perf_counter() - t
    t = time.perf_counter()
    for q in ("maria kalo", "tarben", "zzzz", "dan council"):
        res.lookup(q)
    dt_lookup = (time.perf_counter() - t) / 4
    print(f"resolution: {made} mentions, {len(res.entities)} entities in {dt:.2f} s; "
          f"apply to all articles {dt_apply:.2f} s; one lookup {dt_lookup * 1000:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--mentions", type=int, default=100_000)
    args = ap.parse_args()
    bench_recognition(args.mb)
    bench_resolution(args.mentions)


if __name__ == "__main__":
    main()
