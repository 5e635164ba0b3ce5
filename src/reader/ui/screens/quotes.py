"""The Quotes view: every quote of one speaker across the corpus, grouped by article.

Receives domain objects from the main screen (it never opens the library);
dismisses with the chosen (article, passage), or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import shorten

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.quotes import Said

TEXT_WIDTH = 220
"""Characters of a quote shown in the list (the passage shows it whole)."""


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes of one article (or story) under its heading."""

    heading: str
    """``Title — site · date``."""
    quotes: tuple[Said, ...]


class QuotesScreen(ModalScreen[tuple[str, int] | None]):
    """Lists a speaker's quotes; enter dismisses with where the chosen one stands."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Back", id="quotes.close"),
        Binding("n", "step(1)", "Next quote", id="quotes.next"),
        Binding("N", "step(-1)", "Previous quote", show=False, id="quotes.prev"),
    ]

    def __init__(self, speaker: str, groups: list[QuoteGroup]) -> None:
        super().__init__()
        self.speaker = speaker
        self.groups = groups
        self.targets: dict[str, tuple[str, int]] = {}

    def compose(self) -> ComposeResult:
        count = sum(len(g.quotes) for g in self.groups)
        with Vertical(id="quotes-box"):
            yield Label(f"Quotes of {self.speaker} — {count} in {len(self.groups)} "
                        f"article{'s' if len(self.groups) != 1 else ''} · enter: go to the passage · n / N",
                        id="quotes-title")
            options: list[Option] = []
            for g, group in enumerate(self.groups):
                options.append(Option(Text(group.heading, style="bold"), id=f"g{g}", disabled=True))
                for k, said in enumerate(group.quotes):
                    oid = f"q{g}-{k}"
                    q = said.quote
                    self.targets[oid] = (said.article, max(q.passage, 0))
                    line = Text("  ")
                    line.append("“" if q.kind == "direct" else "", style="dim")
                    line.append(shorten(q.text, TEXT_WIDTH, placeholder="…"),
                                style="italic" if q.kind == "indirect" else "")
                    line.append("”" if q.kind == "direct" else "", style="dim")
                    line.append(f"  ({q.cue or 'quote'}, passage {'headline' if q.passage < 0 else q.passage})",
                                style="dim")
                    options.append(Option(line, id=oid))
            if not options:
                options.append(Option("No quote of this speaker in the corpus.", disabled=True))
            yield OptionList(*options, id="quotes-list")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        self.action_step(1)

    def action_step(self, step: int) -> None:
        """Move to the next (or previous) quote, skipping the headings."""
        ol = self.query_one(OptionList)
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        quotes = [i for i, oid in enumerate(ids) if oid in self.targets]
        if not quotes:
            return
        here = ol.highlighted if ol.highlighted is not None else -1
        if step > 0:
            nxt = next((i for i in quotes if i > here), quotes[0])
        else:
            nxt = next((i for i in reversed(quotes) if i < here), quotes[-1])
        ol.highlighted = nxt

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        target = self.targets.get(event.option.id or "")
        if target is not None:
            self.dismiss(target)


def group_quotes(said: list[Said], heading_of, story_of=None) -> list[QuoteGroup]:
    """The quotes grouped by story (``story_of(article id)`` -> a story key and heading) where
    stories exist, else by article (``heading_of(article id)`` -> heading), in corpus order."""
    groups: dict[str, list[Said]] = {}
    headings: dict[str, str] = {}
    for s in said:
        key, heading = (story_of(s.article) if story_of else None) or (s.article, heading_of(s.article))
        groups.setdefault(key, []).append(s)
        headings.setdefault(key, heading)
    return [QuoteGroup(headings[k], tuple(v)) for k, v in groups.items()]
