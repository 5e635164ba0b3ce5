"""Search as you type: entity suggestions first, passage hits below.

Choosing an entity lists every passage that mentions it; choosing a passage
jumps there. The result is what the main screen acts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.core.errors import ReaderError
from reader.ui.safe import clean, plain, shorten

TYPE_ICON = {"person": "person", "place": "place", "organization": "org"}

LISTED_HITS = 500
"""At most this many of an entity's passages are listed (n / N walk them all)."""


class EntityHits(Message):
    """Every passage mentioning the entity the user chose (from a worker)."""

    def __init__(self, entity_id: str, hits: list) -> None:
        super().__init__()
        self.entity_id = entity_id
        self.hits = hits


@dataclass(frozen=True)
class SearchChoice:
    article: str
    passage: int
    entity: str | None = None
    """Set when the user chose an entity: n / N then walk its passages."""
    walk: tuple[tuple[str, int], ...] = ()
    quotes_of: str | None = None
    """Set when the user asked for an entity's Quotes view (ctrl+o on a suggestion)."""


class SearchScreen(ModalScreen[SearchChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="search.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="search.down"),
        Binding("up", "move(-1)", "Up", show=False, id="search.up"),
        Binding("ctrl+o", "quotes", "Quotes of it", id="search.quotes"),
    ]

    def __init__(self, library, initial: str = "", partial=lambda: None) -> None:
        super().__init__()
        self.lib = library
        self.initial = initial
        self.partial = partial
        """Callable: while the index is still being built, how far it has got; else None."""
        self.entity: str | None = None
        self.walk: list[tuple[str, int]] = []
        self.choices: dict[str, tuple] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.initial, placeholder="Search people, places, words…  (person:, place:, org:, \"phrase\", word*)",
                        id="search-input")
            yield Label("", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.suggest(self.initial)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_move(self, delta: int) -> None:
        results = self.query_one(OptionList)
        if delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.entity = None
        self.suggest(event.value)

    @work(thread=True, exclusive=True, group="suggest")
    def suggest(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.app.call_from_thread(self._show, [], [], "")
            return
        worker = get_current_worker()
        status = ""
        ents, hits = [], []
        partial = self.partial()
        try:
            if ":" not in text and '"' not in text and partial is None:
                ents = self.lib.resolve(text, limit=6)
            hits = self.lib.search(text, limit=30)
        except ReaderError as e:
            status = str(e) if partial is None else "nothing is searchable yet; try again in a moment."
        if partial is not None:
            status = (f"Partial: the index is still being built ({partial}): "
                      + (status or "only what is indexed so far is searched, names are matched when it ends."))
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, ents, hits, status)

    def _show(self, ents, hits, status: str) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        self.choices = {}
        options = []
        for e, score in ents:
            oid = f"e{len(self.choices)}"
            self.choices[oid] = ("entity", e.id)
            t = Text()
            t.append(f"{TYPE_ICON.get(e.type, e.type):7s}", style="bold")
            t.append(clean(e.name), style="bold")
            t.append(f"  {e.articles} article{'s' if e.articles != 1 else ''}, {e.mentions} mention{'s' if e.mentions != 1 else ''}",
                     style="dim")
            options.append(Option(t, id=oid))
        if ents and hits:
            options.append(None)
        options += self._hit_options(hits)
        results.add_options(options)
        if options:
            results.highlighted = 0
        n_e, n_h = len(ents), len(hits)
        counts = (f"{n_e} entit{'y' if n_e == 1 else 'ies'}, {n_h} passage{'s' if n_h != 1 else ''}"
                       " — ↑↓ choose, enter open, esc back" if (n_e or n_h) else "Nothing found.")
        self._status(f"{status} {counts}" if status and (n_e or n_h) else status or counts)

    def _hit_options(self, hits) -> list[Option]:
        options = []
        for h in hits:
            oid = f"h{len(self.choices)}"
            self.choices[oid] = ("passage", h.article, h.passage)
            t = Text()
            t.append(shorten(h.title, 70), style="bold")
            t.append(f"  #{h.passage}\n", style="dim")
            s = max(0, (h.highlights[0][0] if h.highlights else 0) - 60)
            snippet = Text(("…" if s else "") + clean(h.text[s:s + 240]))
            off = 1 if s else 0
            for a, b in h.highlights:
                if s <= a and b <= s + 240:
                    snippet.stylize("reverse", a - s + off, b - s + off)
            t.append_text(snippet)
            options.append(Option(t, id=oid))
        return options

    @on(Input.Submitted)
    def submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            self.choose(results.get_option_at_index(results.highlighted).id)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def action_quotes(self) -> None:
        """The Quotes view of the highlighted suggestion (a person or organisation)."""
        results = self.query_one(OptionList)
        choice = None
        if results.highlighted is not None:
            choice = self.choices.get(results.get_option_at_index(results.highlighted).id or "")
        if choice is None or choice[0] != "entity":
            self.notify("Highlight a person or organisation in the suggestions first.", timeout=3)
            return
        self.dismiss(SearchChoice("", 0, quotes_of=choice[1]))

    def choose(self, oid: str | None) -> None:
        choice = self.choices.get(oid or "")
        if choice is None:
            return
        if choice[0] == "entity":
            self.list_entity(choice[1])
        else:
            self.dismiss(SearchChoice(choice[1], choice[2], self.entity, tuple(self.walk)))

    def list_entity(self, entity_id: str) -> None:
        """Replace the suggestions by every passage that mentions the entity
        (found by a worker: a search over the whole index)."""
        self.entity = entity_id
        self.query_one("#search-status", Label).update(plain("Finding every passage that mentions it…"))
        self.find_entity_passages(entity_id)

    @work(thread=True, exclusive=True, group="suggest")
    def find_entity_passages(self, entity_id: str) -> None:
        worker = get_current_worker()
        try:
            hits = self.lib.entity_hits(entity_id)
        except ReaderError as e:
            self.app.call_from_thread(self._status, str(e))
            return
        if not worker.is_cancelled:
            self.post_message(EntityHits(entity_id, hits))

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Label).update(plain(text))

    @on(EntityHits)
    def show_entity_passages(self, event: EntityHits) -> None:
        if event.entity_id != self.entity:
            return  # the query changed since
        hits = event.hits
        self.walk = [(h.article, h.passage) for h in hits]
        results = self.query_one(OptionList)
        results.clear_options()
        self.choices = {}
        results.add_options(self._hit_options(hits[:LISTED_HITS]))
        if hits:
            results.highlighted = 0
            results.focus()
        e = self.lib.resolution.entity(event.entity_id)
        n_art = len({a for a, _ in self.walk})
        self._status(
            f"{e.name if e else event.entity_id}: {len(self.walk)} passage{'s' if len(self.walk) != 1 else ''} "
            f"in {n_art} article{'s' if n_art != 1 else ''} — "
            "enter opens one; then n / N walk them")
