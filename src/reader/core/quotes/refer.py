"""What a pronoun or a description refers to: the nearest preceding mention that fits.

``he``/``she`` -> the nearest person named before (outside quotation marks);
``it`` -> the nearest organisation; ``the minister`` -> the nearest person
(or, in an article's opening lines, the first one named after); ``the
ministry`` -> the nearest organisation whose name has that word, ``the
company`` -> the nearest organisation; an indefinite or plural description
(``a police spokesman``, ``analysts``) is an unnamed source and stays one.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.entities import demonym_place
from reader.core.model import Mention
from reader.core.quotes import cues, kinds

LOOK_AHEAD = 2
"""Passages after a definite role description searched for the name it stands for."""
SPEAKER_BACK = 2
"""Passages back a pronoun looks for the last speaker."""
PREFER_SPEAKER = True
"""Whether he/she/it prefer the last speaker to a nearer name."""
ROLE_CONTEXT = 40
"""Characters around a name searched for a role (``Chancellor Gordon Brown`` for ``the chancellor``)."""
THEY_BACK = 1
"""Passages back searched for the organisation ``they`` refers to."""


@dataclass(frozen=True, slots=True)
class Place:
    """A mention where it stands: passage number and the mention."""

    passage: int
    mention: Mention
    text: str = ""
    """The passage's text."""
    kind: str = ""
    """The type the article's words show (``the Titan corporation``), when they differ from
    the mention's; empty otherwise."""

    @property
    def type(self) -> str:
        """The mention's type, as the article's words around it correct it."""
        return self.kind or self.mention.type

    @property
    def context(self) -> str:
        """The words around the mention, lower-cased (where its title or role stands)."""
        m = self.mention
        return (self.text[max(0, m.start - ROLE_CONTEXT):m.start] + self.text[m.end:m.end + ROLE_CONTEXT]).lower()


class Mentions:
    """An article's mentions in reading order, outside quotation marks, for looking back."""

    def __init__(self, by_passage: list[tuple[int, str, tuple[Mention, ...], list[tuple[int, int]]]]):
        self.order: list[Place] = []
        self.spoken: list[tuple[int, int, Place]] = []
        """Speakers already attributed (passage, offset of the attribution, the mention), in order."""
        self.organisations = kinds.organisation_names((text, ms) for _, text, ms, _ in by_passage)
        """Names the article's words show to be organisations, whatever their recognised type."""
        for n, text, ms, quoted in by_passage:
            for m in ms:
                if not quoted or not any(a <= m.start < b for a, b in quoted):
                    self.order.append(self.place(n, m, text))

    def place(self, passage: int, m: Mention, text: str = "") -> Place:
        """The mention at its place, its type corrected by the article's words."""
        return Place(passage, m, text, "organization" if m.text in self.organisations else "")

    def fullest(self, place: Place) -> Place:
        """The article's fuller name for the same speaker, when this mention is short for one:
        an acronym in brackets after a name (``Institute for Geography and Statistics (IBGE)``),
        or the first words of an organisation's name (``RSA`` after ``RSA Security``) or one word
        of a person's (``Lula`` after ``Luiz Inacio Lula da Silva``) named in full before it."""
        m = place.mention
        words = m.text.split()
        if not words or place.type == "place":
            return place
        bracket = f"({m.text})"
        first = next((k for k, p in enumerate(self.order) if p.mention.text == m.text), len(self.order))
        for k, p in enumerate(self.order):
            longer = p.mention.text
            if len(longer.split()) <= len(words) or p.type == "place":
                continue
            if p.text[p.mention.end:p.mention.end + len(bracket) + 2].lstrip().startswith(bracket):
                return p
            if k >= first or (p.type == "person") != (place.type == "person"):
                continue
            if p.type == "person" and len(words) == 1 and words[0] in longer.split()[1:]:
                return p
            if p.type != "person" and longer.startswith(m.text + " "):
                return p
        return place

    def _index(self, passage: int, offset: int) -> int:
        """How many mentions stand before this point."""
        k = 0
        for k, p in enumerate(self.order):
            if (p.passage, p.mention.start) >= (passage, offset):
                return k
        return len(self.order)

    def before(self, passage: int, offset: int, fits, limit_passages: int | None = None) -> Place | None:
        """The nearest mention before the point that ``fits``."""
        for p in reversed(self.order[:self._index(passage, offset)]):
            if limit_passages is not None and passage - p.passage > limit_passages:
                return None
            if fits(p):
                return p
        return None

    def said(self, passage: int, offset: int, place: Place) -> None:
        """Record that the mention at ``place`` spoke at this point."""
        self.spoken.append((passage, offset, place))

    def last_speaker(self, passage: int, offset: int, fits, within: int) -> Place | None:
        """The latest speaker before the point that ``fits``, within a few passages."""
        for n, off, place in reversed(self.spoken):
            if (n, off) >= (passage, offset):
                continue
            if passage - n > within:
                return None
            if fits(place):
                return place
        return None

    def most_named(self, passage: int, offset: int, fits) -> Place | None:
        """The mention before the point that ``fits`` whose name recurs most (of those, the one named
        first: the article's subject)."""
        seen = [p for p in self.order[:self._index(passage, offset)] if fits(p)]
        if not seen:
            return None
        counts: dict[str, int] = {}
        for p in seen:
            counts[key(p)] = counts.get(key(p), 0) + 1
        best = max(counts.values())
        return next(p for p in seen if counts[key(p)] == best)

    def after(self, passage: int, offset: int, fits, limit_passages: int) -> Place | None:
        """The nearest mention after the point that ``fits``, within a few passages."""
        for p in self.order[self._index(passage, offset):]:
            if p.passage - passage > limit_passages:
                return None
            if fits(p):
                return p
        return None


