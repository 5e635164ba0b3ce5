"""Finding names in an article's text, without a model.

Candidates are runs of capitalised words (with the lower-case particles that
join names: ``of``, ``bin``, ``de`` ...), dotted acronyms (``U.N.``) and
hyphenated names. A run is split at titles (``President``), demonyms
(``Armenian``), days and months, and possessives (``Pashinyan's`` gives
``Pashinyan``). A capitalised word that only starts a sentence is kept only
with evidence that it is a name. ALL-CAPS and Title Case headlines are not
trusted for capitals: there only names known from the article's body or the
gazetteer are marked. Each name is then typed by the evidence of
:func:`reader.core.cues.span_scores`, summed over the article, so a name
typed with confidence in one place keeps that type in the others.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import defaultdict
from dataclasses import dataclass

from reader.core.entities.cues import (NAME_PARTICLES, ORG_HEADS, ORG_JOINERS, PLACE, PLACE_HEADS, TITLES,
                                       article_types, best_type, is_acronym, span_scores)
from reader.core.entities.gazetteer import ACRONYMS, FUNCTION_WORDS, NON_ENTITY_WORDS, gazetteer
from reader.core.entities.keys import name_words, normalise_name
from reader.core.model import Article, Mention, Passage

_TOKEN = re.compile(
    r"(?P<acr>(?:[A-Z]\.){2,})"
    r"|(?P<word>(?:[a-z]{1,2}-)?[^\W\d_]\w*(?:[-'’](?=[^\W_])\w*)*(?:[?\ufffd](?=\s+[A-Z]))?)"
    r"|(?P<other>\S)")
_ABBREV = frozenset("mr mrs ms dr st gen lt col sgt capt rep sen gov jr sr prof rev no vs mt ft maj adm".split())
_SENTENCE_END = frozenset(".!?:;•·–—")
_OPENERS = frozenset("\"'“‘([«-*")
_JOINERS = NAME_PARTICLES | ORG_JOINERS
_UPPER_RATIO = 0.6
_UPPER = re.compile(r"[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_START = operator.attrgetter("start")
#: Last words of events and works, not of people, places or organisations.
EVENT_HEADS = frozenset("war cup games olympics prize award awards festival championship championships "
                        "day week hurricane storm typhoon cyclone".split())
_ADJECTIVE_ENDINGS = ("ist", "ists", "ism", "ic", "ics")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    kind: str  # "cap", "low", "punct"
    initial: bool = False  # starts a sentence


# What the loop of :func:`tokenise` does with one matched string: drop it (a
# lower-case word, ending a sentence start), keep it, or a punctuation mark.
_DROP, _KEEP, _END, _OPEN, _OTHER = range(5)
#: :func:`_token_info` of each string met, so each word is classified once (cleared when large).
_WORD_INFO: dict[str, tuple[int, str, str]] = {}
_WORD_INFO_MAX = 200_000


def _token_info(t: str) -> tuple[int, str, str]:
    """(what to do, text, kind) for one string matched by ``_TOKEN``; a pure function of it."""
    if len(t) == 1 and not _LETTER.match(t):  # the "other" group: words start with a letter
        return (_END if t in _SENTENCE_END else _OPEN if t in _OPENERS else _OTHER), t, "punct"
    if "." in t:  # the "acr" group: no word has a dot
        return _KEEP, t, "cap"
    if "-" in t and t.rsplit("-", 1)[1].islower() and t[:1].isupper():
        return _KEEP, t.rsplit("-", 1)[0], "cap"  # "NATO-led": the name is NATO
    core = t[3:] if t[:3].lower() in ("al-", "el-") else t
    kind = "cap" if core[:1].isupper() else "low"
    return (_KEEP if kind == "cap" or t in _JOINERS or t in _ABBREV else _DROP), t, kind


def tokenise(text: str) -> list[Tok]:
    """Words and punctuation, capitalised words marked, sentence starts found."""
    toks: list[Tok] = []
    boundary = True
    info = _WORD_INFO
    if len(info) > _WORD_INFO_MAX:
        info.clear()
    for m in _TOKEN.finditer(text):
        t = m.group()
        what = info.get(t)
        if what is None:
            what = info[t] = _token_info(t)
        act = what[0]
        if act == _DROP or act == _OTHER:  # other words only end a sentence start
            boundary = False
        elif act == _KEEP:
            start = m.start()
            word = what[1]
            toks.append(Tok(start, start + len(word), word, what[2], boundary))
            boundary = False
        elif act == _END:
            start = m.start()
            toks.append(Tok(start, start + 1, t, "punct"))
            if not boundary:
                prev = toks[-2] if len(toks) > 1 else None
                abbrev = prev is not None and prev.end == start and t == "." and (
                    normalise_name(prev.text) in _ABBREV or (len(prev.text) == 1 and prev.text.isupper()))
                boundary = not abbrev
    return toks


def _runs(toks: list[Tok]) -> list[list[Tok]]:
    """Maximal runs of capitalised words, joined by single spaces and name particles."""
    runs: list[list[Tok]] = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].kind != "cap":
            i += 1
            continue
        run = [toks[i]]
        j = i + 1
        while j < n:
            prev, t = run[-1], toks[j]
            gap = t.start - prev.end
            if t.kind == "cap" and gap == 1 and not prev.text.endswith(("'s", "’s")):
                run.append(t)
            elif (t.kind == "punct" and t.text == "." and gap == 0 and len(prev.text) == 1
                  and j + 1 < n and toks[j + 1].kind == "cap"):
                prev.end, prev.text = t.end, prev.text + "."  # an initial: "George W. Bush"
            elif (t.kind == "low" and gap == 1 and t.text in _JOINERS and j + 1 < n
                  and toks[j + 1].kind == "cap" and toks[j + 1].start - t.end == 1):
                run.append(t)
            elif (t.kind == "low" and t.text == "the" and gap == 1 and run[-1].text == "of"):
                run.append(t)
            else:
                break
            j += 1
        runs.append(run)
        i = j
    return runs


def _segments(run: list[Tok]) -> list[list[Tok]]:
    """Split a run at titles, demonyms, days and months, possessives and bad joins."""
    if len(run) == 1:  # most runs: what the loop below makes of a single capitalised word
        t = run[0]
        w = normalise_name(t.text)
        if (w in NON_ENTITY_WORDS and not (w == "may" and not t.initial)) or w in TITLES \
                or (w in FUNCTION_WORDS and "." not in t.text and (t.initial or w != "the")) \
                or w in gazetteer().demonyms:
            return []
        if t.text.endswith(("?", "\ufffd")):
            t.text, t.end = t.text[:-1], t.end - 1
        return [[t]]
    demonyms = gazetteer().demonyms
    two_word = _two_word_demonym_starts()
    segs: list[list[Tok]] = []
    cur: list[Tok] = []

    def flush() -> None:
        while cur and cur[-1].kind == "low":
            cur.pop()
        if cur:
            segs.append(cur.copy())
        cur.clear()

    for k, t in enumerate(run):
        w = normalise_name(t.text)
        if t.kind == "low":
            if w in NAME_PARTICLES and cur and k + 1 < len(run) and len(cur) <= 3:
                cur.append(t)
            elif w in ("of", "the", "for", "on", "and") and cur and _joins(cur, w):
                cur.append(t)
            else:
                flush()
            continue
        if w in NON_ENTITY_WORDS and not (w == "may" and not t.initial) \
                or (w in TITLES and not (cur and cur[-1].kind == "low") and not _title_is_name_part(cur, run, k)):
            flush()
            continue
        if not cur and w in FUNCTION_WORDS and "." not in t.text and (t.initial or w != "the"):
            continue  # "The European Union"; but "reported The Insider"
        if cur and (prev := normalise_name(cur[-1].text)) in two_word and f"{prev} {w}" in demonyms:
            cur.pop()  # "Sri Lankan"
            flush()
            continue
        if w in demonyms and not _demonym_is_name_part(cur, run, k):
            flush()
            continue
        if t.text.endswith(("?", "\ufffd")):
            if not (cur and k + 1 < len(run)):
                t.text, t.end = t.text[:-1], t.end - 1
        cur.append(t)
        if t.text.endswith(("'s", "’s")):
            flush()
    flush()
    return segs


@functools.lru_cache(maxsize=1)
def _two_word_demonym_starts() -> frozenset[str]:
    """The first words of the demonyms of two words (``sri`` of ``Sri Lankan``)."""
    return frozenset(k.split(" ", 1)[0] for k in gazetteer().demonyms if " " in k)


def _joins(cur: list[Tok], joiner: str) -> bool:
    """Whether ``of``/``for``/``on``/``and``/``the`` continues a name (``Ministry of Defense``)."""
    last = normalise_name(cur[-1].text)
    if joiner == "the":
        return last == "of"
    if joiner == "and":
        return len(cur) >= 2 and last in ORG_HEADS
    return last in ORG_HEADS or last in PLACE_HEADS or any(normalise_name(t.text) in ORG_HEADS for t in cur)


def _title_is_name_part(cur: list[Tok], run: list[Tok], k: int) -> bool:
    """``Prime Minister`` is a title; ``Security Council`` or ``Foreign Ministry`` are names."""
    # a title word inside an organisation's name: "Defense Ministry", "Justice Department"
    j = k + 1
    while j < len(run) and run[j].kind == "cap" and normalise_name(run[j].text) in TITLES:
        j += 1
    nxt = normalise_name(run[j].text) if j < len(run) else ""
    if nxt in ORG_HEADS:
        return True
    # run[k] is the capitalised title word itself
    return bool(cur) and normalise_name(run[k].text) in ("general", "state") and normalise_name(cur[-1].text) in ORG_HEADS


def _demonym_is_name_part(cur: list[Tok], run: list[Tok], k: int) -> bool:
    """``European Union``, ``Azerbaijani Ministry``: a demonym directly before one head word."""
    if cur and cur[-1].kind == "low":
        return True  # "Organization of American States"
    nxt = normalise_name(run[k + 1].text) if k + 1 < len(run) else ""
    after = normalise_name(run[k + 2].text) if k + 2 < len(run) else ""
    if nxt and f"{normalise_name(run[k].text)} {nxt}" in gazetteer().places:
        return True  # "Saudi Arabia"
    return (nxt in ORG_HEADS or nxt in PLACE_HEADS) and (after in ("", "of", "on", "for") or k + 2 >= len(run))


def _is_headline(text: str) -> bool:
    """ALL CAPS or Title Case: capitals say nothing about names there."""
    if len(text) > 120:  # a long sentence of names is no headline, unless it is ALL CAPS
        return text.isupper() and len(_UPPER.findall(text)) > _UPPER_RATIO * len(_LETTER.findall(text))
    upper, letters = len(_UPPER.findall(text)), len(_LETTER.findall(text))
    if letters >= 12 and upper > _UPPER_RATIO * letters:
        return True
    long_words = [w for w in re.findall(r"[^\W\d_]{4,}", text)[1:]]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) / len(long_words) > 0.8


@dataclass(slots=True)
class Candidate:
    where: int  # passage number, -1 for the title
    start: int
    end: int
    text: str
    key: str
    initial: bool
    scores: dict[str, float]


def _candidates(where: int, text: str) -> list[Candidate]:
    out = []
    for run in _runs(tokenise(text)):
        for seg in _segments(run):
            start, end = seg[0].start, seg[-1].end
            span = text[start:end]
            if span.endswith(("'s", "’s")):
                end -= 2
            elif span.endswith(("'", "’")):
                end -= 1
            span = text[start:end]
            key = _candidate_key(span)
            if key is not None:
                out.append(Candidate(where, start, end, span, key, seg[0].initial, span_scores(text, start, end)))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _candidate_key(span: str) -> str | None:
    """The key of a span that may be a name; None for one that is none whatever its context."""
    toks = name_words(span)
    if not toks or (all(w in FUNCTION_WORDS for w in toks) and "." not in span):
        return None
    if _DIGIT.search(span) or toks[-1] in EVENT_HEADS:
        return None
    if len(toks) == 1 and toks[0].endswith(_ADJECTIVE_ENDINGS) and not is_acronym(span) \
            and toks[0] not in gazetteer().places:
        return None  # "Islamist", "Olympic"
    return " ".join(toks)


class _Keys(set):
    """The article's names seen mid-sentence, and the last words of the longer ones."""

    def __init__(self, keys) -> None:
        super().__init__(keys)
        self.last_words = {k.rsplit(" ", 1)[1] for k in self if " " in k}


