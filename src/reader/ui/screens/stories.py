"""The main screen's story keys: group the article list by story, step through
the other reports of the open article's story. A base of :class:`MainScreen`,
which owns the library, the list and the text pane."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.screen import Screen

from reader.core.errors import ReaderError
from reader.core.text import plural
from reader.ui.widgets.article_list import ArticleList


class StoryActions(Screen):
    """Bindings and actions for stories (the reports of one event)."""

    BINDINGS = [
        Binding("g", "group_stories", "Stories", show=False, id="group_stories"),
        Binding("right_square_bracket", "story_step(1)", "Next report", show=False, id="next_report"),
        Binding("left_square_bracket", "story_step(-1)", "Prev report", show=False, id="prev_report"),
    ]

    story = None
    """The story of the open article (None before one opens)."""

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
