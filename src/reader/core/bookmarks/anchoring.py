"""Finding a bookmark's quote again after the corpus or the cleaner changed.

The steps, cheapest first, stopping at the first that succeeds:

1. the saved article and passage number still hold the exact quote: *anchored*;
2. the exact quote is elsewhere in the saved article; its prefix/suffix
   context (W3C TextQuoteSelector) picks among several places: *moved*;
3. a fuzzy match (rapidfuzz) above :data:`FUZZY_THRESHOLD` in that article: *moved*;
4. steps 2-3 in the other articles with the same file, title or source
   address (the article id changed or vanished): *moved*;
5. otherwise *orphan*: the bookmark is kept and listed, never dropped.

Only the bookmark's own article is read in the common case; the wider lookup
(step 4) is built once per articles mapping and only when needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, utils

from reader.core.model import Article, Passage

if TYPE_CHECKING:
    from reader.core.bookmarks.store import Bookmark

ANCHORED, MOVED, ORPHAN = "anchored", "moved", "orphan"
FUZZY_THRESHOLD = 80.0
"""Lowest rapidfuzz score (0-100) at which a changed quote counts as found."""
_SHORT_QUOTE = 24
"""Quotes shorter than this are fuzzy-matched together with their context."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a bookmark's quote stands in the current corpus."""

    state: str
    """``anchored`` (where it was saved), ``moved`` (found elsewhere or changed) or ``orphan``."""
    article: str | None
    """Id of the article it anchors in now (None for an orphan)."""
    passage: int | None
    """Number of the passage it anchors in now (None for an orphan)."""
    score: float
    """100 for an exact match, the rapidfuzz score for a fuzzy one, 0 for an orphan."""

    def to_json(self) -> dict[str, object]:
        return {"article": self.article, "passage": self.passage, "score": round(self.score, 1)}


class ArticleLookup:
    """Articles by file path, title and source address: where a lost id is looked for."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self.articles = articles
        self.size = len(articles)
        self._keys: dict[tuple[str, str], list[str]] = defaultdict(list)
        for article in articles.values():
            for key in _keys(article.path, article.title, article.source):
                self._keys[key].append(article.id)

    def related(self, bm: Bookmark) -> list[Article]:
        """Articles sharing the bookmark's file, title or source, its own id excluded."""
        seen: dict[str, Article] = {}
        for key in _keys(bm.path, bm.title, bm.source):
            for article_id in self._keys.get(key, ()):
                article = self.articles.get(article_id)
                if article is not None and article_id != bm.article:
                    seen.setdefault(article_id, article)
        return list(seen.values())


def anchor(bm: Bookmark, articles: Mapping[str, Article], *,
           lookup: ArticleLookup | None = None) -> Anchor:
    """Re-anchor one bookmark in ``articles`` (id -> Article); never raises for a lost one."""
    home = articles.get(bm.article)
    best = 0.0
    if home is not None:
        found = _at_saved_place(bm, home) or _exact(bm, [home])
        if found:
            return found
        found, best = _fuzzy(bm, [home])
        if found:
            return found
    others = (lookup or _cached_lookup(articles)).related(bm)
    if others:
        found = _exact(bm, others)
        if found:
            return found
        found, score = _fuzzy(bm, others)
        if found:
            return found
        best = max(best, score)
    return Anchor(ORPHAN, None, None, best)


def anchor_all(bookmarks: Iterable[Bookmark], articles: Mapping[str, Article]) -> dict[str, Anchor]:
    """Re-anchor many bookmarks at once: bookmark id -> :class:`Anchor`."""
    lookup: list[ArticleLookup] = []

    def shared() -> ArticleLookup:
        if not lookup:
            lookup.append(ArticleLookup(articles))
        return lookup[0]

    result = {}
    for bm in bookmarks:
        home = articles.get(bm.article)
        quick = _at_saved_place(bm, home) if home is not None else None
        result[bm.id] = quick or anchor(bm, articles, lookup=shared())
    return result


def _at_saved_place(bm: Bookmark, article: Article) -> Anchor | None:
    """Step 1: the saved passage number still holds the exact quote."""
    passage = _passage(article, bm.passage)
    if passage is not None and bm.quote in passage.text:
        return Anchor(ANCHORED, article.id, passage.n, 100.0)
    return None


def _exact(bm: Bookmark, articles: Sequence[Article]) -> Anchor | None:
    """Step 2: the exact quote anywhere; the context decides among several places."""
    if not bm.quote:
        return None
    hits = [(art, p, i) for art in articles for p in art.passages for i in _find_all(p.text, bm.quote)]
    if not hits:
        return None

    def rank(hit: tuple[Article, Passage, int]) -> tuple[float, bool, int]:
        art, p, i = hit
        return (_context_score(bm, art, p, i), art.id == bm.article, -abs(p.n - bm.passage))

    art, p, _ = max(hits, key=rank)
    return Anchor(_state(bm, art.id, p.n), art.id, p.n, 100.0)


