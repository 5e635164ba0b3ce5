"""The corpus's entities as SQLite tables: what resolution works from, and what it gives.

Resolution (:mod:`reader.core.entities.passes`) never holds the corpus in
memory: what it gathers per article goes to tables, and only what grows with
the distinct names (the forms' totals, the clusters) is held while it works.

* ``ent_articles``: each resolved article (an integer ``n``, its path for the
  corpus order, a stamp saying which version was resolved, and its acronym
  evidence);
* ``ent_rows``: per article and form key, the surface texts, type votes and the
  context scores of its first mentions (what a form's totals are summed from);
* ``ent_forms``: per form key its totals; ``ent_shorts``: each short form's
  decision (the longer names it may stand for); ``ent_clusters``: each
  cluster's keys and article count;
* ``res_*``: the result :class:`~reader.core.entities.resolve.Resolution`
  reads: entities, form -> entity, normalised alias -> entity (``res_aliases``,
  for cross-references), transliteration key -> entity, the
  per-article exceptions (``res_overrides``), headline surnames, the look-up
  table (one compressed blob) and its consonant skeletons.

The same tables live in the library's article store (``articles.sqlite``) or,
for a list of articles resolved in a test, in an in-memory database
(:func:`memory_db`). ``db`` is anything with ``execute``, ``executemany``,
``executescript``, ``rows`` (streamed) and ``one``, as the store's guarded
connection has.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator

from reader.core.entities.keys import normalise_name

TABLES_FORMAT = 2
"""Version of the tables' shape (1 was one JSON blob); tables of another version are resolved again."""
BATCH_KEYS = 500
"""Keys asked for in one ``IN (...)`` query (SQLite allows 999 parameters in old builds)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS ent_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS ent_articles (
    n INTEGER PRIMARY KEY, article TEXT UNIQUE NOT NULL, path TEXT NOT NULL, stamp TEXT, evidence TEXT);
CREATE TABLE IF NOT EXISTS ent_forms (fid INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ent_rows (
    n INTEGER NOT NULL, fid INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (n, fid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ent_rows_fid ON ent_rows(fid, n);
CREATE TABLE IF NOT EXISTS ent_shorts (key TEXT PRIMARY KEY, decision TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ent_clusters (root TEXT PRIMARY KEY, sig TEXT NOT NULL, articles INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_entities (
    rank INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, type TEXT, aliases TEXT,
    mentions INTEGER, articles INTEGER);
CREATE TABLE IF NOT EXISTS res_forms (key TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_phonetic (phon TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_surnames (surname TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_aliases (form TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_skeletons (bones TEXT, entity TEXT, PRIMARY KEY (bones, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_overrides (
    n INTEGER NOT NULL, key TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (n, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS res_overrides_key ON res_overrides(key);
CREATE TABLE IF NOT EXISTS res_blobs (name TEXT PRIMARY KEY, data BLOB);
"""
_ALL = ("ent_meta", "ent_articles", "ent_forms", "ent_rows", "ent_shorts", "ent_clusters", "res_entities",
        "res_forms", "res_phonetic", "res_surnames", "res_skeletons", "res_overrides", "res_blobs", "res_aliases")
_OUTPUT = ("res_entities", "res_forms", "res_phonetic", "res_surnames", "res_skeletons", "res_blobs", "res_aliases")


