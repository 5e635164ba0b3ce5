"""What the words around a name say of it being an organisation (a company most often).

A name's own words rarely tell a company from a person (``Brunmark``,
``Velta``), but an article's words around it often do: ``the agrochemical
giant Brunmark``, ``the Titan corporation``, ``Titan, a California-based
company,``, ``Velta's chief executive``, ``Velta shares rose``, ``shares in
Velta``, ``Halvor senior vice president``, ``a spokesman for Velta``.
:func:`organised_at` reads one occurrence; recognition types a name an
organisation for the whole article when one occurrence says so
(:mod:`reader.core.entities.mentions`), and the quote finder asks the same
evidence of a speaker (:mod:`reader.core.quotes.kinds`).
"""

from __future__ import annotations

import functools
import re

COMPANY_NOUNS = frozenset("""
company companies firm group corporation conglomerate carmaker maker manufacturer retailer airline
operator giant chain producer supplier rival subsidiary multinational bank insurer lender broadcaster
publisher brewer miner developer distributor carrier utility conglomerate label band newspaper
magazine charity watchdog regulator
""".split())
"""Nouns that, right before a name (``giant Brunmark``, ``rival Corvex``) or after it in an
apposition (``Titan, a California-based company``), say the name is a company's."""

AFTER_NAME = frozenset("company firm group corporation shares stock shareholders".split())
"""Words that, right after a name (``the Titan corporation``, ``Velta shares``), make it a company's."""

OWNED = frozenset("""
shares stock shareholders employees workforce headquarters subsidiary subsidiaries board profits
profit revenue revenues sales customers products brands takeover stores factories plants chairman
website users subscribers software executives investors operations division
""".split())
"""What a company has: ``Velta's chief executive``, ``Titan's shareholders``."""

EMPLOYER_ROLES = frozenset("executive director chairman chairwoman president boss ceo "
                           "striker midfielder defender goalkeeper keeper winger manager".split())
"""Roles whose holder works for what the name before them names (``Halvor senior vice president``,
``Dunmore striker``: a club)."""

ROLE_MODIFIERS = frozenset("senior vice chief managing deputy group finance financial operating general "
                           "assistant acting former executive".split())
"""Words that may stand between a name and an employer role (``Velta chief executive``)."""

NAME_ENDINGS = frozenset("""
studios studio records films pictures productions entertainment games software systems technologies
inc ltd plc llc corp co group holdings partners associates airlines airways motors foods bank
railways railway telecom telecoms communications pharmaceuticals electronics petroleum steel
research international consulting capital media energy oil insurance networks labs laboratories
solutions enterprises ventures investments resources mining
""".split())
"""Last words of a name that make it an organisation's (``Ardent Studios``, ``Halvor Foods``,
``Corvex Research``, ``Velta International``)."""

OF_HOLDINGS = re.compile(r"(?:\b(?:shares|stake|stakes|shareholding|investment|investors|shareholders)\s+in"
                         r"|\b(?:spokesman|spokeswoman|spokesperson|shareholders|takeover|bid|buy-out|buyout)\s+(?:for|of)"
                         r"|\b(?:executives?|employees|staff|workers|managers?|directors|chairman|boss|bosses|"
                         r"shareholders|owners)\s+(?:of|at|for)"
                         r"|\b(?:companies|firms|groups|brands|carmakers|retailers|airlines|banks)\s+(?:including|such\s+as|like))"
                         r"\s+(?:the\s+)?$", re.I)
"""Words before a name that make it a company's: ``shares in Velta``, ``a spokesman for Titan``,
``the chief executive of Halvor``, ``executives at Velta``, ``companies including Titan``."""

BUSINESS_AFTER = re.compile(r"\s+(?:has\s+|had\s+)?(?:said|reported|posted|announced|made|recorded|unveiled|warned\s+of)"
                            r"\s+(?:that\s+)?(?:its\s+|a\s+|an\s+)?(?:[\w%.,-]+\s+){0,3}?"
                            r"(?:profits?|losses|sales|revenues?|earnings|turnover|dividends?)\b")
"""Verbs of business after a name: ``Velta said profits rose``, ``Titan reported a 5% rise in sales``."""

