"""Start-up of the reader against an empty Textual app, and scrolling its list (a script, not a test).

    python benchmarks/bench_startup.py [--runs 7] [--corpus DIR --index-dir ROOT] [--no-scroll]
    python benchmarks/bench_startup.py --articles 100000 [--runs 3]

Each measurement is a fresh Python process, from its launch to the app's first
paint (Textual's auto-pilot runs once the app is ready and painted), imports
included, its exit not: what a user waits for. kreader is started through
its command-line entry (``kreader read``), headless, on a warm index (brought
up to date once before timing: a new corpus of thousands of files takes
minutes). Without ``--corpus`` the bundled corpus is read, its index kept in
a temporary folder; with it, ``--index-dir`` says where kreader keeps its
indexes (keep one there to time a big corpus warm).

Timed: the first paint; until the list's first page and its first article are
shown (the index opened in the thread worker: the first paint after), then
each piece filled in after that paint (the rest of the list, the first
passage's cross-references, the story line; from the launch); and, in the same process
once the list is filled, scrolling it: End, PageUp, PageDown and Home, each
from the key press until the app has handled it and painted again (the
article under the cursor opened, as a user sees it: until the first
repaint of the screen after the key was handled), and the rows the list drew for it (it draws only the rows on screen). Targets: first paint of
kreader <= 2x the empty app; on 100,000 articles the reader paints in < 1 s
and scrolls the list instantly (issue 18).

``--articles N`` times the article list alone in an otherwise empty app, with
N made-up rows (no index: what the list costs at a size no index at hand has):
``show()`` and the paint after it, then the same keys and ``s`` (sort by date).
"""

from __future__ import annotations

import argparse
import json
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

WATCH = """
import asyncio, json, sys, time
from textual import events
from textual.screen import Screen
painted, paints = [0.0], []
compose = Screen._compositor_refresh
def paint(self):
    compose(self)
    painted[0] = time.perf_counter()
    paints.append(painted[0])
Screen._compositor_refresh = paint
async def until(done, limit=10.0):
    t = time.perf_counter()
    while not done() and time.perf_counter() - t < limit:
        await asyncio.sleep(0.001)
    return time.perf_counter()
"""
"""What both timed kreader scripts start with: every paint's time noted, and a wait
for a condition (polled each millisecond, as the terminal would see it)."""

KREADER = WATCH + """
from reader import cli
from reader.ui import app as ui
SCROLL = ("end", "pageup", "pagedown", "home")
def since(t):
    return time.time() - (time.perf_counter() - t)
async def auto(pilot):
    if sys.argv[2] != "paint":  # the first paint showing the list and its first article
        filled = await until(lambda: pilot.app.main and pilot.app.main.ready and pilot.app.main.article, 600)
        await until(lambda: painted[0] > filled)
    print(time.time(), flush=True)
    if sys.argv[2] != "paint":  # then what is filled in after: the rest of the list, cross-references, story line
        from reader.ui.widgets.article_list import ArticleList
        from reader.ui.widgets.xref_list import XrefList
        main = pilot.app.main
        later = {"whole list": lambda: not getattr(main, "more_rows", False),
                 "cross-references": lambda: main.query_one(XrefList).result is not None,
                 "story line": lambda: getattr(main, "stories_open", True)}
        done_at, t0 = {}, time.perf_counter()
        while len(done_at) < len(later) and time.perf_counter() - t0 < 60:
            done_at.update((k, time.perf_counter()) for k, done in later.items() if k not in done_at and done())
            await asyncio.sleep(0.001)
        await until(lambda: painted[0] > max(done_at.values(), default=0))
        got = {k: since(next(p for p in paints if p > at)) for k, at in done_at.items()}
        print(json.dumps(got), flush=True)
    if sys.argv[2] == "scroll":
        articles = pilot.app.main.query_one(ArticleList)
        articles.focus()
        main, keys = pilot.app.main, {}
        for key in SCROLL:
            await pilot.pause()  # the last key's work (its cross-references) done
            drawn, row, t = articles.rows_drawn, articles.cursor_row, time.perf_counter()
            pilot.app.post_message(events.Key(key, None))  # as a terminal sends it (pilot.press waits for idle)
            moved = await until(lambda: articles.cursor_row != row)
            listed = await until(lambda: painted[0] > moved)
            opened = await until(lambda: main.article is not None and main.article.id == articles.current_id())
            shown = await until(lambda: painted[0] > opened)
            keys[key] = [listed - t, shown - t, articles.rows_drawn - drawn]
        print(json.dumps({"rows": articles.row_count, "keys": keys}), flush=True)
    pilot.app.exit()
run = ui.KReader.run
ui.KReader.run = lambda self, **kw: run(self, headless=True, auto_pilot=auto, size=(120, 40))
cli.main(["read", "--index-dir", sys.argv[1], "--bookmarks", sys.argv[1] + "/b.yaml", *sys.argv[3:]])
"""


