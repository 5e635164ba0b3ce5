"""The article list at scale: 20,000+ rows are not built up front.

Counts the rows built (each row's text is made by ArticleList._cell), never
the time it takes (speed is benchmarks/'s). The DataTable the list was
before built all 25,000 at show() and measured each."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from reader.core.library.store import ArticleInfo
from reader.ui.messages import ArticleChosen
from reader.ui.widgets.article_list import ArticleList

ROWS = 25_000


def infos(n: int) -> list[ArticleInfo]:
    return [ArticleInfo(f"a{i:05d}", f"news/a{i:05d}.txt", f"Harbour report number {i}", f"2031-03-{i % 28 + 1:02d}",
                        "Nordic Wire" if i % 2 else "", 3) for i in range(n)]


class ListApp(App):
    def __init__(self):
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield ArticleList(id="list")

    def on_article_chosen(self, event: ArticleChosen) -> None:
        self.chosen.append(event.article_id)


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The ids of the rows whose text was built, in order."""
    seen: list[str] = []
    cell = ArticleList._cell

    def counting(info, indent=False):
        seen.append(info.id)
        return cell(info, indent)
    monkeypatch.setattr(ArticleList, "_cell", staticmethod(counting))
    return seen


async def test_a_list_of_25000_articles_draws_only_the_rows_on_screen(built):
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.query_one(ArticleList)
        articles.focus()
        articles.show(infos(ROWS))
        await pilot.pause()
        assert articles.row_count == ROWS
        on_screen = articles.scrollable_content_region.height // 2 + 1
        assert 0 < len(built) <= on_screen + 1 and built[0] == "a00000"
        assert articles.rows_drawn == len(built)
        assert not articles.children  # rows are lines drawn, not widgets
        assert app.chosen[-1] == "a00000"
        await pilot.click(ArticleList, offset=(5, 4))  # the third row's title line
        await pilot.pause()
        assert articles.current_id() == "a00002" == app.chosen[-1]

        await pilot.press("end")
        await pilot.pause()
        assert articles.current_id() == f"a{ROWS - 1:05d}"
        assert app.chosen[-1] == f"a{ROWS - 1:05d}"
        for _ in range(3):
            await pilot.press("pageup")
        await pilot.pause()
        # three screens more, not the 25,000 rows between
        assert len(built) <= 5 * (on_screen + 1)
        assert f"a{ROWS - 1:05d}" in built and f"a{ROWS // 2:05d}" not in built
        assert f"Harbour report number {ROWS - 1}" in str(articles.get_row_at(ROWS - 1)[0])


async def test_sorting_and_appending_a_large_list_keep_drawing_lazily(built):
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.query_one(ArticleList)
        articles.focus()
        rows = infos(ROWS)
        articles.append(rows[:ROWS // 2])  # as the index brings them
        articles.append(rows[ROWS // 2:])
        await pilot.pause()
        assert articles.row_count == ROWS
        drawn = len(built)
        assert drawn <= articles.scrollable_content_region.height // 2 + 1
        await pilot.press("s")  # by date: the newest first
        await pilot.pause()
        assert articles.row_keys[0] != "a00000" and articles.row_count == ROWS
        assert len(built) - drawn <= articles.scrollable_content_region.height // 2 + 1
