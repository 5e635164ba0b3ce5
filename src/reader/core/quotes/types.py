"""A quote and its speaker, as found in one article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TITLE = -1
"""The passage number given to a quote in the article's headline."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is attributed to, as the article words it."""

    text: str
    """The attribution's words: ``Mr Johnson``, ``he``, ``a police spokesman``."""
    kind: str
    """``name``, ``pronoun`` or ``description``."""
    passage: int
    """Passage holding ``text`` (:data:`TITLE` for the headline)."""
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
        return cls(**d)


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to someone: in quotation marks (direct) or reported (indirect)."""

    passage: int
    """Number of the passage holding it (:data:`TITLE` for the headline)."""
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
