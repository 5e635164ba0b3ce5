"""An article's mentions: the trained model's names, made consistent over the article.

1. The model (:mod:`reader.core.entities.model`) tags the article's texts;
   headlines in ALL CAPS or Title Case are left out (capitals say nothing there).
2. Spans are shaped and those that name nothing dropped (:mod:`.spans`): credits
   (``Karen Minasyan/AFP``, ``Photo: ...``), demonyms, days and months, function
   words alone, laws and awards.
3. Each name gets one type for the article: a well-known acronym's or party's,
   strong context cues, an organisation's where one occurrence shows it
   (``Velta's chief executive``, ``shares in Velta``: :mod:`.companies`), else
   the votes of its mentions, a short form (``Pashinyan``) taking the type of
   the person it ends. Party names the model missed are added (``the Tories``).
4. A name the model found mid-sentence is also marked where the model missed
   it (at a sentence start, in a list), unless the word there is a common one.
5. Headlines get the names the body knows (:func:`headline_mentions`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from reader.core.entities.companies import named_organised, organised_at
from reader.core.entities.cues import KINDS, NAME_PARTICLES, ORG, PERSON, PLACE, TITLES, around_name, context_scores, is_acronym
from reader.core.entities.features import SENTENCE_END, Tokens, tokenise
from reader.core.entities.gazetteer import FUNCTION_WORDS, NON_ENTITY_WORDS, PARTY_NAMES, gazetteer
from reader.core.entities.keys import normalise_name
from reader.core.entities.model import SPAN_BREAKS, tag_article
from reader.core.entities.spans import (AND_INSIDE, KNOWN_TYPE, clean_span, extend_span, mend_damaged,
                                        split_plain_span, split_span)
from reader.core.entities.headlines import headline_mentions, is_headline
from reader.core.entities.teams import may_be_team, team_at
from reader.core.model import Article, Mention, Passage

STRONG_CUE = 3.0
"""Context evidence (:func:`~reader.core.entities.cues.context_scores`) that
types a name for the article whatever the model said: a title before it, ``, the minister``
after it, ``capital,`` or ``village`` around it."""
ORGANISED_PLACE_WEIGHT = 2
"""Least gazetteer weight of a place that the company cues never make an organisation
(``China's sales`` are the country's)."""
HEADLINE_PLACE_WEIGHT = 3
"""Least gazetteer weight of a place marked in a headline when the body does not name it."""
_NO_CONTEXT = (0.0, 0.0, 0.0)
_TWO_PARTS = re.compile(r"^[A-Z][a-z]+-[A-Z][a-z]+$")
_PARTY_STARTS = frozenset({k.split()[0] for k in PARTY_NAMES} | {k.replace(" ", "-") for k in PARTY_NAMES})


@dataclass(slots=True)
class Found:
    where: int  # passage number, -1 for the title
    start: int
    end: int
    text: str
    key: str
    type: str


def _without_overlaps(found: list[Found]) -> tuple[list[Found], _Taken]:
    """The longest of the spans that overlap in one text, and where they are."""
    taken = _Taken()
    where, reach = None, 0
    for f in found:  # most often the spans come in order and apart: all are kept, as they are
        if f.where != where:
            if where is not None and f.where < where:
                break
            where, reach = f.where, 0
        if f.start < reach:
            break
        reach = max(reach, f.end)
    else:
        taken.add_all(found)
        return list(found), taken
    kept = []
    for f in sorted(found, key=lambda f: (f.where, -(f.end - f.start), f.start)):
        if not taken.overlaps(f.where, f.start, f.end):
            kept.append(f)
            taken.add(f.where, f.start, f.end)
    return sorted(kept, key=lambda f: (f.where, f.start)), taken


def _strong(cue: dict[str, float] | None) -> str | None:
    """The type the context cues speak for strongly (at least :data:`STRONG_CUE`, twice any other)."""
    if not cue:
        return None
    if len(cue) == 1:  # the one type there is (its evidence is above 0)
        (best, x), = cue.items()
        return best if x >= STRONG_CUE else None
    best = max(cue, key=cue.get)
    rest = max((v for t, v in cue.items() if t != best), default=0.0)
    return best if cue[best] >= STRONG_CUE and cue[best] > 2 * rest else None


def _article_types(found: list[Found], texts: dict[int, str], body: list[tuple[int, str, Tokens]]) -> dict[str, str]:
    """One type per name: the votes of its mentions, unless the context of one says
    strongly what it is (``the regional capital, Stepanakert``: a place); a one-word
    name ending a person's name is that person's."""
    votes: dict[str, dict[str, int]] = {}
    cues: dict[str, dict[str, float]] = {}
    for f in found:
        key = f.key
        v = votes.get(key)
        if v is None:
            votes[key] = {f.type: 1}
        else:
            v[f.type] = v.get(f.type, 0) + 1
        if not key or key in KNOWN_TYPE:
            continue  # no words (no context), or a type no cue changes
        context = around_name(texts[f.where], f.start, f.end)
        if context != _NO_CONTEXT:
            c = cues.get(key)
            if c is None:
                c = cues[key] = {}
            for t, x in zip(KINDS, context):
                if x > 0:
                    c[t] = c.get(t, 0.0) + x
    types = {k: KNOWN_TYPE.get(k) or _strong(cues.get(k)) for k in votes}
    undecided = {k for k, t in types.items() if not t}
    if undecided:  # the evidence of the words around them, then the votes (read only for these names)
        organised = _organised([f for f in found if f.key in undecided], body)
        places = gazetteer().places
        organised.update(f.key for f in found if f.type == PLACE and is_acronym(f.text) and not places.get(f.key)
                         and f.key not in KNOWN_TYPE)  # an acronym no list knows as a place: a body's
        for k in undecided:
            v = votes[k]
            if k in organised:
                types[k] = ORG
            elif len(v) == 1:
                types[k], = v
            else:
                types[k] = max(v, key=lambda t: (v[t], t == PERSON))
    surnames = {k.rsplit(" ", 1)[1] for k, t in types.items() if t == PERSON and " " in k}
    for k in types:
        if " " not in k and k in surnames:
            types[k] = PERSON
    return types


def _organised(found: list[Found], body: list[tuple[int, str, Tokens]]) -> set[str]:
    """The names the article's words show to be an organisation's (``Velta's chief executive``,
    ``shares in Velta``: :mod:`~reader.core.entities.companies`) at one of their occurrences, found
    or not (a one-word name is read wherever the article writes it), or by a company's last word
    (``Halvor Foods``). Not a person's full name (a given name first), nor a well-known place."""
    g = gazetteer()
    texts = {where: text for where, text, _ in body}
    out: set[str] = set()
    single: dict[str, str] = {}
    for f in found:
        k = f.key
        if k in out or g.places.get(k, 0) >= ORGANISED_PLACE_WEIGHT:
            continue
        words = k.split()
        if len(words) == 1 and " " not in f.text:
            single.setdefault(f.text, k)  # read at every occurrence below
            continue
        if words[0] in g.given_names:
            continue
        if named_organised(f.text) or (f.where in texts and organised_at(texts[f.where], f.start, f.end,
                                                                          f.type == PERSON)):
            out.add(k)
    for _, text, toks in body:
        if single.keys().isdisjoint(toks.words):
            continue
        for i in [i for i, w in enumerate(toks.words) if w in single]:
            k = single[toks.words[i]]
            if k not in out and organised_at(text, toks.start(i), toks.end(i), True):
                out.add(k)
    return out