def key(p: Place) -> str:
    """A mention's name for comparing: its last word, lower-cased."""
    return p.mention.text.lower().split()[-1] if p.mention.text.split() else ""


def _typed(kind: str):
    return lambda p: p.type == kind


def pronoun(ms: Mentions, word: str, passage: int, offset: int) -> Place | None:
    """The mention a subject pronoun refers to, or None."""
    kind = cues.PRONOUNS.get(word.lower())
    if kind in ("person", "organization"):
        near = ms.before(passage, offset, _typed(kind))
        spoke = ms.last_speaker(passage, offset, _typed(kind), SPEAKER_BACK)
        if spoke is None or near is None or key(near) == key(spoke):
            found = near or spoke
        else:
            found = spoke if PREFER_SPEAKER else near
        if found is None and kind == "organization":  # an organisation the recogniser typed otherwise
            found = ms.last_speaker(passage, offset, lambda p: p.type != "person", SPEAKER_BACK)
        return found
    if kind == "plural":
        return ms.before(passage, offset, _typed("organization"), THEY_BACK)
    return None


def description(ms: Mentions, words: list[str], passage: int, offset: int,
                avoid: frozenset[str] = frozenset(), opens: str = "") -> Place | None:
    """The mention a described speaker stands for; None for an unnamed source. ``avoid``: the
    names (:func:`key`) of those the speaker speaks about in the same sentence, who are not the
    speaker (``The 22-cap man says that Thomas will be missed``); ``opens``: the first word of
    what was said (``he`` makes ``the veteran game maker`` a person)."""
    if not words or words[0].lower() != "the" or len(words) < 2:
        return None
    head = words[-1].lower()
    if words[-1][:1].isupper() and demonym_place(" ".join(words[1:])):
        head = "national"  # ``the New Zealander``: a person, as ``the 34-year-old`` is
    elif words[-1][:1].isupper() or head in cues.DOCUMENT_HEADS:
        return None  # ``the Human Rights Ombudsman``: a title standing for itself; ``the statement``
    person = head not in cues.ORG_HEADS or (
        opens in ("he", "she") and any(w.lower() in cues.ROLE_HEADS for w in words[1:-1]))
    if person:  # ``the minister``, ``the 34-year-old``, ``the Oscar winner``
        if head in ("spokesman", "spokeswoman", "spokesperson", "official", "source", "analyst"):
            return None

        def fits(p: Place) -> bool:
            return p.type == "person" and key(p) not in avoid

        return ms.before(passage, offset, lambda p: fits(p) and head in p.context) \
            or ms.before(passage, offset, fits) \
            or ms.after(passage, offset, fits, LOOK_AHEAD)
    named = ms.before(passage, offset, lambda p: p.type == "organization"
                      and head in p.mention.text.lower().split())
    if named:
        return named
    if head in cues.GENERIC_COMPANY:
        return (ms.last_speaker(passage, offset, _typed("organization"), SPEAKER_BACK)
                or ms.most_named(passage, offset, _typed("organization"))
                or ms.last_speaker(passage, offset, lambda p: p.type != "person", SPEAKER_BACK))
    return None
