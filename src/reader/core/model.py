"""The domain objects every part of kreader passes around.

They are frozen dataclasses: the core builds them, the index stores them, the
CLI prints them and the UI shows them; nobody mutates them in place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

PASSAGE_KINDS = ("paragraph", "heading", "list-item", "quote", "caption")
ENTITY_TYPES = ("person", "place", "organization")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a passage (or title) and the entity it resolved to."""

    start: int
    """Offset of the first character, in the passage's text."""
    end: int
    """Offset just past the last character."""
    text: str
    """The text as it stands, ``text == passage.text[start:end]``."""
    type: str
    """``person``, ``place`` or ``organization``."""
    entity: str = ""
    """Id of the entity it resolved to (empty until resolution ran)."""

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "type": self.type, "entity": self.entity}


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph-like unit of an article's cleaned body."""

    n: int
    """Number within the article, from 0."""
    kind: str
    """One of :data:`PASSAGE_KINDS`."""
    text: str
    """The cleaned text, as shown."""
    mentions: tuple[Mention, ...] = ()
    """Names found in ``text``, in order."""

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "kind": self.kind, "text": self.text,
                "mentions": [m.to_json() for m in self.mentions]}


QUOTE_TITLE = -1
"""The passage number given to a quote in the article's headline."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is attributed to, as the article words it."""

    text: str
    """The attribution's words: ``Mr Johnson``, ``he``, ``a police spokesman``."""
    kind: str
    """``name``, ``pronoun`` or ``description``."""
    passage: int
    """Passage holding ``text`` (:data:`QUOTE_TITLE` for the headline)."""
    start: int
    end: int
    ref_passage: int | None = None
    """Passage of the mention the speaker resolved to (None: an unnamed source)."""
    ref_start: int = 0
    """Offset of that mention in its passage."""
    ref_text: str = ""
    """That mention's text (``Johnson``), for a look-up when offsets moved."""
    ref_type: str = ""
    """That mention's type when it was chosen."""
    via: str = ""
    """Set when the speaker is someone's office or spokesman (``office``): the
    mention is the one they speak for."""

    @property
    def named(self) -> bool:
        """Whether the speaker resolved to a mention (else an unnamed source)."""
        return self.ref_passage is not None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "passage": self.passage, "start": self.start,
                "end": self.end, "ref_passage": self.ref_passage, "ref_start": self.ref_start,
                "ref_text": self.ref_text, "ref_type": self.ref_type, "via": self.via}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Speaker:
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to someone: in quotation marks (direct) or reported (indirect)."""

    passage: int
    """Number of the passage holding it (:data:`QUOTE_TITLE` for the headline)."""
    start: int
    """Offset of the quoted words in the passage's text (inside the marks)."""
    end: int
    text: str
    """``passage.text[start:end]``."""
    kind: str
    """``direct`` or ``indirect``."""
    cue: str | None = None
    """The verb or phrase of attribution as written (``said``, ``according to``);
    None for a quote carrying on from an attribution in a neighbouring sentence."""
    speaker: Speaker | None = None
    """None when the article attributes it to nobody it names or describes."""
    partial: bool = False
    """A quoted phrase inside the writer's own sentence, or a piece of a mixed quote."""

    def to_json(self) -> dict[str, Any]:
        return {"passage": self.passage, "start": self.start, "end": self.end, "text": self.text,
                "kind": self.kind, "cue": self.cue, "partial": self.partial,
                "speaker": self.speaker.to_json() if self.speaker else None}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quote:
        sp = d.get("speaker")
        return cls(d["passage"], d["start"], d["end"], d["text"], d["kind"], d.get("cue"),
                   Speaker.from_json(sp) if sp else None, d.get("partial", False))