class _Taken:
    """Where each text's names already are: a byte a character, set where a name covers it."""

    __slots__ = ("_covered",)

    def __init__(self):
        self._covered: dict[int, bytearray] = {}

    def add_all(self, found: list[Found]) -> None:
        """Mark where each of the names is."""
        for f in found:
            self.add(f.where, f.start, f.end)

    def covered(self, where: int) -> bytearray | bytes:
        """Text ``where``'s bytes (the bytes past their end are not set; a text not seen: empty,
        and it stays empty whatever is added later)."""
        return self._covered.get(where, b"")

    def overlaps(self, where: int, start: int, end: int) -> bool:
        """Whether ``start:end`` of text ``where`` shares a character with a name there."""
        covered = self._covered.get(where)
        return covered is not None and covered.find(1, start, end) >= 0

    def add(self, where: int, start: int, end: int) -> None:
        """Mark ``start:end`` of text ``where`` as a name's."""
        if end <= start:
            return
        covered = self._covered.get(where)
        if covered is None:
            covered = self._covered[where] = bytearray(end)
        elif len(covered) < end:
            covered.extend(bytes(end - len(covered)))
        covered[start:end] = b"\x01" * (end - start)


def _listed(body: list[tuple[int, str, Tokens]], taken: _Taken) -> list[Found]:
    """Party names the model left out (``the Tories``, ``Labour``, ``the Lib Dems``): an
    organisation's; at a sentence start only where the article never writes the word in lower
    case (``Labour costs``)."""
    lower: set[str] | None = None
    out = []
    starts = {w for w in set().union(*(toks.words for _, _, toks in body))
              if w[:1].isupper() and w.lower() in _PARTY_STARTS}  # the article's words, each once
    if not starts:
        return out
    for where, text, toks in body:
        words = toks.words
        if starts.isdisjoint(words):
            continue
        for i in [i for i, w in enumerate(words) if w in starts]:
            w = words[i]
            for n in (2, 1):
                key = normalise_name(" ".join(words[i:i + n]))
                if len(words[i:i + n]) < n or key not in PARTY_NAMES:
                    continue
                s, e = toks.start(i), toks.end(i + n - 1)
                if taken.overlaps(where, s, e):
                    break
                if i == 0 or words[i - 1] in SENTENCE_END:
                    if lower is None:
                        lower = {x.lower() for _, _, ts in body for x in ts.words if x[:1].islower()}
                    if w.lower() in lower:
                        break
                out.append(Found(where, s, e, text[s:e], key, ORG))
                taken.add(where, s, e)
                break
    return out