def _fuzzy(bm: Bookmark, articles: Sequence[Article]) -> tuple[Anchor | None, float]:
    """Step 3: the best fuzzy match above the threshold, and its score (0 if none)."""
    needle = bm.quote if len(bm.quote) >= _SHORT_QUOTE else bm.prefix + bm.quote + bm.suffix
    needle = utils.default_process(needle)
    if not needle:
        return None, 0.0
    best: tuple[float, bool, int] = (0.0, False, 0)
    where: tuple[str, int] | None = None
    for art in articles:
        for p in art.passages:
            score = _similarity(needle, utils.default_process(p.text), FUZZY_THRESHOLD)
            rank = (score, art.id == bm.article, -abs(p.n - bm.passage))
            if rank > best:
                best, where = rank, (art.id, p.n)
    if where is None or best[0] < FUZZY_THRESHOLD:
        return None, best[0]
    return Anchor(MOVED, where[0], where[1], best[0]), best[0]


def _similarity(needle: str, text: str, cutoff: float) -> float:
    """How well ``text`` holds ``needle`` (0-100; under ``cutoff`` it is 0).

    A passage clearly longer than the quote may hold it as a part (partial
    ratio); one of about its length or shorter is compared whole (cheaper,
    and a short passage then cannot "match" inside a long quote).
    """
    if len(text) > len(needle) * 1.1:
        return fuzz.partial_ratio(needle, text, score_cutoff=cutoff)
    return fuzz.ratio(needle, text, score_cutoff=cutoff)


def _context_score(bm: Bookmark, article: Article, passage: Passage, i: int) -> float:
    """How well the article's text around position ``i`` of ``passage`` matches
    the saved prefix and suffix (which may reach into the passages around it)."""
    before = context_before(article, passage.n, i, len(bm.prefix))
    after = context_after(article, passage.n, i + len(bm.quote), len(bm.suffix))
    return fuzz.ratio(bm.prefix, before) + fuzz.ratio(bm.suffix, after)


def _state(bm: Bookmark, article_id: str, n: int) -> str:
    return ANCHORED if (article_id == bm.article and n == bm.passage) else MOVED


def _passage(article: Article, n: int) -> Passage | None:
    """Passage number ``n`` (numbers usually equal positions; check before scanning)."""
    if 0 <= n < len(article.passages) and article.passages[n].n == n:
        return article.passages[n]
    return next((p for p in article.passages if p.n == n), None)


def _find_all(text: str, quote: str, limit: int = 50) -> list[int]:
    """Start offsets of ``quote`` in ``text`` (at most ``limit``)."""
    found, i = [], text.find(quote)
    while i >= 0 and len(found) < limit:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _keys(path: str | None, title: str | None, source: str | None) -> list[tuple[str, str]]:
    keys = []
    if path:
        keys.append(("path", path.replace("\\", "/")))
    if title and title.strip():
        keys.append(("title", " ".join(title.casefold().split())))
    if source:
        keys.append(("source", source.strip()))
    return keys


_CACHE: list[ArticleLookup] = []


def _cached_lookup(articles: Mapping[str, Article]) -> ArticleLookup:
    """The lookup of the last mapping seen, rebuilt when another (or a resized) one comes.

    The cache holds the mapping itself, so its id cannot be reused by another.
    """
    if _CACHE and _CACHE[0].articles is articles and _CACHE[0].size == len(articles):
        return _CACHE[0]
    _CACHE[:] = [ArticleLookup(articles)]
    return _CACHE[0]


PASSAGE_BREAK = "\n\n"


def context_before(article: Article, passage_n: int, i: int, width: int) -> str:
    """The ``width`` characters of the article before offset ``i`` of passage
    ``passage_n``, reaching into the passages before it when needed."""
    if width <= 0:
        return ""
    parts: list[str] = []
    for p in article.passages:
        if p.n == passage_n:
            parts.append(p.text[:i])
            break
        parts.append(p.text + PASSAGE_BREAK)
    return "".join(parts)[-width:]


def context_after(article: Article, passage_n: int, i: int, width: int) -> str:
    """The ``width`` characters of the article after offset ``i`` of passage
    ``passage_n``, reaching into the passages after it when needed."""
    if width <= 0:
        return ""
    out, started = "", False
    for p in article.passages:
        if p.n == passage_n:
            out, started = p.text[i:], True
        elif started:
            out += PASSAGE_BREAK + p.text
        if started and len(out) >= width:
            break
    return out[:width]