@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner took out of the body, and why."""

    text: str
    """The line as it stood (after encoding repair)."""
    rule: str
    """Name of the rule that removed it (``ad-marker``, ``teaser`` …)."""
    after: int = -1
    """Number of the kept passage it followed (-1: before the first)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned story: the unit listed, indexed and cross-referenced."""

    id: str
    """Unique in the corpus: the file's stem (``stem~2`` for a split story)."""
    path: str
    """The file it came from, relative to the corpus folder."""
    title: str
    passages: tuple[Passage, ...] = ()
    author: str | None = None
    date: str | None = None
    """ISO 8601 date (``2023-09-19``) when the text gives one."""
    site: str | None = None
    """The publication's name when the text gives it."""
    source: str | None = None
    """The article's address when the text gives it."""
    title_mentions: tuple[Mention, ...] = ()
    removed: tuple[Removed, ...] = ()
    """What the cleaner removed, in order, each with its rule."""
    quotes: tuple[Quote, ...] = ()
    """Who said what (see :mod:`reader.core.quotes`), in reading order; the headline's first."""

    def passage_quotes(self, n: int) -> tuple[Quote, ...]:
        """The quotes of passage ``n`` (:data:`QUOTE_TITLE` for the headline's)."""
        return tuple(q for q in self.quotes if q.passage == n)

    def _quotes_json(self, n: int) -> list[dict[str, Any]]:
        out = []
        for q in self.passage_quotes(n):
            d = q.to_json()
            if q.speaker and q.speaker.ref_passage is not None:
                ms = self.title_mentions if q.speaker.ref_passage == QUOTE_TITLE else (
                    self.passages[q.speaker.ref_passage].mentions if q.speaker.ref_passage < len(self.passages) else ())
                d["speaker"]["entity"] = next((m.entity for m in ms if m.start == q.speaker.ref_start), "")
            out.append(d)
        return out

    def with_(self, **changes: Any) -> Article:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_json(self, corpus_name: str | None = None) -> dict[str, Any]:
        """The ``export`` shape of ../CLI.md (plus ``removed``)."""
        path = f"{corpus_name}/{self.path}" if corpus_name else self.path
        return {
            "id": self.id, "path": path, "title": self.title,
            "title_mentions": [m.to_json() for m in self.title_mentions],
            "author": self.author, "date": self.date, "site": self.site, "source": self.source,
            "passages": [dict(p.to_json(), quotes=self._quotes_json(p.n)) for p in self.passages],
            "title_quotes": self._quotes_json(QUOTE_TITLE),
            "removed": [{"text": r.text, "rule": r.rule, "after": r.after} for r in self.removed],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Article:
        """Inverse of :meth:`to_json` (``path`` taken as stored)."""
        return cls(
            id=d["id"], path=d["path"], title=d["title"],
            author=d.get("author"), date=d.get("date"), site=d.get("site"), source=d.get("source"),
            title_mentions=tuple(Mention(**m) for m in d.get("title_mentions", ())),
            passages=tuple(Passage(n=p["n"], kind=p["kind"], text=p["text"],
                                   mentions=tuple(Mention(**m) for m in p.get("mentions", ())))
                           for p in d.get("passages", ())),
            removed=tuple(Removed(**r) for r in d.get("removed", ())),
            quotes=tuple(Quote.from_json(q) for q in d.get("title_quotes", ()))
            + tuple(Quote.from_json(q) for p in d.get("passages", ()) for q in p.get("quotes", ())),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place or organisation: every surface form that means it."""

    id: str
    """Stable slug of the canonical name (``nikol-pashinyan``)."""
    name: str
    """Canonical name, the fullest form seen."""
    type: str
    aliases: tuple[str, ...] = ()
    """Every surface form seen for it, the name included."""
    mentions: int = 0
    articles: int = 0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """A file that could not be loaded, and the one sentence saying why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A corpus file, read and decoded, before cleaning."""

    path: str
    """Relative to the corpus folder, with ``/`` separators."""
    stem: str
    """The article id it will get (unique in the corpus)."""
    text: str
    size: int
    mtime_ns: int
    sha1: str
    """Hash of the raw bytes: what incremental indexing compares."""
    encoding: str = "utf-8"
    extra: dict[str, Any] = field(default_factory=dict)
