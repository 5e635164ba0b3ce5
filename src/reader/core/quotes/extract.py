"""Finding an article's quotes: :func:`find_quotes`, and :func:`speaker_entity`.

Per sentence, the attributions (:mod:`.attribute`) cover ranges of words:
quoted stretches in them are direct quotes, the plain words a reported
clause (indirect), split at the quote marks as a mixed quote is. A quoted
stretch no attribution covers carries on the nearest speaker of the passage
(or of the paragraph before) when it is a sentence or a phrase of some
length; a short phrase in quote marks with no verb of saying near it is a
scare quote or a name and is left out. Quotations running over several
paragraphs share the attribution found on any of their paragraphs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from reader.core.model import Article, Mention
from reader.core.quotes import cues, refer
from reader.core.quotes.attribute import Attribution, attributions, is_finite
from reader.core.quotes.marks import Span, opens_with_mark, quoted_spans
from reader.core.quotes.sentences import Tok, sentences, tokens
from reader.core.quotes.speakers import Found, sentence_subject
from reader.core.quotes.types import TITLE, Quote, Speaker

_CUE_WORDS = cues.SPEECH_VERBS | cues.NAMING_VERBS | {"according"}
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def _cue_positions(text: str) -> list[int]:
    """Where the verbs of saying (and ``According to``) of a passage stand, in order: the
    passage's words read once, then each cue among them found (a few ``find`` calls), so no
    sentence needs reading again to know whether someone speaks in it."""
    found = _CUE_WORDS.intersection(_LOWER_WORD.findall(text))
    out = []
    for w in found:
        at = text.find(w)
        while at >= 0:
            end = at + len(w)
            if (not at or not text[at - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
                out.append(at)
            at = text.find(w, end)
    at = text.find("According to")
    while at >= 0:
        out.append(at)
        at = text.find("According to", at + 1)
    return sorted(out)


MIN_LOOSE_WORDS = 4
"""Words a quoted phrase with no verb of saying in its sentence needs to count as a quote."""
MAX_NAME_WORDS = 5
"""A quoted phrase of at most this many capitalised words is a name (``the "Sensible Solution"``)."""
CARRY_BACK = 2
"""Passages back a quote with no attribution of its own looks for its speaker."""
MIN_INDIRECT_WORDS = 3
"""Words a reported clause (with no quote in it) needs."""
MIN_VERBLESS_WORDS = 6
"""Words before ``, Mr X said.`` that count as what was said although no verb was recognised."""


@dataclass
class _Passage:
    n: int
    text: str
    mentions: tuple[Mention, ...]
    kind: str
    spans: list[Span] = field(default_factory=list)


def find_quotes(article: Article) -> tuple[Quote, ...]:
    """Every direct and indirect quote of the article (headline included), in reading order."""
    parts = [_Passage(TITLE, article.title, article.title_mentions, "title")]
    parts += [_Passage(p.n, p.text, p.mentions, p.kind) for p in article.passages]
    for p in parts:
        p.spans = quoted_spans(p.text)
    ms = refer.Mentions([(p.n, p.text, p.mentions, [(s.open_at, s.outer_end) for s in p.spans]) for p in parts])
    out: list[Quote] = []
    last: dict[int, Speaker | None] = {}
    chain: Speaker | None = None
    for k, p in enumerate(parts):
        found = _passage_quotes(p, ms, last, chain)
        out += found
        continues = (p.spans and not p.spans[-1].closed and k + 1 < len(parts)
                     and opens_with_mark(parts[k + 1].text))
        direct = [q for q in found if q.kind == "direct"]
        chain = (direct[-1].speaker if direct else chain) if continues else None
    return tuple(out)


def _passage_quotes(p: _Passage, ms: refer.Mentions, last: dict[int, Speaker | None],
                    chain: Speaker | None) -> list[Quote]:
    """The quotes of one passage; ``last`` keeps each passage's last speaker."""
    quotes: list[Quote] = []
    covered: set[int] = set()
    loose: list[tuple[int, Span, bool]] = []
    speaker_here = chain
    voices: list[tuple[int, Speaker]] = []
    cued = _cue_positions(p.text)
    if not p.spans and not cued:
        last[p.n] = None
        return []  # a passage where nobody speaks: most of them
    for a, b in sentences(p.text, p.spans):
        inside = [k for k, s in enumerate(p.spans) if s.open_at < b and s.outer_end > a] if p.spans else []
        k = bisect_left(cued, a)
        if not (k < len(cued) and cued[k] < b) \
                and not (p.kind in ("title", "heading") and ":" in p.text[a:b]):
            # no verb of saying: nothing here, or quotes carrying on an attribution made before
            loose += [(len(quotes), p.spans[k], _only_quotes(p, a, b, inside)) for k in inside]
            continue
        toks = tokens(p.text, a, b, p.spans, inside)
        atts = attributions(toks, p.mentions, headline=p.kind in ("title", "heading"))
        prev: Speaker | None = None
        for att in atts:
            if att.speaker is None and prev is None:
                att.speaker = sentence_subject(toks, p.mentions, att.cue_at)
            sp = _speaker(att, toks, p, ms) if att.speaker else (prev or speaker_here)
            prev = sp
            for lo, hi in att.content:
                quotes += _pieces(p, toks, lo, hi, att, sp, covered)
            speaker_here = sp or speaker_here
            if sp is not None:
                voices.append((toks[att.cue_at].start, sp))
        whole = all(not t.text[:1].isalnum() for t in toks if not t.is_quote)
        loose += [(len(quotes), p.spans[t.quote], whole) for t in toks if t.is_quote and t.quote not in covered]
    quotes = _with_loose(p, quotes, loose, chain, last, voices)
    spoken = [q.speaker for q in quotes if q.speaker]
    last[p.n] = spoken[-1] if spoken else None
    return sorted(quotes, key=lambda q: q.start)


