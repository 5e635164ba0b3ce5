"""The command line's progress bar (rich, on stderr) for Library.update()."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from reader.core.library.facade import Progress as Step
from reader.core.text import visible


class CliProgress:
    """Shows a bar on a terminal; on a pipe, only warnings and messages."""

    def __init__(self, stream: TextIO):
        self.console = Console(file=stream, stderr=True, highlight=False)
        self.live = self.console.is_terminal
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
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def update(self, step: Step) -> None:
        if step.warning:
            self.warned.add(step.warning.path)
            self._print(f"warning: {step.warning}")
        if step.phase == "scan" and step.message:
            self._print(step.message)
        if step.phase == "analyse":
            if self.bar is None and step.total and self.live:
                self.bar = Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(),
                                    TextColumn("articles"), TextColumn("{task.fields[rate]}"),
                                    TimeRemainingColumn(), console=self.console, transient=True)
                self.bar.start()
                self.task = self.bar.add_task("index", total=step.total, rate="")
            if self.bar is not None:
                elapsed = self.bar.tasks[0].elapsed or 0
                rate = f"{step.done / elapsed:.0f}/s" if elapsed > 0.5 else ""
                self.bar.update(self.task, completed=step.done, total=max(step.total, step.done), rate=rate)
        if step.phase == "resolve" and self.live:
            self._print(step.message + "…")
