"""What an article offers for grouping it: its words, its names, its date.

A profile holds raw counts (a word of the headline counts :data:`TITLE_REPEAT`
times, the lead's words :data:`LEAD_REPEAT` times); rarity is applied when two
profiles are compared, from the document frequencies the story book keeps, so
a profile stored once stays right as the corpus grows.
"""

from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

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


def _words(text: str) -> list[str]:
    """Stems of the content words (no stop words, no numbers, no one-letter words)."""
    from reader.core.search.analyzer import analyzer  # Whoosh: only when an article is placed
    return [t.text for t in analyzer()(text) if len(t.text) > 2 and not t.text[0].isdigit()]


def make_profile(article: Article) -> Profile:
    """The profile of an analysed article (mentions recognised)."""
    from reader.core import entities
    counts: Counter[str] = Counter()
    for w in _words(article.title):
        counts[w] += TITLE_REPEAT
    for m in article.title_mentions:
        if (form := entities.normalise_name(m.text)):
            counts[NAME_PREFIX + form] += TITLE_REPEAT
    for p in article.passages:
        repeat = LEAD_REPEAT if p.n < LEAD_PASSAGES else 1
        for w in _words(p.text):
            counts[w] += repeat
        for m in p.mentions:
            if (form := entities.normalise_name(m.text)):
                counts[NAME_PREFIX + form] += repeat
    # damped counts: a word said ten times is not ten times the evidence
    return Profile(article.id, article.title, article.date, article.site,
                   {k: 1.0 + math.log(c) for k, c in counts.items()})


def norms(vec: Mapping[str, float]) -> tuple[float, float]:
    """Euclidean norms of the word part and of the name part of a weighted profile."""
    w = n = 0.0
    for k, v in vec.items():
        if k.startswith(NAME_PREFIX):
            n += v * v
        else:
            w += v * v
    return math.sqrt(w), math.sqrt(n)


def cosines(a: Mapping[str, float], b: Mapping[str, float],
            norms_a: tuple[float, float] | None = None,
            norms_b: tuple[float, float] | None = None) -> tuple[float, float]:
    """Cosine of the word parts and of the name parts of two weighted profiles
    (their :func:`norms` may be given when known)."""
    dw = dn = 0.0
    for k in a.keys() & b.keys():
        if k.startswith(NAME_PREFIX):
            dn += a[k] * b[k]
        else:
            dw += a[k] * b[k]
    na, nb = norms_a or norms(a), norms_b or norms(b)
    return (dw / (na[0] * nb[0]) if na[0] and nb[0] else 0.0,
            dn / (na[1] * nb[1]) if na[1] and nb[1] else 0.0)


def day_number(iso: str | None) -> int | None:
    """Days since year 1 of an ISO date (its first ten characters), None when there is none."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def pack_counts(counts: Mapping[str, float]) -> bytes:
    """Counts as stored: compressed JSON."""
    return zlib.compress(json.dumps({k: round(v, 3) for k, v in counts.items()}).encode("utf-8"), 1)


def unpack_counts(blob: bytes) -> dict[str, float]:
    return json.loads(zlib.decompress(blob))


def idf_of(n_articles: int, df: int) -> float:
    """Rarity of a key held by ``df`` of ``n_articles`` articles, smoothed (one
    added) so that, early in a stream, the words two articles share still count."""
    return math.log((n_articles + 1) / (df + 1)) + 1.0
