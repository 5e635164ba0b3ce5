"""The speaker's words around a verb of saying: a name, a pronoun or a description.

Works on the tokens of one sentence (:mod:`.sentences`) and the passage's
mentions. :func:`before` reads the subject that stands before the verb (``Mr
Johnson said``, ``he also told``, ``Smith, the chief executive, said``,
``Aliyev's office said``); :func:`after` reads the speaker after it, in the
inverted order news uses after a quote (``said the statistical office``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.model import Mention
from reader.core.quotes import cues
from reader.core.quotes.sentences import Tok

MAX_DESCRIPTION = 8
"""Most words in a described speaker (``the work and pensions minister``)."""
MAX_APPOSITION = 14
"""Most words between the commas of an apposition (``Smith, chief executive of X, said``)."""
PLURAL_SOURCES = frozenset("""
sources critics observers residents witnesses campaigners people police officials experts analysts
economists researchers scientists investigators authorities organisers organizers doctors lawyers
fans insiders diplomats officers ministers mps voters users executives bosses traders dealers
analysts commentators opponents supporters protesters activists colleagues friends relatives
neighbours neighbors parents teachers unions managers workers staff correspondents employees
others some many members countries governments companies firms groups banks investors parties reporters
""".split())
"""Plural nouns that describe an unnamed group of speakers."""
SUBJECT_REACH = 6
"""Words at a sentence's start searched for its subject."""
ROLE_BEFORE_NAME = 4
"""Lower-case words of a role read before a name after the verb (``said chief executive officer X``)."""
EMPLOYED_AT = frozenset("at of for with from".split())
"""Words between a role and the organisation it is held at (``a fellow at the ICR``)."""
PLACE_OF = frozenset("of in at".split())
"""Words between an organisation and the place it is of (``the Chamber of Mines of Veltria``):
a place is never the speaker, the organisation before it is."""
MAX_ROLE_WORDS = 6
"""Most words of a role read before a name (``Liberal Democrat foreign affairs spokesman``)."""
ROLE_WORDS = frozenset("senior vice deputy assistant acting former general managing executive officer "
                       "foreign affairs research fellow".split())
"""Words of a role that are no head noun themselves (``senior vice president``)."""
OPENERS = frozenset(", : ; — – ( and but while as because so or".split())
"""Tokens after which a described subject may begin."""


@dataclass(frozen=True, slots=True)
class Found:
    """A speaker's words in the sentence, and what they are."""

    lo: int
    """Index of the first token."""
    hi: int
    """Index just past the last token."""
    kind: str
    """``name``, ``pronoun`` or ``description``."""
    mention: Mention | None = None
    """For a name (or someone's office): the mention."""
    via: str = ""
    """``office`` when the words are someone's office or spokesman."""


def mention_at(mentions: tuple[Mention, ...], tok: Tok) -> Mention | None:
    """The mention that the token ends (a possessive ``'s`` allowed after it)."""
    for m in mentions:
        if m.start <= tok.start and m.end <= tok.end <= m.end + 2 and m.end > tok.start:
            return m
    return None


def _mention_from(mentions: tuple[Mention, ...], tok: Tok) -> Mention | None:
    for m in mentions:
        if m.start == tok.start:
            return m
    return None


def _skip_back(toks: list[Tok], j: int, floor: int) -> int:
    while j >= floor and toks[j].low in cues.BETWEEN:
        j -= 1
    return j