LIST = WATCH + """
from textual.app import App
from reader.core.library.store import ArticleInfo
from reader.ui.widgets.article_list import ArticleList
n = int(sys.argv[1])
t = time.perf_counter()
infos = [ArticleInfo(f"a{i:06d}", f"news/{i // 1000:03d}/a{i:06d}.txt", f"Harbour report number {i} from the coast",
                     f"20{i % 30:02d}-03-{i % 28 + 1:02d}", "Nordic Wire" if i % 2 else "", 3) for i in range(n)]
made = time.perf_counter() - t
class Lister(App):
    def compose(self):
        yield ArticleList(id="list")
async def auto(pilot):
    articles = pilot.app.query_one(ArticleList)
    articles.focus()
    await pilot.pause()
    figures = {}
    t = time.perf_counter()
    articles.show(infos)
    shown = time.perf_counter()
    await until(lambda: painted[0] > shown)
    figures["show"] = [shown - t, painted[0] - t, articles.rows_drawn]
    for key in ("end", "pageup", "pagedown", "home", "s"):
        await pilot.pause()
        drawn, t = articles.rows_drawn, time.perf_counter()
        pilot.app.post_message(events.Key(key, None))
        first = articles.row_keys[0] if key == "s" else None
        row = articles.cursor_row
        moved = await until(lambda: articles.cursor_row != row or (first and articles._keys[0] != first))
        await until(lambda: painted[0] > moved)
        figures[key] = [moved - t, painted[0] - t, articles.rows_drawn - drawn]
    print(json.dumps({"made": made, "figures": figures}), flush=True)
    pilot.app.exit()
Lister().run(headless=True, auto_pilot=auto, size=(120, 40))
"""


def list_alone(articles: int, runs: int) -> None:
    """Print what the article list alone costs with ``articles`` rows (made up)."""
    got = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LIST, str(articles)], check=True, capture_output=True, text=True)
        got.append(json.loads(out.stdout.splitlines()[-1]))
    med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"the article list alone, {articles:,} made-up rows (median of {runs}; the entries made in "
          f"{med([g['made'] for g in got]):.0f} ms):")
    for step in got[0]["figures"]:
        runs_ = [g["figures"][step] for g in got]
        what = "show() returned" if step == "show" else "key handled"
        print(f"  {step:9s} {what} {med([r[0] for r in runs_]):6.0f} ms, painted {med([r[1] for r in runs_]):6.0f} ms, "
              f"{max(r[2] for r in runs_):4d} rows drawn")


def timed(code: str, *args: str) -> tuple[float, list[str], float]:
    """Seconds from the process's launch to the moment the script prints (the
    app's first paint, or the list filled; the process's exit is not counted),
    the lines it printed after, and the launch (``time.time()``)."""
    t = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    first, *rest = out.stdout.splitlines()
    return float(first) - t, rest, t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", help="a corpus folder (default: the bundled corpus)")
    ap.add_argument("--index-dir", help="where kreader keeps its indexes (default: a temporary folder)")
    ap.add_argument("--no-scroll", action="store_true", help="time the paint and the filled list only")
    ap.add_argument("--articles", type=int, help="instead: time the article list alone, with this many "
                    "made-up rows (shown, End, PageUp, PageDown, Home, s to sort)")
    args = ap.parse_args()
    if args.articles:
        list_alone(args.articles, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        ix = args.index_dir or tmp
        extra = ["--corpus", args.corpus] if args.corpus else []
        t = time.time()
        timed(KREADER, ix, "filled", *extra)  # bring the index up to date: the runs below find it warm
        print(f"warming the index (kreader read until the list is filled): {time.time() - t:.1f} s")
        empty, paint, filled, keys, rows, later = [], [], [], {}, 0, {}
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            empty.append(timed(EMPTY)[0])
            paint.append(timed(KREADER, ix, "paint", *extra)[0])
            took, out, launched = timed(KREADER, ix, "filled" if args.no_scroll else "scroll", *extra)
            filled.append(took)
            for what, at in json.loads(out[0]).items():
                later.setdefault(what, []).append(at - launched)
            if len(out) > 1:
                got = json.loads(out[1])
                rows = got["rows"]
                for key, figures in got["keys"].items():
                    keys.setdefault(key, []).append(figures)
    e, p, f = (statistics.median(x) * 1000 for x in (empty, paint, filled))
    corpus = args.corpus or "bundled corpus"
    print(f"empty Textual app, first paint: median {e:.0f} ms over {args.runs} runs")
    print(f"kreader, {corpus}, warm index, first paint: median {p:.0f} ms = {p / e:.2f}x the empty app "
          f"(target <= 2x; < 1 s on 100,000 articles)")
    print(f"kreader, until the list's first page and its first article are shown: median {f:.0f} ms = {f / e:.2f}x")
    for what, ats in later.items():
        print(f"  then {what} shown: median {statistics.median(ats) * 1000:.0f} ms from the launch")
    if keys:
        print(f"scrolling the list of {rows:,} rows, medians from the key press to the paint "
              f"showing the list moved, then the article under the cursor opened; rows drawn:")
        for key, runs in keys.items():
            print(f"  {key:9s} list {statistics.median(r[0] for r in runs) * 1000:6.0f} ms, "
                  f"article {statistics.median(r[1] for r in runs) * 1000:6.0f} ms, "
                  f"{max(r[2] for r in runs):4d} rows drawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
