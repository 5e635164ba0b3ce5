"""A country's or a city's name standing for its team (``wins over Norvania``, ``Vantoria captain``).

News writes a national side or a club by its country or city: ``the victory over
Norvania``, ``a match against Estmark, Norvania and Vantoria``, ``Vantoria number
eight Ada Vell``, ``Norvania are improving``. There the name is a team, an
organisation; the same word keeps its place's type where it means the country
(``they did well in Norvania``). :func:`team_at` reads one occurrence by its own
words: a cue right before it (after the list it closes) or right after it, and
for the cues that are no sport's alone (``against``, ``host``, ``are``) a word of
sport in the same text. Recognition types such an occurrence an organisation,
and resolution keys it apart from the place (:class:`~reader.core.entities.forms.Keyer`),
so the country stays a place in the rest of the corpus.
"""

from __future__ import annotations

import functools
import re

from reader.core.entities.gazetteer import gazetteer
from reader.core.entities.keys import normalise_name

TEAM_PLACE_WEIGHT = 2
"""Least gazetteer weight of a place whose name may stand for its team (a country, a city)."""
TEAM_KEY = " (team)"
"""What resolution adds to the key of a name standing for its team."""
LEFT_REACH = 80
"""Characters before a name searched for a cue (the list it ends included)."""
RIGHT_REACH = 30
"""Characters after a name searched for a cue."""

_SPORT = re.compile(r"\b(?:coach|squad|tournament|championships?|league|striker|midfielder|rugby|football|soccer|"
                    r"cricket|tennis|hockey|basketball|semi-finals?|quarter-finals?|stadium|referee|athletics|"
                    r"olympics?|half-time|equalised|equalized|innings|wickets?|kick-off|qualifiers?|1500m|100m)\b",
                    re.I)
"""Words only sport uses: a text holding one may write a country for its team."""
_SPORT_LIKELY = re.compile(r"\b(?:match|matches|season|scored|goals?|final|penalty|medals?|players?|champions|try|"
                           r"tries|friendly|relay|sprint|marathon|fixtures?|cup|captain)\b", re.I)
"""Words of sport that other news uses too (a final dividend, market players, policy goals, try to)."""
LIKELY_WORDS = 3
"""Distinct words of :data:`_SPORT_LIKELY` that make a text one of sport without a word of :data:`_SPORT`:
business news writes two of them in one report often enough, three hardly ever."""
_SPORT_LEFT = re.compile(r"(?:\b(?:wins?|victory|victories|triumph)\s+(?:over|against)"
                         r"|\b(?:beat|beats|beating|thrashed|thrash|edged|outplayed|v|vs|versus)"
                         r"|\b(?:play(?:s|ed|ing)?|caps?|goals?|scored|debut|appearances?)\s+for"
                         r"|\b(?:lost|lose|losing|loss|defeat|defeated|beaten|draw|drew|drawn)\s+(?:to|by|with|against))"
                         r"\s+(?:the\s+)?$", re.I)
"""Words before a team whatever the text (``victory over``, ``playing for``, ``lost to``)."""
_WEAK_LEFT = re.compile(r"\b(?:against|face|faces|facing|host|hosts|hosting|play|plays|playing|meet|meets|"
                        r"played|visit\s+of|visitors?|opponents?)\s+(?:the\s+)?$", re.I)
"""Words before a team in a text of sport (``a match against``): elsewhere they are no team's."""
_LIST_BEFORE = re.compile(r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*(?:,|\band\b|&)\s*)+$")
"""The names before this one in a list (``against Estmark, Norvania and``)."""
_SPORT_RIGHT = re.compile(r"(?:['’]s?)?\s+(?:coach|captain|vice-captain|skipper|striker|midfielder|defender|"
                          r"goalkeeper|winger|full-back|fly-half|scrum-half|flanker|number\s+(?:one|two|three|"
                          r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|\d+)|"
                          r"under-\d+s?|[0-9]+-[0-9]+\s+[A-Z])\b")
"""Words after a team whatever the text (``Vantoria captain``, ``Vantoria number eight``, ``Vantoria 3-2 Estmark``)."""
_LIKELY_RIGHT = re.compile(r"(?:['’]s?)?\s+(?:manager|boss|squad|team|players|fans|keeper|hooker|prop|lock|centre|"
                           r"international|internationals)\b")
"""Words after a team in a text of sport; elsewhere other things have them (``DAT players``,
``Geneva's international airport``, ``the Vantoria team of negotiators``)."""
_WEAK_RIGHT = re.compile(r"\s+(?:are|were|have|beat|won|lost|drew|led|scored|equalised|equalized|held|side|"
                         r"rallied|trailed)\b")
"""Words after a team in a text of sport (``Norvania are improving``, ``Norvania won``)."""
_OF_PERSON = re.compile(r"['’]s?\s+[A-Z]|\s+(?:final|finals|open|tournament|games|marathon|grand\s+prix|bid)\b")
"""After a name: one of its people (``Norvania's Ada Vell``), or an event held there (``the Vantoria final``)."""
_LOCATIVE = re.compile(r"\b(?:in|at|from|across|into|near|around|throughout|of|to|outside|inside|within)\s+(?:the\s+)?$",
                       re.I)
"""Words before a name that make it the place (``in Norvania``)."""


@functools.lru_cache(maxsize=1 << 16)
def may_be_team(name: str) -> bool:
    """A name that may stand for a team: a known country or city of one to three words."""
    key = normalise_name(name)
    return bool(key) and gazetteer().places.get(key, 0) >= TEAM_PLACE_WEIGHT \
        and key.count(" ") < 3


def team_at(text: str, start: int, end: int) -> bool:
    """Whether the place name at ``text[start:end]`` stands for its team there."""
    if not may_be_team(text[start:end]):
        return False
    right = text[end:end + RIGHT_REACH]
    if _OF_PERSON.match(right):
        return False  # "beat Norvania's Ada Vell": a player of the country
    if _SPORT_RIGHT.match(right):
        return True
    left = text[max(0, start - LEFT_REACH):start]
    bare = left
    listed = _LIST_BEFORE.search(left)
    if listed:
        bare = left[:listed.start()]
    if _SPORT_LEFT.search(bare):
        return True
    if _LOCATIVE.search(bare):
        return False  # "did well in Norvania": the country
    if not (_WEAK_LEFT.search(bare) or _WEAK_RIGHT.match(right) or _LIKELY_RIGHT.match(right)):
        return False
    return is_sport(text)


@functools.lru_cache(maxsize=64)
def is_sport(text: str) -> bool:
    """Whether a text is one of sport: a word only sport uses, or several that sport uses most.
    (Read once per text: every place name in it asks.)"""
    if _SPORT.search(text):
        return True
    return len({m.group().lower() for m in _SPORT_LIKELY.finditer(text)}) >= LIKELY_WORDS


__all__ = ["team_at", "may_be_team", "is_sport", "TEAM_KEY", "TEAM_PLACE_WEIGHT"]
