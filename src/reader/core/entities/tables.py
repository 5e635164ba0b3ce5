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
from collections.abc import Iterable, Iterator

from reader.core.entities.keys import normalise_name, phonetic

TABLES_FORMAT = 3
"""Version of the tables' shape (1 was one JSON blob, 2 had no form links and one look-up blob);
tables of another version are laid out again and resolved again."""
BATCH_KEYS = 500
"""Keys asked for in one ``IN (...)`` query (SQLite allows 999 parameters in old builds)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS ent_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS ent_articles (
    n INTEGER PRIMARY KEY, article TEXT UNIQUE NOT NULL, path TEXT NOT NULL, stamp TEXT, evidence TEXT);
CREATE TABLE IF NOT EXISTS ent_forms (
    fid INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, data TEXT NOT NULL, phon TEXT, last TEXT);
CREATE INDEX IF NOT EXISTS ent_forms_phon ON ent_forms(phon);
CREATE INDEX IF NOT EXISTS ent_forms_last ON ent_forms(last);
CREATE TABLE IF NOT EXISTS ent_ends (end TEXT NOT NULL, fid INTEGER NOT NULL, PRIMARY KEY (end, fid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ent_ends_fid ON ent_ends(fid);
CREATE TABLE IF NOT EXISTS ent_rows (
    n INTEGER NOT NULL, fid INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (n, fid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ent_rows_fid ON ent_rows(fid, n);
CREATE TABLE IF NOT EXISTS ent_shorts (key TEXT PRIMARY KEY, decision TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ent_clusters (root TEXT PRIMARY KEY, sig TEXT NOT NULL, articles INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_entities (
    id TEXT PRIMARY KEY, root TEXT NOT NULL, name TEXT, type TEXT, aliases TEXT, mentions INTEGER, articles INTEGER);
CREATE INDEX IF NOT EXISTS res_entities_rank ON res_entities(mentions DESC, articles DESC, name, root);
CREATE TABLE IF NOT EXISTS res_forms (key TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_phonetic (phon TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_surnames (surname TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_aliases (form TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS res_alias_pairs (form TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (form, entity))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS res_alias_pairs_entity ON res_alias_pairs(entity);
CREATE TABLE IF NOT EXISTS res_choices (entity TEXT NOT NULL, choice TEXT NOT NULL, bones TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS res_choices_entity ON res_choices(entity);
CREATE INDEX IF NOT EXISTS res_choices_bones ON res_choices(bones);
CREATE INDEX IF NOT EXISTS res_choices_length ON res_choices(length(choice), choice, entity);
DROP INDEX IF EXISTS res_choices_choice;
CREATE TABLE IF NOT EXISTS res_overrides (
    n INTEGER NOT NULL, key TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (n, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS res_overrides_key ON res_overrides(key);
"""
_ALL = ("ent_meta", "ent_articles", "ent_forms", "ent_ends", "ent_rows", "ent_shorts", "ent_clusters",
        "res_entities", "res_forms", "res_phonetic", "res_surnames", "res_choices", "res_overrides",
        "res_aliases", "res_alias_pairs")
