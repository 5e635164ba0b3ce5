"""What kind of speaker a mention is, by what the article says around it.

Recognition types a name by the name; a speaker is a person or an
organisation, and the article's own words often say which: ``the agrochemical
giant Brunmark``, ``the Titan corporation``, ``Titan, a California-based
company,``, ``Velta's chief executive``, ``Velta shares rose``, ``Halvor
senior vice president``. :func:`is_organisation` tells from a name's
occurrences whether such words show it to be an organisation, whatever
recognition made of it; :mod:`.refer` takes such names as organisations when it looks for what
``it`` or ``the company`` stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.core.model import Mention

COMPANY_NOUNS = frozenset("""
company companies firm group corporation conglomerate carmaker maker manufacturer retailer airline
operator giant chain producer supplier rival subsidiary multinational bank insurer lender broadcaster
publisher brewer miner developer distributor
""".split())
"""Nouns that, right before a name (``giant Brunmark``, ``rival Corvex``) or after it in an
apposition (``Titan, a California-based company``), say the name is a company's."""

AFTER_NAME = frozenset("company firm group corporation shares stock shareholders".split())
"""Words that, right after a name (``the Titan corporation``, ``Velta shares``), make it a company's."""

OWNED = frozenset("""
shares stock shareholders employees workforce headquarters subsidiary subsidiaries board profits
profit revenue revenues sales customers products brands takeover stores factories plants chairman
""".split())
"""What a company has: ``Velta's chief executive``, ``Titan's shareholders``."""

EMPLOYER_ROLES = frozenset("executive director chairman chairwoman president boss ceo".split())
"""Roles whose holder works for what the name before them names (``Halvor senior vice president``)."""

ROLE_MODIFIERS = frozenset("senior vice chief managing deputy group finance financial operating general "
                           "assistant acting former executive".split())
"""Words that may stand between a name and an employer role (``Velta chief executive``)."""

NAME_ENDINGS = frozenset("""
studios studio records films pictures productions entertainment games software systems technologies
inc ltd plc llc corp co group holdings partners associates airlines airways motors foods bank
""".split())
"""Last words of a name that make it an organisation's (``Ardent Studios``, ``Halvor Foods``)."""

ROLE_REACH = 3
"""Words between a name and an employer role (``Halvor senior vice president``)."""
APPOSITION_REACH = 5
"""Words of an apposition searched for a company noun (``Titan, a California-based company,``)."""
_WORD = re.compile(r"[A-Za-z][\w\-]*")


def is_organisation(occurrences: Iterable[tuple[str, Mention]]) -> bool:
    """Whether the words around one of a name's occurrences (each its passage's text and the
    mention) show it to be an organisation. A name of several words only by its last word
    (``Ardent Studios``): a person's full name is rarely a company's, and reading the words
    around every one of them would cost more than it finds."""
    return any(m.type == "organization" or _named_organised(m.text)
               or (" " not in m.text and _looks_organised(text, m)) for text, m in occurrences)


def _named_organised(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and words[-1].lower().rstrip(".") in NAME_ENDINGS


def _looks_organised(text: str, m: Mention) -> bool:
    if m.start > 1 and text[m.start - 1] == " ":
        before = text[max(0, m.start - 30):m.start - 1].rsplit(None, 1)[-1:]
        if before and before[0] in COMPANY_NOUNS:  # lower-case only: ``giant Brunmark``
            return True
    rest = text[m.end:m.end + 60]
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
    if first in AFTER_NAME and (m.type == "person" or first in ("shares", "shareholders", "stock")):
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


def _company_apposition(rest: str) -> bool:
    """``, a California-based company,``: an apposition whose head is a company noun."""
    inner = rest[1:].split(",", 1)[0]
    words = _WORD.findall(inner)
    if not words or words[0].lower() not in ("a", "an", "the") or len(words) > APPOSITION_REACH:
        return False
    return words[-1].lower() in COMPANY_NOUNS
