"""Where a name the model found begins and ends, and spans that name nothing.

:func:`extend_span` carries an organisation's name past its head (``British
Chambers of Commerce``); :func:`split_span`
cuts a span into the names it holds (at a possessive, at ``and`` between two
names, after a title); :func:`clean_span` trims marks and titles and drops
spans that name nothing: credits (``Karen Minasyan/AFP``, ``Photo: ...``),
demonyms, days and months, function words alone, laws and awards.
"""

from __future__ import annotations

import functools
import re

from reader.core.entities.cues import NAME_PARTICLES, ORG, ORG_HEADS, PERSON, PLACE_HEADS, ROLES, TITLES, is_acronym
from reader.core.entities.gazetteer import ACRONYMS, FUNCTION_WORDS, NON_ENTITY_WORDS, PARTY_NAMES, gazetteer
from reader.core.entities.keys import name_words, normalise_name, word_set

#: A credit line's agency after a slash: ``Name/AFP``, ``Photo/Reuters``.
CREDIT_SLASH = re.compile(r"^/\s?[A-Z][\w&.-]*")
#: The words that start a credit or caption (``Photo: Name``), up to the end of the name.
CREDIT_LEAD = re.compile(r"(?i)\b(?:photo(?:graph)?s?|pictures?|image|credit|source|video|getty images)"
                         r"\s*(?:by|:|/|courtesy of)\s*$")
#: The type of each well-known acronym, by its key (``uk``): the table knows better than the
#: training data, whose silver labels make ``UK`` an organisation.
KNOWN_TYPE = {normalise_name(k): typ for k, (_, typ) in ACRONYMS.items()} | {k: ORG for k in PARTY_NAMES}
#: Titles only people carry: a name they lead is a person's (``Lord Goldsmith``, not ``Major League``).
PERSONAL_TITLES = frozenset("mr mrs ms miss dr lord lady sir dame baroness baron president senator governor "
                            "king queen prince princess pope sheikh".split())
NOT_NAME_HEADS = word_set("act acts bill bills treaty accord accords agreement protocol amendment directive "
                          "memorandum award awards prize prizes")
"""Last words of the names of laws, agreements and awards, which kreader does not highlight
(``Public Order Act``, ``Kyoto Protocol``, ``Golden Reel Awards``)."""
COMMON_POSSESSORS = word_set("people peoples children women workers farmers citizens veterans martyrs "
                             "mothers consumers taxpayers students")
"""Common nouns whose possessive starts a name (``People's Liberation Army``), not a possessor."""
MEMBER_WORDS = word_set("mp mps meps msp msps")
"""Words for a party's members after its name, left out of the span (``Labour MPs``)."""
_TRAILING = re.compile(r"[\s'’.,:;-]+$")
_POSSESSIVE_INSIDE = re.compile(r"(?:['’]s|(?<=s)['’])\s+(?=[A-Z])")
AND_INSIDE = re.compile(r"\s+(?:and|&)\s+")
_LISTED = re.compile(r"(?<!\bof )(?<!\bfor )(?<!\band )[A-Z][\w'’.-]*,\s+$")
_COMPANY_END = re.compile(r",?\s+(?:Inc|Co|Corp|Ltd|Plc|PLC|LLC|LP|SA|AG|NV)\b")
"""A company's suffix after ``X and Y`` (``Sears, Roebuck and Co``): one name, commas inside."""
LIST_REACH = 40
"""Characters before ``X and Y`` searched for the name and comma that make it the end of a list
(``Velta, Corvex and Titan``: three names)."""
_JOINED = re.compile(r"\s(?:of|for|on)\s")
_DAMAGE_GAP = re.compile(r"[?\ufffd]\s")
_FOR_INSIDE = re.compile(r"\s+for\s+")
TITLED_REACH = 8
"""Most words of a span read as a body's name, a title and a person's (``NATO Secretary General Ada Vell``)."""
_PERSON_LEADS = word_set("winner winners nominee star actor actress director")
"""Words after which a person's span starts again (``Oscar winner Ada Vell``)."""
_ORG_TAIL = re.compile(r" (?:of|for|on) (?:the )?[A-Z][\w-]*(?: (?:and )?[A-Z][\w-]*)*")
_DOTTED = re.compile(r"(?:^|\s)(?:[A-Za-z]\.){2,}$")
_BRACKET_END = re.compile(r"\s*\)\s*$")
_WORD_AT = re.compile(r"[\w.'’-]+")
_FIRST_WORD = re.compile(r"([\w.'’-]+)\s+(?=\S)")


