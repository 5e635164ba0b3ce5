"""The article list: title, site and date, sortable; only the rows on screen are drawn.

A :class:`~textual.scroll_view.ScrollView` drawing line by line (Textual's
line API): the list holds plain (key, article) pairs and draws a row when it
scrolls into view, keeping a few screens of drawn rows. 100,000 articles cost
a list of pairs; Textual's DataTable, which this replaced, made and measured
a row of cells for every article it was given before showing any.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.library.store import ArticleInfo
from reader.core.text import plural
from reader.ui.messages import ArticleChosen
from reader.ui.safe import clean
from reader.ui.widgets import story_rows

SORTS = ("path", "date", "title", "site")
ROW_HEIGHT = 2
"""Lines of one row: the title, then date · site (or a story's count, outlets and dates)."""
DRAWN_ROWS = 300
"""Drawn rows kept (a few screens' worth; the rest are drawn again when scrolled to)."""
CURSOR = "article-list--cursor"


class ArticleList(ScrollView, can_focus=True):
    """Receives :class:`ArticleInfo` rows; posts :class:`ArticleChosen`."""

    COMPONENT_CLASSES = {CURSOR}
    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        color: $foreground;
    }
    ArticleList:focus {
        background-tint: $foreground 5%;
    }
    ArticleList > .article-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pageup", "page_up_rows", "Page up", show=False),
        Binding("pagedown", "page_down_rows", "Page down", show=False),
        Binding("s", "cycle_sort", "Sort", id="list.sort"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
    ]

    class Highlighted(Message):
        """The cursor came to a row (answered only while it is still there)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.infos: list[ArticleInfo] = []
        self.sort_key = "path"
        self.stories: list | None = None
        """When set, the list is grouped by these stories (see :mod:`.story_rows`)."""
        self.cursor_row = 0
        self.rows_drawn = 0
        """Rows drawn so far (what the list costs grows with what is seen, not with the corpus)."""
        self._keys: list[str] = []
        self._items: list = []
        self._where_map: dict[str, int] | None = {}
        self._drawn: OrderedDict = OrderedDict()

    def on_mount(self) -> None:
        self.border_title = "Articles"

    # -- rows -------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        """The rows' keys in the order shown (article ids; story headers' keys start with story_rows.HEADER)."""
        return list(self._keys)

    def get_row_index(self, key: str) -> int:
        return self._where[key]

    def get_row_at(self, row: int) -> list[Text]:
        """The cells of row ``row`` (one: the row's text)."""
        return [self._cell_of(row)]

    def _cell_of(self, row: int) -> Text:
        item = self._items[row]
        if story_rows.is_header(self._keys[row]):
            return story_rows.header(item)
        return self._cell(item, indent=self.stories is not None)

    @staticmethod
    def _cell(info: ArticleInfo, indent: bool = False) -> Text:
        pad = "  " if indent else ""
        text = Text(pad + clean(info.title), style="bold", no_wrap=True, overflow="ellipsis")
        meta = " · ".join(x for x in (info.date, info.site) if x) or info.path
        text.append("\n" + pad + clean(meta), style="dim")
        return text

    def _set_rows(self, keys: list[str], items: list) -> None:
        self._keys, self._items, self._where_map = keys, items, None
        self._changed()

    @property
    def _where(self) -> dict[str, int]:
        """Row key -> row, built when first asked for (a list shown is not looked up at once)."""
        if self._where_map is None:
            self._where_map = dict(zip(self._keys, range(len(self._keys))))
        return self._where_map

    def _changed(self) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, ROW_HEIGHT * len(self._keys))
        self.cursor_row = min(self.cursor_row, max(0, len(self._keys) - 1))
        self.refresh()

    def show(self, infos: list[ArticleInfo], keep: str | None = None) -> None:
        """Fill the list (sorted by the current key), keeping ``keep`` selected."""
        self.infos = list(infos)  # its own: append() extends it in place
        if self.stories is not None:
            rows = story_rows.grouped(self.stories, self._sorted())
            self._set_rows([k for k, _ in rows], [v for _, v in rows])
        else:
            items = list(self._sorted())
            self._set_rows([info.id for info in items], items)
        self.border_title = f"Articles ({len(infos)})"
        self.border_subtitle = " · ".join(
            ([plural(len(self.stories), "story")] if self.stories is not None else [])
            + ([f"by {self.sort_key}"] if self.sort_key != "path" else []))
        if keep and keep in self._where:  # (a first show keeps nothing: no look-up built)
            self.select(keep)
        else:
            self._highlighted()

    def append(self, infos: list[ArticleInfo]) -> None:
        """Add articles at the end as the index brings them (no re-sort)."""
        self.infos.extend(infos)  # in place: not a copy of the whole list at each step of an index
        for info in infos:
            if info.id not in self._where:
                self._where[info.id] = len(self._keys)
                self._keys.append(info.id)
                self._items.append(info)
        self._changed()
        self.border_title = f"Articles ({len(self.infos)}…)"
        self._highlighted()

    def add_page(self, infos: list[ArticleInfo]) -> None:
        """Add the next page of the index's articles, read after those shown (none of
        them listed yet), at the end; the cursor stays where it is."""
        self.infos.extend(infos)
        self._keys.extend(info.id for info in infos)
        self._items.extend(infos)
        if self._where_map is not None:
            self._where_map.update((info.id, row) for row, info in enumerate(infos, len(self._keys) - len(infos)))
        self._changed()
        self.border_title = f"Articles ({len(self.infos)}…)"

    def pages_done(self) -> None:
        """The last page is in: the list sorted (or grouped) again unless it is by
        path, which the pages came in, and its count said without the "…"."""
        if self.sort_key != "path" or self.stories is not None:
            self.show(self.infos, keep=self.current_id())
        else:
            self.border_title = f"Articles ({len(self.infos)})"

    def _sorted(self) -> list[ArticleInfo]:
        if self.sort_key == "path":
            return self.infos
        if self.sort_key == "date":  # the newest first, then by title (reversed), in two stable sorts
            by_title = sorted(self.infos, key=_title_of, reverse=True)
            return sorted(by_title, key=_date_of, reverse=True)
        return sorted(self.infos, key=lambda i: ((getattr(i, self.sort_key) or "\uffff").casefold(), i.id))

    # -- the cursor -------------------------------------------------------------
    def select(self, article_id: str) -> None:
        row = self._where.get(article_id)
        if row is not None and row != self.cursor_row:
            self.move_cursor(row=row)

    def current_id(self) -> str | None:
        if not self._keys:
            return None
        key = self._keys[self.cursor_row]
        return None if story_rows.is_header(key) else key

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (kept in range), scrolled into view."""
        row = max(0, min(row, len(self._keys) - 1))
        if row < 0:
            return
        moved = row != self.cursor_row
        self.cursor_row = row
        width = max(1, self.scrollable_content_region.width)
        self.scroll_to_region(Region(0, row * ROW_HEIGHT, width, ROW_HEIGHT), animate=False, force=True)
        if moved:
            self.refresh()
            self._highlighted()

    def _highlighted(self) -> None:
        if self._keys:
            self.post_message(self.Highlighted(self._keys[self.cursor_row]))

    def on_article_list_highlighted(self, event: Highlighted) -> None:
        event.stop()
        # Only the row under the cursor now: a highlight queued before a later
        # move is stale, and answering it moved the cursor back, queueing
        # another (two queued highlights then re-opened two articles forever).
        key = event.key
        if key and key == self.current_id() and not story_rows.is_header(key):
            self.post_message(ArticleChosen(key))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up_rows(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down_rows(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(0, len(self._keys) - 1))

    def action_cycle_sort(self) -> None:
        keep = self.current_id()
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.show(self.infos, keep)
        self.notify(f"Articles sorted by {self.sort_key}", timeout=2)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.move_cursor(row=(offset.y + int(self.scroll_y)) // ROW_HEIGHT)

    # -- drawing ----------------------------------------------------------------
    def on_resize(self) -> None:
        self._changed()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row, part = divmod(int(self.scroll_y) + y, ROW_HEIGHT)
        if width <= 0 or row >= len(self._keys):
            return Strip.blank(max(0, width), self.rich_style)
        return self._row_strips(row, width)[part]

    def _row_strips(self, row: int, width: int) -> list[Strip]:
        cursor = row == self.cursor_row
        key = (self._keys[row], width, cursor, cursor and self.has_focus)
        strips = self._drawn.get(key)
        if strips is not None:
            self._drawn.move_to_end(key)
            return strips
        self.rows_drawn += 1
        base = self.rich_style
        style = base + self.get_component_rich_style(CURSOR) if cursor else base
        strips = _draw(self.app.console, self._cell_of(row), width, style)
        self._drawn[key] = strips
        if len(self._drawn) > DRAWN_ROWS:
            self._drawn.popitem(last=False)
        return strips


def _date_of(info: ArticleInfo) -> str:
    return info.date or ""


def _title_of(info: ArticleInfo) -> str:
    return info.title or ""


def _draw(console, text: Text, width: int, style: Style) -> list[Strip]:
    """The two lines of a row, ``width`` wide, the text one cell in from each side."""
    inner = max(1, width - 2)
    lines = console.render_lines(text, console.options.update_width(inner), style=style, pad=True)
    pad = Segment(" ", style)
    out = [Strip([pad, *line, pad], width).crop(0, width) for line in lines[:ROW_HEIGHT]]
    while len(out) < ROW_HEIGHT:
        out.append(Strip.blank(width, style))
    return out
