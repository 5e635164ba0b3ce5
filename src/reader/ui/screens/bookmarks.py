"""The bookmarks list: jump to, edit note and tags, delete, filter by tag.

Bookmarks that no longer anchor in the corpus (orphans) are listed apart.
"""

from __future__ import annotations

from textwrap import shorten

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.core.bookmarks import store as bm
from reader.core.errors import ReaderError
from reader.ui.screens.bookmark_dialog import BookmarkDialog, ConfirmScreen


class BookmarksScreen(ModalScreen[tuple[str, int] | None]):
    """Dismisses with (article, passage) to jump to, or None."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="bookmarks.close"),
        Binding("e", "edit", "Edit note/tags", id="bookmarks.edit"),
        Binding("d,delete", "delete", "Delete", id="bookmarks.delete"),
        Binding("slash", "filter", "Filter by tag", id="bookmarks.filter"),
    ]

    def __init__(self, store: bm.BookmarkStore, anchor_all) -> None:
        super().__init__()
        self.store = store
        self.anchor_all = anchor_all
        """Callable: bookmarks -> {id: Anchor} (the main screen knows the corpus)."""
        self.marks: list[bm.Bookmark] = []
        self.anchors: dict = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-box"):
            yield Label("Bookmarks", id="bookmarks-title")
            yield Input(placeholder="Filter by tag or text", id="bookmarks-filter")
            yield OptionList(id="bookmarks-list")
            yield Label("enter: go · e: edit · d: delete · /: filter · esc: back", classes="hint")

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        try:
            self.marks = self.store.load()
        except ReaderError as e:
            self.marks = []
            self.notify(str(e), severity="warning")
        self.anchors = self.anchor_all(self.marks)
        self.render_list()

    def render_list(self) -> None:
        text = self.query_one(Input).value.strip().casefold()
        shown = [b for b in self.marks if not text or text in " ".join(b.tags).casefold()
                 or text in b.quote.casefold() or text in (b.note or "").casefold()]
        anchored = [b for b in shown if self._state(b) != "orphan"]
        orphans = [b for b in shown if self._state(b) == "orphan"]
        ol = self.query_one(OptionList)
        ol.clear_options()
        options: list = [Option(self._prompt(b), id=b.id) for b in anchored]
        if orphans:
            options.append(Option(Text(f"Orphans: {len(orphans)} bookmark(s) no longer found in this corpus",
                                       style="bold"), disabled=True))
            options += [Option(self._prompt(b), id=b.id) for b in orphans]
        if not options:
            options = [Option(Text("No bookmarks yet: press b on a passage to add one.", style="italic"),
                              disabled=True)]
        ol.add_options(options)
        self.query_one("#bookmarks-title", Label).update(
            f"Bookmarks ({len(self.marks)}) — {self.store.path}"
            + (" — READ-ONLY" if getattr(self.store, "read_only", False) else ""))

    def _state(self, b) -> str:
        a = self.anchors.get(b.id)
        return a.state if a else "orphan"

    def _prompt(self, b) -> Text:
        t = Text()
        t.append(b.title or b.article, style="bold")
        t.append(f"  #{b.passage}  [{self._state(b)}]", style="dim")
        if b.tags:
            t.append("  " + " ".join(f"#{x}" for x in b.tags), style="italic")
        t.append("\n“" + (b.quote if len(b.quote) < 200 else b.quote[:197] + "…") + "”")
        if b.note:
            t.append(f"\n{b.note}", style="italic")
        return t

    def _current(self):
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        oid = ol.get_option_at_index(ol.highlighted).id
        return next((b for b in self.marks if b.id == oid), None)

    @on(Input.Changed)
    def filter_changed(self) -> None:
        self.render_list()

    @on(Input.Submitted)
    def filter_done(self) -> None:
        self.query_one(OptionList).focus()

    def action_filter(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def go(self, event: OptionList.OptionSelected) -> None:
        a = self.anchors.get(event.option.id or "")
        if a is None or a.state == "orphan" or a.article is None:
            self.notify("This bookmark is not found in the corpus any more; it is kept as an orphan.",
                        severity="warning")
            return
        self.dismiss((a.article, a.passage or 0))

    def action_edit(self) -> None:
        b = self._current()
        if b is None:
            return

        def done(result) -> None:
            if result is None:
                return
            try:
                self.store.update(b.id, note=result.note, tags=result.tags)
                self.notify("Bookmark updated.")
            except ReaderError as e:
                self.notify(str(e), severity="error")
            self.reload()
        self.app.push_screen(BookmarkDialog("Edit bookmark", b.quote, b.note or "", tuple(b.tags)), done)

    def action_delete(self) -> None:
        b = self._current()
        if b is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete(b.id)
                self.notify("Bookmark deleted.")
            except ReaderError as e:
                self.notify(str(e), severity="error")
            self.reload()
        self.app.push_screen(ConfirmScreen(f"Delete the bookmark on “{shorten(b.title or b.article, 60, placeholder='…')}”?"), done)