def _keep_initial(c: Candidate, mid_keys: _Keys, low_words: set[str]) -> Candidate | None:
    """A sentence's first word is a name only with evidence; else it is dropped."""
    g = gazetteer()
    toks = c.key.split()
    first = toks[0]
    known = (c.key in mid_keys or g.places.get(c.key, 0) >= 2
             or (len(toks) == 1 and first in mid_keys.last_words) or is_acronym(c.text)
             or c.text.replace(".", "").upper() in ACRONYMS)
    if known:
        return c
    if len(c.text.split()) == 1:
        return None
    rest_known = " ".join(toks[1:]) in mid_keys or (len(toks) == 2 and toks[-1] in mid_keys.last_words)
    if first in FUNCTION_WORDS or first in low_words or first.endswith(("ly", "ing")) or rest_known:
        cut = c.text.split(None, 1)
        if len(cut) < 2:
            return None
        off = c.text.index(cut[1])
        rest = cut[1]
        if rest.split()[0].lower() in FUNCTION_WORDS or not rest[:1].isupper():
            return None
        return Candidate(c.where, c.start + off, c.end, rest, " ".join(name_words(rest)), False, c.scores)
    return c


def headline_mentions(text: str, typer) -> list[tuple[int, int, str, str]]:
    """In a headline, the names ``typer(name) -> type or None`` knows: (start, end, text, type)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[\w’'.-]+", text)]
    out, i = [], 0
    while i < len(spans):
        for n in range(min(5, len(spans) - i), 0, -1):
            start, end = spans[i][0], spans[i + n - 1][1]
            piece = text[start:end].rstrip(".")
            if piece.endswith(("'s", "’s", "'S", "’S")):
                piece = piece[:-2]
            toks = name_words(piece)
            if not toks or toks[0] in FUNCTION_WORDS or toks[-1] in FUNCTION_WORDS:
                continue
            typ = typer(piece)
            if typ:
                out.append((start, start + len(piece), piece, typ))
                i += n
                break
        else:
            i += 1
    return out


def is_headline(text: str, kind: str) -> bool:
    """Whether capitals in this title or passage say nothing about names."""
    return (kind in ("title", "heading") or text.isupper()) and _is_headline(text)


def recognise_article(article: Article) -> Article:
    """A copy of the article with its mentions: names found, typed by the article's evidence."""
    texts = [(-1, article.title)] + [(p.n, p.text) for p in article.passages]
    kinds = {p.n: p.kind for p in article.passages}
    headlines = {w for w, t in texts if is_headline(t, kinds.get(w, "title"))}
    low_words: set[str] = set()
    cands: list[Candidate] = []
    for where, text in texts:
        if where in headlines:
            continue
        low_words.update(_LOWER_WORD.findall(text))
        cands.extend(_candidates(where, text))
    mid_keys = _Keys(c.key for c in cands if not c.initial)
    kept = [k for c in cands if (k := c if not c.initial else _keep_initial(c, mid_keys, low_words))]
    types = article_types(kept)
    found = list(kept)
    g = gazetteer()

    def typer(piece: str) -> str | None:
        key = " ".join(name_words(piece))
        return types.get(key) or (PLACE if g.places.get(key, 0) >= 3 else None)

    for where, text in texts:
        if where in headlines:
            found.extend(Candidate(where, s, e, t, "", False, {typ: 1.0}) for s, e, t, typ in headline_mentions(text, typer))
    by_where: dict[int, list[Mention]] = defaultdict(list)
    for c in found:
        typ = types.get(c.key) if c.key else None
        by_where[c.where].append(Mention(c.start, c.end, c.text, typ or best_type(c.scores)))
    for ms in by_where.values():
        ms.sort(key=_START)
    return article.with_(
        title_mentions=tuple(by_where.get(-1, ())),
        passages=tuple(Passage(p.n, p.kind, p.text, tuple(by_where.get(p.n, ()))) for p in article.passages))


__all__ = ["recognise_article", "tokenise", "article_types", "headline_mentions", "is_headline"]