def _with_loose(p: _Passage, quotes: list[Quote], loose, chain, last, voices) -> list[Quote]:
    """Quoted stretches no attribution covers: carried-on quotes, or left out as scare quotes."""
    if not loose:
        return quotes
    before = [last.get(n) for n in range(p.n - 1, p.n - 1 - CARRY_BACK, -1)]
    fallback = chain or next((s for s in before if s), None)
    out = list(quotes)
    for at, span, whole in loose:
        words = p.text[span.start:span.end].split()
        if _is_name(words) and not whole:
            continue
        if not whole and len(words) < MIN_LOOSE_WORDS:
            continue
        earlier = [sp for at_, sp in voices if at_ < span.open_at]  # who spoke last before it
        later = _next_quoted(p, span, quotes[at:])
        sp = earlier[-1] if earlier else (later or fallback)
        if sp is None and (chain is None and not whole):
            continue
        out.append(Quote(p.n, span.start, span.end, p.text[span.start:span.end], "direct", None, sp,
                         partial=not whole))
    return out


def _only_quotes(p: _Passage, a: int, b: int, inside: list[int]) -> bool:
    """Whether the sentence ``p.text[a:b]`` is nothing but quoted stretches and punctuation."""
    rest, pos = [], a
    for k in inside:
        s = p.spans[k]
        rest.append(p.text[pos:max(pos, s.open_at)])
        pos = max(pos, s.outer_end)
    rest.append(p.text[pos:b])
    return not any(c.isalnum() for c in "".join(rest))


def _next_quoted(p: _Passage, span: Span, after: list[Quote]) -> Speaker | None:
    """The speaker of the quote that follows this one with nothing but quotes between
    (``"A." "B," he said.``), or None."""
    nxt = min((q for q in after if q.kind == "direct" and q.speaker), key=lambda q: q.start, default=None)
    if nxt is None or nxt.start < span.start:
        return None
    between = p.text[span.outer_end:nxt.start]
    for s in p.spans:
        if span.outer_end <= s.open_at and s.outer_end <= nxt.start:
            between = between.replace(p.text[s.start:s.end], "")
    return nxt.speaker if not any(c.isalpha() for c in between) else None


def _is_name(words: list[str]) -> bool:
    caps = [w for w in words if w[:1].isalpha()]
    return bool(caps) and len(words) <= MAX_NAME_WORDS and all(w[:1].isupper() for w in caps) and len(words) > 0 \
        and len(words) < MIN_LOOSE_WORDS + 1


def _pieces(p: _Passage, toks: list[Tok], lo: int, hi: int, att: Attribution, sp: Speaker | None,
            covered: set[int]) -> list[Quote]:
    """The direct and indirect quotes of one covered range of words."""
    out: list[Quote] = []
    run: list[Tok] = []
    has_quote = any(toks[k].is_quote for k in range(lo, hi))
    plain = [t for t in toks[lo:hi] if not t.is_quote and t.text[:1].isalnum()]
    mixed = has_quote and any(t.low not in cues.FUNCTION_WORDS for t in plain)
    first = True

    def flush() -> None:
        nonlocal first
        piece = _indirect(p, run, first, mixed, att, sp, toks)
        if piece:
            out.append(piece)
        first = False
        run.clear()

    for k in range(lo, hi):
        t = toks[k]
        if t.is_quote:
            flush()
            span = p.spans[t.quote]
            words = p.text[span.start:span.end].split()
            if mixed and _is_name(words) and len(words) > 1:
                continue
            covered.add(t.quote)
            out.append(Quote(p.n, span.start, span.end, p.text[span.start:span.end], "direct", att.cue, sp,
                             partial=mixed))
        else:
            run.append(t)
    flush()
    return out


def _indirect(p: _Passage, run: list[Tok], first: bool, mixed: bool, att: Attribution, sp: Speaker | None,
              toks: list[Tok]) -> Quote | None:
    """A reported clause from a run of plain words, trimmed of ``that`` and punctuation."""
    if not att.indirect:
        return None
    words = list(run)
    while words and not words[0].text[:1].isalnum():
        words.pop(0)
    if first and words and words[0].low == "that":
        words.pop(0)
    while words and not words[-1].text[:1].isalnum() and words[-1].text not in ")]%$":
        words.pop()
    if not words or all(w.low in cues.FUNCTION_WORDS or not w.text[:1].isalnum() for w in words):
        return None
    if not mixed:
        if len(words) < MIN_INDIRECT_WORDS:
            return None
        if att.style == "trail" and len(words) < MIN_VERBLESS_WORDS and not any(
                is_finite(toks, toks.index(w)) for w in words):
            return None
    start, end = words[0].start, words[-1].end
    return Quote(p.n, start, end, p.text[start:end], "indirect", att.cue, sp, partial=mixed)


