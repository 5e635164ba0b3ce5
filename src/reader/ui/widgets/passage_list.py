"""The article's cleaned passages, mentions highlighted, one option each."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.model import Article
from reader.ui.highlight import highlighted, mention_spans
from reader.ui.messages import PassageChosen

KIND_STYLE = {"heading": "passage--heading", "quote": "passage--quote", "caption": "passage--caption",
              "list-item": "", "paragraph": ""}


class PassageList(OptionList):
    """Shows one :class:`Article`; posts :class:`PassageChosen` as the cursor moves."""

    COMPONENT_CLASSES = {"entity--person", "entity--place", "entity--organization", "passage--removed",
                         "passage--heading", "passage--quote", "passage--caption", "passage--walk"}
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="passages.down"),
        Binding("k", "cursor_up", "Up", show=False, id="passages.up"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.show_removed = False
        self.walk_entity: str | None = None

    def _styles(self) -> dict:
        return {t: self.get_component_rich_style(f"entity--{t}", partial=True) for t in ("person", "place", "organization")}

    def _prompt(self, p, styles):
        base = self.get_component_rich_style(KIND_STYLE[p.kind], partial=True) if KIND_STYLE.get(p.kind) else None
        spans = mention_spans(p.mentions)
        if self.walk_entity:
            walk = self.get_component_rich_style("passage--walk", partial=True)
            styles = {**styles, "walk": walk}
            spans += [(m.start, m.end, "walk") for m in p.mentions if m.entity == self.walk_entity]
        text = highlighted(p.text, spans, styles, base)
        if p.kind == "list-item":
            text = highlighted("• ", [], {}) + text
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
            options.append(Option(highlighted(f"✂ {r.rule}: {r.text}", [], {}, removed_style), id=f"r{i}",
                                  disabled=True))
        last = len(article.passages) - 1
        for p in article.passages:
            prompt = self._prompt(p, styles)
            if p.n != last:
                prompt.append("\n")  # a blank line between passages
            options.append(Option(prompt, id=f"p{p.n}"))
            for i, r in removed.get(p.n, []):
                options.append(Option(highlighted(f"✂ {r.rule}: {r.text}", [], {}, removed_style),
                                      id=f"r{i}", disabled=True))
        self.add_options(options)
        self.move_to(n)

    def move_to(self, n: int) -> None:
        if self.article is None or not self.article.passages:
            return
        n = max(0, min(n, len(self.article.passages) - 1))
        self.highlighted = self.get_option_index(f"p{n}")
        self.scroll_to_highlight(top=True)

    def current(self) -> int | None:
        if self.highlighted is None:
            return None
        oid = self.get_option_at_index(self.highlighted).id or ""
        return int(oid[1:]) if oid.startswith("p") else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        n = self.current()
        if self.article is not None and n is not None:
            self.post_message(PassageChosen(self.article.id, n))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
