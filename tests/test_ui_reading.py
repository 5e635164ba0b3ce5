"""What a new user trips on in the reader: the lines above the first passage,
j / k in every list, the bookmarks list. Pilot tests on made-up articles."""

from __future__ import annotations

import threading

import pytest

from made_up import DAM_B, DAM_C, write_corpus
from reader.ui.app import make_app
from reader.ui.screens.bookmark_dialog import ConfirmScreen
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.entities import EntitiesScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.widgets.passage_list import PassageList
from test_ui import ready, settle

REPOST = """Dam inquiry opens in Oslo

Dam inquiry opens in Oslo
[ad_1]
By Clara Jensen

The inquiry into the Lake Vostra dam opened in Oslo on Monday, Maria Lindqvist said.

Engineers from the Norwegian Water Authority told the inquiry about cracks in Norway.

“Whether the warnings were heard is the question,” Maria Lindqvist told the inquiry in Oslo.
"""

LONG_TITLE = ("An extraordinarily long headline about the Lake Vostra dam inquiry in Oslo that goes on and on "
              "well past any pane")


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", {"a-repost.txt": REPOST, "b-dam.txt": DAM_B, "c-weather.txt": DAM_C,
                                              "d-long.txt": LONG_TITLE + "\n\n" + DAM_C.split("\n", 1)[1]})


