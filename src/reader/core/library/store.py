"""The analysed-article store: one SQLite file beside the Whoosh index.

It holds, per corpus file, the size, mtime and hash it had when analysed, and
per article its cleaned, recognised form (compressed JSON) and its story
profile (made by the analysis, for the story book to place), so that opening an
unchanged corpus neither re-reads nor re-analyses anything. SQLite makes every
batch of changes atomic: a kill leaves the last committed state.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.errors import IndexError_
from reader.core.model import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha1 TEXT,
    ids TEXT NOT NULL, warning TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT, date TEXT, site TEXT,
    passages INTEGER, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE TABLE IF NOT EXISTS profiles (id TEXT PRIMARY KEY, version INTEGER NOT NULL, counts BLOB NOT NULL);
"""


STAMPS_DIGEST = "stamps_digest"
"""The meta key of a digest of every file's path, size and time as the files table holds
them (:func:`reader.core.library.update.stamps_digest`): kept by an update that completed,
forgotten by any change to a file's row."""


@dataclass(frozen=True, slots=True)
class FileState:
    """What the store knows of one corpus file."""

    path: str
    size: int
    mtime_ns: int
    sha1: str
    ids: tuple[str, ...]
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the article list shows, without loading the article."""

    id: str
    path: str
    title: str
    date: str | None
    site: str | None
    passages: int


_as_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)`` without a new encoder made each call."""


def pack(article: Article) -> bytes:
    """An article as stored: compressed JSON."""
    return zlib.compress(_as_json(article.to_json()).encode("utf-8"), 1)


def _unpack(blob: bytes) -> Article:
    return Article.from_json(json.loads(zlib.decompress(blob)))


def _unpack_named(blob: bytes) -> Article:
    """A stored article with what the entity resolution reads of it (ids, path, title,
    passages and mentions), without its quotes and removed lines."""
    d = json.loads(zlib.decompress(blob))
    d["removed"] = d["title_quotes"] = ()
    for p in d.get("passages", ()):
        p.pop("quotes", None)
    return Article.from_json(d)


DAMAGED = "DAMAGED"
"""A file left in the index folder when the index was found damaged while in
use: the next opening rebuilds it."""


class DamagedStore(IndexError_):
    """The store's file is damaged (not a database, malformed): the index is rebuilt."""


def store_error(path: Path, e: sqlite3.DatabaseError) -> IndexError_:
    """The one sentence for an SQLite error of the store at ``path``. A damaged
    file is marked, so the next opening rebuilds the index."""
    text = str(e)
    if "full" in text:
        return IndexError_(f"The disk holding the index {path.parent} is full; free some space "
                           f"or give another folder with --index-dir.")
    if "readonly" in text or "read-only" in text:
        return IndexError_(f"Cannot write the index in {path.parent}; give a writable folder with --index-dir.")
    if isinstance(e, sqlite3.OperationalError) and "malformed" not in text and "not a database" not in text:
        return IndexError_(f"The article store {path} could not be used ({text}); run kreader index again.")
    try:
        (path.parent / DAMAGED).touch()
    except OSError:
        pass
    return DamagedStore(f"The article store {path} is damaged; it will be rebuilt the next time kreader "
                       f"opens this corpus, or now with kreader index --rebuild.")


