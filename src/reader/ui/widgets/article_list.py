"""The article list: title, site and date, sortable; rows are drawn lazily."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from reader.core.library.store import ArticleInfo
from reader.ui.messages import ArticleChosen
from reader.ui.safe import clean
from reader.ui.widgets import story_rows

SORTS = ("path", "date", "title", "site")


class ArticleList(DataTable):
    """Receives :class:`ArticleInfo` rows; posts :class:`ArticleChosen`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("s", "cycle_sort", "Sort", id="list.sort"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.infos: list[ArticleInfo] = []
        self.sort_key = "path"
        self.stories: list | None = None
        """When set, the list is grouped by these stories (see :mod:`.story_rows`)."""

    def on_mount(self) -> None:
        self.show_header = False
        self.add_column("Article", key="article", width=self._width())
        self.border_title = "Articles"

    def _width(self) -> int:
        # The visible width less the vertical scrollbar, so nothing scrolls sideways.
        return max(16, self.scrollable_content_region.width - 2)

    def on_resize(self) -> None:
        column = self.columns.get("article")
        if column is not None and column.width != self._width():
            column.width = self._width()
            self.refresh()

    @staticmethod
    def _cell(info: ArticleInfo, indent: bool = False) -> Text:
        pad = "  " if indent else ""
        text = Text(pad + clean(info.title), style="bold", no_wrap=True, overflow="ellipsis")
        meta = " · ".join(x for x in (info.date, info.site) if x) or info.path
        text.append("\n" + pad + clean(meta), style="dim")
        return text

    def show(self, infos: list[ArticleInfo], keep: str | None = None) -> None:
        """Fill the list (sorted by the current key), keeping ``keep`` selected."""
        self.infos = infos
        self.clear()
        if self.stories is not None:
            for key, row in story_rows.grouped(self.stories, self._sorted()):
                cell = story_rows.header(row) if story_rows.is_header(key) else self._cell(row, indent=True)
                self.add_row(cell, key=key, height=2)
        else:
            for info in self._sorted():
                self.add_row(self._cell(info), key=info.id, height=2)
        self.border_title = f"Articles ({len(infos)})"
        self.border_subtitle = " · ".join(
            ([f"{len(self.stories)} stories"] if self.stories is not None else [])
            + ([f"by {self.sort_key}"] if self.sort_key != "path" else []))
        if keep:
            self.select(keep)

    def append(self, infos: list[ArticleInfo]) -> None:
        """Add articles at the end as the index brings them (no re-sort)."""
        self.infos = self.infos + list(infos)
        for info in infos:
            if info.id not in self.rows:
                self.add_row(self._cell(info), key=info.id, height=2)
        self.border_title = f"Articles ({len(self.infos)}…)"

    def _sorted(self) -> list[ArticleInfo]:
        if self.sort_key == "path":
            return self.infos
        if self.sort_key == "date":
            return sorted(self.infos, key=lambda i: (i.date or "", i.title), reverse=True)
        return sorted(self.infos, key=lambda i: ((getattr(i, self.sort_key) or "\uffff").casefold(), i.id))

    def select(self, article_id: str) -> None:
        try:
            row = self.get_row_index(article_id)
        except Exception:
            return
        if row != self.cursor_row:
            self.move_cursor(row=row)

    def current_id(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return None if story_rows.is_header(key) else key

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))

    def action_cycle_sort(self) -> None:
        keep = self.current_id()
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.show(self.infos, keep)
        self.notify(f"Articles sorted by {self.sort_key}", timeout=2)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        # Only the row under the cursor now: a highlight queued before a later
        # move is stale, and answering it moved the cursor back, queueing
        # another (two queued highlights then re-opened two articles forever).
        key = event.row_key.value if event.row_key is not None else None
        if key and key == self.current_id() and not story_rows.is_header(key):
            self.post_message(ArticleChosen(key))
