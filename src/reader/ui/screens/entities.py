"""The entities of the current article, with their counts."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.model import Article
from reader.ui.safe import clean, plain, shorten


class EntitiesScreen(ModalScreen[str | None]):
    """Dismisses with the chosen entity id (or None)."""

    BINDINGS = [
        Binding("escape,e", "dismiss_none", "Back", id="entities.close"),
        Binding("j", "move(1)", "Down", show=False, id="entities.down"),
        Binding("k", "move(-1)", "Up", show=False, id="entities.up"),
        Binding("q", "quotes", "Quotes of it", id="entities.quotes"),
    ]

    def __init__(self, article: Article, names: dict[str, tuple[str, str]]) -> None:
        super().__init__()
        self.article = article
        self.names = names
        """Entity id -> (name, type)."""

    def compose(self) -> ComposeResult:
        counts = Counter(m.entity for p in self.article.passages for m in p.mentions if m.entity)
        counts.update(m.entity for m in self.article.title_mentions if m.entity)
        with Vertical(id="entities-box"):
            yield Label(plain(f"Entities of “{shorten(self.article.title, 80)}” — enter: walk its passages with n / N · q: its quotes"),
                        id="entities-title")
            options = []
            for eid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                name, typ = self.names.get(eid, (eid, "?"))
                t = Text()
                t.append(f"{n:3d}  ", style="dim")
                t.append(f"{typ:13s}", style="bold")
                t.append(clean(name))
                options.append(Option(t, id=eid))
            yield OptionList(*options, id="entities-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_move(self, step: int) -> None:
        entities = self.query_one(OptionList)
        entities.action_cursor_down() if step > 0 else entities.action_cursor_up()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_quotes(self) -> None:
        """Dismiss asking for the Quotes view of the highlighted entity."""
        from reader.ui.screens.quotes import QUOTES_OF
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.dismiss(QUOTES_OF + (ol.get_option_at_index(ol.highlighted).id or ""))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
