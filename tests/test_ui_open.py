"""Opening the reader on an index built before: the list fills at once, then
every file is compared with the index while the user reads.

Pilot tests on made-up articles; no timing (benchmarks/bench_startup.py times it)."""

from __future__ import annotations

import subprocess
import sys

from made_up import DAM_A, DAM_B, DAM_C, write_corpus
from reader.ui.app import make_app
from reader.ui.messages import IndexReady
from reader.ui.widgets.article_list import ArticleList
from test_cli_freshness import settled
from test_ui import ready

EDITED = "Harbour ferries resume in Bergen\n\nThe ferries to Bergen ran again on Tuesday.\n"


def build(corpus, ix) -> None:
    proc = subprocess.run([sys.executable, "-m", "reader.cli", "index", str(corpus), "--index-dir", str(ix)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def recorded(monkeypatch) -> list[tuple[bool, int | None]]:
    """(final, number of articles listed) of each IndexReady the index worker posts."""
    seen = []
    made = IndexReady.__init__

    def init(self, infos=None, final=True, more=False) -> None:
        seen.append((final, None if infos is None else len(infos)))
        made(self, infos, final, more)
    monkeypatch.setattr(IndexReady, "__init__", init)
    return seen


async def test_a_warm_index_lists_at_once_then_finds_a_file_edited_in_place(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    settled(corpus)
    ix = tmp_path / "ix"
    build(corpus, ix)
    (corpus / "c.txt").write_text(EDITED, encoding="utf-8")  # in place: the folder looks as it did
    seen = recorded(monkeypatch)
    app = make_app(corpus, index_dir=ix, bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        # first the index as it was, listed whole; then the comparison of every file found c.txt changed
        assert seen == [(False, 3), (True, 3)]
        articles = main.query_one(ArticleList)
        assert "Harbour ferries resume in Bergen" in str(articles.get_row_at(articles.get_row_index("c"))[0])
        assert main.lib.article("c").title == "Harbour ferries resume in Bergen"
        assert main.article is not None  # the first article opened


async def test_an_unchanged_corpus_is_listed_once(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    settled(corpus)
    ix = tmp_path / "ix"
    build(corpus, ix)
    seen = recorded(monkeypatch)
    app = make_app(corpus, index_dir=ix, bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert seen == [(False, 2), (True, None)]  # the comparison found nothing to list again
        assert main.query_one(ArticleList).row_count == 2


async def test_a_first_index_is_one_update(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    seen = recorded(monkeypatch)
    app = make_app(corpus, index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert seen == [(True, 2)]
        assert main.query_one(ArticleList).row_count == 2


def test_quitting_during_the_comparison_leaves_the_library_readable(tmp_path):
    """The reader quits while its comparison of every file runs: the update is
    stopped, and the store the reader's other threads read stays open."""
    from reader.core.library.facade import Library
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    settled(corpus)
    ix = tmp_path / "ix"
    build(corpus, ix)
    (ix_dir,) = [p for p in ix.iterdir() if p.is_dir()]
    lib = Library(corpus, ix_dir)
    for _ in lib.update(quick=True):
        pass
    assert lib.trusted
    title = lib.article("a").title
    check = lib.update()
    next(check)
    check.close()  # what a cancelled worker's generator gets
    assert lib.article("a").title == title and lib.search("dam")
    assert not (ix_dir / "DAMAGED").exists()
    for _ in lib.update():
        pass
    assert not lib.trusted and lib.article("b").id == "b"


async def test_the_first_screen_comes_first_and_what_is_put_off_arrives(tmp_path, monkeypatch):
    """On a warm index the list's first page and its first article are shown before
    the rest: the cross-references and the story line wait (saying so), the other
    rows come in pages; then every piece arrives."""
    from story_articles import ALL
    from reader.ui.screens import main as main_screen
    from reader.ui.screens.stories import STORY_WAITING
    from reader.ui.messages import IndexRows
    from reader.ui.widgets.xref_list import WAITING, XrefList
    corpus = write_corpus(tmp_path / "floods", ALL)
    settled(corpus)
    ix = tmp_path / "ix"
    build(corpus, ix)
    monkeypatch.setattr(main_screen, "FIRST_PAGE", 2)
    monkeypatch.setattr(main_screen, "PAGE", 2)
    seen = recorded(monkeypatch)
    pages: list[int] = []
    made = IndexRows.__init__

    def rows(self, infos, done=False) -> None:
        pages.append(len(infos))
        made(self, infos, done)
    monkeypatch.setattr(IndexRows, "__init__", rows)
    events = []
    shown, waiting, listed = main_screen.MainScreen.show_heading, XrefList.waiting, XrefList.show

    def heading(self, article) -> None:
        shown(self, article)
        events.append(("heading", self.query_one(ArticleList).row_count, str(self.query_one("#meta").render())))

    def xref_waiting(self) -> None:
        waiting(self)
        events.append(("xref", [str(self.get_option_at_index(i).prompt) for i in range(self.option_count)]))

    def xref_shown(self, result, names, forms) -> None:
        listed(self, result, names, forms)
        events.append(("xref", result and result.article))
    monkeypatch.setattr(main_screen.MainScreen, "show_heading", heading)
    monkeypatch.setattr(XrefList, "waiting", xref_waiting)
    monkeypatch.setattr(XrefList, "show", xref_shown)
    app = make_app(corpus, index_dir=ix, bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        for _ in range(300):  # the pieces put off, each from a thread started after a paint
            xref = main.query_one(XrefList)
            if not main.more_rows and main.stories_open and xref.result is not None:
                break
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
        # the first screen: two rows, the first article's heading waiting for its story, the pane for its cross-references
        first = main.article.id
        assert events[0] == ("heading", 2, events[0][2]) and STORY_WAITING in events[0][2]
        assert events[1] == ("xref", [WAITING])
        assert seen[0] == (False, 2)
        assert ("xref", first) in events
        # then: the other rows in pages, the story line, the cross-references
        assert sum(pages) == len(ALL) - 2 and len([p for p in pages if p]) >= 2
        articles = main.query_one(ArticleList)
        assert articles.row_count == len(ALL) and articles.border_title == f"Articles ({len(ALL)})"
        assert "2 other reports of this story" in str(main.query_one("#meta").render())
        assert STORY_WAITING not in str(main.query_one("#meta").render())
        assert xref.result.article == main.article.id and xref.result.related
        assert f"{len(ALL)} articles" in main.sub_title
        # later articles open with their story line at once (the book is open)
        main.jump("b1", 0)
        await pilot.pause()
        assert "other report" in str(main.query_one("#meta").render())
