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

import re
from collections import defaultdict
from dataclasses import dataclass

from .cues import (NAME_PARTICLES, ORG, ORG_HEADS, PERSON, PLACE, PLACE_HEADS, TITLES, best_type,
                   is_acronym, span_scores, words)
from .gazetteer import ACRONYMS, FUNCTION_WORDS, NON_ENTITY_WORDS, gazetteer
from .model import Article, Mention, Passage

_TOKEN = re.compile(
    r"(?P<acr>(?:[A-Z]\.){2,})"
    r"|(?P<word>(?:[a-z]{1,2}-)?[^\W\d_](?:[\w]|[-'’](?=[^\W_]))*(?:[?\ufffd](?=\s+[A-Z]))?)"
    r"|(?P<other>\S)")
_ABBREV = frozenset("mr mrs ms dr st gen lt col sgt capt rep sen gov jr sr prof rev no vs mt ft gov maj adm".split())
_SENTENCE_END = frozenset(".!?:;•·–—")
_OPENERS = frozenset("\"'“‘([«-*")
_JOINERS = NAME_PARTICLES | {"of", "for", "on", "and", "the"}
_UPPER_RATIO = 0.6
_UPPER = re.compile(r"[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
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


def tokenise(text: str) -> list[Tok]:
    """Words and punctuation, capitalised words marked, sentence starts found."""
    toks: list[Tok] = []
    boundary = True
    for m in _TOKEN.finditer(text):
        t = m.group()
        if m.lastgroup == "other":
            if t in _SENTENCE_END:
                toks.append(Tok(m.start(), m.end(), t, "punct"))
                prev = toks[-2] if len(toks) > 1 else None
                abbrev = prev is not None and prev.end == m.start() and t == "." and (
                    prev.text.lower() in _ABBREV or (len(prev.text) == 1 and prev.text.isupper()))
                boundary = boundary or not abbrev
            elif t not in _OPENERS:
                boundary = False
            continue
        if m.lastgroup == "acr":
            kind = "cap"
        elif "-" in t and t.rsplit("-", 1)[1].islower() and t[:1].isupper():
            t = t.rsplit("-", 1)[0]  # "NATO-led": the name is NATO
            kind = "cap"
        else:
            core = t[3:] if t[:3].lower() in ("al-", "el-") else t
            kind = "cap" if core[:1].isupper() else "low"
        if kind == "cap" or t in _JOINERS or t in _ABBREV:  # other words only end a sentence start
            toks.append(Tok(m.start(), m.start() + len(t), t, kind, initial=boundary))
        boundary = False
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
    g = gazetteer()
    segs: list[list[Tok]] = []
    cur: list[Tok] = []

    def flush() -> None:
        while cur and cur[-1].kind == "low":
            cur.pop()
        if cur:
            segs.append(cur.copy())
        cur.clear()

    for k, t in enumerate(run):
        w = t.text.replace("’", "'").removesuffix("'s").strip(".").lower()
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
        if not cur and w in FUNCTION_WORDS and (t.initial or w != "the"):
            continue  # "The European Union"; but "reported The Insider"
        if cur and f"{cur[-1].text.lower()} {w}" in g.demonyms:
            cur.pop()  # "Sri Lankan"
            flush()
            continue
        if w in g.demonyms and not _demonym_is_name_part(cur, run, k):
            flush()
            continue
        if w.endswith("?") or w.endswith("\ufffd"):
            if not (cur and k + 1 < len(run)):
                t.text, t.end = t.text[:-1], t.end - 1
        cur.append(t)
        if t.text.endswith(("'s", "’s")):
            flush()
    flush()
    return segs


def _joins(cur: list[Tok], joiner: str) -> bool:
    """Whether ``of``/``for``/``on``/``and``/``the`` continues a name (``Ministry of Defense``)."""
    last = cur[-1].text.lower()
    if joiner == "the":
        return last == "of"
    if joiner == "and":
        return len(cur) >= 2 and last in ORG_HEADS
    return last in ORG_HEADS or last in PLACE_HEADS or any(t.text.lower() in ORG_HEADS for t in cur)


def _title_is_name_part(cur: list[Tok], run: list[Tok], k: int) -> bool:
    """``Prime Minister`` is a title; ``Security Council`` or ``Foreign Ministry`` are names."""
    rest = [t.text.lower() for t in run[k:] if t.kind == "cap"]
    # a title word inside an organisation's name: "Defense Ministry", "Justice Department"
    j = k + 1
    while j < len(run) and run[j].kind == "cap" and run[j].text.lower() in TITLES:
        j += 1
    nxt = run[j].text.lower().strip(".") if j < len(run) else ""
    if nxt in ORG_HEADS:
        return True
    return bool(cur) and rest and rest[0] in ("general", "state") and cur[-1].text.lower() in ORG_HEADS


def _demonym_is_name_part(cur: list[Tok], run: list[Tok], k: int) -> bool:
    """``European Union``, ``Azerbaijani Ministry``: a demonym directly before one head word."""
    if cur and cur[-1].kind == "low":
        return True  # "Organization of American States"
    nxt = run[k + 1].text.lower() if k + 1 < len(run) else ""
    after = run[k + 2].text.lower() if k + 2 < len(run) else ""
    if nxt and f"{run[k].text.lower()} {nxt}" in gazetteer().places:
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
            toks = words(span)
            if not toks or all(w in FUNCTION_WORDS for w in toks):
                continue
            if _DIGIT.search(span) or toks[-1] in EVENT_HEADS:
                continue
            if len(toks) == 1 and toks[0].endswith(_ADJECTIVE_ENDINGS) and not is_acronym(span) \
                    and toks[0] not in gazetteer().places:
                continue  # "Islamist", "Olympic"
            out.append(Candidate(where, start, end, span, " ".join(toks), seg[0].initial,
                                 span_scores(text, start, end)))
    return out


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
        return Candidate(c.where, c.start + off, c.end, rest, " ".join(words(rest)), False, c.scores)
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
            toks = words(piece)
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
    return _is_headline(text) and (kind in ("title", "heading") or text.isupper())


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
        low_words.update(w for w in re.findall(r"\b[a-z]+\b", text))
        cands.extend(_candidates(where, text))
    mid_keys = _Keys(c.key for c in cands if not c.initial)
    kept = [k for c in cands if (k := c if not c.initial else _keep_initial(c, mid_keys, low_words))]
    types = article_types(kept)
    found = [c for c in kept]
    g = gazetteer()

    def typer(piece: str) -> str | None:
        key = " ".join(words(piece))
        return types.get(key) or (PLACE if g.places.get(key, 0) >= 3 else None)

    for where, text in texts:
        if where in headlines:
            found.extend(Candidate(where, s, e, t, "", False, {typ: 1.0}) for s, e, t, typ in headline_mentions(text, typer))
    by_where: dict[int, list[Mention]] = defaultdict(list)
    for c in found:
        typ = types.get(c.key) if c.key else None
        by_where[c.where].append(Mention(c.start, c.end, c.text, typ or best_type(c.scores)))
    for ms in by_where.values():
        ms.sort(key=lambda m: m.start)
    return article.with_(
        title_mentions=tuple(by_where.get(-1, ())),
        passages=tuple(Passage(p.n, p.kind, p.text, tuple(by_where.get(p.n, ()))) for p in article.passages))


def article_types(cands: list[Candidate]) -> dict[str, str]:
    """One type per name in the article: the summed evidence of every occurrence,
    a short form (``Pashinyan``) taking the evidence of the full name it ends."""
    total: dict[str, dict[str, float]] = defaultdict(lambda: {PERSON: 0.0, PLACE: 0.0, ORG: 0.0})
    for c in cands:
        for t, v in c.scores.items():
            total[c.key][t] += v
    ends: dict[str, list[str]] = defaultdict(list)
    for full in list(total):
        parts = full.replace("-", " ").split()
        if len(parts) > 1:
            ends[parts[-1]].append(full)
            if best_type(total[full]) != PERSON:
                ends[parts[0]].append(full)
    for key in list(total):
        for full in ends.get(key, ()):
            if full != key:
                for t, v in total[full].items():
                    total[key][t] += v
    return {k: best_type(s, default=_default_type(k)) for k, s in total.items()}


def _default_type(key: str) -> str:
    """The type of a name nothing speaks for: a short unknown word is most often a place."""
    if any(gazetteer().places.get(t, 0) >= 2 for t in key.split()):
        return PLACE
    return PERSON if " " in key else ORG


__all__ = ["recognise_article", "tokenise", "article_types", "headline_mentions", "is_headline"]