def before(toks: list[Tok], i: int, mentions: tuple[Mention, ...], floor: int = 0) -> Found | None:
    """The subject standing before the verb at ``toks[i]``, or None."""
    j = _skip_back(toks, i - 1, floor)
    if j < floor:
        return None
    if toks[j].text == ",":
        named = _noun_phrase(toks, j - 1, mentions, floor) if j - 1 >= floor else None
        if (named and named.mention is not None and named.kind == "name" and named.mention.type != "place"
                and (named.lo == floor or toks[named.lo - 1].text == ",")):
            return named  # ``The secretary of the union, Ida Sorel, said``
        found = _apposition(toks, j, mentions, floor)
        if (found is None and named is not None and named.kind == "name" and named.mention is not None
                and named.mention.type != "place"):
            return named  # ``The men's solicitor Owen Ratcliffe, said``
        return found
    found = _noun_phrase(toks, j, mentions, floor)
    if (found is not None and found.mention is not None and found.mention.type != "person"
            and found.lo > floor and toks[found.lo - 1].low in EMPLOYED_AT):
        holder = _apposition(toks, j + 1, mentions, floor)  # ``Will Ames, a fellow at the ICR told``
        if holder is not None and (holder.kind == "pronoun" or (holder.mention is not None
                                                                 and holder.mention.type == "person")):
            return holder
    if (found is not None and found.mention is not None and found.mention.type == "place"
            and found.lo - 2 >= floor and toks[found.lo - 1].low in PLACE_OF):
        owner = _noun_phrase(toks, found.lo - 2, mentions, floor)  # ``the Chamber of Mines of Veltria said``
        if owner is not None and owner.mention is not None and owner.mention.type == "organization":
            return owner
    return found


def sentence_subject(toks: list[Tok], mentions: tuple[Mention, ...], upto: int) -> Found | None:
    """The subject opening a sentence (``Tory leader Michael Howard ...``, ``He ...``): who a
    participle later in it (``, warning: "..."``) speaks for."""
    reach, restarted = SUBJECT_REACH, False
    for j in range(upto):
        if j >= reach:
            return None
        t = toks[j]
        if t.text == "," and not restarted:
            reach, restarted = j + 1 + SUBJECT_REACH, True  # ``Despite his background, President Vaz ...``
            continue
        if t.is_quote or t.text in ",;:":
            return None
        if t.low in cues.PRONOUNS and t.low != "i":
            return Found(j, j + 1, "pronoun")
        m = mention_at(mentions, t)
        if m and m.type != "place" and m.end == t.end:
            return Found(_name_start(toks, j, m, 0), j + 1, "name", m)
        if j and toks[0].low in cues.DETERMINERS and (is_head(t.low) or t.low in PLURAL_SOURCES):
            return _description(toks, j, mentions, 0)  # ``The two firms signed ..., and say``
    return None


def _noun_phrase(toks: list[Tok], j: int, mentions: tuple[Mention, ...], floor: int) -> Found | None:
    t = toks[j]
    if t.is_quote:
        return None
    if t.low in ("who", "which") and j - 1 >= floor:
        k = j - 2 if toks[j - 1].text == "," and j - 2 >= floor else j - 1
        return _noun_phrase(toks, k, mentions, floor)  # ``a union leader who said``: its antecedent
    if t.text == ")" and j - 2 >= floor and toks[j - 2].text == "(" and j - 3 >= floor:
        return _noun_phrase(toks, j - 3, mentions, floor)  # ``the National Institute ... (NIS) said``
    if t.low in cues.PRONOUNS and t.low != "i":
        return Found(j, j + 1, "pronoun")
    if t.low in cues.SPEAKS_FOR and j > floor:
        owner = mention_at(mentions, toks[j - 1])
        if owner and toks[j - 1].low.endswith(("'s", "’s", "s'", "s’")):
            lo = _name_start(toks, j - 1, owner, floor)
            return Found(lo, j + 1, "description", owner, "office")
    m = mention_at(mentions, t)
    if m and m.end == t.end:
        return Found(_name_start(toks, j, m, floor), j + 1, "name", m)
    return _description(toks, j, mentions, floor)


def _name_start(toks: list[Tok], j: int, m: Mention, floor: int) -> int:
    lo = j
    while lo > floor and toks[lo - 1].start >= m.start:
        lo -= 1
    while lo > floor and toks[lo - 1].text[:1].isupper() and toks[lo - 1].low.rstrip(".") in _TITLE_WORDS:
        lo -= 1
    if lo > floor and toks[lo - 1].low == "the" and m.type != "person":
        lo -= 1  # ``the AFL``
    return lo


