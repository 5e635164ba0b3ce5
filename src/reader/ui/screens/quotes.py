"""The Quotes view: every quote of one speaker across the corpus, grouped by article.

:class:`QuotesScreen` receives domain objects (it never opens the library) and
dismisses with the chosen (article, passage), or None; :class:`QuotesActions`
is the main screen's part (finding the quotes in a thread, then walking them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.errors import ReaderError
from reader.ui.safe import clean, plain, shorten

if TYPE_CHECKING:  # the quote finder is imported when first used: the window paints without it
    from reader.core.quotes import Said

QUOTES_OF = "quotes:"
"""Prefix of what the entity list and search dismiss with to open an entity's Quotes view."""
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
        count = sum(len(joined(g.quotes)) for g in self.groups)
        with Vertical(id="quotes-box"):
            yield Label(plain(f"Quotes of {self.speaker} — {count} in {len(self.groups)} "
                              f"article{'s' if len(self.groups) != 1 else ''} · enter: go to the passage · n / N"),
                        id="quotes-title")
            options: list[Option] = []
            for g, group in enumerate(self.groups):
                options.append(Option(Text(clean(group.heading), style="bold"), id=f"g{g}", disabled=True))
                for k, pieces in enumerate(joined(group.quotes)):
                    oid = f"q{g}-{k}"
                    q = pieces[0].quote
                    self.targets[oid] = (pieces[0].article, max(q.passage, 0))
                    options.append(Option(_line(pieces), id=oid))
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


def joined(quotes: tuple[Said, ...]) -> list[tuple[Said, ...]]:
    """The quotes, the pieces of one mixed quote (``said it had launched a "counteroffensive"
    against ...``: reported words and quoted ones under one attribution) together, in order."""
    out: list[list[Said]] = []
    for s in quotes:
        last = out[-1][-1] if out else None
        if (last is not None and s.quote.partial and last.quote.partial and s.article == last.article
                and s.quote.passage == last.quote.passage and s.quote.cue == last.quote.cue
                and s.quote.speaker == last.quote.speaker and s.quote.start >= last.quote.end):
            out[-1].append(s)
        else:
            out.append([s])
    return [tuple(run) for run in out]


def _line(pieces: tuple[Said, ...]) -> Text:
    """One list line: the words of a quote (of its pieces, direct ones in their marks), its cue and passage."""
    line = Text("  ")
    room = TEXT_WIDTH
    for i, said in enumerate(pieces):
        q = said.quote
        if i:
            line.append(" ")
        text = shorten(q.text, max(room, 20))
        room -= len(text)
        line.append("“" if q.kind == "direct" else "", style="dim")
        line.append(clean(text), style="italic" if q.kind == "indirect" else "")
        line.append("”" if q.kind == "direct" else "", style="dim")
    q = pieces[0].quote
    line.append(f"  ({q.cue or 'quote'}, passage {'headline' if q.passage < 0 else q.passage})", style="dim")
    return line


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


class QuotesFound(Message):
    """A speaker's quotes across the corpus, found in a worker."""

    def __init__(self, entity_id: str, name: str, groups: list[QuoteGroup], places: list[tuple[str, int]]) -> None:
        super().__init__()
        self.entity_id = entity_id
        self.name = name
        self.groups = groups
        self.places = places


def quote_marks(lib, article) -> dict[int, list[tuple[int, int, str]]]:
    """Per passage of an opened article, its quotes as (start, end, speaker's name or words)."""
    from reader.core.quotes import said_in
    marks: dict[int, list[tuple[int, int, str]]] = {}
    for s in said_in(article, lib.resolution):
        sp = s.quote.speaker
        label = s.speaker_name or (sp.text if sp else "unattributed")
        marks.setdefault(s.quote.passage, []).append((s.quote.start, s.quote.end, label))
    return marks


def speakers_of(marks: dict[int, list[tuple[int, int, str]]], n: int) -> list[str]:
    """The speakers quoted in passage ``n``, in order, each once."""
    return list(dict.fromkeys(label for _, _, label in marks.get(n, ())))


class QuotesActions:
    """The main screen's part in quotes: the Quotes view of an entity (``Q``, the entity
    list, the search suggestions, the palette), then n / N walking the quotes."""

    def action_quotes(self) -> None:
        """The Quotes view of the speaker of this passage (else the entity walked, else the
        first one named here)."""
        here = self._current()
        entity = None
        if here is not None and self.article is not None:
            from reader.core.quotes import said_in
            spoken = [s.entity.id for s in said_in(self.article, self.lib.resolution)
                      if s.quote.passage == here[1] and s.entity is not None]
            entity = spoken[0] if spoken else None
        entity = entity or self.walk_entity or self._entity_under_cursor()
        if entity is None:
            self.notify("No speaker, person or organisation here; choose one in search (ctrl+o) or the "
                        "entity list (q).", timeout=4)
            return
        self.show_quotes(entity)

    @work(thread=True, exclusive=True, group="quotes")
    def show_quotes(self, entity_id: str) -> None:
        """Find the entity's quotes across the corpus (in a thread), then show the Quotes view."""
        from textual.worker import get_current_worker
        worker = get_current_worker()
        try:
            said = self.lib.quotes_of([entity_id])
            e = self.lib.resolution.entity(entity_id)
            groups = group_quotes(said, lambda a: _heading(self.lib, a))
        except ReaderError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error")
            return
        places = list(dict.fromkeys((s.article, max(s.quote.passage, 0)) for s in said))
        if not worker.is_cancelled:
            self.post_message(QuotesFound(entity_id, e.name if e else entity_id, groups, places))

    def on_quotes_found(self, event: QuotesFound) -> None:
        def done(target) -> None:
            if target is None:
                return
            self.walk_entity, self.walk = event.entity_id, list(event.places)
            self.notify(f"n / N walk the {len(event.places)} passage{'s' if len(event.places) != 1 else ''} "
                        f"quoting {clean(event.name)}.", timeout=4)
            self.jump(*target)
        self.app.push_screen(QuotesScreen(event.name, event.groups), done)


def _heading(lib, article_id: str) -> str:
    info = lib.info(article_id)
    where = " · ".join(x for x in (info.site, info.date) if x) or info.path
    return f"{shorten(info.title, 90)} — {where}"
