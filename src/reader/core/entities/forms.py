"""Surface forms of a corpus's names: their keys and the evidence gathered on each.

Resolution (:mod:`reader.core.entities.clusters`) and applying it to an article
(:class:`reader.core.entities.resolve.Resolution`) must key a mention the same
way: :class:`Keyer` does it for both.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from reader.core.entities.cues import ORG, ORG_HEADS, PERSON, PLACE, TITLES
from reader.core.entities.gazetteer import demonym_place, gazetteer
from reader.core.entities.keys import normalise_name, word_set
from reader.core.entities.teams import TEAM_KEY, may_be_team, team_at

SCORE_SAMPLE = 12
"""Mentions of one form whose context is weighed for its type (the rest vote)."""
OWNER_PLACE_WEIGHT = 2
"""Least gazetteer weight of a place whose possessive (``Armenia's``) qualifies a generic name."""
#: Words that, with organisation heads and titles, make a name generic (``Security Council``).
GENERIC_WORDS = word_set("security human rights national general supreme central armed affairs health "
                         "foreign defense defence interior justice finance economic constitutional "
                         "electoral election intelligence emergency emergencies public high state")
_POSSESSOR = re.compile(r"([A-Z][\w.-]*(?:\s[A-Z][\w-]*)?)(?:['’]s)?\s+$")
_POSSESSOR_WINDOW = 40


@dataclass
class Form:
    """One distinct key of the corpus and what its mentions say."""

    key: str
    texts: Counter = field(default_factory=Counter)
    """Each surface text and how often it is written so."""
    votes: Counter = field(default_factory=Counter)
    """Each type and how many mentions were recognised with it."""
    scores: dict = field(default_factory=lambda: {PERSON: 0.0, PLACE: 0.0, ORG: 0.0})
    """The summed context evidence of the first :data:`SCORE_SAMPLE` mentions."""
    scored: int = 0
    articles: int = 0
    """How many articles have it."""

    @property
    def count(self) -> int:
        return sum(self.texts.values())


class Keyer:
    """Turns a mention into its form key, the same way at resolution and at apply."""

    def __init__(self, acronyms: dict[str, str]):
        self.acronyms = acronyms
        self._bare: dict[str, tuple[str, bool]] = {}

    def __getstate__(self) -> dict:  # the cache stays out of any copy
        return {"acronyms": self.acronyms}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["acronyms"])

    def key(self, text: str, passage: str = "", start: int = 0) -> str:
        """The key of ``text``; a generic name is qualified by the place owning it in ``passage``,
        a place standing for its team there (``the victory over Norvania``) is keyed apart."""
        known = self._bare.get(text)
        if known is None:  # the same surface comes back many times in a corpus
            key = normalise_name(text)
            toks = [t for t in key.split() if len(t) > 1 or not t.isalpha()] or key.split()
            if toks and toks[0] in self.acronyms and (len(toks) == 1 or text.split()[0].replace(".", "").isupper()):
                toks = self.acronyms[toks[0]].split() + toks[1:]
            key = " ".join(toks)
            known = self._bare[text] = (key, is_generic(key), may_be_team(text))
        key, generic, team = known
        if team and passage and team_at(passage, start, start + len(text)):
            return key + TEAM_KEY
        if passage and start and generic:
            owner = possessor(passage[:start])
            if owner:
                key = f"{key} ({owner})"
        return key


def is_generic(key: str) -> bool:
    """Whether a key names a kind of body, not one (``security council``, ``foreign ministry``)."""
    toks = key.split()
    return bool(toks) and toks[-1] in ORG_HEADS and all(t in ORG_HEADS or t in TITLES or t in GENERIC_WORDS
                                                        for t in toks)


def possessor(left: str) -> str | None:
    """The place owning a generic name: ``Armenia's`` or ``Russian`` just before it."""
    m = _POSSESSOR.search(left[-_POSSESSOR_WINDOW:])
    if not m:
        return None
    word = m.group(1)
    place = demonym_place(word)
    if place:
        return place
    if m.group(0).rstrip().endswith(("'s", "’s")) and gazetteer().places.get(normalise_name(word), 0) >= OWNER_PLACE_WEIGHT:
        return word
    return None


__all__ = ["Form", "Keyer", "is_generic", "possessor", "SCORE_SAMPLE"]