@pytest.fixture
def app(corpus, tmp_path):
    return make_app(corpus, index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")


async def test_up_on_the_first_passage_shows_the_lines_removed_above_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert main.article.id == "a-repost"
        above = [r for r in main.article.removed if r.after == -1]
        assert {r.text for r in above} >= {"[ad_1]"}
        passages = main.query_one(PassageList)
        await pilot.press("2", "r")
        await settle(app, pilot)
        first_passage = passages.get_option_index("p0")
        assert first_passage == len(above)  # the removed lines come first
        assert passages.current() == 0 and passages.scroll_y == 0  # and are in view
        await pilot.press("down", "down")
        await pilot.press("up", "up")
        await settle(app, pilot)
        assert passages.current() == 0 and passages.scroll_y == 0
        await pilot.press("up")  # no wrap-around to the last passage
        await settle(app, pilot)
        assert passages.current() == 0 and passages.scroll_y == 0
        last = len(main.article.passages) - 1
        for _ in range(last + 2):
            await pilot.press("down")
        await settle(app, pilot)
        assert passages.current() == last  # and none from the last to the first


async def test_j_and_k_move_in_the_entities_and_bookmarks_lists(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EntitiesScreen)
        entities = app.screen.query_one("#entities-list")
        assert entities.option_count >= 2 and entities.highlighted == 0
        await pilot.press("j")
        assert entities.highlighted == 1
        await pilot.press("k")
        assert entities.highlighted == 0
        await pilot.press("escape", "2")
        for n in (0, 1):
            main.jump("a-repost", n, remember=False)
            await settle(app, pilot)
            await pilot.press("b", "enter")
            await pilot.pause()
        await pilot.press("B")
        await settle(app, pilot)
        marks = app.screen.query_one("#bookmarks-list")
        assert marks.highlighted == 0
        await pilot.press("j")
        assert marks.highlighted == 1
        await pilot.press("k")
        assert marks.highlighted == 0


async def add_bookmark(app, pilot, article: str, n: int, note: str, tags: str) -> None:
    app.main.jump(article, n, remember=False)
    await settle(app, pilot)
    await pilot.press("b", *note, "tab", *tags, "enter")
    await pilot.pause()


async def test_the_bookmarks_list_filters_by_tag_and_keeps_a_selection(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await add_bookmark(app, pilot, "a-repost", 2, "who said it", "analysis, quotes")
        await add_bookmark(app, pilot, "b-dam", 0, "toll", "figures")
        await add_bookmark(app, pilot, "d-long", 0, "", "")
        await pilot.press("B")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        listing = screen.query_one("#bookmarks-list")
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "#analysis #quotes" in prompts[0]
        assert "““" not in prompts[0] and "””" not in prompts[0] and "“Whether the warnings" in prompts[0]
        assert LONG_TITLE not in prompts[2] and "…" in prompts[2].split("\n")[0]
        await pilot.press("slash", *"#analysis")
        await pilot.pause()
        assert [b.note for b in screen.shown()] == ["who said it"]
        assert listing.highlighted == 0
        await pilot.press(*"x")
        await pilot.pause()
        assert screen.shown() == []
        said = str(listing.get_option_at_index(0).prompt)
        assert "No bookmark matches" in said and "#analysisx" in said and "yet" not in said
        for _ in range(len("#analysisx")):
            await pilot.press("backspace")
        await pilot.press(*"toll")
        await pilot.pause()
        assert [b.note for b in screen.shown()] == ["toll"]
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.pause()
        assert len(screen.shown()) == 3
        current = screen._current()  # something is selected after the filter is cleared
        assert current is not None and current.note == "toll"
        await pilot.press("enter")  # back to the list
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert "passage 0" in question and "Norway mourns" in question and "Officials in Oslo" in question
        await pilot.press("y")
        await settle(app, pilot)
        assert [b.note for b in screen.marks] == ["who said it", ""]


class HeldUpdate:
    """Library.update held after its first batch of articles, until released:
    the reader's state while the first index is being built, without timing."""

    def __init__(self, lib, at=lambda step: bool(step.articles)) -> None:
        self.real = lib.update
        self.at = at
        """Which step to hold after (the first batch of articles by default)."""
        self.release = threading.Event()
        self.held = threading.Event()

    def __call__(self, *args, **kwargs):
        for step in self.real(*args, **kwargs):
            yield step
            if self.at(step) and not self.held.is_set():
                self.held.set()
                self.release.wait(30)


async def until(pilot, condition) -> None:
    for _ in range(3000):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_the_article_list_fills_its_column_while_and_after_indexing(app, size):
    held = HeldUpdate(app.library)
    app.library.update = held
    async with app.run_test(size=size) as pilot:
        await until(pilot, held.held.is_set)
        main = app.main
        await until(pilot, lambda: main.query_one("#list").row_count > 0)
        await pilot.pause()
        panes = main.query_one("#panes").region
        assert main.query_one("#list").region.height == panes.height  # not 2 rows, not its content
        held.release.set()
        await ready(app, pilot)
        assert main.query_one("#list").region.bottom == panes.bottom == main.query_one("#passages").region.bottom


async def test_at_80x24_the_text_shows_lines_while_the_list_has_focus_and_the_footer_fits(app):
    from textual.widgets._footer import FooterKey
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(app, pilot)
        assert main.query_one("#list").has_focus
        assert main.query_one("#passages").region.height - 2 >= 6  # lines of text inside the border
        for focus in ("1", "2", "3"):
            await pilot.press(focus)
            await pilot.pause()
            keys = list(app.screen.query(FooterKey))
            assert keys and all(k.region.right <= 80 and k.region.width > 0 for k in keys), focus
            shown = {k.key for k in keys}
            assert {"slash", "n", "e", "b", "B", "r", "question_mark", "q"} <= shown


async def test_search_while_the_first_index_is_built_says_it_is_partial(app):
    held = HeldUpdate(app.library)
    app.library.update = held
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, held.held.is_set)
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)  # not a toast
        await pilot.press(*"oslo")
        await settle_search(app, pilot)
        status = str(app.screen.query_one("#search-status").visual)
        assert status.startswith("Partial: the index is still being built")
        held.release.set()
        await until(pilot, lambda: app.main.ready)
        await pilot.press("space")  # the same query again, now the index is whole
        await settle_search(app, pilot)
        status = str(app.screen.query_one("#search-status").visual)
        assert "Partial" not in status and app.screen.query_one("#search-results").option_count > 0


async def settle_search(app, pilot) -> None:
    """Let the search screen's workers finish (not the index's, which may be held)."""
    for _ in range(3):
        await pilot.pause()
        mine = [w for w in app.workers if w.node is app.screen]
        if mine:  # an empty list means every worker
            await app.workers.wait_for_complete(mine)
    await pilot.pause()
