"""One exception tree for kreader.

The UI catches only :class:`ReaderError` and shows a notification; the CLI
prints ``str(error)`` on one line and exits 1. Each message is one plain
sentence that says what is wrong and what to do. Backend errors are chained
(``raise ... from e``) so a developer still has the cause.
"""


class ReaderError(Exception):
    """Root of every error kreader reports to its user."""


class CorpusError(ReaderError):
    """The corpus folder cannot be used (missing, not a folder, unreadable)."""


class ConfigError(ReaderError):
    """A configuration or alias file is malformed."""


class IndexError_(ReaderError):
    """The search index cannot be opened, built or written."""


class QueryError(ReaderError):
    """A search query cannot be understood."""


class NotFoundError(ReaderError):
    """An article, passage or bookmark named by the user does not exist."""


class BookmarkError(ReaderError):
    """The bookmarks file cannot be read or written."""


class BookmarksReadOnly(BookmarkError):
    """The bookmarks file is malformed; it is left untouched and read-only."""
