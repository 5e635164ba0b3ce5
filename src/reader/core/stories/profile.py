"""What an article offers for grouping it: its words, its names, its date.

A profile holds raw counts (a word of the headline counts :data:`TITLE_REPEAT`
times, the lead's words :data:`LEAD_REPEAT` times); rarity is applied when two
profiles are compared, from the document frequencies the story book keeps, so
a profile stored once stays right as the corpus grows.
"""

from __future__ import annotations

import math
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from reader.core.model import Article

TITLE_REPEAT = 3
"""A headline word counts as this many words of the body (it names the event)."""
LEAD_REPEAT = 2
"""A word of the first :data:`LEAD_PASSAGES` passages counts this many times."""
LEAD_PASSAGES = 2
"""The lead: where a report says what happened, where and when."""
MAX_KEYS = 120
"""Keys kept per article (the rest add little to a cosine and cost storage)."""
NAME_PREFIX = "e:"
"""Keys of names (normalised mention forms) start with this; words have none."""


@dataclass(frozen=True)
class Profile:
    """One article as the story book sees it."""

    article: str
    title: str
    date: str | None
    site: str | None
    counts: dict[str, float]
    """Key -> raw weight: word stems, and ``e:`` + a normalised name."""


_WORDS = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*")
"""Words as the search analyzer cuts them (numbers with their separators kept whole)."""


@lru_cache(maxsize=1 << 17)
def _form(low: str) -> str:
    """A lower-case word as the index has it (respelt, stemmed); "" when it is no
    content word (a stop word, a number, under three letters). Cached: the same
    words come back in every article."""
    from reader.core.search.analyzer import analyzer  # Whoosh: only when an article is placed
    forms = [t.text for t in analyzer()(low)]
    w = forms[0] if len(forms) == 1 else ""
    return w if len(w) > 2 and not w[0].isdigit() else ""


def words(text: str) -> list[str]:
    """Stems of the content words (no stop words, no numbers, no one-letter words):
    the search analyzer's, each distinct word analysed once."""
    return [w for w in map(_form, _WORDS.findall(text.lower())) if w]


def make_profile(article: Article) -> Profile:
    """The profile of an analysed article (mentions recognised)."""
    from reader.core import entities
    normalise = entities.normalise_name

    def keys(text: str, mentions) -> list[str]:
        return words(text) + [NAME_PREFIX + form for m in mentions if (form := normalise(m.text))]

    lead: list[str] = []
    rest: list[str] = []
    for p in article.passages:
        (lead if p.n < LEAD_PASSAGES else rest).extend(keys(p.text, p.mentions))
    # one count of every key, each said as many times as it weighs (a key's first
    # appearance, and so its place among equals, as in the text)
    counts = Counter(keys(article.title, article.title_mentions) * TITLE_REPEAT + lead * LEAD_REPEAT + rest)
    # damped counts: a word said ten times is not ten times the evidence
    log = math.log
    return Profile(article.id, article.title, article.date, article.site,
                   {k: 1.0 + log(c) for k, c in counts.items()})


def packed_profile(article: Article) -> bytes:
    """The counts of :func:`make_profile`, as :func:`pack_counts` keeps them: what
    the analysis hands the story book with the article (the profile is the
    article's alone; only placing it needs the rest of the corpus)."""
    return pack_counts(make_profile(article).counts)


def day_number(iso: str | None) -> int | None:
    """Days since year 1 of an ISO date (its first ten characters), None when there is none."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def pack_counts(counts: Mapping[str, float]) -> bytes:
    """Weights as stored: the keys (a NUL between two), then the values as
    little-endian 32-bit floats, compressed."""
    keys = "\0".join(counts).encode("utf-8")
    values = array("f", counts.values())
    if sys.byteorder == "big":
        values.byteswap()
    return zlib.compress(len(keys).to_bytes(4, "little") + keys + values.tobytes(), 1)


def unpack_counts(blob: bytes) -> dict[str, float]:
    """:func:`pack_counts` undone."""
    return dict(_unpacked(blob))


def _unpacked(blob: bytes):
    """The (key, weight) pairs :func:`pack_counts` packed, in their order."""
    raw = zlib.decompress(blob)
    n = int.from_bytes(raw[:4], "little")
    if not n:
        return iter(())
    values = array("f")
    values.frombytes(raw[4 + n:])
    if sys.byteorder == "big":
        values.byteswap()
    return zip(raw[4:4 + n].decode("utf-8").split("\0"), values.tolist())


def as_stored(vec: Mapping[str, float]) -> dict[str, float]:
    """The weights as :func:`unpack_counts` gives them back (32-bit floats): what
    is kept in memory is what a later read finds."""
    return dict(zip(vec, array("f", vec.values()).tolist()))


def idf_of(n_articles: int, df: int) -> float:
    """Rarity of a key held by ``df`` of ``n_articles`` articles, smoothed (one
    added) so that, early in a stream, the words two articles share still count."""
    return math.log((n_articles + 1) / (df + 1)) + 1.0
