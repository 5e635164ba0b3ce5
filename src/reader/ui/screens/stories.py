"""The main screen's story keys: group the article list by story, step through
the other reports of the open article's story. A base of :class:`MainScreen`,
which owns the library, the list and the text pane."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.binding import Binding

from reader.core.errors import ReaderError
from reader.core.text import plural
from reader.ui.screens.painted import AfterPaint
from reader.ui.widgets.article_list import ArticleList


STORY_WAITING = "Looking for other reports of this story…"
"""The story line of the text pane's heading until the story book is open."""


class StoryActions(AfterPaint):
    """Bindings and actions for stories (the reports of one event)."""

    BINDINGS = [
        Binding("g", "group_stories", "Stories", show=False, id="group_stories"),
        Binding("right_square_bracket", "story_step(1)", "Next report", show=False, id="next_report"),
        Binding("left_square_bracket", "story_step(-1)", "Prev report", show=False, id="prev_report"),
    ]

    story = None
    """The story of the open article (None before one opens)."""
    stories_open = False
    """True once the story book has been read from (in a worker: opening it imports the
    grouping and its numpy, a few hundred milliseconds): from then on it is read at once."""

    def story_line(self, article_id: str) -> Text:
        """The text pane's story line: :meth:`story_note` once the book is open; before,
        a waiting line, the book opened in a thread after the paint (then the heading
        is shown again)."""
        if self.stories_open:
            return self.story_note(article_id)
        self.story = None
        self.after_paint(self.open_stories, article_id)
        return Text(STORY_WAITING, style="dim italic")

    @work(thread=True, exclusive=True, group="story")
    def open_stories(self, article_id: str) -> None:
        """Open the story book (reading one article's story), then show the heading again."""
        from textual.worker import get_current_worker
        try:
            self.lib.story_of(article_id)
        except ReaderError:
            pass  # said by story_note, which asks again
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._stories_opened, article_id)

    def _stories_opened(self, article_id: str) -> None:
        self.stories_open = True
        if not self.app.is_running:  # quitting meanwhile
            return
        if self.article is not None and self.article.id == article_id:
            self.show_heading(self.article)

    def story_note(self, article_id: str) -> Text:
        """``2 other reports of this story ([ ] to step)`` for the text pane's header."""
        try:
            self.story = self.lib.story_of(article_id)
        except ReaderError:
            self.story = None
        others = len(self.story.articles) - 1 if self.story else 0
        if others <= 0:
            return Text("No other report of this story", style="dim italic")
        return Text(f"{others} other report{'s' if others != 1 else ''} of this story ([ ] to step)",
                    style="italic")

    def action_story_step(self, step: int) -> None:
        """Open the next (or previous) report of the open article's story."""
        if not self.stories_open:
            self.notify("Still finding the other reports of this story.", timeout=2)
            return
        if self.article is None or self.story is None or len(self.story.articles) < 2:
            self.notify("No other report of this story.", timeout=2)
            return
        reports = list(self.story.articles)
        here = reports.index(self.article.id) if self.article.id in reports else 0
        self.jump(reports[(here + step) % len(reports)], 0)

    def action_group_stories(self) -> None:
        """Group the article list by story, or list it plain again."""
        if not self.ready:
            self.notify("The index is still being built; stories show when it is ready.", timeout=3)
            return
        articles = self.query_one(ArticleList)
        if articles.stories is not None:
            articles.stories = None
            articles.show(articles.infos, keep=articles.current_id())
            return
        self.load_stories()

    @work(thread=True, exclusive=True, group="stories")
    def load_stories(self) -> None:
        try:
            stories = self.lib.stories()
        except ReaderError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        self.app.call_from_thread(self.show_stories, stories)

    def show_stories(self, stories: list) -> None:
        articles = self.query_one(ArticleList)
        articles.stories = stories
        articles.show(articles.infos, keep=articles.current_id() or (self.article.id if self.article else None))
        self.notify(f"{plural(len(stories), 'story')}; g lists the articles again.", timeout=3)
