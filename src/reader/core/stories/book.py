"""The story book: which story each article belongs to, kept up to date one article at a time.

One SQLite file (``stories.sqlite`` beside the index) holds, per article, its
profile's counts and its story; per story, the sum of its members' counts (the
centroid), its heaviest keys weighted by rarity (what a new article is compared
with), its title, outlets and dates; an inverted index from a story's rarest
keys to the story (how candidates are found: never every pair); and the number
of articles holding each key (the rarities). Every change is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reader.core.errors import IndexError_
from reader.core.model import Article
from reader.core.stories.grouping import Placer
from reader.core.stories.profile import (Profile, as_stored, day_number, make_profile, pack_counts,
                                         unpack_counts)
from reader.core.stories.vectors import Vector, hashed_cosines, hashed_vectors
from reader.core.stories.versions import PROFILE_VERSION, STORIES_VERSION, count_in, holds_in, version_in

SYNCHRONOUS = "NORMAL"
"""SQLite's syncing: fewer waits on the disk at each commit (a new file placed costs
no full flush); the book is made from the articles, so one damaged by a power cut
is made again."""
SECOND_LOOK_FROM = 2
"""An update placing at least this many articles gives those left alone in a story a second look."""
HOLD_BATCH = 500
"""Profiled articles written to the update's temporary table at a time."""
_IN_ORDER = "ORDER BY day IS NULL, day, seq"
"""A story's articles in their order: oldest first, undated last, then as placed."""

# A story's members are read in its order from ``members_in_story`` alone, not from the
# table's rows with their vectors and counts (it replaced ``members_story``, on story only).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS df (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    article TEXT PRIMARY KEY, story INTEGER NOT NULL, date TEXT, day INTEGER, site TEXT, title TEXT,
    counts BLOB NOT NULL, vector BLOB NOT NULL, seq INTEGER NOT NULL, stamp TEXT);
CREATE INDEX IF NOT EXISTS members_in_story ON members(story, day, seq, article);
DROP INDEX IF EXISTS members_story;
CREATE INDEX IF NOT EXISTS members_seq ON members(seq);
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, title_article TEXT, size INTEGER,
    first TEXT, last TEXT, first_day INTEGER, last_day INTEGER, sites TEXT,
    centroid BLOB, vector BLOB, top TEXT);
CREATE TABLE IF NOT EXISTS keys (key TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (key, story))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_story ON keys(story);
"""
_PENDING = """CREATE TEMP TABLE IF NOT EXISTS pending (
    article TEXT PRIMARY KEY, undated INTEGER, day INTEGER, profile TEXT NOT NULL, counts BLOB NOT NULL,
    stamp TEXT)"""
"""The articles of one update, profiled and counted, waiting to be placed in stream order."""


@dataclass(frozen=True)
class Story:
    """The reports of one event."""

    id: str
    """Stable while the story lives (``s12``)."""
    title: str
    """Its most central headline."""
    articles: tuple[str, ...]
    """Its articles' ids, oldest first (undated last)."""
    sites: tuple[str, ...]
    """The outlets that reported it, as the articles name them."""
    first: str | None
    """The earliest date among its articles (ISO), None when none is dated."""
    last: str | None

    def to_json(self) -> dict:
        """The ``stories --json`` shape."""
        return {"id": self.id, "title": self.title, "articles": list(self.articles),
                "sites": list(self.sites), "first": self.first, "last": self.last}


def story_key(n: int) -> str:
    """The public id of story number ``n``."""
    return f"s{n}"


