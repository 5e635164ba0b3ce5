"""Fuzz the cleaner, the metadata patterns and the query parser with
hypothesis, timing every case, and print the slowest inputs.

Usage::

    python benchmarks/fuzz_inputs.py [--examples 3000] [--top 5]

Three targets, ``--examples`` cases each: ``clean`` (whole texts, plain and
Markdown, with long lines built from pieces that once made a pattern
backtrack), ``meta`` (single lines through every metadata function) and
``query`` (the query language's parser). For each it prints the slowest
cases with their CPU time (timed again apart from hypothesis's own work),
length and a shortened repr, and checks the budget: no input over 1 s per
10 KB (and none over 1 s below 10 KB). A script, not a
test (tests/test_robust_*.py keep a small bounded version).
"""

from __future__ import annotations

import argparse
import heapq
import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.errors import QueryError
from reader.core.ingest import meta
from reader.core.ingest.clean import clean_text
from reader.core.search import index as search_index

BUDGET_S_PER_10KB = 1.0
"""The most an input may take, per 10 KB of it (at least one second)."""

_PIECES = ["By ", "Jane Doe ", "2023-09-19 ", "Sep 19, 2023 ", "on ", "at ", "published ", "updated ", "| ",
           " | ", "_a ", "*a ", "**", "__", "*", "_", "[a", "](", "](http://x/y)", ")", "(", "![", "x", " ", "  ",
           "\t", "\n", "\n\n", "# ", "> ", "- ", "1. ", "10:30 ", "a.m. ", "GMT+1 ", "Source: https://e.org/a ",
           "[ad_1]", "Read more:", "Photo: ", "(AFP)", "©", "—", "–", "é", "Ã©", "\u200b", "\ufeff", "\r\n", "\x1b",
           "Title Words Here ", "Harbour strike | Port News", "www.", "http://", "@", "#", "&", ";", ":", ","]
_QUERY_PIECES = ["dam", "snow", "the", "(", ")", '"', "OR", "AND", "NOT", "date:", "2024", "-03", "-13", "[", "]",
                 "{", "}", " TO ", ">", "<", "=", "person:", "place:", "org:", "title:", "site:", "entity:", "*",
                 "?", "~", "~2", "^", "^2", ":", " ", "\n", "x" * 40, "é", "\x1b", "\\", "'", "-", "+", "/", "//",
                 "http://a.b/c", "10:30", "🙂"]


def _long(pieces: list[str]):
    """Texts from ``pieces``, some repeated into long lines."""
    joined = st.lists(st.sampled_from(pieces), max_size=200).map("".join)
    repeated = st.tuples(st.lists(st.sampled_from(pieces), min_size=1, max_size=4).map("".join),
                         st.integers(1, 4000)).map(lambda t: t[0] * t[1])
    return st.one_of(st.text(max_size=2000), joined, repeated,
                     st.lists(st.one_of(joined, repeated), max_size=6).map("\n".join))


RETIMES = 3
"""The slowest cases are timed again this many times, the least kept: the
first timing runs among hypothesis's own work (its garbage collections land
in it) on a machine shared with other jobs."""


def _cpu_time(fn, text: str) -> float:
    t = time.process_time()
    fn(text)
    return time.process_time() - t


class Timings:
    """The slowest cases of one target."""

    def __init__(self, name: str, fn, top: int) -> None:
        self.name, self.fn, self.top = name, fn, top
        self.slowest: list[tuple[float, int, str]] = []
        self.cases = 0
        self.suspects: list[tuple[float, int, str]] = []
        """Cases over the budget at their first timing."""

    def time(self, text: str) -> None:
        took = _cpu_time(self.fn, text)
        self.cases += 1
        item = (took, self.cases, text)
        heapq.heappush(self.slowest, item)
        if len(self.slowest) > self.top:
            heapq.heappop(self.slowest)
        if took > _budget(text):
            self.suspects.append(item)

    def report(self) -> bool:
        """Print the slowest cases, timed again; True when none is over the budget."""
        print(f"\n{self.name}: {self.cases} cases; slowest (CPU seconds, least of {RETIMES} more runs; first run):")
        cases = {n: text for _, n, text in self.slowest + self.suspects}
        first = {n: took for took, n, _ in self.slowest + self.suspects}
        again = {n: min(_cpu_time(self.fn, text) for _ in range(RETIMES)) for n, text in cases.items()}
        ok = True
        for n in sorted(again, key=again.get, reverse=True)[:self.top]:
            text = cases[n]
            print(f"  {again[n] * 1000:9.1f} ms ({first[n] * 1000:8.1f})  {len(text):7,} chars  "
                  f"{text[:60]!r}{'…' if len(text) > 60 else ''}")
        for n, took in again.items():
            if took > _budget(cases[n]):
                ok = False
                print(f"  OVER BUDGET: {took:.2f} s for {len(cases[n]):,} chars: {cases[n][:100]!r}")
        return ok


def _budget(text: str) -> float:
    return BUDGET_S_PER_10KB * max(1.0, len(text.encode("utf-8")) / 10_240)


def _clean(text: str) -> None:
    clean_text(text, "f", "f.txt")
    clean_text(text, "f", "f.md", markdown=True)


def _meta(text: str) -> None:
    for line in text.split("\n") or [""]:
        meta.date_line(line), meta.byline_with_date(line), meta.byline(line)
        meta.split_title(line), meta.has_site_suffix(line), meta.source_line(line), meta.parse_date(line)


_QP = None


def _query(text: str) -> None:
    global _QP
    _QP = _QP or search_index.parser(search_index.make_schema())
    try:
        search_index.parse(_QP, text, lambda *a, **k: [])
    except QueryError:
        pass


def run(strategy, timings: Timings, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=strategy)
    def case(text):
        timings.time(text)
    case()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=3000)
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    ok = True
    for name, target, strategy in (("clean", _clean, _long(_PIECES)), ("meta", _meta, _long(_PIECES)),
                                   ("query", _query, _long(_QUERY_PIECES))):
        timings = Timings(name, target, args.top)
        target("warm up: By Jane Doe | 2023-09-19\n\nA first paragraph of the made-up text.")  # imports, caches
        start = time.perf_counter()
        run(strategy, timings, args.examples)
        ok = timings.report() and ok
        print(f"  ({time.perf_counter() - start:.0f} s in all)")
    print("\nno input over budget" if ok else "\nSOME INPUTS OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
