"""Layout snapshots (pytest-textual-snapshot): three panes with highlighting.

Update after a deliberate change of the look with `pytest --snapshot-update`.
"""

from __future__ import annotations

from reader.ui.app import make_app


def _app(tmp_path):
    return make_app(index_dir=tmp_path / "ix", bookmarks=tmp_path / "bookmarks.yaml")


async def _open_second_passage(pilot) -> None:
    for _ in range(3000):
        if pilot.app.main is not None and pilot.app.main.ready:
            break
        await pilot.pause(0.01)
    await pilot.press("down", "2", "down")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_three_panes_120x40(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_open_second_passage)


def test_three_panes_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_open_second_passage)