ROLE_REACH = 3
"""Words between a name and an employer role (``Halvor senior vice president``)."""
APPOSITION_REACH = 5
"""Words of an apposition searched for a company noun (``Titan, a California-based company,``)."""
_WORD = re.compile(r"[A-Za-z][\w\-]*")
_HOLDING_ENDS = (" in", " for", " of", " at", " the", " as", " like", " including",
                 " In", " For", " Of", " At", " The")
_BUSINESS_VERBS = frozenset("has had said reported posted announced made recorded unveiled warned".split())
"""First words of :data:`BUSINESS_AFTER` (the pattern is tried only after one)."""
_APPOSITION_HEAD_END = frozenset("of behind that which whose with".split())


def named_organised(name: str) -> bool:
    """A name of several words whose last word is a company's (``Ardent Studios``)."""
    words = name.split()
    return len(words) > 1 and words[-1].lower().rstrip(".") in NAME_ENDINGS


def organised_at(text: str, start: int, end: int, person: bool = False) -> bool:
    """Whether the words around ``text[start:end]`` show the name there to be an organisation's.
    ``person``: the name was typed a person, so ``the Titan corporation`` is read as a company's
    too (a place's ``X company`` is more often a company of the place)."""
    if start > 1 and text[start - 1] == " ":
        left = text[max(0, start - 40):start - 1]
        before = left.rsplit(None, 1)[-1:]
        if before and (before[0] in COMPANY_NOUNS  # lower-case only: ``giant Brunmark``
                       or (before[0].endswith(",") and _company_noun(before[0][:-1]))):  # ``airline, Velta``
            return True
        if left.endswith(_HOLDING_ENDS) and _holding(left):
            return True
    rest = text[end:end + 60]
    if rest[:1] == ",":
        return _company_apposition(rest)
    possessive = rest[:2] in ("'s", "’s")
    if possessive:
        rest = rest[2:]
    if not rest[:1].isspace():
        return False
    words = _WORD.findall(rest)
    if not words:
        return False
    first = words[0].lower()
    if possessive:
        pair = " ".join(w.lower() for w in words[:2])
        return first in OWNED or pair == "chief executive" or (
            len(words) > 1 and words[1].lower() in OWNED and words[0][:1].islower())
    if first in AFTER_NAME and (person or first in ("shares", "shareholders", "stock")):
        return True
    if first in _BUSINESS_VERBS and BUSINESS_AFTER.match(rest):
        return True
    for w in words[:ROLE_REACH + 1]:
        low = w.lower()
        if not w[:1].islower():
            return False
        if low in EMPLOYER_ROLES:
            return True
        if low not in ROLE_MODIFIERS:
            return False
    return False


def _holding(left: str) -> bool:
    """:data:`OF_HOLDINGS` before a name, read in the last words before it: a match holds four
    at most (``companies such as the``), so the words before them change nothing (cached)."""
    parts = left.rsplit(None, 4)
    return _holding_words(left[len(parts[0]):].lstrip() if len(parts) > 4 else left)


@functools.lru_cache(maxsize=1 << 14)
def _holding_words(words: str) -> bool:
    return OF_HOLDINGS.search(words + " ") is not None


def _company_apposition(rest: str) -> bool:
    """``, a California-based company,``: an apposition whose head is a company noun."""
    inner = rest[1:].split(",", 1)[0]
    words = [w.lower() for w in _WORD.findall(inner)]
    if not words or words[0] not in ("a", "an", "the"):
        return False
    head = next((i for i, w in enumerate(words) if w in _APPOSITION_HEAD_END), len(words))
    return head <= APPOSITION_REACH and head > 1 and _company_noun(words[head - 1])


def _company_noun(word: str) -> bool:
    """A company noun (``airline``), or a maker of something (``carmaker``, ``drugmaker``)."""
    return word in COMPANY_NOUNS or (word.endswith("maker") and word[:1].islower())


__all__ = ["organised_at", "named_organised", "COMPANY_NOUNS", "AFTER_NAME", "OWNED", "EMPLOYER_ROLES",
           "ROLE_MODIFIERS", "NAME_ENDINGS", "OF_HOLDINGS", "BUSINESS_AFTER"]