class MemoryDB:
    """An in-memory SQLite database with the store's small interface (for lists of articles)."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)

    def __getstate__(self) -> bytes:  # a copy carries the whole database
        return self.db.serialize()

    def __setstate__(self, data: bytes) -> None:
        self.__init__()
        self.db.deserialize(data)

    def execute(self, sql: str, args=()):
        return self.db.execute(sql, args)

    def executemany(self, sql: str, rows):
        return self.db.executemany(sql, rows)

    def executescript(self, sql: str):
        return self.db.executescript(sql)

    def rows(self, sql: str, args=()) -> Iterator:
        """The rows of a query (fetched whole: a query reading while another writes stays right)."""
        yield from self.db.execute(sql, args).fetchall()

    def one(self, sql: str, args=()):
        return self.db.execute(sql, args).fetchone()


def memory_db() -> MemoryDB:
    """A fresh in-memory database for the entity tables."""
    return MemoryDB()


def _chunks(items: list, size: int = BATCH_KEYS) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(items: list) -> str:
    return ",".join("?" * len(items))


class EntityTables:
    """The entity tables on ``db`` (created when missing unless ``read_only``)."""

    def __init__(self, db, read_only: bool = False):
        self.db = db
        if not read_only:
            db.executescript(SCHEMA)

    # -- meta ---------------------------------------------------------------
    def meta(self, key: str, default=None):
        try:
            row = self.db.one("SELECT value FROM ent_meta WHERE key=?", (key,))
        except sqlite3.OperationalError:  # a read-only store of before these tables
            return default
        return json.loads(row[0]) if row else default

    def put_meta(self, key: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO ent_meta VALUES (?, ?)", (key, json.dumps(value)))

    def complete(self) -> bool:
        """Whether the tables hold a finished resolution of this format."""
        return self.meta("format") == TABLES_FORMAT

    def clear(self) -> None:
        """Everything gone (a full resolution starts here)."""
        for t in _ALL:
            self.db.execute(f"DELETE FROM {t}")

    # -- articles and their rows ----------------------------------------------
    def add_article(self, article: str, path: str, stamp: str, evidence: list) -> int:
        """Record an article as resolved; its number."""
        cur = self.db.execute("INSERT INTO ent_articles (article, path, stamp, evidence) VALUES (?, ?, ?, ?)",
                              (article, path, stamp, json.dumps(evidence) if evidence else None))
        return cur.lastrowid

    def article_number(self, article: str) -> int | None:
        row = self.db.one("SELECT n FROM ent_articles WHERE article=?", (article,))
        return row[0] if row else None

    def evidence(self) -> Iterator[list]:
        """Each article's acronym evidence, in corpus order."""
        for (ev,) in self.db.rows("SELECT evidence FROM ent_articles WHERE evidence IS NOT NULL "
                                  "ORDER BY path, article"):
            yield json.loads(ev)

    def put_rows(self, n: int, rows: Iterable[tuple[int, list]]) -> None:
        """An article's rows: (form id, [texts, votes, scores])."""
        self.db.executemany("INSERT OR REPLACE INTO ent_rows VALUES (?, ?, ?)",
                            [(n, fid, json.dumps(data, ensure_ascii=False)) for fid, data in rows])

    def remove_articles(self, articles: list[str]) -> set[int]:
        """Forget these articles (their rows and exceptions); the form ids they had."""
        touched: set[int] = set()
        for part in _chunks(articles):
            ns = [r[0] for r in self.db.rows(f"SELECT n FROM ent_articles WHERE article IN ({_marks(part)})", part)]
            touched |= self.drop_rows(ns)
            for nparts in _chunks(ns):
                self.db.execute(f"DELETE FROM ent_articles WHERE n IN ({_marks(nparts)})", nparts)
        return touched

    def drop_rows(self, ns: list[int]) -> set[int]:
        """These articles' rows and exceptions gone (the articles stay recorded as
        resolved, to be keyed again); the form ids they had."""
        touched: set[int] = set()
        for nparts in _chunks(ns):
            marks = _marks(nparts)
            touched.update(r[0] for r in self.db.rows(f"SELECT fid FROM ent_rows WHERE n IN ({marks})", nparts))
            self.db.execute(f"DELETE FROM ent_rows WHERE n IN ({marks})", nparts)
            self.db.execute(f"DELETE FROM res_overrides WHERE n IN ({marks})", nparts)
        return touched

    def keyed_under(self, heads: list[str]) -> list[tuple[int, str]]:
        """(number, article id) of the articles having a form whose key is one of
        ``heads`` or begins with one and a space (``ba``, ``ba chief``)."""
        fids: set[int] = set()
        for h in heads:
            fids.update(r[0] for r in self.db.rows(
                "SELECT fid FROM ent_forms WHERE key=? OR (key>=? AND key<?)", (h, h + " ", h + "!")))
        ns: set[int] = set()
        for part in _chunks(sorted(fids)):
            ns.update(r[0] for r in self.db.rows(f"SELECT DISTINCT n FROM ent_rows WHERE fid IN ({_marks(part)})", part))
        out = []
        for part in _chunks(sorted(ns)):
            out.extend(self.db.rows(f"SELECT n, article FROM ent_articles WHERE n IN ({_marks(part)})", part))
        return sorted(out)

    def rows_of(self, fid: int) -> list[tuple[int, str, str, list]]:
        """A form's rows in corpus order: (article number, path, article id, data)."""
        rows = self.db.rows("SELECT a.path, a.article, r.n, r.data FROM ent_rows r JOIN ent_articles a ON a.n = r.n "
                            "WHERE r.fid=?", (fid,))
        return [(n, path, aid, json.loads(d)) for path, aid, n, d in sorted(rows)]

    def put_row(self, n: int, fid: int, data: list) -> None:
        self.db.execute("INSERT OR REPLACE INTO ent_rows VALUES (?, ?, ?)", (n, fid, json.dumps(data, ensure_ascii=False)))

    def together(self, fid: int, fits: list[int], among: list[int] | None = None) -> dict[int, set[int]]:
        """Article number -> which of the ``fits`` form ids it has, for each article
        having form ``fid`` (only the articles ``among`` when given)."""
        out: dict[int, set[int]] = {}
        fit_marks = _marks(fits)
        for part in ([None] if among is None else list(_chunks(among))):
            where = "" if part is None else f" AND r1.n IN ({_marks(part)})"
            sql = (f"SELECT r1.n, r2.fid FROM ent_rows r1 LEFT JOIN ent_rows r2 ON r2.n = r1.n "
                   f"AND r2.fid IN ({fit_marks}) WHERE r1.fid=?{where}")
            for n, f in self.db.rows(sql, [*fits, fid, *(part or [])]):
                got = out.setdefault(n, set())
                if f is not None:
                    got.add(f)
        return out

    def article_counts(self, fids_of_root: dict[int, str]) -> dict[str, int]:
        """Root -> number of distinct articles having one of its forms (one pass over every row)."""
        counts: dict[str, int] = {}
        last, seen = None, set()
        for n, fid in self.db.rows("SELECT n, fid FROM ent_rows ORDER BY n"):
            if n != last:
                last, seen = n, set()
            root = fids_of_root.get(fid)
            if root is not None and root not in seen:
                seen.add(root)
                counts[root] = counts.get(root, 0) + 1
        return counts

    def article_count(self, fids: list[int]) -> int:
        """Distinct articles having one of these forms."""
        ns: set[int] = set()
        for part in _chunks(fids):
            ns.update(r[0] for r in self.db.rows(f"SELECT n FROM ent_rows WHERE fid IN ({_marks(part)})", part))
        return len(ns)

    # -- forms and decisions -----------------------------------------------------
    def put_forms(self, forms: Iterable[tuple[int, str, list]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO ent_forms VALUES (?, ?, ?)",
                            [(fid, key, json.dumps(data, ensure_ascii=False)) for fid, key, data in forms])

    def drop_forms(self, fids: list[int]) -> None:
        for part in _chunks(fids):
            self.db.execute(f"DELETE FROM ent_forms WHERE fid IN ({_marks(part)})", part)

    def forms(self) -> Iterator[tuple[int, str, list]]:
        for fid, key, data in self.db.rows("SELECT fid, key, data FROM ent_forms"):
            yield fid, key, json.loads(data)

    def form_ids(self, keys: list[str]) -> dict[str, int]:
        out = {}
        for part in _chunks(keys):
            out.update(self.db.rows(f"SELECT key, fid FROM ent_forms WHERE key IN ({_marks(part)})", part))
        return out

    def form_keys(self, fids: list[int]) -> dict[int, str]:
        out = {}
        for part in _chunks(fids):
            out.update(self.db.rows(f"SELECT fid, key FROM ent_forms WHERE fid IN ({_marks(part)})", part))
        return out

    def next_form_id(self) -> int:
        return (self.db.one("SELECT MAX(fid) FROM ent_forms")[0] or 0) + 1

    def decisions(self) -> dict[str, str]:
        return dict(self.db.rows("SELECT key, decision FROM ent_shorts"))

    def put_decisions(self, decisions: dict[str, str]) -> None:
        self.db.execute("DELETE FROM ent_shorts")
        self.db.executemany("INSERT INTO ent_shorts VALUES (?, ?)", sorted(decisions.items()))

    def clusters(self) -> dict[str, tuple[str, int]]:
        return {r: (s, a) for r, s, a in self.db.rows("SELECT root, sig, articles FROM ent_clusters")}

    def put_clusters(self, clusters: dict[str, tuple[str, int]]) -> None:
        self.db.execute("DELETE FROM ent_clusters")
        self.db.executemany("INSERT INTO ent_clusters VALUES (?, ?, ?)", [(r, s, a) for r, (s, a) in clusters.items()])

    # -- exceptions -----------------------------------------------------------------
    def drop_overrides(self, key: str, among: list[int] | None = None) -> None:
        if among is None:
            self.db.execute("DELETE FROM res_overrides WHERE key=?", (key,))
            return
        for part in _chunks(among):
            self.db.execute(f"DELETE FROM res_overrides WHERE key=? AND n IN ({_marks(part)})", [key, *part])

    def put_overrides(self, rows: list[tuple[int, str, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO res_overrides VALUES (?, ?, ?)", rows)

    def overrides(self, article: str) -> dict[str, str]:
        """Form key -> the form key it stands for in this article (where it is not the corpus's)."""
        return dict(self.db.rows("SELECT o.key, o.target FROM res_overrides o JOIN ent_articles a ON a.n = o.n "
                                 "WHERE a.article=?", (article,)))

    # -- the result ------------------------------------------------------------------
    def put_result(self, entities, form_entity: dict[str, str], phonetic: dict[str, str],
                   surnames: dict[str, str], table: tuple[list, list, list],
                   acronyms: dict[str, str], suppressed: set[str]) -> None:
        """Replace the result tables (called inside the caller's transaction)."""
        for t in _OUTPUT:
            self.db.execute(f"DELETE FROM {t}")
        self.db.executemany("INSERT INTO res_entities VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(i, e.id, e.name, e.type, json.dumps(list(e.aliases), ensure_ascii=False),
                              e.mentions, e.articles) for i, e in enumerate(entities)])
        self.db.executemany("INSERT INTO res_forms VALUES (?, ?)", form_entity.items())
        # each alias, normalised, to the best-ranked entity having it (what cross-references look up)
        self.db.executemany("INSERT OR IGNORE INTO res_aliases VALUES (?, ?)",
                            ((normalise_name(f), e.id) for e in entities for f in e.aliases))
        self.db.executemany("INSERT INTO res_phonetic VALUES (?, ?)", phonetic.items())
        self.db.executemany("INSERT INTO res_surnames VALUES (?, ?)", surnames.items())
        self.db.executemany("INSERT OR IGNORE INTO res_skeletons VALUES (?, ?)", zip(table[2], table[1]))
        blob = zlib.compress(json.dumps(table, ensure_ascii=False).encode("utf-8"), 1)
        self.db.execute("INSERT INTO res_blobs VALUES ('choices', ?)", (blob,))
        self.put_meta("acronyms", acronyms)
        self.put_meta("suppressed", sorted(suppressed))
        self.put_meta("format", TABLES_FORMAT)

    def entity_rows(self, ids: list[str] | None = None) -> Iterator[tuple]:
        """(id, name, type, aliases, mentions, articles) of these entities, or of all in rank order."""
        cols = "id, name, type, aliases, mentions, articles"
        if ids is None:
            rows = self.db.rows(f"SELECT {cols} FROM res_entities ORDER BY rank")
        else:
            rows = (r for part in _chunks(ids)
                    for r in self.db.rows(f"SELECT {cols} FROM res_entities WHERE id IN ({_marks(part)})", part))
        for i, n, t, a, m, k in rows:
            yield i, n, t, tuple(json.loads(a)), m, k

    def mapped(self, table: str, column: str, keys: list[str]) -> dict[str, str]:
        """``column`` -> entity for these keys of a result table (res_forms, res_phonetic, res_surnames)."""
        out: dict[str, str] = {}
        for part in _chunks(keys):
            out.update(self.db.rows(f"SELECT {column}, entity FROM {table} WHERE {column} IN ({_marks(part)})", part))
        return out

    def choices(self) -> tuple[list[str], list[str]]:
        """The look-up table: phonetic keys and the entity id of each."""
        choices, ids, _ = self.lookup_table()
        return choices, ids

    def lookup_table(self) -> tuple[list, list, list]:
        """The look-up table: phonetic keys, the entity id and the consonant skeleton of each."""
        row = self.db.one("SELECT data FROM res_blobs WHERE name='choices'")
        if row is None:
            return [], [], []
        choices, ids, skels = json.loads(zlib.decompress(row[0]))
        return choices, ids, skels

    def lookup_parts(self) -> dict[str, tuple]:
        """Entity id -> ((name, aliases), its look-up keys, their skeletons), as stored."""
        names = {i: (n, a) for i, n, _, a, _, _ in self.entity_rows()}
        out: dict[str, tuple] = {}
        for c, i, b in zip(*self.lookup_table()):
            got = out.get(i)
            if got is None:
                got = out[i] = (names.get(i), [], [])
            got[1].append(c)
            got[2].append(b)
        return out

    def skeleton_ids(self, bones: str) -> set[str]:
        return {r[0] for r in self.db.rows("SELECT entity FROM res_skeletons WHERE bones=?", (bones,))}


__all__ = ["EntityTables", "memory_db", "TABLES_FORMAT"]
