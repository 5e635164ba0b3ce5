"""The command line's progress bar (rich, on stderr) for Library.update().

rich is imported only when a bar is shown: a search on an index that is up
to date prints no progress, and starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from reader.cli.output import say
from reader.core.text import visible

if TYPE_CHECKING:
    from rich.progress import Progress

    from reader.core.library.update import Progress as Step


class CliProgress:
    """Shows a bar on a terminal; on a pipe, only warnings and messages."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.live = _is_terminal(stream)
        self.bar: Progress | None = None
        self.task = None
        self.warned: set[str] = set()
        """Paths of the files a warning was shown for."""

    def __enter__(self) -> CliProgress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()

    def _print(self, text: str) -> None:
        text = visible(text)
        if self.bar:
            self.bar.console.print(text, markup=False, highlight=False)
        else:
            say(text, self.stream)

    def _start_bar(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        console = Console(file=self.stream, stderr=True, highlight=False)
        self.bar = Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("articles"), TextColumn("{task.fields[rate]}"),
                            TimeRemainingColumn(), console=console, transient=True)
        self.bar.start()
        self.task = self.bar.add_task("index", total=total, rate="")

    def update(self, step: Step) -> None:
        if step.warning:
            self.warned.add(step.warning.path)
            self._print(f"warning: {step.warning}")
        if step.phase == "scan" and step.message:
            self._print(step.message)
        if step.phase == "analyse":
            if self.bar is None and step.total and self.live:
                self._start_bar(step.total)
            if self.bar is not None:
                elapsed = self.bar.tasks[0].elapsed or 0
                rate = f"{step.done / elapsed:.0f}/s" if elapsed > 0.5 else ""
                self.bar.update(self.task, completed=step.done, total=max(step.total, step.done), rate=rate)
        if step.phase == "resolve" and self.live:
            self._print(step.message + "…")


def _is_terminal(stream: TextIO) -> bool:
    """Whether a bar can be drawn on ``stream``: rich's own test (a terminal, unless
    TTY_COMPATIBLE says otherwise), made without importing rich."""
    import os
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False
