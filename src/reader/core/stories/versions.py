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


def book_holds(path: Path, n_articles: int) -> bool:
    """Whether the book at ``path`` is of this version and holds that many articles
    (False for one missing or damaged); read only, two rows of its ``meta`` table."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('version', 'members')"))
        if meta.get("version") != str(STORIES_VERSION):
            return False
        members = meta.get("members")
        if members is None:
            members = db.execute("SELECT COUNT(*) FROM members").fetchone()[0]
        return int(members) == n_articles
    except (sqlite3.Error, ValueError):
        return False
    finally:
        db.close()