_TITLE_WORDS = frozenset("mr mrs ms miss dr sir lord lady dame prof professor president prime minister "
                         "chancellor secretary general gen senator governor judge mayor chief "
                         "ambassador rev reverend father king queen prince princess".split())


def _description(toks: list[Tok], j: int, mentions: tuple[Mention, ...], floor: int) -> Found | None:
    head = toks[j].low
    if not toks[j].text[0].isalpha():
        return None
    lo, joined = j, -1
    while lo > floor and j - lo < MAX_DESCRIPTION:
        prev = toks[lo - 1]
        if prev.low == "and" and joined < 0:
            joined = lo  # ``the work and pensions minister``: kept only if a determiner opens it
        elif prev.is_quote or prev.text in OPENERS or not prev.text[0].isalnum():
            break
        if prev.low in cues.SPEECH_VERBS or prev.low in cues.FINITE or prev.low in _STOPS:
            break
        lo -= 1
        if prev.low in cues.DETERMINERS:
            break
    if joined >= 0 and toks[lo].low not in cues.DETERMINERS:
        lo = joined
    first = toks[lo].low
    if lo > floor and toks[lo - 1].text not in OPENERS and not toks[lo - 1].is_quote and first not in cues.DETERMINERS:
        return None
    named_from = lo + 1 if first == "the" else lo
    if named_from <= j and j - named_from < 6 and toks[named_from].text[:1].isupper() and toks[j].text[:1].isupper() \
            and all(toks[k].text[:1].isupper() or toks[k].low in ("of", "for", "and") for k in range(named_from, j + 1)):
        return Found(named_from, j + 1, "name")  # a name the recogniser missed
    opened = lo == floor or toks[lo - 1].text in OPENERS or toks[lo - 1].is_quote
    described = (is_head(head) or cues.PERSON_DESCRIPTIONS.match(head)
                 or (head in PLURAL_SOURCES) or (opened and first in cues.DETERMINERS and j > lo))
    if described and (first in cues.DETERMINERS or head in PLURAL_SOURCES or toks[lo].text[0].isupper()
                      or is_head(head)):
        return Found(lo, j + 1, "description")
    return None


_STOPS = frozenset("who which that whom whose what to of in on at for with by from".split()) - {"of", "for"}


def is_head(word: str) -> bool:
    w = word.lower()
    heads = cues.ROLE_HEADS | cues.ORG_HEADS
    return (w in heads or (w.endswith("s") and w[:-1] in heads)
            or (w.endswith("ies") and w[:-3] + "y" in heads))


def _apposition(toks: list[Tok], comma: int, mentions: tuple[Mention, ...], floor: int) -> Found | None:
    """``Smith, the chief executive, said``, ``Smith, who ..., said``, ``Pryor, 34, from Hensby,
    Wiltshire, said``: the person or organisation before the commas."""
    k = comma - 1
    while k >= floor and comma - k <= MAX_APPOSITION:
        t = toks[k]
        if t.is_quote or t.text in ".;:":
            return None
        if t.text == "," and k - 1 >= floor:
            found = _noun_phrase(toks, k - 1, mentions, floor)
            if found and (found.kind == "pronoun" or (found.mention is not None and found.mention.type != "place")):
                return found
            if found and found.kind == "description" and found.lo > floor and toks[found.lo - 1].text != ",":
                inner = toks[k + 1].low
                if inner in cues.DETERMINERS or inner in ("who", "whose", "which") or is_head(inner):
                    return found if found.hi - found.lo <= 4 else None
        k -= 1
    return None


