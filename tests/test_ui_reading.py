"""What a new user trips on in the reader: the lines above the first passage,
j / k in every list, the bookmarks list. Pilot tests on made-up articles."""

from __future__ import annotations

import pytest

from made_up import DAM_B, DAM_C, write_corpus
from reader.ui.app import make_app
from reader.ui.screens.bookmark_dialog import ConfirmScreen
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.entities import EntitiesScreen
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
