"""The reader against hostile text: markup in articles, control characters in
file names, message loops, the palette closed mid-search, slow work kept off
the event loop. Driven with Pilot exactly as `kreader` builds the app."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static

from made_up import DAM_A, DAM_B, write_corpus
from reader.ui.app import make_app
from reader.ui.screens.bookmark_dialog import BookmarkDialog
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.passage_list import PassageList
from test_ui import ready, settle

MARKUP = """Flood talks in [b]Oslo[/b] resume

By Clara Jensen
March 3, 2024

Officials said the [/b] tag broke nothing, and Maria Lindqvist agreed.

"Click [@click=app.quit]here[/] to leave," the spokesman said in Norway.

The report [sic] was wrong about the dam in Norway, Maria Lindqvist said.
"""

ESCAPE_NAME = "\x1b]2;PWNED\x07evil.txt"
"""An OSC 2 sequence (set the terminal's title) in a file name."""

PLAIN = """Dam inquiry opens

The inquiry into the Lake Vostra dam opened in Oslo on Monday, Maria Lindqvist said.
"""


@pytest.fixture
def hostile(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"markup.txt": MARKUP, "dam-a.txt": DAM_A, "dam-b.txt": DAM_B})
    (corpus / ESCAPE_NAME).write_text(PLAIN, encoding="utf-8")
    return make_app(corpus, index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")


def prompt_text(option_list, index: int) -> str:
    return str(option_list.get_option_at_index(index).prompt)


async def open_passage(app, pilot, article_id: str, n: int) -> MainScreen:
    main = app.main
    main.jump(article_id, n, remember=False)
    await settle(app, pilot)
    assert main._current() == (article_id, n)
    return main


async def test_text_that_looks_like_markup_is_shown_as_written(hostile):
    app = hostile
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await open_passage(app, pilot, "markup", 0)
        assert "[b]Oslo[/b]" in main.query_one("#meta", Static).visual.plain
        passages = main.query_one(PassageList)
        texts = [str(passages.get_option_at_index(i).prompt) for i in range(passages.option_count)]
        for literal in ("[/b]", "[@click=app.quit]here[/]", "[sic]"):
            assert any(literal in t for t in texts), literal
        for n, literal in ((0, "[/b]"), (1, "[@click=app.quit]here[/]")):
            main.jump("markup", n, remember=False)
            await settle(app, pilot)
            await pilot.press("b")  # crashed with MarkupError on [/b]
            await pilot.pause()
            assert isinstance(app.screen, BookmarkDialog)
            assert literal in app.screen.query_one("#bookmark-quote", Static).visual.plain
            await pilot.press(*"markup", "enter")
            await pilot.pause()
        await pilot.press("B")
        await settle(app, pilot)
        listing = app.screen.query_one("#bookmarks-list")
        shown = " ".join(prompt_text(listing, i) for i in range(listing.option_count))
        assert "[/b]" in shown and "[@click=app.quit]here[/]" in shown and "[b]Oslo[/b]" in shown
        await pilot.press("escape", "slash", *"sic")
        await settle(app, pilot)
        results = app.screen.query_one("#search-results")
        assert any("[sic]" in prompt_text(results, i) for i in range(results.option_count))
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"oslo")
        await settle(app, pilot)
        from textual.command import CommandList
        commands = app.screen.query_one(CommandList)
        assert any("[b]Oslo[/b]" in str(commands.get_option_at_index(i).prompt)
                   for i in range(commands.option_count))
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, MainScreen)


async def test_control_characters_in_file_names_never_reach_the_terminal(hostile, tmp_path):
    app = hostile
    (tmp_path / "corpus" / "\x1b[31mred.txt").write_bytes(b"\x00\x01binary\x00" * 50)  # skipped: a warning
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        evil = next(i.id for i in main.lib.infos() if "\x1b" in i.id)
        await open_passage(app, pilot, evil, 0)
        app.notify(f"A message naming {ESCAPE_NAME}")
        await pilot.press("b", *"x", "enter")
        await pilot.pause()
        await pilot.press("B")
        await settle(app, pilot)
        shown = app.export_screenshot()
        await pilot.press("escape")
        await pilot.pause()
        shown += app.export_screenshot()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "␛]2;PWNED␇evil" in shown  # shown, as visible characters


async def test_stale_highlights_do_not_reopen_articles_in_a_loop(hostile):
    """Two row highlights in flight used to re-open the two articles for ever
    (95% CPU, the pane title flickering): each re-opening moved the cursor back."""
    app = hostile
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        calls = []
        real = main.open_article
        main.open_article = lambda article_id, n: (calls.append(article_id), real(article_id, n))
        articles = main.query_one(ArticleList)
        articles.move_cursor(row=1)
        articles.move_cursor(row=2)
        articles.move_cursor(row=0)
        for _ in range(5):
            await settle(app, pilot)
        opened = len(calls)
        for _ in range(5):
            await settle(app, pilot)
        assert len(calls) == opened <= 1
        assert main.article.id == articles.current_id()
        await pilot.press("slash", *"oslo")
        assert isinstance(app.screen, SearchScreen) and app.screen.query_one("#search-input").value == "oslo"


async def test_re_showing_a_passage_computes_its_cross_references_once(hostile):
    app = hostile
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await open_passage(app, pilot, "dam-a", 1)
        calls = []
        real = main.compute_xref
        main.compute_xref = lambda article_id, n: (calls.append((article_id, n)), real(article_id, n))
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert calls == []
        await pilot.press("2", "down")
        await settle(app, pilot)
        assert calls == [("dam-a", 2)]


async def test_closing_the_palette_while_it_gathers_leaves_the_reader_running(hostile):
    app = hostile
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        release = threading.Event()
        real = main.lib.resolve

        def slow(*args, **kwargs):
            release.wait(10)
            return real(*args, **kwargs)
        main.lib.resolve = slow
        await pilot.press("ctrl+p", *"lindq")
        await pilot.pause(0.7)  # past the palette's "busy" countdown
        await pilot.press("escape")
        release.set()
        await settle(app, pilot)
        await pilot.pause(0.7)
        assert app.return_code is None and isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p", *"lindq", "escape", "ctrl+p", *"dam", "escape")
        await settle(app, pilot)
        assert app.return_code is None and isinstance(app.screen, MainScreen)


async def test_entity_walks_and_anchoring_run_off_the_event_loop(hostile):
    app = hostile
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        threads = {}
        lib = main.lib
        for name in ("entity_hits", "article_map"):
            real = getattr(lib, name)

            def spy(*args, _name=name, _real=real, **kwargs):
                threads.setdefault(_name, set()).add(threading.current_thread() is threading.main_thread())
                return _real(*args, **kwargs)
            setattr(lib, name, spy)
        await open_passage(app, pilot, "dam-a", 1)  # Maria Lindqvist
        await pilot.press("n")
        await settle(app, pilot)
        assert main.walk and main.walk_entity
        await pilot.press("slash", *"lindqvist")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.walk
        await pilot.press("escape", "b", "enter")
        await pilot.pause()
        await pilot.press("B")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarksScreen) and app.screen.loaded
        assert threads == {"entity_hits": {False}, "article_map": {False}}