@functools.lru_cache(maxsize=1 << 15)
def _name_tokens(name: str) -> tuple[str, ...]:
    """The tokens of a name (cached: an article names the same people over and over)."""
    return tuple(tokenise(name).words)


def _missed(body: list[tuple[int, str, Tokens]], found: list[Found], types: dict[str, str],
            taken: _Taken, lower: frozenset[str]) -> list[Found]:
    """Occurrences the model did not mark of names it marked elsewhere in the article
    (``lower``: the words it writes in lower case)."""
    names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for f in found:
        words = _name_tokens(f.text)
        if words and len(f.text) > 2:
            names[words[0]].add(words)
            if types.get(f.key) == PERSON and len(words) > 1 and len(words[-1]) > 2:
                names[words[-1]].add(words[-1:])  # "Lindqvist" after "Tarvo Lindqvist"
    if not names:
        return []
    out = []
    for where, text, toks in body:
        words_here = toks.words
        starts = toks.starts()
        covered = taken.covered(where)
        for i in [i for i, w in enumerate(words_here) if w in names]:
            s = starts[i]
            if (s < len(covered) and covered[s]) or taken.overlaps(where, s, s + len(words_here[i])):
                continue  # a name is there already (each option here would overlap it)
            options = names[words_here[i]]
            for words in sorted(options, key=len, reverse=True):
                j = i + len(words)
                if tuple(words_here[i:j]) != words:
                    continue
                s, e = toks.start(i), toks.end(j - 1)
                if taken.overlaps(where, s, e):
                    break
                if len(words) == 1:
                    if words[0].lower() in lower:
                        break  # "Brown" at a sentence start in an article that writes "brown"
                if clean_span(text, s, e) is not None:
                    key = normalise_name(text[s:e])
                    out.append(Found(where, s, e, text[s:e], key, types.get(key, PERSON)))
                    taken.add(where, s, e)
                break
    return out


def _titled(body: list[tuple[int, str, Tokens]], taken: _Taken) -> list[Found]:
    """A capitalised ``The`` in mid-sentence leads a name (``reported The Insider``), which
    the model missed: an organisation (a publication, most often), or a known place."""
    places = gazetteer().places
    out = []
    for where, text, toks in body:
        words = toks.words
        if "The" not in words:
            continue
        for i in [i for i, w in enumerate(words) if w == "The"]:
            if i == 0 or words[i - 1] in SENTENCE_END or words[i - 1] in SPAN_BREAKS:
                continue
            j = i + 1
            while j < len(words) and words[j][:1].isupper() and normalise_name(words[j]) not in FUNCTION_WORDS:
                j += 1
            if j == i + 1:
                continue
            s, e = toks.start(i), toks.end(j - 1)
            if taken.overlaps(where, s, e) or clean_span(text, s, e) is None:
                continue
            key = normalise_name(text[s:e])
            out.append(Found(where, s, e, text[s:e], key, PLACE if places.get(key) else ORG))
    return out


