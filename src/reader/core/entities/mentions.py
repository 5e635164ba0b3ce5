"""An article's mentions: the trained model's names, made consistent over the article.

1. The model (:mod:`reader.core.entities.model`) tags the article's texts;
   headlines in ALL CAPS or Title Case are left out (capitals say nothing there).
2. Spans that name nothing are dropped: credits (``Karen Minasyan/AFP``,
   ``Photo: ...``), demonyms, days and months, function words alone.
3. Each name gets one type for the article: the votes of its mentions, a
   short form (``Pashinyan``) taking the type of the person it ends.
4. A name the model found mid-sentence is also marked where the model missed
   it (at a sentence start, in a list), unless the word there is a common one.
5. Headlines get the names the body knows (:func:`headline_mentions`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from reader.core.entities.cues import KINDS, ORG, ORG_HEADS, PERSON, PLACE, PLACE_HEADS, TITLES, name_scores, span_scores
from reader.core.entities.features import SENTENCE_END, Tokens, tokenise
from reader.core.entities.gazetteer import ACRONYMS, FUNCTION_WORDS, NON_ENTITY_WORDS, gazetteer
from reader.core.entities.keys import name_words, normalise_name
from reader.core.entities.model import SPAN_BREAKS, tag_texts
from reader.core.entities.headlines import headline_mentions, is_headline
from reader.core.model import Article, Mention, Passage

#: A credit line's agency after a slash: ``Name/AFP``, ``Photo/Reuters``.
CREDIT_SLASH = re.compile(r"^/\s?[A-Z][\w&.-]*")
#: The words that start a credit or caption (``Photo: Name``), up to the end of the name.
CREDIT_LEAD = re.compile(r"(?i)\b(?:photo(?:graph)?s?|pictures?|image|credit|source|video|getty images)"
                         r"\s*(?:by|:|/|courtesy of)\s*$")
#: The type of each well-known acronym, by its key (``uk``): the table knows better than the
#: training data, whose silver labels make ``UK`` an organisation.
_KNOWN_TYPE = {normalise_name(k): typ for k, (_, typ) in ACRONYMS.items()}
#: Titles only people carry: a name they lead is a person's (``Lord Goldsmith``, not ``Major League``).
PERSONAL_TITLES = frozenset("mr mrs ms miss dr lord lady sir dame baroness baron president senator governor "
                            "king queen prince princess pope sheikh".split())
STRONG_CUE = 3.0
"""Context evidence (:func:`~reader.core.entities.cues.span_scores` beyond the name's own) that
types a name for the article whatever the model said: a title before it, ``, the minister``
after it, ``capital,`` or ``village`` around it."""
HEADLINE_PLACE_WEIGHT = 3
"""Least gazetteer weight of a place marked in a headline when the body does not name it."""
_TRAILING = re.compile(r"[\s'’.,:;-]+$")
_POSSESSIVE_INSIDE = re.compile(r"(?:['’]s|(?<=s)['’])\s+(?=[A-Z])")
_AND_INSIDE = re.compile(r"\s+(?:and|&)\s+")
_JOINED = re.compile(r"\s(?:of|for|on)\s")
_ORG_TAIL = re.compile(r" (?:of|for|on) (?:the )?[A-Z][\w-]*(?: (?:and )?[A-Z][\w-]*)*")
_DOTTED = re.compile(r"(?:^|\s)(?:[A-Za-z]\.){2,}$")
_BRACKET_END = re.compile(r"\s*\)\s*$")
_TWO_PARTS = re.compile(r"^[A-Z][a-z]+-[A-Z][a-z]+$")
_WORD_AT = re.compile(r"[\w.'’-]+")
_FIRST_WORD = re.compile(r"([\w.'’-]+)\s+(?=\S)")


@dataclass(slots=True)
class Found:
    where: int  # passage number, -1 for the title
    start: int
    end: int
    text: str
    key: str
    type: str


def _clean(text: str, start: int, end: int, typ: str = "") -> tuple[int, int] | None:
    """The span without trailing marks nor a person's leading titles, or None for a span that names nothing."""
    span = text[start:end]
    cut = _TRAILING.search(span)
    if cut and _DOTTED.search(span):  # "U.N." keeps its last dot
        cut = _TRAILING.search(span[:-1]) if span.endswith(".") and len(span) > 1 else None
    if cut:
        end = start + cut.start()
        span = text[start:end]
    if typ == PERSON:
        while (m := _FIRST_WORD.match(span)) and normalise_name(m.group(1)) in TITLES:
            start += m.end()
            span = text[start:end]
    toks = name_words(span)
    if not toks or all(w in FUNCTION_WORDS for w in toks) and not span.replace(".", "").isupper():
        return None
    if len(toks) == 1 and (toks[0] in NON_ENTITY_WORDS or toks[0] in gazetteer().demonyms):
        return None
    if "/" in text[max(0, start - 1):end + 2] and (CREDIT_SLASH.match(text[end:end + 30])
                                                   or text[max(0, start - 1):start] == "/"):
        return None
    if text[max(0, start - 1):start] == "(" and _BRACKET_END.match(text, end):
        return None  # "... in Yerevan (AFP)": a credit at the end of a caption
    left = text[max(0, start - 30):start]
    if ":" in left or "by" in left or "/" in left or "of" in left:
        if CREDIT_LEAD.search(left):
            return None
    return start, end


def _split(text: str, start: int, end: int, typ: str) -> list[tuple[int, int, str]]:
    """A span cut into the names it holds: at a possessive (``Age Concern's Age Agenda``), at
    ``and`` between two names (``William and Harry``; not ``Department of Trade and Industry``
    nor a place such as ``Bosnia and Herzegovina``), after a title inside a person's span
    (``Labour MP John Cryer``). A span led by a title (``Lord Goldsmith``) is a person's."""
    span = text[start:end]
    m = _POSSESSIVE_INSIDE.search(span)
    if m:
        head = _split(text, start, start + m.start(), typ)
        tail_start = start + m.end()
        tail = [] if _generic_tail(text[tail_start:end]) else _split(text, tail_start, end, typ)
        return head + tail
    m = _AND_INSIDE.search(span)
    if m and _JOINED.search(span[:m.start()]) is None and (typ == PERSON or _two_places(span[:m.start()], span[m.end():])):
        return _split(text, start, start + m.start(), typ) + _split(text, start + m.end(), end, typ)
    words = list(_WORD_AT.finditer(span))
    if len(words) >= 2:
        keys = [normalise_name(w.group()) for w in words]
        last = keys[-1]
        given = gazetteer().given_names
        if typ != PERSON and last not in ORG_HEADS and last not in PLACE_HEADS and len(words) <= 6 \
                and all(w.group()[:1].isupper() for w in words) \
                and ((keys[0] in PERSONAL_TITLES and len(words) <= 4)
                     or any(k in TITLES and keys[i + 1] in given for i, k in enumerate(keys[:-2]))):
            typ = PERSON  # "Lord Goldsmith", "UN Secretary-General Antonio Guterres"
        if typ == PERSON:
            cut = max((i for i, k in enumerate(keys[:-1]) if k in TITLES or k in NON_ENTITY_WORDS), default=-1)
            if cut >= 0:
                start += words[cut + 1].start()
    return [(start, end, typ)]


def _two_places(left: str, right: str) -> bool:
    places = gazetteer().places
    whole = normalise_name(f"{left} and {right}")
    return not places.get(whole) and bool(places.get(normalise_name(left))) and bool(places.get(normalise_name(right)))


def _generic_tail(tail: str) -> bool:
    words = name_words(tail)
    return not words or (len(words) == 1 and (words[0] in ORG_HEADS or words[0] in PLACE_HEADS))


def _without_overlaps(found: list[Found]) -> list[Found]:
    """The longest of the spans that overlap in one text."""
    kept: dict[int, list[Found]] = defaultdict(list)
    for f in sorted(found, key=lambda f: (f.where, -(f.end - f.start), f.start)):
        here = kept[f.where]
        if not any(f.start < g.end and g.start < f.end for g in here):
            here.append(f)
    return sorted((f for fs in kept.values() for f in fs), key=lambda f: (f.where, f.start))


def _strong(cue: Counter | None) -> str | None:
    """The type the context cues speak for strongly (at least :data:`STRONG_CUE`, twice any other)."""
    if not cue:
        return None
    best = max(cue, key=cue.get)
    rest = max((v for t, v in cue.items() if t != best), default=0.0)
    return best if cue[best] >= STRONG_CUE and cue[best] > 2 * rest else None


def _extend(text: str, start: int, end: int, typ: str) -> int:
    """The end of an organisation's name that goes on past its head with of/for/on
    (``European Council on Foreign Relations``, ``British Chambers of Commerce``)."""
    if typ != ORG or name_words(text[start:end])[-1:] and name_words(text[start:end])[-1] not in ORG_HEADS:
        return end
    m = _ORG_TAIL.match(text, end)
    return m.end() if m else end


def _article_types(found: list[Found], texts: dict[int, str]) -> dict[str, str]:
    """One type per name: the votes of its mentions, unless the context of one says
    strongly what it is (``the regional capital, Stepanakert``: a place); a one-word
    name ending a person's name is that person's."""
    votes: dict[str, Counter] = defaultdict(Counter)
    cues: dict[str, Counter] = defaultdict(Counter)
    for f in found:
        votes[f.key][f.type] += 1
        text = texts[f.where]
        whole = span_scores(text, f.start, f.end)
        own = name_scores(f.text)
        for t, v in zip(KINDS, own):
            if whole[t] - v > 0:
                cues[f.key][t] += whole[t] - v
    types = {}
    for k, v in votes.items():
        types[k] = _KNOWN_TYPE.get(k) or _strong(cues.get(k)) or max(v, key=lambda t: (v[t], t == PERSON))
    surnames = {k.rsplit(" ", 1)[1] for k, t in types.items() if t == PERSON and " " in k}
    for k in types:
        if " " not in k and k in surnames:
            types[k] = PERSON
    return types


def _missed(body: list[tuple[int, str, Tokens]], found: list[Found], types: dict[str, str]) -> list[Found]:
    """Occurrences the model did not mark of names it marked elsewhere in the article."""
    names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for f in found:
        words = tuple(tokenise(f.text).words)
        if words and len(f.text) > 2:
            names[words[0]].add(words)
            if types.get(f.key) == PERSON and len(words) > 1 and len(words[-1]) > 2:
                names[words[-1]].add(words[-1:])  # "Lindqvist" after "Tarvo Lindqvist"
    if not names:
        return []
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for f in found:
        taken[f.where].append((f.start, f.end))
    lower: set[str] | None = None
    out = []
    for where, text, toks in body:
        spans = taken[where]
        words_here = toks.words
        for i in [i for i, w in enumerate(words_here) if w in names]:
            options = names[words_here[i]]
            for words in sorted(options, key=len, reverse=True):
                j = i + len(words)
                if tuple(words_here[i:j]) != words:
                    continue
                s, e = toks.start(i), toks.end(j - 1)
                if any(s < b and a < e for a, b in spans):
                    break
                if len(words) == 1:
                    if lower is None:
                        lower = {w for _, _, ts in body for w in ts.words if w[:1].islower()}
                    if words[0].lower() in lower:
                        break  # "Brown" at a sentence start in an article that writes "brown"
                if _clean(text, s, e) is not None:
                    key = normalise_name(text[s:e])
                    out.append(Found(where, s, e, text[s:e], key, types.get(key, PERSON)))
                    spans.append((s, e))
                break
    return out


def _titled(body: list[tuple[int, str, Tokens]], found: list[Found]) -> list[Found]:
    """A capitalised ``The`` in mid-sentence leads a name (``reported The Insider``), which
    the model missed: an organisation (a publication, most often), or a known place."""
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for f in found:
        taken[f.where].append((f.start, f.end))
    places = gazetteer().places
    out = []
    for where, text, toks in body:
        words = toks.words
        for i in [i for i, w in enumerate(words) if w == "The"]:
            if i == 0 or words[i - 1] in SENTENCE_END or words[i - 1] in SPAN_BREAKS:
                continue
            j = i + 1
            while j < len(words) and words[j][:1].isupper() and normalise_name(words[j]) not in FUNCTION_WORDS:
                j += 1
            if j == i + 1:
                continue
            s, e = toks.start(i), toks.end(j - 1)
            if any(s < b and a < e for a, b in taken[where]) or _clean(text, s, e) is None:
                continue
            key = normalise_name(text[s:e])
            out.append(Found(where, s, e, text[s:e], key, PLACE if places.get(key) else ORG))
    return out


def _cued(body: list[tuple[int, str, Tokens]], found: list[Found]) -> list[Found]:
    """Capitalised words in mid-sentence the model left out, whose context says what they
    are: strongly at one place (``the village of Nagorna-Vostok``), or, for a name of two
    capitalised parts (``Nagorno-Karabakh``, never a common word), over the article."""
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for f in found:
        taken[f.where].append((f.start, f.end))
    demonyms = gazetteer().demonyms
    hyphened: dict[str, list[tuple[Found, Counter]]] = defaultdict(list)
    out = []
    for where, text, toks in body:
        words = toks.words
        for i in [i for i, w in enumerate(words) if w[0].isupper() and i and words[i - 1] not in SENTENCE_END]:
            key = normalise_name(words[i])
            if key in FUNCTION_WORDS or key in NON_ENTITY_WORDS or key in TITLES or key in demonyms:
                continue
            s, e = toks.start(i), toks.end(i)
            if any(s < b and a < e for a, b in taken[where]) or _clean(text, s, e) is None:
                continue
            whole, own = span_scores(text, s, e), name_scores(text[s:e])
            cue = Counter({t: whole[t] - v for t, v in zip(KINDS, own) if whole[t] - v > 0})
            typ = _strong(cue)
            if typ:
                out.append(Found(where, s, e, text[s:e], key, typ))
            elif _TWO_PARTS.match(words[i]) and not any(p in demonyms for p in key.split()):
                hyphened[key].append((Found(where, s, e, text[s:e], key, ""), cue))
    for key, occurrences in hyphened.items():
        total = sum((c for _, c in occurrences), Counter())
        if total:
            typ = max(total, key=total.get)
            out.extend(Found(f.where, f.start, f.end, f.text, key, typ) for f, _ in occurrences)
    return out


def recognise_article(article: Article) -> Article:
    """A copy of the article with its mentions: the model's names, typed consistently over the article."""
    texts = [(-1, article.title)] + [(p.n, p.text) for p in article.passages]
    kinds = {p.n: p.kind for p in article.passages}
    headlines = {w for w, t in texts if is_headline(t, kinds.get(w, "title"))}
    body = [(w, t) for w, t in texts if w not in headlines]
    found: list[Found] = []
    tagged = tag_texts([t for _, t in body])
    for (where, text), (_, spans) in zip(body, tagged):
        for s, e, typ in (piece for s0, e0, t0 in spans for piece in _split(text, s0, _extend(text, s0, e0, t0), t0)):
            span = _clean(text, s, e, typ)
            if span:
                found.append(Found(where, span[0], span[1], text[span[0]:span[1]],
                                   normalise_name(text[span[0]:span[1]]), typ))
    found = _without_overlaps([f for f in found if f.key])
    tokens = [(w, t, toks) for (w, t), (toks, _) in zip(body, tagged)]
    found += _titled(tokens, found)
    found += _cued(tokens, found)
    types = _article_types(found, dict(texts))
    found += _missed(tokens, found, types)
    g = gazetteer()

    def typer(piece: str) -> str | None:
        key = " ".join(name_words(piece))
        return types.get(key) or (PLACE if g.places.get(key, 0) >= HEADLINE_PLACE_WEIGHT else None)

    for where, text in texts:
        if where in headlines:
            found.extend(Found(where, s, e, t, normalise_name(t), typ) for s, e, t, typ in headline_mentions(text, typer))
    by_where: dict[int, list[Mention]] = defaultdict(list)
    for f in found:
        by_where[f.where].append(Mention(f.start, f.end, f.text, types.get(f.key, f.type)))
    for ms in by_where.values():
        ms.sort(key=lambda m: m.start)
    return article.with_(
        title_mentions=tuple(by_where.get(-1, ())),
        passages=tuple(Passage(p.n, p.kind, p.text, tuple(by_where.get(p.n, ()))) for p in article.passages))


__all__ = ["recognise_article", "CREDIT_SLASH", "CREDIT_LEAD"]

