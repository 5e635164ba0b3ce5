"""The Quotes view and the quote marks, driven with Textual's Pilot on the bundled corpus."""

from __future__ import annotations

from reader.ui.screens.entities import EntitiesScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.quotes import QuotesScreen
from reader.ui.widgets.passage_list import PassageList
from test_ui import app, ready, settle  # noqa: F401  (the app fixture)


async def _quotes_view_of_pashinyan(app, pilot):
    await pilot.press("slash", *"pashinian")
    await settle(app, pilot)
    await pilot.press("ctrl+o")
    await settle(app, pilot)
    assert isinstance(app.screen, QuotesScreen)
    return app.screen


async def test_quotes_view_lists_a_speaker_across_outlets_and_enter_jumps(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        view = await _quotes_view_of_pashinyan(app, pilot)
        assert view.speaker == "Nikol Pashinyan"
        assert len({g.quotes[0].article.split("~")[0] for g in view.groups}) >= 2
        assert all(s.entity.name == "Nikol Pashinyan" for g in view.groups for s in g.quotes)
        listed = view.query_one("#quotes-list")
        first_id = listed.get_option_at_index(listed.highlighted).id
        first = view.targets[first_id]
        await pilot.press("n")
        assert listed.get_option_at_index(listed.highlighted).id != first_id
        await pilot.press("N")
        assert listed.get_option_at_index(listed.highlighted).id == first_id
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert main._current() == first
        assert first in main.walk and len({a for a, _ in main.walk}) >= 2
        passages = main.query_one(PassageList)
        assert any(label == "Nikol Pashinyan" for _, _, label in passages.said[first[1]])
        await pilot.press("n")
        await settle(app, pilot)
        assert main._current() in main.walk and main._current() != first


async def test_q_in_the_entity_list_opens_the_quotes_view(app):
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, QuotesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert main.query_one(PassageList).said  # the open article's quotes are marked


async def test_a_bookmark_of_a_quote_keeps_its_speaker(tmp_path):
    import yaml
    from reader.ui.app import make_app
    app = make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(app, pilot)
        await _quotes_view_of_pashinyan(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"his line", "enter")
        await pilot.pause()
        marks = yaml.safe_load((tmp_path / "bookmarks.yaml").read_text(encoding="utf-8"))["bookmarks"]
        assert marks[0]["passage"] == main._current()[1]
        assert "said:Nikol Pashinyan" in marks[0]["tags"]


async def test_the_pieces_of_a_mixed_quote_are_one_line_of_the_quotes_view():
    from textual.app import App

    from reader.core.model import Quote, Speaker
    from reader.core.quotes import Said
    from reader.ui.screens.quotes import QuoteGroup

    text = 'The ministry said it had begun a "counteroffensive" against the rebels, who claim "losses".'
    sp = Speaker("The ministry", "description", 0, 0, 12)

    def piece(words: str, kind: str, passage: int = 0) -> Said:
        start = text.index(words)
        return Said("a1", Quote(passage, start, start + len(words), words, kind, "said", sp, partial=True), None)

    mixed = [piece("it had begun a", "indirect"), piece("counteroffensive", "direct"),
             piece("against the rebels, who claim", "indirect"), piece("losses", "direct")]
    later = piece("counteroffensive", "direct", passage=3)  # another passage: a line of its own
    view = QuotesScreen("The ministry", [QuoteGroup("A made-up report", tuple(mixed) + (later,))])

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(view)

    async with Host().run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        listed = view.query_one("#quotes-list")
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert lines[0] == "A made-up report"
        assert len(view.targets) == 2 and len(lines) == 3
        assert "it had begun a “counteroffensive” against the rebels, who claim “losses”" in lines[1]
        assert "passage 3" in lines[2]
        assert "— 2 in 1 article" in str(view.query_one("#quotes-title").render())
