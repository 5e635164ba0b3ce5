"""Layout snapshots (pytest-textual-snapshot): three panes with highlighting.

Update after a deliberate change of the look with `pytest --snapshot-update`.
"""

from __future__ import annotations

from reader.ui.app import make_app


def _app(tmp_path):
    return make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")


async def _until(pilot, condition) -> None:
    """Pause until ``condition()`` holds and no worker runs (at most 30 s).

    Each step below runs through several messages and a thread; on a slow
    machine that outlasts one pause, so wait for the end state, not a time.
    """
    for _ in range(3000):
        await pilot.pause(0.01)
        if condition() and not any(w.is_running for w in pilot.app.workers):
            return


async def _open_second_passage(pilot) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.main is not None and app.main.ready and app.main.article is not None)
    main = app.main
    first = main.article.id
    await pilot.press("down")
    await _until(pilot, lambda: main.article.id != first)
    await pilot.press("2", "down")
    pane = main.query_one("#xref-pane")
    await _until(pilot, lambda: str(pane.border_subtitle or "").startswith("passage 1:"))
    await _settled(pilot)


async def _settled(pilot) -> None:
    """Wait until the text pane stops changing: scrolling to the highlighted
    passage is animated, and a passage's speaker line can come a frame later,
    so a snapshot taken mid-way shows the scrollbar elsewhere."""
    passages = pilot.app.main.query_one("#passages")
    last, same = None, 0
    for _ in range(300):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.02)
        now = (passages.scroll_offset, passages.virtual_size, passages.size)
        same = same + 1 if now == last else 0
        last = now
        if same >= 5:
            return


def test_three_panes_120x40(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_open_second_passage)


def test_three_panes_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_open_second_passage)
