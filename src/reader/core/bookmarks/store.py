"""Bookmarks: the user's saved quotes, kept in a hand-editable YAML file.

The file (``locations.default_bookmarks()`` unless a path is given)::

    version: 1
    bookmarks:
    - id: bm-3f2a9c81d4e0
      created: '2024-05-01T09:30:00+00:00'
      article: 001_883b0ecb052fe686
      title: Baku launches deadly strikes in Karabakh
      passage: 4
      quote: the exact text saved            # W3C TextQuoteSelector "exact"
      prefix: up to 32 characters before it  # ... "prefix"
      suffix: up to 32 characters after it   # ... "suffix"
      path: corpus/001_883b0ecb052fe686.txt
      source: https://example.org/story
      note: ''
      tags: [karabakh]

Keys a user adds are kept when kreader rewrites the file. A file that cannot
be read is never overwritten: :class:`BookmarkStore` becomes read-only and
says which line to fix. Every change re-reads the file under a lock and writes
it atomically, keeping the previous version as ``bookmarks.yaml.bak``
(see :mod:`.atomic`). Re-anchoring lives in :mod:`.anchoring`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.bookmarks import yaml_format as fmt
from reader.core.bookmarks.anchoring import (ANCHORED, MOVED, ORPHAN, Anchor, ArticleLookup, anchor, anchor_all, context_after,
                        context_before)
from reader.core.atomic import locked, save_with_backup
from reader.core.errors import BookmarkError, BookmarksReadOnly, NotFoundError
from reader.core.model import Article
from reader.core.text import visible

__all__ = [
    "ANCHORED", "MOVED", "ORPHAN", "CONTEXT_CHARS", "Anchor", "ArticleLookup", "Bookmark",
    "BookmarkStore", "all_tags", "anchor", "anchor_all", "export_markdown", "filter_by_tag",
    "make_bookmark", "to_json",
]

CONTEXT_CHARS = 32
"""Characters of prefix and suffix context saved around a quote."""


@dataclass(frozen=True)
class Bookmark:
    """One saved quote and what the user wrote about it."""

    id: str
    """Unique in the file (``bm-`` and 12 hex digits when kreader makes it)."""
    created: str
    """When it was saved, ISO 8601 with time zone."""
    article: str
    """Id of the article it was saved in."""
    title: str
    """That article's title, as it was."""
    passage: int
    """Number of the passage it was saved in."""
    quote: str
    """The exact text saved: the passage or a part of it."""
    prefix: str = ""
    """Up to :data:`CONTEXT_CHARS` characters of the article just before the quote
    (across the passage break, passages joined by a blank line)."""
    suffix: str = ""
    """Up to :data:`CONTEXT_CHARS` characters of the article just after the quote."""
    path: str = ""
    """The article's file, relative to the corpus folder."""
    source: str | None = None
    """The article's address when the text gives one."""
    note: str = ""
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Keys found in the file that kreader does not know; written back as they were."""

    def to_record(self) -> dict[str, Any]:
        """The mapping written to the file: known keys in order, then the user's own."""
        record: dict[str, Any] = {
            "id": self.id, "created": self.created, "article": self.article,
            "title": self.title, "passage": self.passage, "quote": self.quote,
            "prefix": self.prefix, "suffix": self.suffix, "path": self.path,
            "source": self.source, "note": self.note, "tags": list(self.tags),
        }
        record.update((k, v) for k, v in self.extra.items() if k not in record)
        return record

    @classmethod
    def from_record(cls, record: fmt.Record) -> Bookmark:
        """Build from a record checked by :mod:`.bookmarks_yaml`."""
        return cls(extra=dict(record.extra), **record.fields)


def make_bookmark(article: Article, passage_n: int, *, quote: str | None = None,
                  note: str = "", tags: Sequence[str] = (), start: int | None = None) -> Bookmark:
    """A new bookmark on passage ``passage_n`` of ``article``.

    ``quote`` defaults to the whole passage; otherwise it must be part of the
    passage text (``start`` picks its offset when it occurs more than once).
    Raises :class:`NotFoundError` for a missing passage and
    :class:`BookmarkError` for a quote that is not in it.
    """
    passage = next((p for p in article.passages if p.n == passage_n), None)
    if passage is None:
        raise NotFoundError(f"Article {article.id} has no passage {passage_n}; pick one that is shown.")
    text = passage.text
    quote = text if quote is None else quote
    i = text.find(quote) if start is None else start
    if i < 0 or text[i:i + len(quote)] != quote:
        raise BookmarkError(f"The quote is not part of passage {passage_n} of {article.id}; "
                            "select text from that passage.")
    return Bookmark(
        id=new_id(), created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        article=article.id, title=article.title, passage=passage_n, quote=quote,
        prefix=context_before(article, passage_n, i, CONTEXT_CHARS),
        suffix=context_after(article, passage_n, i + len(quote), CONTEXT_CHARS),
        path=article.path, source=article.source, note=note, tags=clean_tags(tags),
    )