def _speaker(att: Attribution, toks: list[Tok], p: _Passage, ms: refer.Mentions) -> Speaker | None:
    f: Found = att.speaker
    start, end = toks[f.lo].start, toks[f.hi - 1].end
    text = p.text[start:end]
    place = None
    if f.mention is not None:
        place = ms.place(p.n, f.mention)
    elif f.kind == "pronoun":
        place = refer.pronoun(ms, text, p.n, start)
    elif f.kind == "description":
        spans = [(toks[lo].start, toks[hi - 1].end) for lo, hi in att.content if hi > lo]
        opens = toks[att.content[0][0]].low if att.content and att.content[0][1] > att.content[0][0] else ""
        place = refer.description(ms, text.split(), p.n, start, _spoken_of(p.mentions, spans), opens)
    if place is None:
        return Speaker(text, f.kind, p.n, start, end)
    place = ms.fullest(place)
    m = place.mention
    ms.said(p.n, start, place)
    return Speaker(text, f.kind, p.n, start, end, place.passage, m.start, m.text, m.type, f.via)


def _spoken_of(mentions: tuple[Mention, ...], spans: list[tuple[int, int]]) -> frozenset[str]:
    """The names (last words, lower-cased) of the mentions inside what was said."""
    return frozenset(m.text.lower().split()[-1] for m in mentions if m.text.split()
                     and any(a <= m.start < b for a, b in spans))


def refer_again(article: Article) -> Article:
    """The article with the speakers that are a pronoun or a description referred again, to
    the nearest fitting mention as the corpus-wide resolution typed it (recognition alone may
    have typed a company as a place); names and unnamed sources stay as found."""
    if not any(q.speaker is not None and q.speaker.kind != "name" for q in article.quotes):
        return article
    texts = {TITLE: (article.title, article.title_mentions)}
    texts.update((p.n, (p.text, p.mentions)) for p in article.passages)
    quoted: dict[int, list[tuple[int, int]]] = {}
    for q in article.quotes:
        if q.kind == "direct":
            quoted.setdefault(q.passage, []).append((q.start - 1, q.end + 1))
    ms = refer.Mentions([(n, text, mentions, quoted.get(n, [])) for n, (text, mentions) in texts.items()])
    done: dict[tuple[int, int], Speaker | None] = {}
    out = []
    for q in article.quotes:
        sp = q.speaker
        if sp is not None and (sp.passage, sp.start) not in done:
            said = [x for x in article.quotes if x.speaker == sp and x.passage == sp.passage]
            avoid = _spoken_of(texts.get(sp.passage, ("", ()))[1], [(x.start, x.end) for x in said])
            opens = q.text.split()[0].lower() if q.kind == "indirect" and q.text.split() else ""
            done[(sp.passage, sp.start)] = _again(sp, ms, texts, avoid, opens)
        out.append(q if sp is None else replace(q, speaker=done[(sp.passage, sp.start)]))
    return article.with_(quotes=tuple(out))


def _again(sp: Speaker, ms: refer.Mentions, texts, avoid: frozenset[str], opens: str) -> Speaker:
    place = None
    if sp.kind == "pronoun":
        place = refer.pronoun(ms, sp.text, sp.passage, sp.start)
    elif sp.kind == "description" and not sp.via:
        place = refer.description(ms, sp.text.split(), sp.passage, sp.start, avoid, opens)
    elif sp.named:
        m = next((m for m in texts.get(sp.ref_passage, ("", ()))[1] if m.start == sp.ref_start), None)
        place = ms.place(sp.ref_passage, m) if m is not None else None
        if place is not None:
            ms.said(sp.passage, sp.start, place)
        return sp
    if place is not None:
        place = ms.fullest(place)
    if place is None:
        return replace(sp, ref_passage=None, ref_start=0, ref_text="", ref_type="")
    ms.said(sp.passage, sp.start, place)
    m = place.mention
    return replace(sp, ref_passage=place.passage, ref_start=m.start, ref_text=m.text, ref_type=m.type)


def speaker_entity(speaker: Speaker | None, article: Article) -> Mention | None:
    """The mention (with its entity id) a speaker resolved to, in an article whose mentions
    the corpus-wide resolution has set; None for an unnamed source."""
    if speaker is None or speaker.ref_passage is None:
        return None
    if speaker.ref_passage == TITLE:
        ms = article.title_mentions
    elif 0 <= speaker.ref_passage < len(article.passages):
        ms = article.passages[speaker.ref_passage].mentions
    else:
        return None
    for m in ms:
        if m.start == speaker.ref_start:
            return m
    for m in ms:
        if m.text == speaker.ref_text:
            return m
    return None