class _Guarded:
    """An SQLite connection whose errors are :class:`IndexError_` sentences (see :func:`store_error`)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        target = f"file:{path}?mode=ro" if read_only else str(path)
        self.db = self._call(sqlite3.connect, target, uri=read_only, check_same_thread=False)

    def _call(self, fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except sqlite3.DatabaseError as e:
            raise store_error(self.path, e) from e

    def execute(self, sql: str, args=()):
        return self._call(self.db.execute, sql, args)

    def executemany(self, sql: str, rows):
        return self._call(self.db.executemany, sql, rows)

    def executescript(self, sql: str):
        return self._call(self.db.executescript, sql)

    def rows(self, sql: str, args=()) -> Iterator:
        """The rows of a query, streamed; an error while reading them is a sentence too."""
        cursor = self.execute(sql, args)
        while True:
            batch = self._call(cursor.fetchmany, 256)
            if not batch:
                return
            yield from batch

    def one(self, sql: str, args=()):
        """The first row of a query, or None."""
        return self._call(lambda: self.db.execute(sql, args).fetchone())

    def commit(self) -> None:
        self._call(self.db.commit)

    def rollback(self) -> None:
        self._call(self.db.rollback)

    def close(self) -> None:
        self.db.close()


class ArticleStore:
    """Open (or create) the store at ``path``."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.db = _Guarded(self.path, read_only)
        if not read_only:
            self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- meta ---------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        """A small value (JSON) kept with the store: version, limits, flags."""
        row = self.db.one("SELECT value FROM meta WHERE key=?", (key,))
        return json.loads(row[0]) if row else default

    def put(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    # -- the corpus's entities ------------------------------------------------
    def entity_tables(self):
        """The corpus's entity tables, in this file (:mod:`reader.core.entities.tables`)."""
        from reader.core.entities.tables import EntityTables
        return EntityTables(self.db, read_only=self.read_only)

    def get_resolution(self):
        """The stored resolution (read from its tables as needed), or None when there is
        none or it is of another format (the caller then works it out again)."""
        from reader.core.entities import Resolution
        tables = self.entity_tables()
        return Resolution(tables) if tables.complete() else None

    def entity_changes(self) -> tuple[list[str], list[str]]:
        """Article ids resolved since gone or changed (their file's content is another), and
        article ids not resolved yet or changed: what an update of the entities takes out and puts in."""
        stale = ("SELECT e.article FROM ent_articles e LEFT JOIN articles a ON a.id = e.article "
                 "LEFT JOIN files f ON f.path = a.path WHERE a.id IS NULL OR f.path IS NULL "
                 "OR e.stamp IS NOT f.sha1 OR e.path IS NOT a.path")
        removed = [r[0] for r in self.db.rows(stale)]
        fresh = ("SELECT a.id FROM articles a LEFT JOIN files f ON f.path = a.path "
                 "LEFT JOIN ent_articles e ON e.article = a.id WHERE e.article IS NULL "
                 "OR e.stamp IS NOT f.sha1 OR e.path IS NOT a.path ORDER BY a.path, a.id")
        return removed, [r[0] for r in self.db.rows(fresh)]

    def stamped_articles(self, ids: list[str] | None = None) -> Iterator[tuple[Article, str]]:
        """Stored articles (all, or these ids), in corpus order, each with the content hash
        of its file (what says which version the entity tables resolved). Only what the
        resolution reads: their quotes and removed lines are left out."""
        sql = ("SELECT a.data, f.sha1 FROM articles a LEFT JOIN files f ON f.path = a.path "
               "ORDER BY a.path, a.id")
        if ids is None:
            for blob, sha1 in self.db.rows(sql):
                yield _unpack_named(blob), sha1 or ""
            return
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for blob, sha1 in list(self.db.rows(  # a part's rows are few: fetched whole
                    "SELECT a.data, f.sha1 FROM articles a LEFT JOIN files f ON f.path = a.path "
                    f"WHERE a.id IN ({','.join('?' * len(part))}) ORDER BY a.path, a.id", part)):
                yield _unpack_named(blob), sha1 or ""

    # -- files --------------------------------------------------------------
    def files(self) -> dict[str, FileState]:
        rows = self.db.rows("SELECT path, size, mtime_ns, sha1, ids, warning FROM files")
        return {r[0]: FileState(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5]) for r in rows}

    def file_stamps(self) -> dict[str, tuple[int, int, str | None]]:
        """Path -> (size, mtime_ns, warning): what a scan compares, cheaply."""
        rows = self.db.rows("SELECT path, size, mtime_ns, warning FROM files")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def put_file(self, state: FileState, articles: Iterable[Article | ArticleInfo],
                 blobs: list[bytes] | None = None, profiles: list[bytes] = (), version: int = 0) -> None:
        """Record a file and replace its articles (``blobs``: already packed; then
        ``articles`` may be their :class:`ArticleInfo` entries; ``profiles``: their
        story profiles, packed, of the story book's ``version``)."""
        articles = list(articles)
        blobs = blobs if blobs is not None else [pack(a) for a in articles]
        self.drop_file(state.path)
        self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                        (state.path, state.size, state.mtime_ns, state.sha1, json.dumps(list(state.ids)),
                         state.warning))
        self.db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(a.id, a.path, a.title, a.date, a.site,
              a.passages if isinstance(a.passages, int) else len(a.passages), b)
             for a, b in zip(articles, blobs)])
        self._put_profiles(articles, profiles, version)

    def _put_profiles(self, articles: list, profiles: list[bytes], version: int) -> None:
        """The articles' profiles, or (none given) none left of an earlier text of theirs."""
        if profiles:
            self.db.executemany("INSERT OR REPLACE INTO profiles VALUES (?, ?, ?)",
                                [(a.id, version, p) for a, p in zip(articles, profiles)])
        elif articles:
            self.db.executemany("DELETE FROM profiles WHERE id=?", [(a.id,) for a in articles])

    def begin_file(self, path: str) -> None:
        """Start re-reading a file part by part: its old articles go, and its
        row says "unfinished" (size -1) until :meth:`end_file`, so that a kill
        half-way has the next update read it again."""
        self.drop_file(path)
        self.db.execute("INSERT INTO files VALUES (?, -1, -1, '', '[]', NULL)", (path,))

    def add_articles(self, infos: list[ArticleInfo], blobs: list[bytes], profiles: list[bytes] = (),
                     version: int = 0) -> None:
        """Add one part of a file's articles (their list entries and packed forms; their
        story profiles, as :meth:`put_file`)."""
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(a.id, a.path, a.title, a.date, a.site, a.passages, b)
                             for a, b in zip(infos, blobs)])
        self._put_profiles(infos, profiles, version)

    def end_file(self, state: FileState) -> None:
        """Record the file read part by part as read, with its stamp and warning."""
        self._forget_stamps()
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                        (state.path, state.size, state.mtime_ns, state.sha1, json.dumps(list(state.ids)),
                         state.warning))

    def drop_file(self, path: str) -> None:
        self.db.execute("DELETE FROM profiles WHERE id IN (SELECT id FROM articles WHERE path=?)", (path,))
        self.db.execute("DELETE FROM articles WHERE path=?", (path,))
        self.db.execute("DELETE FROM files WHERE path=?", (path,))
        self._forget_stamps()

    def _forget_stamps(self) -> None:
        """A file's row changes: the digest of them all no longer holds (forgotten in the
        same transaction, so no commit can keep a digest of rows that are not there)."""
        self.db.execute("DELETE FROM meta WHERE key=?", (STAMPS_DIGEST,))

    def file_warnings(self) -> list[tuple[str, str]]:
        """(path, warning) of each file skipped with a warning, in :meth:`file_stamps`' order."""
        return list(self.db.rows("SELECT path, warning FROM files WHERE warning IS NOT NULL AND warning != ''"))

    def commit(self) -> None:
        self.db.commit()

    # -- articles -----------------------------------------------------------
    def infos(self) -> list[ArticleInfo]:
        rows = self.db.rows("SELECT id, path, title, date, site, passages FROM articles ORDER BY path, id")
        return [ArticleInfo(*r) for r in rows]

    def info_pages(self, first: int, size: int) -> Iterator[list[ArticleInfo]]:
        """Every article's list entry in corpus order (as :meth:`infos`), ``first`` entries,
        then ``size`` at a time, each page one query starting after the last (a few rows
        cost a millisecond; the whole list of 100,000 most of a second)."""
        after, limit = ("", ""), first
        while True:
            rows = list(self.db.rows("SELECT id, path, title, date, site, passages FROM articles "
                                     "WHERE (path, id) > (?, ?) ORDER BY path, id LIMIT ?", (*after, limit)))
            if rows:
                yield [ArticleInfo(*r) for r in rows]
            if len(rows) < limit:
                return
            after, limit = (rows[-1][1], rows[-1][0]), size

    def article(self, article_id: str) -> Article | None:
        row = self.db.one("SELECT data FROM articles WHERE id=?", (article_id,))
        return _unpack(row[0]) if row else None

    def profiles(self, ids: list[str]) -> Iterator[tuple[str, str, str | None, str | None, int, bytes]]:
        """The stored story profiles of these articles (those that have one): id, title,
        date, outlet, the story book's version that made the profile, its packed counts."""
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            yield from list(self.db.rows(  # a part's rows are few: fetched whole
                "SELECT a.id, a.title, a.date, a.site, p.version, p.counts FROM profiles p "
                f"JOIN articles a ON a.id = p.id WHERE p.id IN ({','.join('?' * len(part))})", part))

    def info(self, article_id: str) -> ArticleInfo | None:
        """One article's list entry (the article itself is not unpacked)."""
        row = self.db.one("SELECT id, path, title, date, site, passages FROM articles WHERE id=?", (article_id,))
        return ArticleInfo(*row) if row else None

    def infos_of(self, article_ids: Iterable[str]) -> dict[str, ArticleInfo]:
        """Article id -> list entry, for those of these articles the store holds (a few
        queries for many: a cross-reference meets dozens of articles at once)."""
        ids = list(article_ids)
        out: dict[str, ArticleInfo] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update((r[0], ArticleInfo(*r)) for r in self.db.rows(
                f"SELECT id, path, title, date, site, passages FROM articles WHERE id IN ({marks})", chunk))
        return out

    def title(self, article_id: str) -> str | None:
        """One article's title from its list entry (the article itself is not unpacked)."""
        row = self.db.one("SELECT title FROM articles WHERE id=?", (article_id,))
        return row[0] if row else None

    def articles(self) -> Iterator[Article]:
        for (blob,) in self.db.rows("SELECT data FROM articles ORDER BY path, id"):
            yield _unpack(blob)

    def count(self) -> int:
        return self.db.one("SELECT COUNT(*) FROM articles")[0]