def new_id() -> str:
    """A fresh bookmark id, unique in practice across processes."""
    return f"bm-{uuid.uuid4().hex[:12]}"


def clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags stripped, empty ones dropped, duplicates removed (first kept)."""
    return tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))


class BookmarkStore:
    """The bookmarks file: read it, and change it one bookmark at a time.

    Each change takes the writers' lock, re-reads the file, applies itself and
    writes the result atomically, so another kreader's changes are never lost.
    A file that cannot be parsed is never written: the store is read-only and
    :attr:`read_only_reason` says which line to fix.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        """The bookmarks file (it need not exist yet)."""
        self.read_only_reason: str | None = None
        """Why the file cannot be written (one sentence), or None."""
        self._known: tuple[bytes, _Doc] | None = None
        """(digest of the bytes, what they hold) of the file as last read or
        written here: unchanged bytes are not parsed again."""

    def load(self) -> list[Bookmark]:
        """The bookmarks in file order; ``[]`` when the file does not exist yet.

        Raises :class:`BookmarksReadOnly` naming the file and line when it is
        malformed, :class:`BookmarkError` when it cannot be read.
        """
        return list(self._read(self._target())[0].bookmarks)

    def add(self, bm: Bookmark) -> None:
        """Append ``bm`` to the file (creating it on the first add).

        When the file ends with its bookmarks list, the new bookmark's text is
        appended to the file as it stands, without writing the others again.
        """
        target = self._target()
        self._read_ahead(target)
        with locked(target):
            doc, previous = self._read(target)
            if any(b.id == bm.id for b in doc.bookmarks):
                raise BookmarkError(f"A bookmark with id {bm.id} is already in {self.path}; make a new one.")
            new = replace(doc, bookmarks=(*doc.bookmarks, bm))
            if previous is not None and doc.append_column is not None:
                data = previous + (b"" if previous.endswith(b"\n") else b"\n") + \
                    fmt.dump_appended([bm.to_record()], doc.append_column).encode("utf-8")
            else:
                new, data = new.dumped()
            self._save(target, data, previous, new)

    def update(self, bm_id: str, *, note: str | None = None,
               tags: Sequence[str] | None = None) -> Bookmark:
        """Change the note and/or tags of one bookmark; returns it as saved."""
        changed: list[Bookmark] = []

        def change(doc: _Doc) -> _Doc:
            old = doc.find(bm_id, self.path)
            new = replace(old, note=old.note if note is None else note,
                          tags=old.tags if tags is None else clean_tags(tags))
            changed.append(new)
            return replace(doc, bookmarks=tuple(new if b is old else b for b in doc.bookmarks))
        self._mutate(change)
        return changed[0]

    def delete(self, bm_id: str) -> None:
        """Remove one bookmark (the backup still holds it until the next change)."""
        def change(doc: _Doc) -> _Doc:
            old = doc.find(bm_id, self.path)
            return replace(doc, bookmarks=tuple(b for b in doc.bookmarks if b is not old))
        self._mutate(change)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def _target(self) -> Path:
        """The real file, following a symlink so that a rewrite keeps the link."""
        return Path(os.path.realpath(self.path))

    def _read(self, target: Path) -> tuple[_Doc, bytes | None]:
        """Parse the file, noting (or clearing) why it is read-only."""
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            data = None
        except NotADirectoryError:
            data = None  # a parent is a file: nothing stored there yet; writing will say so
        except OSError as e:
            raise BookmarkError(
                f"Cannot read bookmarks from {self.path}: {e.strerror or e}; check its permissions."
            ) from e
        digest = hashlib.sha1(data).digest() if data is not None else b""
        if self._known is not None and self._known[0] == digest:
            return self._known[1], data
        try:
            doc = _Doc.parse(data, self.path)
        except BookmarksReadOnly as e:
            self.read_only_reason = str(e)
            self._known = None
            raise
        self.read_only_reason = None
        self._known = (digest, doc)
        return doc, data

    def _mutate(self, change: Callable[[_Doc], _Doc]) -> None:
        """Read-modify-write under the lock; the old file is kept as the backup."""
        target = self._target()
        self._read_ahead(target)
        with locked(target):
            doc, previous = self._read(target)
            new, data = change(doc).dumped()
            self._save(target, data, previous, new)

    def _read_ahead(self, target: Path) -> None:
        """Parse the file before taking the writers' lock: under the lock it is
        read again and parsed only if another writer changed it meanwhile (a
        100,000-bookmark file takes seconds to parse; the lock times out at 15)."""
        with contextlib.suppress(BookmarkError):
            self._read(target)

    def _save(self, target: Path, data: bytes, previous: bytes | None, doc: _Doc) -> None:
        """Write ``data`` (which holds ``doc``), keeping ``previous`` as the backup."""
        self._known = None
        save_with_backup(target, data, previous)
        self._known = (hashlib.sha1(data).digest(), doc)