_OUTPUT = ("res_entities", "res_forms", "res_phonetic", "res_surnames", "res_choices", "res_aliases", "res_alias_pairs")
_LAST_CHAR = "\U0010ffff"
"""The greatest character: ``prefix + _LAST_CHAR`` bounds the keys starting with ``prefix``."""
_OLD = ("res_skeletons", "res_blobs")
_as_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, the same text, without a new encoder made each
call (json.dumps makes one whenever an option is given: most of its cost for a small row)."""
"""Tables of format 2, dropped with the rest when the tables are laid out again."""


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


class FileDB(MemoryDB):
    """A database file of its own, with the same small interface (a resolution built
    aside, see :meth:`EntityTables.replace_with`)."""

    def __init__(self, path) -> None:  # noqa: D107 - the class doc says it
        self.db = sqlite3.connect(str(path), check_same_thread=False)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.close()


_DECODE_BATCH = 4096
"""Entity rows whose alias lists are decoded by one ``json.loads`` (one call a row cost
4-5x as much for a corpus's tens of thousands of entities)."""


def _with_aliases(rows: list[tuple]) -> Iterator[tuple]:
    """(id, name, type, aliases, mentions, articles) of stored rows, their alias lists
    (JSON arrays) decoded together."""
    lists = json.loads("[" + ",".join(r[3] for r in rows) + "]") if rows else ()
    for (i, n, t, _, m, k), a in zip(rows, lists):
        yield i, n, t, tuple(a), m, k


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
            if self._old_layout():
                for t in _ALL + _OLD:
                    db.execute(f"DROP TABLE IF EXISTS {t}")
            db.executescript(SCHEMA)

    def _old_layout(self) -> bool:
        """Whether the tables are of an earlier shape (they are resolved again anyway)."""
        cols = {r[1] for r in self.db.rows("PRAGMA table_info(ent_forms)")}
        return bool(cols) and "phon" not in cols

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

    def replace_with(self, path) -> None:
        """Every table replaced by those of the database file ``path`` (a resolution built
        aside), in one transaction, committed: a reader sees the old entities or the new."""
        self.db.commit()
        self.db.execute("ATTACH DATABASE ? AS fresh", (str(path),))
        try:
            for t in _ALL:
                self.db.execute(f"DELETE FROM main.{t}")
                self.db.execute(f"INSERT INTO main.{t} SELECT * FROM fresh.{t}")
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self.db.execute("DETACH DATABASE fresh")

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
                            [(n, fid, _as_json(data)) for fid, data in rows])

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
        self.db.execute("INSERT OR REPLACE INTO ent_rows VALUES (?, ?, ?)", (n, fid, _as_json(data)))

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

    def forms_among(self, ns: list[int]) -> dict[int, set[int]]:
        """Form id -> which of these articles (numbers) have it."""
        out: dict[int, set[int]] = {}
        for part in _chunks(sorted(ns)):
            for n, fid in self.db.rows(f"SELECT n, fid FROM ent_rows WHERE n IN ({_marks(part)})", part):
                out.setdefault(fid, set()).add(n)
        return out

    def article_count(self, fids: list[int]) -> int:
        """Distinct articles having one of these forms."""
        ns: set[int] = set()
        for part in _chunks(fids):
            ns.update(r[0] for r in self.db.rows(f"SELECT n FROM ent_rows WHERE fid IN ({_marks(part)})", part))
        return len(ns)

    # -- forms and decisions -----------------------------------------------------
    def put_forms(self, forms: Iterable[tuple[int, str, list]]) -> None:
        """Forms' totals: (form id, key, data); each keeps its transliteration key and, of
        a name of several words, its last word (what resolution looks forms up by)."""
        self.db.executemany("INSERT OR REPLACE INTO ent_forms VALUES (?, ?, ?, ?, ?)",
                            [(fid, key, _as_json(data), phonetic(key),
                              key.split()[-1] if " " in key else None) for fid, key, data in forms])

    def drop_forms(self, fids: list[int]) -> None:
        self._drop_keyed("ent_forms", "fid", fids)
        self._drop_keyed("ent_ends", "fid", fids)

    def forms_of(self, fids: Iterable[int]) -> list[tuple[int, str, list]]:
        """(form id, key, data) of these forms."""
        out = []
        for part in _chunks(sorted(fids)):
            out.extend((fid, key, json.loads(data)) for fid, key, data in
                       self.db.rows(f"SELECT fid, key, data FROM ent_forms WHERE fid IN ({_marks(part)})", part))
        return out

    # -- links between forms (what a change may reach) ------------------------------
    def put_ends(self, rows: Iterable[tuple[str, int]], fids: Iterable[int] | None = None) -> None:
        """The shorter names each form may stand behind, (end, form id): all of them
        replaced (``fids`` None), or those of ``fids``."""
        self._drop_keyed("ent_ends", "fid", None if fids is None else list(fids))
        self.db.executemany("INSERT OR IGNORE INTO ent_ends VALUES (?, ?)", rows)

    def linked(self, fids: list[int]) -> set[int]:
        """The forms linked to these: same transliteration key, a shorter name one of
        them may stand behind, or a longer one that may stand behind one of them."""
        out: set[int] = set()
        for part in _chunks(fids):
            marks = _marks(part)
            out.update(r[0] for r in self.db.rows(
                f"SELECT g.fid FROM ent_forms f JOIN ent_forms g ON g.phon = f.phon WHERE f.fid IN ({marks})", part))
            out.update(r[0] for r in self.db.rows(
                f"SELECT g.fid FROM ent_ends e JOIN ent_forms g ON g.key = e.end WHERE e.fid IN ({marks})", part))
            out.update(r[0] for r in self.db.rows(
                f"SELECT e.fid FROM ent_forms f JOIN ent_ends e ON e.end = f.key WHERE f.fid IN ({marks})", part))
        return out

    def last_word_forms(self, words: list[str]) -> list[tuple[str, str]]:
        """(last word, key) of the forms of several words ending with one of these words."""
        out = []
        for part in _chunks(words):
            out.extend(self.db.rows(f"SELECT last, key FROM ent_forms WHERE last IN ({_marks(part)})", part))
        return out

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

    def _keyed(self, sql: str, keys: list[str] | None) -> Iterator[tuple]:
        """The rows of ``sql`` (its WHERE ending ``IN``): all, or those of these keys."""
        if keys is None:
            yield from self.db.rows(sql.rsplit(" WHERE ", 1)[0])
            return
        for part in _chunks(sorted(keys)):
            yield from self.db.rows(f"{sql} ({_marks(part)})", part)

    def _drop_keyed(self, table: str, column: str, keys: list[str] | None) -> None:
        if keys is None:
            self.db.execute(f"DELETE FROM {table}")
            return
        for part in _chunks(sorted(keys)):
            self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(part)})", part)

    def decisions(self, keys: list[str] | None = None) -> dict[str, str]:
        """Short form -> its decision (JSON): all, or of these keys."""
        return dict(self._keyed("SELECT key, decision FROM ent_shorts WHERE key IN", keys))

    def put_decisions(self, decisions: dict[str, str], keys: list[str] | None = None) -> None:
        """Replace the decisions: all, or those of ``keys``."""
        self._drop_keyed("ent_shorts", "key", keys)
        self.db.executemany("INSERT OR REPLACE INTO ent_shorts VALUES (?, ?)", sorted(decisions.items()))

    def clusters(self, roots: list[str] | None = None) -> dict[str, tuple[str, int]]:
        """Cluster root -> (its keys as JSON, its article count): all, or of these roots."""
        return {r: (s, a) for r, s, a in self._keyed("SELECT root, sig, articles FROM ent_clusters WHERE root IN", roots)}

    def put_clusters(self, clusters: dict[str, tuple[str, int]], roots: list[str] | None = None) -> None:
        """Replace the clusters: all, or those of ``roots``."""
        self._drop_keyed("ent_clusters", "root", roots)
        self.db.executemany("INSERT OR REPLACE INTO ent_clusters VALUES (?, ?, ?)",
                            [(r, s, a) for r, (s, a) in clusters.items()])

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
    def put_result(self, entities, roots: dict[str, str], form_entity: dict[str, str], surnames: dict[str, str],
                   choices: tuple[list, list, list], acronyms: dict[str, str], suppressed: set[str]) -> None:
        """Replace the result tables (called inside the caller's transaction). ``roots``: entity
        id -> its cluster's root; ``choices``: the look-up keys, their entities and skeletons."""
        for t in _OUTPUT:
            self.db.execute(f"DELETE FROM {t}")
        self._add_result(entities, roots, form_entity, choices)
        # each alias, normalised, to the best-ranked entity having it (what cross-references look up)
        self.db.executemany("INSERT OR IGNORE INTO res_aliases VALUES (?, ?)",
                            ((normalise_name(f), e.id) for e in entities for f in e.aliases))
        self.db.executemany("INSERT INTO res_surnames VALUES (?, ?)", surnames.items())
        self.put_meta("acronyms", acronyms)
        self.put_meta("suppressed", sorted(suppressed))
        self.put_meta("format", TABLES_FORMAT)

    def replace_part(self, old_ids: list[str], old_keys: list[str], entities, roots: dict[str, str],
                     form_entity: dict[str, str], choices: tuple[list, list, list], renames: dict[str, str]) -> None:
        """A part of the corpus resolved again: the entities ``old_ids`` and the results of the
        forms ``old_keys`` replaced by these; ``renames`` (old id -> new id) renames entities
        outside the part. The forms sharing a transliteration key are all in the part."""
        aliases = {normalise_name(f) for e in entities for f in e.aliases}
        for part in _chunks(sorted(old_ids)):
            marks = _marks(part)
            aliases.update(r[0] for r in self.db.rows(f"SELECT form FROM res_alias_pairs WHERE entity IN ({marks})", part))
            for table, column in (("res_entities", "id"), ("res_choices", "entity"), ("res_alias_pairs", "entity")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", part)
        self._drop_keyed("res_forms", "key", old_keys)
        self._drop_keyed("res_phonetic", "phon", sorted({phonetic(k) for k in old_keys}))
        self._rename(renames)
        self._add_result(entities, roots, form_entity, choices)
        self._best_of_aliases(sorted(aliases))

    def _best_of_aliases(self, forms: list[str]) -> None:
        """``res_aliases`` of these normalised aliases worked out again: the best-ranked entity having each."""
        self._drop_keyed("res_aliases", "form", forms)
        for part in _chunks(forms):
            self.db.execute(
                "INSERT OR IGNORE INTO res_aliases SELECT p.form, p.entity FROM res_alias_pairs p "
                f"JOIN res_entities e ON e.id = p.entity WHERE p.form IN ({_marks(part)}) "
                "ORDER BY e.mentions DESC, e.articles DESC, e.name, e.root", part)

    def _add_result(self, entities, roots, form_entity, choices) -> None:
        self.db.executemany("INSERT INTO res_entities VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(e.id, roots[e.id], e.name, e.type, _as_json(list(e.aliases)),
                              e.mentions, e.articles) for e in entities])
        self.db.executemany("INSERT INTO res_forms VALUES (?, ?)", form_entity.items())
        phon = {phonetic(k): v for k, v in form_entity.items()}
        self.db.executemany("INSERT OR REPLACE INTO res_phonetic VALUES (?, ?)", phon.items())
        self.db.executemany("INSERT INTO res_choices VALUES (?, ?, ?)", zip(choices[1], choices[0], choices[2]))
        self.db.executemany("INSERT OR IGNORE INTO res_alias_pairs VALUES (?, ?)",
                            ((normalise_name(f), e.id) for e in entities for f in e.aliases))

    def _rename(self, renames: dict[str, str]) -> None:
        """Entity ids changed everywhere they are named, in two steps (two may swap ids)."""
        if not renames:
            return
        for step in ([(f"\0{new}", old) for old, new in renames.items()],
                     [(new, f"\0{new}") for new in renames.values()]):
            self.db.executemany("UPDATE res_entities SET id=? WHERE id=?", step)
            for table in ("res_forms", "res_phonetic", "res_surnames", "res_choices", "res_aliases", "res_alias_pairs"):
                self.db.executemany(f"UPDATE {table} SET entity=? WHERE entity=?", step)

    def put_surnames(self, words: list[str], surnames: dict[str, str]) -> None:
        """The headline surnames of these words replaced by ``surnames`` (word -> entity)."""
        self._drop_keyed("res_surnames", "surname", words)
        self.db.executemany("INSERT OR REPLACE INTO res_surnames VALUES (?, ?)", surnames.items())

    def finish_result(self, acronyms: dict[str, str], suppressed: set[str]) -> None:
        self.put_meta("acronyms", acronyms)
        self.put_meta("suppressed", sorted(suppressed))
        self.put_meta("format", TABLES_FORMAT)

    def family(self, base: str) -> list[tuple[str, str, str, str]]:
        """(id, root, name, type) of the entities whose id is ``base`` or ``base`` and a suffix."""
        return list(self.db.rows("SELECT id, root, name, type FROM res_entities WHERE id=? OR (id>? AND id<?)",
                                 (base, base + "-", base + ".")))

    def entity_rows(self, ids: list[str] | None = None) -> Iterator[tuple]:
        """(id, name, type, aliases, mentions, articles) of these entities, or of all, most mentioned first."""
        cols = "id, name, type, aliases, mentions, articles"
        if ids is None:
            rows = self.db.rows(f"SELECT {cols} FROM res_entities ORDER BY mentions DESC, articles DESC, name, root")
        else:
            rows = (r for part in _chunks(ids)
                    for r in self.db.rows(f"SELECT {cols} FROM res_entities WHERE id IN ({_marks(part)})", part))
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _DECODE_BATCH:
                yield from _with_aliases(batch)
                batch = []
        yield from _with_aliases(batch)

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
        choices, ids, skels = [], [], []
        for c, i, b in self.db.rows("SELECT choice, entity, bones FROM res_choices"):
            choices.append(c)
            ids.append(i)
            skels.append(b)
        return choices, ids, skels

    def lookup_parts(self, ids: list[str] | None = None) -> dict[str, tuple]:
        """Entity id -> ((name, aliases), its look-up keys, their skeletons), as stored (of all, or these)."""
        names = {i: (n, a) for i, n, _, a, _, _ in self.entity_rows(ids)}
        out: dict[str, tuple] = {}
        rows = (self.db.rows("SELECT choice, entity, bones FROM res_choices") if ids is None else
                (r for part in _chunks(sorted(ids)) for r in self.db.rows(
                    f"SELECT choice, entity, bones FROM res_choices WHERE entity IN ({_marks(part)})", part)))
        for c, i, b in rows:
            got = out.get(i)
            if got is None:
                got = out[i] = (names.get(i), [], [])
            got[1].append(c)
            got[2].append(b)
        return out

    def choices_of_lengths(self, lengths: list[int]) -> Iterator[tuple[str, str]]:
        """(look-up key, entity id) of the keys this many characters long."""
        for part in _chunks(lengths):
            yield from self.db.rows(
                f"SELECT choice, entity FROM res_choices WHERE length(choice) IN ({_marks(part)})", part)

    def choices_starting(self, prefix: str, longest: int) -> list[tuple[str, str]]:
        """(look-up key, entity id) of the keys starting with ``prefix``, at most ``longest`` characters."""
        lengths = list(range(len(prefix), longest + 1))  # each length's range read from res_choices_length
        rows = self.db.rows(f"SELECT choice, entity FROM res_choices WHERE length(choice) IN ({_marks(lengths)}) "
                            "AND choice >= ? AND choice < ?", [*lengths, prefix, prefix + _LAST_CHAR])
        return [(c, e) for c, e in rows if c.startswith(prefix)]

    def skeleton_ids(self, bones: str) -> set[str]:
        return {r[0] for r in self.db.rows("SELECT entity FROM res_choices WHERE bones=?", (bones,))}


__all__ = ["EntityTables", "FileDB", "memory_db", "TABLES_FORMAT"]