def after(toks: list[Tok], i: int, mentions: tuple[Mention, ...]) -> Found | None:
    """The speaker just after the verb at ``toks[i]`` (``said Mr Brown.``), when a comma, the
    end of the sentence or a phrase of setting follows it; None otherwise."""
    j = i + 1
    n = len(toks)
    if j >= n or toks[j].is_quote:
        return None
    lo = j
    while j < n and toks[j].low.rstrip(".") in _TITLE_WORDS and toks[j].text[:1].isupper():
        j += 1
    m = _mention_from(mentions, toks[j]) if j < n else None
    if m is None:
        k = _past_role(toks, j)  # ``said chief executive officer John Maddox``, ``said the ABA``
        m = _mention_from(mentions, toks[k]) if k < n else None
        if m is not None:
            j = k
    if m:
        hi = j
        while hi < n and toks[hi].end <= m.end:
            hi += 1
        if hi + 2 < n and toks[hi].text == "(" and toks[hi + 2].text == ")":
            hi += 3  # ``says the Institute of Harbours (IOH).``
        tail = hi
        while tail < n and tail - hi < 3 and toks[tail].text[:1].islower() and is_head(toks[tail].low):
            tail += 1  # ``reported AP news agency``
        if tail > hi and _ends_phrase(toks, tail):
            return Found(lo, tail, "name", m)
        if _ends_phrase(toks, hi):
            return Found(lo, hi, "name", m)
        if hi < n and toks[hi].low in ("of", "for", "at", "from") or (hi < n and toks[hi].text == ","):
            return Found(lo, hi, "name", m)
        return None
    if toks[lo].low in cues.PRONOUNS and _ends_phrase(toks, lo + 1):
        return Found(lo, lo + 1, "pronoun")
    hi = lo
    while hi < n and hi - lo < MAX_DESCRIPTION + 4 and not _ends_phrase(toks, hi):
        if toks[hi].is_quote or toks[hi].low in cues.FINITE or toks[hi].low in ("that", "who", "which"):
            return None
        hi += 1
    if hi == lo or hi - lo > MAX_DESCRIPTION + 3:
        return None
    words = toks[lo:hi]
    heads = [t for t in words if t.low not in ("of", "for", "the", "a", "an", "at")]
    if not heads:
        return None
    if words[0].low in cues.DETERMINERS or words[0].low in PLURAL_SOURCES or is_head(words[0].low) \
            or any(is_head(t.low) for t in words):
        return Found(lo, hi, "description")
    return None


def role_start(toks: list[Tok], lo: int) -> int:
    """Where the role before a name begins (``Velta's chief executive Dana Reyes``,
    ``Green party foreign affairs spokesman Ewan Lockhart``), when a role head is
    among its words or they are all capitalised (``Will`` of ``Will Ames``); ``lo`` otherwise."""
    k, head, capitals = lo, False, True
    while k > 0 and lo - k < MAX_ROLE_WORDS:
        t = toks[k - 1]
        if t.is_quote or not t.text[:1].isalnum() or (t.text[:1].islower() and (
                t.low in cues.FINITE or t.low in cues.SPEECH_VERBS)):
            break
        if not (t.text[:1].isupper() or is_head(t.low) or t.low in ROLE_WORDS):
            break
        head = head or is_head(t.low)
        capitals = capitals and t.text[:1].isupper()
        k -= 1
    return k if head or capitals else lo  # capitals only: the given name the recogniser left out


def _past_role(toks: list[Tok], j: int) -> int:
    """Past ``the`` and the lower-case words of a role before a name (``chief executive
    officer``), at most :data:`ROLE_BEFORE_NAME` of them; ``j`` when there are none."""
    k = j
    if k < len(toks) and toks[k].low == "the":
        k += 1
    while k < len(toks) and k - j < ROLE_BEFORE_NAME and toks[k].text[:1].islower() and (
            is_head(toks[k].low) or toks[k].low in ROLE_WORDS):
        k += 1
    return k


def _ends_phrase(toks: list[Tok], k: int) -> bool:
    if k >= len(toks):
        return True
    t = toks[k]
    return t.text in ".,;:!?—–)" or t.is_quote or (t.low in ("in", "on", "at", "last", "yesterday", "today",
                                                            "adding", "saying", "when", "after", "before",
                                                            "during", "while", "as") and k > 0)