def _cued(body: list[tuple[int, str, Tokens]], taken: _Taken) -> list[Found]:
    """Capitalised words in mid-sentence the model left out, whose context says what they
    are: strongly at one place (``the village of Nagorna-Vostok``), or, for a name of two
    capitalised parts (``Nagorno-Karabakh``, never a common word), over the article."""
    demonyms = gazetteer().demonyms
    hyphened: dict[str, list[tuple[Found, Counter]]] = defaultdict(list)
    out = []
    for where, text, toks in body:
        words = toks.words
        starts = toks.starts()
        for i in [i for i in toks.capitals() if i and words[i - 1] not in SENTENCE_END]:
            s = starts[i]
            e = s + len(words[i])
            if taken.overlaps(where, s, e):
                continue  # most often: inside a name found already (the cheapest test first)
            key = normalise_name(words[i])
            if key in FUNCTION_WORDS or key in NON_ENTITY_WORDS or key in TITLES or key in demonyms:
                continue
            if (words[i - 1][:1].isupper() and normalise_name(words[i - 1]) not in TITLES
                    and normalise_name(words[i - 1]) not in FUNCTION_WORDS) \
                    or words[i - 1] in NAME_PARTICLES:
                continue  # the end of a longer name ("Corriere della Sera"), not a name by itself
            if clean_span(text, s, e) is None:
                continue
            cue = Counter({t: v for t, v in zip(KINDS, context_scores(text, s, e)) if v > 0})
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
    tagged, votes = tag_article([t for _, t in body])
    plain: list[set[tuple[int, int]]] = []  # for each text, the model's spans without "and" inside
    alone_keys = []
    for (_, text), (_, spans) in zip(body, tagged):
        ok = set()
        for s, e, _ in spans:
            piece = text[s:e]
            if AND_INSIDE.search(piece) is None:
                ok.add((s, e))
                alone_keys.append(normalise_name(piece))
        plain.append(ok)
    alone = frozenset(alone_keys)
    for (where, text), (_, spans), ok in zip(body, tagged, plain):
        for s0, e0, t0 in mend_damaged(text, spans):
            e1 = extend_span(text, s0, e0, t0)
            pieces = split_plain_span(text, s0, e1, t0) if (s0, e1) in ok else split_span(text, s0, e1, t0, alone)
            for s, e, typ in pieces:
                span = clean_span(text, s, e, typ)
                if span:
                    name = text[span[0]:span[1]]
                    found.append(Found(where, span[0], span[1], name, normalise_name(name), typ))
    found, taken = _without_overlaps([f for f in found if f.key])
    tokens = [(w, t, toks) for (w, t), (toks, _) in zip(body, tagged)]
    for more in (_titled, _cued, _listed):  # each pass sees the names found before it (``taken``)
        new = more(tokens, taken)
        taken.add_all(new)
        found += new
    types = _article_types(found, dict(texts), tokens)
    found += _missed(tokens, found, types, taken, votes.lower)
    g = gazetteer()

    def typer(piece: str, words: tuple[str, ...]) -> str | None:
        key = " ".join(words)
        return types.get(key) or (PLACE if g.places.get(key, 0) >= HEADLINE_PLACE_WEIGHT else None)

    for where, text in texts:
        if where in headlines:
            found.extend(Found(where, s, e, t, normalise_name(t), typ) for s, e, t, typ in headline_mentions(text, typer))
    by_where: dict[int, list[Mention]] = defaultdict(list)
    text_of = dict(texts)
    for f in found:
        typ = types.get(f.key, f.type)
        if typ == PLACE and may_be_team(f.text) and team_at(text_of[f.where], f.start, f.end):
            typ = ORG  # "the victory over Norvania": its team
        by_where[f.where].append(Mention(f.start, f.end, f.text, typ))
    for ms in by_where.values():
        ms.sort(key=lambda m: m.start)
    return article.with_(
        title_mentions=tuple(by_where.get(-1, ())),
        passages=tuple(Passage(p.n, p.kind, p.text, tuple(by_where.get(p.n, ()))) for p in article.passages))


__all__ = ["recognise_article"]

