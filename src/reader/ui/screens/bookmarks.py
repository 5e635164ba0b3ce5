"""The bookmarks list: jump to, edit note and tags, delete, filter by tag.

Bookmarks that no longer anchor in the corpus (orphans) are listed apart.
Reading the file and anchoring run in a thread worker (anchoring reads every
bookmarked article); an edit re-anchors only bookmarks not anchored yet.
"""

from __future__ import annotations

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

from reader.core.bookmarks import store as bm
from reader.core.errors import ReaderError
from reader.ui.safe import clean, plain, shorten
from reader.ui.screens.bookmark_dialog import BookmarkDialog, ConfirmScreen, quoted

TITLE_WIDTH = 70
"""A bookmark's article title is cut (with an ellipsis) past this many characters."""

QUOTE_WIDTH = 200
"""A bookmark's quote is cut past this many characters in the list."""

FINDING = "finding…"
"""The state shown while a bookmark is being anchored."""


class BookmarksLoaded(Message):
    """The bookmarks as read from the file, anchored (from the worker)."""

    def __init__(self, marks: list, anchors: dict, error: str | None) -> None:
        super().__init__()
        self.marks = marks
        self.anchors = anchors
        self.error = error


class BookmarksScreen(ModalScreen[tuple[str, int] | None]):
    """Dismisses with (article, passage) to jump to, or None."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="bookmarks.close"),
        Binding("e", "edit", "Edit note/tags", id="bookmarks.edit"),
        Binding("d,delete", "delete", "Delete", id="bookmarks.delete"),
        Binding("slash", "filter", "Filter by tag", id="bookmarks.filter"),
        Binding("j", "move(1)", "Down", show=False, id="bookmarks.down"),
        Binding("k", "move(-1)", "Up", show=False, id="bookmarks.up"),
    ]

    def __init__(self, store: bm.BookmarkStore, anchor_all) -> None:
        super().__init__()
        self.store = store
        self.anchor_all = anchor_all
        """Callable: bookmarks -> {id: Anchor} (the main screen knows the corpus); run in a thread."""
        self.marks: list[bm.Bookmark] = []
        self.anchors: dict = {}
        self.loaded = False
        """True once the file has been read and its bookmarks anchored."""

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-box"):
            yield Label("Bookmarks", id="bookmarks-title")
            yield Input(placeholder="Filter: a tag (#analysis) or any words of the quote, note or title",
                        id="bookmarks-filter")
            yield OptionList(id="bookmarks-list")
            yield Label("enter: go · e: edit · d: delete · /: filter · j k: move · esc: back", classes="hint")

    def on_mount(self) -> None:
        self.render_list()
        self.reload()
        self.query_one(OptionList).focus()

    # -- reading and anchoring (a worker) ---------------------------------------
    @work(thread=True, exclusive=True, group="bookmarks")
    def reload(self) -> None:
        """Read the file and anchor the bookmarks not anchored yet."""
        worker = get_current_worker()
        error = None
        try:
            marks = self.store.load()
        except ReaderError as e:
            marks, error = [], str(e)
        known = dict(self.anchors)
        todo = [b for b in marks if b.id not in known]
        anchors = {**known, **(self.anchor_all(todo) if todo else {})}
        if not worker.is_cancelled:
            self.post_message(BookmarksLoaded(marks, {b.id: anchors[b.id] for b in marks if b.id in anchors},
                                              error))

    @on(BookmarksLoaded)
    def loaded_marks(self, event: BookmarksLoaded) -> None:
        self.marks, self.anchors, self.loaded = event.marks, event.anchors, True
        if event.error:
            self.notify(event.error, severity="warning")
        self.render_list()

    # -- the list ---------------------------------------------------------------
    def shown(self) -> list[bm.Bookmark]:
        """The bookmarks the filter keeps, in file order."""
        words = self.query_one(Input).value.casefold().split()
        return [b for b in self.marks if all(_matches(b, w) for w in words)]

    def render_list(self) -> None:
        ol = self.query_one(OptionList)
        keep = self._current()
        shown = self.shown()
        anchored = [b for b in shown if self._state(b) != "orphan"]
        orphans = [b for b in shown if self._state(b) == "orphan"]
        options: list = [Option(self._prompt(b), id=b.id) for b in anchored]
        if orphans:
            n = len(orphans)
            options.append(Option(Text(f"Orphans: {n} bookmark{'s' if n != 1 else ''} no longer found in this corpus",
                                       style="bold"), disabled=True))
            options += [Option(self._prompt(b), id=b.id) for b in orphans]
        if not options:
            options = [Option(plain(self._empty_text(), "italic"), disabled=True)]
        ol.clear_options()
        ol.add_options(options)
        ids = [b.id for b in anchored + orphans]
        if ids:
            ol.highlighted = ol.get_option_index(keep.id if keep is not None and keep.id in ids else ids[0])
        self.query_one("#bookmarks-title", Label).update(plain(
            f"Bookmarks ({self._count(len(shown))}) — {self.store.path}"
            + (" — READ-ONLY" if getattr(self.store, "read_only", False) else "")))

    def _count(self, shown: int) -> str:
        return str(len(self.marks)) if shown == len(self.marks) else f"{shown} of {len(self.marks)}"

    def _empty_text(self) -> str:
        if not self.loaded:
            return "Reading the bookmarks…"
        if self.marks:
            return f"No bookmark matches “{shorten(self.query_one(Input).value, 60)}”; clear the filter to see all."
        return "No bookmarks yet: press b on a passage to add one."

    def _state(self, b) -> str:
        if not self.loaded:
            return FINDING
        a = self.anchors.get(b.id)
        return a.state if a else "orphan"

    def _prompt(self, b) -> Text:
        t = Text()
        t.append(shorten(b.title or b.article, TITLE_WIDTH), style="bold")
        t.append(f"  #{b.passage}  [{self._state(b)}]", style="dim")
        if b.tags:
            t.append("  " + " ".join(f"#{clean(x)}" for x in b.tags), style="italic")
        t.append("\n" + clean(quoted(b.quote, QUOTE_WIDTH), lines=True))
        if b.note:
            t.append("\n" + clean(b.note, lines=True), style="italic")
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

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        ol.action_cursor_down() if step > 0 else ol.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def go(self, event: OptionList.OptionSelected) -> None:
        if not self.loaded:
            self.notify("The bookmarks are still being found in the corpus; a moment.", timeout=3)
            return
        a = self.anchors.get(event.option.id or "")
        if a is None or a.state == "orphan" or a.article is None:
            self.notify("This bookmark is not found in the corpus any more; it is kept as an orphan.",
                        severity="warning")
            return
        self.dismiss((a.article, a.passage or 0))

    # -- changing ---------------------------------------------------------------
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
        self.app.push_screen(BookmarkDialog(f"Edit the bookmark on passage {b.passage} of “{shorten(b.title or b.article, 60)}”",
                                            b.quote, b.note or "", tuple(b.tags)), done)

    def action_delete(self) -> None:
        b = self._current()
        if b is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete(b.id)
                self.notify(f"Bookmark on passage {b.passage} deleted.")
            except ReaderError as e:
                self.notify(str(e), severity="error")
            self.reload()
        self.app.push_screen(ConfirmScreen(
            f"Delete the bookmark on passage {b.passage} of “{shorten(b.title or b.article, 60)}”?\n"
            f"{quoted(b.quote, 120)}"), done)


def _matches(b: bm.Bookmark, word: str) -> bool:
    """A filter word: ``#tag`` (or ``tag``) a tag starting so; a plain word
    also anywhere in the quote, note or title."""
    tags = [t.casefold().lstrip("#") for t in b.tags]
    if word.startswith("#"):
        word = word.lstrip("#")
        return not word or any(t.startswith(word) for t in tags)
    return (any(word in t for t in tags) or word in b.quote.casefold()
            or word in (b.note or "").casefold() or word in (b.title or "").casefold())
