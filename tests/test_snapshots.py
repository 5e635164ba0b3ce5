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
    await pilot.pause()


def test_three_panes_120x40(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_open_second_passage)


def test_three_panes_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_open_second_passage)
