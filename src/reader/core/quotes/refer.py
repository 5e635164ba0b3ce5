"""What a pronoun or a description refers to: the nearest preceding mention that fits.

``he``/``she`` -> the nearest person named before (outside quotation marks);
``it`` -> the nearest organisation; ``the minister`` -> the nearest person
(or, in an article's opening lines, the first one named after); ``the
ministry`` -> the nearest organisation whose name has that word, ``the
company`` -> the nearest organisation; an indefinite or plural description
(``a police spokesman``, ``analysts``) is an unnamed source and stays one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import NamedTuple

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
BRACKET_REACH = 16
"""Characters after a name searched for its acronym in brackets."""
THEY_BACK = 1
"""Passages back searched for the organisation ``they`` refers to."""


class Place(NamedTuple):
    """A mention where it stands: passage number and the mention. A named tuple: an article
    makes one per mention, and a tuple is the cheapest thing to make."""

    passage: int
    mention: Mention
    text: str = ""
    """The passage's text."""
    judge: Callable[[Mention], str] | None = None
    """Gives the type the article's words show (``the Titan corporation``), asked only when
    the type is looked at; None: the mention's own."""

    @property
    def type(self) -> str:
        """The mention's type, as the article's words around it correct it."""
        return self.judge(self.mention) if self.judge is not None else self.mention.type

    @property
    def context(self) -> str:
        """The words around the mention, lower-cased (where its title or role stands)."""
        m = self.mention
        return (self.text[max(0, m.start - ROLE_CONTEXT):m.start] + self.text[m.end:m.end + ROLE_CONTEXT]).lower()


class Mentions:
    """An article's mentions in reading order, outside quotation marks, for looking back."""

    def __init__(self, by_passage: list[tuple[int, str, tuple[Mention, ...], list[tuple[int, int]]]]):
        self._by_passage = by_passage
        self._built = False
        self._kinds: dict[str, str] = {}
        self._fuller: dict[tuple[int, int], Place] = {}
        self.spoken: list[tuple[int, int, Place]] = []
        """Speakers already attributed (passage, offset of the attribution, the mention), in order."""

    def _ready(self) -> None:
        """Build the look-up structures if no look-up has yet."""
        if not self._built:
            self._build()

    def _build(self) -> None:
        """One pass over the mentions, the first time a speaker's look-up needs them (most
        passages quote nobody): the order outside quotation marks and its keys, each name's
        occurrences and first place, the names of several words, and the acronyms given in
        brackets after a name (``Harbour Office (HO)``)."""
        self._built = True
        self._order: list[Place] = []
        self._keys: list[tuple[int, int]] = []
        self._occurrences: dict[str, list[tuple[str, Mention]]] = {}
        self._first: dict[str, int] = {}
        self._longer: list[tuple[int, Place, list[str]]] = []
        self._brackets: dict[str, Place] = {}
        judge, occurrences, make = self.type_of, self._occurrences, tuple.__new__
        for n, text, ms, quoted in self._by_passage:
            for m in ms:
                if m.text in occurrences:
                    occurrences[m.text].append((text, m))
                else:
                    occurrences[m.text] = [(text, m)]
                if quoted and any(a <= m.start < b for a, b in quoted):
                    continue
                p = make(Place, (n, m, text, judge))
                k = len(self._order)
                self._order.append(p)
                self._keys.append((n, m.start))
                self._first.setdefault(m.text, k)
                if " " in m.text:
                    self._longer.append((k, p, m.text.split()))
                    after = text[m.end:m.end + BRACKET_REACH].lstrip()
                    if after[:1] == "(" and ")" in after:
                        self._brackets.setdefault(after[1:after.index(")")], p)

    @property
    def order(self) -> list[Place]:
        """The mentions outside quotation marks, in reading order."""
        self._ready()
        return self._order

    def type_of(self, m: Mention) -> str:
        """A mention's type, ``organization`` where the article's words around any occurrence of
        its name say so (read once per name, the first time a look-up asks)."""
        if m.type == "organization":
            return m.type
        kind = self._kinds.get(m.text)
        if kind is None:
            self._ready()
            organised = kinds.is_organisation(self._occurrences.get(m.text, [("", m)]))
            kind = self._kinds[m.text] = "organization" if organised else ""
        return kind or m.type

    def place(self, passage: int, m: Mention, text: str = "") -> Place:
        """The mention at its place, its type corrected by the article's words."""
        return Place(passage, m, text, self.type_of)

    def fullest(self, place: Place) -> Place:
        """The article's fuller name for the same speaker, when this one-word mention is short
        for one: an acronym in brackets after a name (``Institute for Geography and Statistics
        (NIS)``), the first word of an organisation's name (``Korva`` after ``Korva Security``) or
        one word of a person's (``Vaz`` after ``Joao Pedro Vaz da Costa``) named in full before."""
        got = self._fuller.get((place.passage, place.mention.start))
        if got is None:
            got = self._fuller[(place.passage, place.mention.start)] = self._find_fuller(place)
        return got

    def _find_fuller(self, place: Place) -> Place:
        m = place.mention
        if " " in m.text or not m.text or place.type == "place":
            return place
        self._ready()
        if m.text in self._brackets and self._brackets[m.text].type != "place":
            return self._brackets[m.text]
        here = self._first.get(m.text, len(self._order))
        person = place.type == "person"
        for k, p, those in self._longer:
            if k >= here:
                break
            if p.type == "place" or (p.type == "person") != person:
                continue
            if (those[0] == m.text) if not person else (m.text in those[1:]):
                return p
        return place

    def _index(self, passage: int, offset: int) -> int:
        """How many mentions stand before this point."""
        self._ready()
        return bisect_left(self._keys, (passage, offset))

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
        head = "national"  # ``the Norwegian``: a person, as ``the 34-year-old`` is
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
