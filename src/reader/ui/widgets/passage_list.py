"""The article's cleaned passages, mentions highlighted, one option each."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.model import Article
from reader.ui.highlight import highlighted, mention_spans
from reader.ui.messages import PassageChosen
from reader.ui.safe import clean

KIND_STYLE = {"heading": "passage--heading", "quote": "passage--quote", "caption": "passage--caption",
              "list-item": "", "paragraph": ""}


class PassageList(OptionList):
    """Shows one :class:`Article`; posts :class:`PassageChosen` as the cursor moves."""

    COMPONENT_CLASSES = {"entity--person", "entity--place", "entity--organization", "passage--removed",
                         "passage--heading", "passage--quote", "passage--caption", "passage--walk",
                         "quote--said", "quote--speaker"}
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="passages.down"),
        Binding("k", "cursor_up", "Up", show=False, id="passages.up"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.show_removed = False
        self.walk_entity: str | None = None
        self.said: dict[int, list[tuple[int, int, str]]] = {}
        """Per passage, its quotes as (start, end, speaker): set by the screen with the article."""
        self._announced: tuple[str, int] | None = None
        """The passage last posted as chosen (a re-shown article posts it once)."""

    def _styles(self) -> dict:
        return {t: self.get_component_rich_style(f"entity--{t}", partial=True) for t in ("person", "place", "organization")}

    def _prompt(self, p, styles):
        base = self.get_component_rich_style(KIND_STYLE[p.kind], partial=True) if KIND_STYLE.get(p.kind) else None
        quoted = self.said.get(p.n, ())
        if quoted:  # under the mentions, so names inside a quote keep their colour
            styles = {**styles, "said": self.get_component_rich_style("quote--said", partial=True)}
        spans = [(a, b, "said") for a, b, _ in quoted] + mention_spans(p.mentions)
        if self.walk_entity:
            walk = self.get_component_rich_style("passage--walk", partial=True)
            styles = {**styles, "walk": walk}
            spans += [(m.start, m.end, "walk") for m in p.mentions if m.entity == self.walk_entity]
        text = highlighted(clean(p.text, lines=True), spans, styles, base)
        if p.kind == "list-item":
            text = highlighted("• ", [], {}) + text
        if quoted:
            who = "; ".join(dict.fromkeys(label for _, _, label in quoted))
            text.append(f"\n  — {clean(who)}", style=self.get_component_rich_style("quote--speaker", partial=True))
        return text

    def show(self, article: Article | None, n: int = 0) -> None:
        """Display ``article`` with the cursor on passage ``n``."""
        self.article = article
        self.clear_options()
        if article is None:
            return
        styles = self._styles()
        removed_style = self.get_component_rich_style("passage--removed", partial=True)
        removed = {}
        if self.show_removed:
            for i, r in enumerate(article.removed):
                removed.setdefault(r.after, []).append((i, r))
        options = []
        for i, r in removed.get(-1, []):
            options.append(_removed_option(i, r, removed_style))
        last = len(article.passages) - 1
        for p in article.passages:
            prompt = self._prompt(p, styles)
            if p.n != last:
                prompt.append("\n")  # a blank line between passages
            options.append(Option(prompt, id=f"p{p.n}"))
            for i, r in removed.get(p.n, []):
                options.append(_removed_option(i, r, removed_style))
        self.add_options(options)
        self.move_to(n)

    def move_to(self, n: int) -> None:
        """Put the cursor on passage ``n`` at the top of the pane (the first
        passage: the pane's top, so what was removed above it shows)."""
        if self.article is None or not self.article.passages:
            return
        n = max(0, min(n, len(self.article.passages) - 1))
        self.highlighted = self.get_option_index(f"p{n}")
        if n == 0:
            self.scroll_home(animate=False)
        else:
            self.scroll_to_highlight(top=True)

    def action_cursor_up(self) -> None:
        """The previous passage; on the first, the lines above it (no wrap-around)."""
        n = self.current()
        if n is None or n == 0:
            self.scroll_home(animate=False)
            return
        self.highlighted = self.get_option_index(f"p{n - 1}")
        if n - 1 == 0:
            self.scroll_home(animate=False)

    def action_cursor_down(self) -> None:
        """The next passage; on the last, the lines below it (no wrap-around)."""
        n = self.current()
        if self.article is None or n is None or n >= len(self.article.passages) - 1:
            self.scroll_end(animate=False)
            return
        self.highlighted = self.get_option_index(f"p{n + 1}")

    def current(self) -> int | None:
        if self.highlighted is None:
            return None
        oid = self.get_option_at_index(self.highlighted).id or ""
        return int(oid[1:]) if oid.startswith("p") else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        n = self.current()
        if self.article is None or n is None or event.option_index != self.highlighted:
            return  # stale: the cursor has moved on since
        if self._announced != (self.article.id, n):
            self._announced = (self.article.id, n)
            self.post_message(PassageChosen(self.article.id, n))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()


def _removed_option(i: int, line, style) -> Option:
    """A line the cleaner removed, with its rule: shown, never under the cursor."""
    return Option(highlighted(clean(f"✂ {line.rule}: {line.text}"), [], {}, style), id=f"r{i}", disabled=True)
