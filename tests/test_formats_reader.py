"""A folder mixing every format, opened in the reader (Textual's Pilot): the
list, search, entities, cross-references and a bookmark on a JSON Lines
record that re-anchors after the file changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from reader.ui.app import make_app
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.entities import EntitiesScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.widgets.passage_list import PassageList
from reader.ui.widgets.xref_list import XrefList

DATA = Path(__file__).parent / "data" / "formats"


async def ready(app, pilot) -> MainScreen:
    for _ in range(3000):
        if app.main is not None and app.main.ready:
            break
        await pilot.pause(0.01)
    assert app.main is not None and app.main.ready
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.main


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_folder_of_every_format_reads_searches_and_keeps_bookmarks(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    marks = tmp_path / "bookmarks.yaml"
    app = make_app(corpus, index_dir=tmp_path / "ix", bookmarks=marks)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert main.query_one("#list").row_count == 12
        # search finds an entity named in pages, records, feeds and the archive
        await pilot.press("slash", *"fjordline")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen) and app.screen.choices
        await pilot.press("escape")
        await pilot.press("e")
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press("escape")
        # a record's article, its metadata in the heading, cross-references from other formats
        main.open_article("wire#fg-101", 0)
        await pilot.press("2", "down")
        await settle(app, pilot)
        assert main._current() == ("wire#fg-101", 1)
        meta = str(main.query_one("#meta").render())
        assert "Lars Holm, Kari Dahl" in meta and "2023-09-20" in meta
        xref = main.query_one(XrefList).result
        assert xref is not None and xref.related
        assert {r.article.split("#")[0] for r in xref.related} - {"wire"}
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"check the mayor", "enter")
        await pilot.pause()
    saved = yaml.safe_load(marks.read_text(encoding="utf-8"))["bookmarks"]
    assert [(m["article"], m["passage"]) for m in saved] == [("wire#fg-101", 1)]

    # The export changes: a record before it, a paragraph before the bookmarked one.
    wire = corpus / "wire.jsonl"
    lines = wire.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["maintext"] = "An added first paragraph on the strike's last day.\n\n" + first["maintext"]
    late = {"title": "Late ferries", "text": "The ferries ran late on Thursday.", "url": "https://wire.example/late"}
    wire.write_text("\n".join([json.dumps(late), json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")

    app = make_app(corpus, index_dir=tmp_path / "ix", bookmarks=marks)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        assert main.query_one("#list").row_count == 13
        await pilot.press("B")
        for _ in range(300):
            await settle(app, pilot)
            if isinstance(app.screen, BookmarksScreen) and app.screen.loaded:
                break
        screen = app.screen
        assert isinstance(screen, BookmarksScreen) and screen.loaded
        (anchor,) = screen.anchors.values()
        assert (anchor.state, anchor.article, anchor.passage) == ("moved", "wire#fg-101", 2)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main._current() == ("wire#fg-101", 2)
        assert main.query_one(PassageList).article.passages[2].text.startswith("The mayor Anna Berg")
