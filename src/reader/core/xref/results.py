"""What a cross-reference is: a related passage and why, and the list for one passage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Related:
    """One related passage and why it was chosen."""

    article: str
    passage: int
    score: float
    text: str
    title: str
    kind: str
    shared_entities: list[str]
    """Ids of the entities both passages name, the rarest first."""
    shared_terms: list[str]
    """Rare words both passages use (never a generic word, never a word of a shared name)."""
    reposts: list[tuple[str, int]] = field(default_factory=list)
    """Other (article, passage) pairs carrying the same text."""
    disagreement: str = ""
    """E.g. ``25 vs 31 people killed``: the two passages count the same thing differently."""
    same_story: bool = False
    """Whether the passage's article reports the same story."""
    shared_names: list[str] = field(default_factory=list)
    """The shared entities' names, in the order of :attr:`shared_entities`."""
    links: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The signals both passages share (``t:`` stems, ``p:`` pairs, ``e:`` entities), the one
    adding most to their similarity first: used to order a list, never shown."""

    def note_suffix(self) -> str:
        out = ""
        if self.reposts:
            out += f"; {len(self.reposts)} repost{'s' if len(self.reposts) > 1 else ''}"
        if self.disagreement:
            out += f"; figures differ: {self.disagreement}"
        return out

    def to_json(self) -> dict:
        return {"article": self.article, "passage": self.passage, "score": round(self.score, 3),
                "title": self.title, "kind": self.kind, "text": self.text, "same_story": self.same_story,
                "shared_entities": self.shared_entities, "shared_names": self.shared_names,
                "shared_terms": self.shared_terms,
                "reposts": [{"article": a, "passage": n} for a, n in self.reposts],
                "disagreement": self.disagreement or None}


@dataclass(frozen=True)
class XrefResult:
    """The cross-references of one passage."""

    article: str
    passage: int
    related: list[Related]

    def to_json(self) -> dict:
        return {"article": self.article, "passage": self.passage,
                "related": [r.to_json() for r in self.related]}
