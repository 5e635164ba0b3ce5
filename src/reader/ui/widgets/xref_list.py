"""The cross-references pane: related passages of other articles, with reasons."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.messages import JumpTo
from reader.ui.safe import clean

if TYPE_CHECKING:
    from reader.core.xref.engine import XrefResult


WAITING = "Finding related passages…"
"""What the pane says while the open article's cross-references are being found."""


class XrefList(OptionList):
    """Receives an :class:`XrefResult`; Enter posts :class:`JumpTo`."""

    COMPONENT_CLASSES = {"xref--title", "xref--shared", "xref--reasons", "xref--disagree"}
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="xref.down"),
        Binding("k", "cursor_up", "Up", show=False, id="xref.up"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.result: XrefResult | None = None

    def show(self, result: XrefResult | None, names: dict[str, str], forms: dict[str, list[str]]) -> None:
        """``names``: entity id -> name; ``forms``: entity id -> the words to highlight."""
        self.result = result
        self.clear_options()
        if result is None:
            return
        if not result.related:
            self.add_option(Option(Text("No related passage in other articles.", style="italic"), disabled=True))
            return
        title_s, shared_s = self.get_component_rich_style("xref--title", partial=True), self.get_component_rich_style("xref--shared", partial=True)
        reasons_s, disagree_s = (self.get_component_rich_style("xref--reasons", partial=True),
                                 self.get_component_rich_style("xref--disagree", partial=True))
        options = []
        for i, r in enumerate(result.related):
            t = Text()
            t.append(f"{r.score:.2f} ", style=reasons_s)
            t.append(clean(r.title), style=title_s)
            t.append(f"  #{r.passage}\n", style=reasons_s)
            snippet = Text(clean(r.text if len(r.text) < 320 else r.text[:317] + "…"))
            words = sorted({w for e in r.shared_entities for w in forms.get(e, []) if w}, key=len, reverse=True)
            if words:
                snippet.highlight_regex(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", style=shared_s)
            t.append_text(snippet)
            reasons = [names.get(e, e) for e in r.shared_entities] + r.shared_terms
            t.append("\n" + ("◆ same story · " if r.same_story else "") + "shared: " + clean(", ".join(reasons[:8])),
                     style=reasons_s)
            if r.reposts:
                t.append(f" · {len(r.reposts)} repost{'s' if len(r.reposts) > 1 else ''}", style=reasons_s)
            if r.disagreement:
                t.append(f"\n≠ figures differ: {clean(r.disagreement)}", style=disagree_s)
            t.append("\n")
            options.append(Option(t, id=f"x{i}"))
        self.add_options(options)
        self.highlighted = 0

    def waiting(self) -> None:
        """Empty the pane and say the cross-references are on their way."""
        self.result = None
        self.clear_options()
        self.add_option(Option(Text(WAITING, style="italic dim"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.result and event.option.id and event.option.id.startswith("x"):
            r = self.result.related[int(event.option.id[1:])]
            self.post_message(JumpTo(r.article, r.passage))
