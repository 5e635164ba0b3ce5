"""The story book's file name and versions, and a cheap look at whether a book is whole.

Kept apart from :mod:`.book` (and numpy): a command on an index that is up to
date asks :func:`book_holds` before it trusts the index, and loads nothing
heavy to do so.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

STORIES_FILE = "stories.sqlite"
"""The book's file name in an index folder."""
STORIES_VERSION = 6
"""Bump when the grouping or what the book stores changes: the book is rebuilt
from the articles' profiles. (6: an article's comparison vector stored as key hashes.)"""
PROFILE_VERSION = 5
"""Bump when :func:`~.profile.make_profile` changes (and :data:`STORIES_VERSION`
with it): the profiles made at the articles' analysis are then made again."""


def version_in(db: sqlite3.Connection) -> int | None:
    """The version a book's connection records (None for a new book)."""
    row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
    return int(row[0]) if row else None


def count_in(db: sqlite3.Connection) -> int:
    """How many articles a book holds (kept in ``meta``: no count of the table at each open)."""
    row = db.execute("SELECT value FROM meta WHERE key='members'").fetchone()
    return int(row[0]) if row else db.execute("SELECT COUNT(*) FROM members").fetchone()[0]


def holds_in(db: sqlite3.Connection, n_articles: int) -> bool:
    """Whether a book's connection is of this version and holds that many articles."""
    return version_in(db) == STORIES_VERSION and count_in(db) == n_articles


def book_holds(path: Path, n_articles: int) -> bool:
    """:func:`holds_in` of the book at ``path``, opened to read only (False for
    one missing or damaged)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return holds_in(db, n_articles)
    except (sqlite3.Error, ValueError):
        return False
    finally:
        db.close()