def mend_damaged(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The model's spans with a name cut at a character lost to a bad encoding joined again
    (``Sergei Viktorovi? Lavrov``: a given name and more, a ``?`` or U+FFFD glued to its last
    letter, a space, one word; not ``Paris? Berlin``); the whole is a person's if either part is."""
    out: list[tuple[int, int, str]] = []
    for s, e, t in spans:
        if out and s - out[-1][1] == 2 and _DAMAGE_GAP.fullmatch(text, out[-1][1], s) and text[out[-1][1] - 1:out[-1][1]].isalpha() \
                and _named_person_start(text[out[-1][0]:out[-1][1]]) and " " not in text[s:e]:
            s0, _, t0 = out.pop()
            s, t = s0, PERSON if PERSON in (t0, t) else t0
        out.append((s, e, t))
    return out


def _common_possessor(left: str) -> bool:
    """One word that is no name, owning the rest of one (``Lord's Resistance Army``,
    ``People's Liberation Army``, ``Workers' Party``): the possessive is inside the name."""
    words = name_words(left)
    return len(words) == 1 and (words[0] in TITLES or words[0] in COMMON_POSSESSORS)


def _named_person_start(span: str) -> bool:
    words = name_words(span)
    return len(words) >= 2 and words[0] in gazetteer().given_names


@functools.lru_cache(maxsize=1 << 16)
def _trimmed(span: str, person: bool) -> tuple[int, int] | None:
    """What :func:`clean_span` makes of a span by its own words: where the name is in it
    (marks trimmed, a person's titles and a party's member words cut), or None where it
    names nothing (function words, a law's or an award's name, a demonym)."""
    start, end = 0, len(span)
    text = span
    cut = _TRAILING.search(span)
    if cut and _DOTTED.search(span):  # "U.N." keeps its last dot
        cut = _TRAILING.search(span[:-1]) if span.endswith(".") and len(span) > 1 else None
    if cut:
        end = start + cut.start()
        span = text[start:end]
    if person:
        while (m := _FIRST_WORD.match(span)) and normalise_name(m.group(1)) in TITLES:
            start += m.end()
            span = text[start:end]
    toks = name_words(span)
    while len(toks) > 1 and toks[-1] in MEMBER_WORDS:  # "Labour MPs": the party
        cut = span.rstrip().rfind(" ")
        if cut <= 0:  # "X-MP": one word, nothing to cut at
            break
        end = start + cut
        span = text[start:end].rstrip()
        end = start + len(span)
        toks = name_words(span)
    if not toks or all(w in FUNCTION_WORDS for w in toks) and not span.replace(".", "").isupper():
        return None
    if len(toks) > 1 and toks[-1] in NOT_NAME_HEADS:
        return None
    if len(toks) == 1 and (toks[0] in NON_ENTITY_WORDS or toks[0] in gazetteer().demonyms):
        return None
    return start, end


def clean_span(text: str, start: int, end: int, typ: str = "") -> tuple[int, int] | None:
    """The span without trailing marks nor a person's leading titles, or None for a span that names nothing."""
    trimmed = _trimmed(text[start:end], typ == PERSON)
    if trimmed is None:
        return None
    start, end = start + trimmed[0], start + trimmed[1]
    before = text[start - 1:start] if start else ""
    if (before == "/" or "/" in text[start:end + 2]) and (CREDIT_SLASH.match(text[end:end + 30]) or before == "/"):
        return None
    if before == "(" and _BRACKET_END.match(text, end):
        return None  # "... in Yerevan (AFP)": a credit at the end of a caption
    left = text[start - 30 if start > 30 else 0:start]
    if ":" in left or "by" in left or "/" in left or "of" in left:
        if CREDIT_LEAD.search(left):
            return None
    return start, end


def split_span(text: str, start: int, end: int, typ: str, alone: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """A span cut into the names it holds (:func:`_split`); a span without ``and`` inside is
    cut by its own words alone, once (cached)."""
    span = text[start:end]
    if AND_INSIDE.search(span) is None:
        return [(start + s, start + e, t) for s, e, t in _split_plain(span, typ)]
    return _split(text, start, end, typ, alone)


def split_plain_span(text: str, start: int, end: int, typ: str) -> list[tuple[int, int, str]]:
    """:func:`split_span` of a span known to hold no ``and`` (:data:`AND_INSIDE`)."""
    return [(start + s, start + e, t) for s, e, t in _split_plain(text[start:end], typ)]


@functools.lru_cache(maxsize=1 << 16)
def _split_plain(span: str, typ: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_split(span, 0, len(span), typ, frozenset()))


def _split(text: str, start: int, end: int, typ: str, alone: frozenset[str]) -> list[tuple[int, int, str]]:
    """A span cut into the names it holds: at a possessive (``Age Concern's Age Agenda``; not
    ``Lord's Resistance Army``), at
    ``and`` between two names (``William and Harry``; not ``Department of Trade and Industry``
    nor a place such as ``Bosnia and Herzegovina``; an organisation's only when both sides stand
    alone: ``the Tories and Lib Dems``, two names the article also writes apart), after a title
    inside a person's span (``Labour MP John Cryer``, ``Actor Ada Vell``), before ``for`` in a
    person's span (``Ada Vell for Night Train``). A span led by a title (``Lord Goldsmith``) is a person's."""
    span = text[start:end]
    m = _POSSESSIVE_INSIDE.search(span)
    if m and not _common_possessor(span[:m.start()]):
        head = split_span(text, start, start + m.start(), typ, alone)
        tail_start = start + m.end()
        tail = [] if _generic_tail(text[tail_start:end]) else split_span(text, tail_start, end, typ, alone)
        return head + tail
    m = AND_INSIDE.search(span)
    if m and _JOINED.search(span[:m.start()]) is None and (
            (typ == PERSON and name_words(span)[-1] not in ORG_HEADS) or _two_places(span[:m.start()], span[m.end():])
            or (_stands_alone(span[:m.start()], alone) and _stands_alone(span[m.end():], alone))
            or (_LISTED.search(text, max(0, start - LIST_REACH), start) and not _COMPANY_END.match(text, end)
                and not _COMPANY_END.match(span, m.end() - 1) and name_words(span)[-1] not in ORG_HEADS)):
        return split_span(text, start, start + m.start(), typ, alone) + split_span(text, start + m.end(), end, typ, alone)
    words = list(_WORD_AT.finditer(span))
    if len(words) >= 2:
        keys = [normalise_name(w.group()) for w in words]
        last = keys[-1]
        given = gazetteer().given_names
        if typ != PERSON and last not in ORG_HEADS and last not in PLACE_HEADS and len(words) <= TITLED_REACH \
                and all(w.group()[:1].isupper() or k in NAME_PARTICLES for w, k in zip(words, keys)) \
                and ((keys[0] in PERSONAL_TITLES and len(words) <= 4)
                     or any(k in TITLES and keys[i + 1] in given for i, k in enumerate(keys[:-2]))):
            first_title = next(i for i, k in enumerate(keys) if k in TITLES)
            if first_title > 0 and _body(span[:words[first_title - 1].end()]):
                head = (start, start + words[first_title - 1].end(), typ)  # "UN Secretary-General Ada Vell": the UN too
                return [head] + _split(text, start + words[first_title].start(), end, PERSON, alone)
            typ = PERSON  # "Lord Goldsmith"
        if typ != PERSON and len(keys) > 1 and keys[-1].endswith("-general") and keys[-2] not in TITLES:
            return [(start, start + words[-2].end(), typ)]  # "WHO Director-General": the WHO
        if (typ == PERSON or keys[0] in given) and (m := _FOR_INSIDE.search(span)):
            return split_span(text, start, start + m.start(), PERSON if keys[0] in given else typ, alone)
        if typ == PERSON:
            cut = max((i for i, k in enumerate(keys[:-1]) if k in TITLES or k in NON_ENTITY_WORDS or k in ROLES
                       or k in _PERSON_LEADS), default=-1)
            if cut >= 0:
                start += words[cut + 1].start()
    return [(start, end, typ)]


def _body(piece: str) -> bool:
    """A piece before a title that names a body by itself: an acronym (``UN``, ``U.N.``), a
    well-known name or one ending in an organisation's head (``Foreign Ministry``)."""
    key = normalise_name(piece)
    return is_acronym(piece) or key in KNOWN_TYPE or key.rsplit(" ", 1)[-1] in ORG_HEADS


def _stands_alone(piece: str, alone: frozenset[str]) -> bool:
    """A side of ``X and Y`` that is a name by itself: one the article writes alone, a party or
    well-known acronym, a known place, a name led by a personal title or a given name."""
    key = normalise_name(piece)
    words = key.split()
    if not words or not piece[:1].isupper():
        return False
    g = gazetteer()
    return key in alone or key in KNOWN_TYPE or g.places.get(key, 0) >= 2 or words[0] in PERSONAL_TITLES \
        or (len(words) >= 2 and words[0] in g.given_names)


def _two_places(left: str, right: str) -> bool:
    places = gazetteer().places
    whole = normalise_name(f"{left} and {right}")
    return not places.get(whole) and bool(places.get(normalise_name(left))) and bool(places.get(normalise_name(right)))


def _generic_tail(tail: str) -> bool:
    words = name_words(tail)
    return not words or (len(words) == 1 and (words[0] in ORG_HEADS or words[0] in PLACE_HEADS))


_JOINER_END = re.compile(r"\s+(?:of|for|on|and|&)$")
_JOINER_LAST = frozenset("frnd&\n")
"""The last letters of the joiners of :data:`_JOINER_END` (a span ending otherwise ends on none),
and the newline its ``$`` may stand before."""


def extend_span(text: str, start: int, end: int, typ: str) -> int:
    """The end of an organisation's name that goes on past its head with of/for/on
    (``European Council on Foreign Relations``, ``British Chambers of Commerce``); a span the
    model ended on a joiner goes on to the capitalised words after it (``Group of`` ->
    ``Group of Eight``), else ends before it (``the Kremlin of trying``)."""
    cut = _JOINER_END.search(text, start, end) if text[end - 1:end] in _JOINER_LAST else None
    if cut:
        m = _ORG_TAIL.match(text, cut.start())
        return m.end() if m and text[cut.start():end].split()[0] != "and" else cut.start()
    if typ != ORG or name_words(text[start:end])[-1:] and name_words(text[start:end])[-1] not in ORG_HEADS:
        return end
    m = _ORG_TAIL.match(text, end)
    return m.end() if m else end


__all__ = ["AND_INSIDE", "mend_damaged", "clean_span", "split_span", "split_plain_span", "extend_span", "KNOWN_TYPE", "PERSONAL_TITLES", "CREDIT_SLASH",
           "CREDIT_LEAD", "NOT_NAME_HEADS", "MEMBER_WORDS"]