@dataclass(frozen=True)
class _Doc:
    """The whole file: its bookmarks and any top-level keys a user added."""

    bookmarks: tuple[Bookmark, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    append_column: int | None = None
    """See :attr:`.yaml_format.Parsed.append_column` (None: rewrite the file to add)."""

    @classmethod
    def parse(cls, data: bytes | None, path: Path) -> _Doc:
        if data is None:
            return cls()
        parsed = fmt.parse(data, path)
        with fmt.gc_paused():
            bookmarks = tuple(Bookmark.from_record(r) for r in parsed.records)
        return cls(bookmarks, parsed.extra, parsed.append_column)

    def dumped(self) -> tuple[_Doc, bytes]:
        """(this doc as the file will hold it, the file's bytes)."""
        text = fmt.dump([b.to_record() for b in self.bookmarks], self.extra)
        column = 0 if self.bookmarks and fmt.appendable(text) else None
        return replace(self, append_column=column), text.encode("utf-8")

    def find(self, bm_id: str, path: Path) -> Bookmark:
        for b in self.bookmarks:
            if b.id == bm_id:
                return b
        raise NotFoundError(f"There is no bookmark {bm_id} in {path}; it may have been deleted.")


def filter_by_tag(bookmarks: Sequence[Bookmark], tag: str) -> list[Bookmark]:
    """The bookmarks carrying ``tag`` (compared without case)."""
    wanted = tag.strip().casefold()
    return [b for b in bookmarks if any(t.casefold() == wanted for t in b.tags)]


def all_tags(bookmarks: Sequence[Bookmark]) -> list[str]:
    """Every tag used, each once, sorted without case."""
    return sorted({t for b in bookmarks for t in b.tags}, key=lambda t: (t.casefold(), t))


def to_json(bm: Bookmark, anchor: Anchor | None) -> dict[str, Any]:
    """The ``kreader bookmarks --json`` shape of one bookmark.

    The bookmark as it stands in the file (the user's own keys included),
    plus ``state`` (``anchored``/``moved``/``orphan``, None when no corpus was
    given) and ``anchor`` (``{"article", "passage", "score"}`` where it is now).
    """
    d = {str(k): _jsonable(v) for k, v in bm.to_record().items()}
    d["state"] = anchor.state if anchor else None
    d["anchor"] = anchor.to_json() if anchor else None
    return d


def export_markdown(bookmarks: Sequence[Bookmark],
                    anchors: Mapping[str, Anchor] | None = None) -> str:
    """Markdown ready to paste into notes: quotes under their article's title.

    Articles come in the order first bookmarked; each quote carries its
    passage, note and tags. With ``anchors`` (bookmark id -> Anchor), a moved
    quote shows where it is now and an orphan is marked as not found.
    """
    if not bookmarks:
        return "# Bookmarks\n\nNo bookmarks yet.\n"
    groups: dict[tuple[str, str], list[Bookmark]] = {}
    for bm in bookmarks:
        groups.setdefault((bm.article, bm.title), []).append(bm)
    parts = ["# Bookmarks\n"]
    for (article_id, title), members in groups.items():
        parts.append(_markdown_article(article_id, title, members, anchors or {}))
    # Every field comes from a file the user may edit: no control character passes raw.
    return visible("\n".join(parts), lines=True)


def _markdown_article(article_id: str, title: str, members: list[Bookmark],
                      anchors: Mapping[str, Anchor]) -> str:
    first = members[0]
    lines = [f"## {_md_inline(title) or article_id}", ""]
    if first.source:
        lines.append(f"Source: <{first.source}>  ")
    lines += [f"Article: `{article_id}`" + (f" ({first.path})" if first.path else ""), ""]
    for bm in members:
        lines += [_md_quote(bm.quote), "", _md_where(bm, anchors.get(bm.id))]
        if bm.note:
            lines.append(f"Note: {_md_inline(bm.note)}  ")
        if bm.tags:
            lines.append("Tags: " + ", ".join(f"`{t}`" for t in bm.tags) + "  ")
        lines[-1] = lines[-1].rstrip()
        lines.append("")
    return "\n".join(lines)


def _md_quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def _md_where(bm: Bookmark, anchor: Anchor | None) -> str:
    where = f"— passage {bm.passage}, saved {bm.created[:10]}"
    if anchor is not None and anchor.state == MOVED:
        where += f" (now passage {anchor.passage} of `{anchor.article}`)"
    elif anchor is not None and anchor.state == ORPHAN:
        where += " (not found in the current corpus)"
    return where + "  "


def _md_inline(text: str) -> str:
    """One line of text, safe to put after a Markdown marker."""
    return " ".join(text.split())


def _jsonable(value: Any) -> Any:
    """A YAML value as JSON can hold it (dates become ISO text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value