class StoryBook:
    """Open (or create) the story book at ``path`` (``read_only``: open an existing one only to read it)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            target = f"file:{self.path}?mode=ro" if read_only else str(self.path)
            self.db = sqlite3.connect(target, uri=read_only, check_same_thread=False)
            if read_only:  # a file that is no database fails here, without reading the tables
                self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
                if self.version() != STORIES_VERSION:  # cannot be rebuilt here: read without it
                    self.db.close()
                    raise IndexError_(f"The story book {self.path} is of another version.")
            else:
                self.db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
                self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise IndexError_(f"The story book {self.path} is damaged ({e}).") from e
        self._placer = Placer(self)
        if not read_only and self.version() not in (None, STORIES_VERSION):
            self.clear()  # another version's rows are never read; the next update fills it again

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The connection, for one thread at a time."""
        with self._lock:
            yield self.db

    # -- state ----------------------------------------------------------------
    def version(self) -> int | None:
        with self.locked() as db:
            return version_in(db)

    def count(self) -> int:
        """How many articles the book holds (:func:`~.versions.count_in`)."""
        with self.locked() as db:
            return count_in(db)

    def articles(self) -> set[str]:
        with self.locked() as db:
            return {r[0] for r in db.execute("SELECT article FROM members")}

    def is_current(self, article_ids: set[str]) -> bool:
        """Whether the book is of this version and holds exactly these articles."""
        return self.version() == STORIES_VERSION and self.articles() == article_ids

    def clear(self) -> None:
        """Empty the book (before it is rebuilt)."""
        with self.locked() as db:
            for table in ("df", "members", "stories", "keys"):  # dropped: another version's columns go too
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.executescript(_SCHEMA)
            db.execute("DELETE FROM meta WHERE key='members'")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(STORIES_VERSION),))
            db.commit()
        self._placer.forget()

    # -- changes --------------------------------------------------------------
    def holds(self, n_articles: int) -> bool:
        """Cheaply: whether the book is of this version and holds that many articles."""
        with self.locked() as db:
            return holds_in(db, n_articles)

    def sync(self, stamps: dict[str, str], load: Callable[[str], Article | None],
             profiled: Callable[[list[str]], Iterable[tuple]] | None = None) -> int:
        """Bring the book in line with the articles ``stamps`` lists (id -> a
        stamp that changes with the article's text): articles gone or changed
        leave their stories, new or changed ones are placed. Only the difference
        is worked on; returns how many were placed. ``profiled`` gives the
        profiles made when the articles were analysed (rows of id, title, date,
        outlet, the book's version that made it, packed counts; see
        :func:`~.profile.packed_profile`); an article without one of this
        version is ``load``-ed and profiled here."""
        if self.version() != STORIES_VERSION:
            self.clear()
        with self.locked() as db:
            held = dict(db.execute("SELECT article, stamp FROM members"))
        removed = [a for a, stamp in held.items() if stamps.get(a) != stamp]
        added = [a for a, stamp in stamps.items() if held.get(a) != stamp]
        return self.update(_stream(added, load, profiled), removed, stamps)

    def update(self, added: Iterable[Article | Profiled], removed: Iterable[str] = (),
               stamps: dict[str, str] | None = None) -> int:
        """Take the removed (and changed) articles out of their stories, then
        place each added one once, oldest first; one transaction. The added
        are streamed: each is profiled (an article) or unpacked (a
        :class:`Profiled`) and counted (so every rarity is known before the
        first is placed), kept on disk, then placed. An article given twice is
        placed once. Returns how many were placed."""
        stamps = stamps or {}
        placer = self._placer
        with self.locked() as db:
            placer.start()
            try:
                for article_id in removed:
                    placer.remove(article_id)
                db.execute(_PENDING)  # one statement: executescript would commit what came before
                db.execute("DELETE FROM pending")
                self._hold_all(added, stamps)
                placed: dict[str, int] = {}
                for blob, stamp, packed in db.execute(
                        "SELECT profile, stamp, counts FROM pending ORDER BY undated, day, article"):
                    p = _unpack_profile(blob, packed)
                    placed[p.article] = placer.place(p, stamp, packed)
                if len(placed) >= SECOND_LOOK_FROM:
                    self._second_look(placed)
                db.execute("DELETE FROM pending")
                placer.flush()
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(STORIES_VERSION),))
                if (members := placer.counted()) is not None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('members', ?)", (str(members),))
                db.commit()
            except BaseException:
                db.rollback()
                placer.forget()
                raise
        return len(placed)

    def _second_look(self, placed: dict[str, int]) -> None:
        """The articles of this update left alone in their story are placed once more, in
        the same order: the reports that came after the first of a story exist now."""
        peek = self._placer.summaries.peek(set(placed.values()))
        for article in [a for a, story in placed.items() if story in peek and peek[story][0] == 1]:
            blob, stamp, packed = self.db.execute(
                "SELECT profile, stamp, counts FROM pending WHERE article=?", (article,)).fetchone()
            p = _unpack_profile(blob, packed)
            self._placer.remove(p.article, uncount=False)  # counted out and in again: left counted
            self._placer.place(p, stamp, packed)

    def _hold_all(self, added: Iterable[Article | Profiled], stamps: dict[str, str]) -> None:
        """Each added article, counted and kept until it is placed (a changed one leaves
        its story first; one given twice is kept once)."""
        seen: set[str] = set()
        rows: list[tuple] = []
        fresh = self._placer.counted() == 0  # an empty book: no article to take out first
        for a in added:
            if a.id in seen:
                continue
            seen.add(a.id)
            if isinstance(a, Profiled):
                p, packed = Profile(a.id, a.title, a.date, a.site, unpack_counts(a.counts)), a.counts
            else:
                p = make_profile(a)
                p = Profile(p.article, p.title, p.date, p.site, as_stored(p.counts))  # as a later read finds it
                packed = pack_counts(p.counts)
            if not fresh:
                self._placer.remove(p.article)
            self._placer.count(p, 1)
            day = day_number(p.date)
            rows.append((p.article, day is None, day or 0, _pack_profile(p), packed, stamps.get(a.id)))
            if len(rows) >= HOLD_BATCH:
                self.db.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?)", rows)
                rows = []
        if rows:
            self.db.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?)", rows)

    # -- reading --------------------------------------------------------------
    def story_number(self, article_id: str) -> int | None:
        with self.locked() as db:
            row = db.execute("SELECT story FROM members WHERE article=?", (article_id,)).fetchone()
        return row[0] if row else None

    def member_days(self, n: int) -> dict[str, int | None]:
        """Article id -> day number (None when undated) of story ``n``'s articles, in
        the order of :attr:`Story.articles`."""
        with self.locked() as db:
            return dict(db.execute(f"SELECT article, day FROM members WHERE story=? {_IN_ORDER}", (n,)))

    def story_numbers(self, article_ids: Iterable[str]) -> dict[str, int]:
        """Article id -> story number, for those the book holds."""
        ids = list(article_ids)
        out: dict[str, int] = {}
        with self.locked() as db:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                out.update(db.execute(f"SELECT article, story FROM members WHERE article IN ({marks})", chunk))
        return out

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to (None when the book does not hold it)."""
        n = self.story_number(article_id)
        return self.story(n) if n is not None else None

    def story(self, n: int) -> Story | None:
        with self.locked() as db:
            row = db.execute("SELECT id, title, sites, first, last FROM stories WHERE id=?", (n,)).fetchone()
            if row is None:
                return None
            members = [r[0] for r in db.execute(f"SELECT article FROM members WHERE story=? {_IN_ORDER}", (n,))]
        return Story(story_key(row[0]), row[1] or "", tuple(members), tuple(json.loads(row[2] or "[]")),
                     row[3], row[4])

    def stories(self) -> list[Story]:
        """Every story, largest first, then the most recent first."""
        with self.locked() as db:
            members: dict[int, list[str]] = {}
            for article, story in db.execute(
                    f"SELECT article, story FROM members {_IN_ORDER}"):
                members.setdefault(story, []).append(article)
            rows = db.execute("SELECT id, title, sites, first, last FROM stories").fetchall()
        out = [Story(story_key(r[0]), r[1] or "", tuple(members.get(r[0], ())), tuple(json.loads(r[2] or "[]")),
                     r[3], r[4]) for r in rows if members.get(r[0])]
        out.sort(key=lambda s: (-len(s.articles), -(day_number(s.last) or 0), s.id))
        return out

    def vectors(self, article_ids: Iterable[str]) -> dict[str, Vector]:
        """Article id -> its heaviest keys weighted by rarity (when placed), as a
        :class:`~.vectors.Vector` of hashed keys (:func:`~.vectors.hashed_vectors`)."""
        ids = list(article_ids)
        out: dict[str, Vector] = {}
        with self.locked() as db:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT article, vector FROM members WHERE article IN ({marks})", chunk)
                out.update(hashed_vectors(rows.fetchall()))
        return out

    def placements(self, article_ids: Iterable[str]) -> tuple[dict[str, int], dict[str, Vector]]:
        """:meth:`story_numbers` and :meth:`vectors` of these articles, read in one query."""
        ids = list(article_ids)
        stories: dict[str, int] = {}
        out: dict[str, Vector] = {}
        with self.locked() as db:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT article, story, vector FROM members WHERE article IN ({marks})",
                                  chunk).fetchall()
                stories.update((a, story) for a, story, _ in rows)
                out.update(hashed_vectors([(a, vector) for a, _, vector in rows]))
        return stories, out

    def similarities(self, vec: Vector, others: Sequence[Vector]) -> np.ndarray:
        """How alike an article's vector is to each of ``others``, 0-1 (words and names),
        as placing weighs them (vectors of :meth:`vectors`)."""
        words, names = hashed_cosines(vec, others)
        has_names = np.array([bool(vec.norms[1] and o.norms[1]) for o in others], dtype=bool)
        return self._placer.combined(words, names, has_names)


@dataclass(frozen=True, slots=True)
class Profiled:
    """An article's profile made when it was analysed: what placing it needs."""

    id: str
    title: str
    date: str | None
    site: str | None
    counts: bytes
    """Its profile's counts, as :func:`~.profile.packed_profile` gives them."""


def _stream(added: list[str], load: Callable[[str], Article | None],
            profiled: Callable[[list[str]], Iterable[tuple]] | None) -> Iterator[Article | Profiled]:
    """The ``added`` articles' profiles made at their analysis (of this version), then
    those without one, loaded."""
    done: set[str] = set()
    if profiled is not None:
        for article, title, date, site, version, counts in profiled(added):
            if version == PROFILE_VERSION:
                done.add(article)
                yield Profiled(article, title, date, site, counts)
    for article in added:
        if article not in done and (a := load(article)) is not None:
            yield a


def _pack_profile(p: Profile) -> str:
    """A profile's article, title, date and outlet, as kept until it is placed (its counts apart)."""
    return json.dumps([p.article, p.title, p.date, p.site])


def _unpack_profile(meta: str, counts: bytes) -> Profile:
    return Profile(*json.loads(meta), unpack_counts(counts))
