"""Work put off until the screen shows what was just changed.

The reader's first screen is read in pieces: the article list's first page and
its first article are shown, and only then do threads start on what is not
needed for that paint (the rest of the list, the cross-references, the story
line, the comparison of every file). A thread started at once would hold the
GIL while the article is drawn (importing the story grouping and numpy, say)
and slow the very paint it waits for. Textual's ``call_after_refresh`` can run
before the widgets just changed have asked to be repainted, so the callbacks
here wait, once a change that lays the screen out again is announced, for the
screen's next layout refresh, which Textual publishes after compositing it
(``screen_layout_refresh_signal``), or :data:`PAINT_LATEST` seconds when none
comes (a dialog on top); with no such change announced they run at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.screen import Screen
from textual.timer import Timer

PAINT_LATEST = 0.5
"""Seconds after which put-off work runs even if the screen was not laid out again."""


class AfterPaint(Screen):
    """A screen with :meth:`expect_paint` and :meth:`after_paint`."""

    _waiting: list[Callable[[], object]] | None = None
    """What waits for the paint expected (None: no paint is expected)."""
    _latest: Timer | None = None

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._painted)

    def expect_paint(self) -> None:
        """Say that what is being changed lays the screen out again (an article opened, its
        heading new): what :meth:`after_paint` is given from now waits for that paint."""
        if self._waiting is None:
            self._waiting = []
            self._latest = self.set_timer(PAINT_LATEST, self._painted)

    def after_paint(self, callback: Callable[..., object], *args) -> None:
        """Call ``callback(*args)`` once the paint expected is done; at once when none is."""
        if self._waiting is None:
            callback(*args)
        else:
            self._waiting.append(partial(callback, *args))

    def _painted(self, _screen: Screen | None = None) -> None:
        waiting, self._waiting = self._waiting or [], None
        if self._latest is not None:
            self._latest.stop()
            self._latest = None
        for callback in waiting:
            callback()
