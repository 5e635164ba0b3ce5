"""What kind of speaker a mention is, by what the article says around it.

Recognition types a name by the name; a speaker is a person or an
organisation, and the article's own words often say which: ``the agrochemical
giant Brunmark``, ``Velta's chief executive``, ``Velta shares rose``.
:func:`is_organisation` tells from a name's occurrences whether such words
show it to be an organisation, whatever recognition made of it; the evidence
itself is the recogniser's (:mod:`reader.core.entities.companies`), so both read
an article alike. :mod:`.refer` takes such names as organisations when it looks
for what ``it`` or ``the company`` stands for.
"""

from __future__ import annotations

from collections.abc import Iterable

from reader.core.entities.companies import named_organised, organised_at
from reader.core.model import Mention


def is_organisation(occurrences: Iterable[tuple[str, Mention]]) -> bool:
    """Whether the words around one of a name's occurrences (each its passage's text and the
    mention) show it to be an organisation. A name of several words only by its last word
    (``Ardent Studios``): a person's full name is rarely a company's, and reading the words
    around every one of them would cost more than it finds."""
    return any(m.type == "organization" or named_organised(m.text)
               or (" " not in m.text and organised_at(text, m.start, m.end, m.type == "person"))
               for text, m in occurrences)
