"""The main screen: article list, article text, cross-references.

The screen owns the library and wires the panes: panes never query each other;
they post messages and the screen calls the core (in thread workers for
anything slow) and hands the results down.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Label, ProgressBar, Static
from textual.worker import get_current_worker

from reader.core.errors import ReaderError
from reader.core.library.facade import Library
from reader.ui.messages import (ArticleChosen, EntityPassages, IndexFailed, IndexProgress, IndexReady, IndexRows,
                                JumpTo, PassageChosen)
from reader.ui.safe import clean, plain, shorten
from reader.ui.screens.stories import StoryActions
from reader.ui.widgets.article_list import ArticleList
from reader.ui.screens.quotes import QUOTES_OF, QuotesActions, quote_marks, speakers_of
from reader.ui.widgets.passage_list import PassageList
from reader.ui.widgets.xref_list import XrefList

# The dialogs (search, bookmarks, entities, help) are imported when first
# opened: the window paints without them.

NARROW = 110
"""Below this many columns the panes stack (and the footer packs its keys)."""

FIRST_PAGE = 200
"""Rows of the article list read before its first article opens (a few screens' worth)."""
PAGE = 20000
"""Rows read at a time after the first page (each page repaints the list; 100,000 entries cost most of a second to read)."""
LISTED_POLL = 0.1
"""Seconds between the index worker's looks at whether it was cancelled while it waits for the list's paint."""
LISTED_LATEST = 2.0
"""The longest the index worker waits for the filled list's first article to be painted
before it compares every file of the corpus with the index."""
BOOKMARK_KEYS = Binding.Group("Bookmarks", compact=False)
"""b and B share one footer entry: a narrow footer has no room for two."""


class MainScreen(QuotesActions, StoryActions):
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "walk(1)", "Next", id="next_mention", tooltip="Next passage mentioning the entity"),
        Binding("N", "walk(-1)", "Prev mention", show=False, id="prev_mention"),
        Binding("e", "entities", "Entities", id="entities"),
        Binding("Q", "quotes", "Quotes", id="quotes"),
        Binding("b", "bookmark", "Bookmark", id="bookmark", group=BOOKMARK_KEYS),
        Binding("B", "bookmarks", "Bookmarks", id="bookmarks", group=BOOKMARK_KEYS),
        Binding("r", "toggle_removed", "Removed", id="toggle_removed"),
        Binding("backspace", "back", "Back", show=False, id="back"),
        Binding("1", "focus_pane('list')", "Articles", show=False, id="focus_list"),
        Binding("2", "focus_pane('passages')", "Text", show=False, id="focus_text"),
        Binding("3", "focus_pane('xref')", "Cross-refs", show=False, id="focus_xref"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.lib = library
        self.ready = False
        self.article = None
        self.history: list[tuple[str, int]] = []
        self.walk: list[tuple[str, int]] = []
        self.walk_entity: str | None = None
        self.indexing = "Opening the index"
        """How far the update has got (shown by a search made before it ends)."""
        self.bookmarks_loaded = False
        self.checked = False
        """True once every file of the corpus has been compared with the index."""
        self._listed = threading.Event()
        """Set once the list filled from the index as it was is painted."""
        self.more_rows = False
        """True while the rest of the list is read after its first page."""
        self._shown = threading.Event()
        """Set once the first article (or an empty list) is painted: the rest of the list is read after."""

    def compose(self) -> ComposeResult:
        # Classes the first styling needs, set before the widgets mount: set
        # after, each would restyle the whole screen.
        self.set_class(self.app.size.width < NARROW, "narrow")
        self.add_class("list-focused")  # the list has focus first
        yield Header()
        with Horizontal(id="progress-row"):
            yield Label("Opening the index…", id="progress-label")
            bar = ProgressBar(id="progress", show_eta=True)
            bar.display = False  # until there is a count to show (it would animate, repainting, meanwhile)
            yield bar
        with Horizontal(id="panes"):
            yield ArticleList(id="list")
            with Vertical(id="reading"):
                yield Static("", id="meta")
                yield PassageList(id="passages")
            with Vertical(id="xref-pane"):
                yield Static("Cross-references", id="xref-title")
                yield XrefList(id="xref")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "kreader"
        self.sub_title = clean(self.lib.corpus.name)
        self.query_one("#passages").border_title = "Text"
        self.query_one("#xref-pane").border_title = "Cross-references"
        self.on_resize()
        self.query_one(ArticleList).focus()
        # After the first paint: the worker's imports would hold the GIL before it.
        self.call_after_refresh(self.index_corpus)

    def on_resize(self, event=None) -> None:
        narrow = self.size.width < NARROW
        if self.has_class("narrow") != narrow:
            self.set_class(narrow, "narrow")
        footer = self.query_one(Footer)
        if footer.compact != narrow:
            # 80 columns hold the keys only packed, and without the palette's
            # entry (ctrl+p is in the help, which ? opens).
            footer.compact = narrow
            footer.show_command_palette = not narrow
            footer.refresh(recompose=True)

    def on_descendant_focus(self, event) -> None:
        # On a narrow terminal the article list shows only while it has focus.
        if self.has_class("list-focused") != (event.widget.id == "list"):
            self.set_class(event.widget.id == "list", "list-focused")

    # -- indexing ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def index_corpus(self) -> None:
        """Open the index and bring it up to date. An index built before is first
        trusted as far as the corpus's folders are as its last update saw them
        (the list fills and articles open at once), then, once the filled list
        is painted, every file is compared with it, as ``kreader index`` does,
        while the user reads. The article list and the entities are read here,
        not in the app's thread."""
        worker = get_current_worker()
        try:
            for quick in (True, False):
                for step in self.lib.update(quick=quick):
                    if worker.is_cancelled:
                        return
                    self.post_message(IndexProgress(step))
                if worker.is_cancelled:
                    return
                final = not self.lib.trusted
                if quick and not final:
                    if not self._list_in_pages(worker):
                        return
                else:
                    s = self.lib.summary
                    changed = quick or s.added or s.changed or s.removed or s.rebuilt
                    infos = self.lib.infos() if changed else None
                    if quick and infos:
                        self._warm_entities(infos[0].id)
                    self.post_message(IndexReady(infos, final=final))
                if final or not self._wait_listed(worker):
                    return
        except ReaderError as e:
            self.post_message(IndexFailed(str(e)))

    def _list_in_pages(self, worker) -> bool:
        """List the index as it is: its first page and first article (:class:`IndexReady`),
        then the rest in pages (:class:`IndexRows`); False when cancelled meanwhile."""
        pages = self.lib.info_pages(FIRST_PAGE, PAGE)
        first = next(pages, [])
        if first:
            self._warm_entities(first[0].id)
        self.post_message(IndexReady(first, final=False, more=True))
        if not self._wait(self._shown, worker):  # reading the rest meanwhile would slow its paint
            return False
        for page in pages:
            if worker.is_cancelled:
                return False
            self.post_message(IndexRows(page))
        self.post_message(IndexRows([], done=True))
        return True

    def _warm_entities(self, article_id: str) -> None:
        """Read one article as the app will, so the corpus's entities, the tables
        and modules they need are loaded here, not when the app's thread opens the first
        (the quote finder too, which marks its quotes)."""
        try:
            self.lib.article(article_id)
        except ReaderError:
            pass  # an index without entities yet: said when an article is opened
        import reader.core.quotes  # noqa: F401

    def _wait_listed(self, worker) -> bool:
        """Wait (in the worker) until the filled list and its first article are painted,
        or :data:`LISTED_LATEST` seconds; False when cancelled meanwhile."""
        return self._wait(self._listed, worker)

    @staticmethod
    def _wait(event: threading.Event, worker) -> bool:
        """Wait (in the worker) until ``event`` is set, or :data:`LISTED_LATEST` seconds;
        False when cancelled meanwhile."""
        for _ in range(int(LISTED_LATEST / LISTED_POLL)):
            if event.wait(LISTED_POLL):
                break
            if worker.is_cancelled:
                return False
        return not worker.is_cancelled

    @on(IndexProgress)
    def index_progress(self, event: IndexProgress) -> None:
        step = event.step
        if step.warning:
            self.notify(str(step.warning), severity="warning", timeout=6)
        if step.articles:
            self.query_one(ArticleList).append(list(step.articles))
        bar = self.query_one(ProgressBar)
        label = self.query_one("#progress-label", Label)
        if step.phase == "analyse" and step.total:
            self.query_one("#progress-row").display = True  # also when the comparison after opening finds work
            bar.display = True
            bar.update(total=step.total, progress=step.done)
            self.indexing = f"Indexing {step.done}/{step.total} articles"
            label.update(plain(self.indexing))
        elif step.message and step.phase != "done":  # done: the row is hidden when the list is shown
            self.indexing = step.message
            label.update(plain(step.message))

    @on(IndexFailed)
    def index_failed(self, event: IndexFailed) -> None:
        self.query_one("#progress-label", Label).update(plain(event.error))
        self.notify(event.error, severity="error", timeout=30)

    @on(IndexReady)
    def index_ready(self, event: IndexReady) -> None:
        self.ready = True
        self.more_rows = event.more
        self.query_one("#progress-row").display = False
        if event.infos is not None:
            self.show_articles(event.infos)
        if not event.final:
            self._when_listed()
        else:
            self.checked = True
            s = self.lib.summary
            if s.skipped:
                self.notify(f"{s.skipped} file{' could not be read and was' if s.skipped == 1 else 's could not be read and were'} "
                            "skipped; kreader index lists them.",
                            severity="warning", timeout=8)
            if s.unread:
                self.notify(s.unread + ".", severity="information", timeout=8)
        if not self.bookmarks_loaded and self.query_one(ArticleList).row_count:
            self.bookmarks_loaded = True
            self.after_paint(self.load_bookmarks)  # not needed for the first paint

    @on(IndexRows)
    def index_rows(self, event: IndexRows) -> None:
        """The list's next page (read after its first article opened)."""
        articles = self.query_one(ArticleList)
        if event.infos:
            articles.add_page(event.infos)
        if event.done:
            self.more_rows = False
            articles.pages_done()
            self._count_articles(len(articles.infos))
            self._when_listed()

    def _when_listed(self) -> None:
        """Once the first article is shown (or there is none), let the index worker read
        the rest of the list; once that is in too, compare every file with the index
        (each after the paint)."""
        if self.ready and not self._shown.is_set() and (
                self.article is not None or not self.query_one(ArticleList).row_count):
            self.after_paint(self._shown.set)
        if self.ready and not self.more_rows and not self._listed.is_set() and (
                self.article is not None or not self.query_one(ArticleList).row_count):
            self.after_paint(self._listed.set)

    def _count_articles(self, n: int) -> None:
        self.sub_title = f"{clean(self.lib.corpus.name)} — {n} article{'s' if n != 1 else ''}"

    def show_articles(self, infos: list) -> None:
        """Fill the list with the index's articles, the one chosen kept (and opened)."""
        if not self.more_rows:
            self._count_articles(len(infos))
        article_list = self.query_one(ArticleList)
        chosen = article_list.current_id()
        article_list.show(infos, keep=chosen)
        if self.more_rows:
            article_list.border_title = f"Articles ({len(infos)}…)"
        if chosen:
            here = self._current()
            self.open_article(chosen, here[1] if here and here[0] == chosen else 0)
        elif article_list.current_id():  # now, so the list and its first article are painted together
            self.open_article(article_list.current_id(), 0)
        if not infos:
            self.query_one("#meta", Static).update(plain(self.lib.summary.empty_note))

    @property
    def store(self):
        """The app's bookmark store (built when first used)."""
        return self.app.store

    def load_bookmarks(self) -> None:
        try:
            self.store.load()
        except ReaderError as e:
            self.notify(f"{e} Bookmarks are read-only until the file is fixed.", severity="warning",
                        timeout=12)

    # -- moving around ----------------------------------------------------------
    @on(ArticleChosen)
    def article_chosen(self, event: ArticleChosen) -> None:
        if not self.ready:
            self.query_one("#meta", Static).update(
                plain("This article opens when indexing is done; the list fills as files are analysed.", "dim"))
            return
        if self.article is None or self.article.id != event.article_id:
            self.open_article(event.article_id, 0)

    def open_article(self, article_id: str, n: int) -> None:
        try:
            article = self.lib.article(article_id)
        except ReaderError as e:
            self.notify(str(e), severity="error")
            return
        self.article = article
        self.expect_paint()  # the threads this starts (story, cross-references) start after it
        self.show_heading(article)
        passages = self.query_one(PassageList)
        passages.walk_entity = self.walk_entity
        passages.said = quote_marks(self.lib, article)
        passages.show(article, n)
        passages.border_title = f"Text — {len(article.passages)} passage{'s' if len(article.passages) != 1 else ''}"
        self.query_one(ArticleList).select(article_id)
        xref = self.query_one(XrefList)
        if not article.passages:
            xref.show(None, {}, {})
        elif xref.result is None or xref.result.article != article_id:
            xref.waiting()  # until its worker finds them, after the paint
        self._when_listed()

    def show_heading(self, article) -> None:
        """The text pane's heading: title, byline, and the story line."""
        meta = " · ".join(x for x in (article.site, article.author and f"by {article.author}", article.date,
                                       article.source) if x)
        heading = Text.assemble((clean(article.title), "bold"), "\n", (clean(meta or article.path), "dim"),
                                "\n", self.story_line(article.id))
        self.query_one("#meta", Static).update(heading)

    def jump(self, article_id: str, n: int, remember: bool = True) -> None:
        passages = self.query_one(PassageList)
        if remember and self.article is not None and passages.current() is not None:
            self.history.append((self.article.id, passages.current()))
        if self.article is not None and self.article.id == article_id:
            passages.move_to(n)
        else:
            self.open_article(article_id, n)
        passages.focus()

    @on(PassageChosen)
    def passage_chosen(self, event: PassageChosen) -> None:
        self.query_one("#xref-pane").border_subtitle = "…"
        # after the paint: the worker's first search imports and opens what it needs, holding the GIL
        self.after_paint(self.compute_xref, event.article_id, event.n)

    @work(thread=True, exclusive=True, group="xref")
    def compute_xref(self, article_id: str, n: int) -> None:
        worker = get_current_worker()
        try:
            result = self.lib.related(article_id, n, limit=10)
        except ReaderError as e:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._xref_failed, str(e))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_xref, result)

    def _xref_failed(self, error: str) -> None:
        if not self.app.is_running:  # quitting meanwhile
            return
        self.notify(error, severity="error")
        self.query_one(XrefList).show(None, {}, {})
        self.query_one("#xref-pane").border_subtitle = ""

    def show_xref(self, result) -> None:
        if not self.app.is_running:  # quitting meanwhile
            return
        passages = self.query_one(PassageList)
        if self.article is None or result.article != self.article.id or result.passage != passages.current():
            return
        res = self.lib.resolution
        ids = {e for r in result.related for e in r.shared_entities}
        names = {e: res.entity(e).name for e in ids if res.entity(e)}
        forms = {e: res.forms(e) for e in ids}
        self.query_one(XrefList).show(result, names, forms)
        self.query_one("#xref-pane").border_subtitle = f"passage {result.passage}: {len(result.related)} related"

    @on(JumpTo)
    def jump_to(self, event: JumpTo) -> None:
        self.jump(event.article_id, event.n)

    def action_back(self) -> None:
        if not self.history:
            self.notify("Nowhere to go back to.", timeout=2)
            return
        article_id, n = self.history.pop()
        self.jump(article_id, n, remember=False)

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}").focus()

    # -- entities, search, walking ------------------------------------------------
    def _current(self) -> tuple[str, int] | None:
        n = self.query_one(PassageList).current()
        return (self.article.id, n) if self.article is not None and n is not None else None

    def action_search(self) -> None:
        from reader.ui.screens.search import SearchScreen

        def done(choice) -> None:
            if choice is None:
                return
            if choice.quotes_of:
                self.show_quotes(choice.quotes_of)
                return
            if choice.entity:
                self.set_walk(choice.entity, list(choice.walk))
            self.jump(choice.article, choice.passage)
        self.app.push_screen(SearchScreen(self.lib, partial=self._partial), done)

    def _partial(self) -> str | None:
        """While the first index is built: how far it has got (search sees only that part)."""
        return None if self.ready else self.indexing

    def set_walk(self, entity_id: str, walk: list[tuple[str, int]]) -> None:
        self.walk_entity, self.walk = entity_id, walk
        e = self.lib.resolution.entity(entity_id)
        self.query_one(PassageList).walk_entity = entity_id
        if self.article is not None:
            self.query_one(PassageList).show(self.article, self.query_one(PassageList).current() or 0)
        name = e.name if e else entity_id
        if not walk:
            self.notify(f"No passage found mentioning {name}.", timeout=4)
            return
        self.notify(f"n / N walk the {len(walk)} passage{'s' if len(walk) != 1 else ''} mentioning {name}.", timeout=4)

    @work(thread=True, exclusive=True, group="walk")
    def start_walk(self, entity_id: str, step: int = 1) -> None:
        """Find every passage mentioning the entity (a Whoosh search, so in a
        thread), then walk them from here by ``step``."""
        worker = get_current_worker()
        try:
            hits = self.lib.entity_hits(entity_id)
        except ReaderError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        if not worker.is_cancelled:
            self.post_message(EntityPassages(entity_id, [(h.article, h.passage) for h in hits], step))

    @on(EntityPassages)
    def entity_passages(self, event: EntityPassages) -> None:
        self.set_walk(event.entity_id, event.places)
        if event.places and event.step:
            self.action_walk(event.step)

    def action_walk(self, step: int) -> None:
        here = self._current()
        if here is None:
            return
        if not self.walk:
            entity = self._entity_under_cursor()
            if entity is None:
                self.notify("No person, place or organisation in this passage.", timeout=3)
                return
            self.start_walk(entity, step)
            return
        order = {info.id: i for i, info in enumerate(self.query_one(ArticleList).infos)}
        key = (order.get(here[0], -1), here[1])
        ordered = sorted(self.walk, key=lambda w: (order.get(w[0], 1 << 30), w[1]))
        keys = [(order.get(a, 1 << 30), n) for a, n in ordered]
        if step > 0:
            nxt = next((w for w, k in zip(ordered, keys) if k > key), ordered[0])
        else:
            nxt = next((w for w, k in zip(reversed(ordered), reversed(keys)) if k < key), ordered[-1])
        self.jump(*nxt, remember=nxt[0] != here[0])

    def _entity_under_cursor(self) -> str | None:
        here = self._current()
        if here is None or self.article is None:
            return None
        mentions = [m for m in self.article.passages[here[1]].mentions if m.entity]
        return mentions[0].entity if mentions else None

    def action_entities(self) -> None:
        from reader.ui.screens.entities import EntitiesScreen
        if self.article is None:
            return
        res = self.lib.resolution
        ids = {m.entity for p in self.article.passages for m in p.mentions} | {
            m.entity for m in self.article.title_mentions}
        names = {e: (res.entity(e).name, res.entity(e).type) for e in ids if e and res.entity(e)}

        def done(entity_id: str | None) -> None:
            if entity_id and entity_id.startswith(QUOTES_OF):
                self.show_quotes(entity_id[len(QUOTES_OF):])
            elif entity_id:
                self.start_walk(entity_id, 1)
        self.app.push_screen(EntitiesScreen(self.article, names), done)

    # -- bookmarks, removed lines, help ----------------------------------------
    def action_bookmark(self) -> None:
        from reader.core.bookmarks import store as bm
        from reader.ui.screens.bookmark_dialog import BookmarkDialog
        here = self._current()
        if here is None or self.article is None:
            self.notify("Open an article and move to a passage first.", timeout=3)
            return
        article, n = self.article, here[1]

        def done(result) -> None:
            if result is None:
                return
            try:
                said = [f"said:{name}" for name in speakers_of(self.query_one(PassageList).said, n)]
                self.store.add(bm.make_bookmark(article, n, note=result.note, tags=[*result.tags, *said]))
            except ReaderError as e:
                self.notify(str(e), severity="error", timeout=10)
                return
            self.notify(f"Bookmarked passage {n} of “{shorten(article.title, 60)}”.", timeout=3)
        self.app.push_screen(BookmarkDialog(f"Bookmark passage {n} of “{shorten(article.title, 120)}”",
                                            article.passages[n].text), done)

    def action_bookmarks(self) -> None:
        from reader.core.bookmarks import store as bm
        from reader.ui.screens.bookmarks import BookmarksScreen

        def anchor_all(marks):
            if not marks or not self.ready:
                return {}
            return bm.anchor_all(marks, self.lib.article_map())

        def done(target) -> None:
            if target:
                self.jump(*target)
        self.app.push_screen(BookmarksScreen(self.store, anchor_all), done)

    def action_toggle_removed(self) -> None:
        passages = self.query_one(PassageList)
        passages.show_removed = not passages.show_removed
        if self.article is not None:
            passages.show(self.article, passages.current() or 0)
        self.notify("Showing what the cleaner removed." if passages.show_removed
                    else "Hiding what the cleaner removed.", timeout=2)

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen
        self.app.push_screen(HelpScreen())
