"""The reader, driven with Textual's Pilot exactly as `kreader` builds it."""

from __future__ import annotations

import yaml
import pytest

from reader.ui.app import make_app
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.entities import EntitiesScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.widgets.passage_list import PassageList
from reader.ui.widgets.xref_list import XrefList


@pytest.fixture
def app(tmp_path):
    return make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")


async def ready(app, pilot) -> MainScreen:
    """Wait until the index is open and the list filled (the worker starts after the first paint)."""
    for _ in range(3000):
        main = app.main
        if main is not None and main.ready:
            break
        await pilot.pause(0.01)
    assert main is not None and main.ready
    await app.workers.wait_for_complete()
    await pilot.pause()
    return main


async def settle(app, pilot) -> None:
    """Let a key's chain of messages and thread workers run out.

    A cursor move reaches the cross-reference pane through several messages and a
    worker thread; one pause is not always enough on a slow machine.
    """
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def test_opens_the_bundled_corpus_and_xref_follows_the_cursor(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert main.query_one("#list").row_count >= 5
        passages = main.query_one(PassageList)
        assert passages.article is not None and passages.option_count > 3
        await pilot.press("2")
        assert passages.has_focus
        for expected in (1, 2):
            await pilot.press("down")
            await settle(app, pilot)
            xref = main.query_one(XrefList)
            assert xref.result is not None and xref.result.passage == expected
            assert all(r.article != passages.article.id for r in xref.result.related)
        await pilot.press("j")
        await settle(app, pilot)
        assert main.query_one(XrefList).result.passage == 3


async def test_search_pashinian_offers_nikol_pashinyan_and_n_walks_his_passages(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"pashinian")
        await settle(app, pilot)
        search = app.screen
        first = search.choices[search.query_one("#search-results").get_option_at_index(0).id]
        assert first[0] == "entity"
        assert main.lib.resolution.entity(first[1]).name == "Nikol Pashinyan"
        await pilot.press("enter")
        await pilot.pause()
        assert len({a for a, _ in search.walk}) >= 3
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        here = main._current()
        assert here in main.walk
        mentions = {m.entity for m in main.article.passages[here[1]].mentions}
        assert first[1] in mentions
        await pilot.press("n")
        await settle(app, pilot)
        after = main._current()
        assert after != here and after in main.walk
        await pilot.press("N")
        await settle(app, pilot)
        assert main._current() == here
        await pilot.press("escape")


async def test_b_writes_a_bookmark_with_note_and_tags(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await pilot.press("2", "down")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"check figures", "tab", *"toll, casualties", "enter")
        await pilot.pause()
        data = yaml.safe_load((tmp_path / "bookmarks.yaml").read_text(encoding="utf-8"))
        marks = data["bookmarks"]
        assert len(marks) == 1
        assert marks[0]["note"] == "check figures" and marks[0]["tags"] == ["toll", "casualties"]
        assert marks[0]["article"] == main.article.id and marks[0]["passage"] == 1
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen) and app.screen.marks[0].note == "check figures"
        await pilot.press("enter")
        await settle(app, pilot)
        assert main._current() == (marks[0]["article"], 1)


async def test_help_entities_removed_and_quit(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("e")
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press("escape")
        shown = main.query_one(PassageList).option_count
        removed = len(main.article.removed)
        await pilot.press("r")
        assert main.query_one(PassageList).option_count == shown + removed
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_broken_bookmarks_file_is_left_alone(tmp_path):
    target = tmp_path / "bookmarks.yaml"
    target.write_text("bookmarks:\n  - id: x\n\tnote: tab\n", encoding="utf-8")
    before = target.read_bytes()
    app = make_app(index_dir=tmp_path / "ix", bookmarks=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "b")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert target.read_bytes() == before


async def test_80x24_stacks_the_panes_and_collapses_the_list(app):
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(app, pilot)
        assert main.has_class("narrow")
        for pane in ("#list", "#passages"):
            region = main.query_one(pane).region
            assert region.width > 40 and region.height >= 3
        assert main.query_one("#xref-pane").region.height == 0  # its rows go to the text while choosing
        await pilot.press("2")
        await pilot.pause()
        assert main.query_one("#list").region.height == 0
        assert main.query_one("#passages").region.height >= 8
        assert main.query_one("#xref-pane").region.height >= 3
        await pilot.press("1")
        await pilot.pause()
        assert main.query_one("#list").region.height >= 3


async def test_keys_are_remapped_by_binding_id_from_config(tmp_path):
    from reader.core.config import Config
    app = make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "b.yaml",
                   config=Config(keys={"help": "f2", "search": "ctrl+f"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)


async def test_an_unknown_binding_id_in_the_config_is_reported(tmp_path):
    from reader.core.config import Config
    app = make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "b.yaml",
                   config=Config(keys={"bookmrk": "ctrl+b", "help": "f2"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        said = [n.message for n in app._notifications]
        assert any("names no binding bookmrk;" in m for m in said), said  # "help" is known: not named


async def test_the_list_groups_by_story_and_the_text_pane_steps_through_its_reports(tmp_path):
    from made_up import write_corpus
    from story_articles import ALL
    from reader.ui.widgets import story_rows
    corpus = write_corpus(tmp_path / "floods", ALL)
    app = make_app(corpus, index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        articles = main.query_one("#list")
        articles.focus()
        await pilot.press("g")
        await settle(app, pilot)
        keys = articles.row_keys
        headers = [k for k in keys if story_rows.is_header(k)]
        assert len(headers) == 4  # the Corvallo flood, the Dunmere flood, the chess open, the budget
        assert articles.border_subtitle == "4 stories"
        flood = keys.index(main.lib.story_of("a1").id.join([story_rows.HEADER, ""]))
        assert set(keys[flood + 1:flood + 4]) == {"a1", "a2", "a3"}
        assert "3 reports" in str(articles.get_row_at(flood)[0])
        main.jump("a1", 0)
        await settle(app, pilot)
        assert "2 other reports of this story" in str(main.query_one("#meta").render())
        seen = set()
        for _ in range(3):
            await pilot.press("]")
            await settle(app, pilot)
            seen.add(main.article.id)
        assert seen == {"a1", "a2", "a3"}
        await pilot.press("1", "g")
        await settle(app, pilot)
        assert not any(story_rows.is_header(key) for key in articles.row_keys)
