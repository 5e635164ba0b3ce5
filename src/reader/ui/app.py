"""The kreader application and its factory (one factory for the command and the tests)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.core import locations
from reader.core.config import Config
from reader.core.ingest.files import DEFAULT_MAX_BYTES
from reader.core.errors import ReaderError
from reader.core.library.facade import Library
from reader.ui.commands import JumpCommands
from reader.ui.safe import clean
from reader.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from argparse import Namespace


def binding_ids() -> set[str]:
    """Every binding id of the reader's screens and widgets (the names the
    config file's ``keys`` section may remap)."""
    import importlib
    import pkgutil

    from reader.ui import screens, widgets
    ids = {b.id for b in KReader.BINDINGS if isinstance(b, Binding) and b.id}
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for obj in vars(module).values():
                for b in getattr(obj, "BINDINGS", None) or ():
                    if isinstance(b, Binding) and b.id:
                        ids.add(b.id)
    return ids


class KReader(App):
    """Three panes over one corpus."""

    CSS_PATH = str(locations.styles_dir() / "kreader.tcss")
    TITLE = "kreader"
    COMMANDS = App.COMMANDS | {JumpCommands}
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, library: Library, bookmarks: Path, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.library = library
        self.bookmarks_path = bookmarks
        self._store = None
        self._keymap = keymap or {}

    @property
    def store(self):
        """The bookmark store (BookmarkStore), built when first needed: the
        window paints without the YAML and locking modules."""
        if self._store is None:
            from reader.core.bookmarks.store import BookmarkStore
            self._store = BookmarkStore(self.bookmarks_path)
        return self._store

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
            unknown = sorted(set(self._keymap) - binding_ids())
            if unknown:
                self.notify(f"The config file's keys section names no binding {', '.join(unknown)}; "
                            f"the README lists the binding ids.", severity="warning", timeout=10)
        self.push_screen(MainScreen(self.library))

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification as plain text: messages name files, queries and
        titles, which may hold control characters or look like markup."""
        super().notify(clean(message, lines=True), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    @property
    def main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        for title, help_, action in (
                ("Search", "Search people, places and words (/)", main.action_search),
                ("Entities of this article", "List the article's entities (e)", main.action_entities),
                ("Bookmark this passage", "Save the passage under the cursor (b)", main.action_bookmark),
                ("Bookmarks", "List, open, edit and delete bookmarks (B)", main.action_bookmarks),
                ("Show or hide removed lines", "What the cleaner took out (r)", main.action_toggle_removed),
                ("Next mention", "Next passage mentioning the entity (n)", lambda: main.action_walk(1)),
                ("Previous mention", "Previous passage mentioning the entity (N)", lambda: main.action_walk(-1)),
                ("Back", "Back to where you were (backspace)", main.action_back),
                ("Sort articles", "By path, date, title or site (s)", lambda: main.query_one("#list").action_cycle_sort()),
                ("Help", "Keys and the query language (?)", main.action_help)):
            yield SystemCommand(title, help_, action)


def make_app(corpus: Path | None = None, *, index_dir: Path | None = None, bookmarks: Path | None = None,
             config: Config | None = None, max_bytes: int | None = None) -> KReader:
    """Build the app exactly as ``kreader`` does (tests use this too)."""
    config = config or Config()
    corpus = Path(corpus) if corpus else locations.bundled_corpus()
    root = index_dir or config.index_dir
    library = Library(corpus, locations.index_dir_for(corpus, root) if root else None,
                      max_bytes=max_bytes or int(config.max_size_mb * 1024 * 1024) or DEFAULT_MAX_BYTES,
                      rule_extra=config.rules, fields=config.fields_for(corpus))
    return KReader(library, bookmarks or config.bookmarks or locations.default_bookmarks(), keymap=config.keys)


def run_app(corpus: Path, args: Namespace, config: Config) -> int:
    if not corpus.is_dir():
        raise ReaderError(f"The corpus folder {corpus} does not exist or is not a folder; "
                          f"give the path of a folder of articles.")
    max_bytes = int(args.max_size * 1024 * 1024) if args.max_size else None
    app = make_app(corpus, index_dir=args.index_dir, bookmarks=args.bookmarks, config=config,
                   max_bytes=max_bytes)
    app.run()
    return app.return_code or 0
