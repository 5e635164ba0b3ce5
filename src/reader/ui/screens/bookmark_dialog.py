"""The small dialog that saves (or edits) a bookmark: a note and tags."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.ui.safe import plain


@dataclass(frozen=True)
class BookmarkInput:
    note: str
    tags: tuple[str, ...]


QUOTE_MARKS = "\"'“”‘’«»„‟‚‛"
"""Quotation marks a quote may already start or end with (not doubled when shown)."""


def quoted(text: str, limit: int) -> str:
    """``text`` between curly quotes, cut at ``limit`` characters with an
    ellipsis; quotation marks it already has at either end are not doubled."""
    body = text.strip().strip(QUOTE_MARKS).strip()
    if len(body) > limit:
        cut = body[:limit - 1]
        at = cut.rfind(" ")
        body = (cut[:at] if at > limit // 2 else cut).rstrip(" ,;:.") + "…"
    return f"“{body}”"


class BookmarkDialog(ModalScreen[BookmarkInput | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bookmark.cancel")]

    def __init__(self, heading: str, quote: str, note: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.heading, self.quote, self.note, self.tags = heading, quote, note, tags

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmark-box"):
            yield Label(plain(self.heading), id="bookmark-title")
            yield Static(plain(quoted(self.quote, 300), lines=True), id="bookmark-quote")
            yield Input(self.note, placeholder="Note (optional)", id="bookmark-note")
            yield Input(", ".join(self.tags), placeholder="Tags, separated by commas (optional)",
                        id="bookmark-tags")
            yield Label("enter: save · tab: next field · esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#bookmark-note", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def save(self) -> None:
        note = self.query_one("#bookmark-note", Input).value.strip()
        tags = tuple(t.strip() for t in self.query_one("#bookmark-tags", Input).value.split(",") if t.strip())
        self.dismiss(BookmarkInput(note, tags))


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm.yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm.no")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(plain(self.question, lines=True))
            yield Label("y: yes · n: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
