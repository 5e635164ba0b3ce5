"""Story placement speed at scale (a script, not a test: it prints figures).

    python benchmarks/bench_stories.py                    # a book of 100,000 articles
    python benchmarks/bench_stories.py --articles 20000
    python benchmarks/bench_stories.py --keep DIR         # keep the book; a second run
                                                          # reuses it and times only placing

Builds a story book (``stories.sqlite``) of generated articles with the
variety of a real news pile: thousands of events of a few dozen kinds (an
event: its kind's words, a few places and people, words of its own, a date
through one year), each reported one to eight times by outlets that word it
differently, amid common words drawn by a Zipf law. Articles are made in
memory with their mentions marked (no cleaning, no recogniser: only the
book is timed). Prints the build rate (per article overall, and in the
build's last update: the per-article story update at the largest size), then
the time to place one new article in its story (each placed and committed on
its own, as an update of one new file does: median, p95; target <= 50 ms at
100k), and the time to take one out. Candidates come through the book's inverted index of story
keys, so the cost should not grow with the number of stories.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reader.core.model import Article, Mention, Passage
from reader.core.stories import StoryBook

KINDS = 40
"""Kinds of event (earthquakes, elections, trials...): look-alike events share their kind's words."""
VOCABULARY = 30000
"""Made-up common words, drawn by a Zipf law."""
BATCH = 2000
"""Articles placed per update while the book is built (each placed once, those left alone in a story twice)."""
SAMPLE = 200
"""New articles timed, one update each."""
SYLLABLES = "ka lo mi ne ru ta vi so de pa gri mon tel bar ost ven dur ila"
"""Syllables of made-up words and names."""


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(parts))


class Generator:
    """Made-up events and their reports."""

    def __init__(self, seed: int = 11):
        self.rng = rng = random.Random(seed)
        self.vocab = list(dict.fromkeys(_word(rng, rng.randint(2, 4)) for _ in range(VOCABULARY * 2)))[:VOCABULARY]
        self.cum_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(self.vocab))))
        """Zipf weights, summed once (``choices(weights=...)`` sums them again at every call)."""
        self.kinds = [rng.sample(self.vocab[200:5000], 25) for _ in range(KINDS)]
        self.places = [_word(rng, 3).capitalize() for _ in range(3000)]
        self.people = [f"{_word(rng, 2).capitalize()} {_word(rng, 3).capitalize()}" for _ in range(8000)]
        self.sites = [f"{_word(rng, 2).capitalize()} News" for _ in range(60)]
        self.n = 0
        self.events: list[dict] = []

    def event(self) -> dict:
        rng = self.rng
        self.events.append({"kind": rng.choice(self.kinds), "places": rng.sample(self.places, rng.randint(1, 3)),
                "people": rng.sample(self.people, rng.randint(1, 4)), "own": rng.sample(self.vocab[1000:], 8),
                "day": rng.randint(1, 365)})
        return self.events[-1]

    def reports(self, event: dict) -> list[Article]:
        return [self.report(event) for _ in range(self.rng.choices(range(1, 9), [30, 20, 15, 10, 8, 7, 5, 5])[0])]

    def report(self, ev: dict) -> Article:
        rng = self.rng
        self.n += 1
        place, who = rng.choice(ev["places"]), rng.choice(ev["people"])
        title = f"{' '.join(rng.sample(ev['kind'], 2)).capitalize()} in {place} as {rng.choice(ev['own'])} grows"
        passages = []
        for n in range(rng.randint(5, 14)):
            words = rng.choices(self.vocab, cum_weights=self.cum_weights, k=rng.randint(12, 40))
            words += rng.sample(ev["kind"], 3) + rng.sample(ev["own"], 2)
            rng.shuffle(words)
            names = [rng.choice(ev["places"]), rng.choice(ev["people"])]
            text = " ".join(words[:6]).capitalize() + " " + names[0] + " " + " ".join(words[6:]) + " said " + names[1] + "."
            mentions = []
            for name in names:
                start = text.index(name)
                mentions.append(Mention(start, start + len(name), name, "place" if name in ev["places"] else "person"))
            passages.append(Passage(n, "paragraph", text, tuple(mentions)))
        day = min(365, max(1, ev["day"] + rng.randint(0, 3)))
        t_start = title.index(place)
        return Article(f"a{self.n:07d}", f"a{self.n:07d}.txt", title, tuple(passages), author=who,
                       date=time.strftime("%Y-%m-%d", time.strptime(f"2023 {day}", "%Y %j")),
                       site=rng.choice(self.sites),
                       title_mentions=(Mention(t_start, t_start + len(place), place, "place"),))

    def articles(self, n: int) -> list[Article]:
        out: list[Article] = []
        while len(out) < n:
            out += self.reports(self.event())
        return out[:n]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def batches(gen: Generator, n: int):
    """The book's ``n`` articles, :data:`BATCH` at a time: a kept book's run makes them
    again the same way, so its new articles are the same as the build's (made whole, the
    last event of each batch cut differently, their ids ran into the book's own)."""
    for made in range(0, n, BATCH):
        yield gen.articles(min(BATCH, n - made))


def build(book: StoryBook, gen: Generator, n: int) -> None:
    t = time.perf_counter()
    made, last = 0, (0, 0.0)
    for batch in batches(gen, n):
        t_batch = time.perf_counter()
        book.update(batch)
        last = (len(batch), time.perf_counter() - t_batch)
        made += len(batch)
        print(f"  {made} articles placed, {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    s = time.perf_counter() - t
    print(f"built: {n} articles in {s:.0f} s ({n / s:.0f} articles/s, {s / n * 1000:.2f} ms per article); "
          f"{len(book.stories())} stories", flush=True)
    print(f"story update at the largest size: the last {last[0]} articles placed in one update "
          f"(a book of {n - last[0]} -> {n}) in {last[1]:.1f} s, {last[1] / last[0] * 1000:.2f} ms per article",
          flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100000)
    ap.add_argument("--keep", type=Path, help="keep the book in this folder (reused when present)")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-stories-"))
    folder.mkdir(parents=True, exist_ok=True)
    book = StoryBook(folder / f"stories-{args.articles}.sqlite")
    gen = Generator()
    if book.count() < args.articles:
        book.clear()
        build(book, gen, args.articles)
    else:
        for _ in batches(gen, args.articles):  # the same events as the kept book's, then new ones
            pass
    # New articles: more reports of events already in the book, and new events.
    fresh = []
    for ev in random.Random(3).sample(gen.events, SAMPLE // 2):
        fresh.append(gen.report(ev))
    fresh += gen.articles(SAMPLE - len(fresh))
    lat = []
    for a in fresh:
        t = time.perf_counter()
        book.update([a])
        lat.append((time.perf_counter() - t) * 1000)
    out = []
    for a in fresh:
        t = time.perf_counter()
        book.update([], removed=[a.id])
        out.append((time.perf_counter() - t) * 1000)
    print(f"one new article placed in its story (committed) in a book of {book.count()} articles: "
          f"median {statistics.median(lat):.1f} ms, p95 {pct(lat, .95):.1f} ms (target <= 50 ms at 100k)")
    print(f"one article taken out: median {statistics.median(out):.1f} ms, p95 {pct(out, .95):.1f} ms")
    book.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
