"""Attributions in one sentence: a verb of saying, its speaker, and what it covers.

Three orders, as news writes them:

* leading: ``Mr Johnson told reporters: "..."`` / ``he said the plan was
  "unworkable"`` / ``According to the ministry, ...``: what was said follows;
* trailing: ``"...," he said.`` / ``..., said the statistical office.`` /
  ``..., according to analysts.``: what was said comes first;
* elided: ``, adding: "..."`` / ``but insisted ...``: the subject is the
  previous attribution's.

:func:`attributions` returns them in order with the token ranges they cover;
:mod:`.extract` turns the ranges into direct and indirect quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reader.core.model import Mention
from reader.core.quotes import cues, speakers
from reader.core.quotes.sentences import Tok
from reader.core.quotes.speakers import Found

CLAUSE_REACH = 10
"""Words after a clause's first word searched for its finite verb."""
SETTING_REACH = 8
"""Words after ``said`` searched for the reported clause (past ``on a visit to Sydney``)."""
LISTENER_REACH = 9
"""Words after ``told`` searched for where the reported clause begins."""
PREPOSITIONS = frozenset("in at on of for to from with by near about".split())
"""Words after which a name belongs to a phrase, not to a clause's subject."""
_CANDIDATES = cues.SPEECH_VERBS | cues.NAMING_VERBS | {"according", "quoted"}
"""Words that may open an attribution (checked further where they stand)."""
_PRONOUN_STARTS = frozenset("he she it they we i there this that".split())
PASSIVE = frozenset("was were is are been being be".split())
"""Words before a verb that make it passive (``was described as``)."""
PASSIVE_REACH = 12
"""Words after a passive verb searched for ``by`` and its agent."""
AGENT_REACH = 8
"""Words after ``by`` searched for the agent's name (``by his friend and fellow broadcaster Y``)."""
NOUN_LIKE = frozenset("claims claim states state reports report notes note points point comments comment "
                      "remarks remark answers answer estimates estimate forecasts forecast rules rule promises "
                      "promise calls call terms term labels label replies reply warning warnings".split())
"""Verb forms that are as often nouns: they attribute only after a clear subject."""


@dataclass
class Attribution:
    """One verb of saying in a sentence and the speaker it names."""

    cue_at: int
    """Token index of the verb (or of ``according``)."""
    cue: str
    speaker: Found | None
    """None when the subject is elided (the previous attribution's)."""
    style: str
    """``lead``, ``trail``, ``elided`` or ``bare`` (a subject and its verb, no reported clause)."""
    claim: tuple[int, int]
    """Token range of the attribution's own words (speaker, verb, listener, setting)."""
    content: list[tuple[int, int]] = field(default_factory=list)
    """Token ranges of what was said."""
    indirect: bool = True
    """Whether plain words in the content are a reported clause (not after ``called``)."""


def is_finite(toks: list[Tok], k: int) -> bool:
    """Whether ``toks[k]`` looks like a finite verb."""
    w = toks[k].low.replace("’", "'")
    if toks[k].is_quote or not w[:1].isalpha():
        return False
    if w in cues.FINITE or w.endswith(("n't", "’ll", "'ll", "’d", "'d", "’ve", "'ve", "’re", "'re")):
        return True
    if w.endswith("ed") and len(w) > 4 and "-" not in w and not (k and toks[k - 1].text == ","):
        return True  # not ``UK-based``, not ``the claims, made in``
    prev = toks[k - 1].low if k else ""
    return w.endswith("s") and len(w) > 3 and not w.endswith("ss") and prev in (
        "he", "she", "it", "this", "that", "which", "who")


def clause_at(toks: list[Tok], j: int, hi: int, loose: bool = True) -> bool:
    """Whether a reported clause begins at ``toks[j]``: a subject, then a finite verb. A
    subject may be any word when ``loose`` (right after the verb: ``said profits rose``),
    else a determiner, a pronoun, a name or a figure (after a listener: ``told a
    meeting the pumps were old``)."""
    if j >= hi:
        return False
    t = toks[j]
    if t.is_quote:
        return True
    if t.low in cues.CLAUSE_OPENERS:
        return True
    if not (t.low in cues.SUBJECT_WORDS or t.text[:1].isupper() or t.text[:1].isdigit()
            or (loose and t.text[:1].isalpha() and t.low not in PREPOSITIONS)):
        return False
    if t.low.endswith(("'s", "’s")):
        return False  # a possessive opens a noun phrase (``Age Concern's Age Agenda``)
    if t.low == "to":
        return False
    reach = range(j + 1, min(hi, j + 1 + CLAUSE_REACH))
    if t.low in ("he", "she", "it", "this", "that"):  # ``it no longer tolerates``
        return any(is_finite(toks, k) or (toks[k].low.endswith("s") and len(toks[k].low) > 3
                                           and not toks[k].low.endswith("ss")) for k in reach)
    return any(is_finite(toks, k) for k in reach)


def _content_start(toks: list[Tok], k: int, tell: bool) -> int | None:
    """Where what was said begins after the verb, or None when nothing follows it."""
    n = len(toks)
    j = k
    while j < n and toks[j].text in ",:":
        j += 1
    if j >= n or toks[j].text in ".!?;":
        return None
    reach = LISTENER_REACH if tell else SETTING_REACH
    for s in range(j + (1 if tell and not toks[j].is_quote and toks[j].text not in ":" else 0), min(n, j + reach)):
        t = toks[s]
        if t.is_quote:
            return s
        if t.low in cues.SPEECH_VERBS and s > j:
            return None  # ``said Tuesday, adding: "..."``: another attribution, not what was said
        if t.text in ":,":
            if s + 1 < n and (toks[s + 1].is_quote or clause_at(toks, s + 1, n)):
                return s + 1
            continue
        if t.text in ".!?;":
            return None
        if t.low == "that":
            return s + 1
        if s > j and (toks[s - 1].low in PREPOSITIONS or toks[s - 1].low.endswith(("'s", "’s"))
                      or (toks[s - 1].text[:1].isupper() and t.text[:1].isupper())):
            continue  # ``told a meeting in Calder the ...``: inside a phrase, not the clause's subject
        if s > j and any(toks[x].low in PREPOSITIONS for x in range(j, s)) and t.low not in _PRONOUN_STARTS:
            later = next((x for x in range(s, min(n, j + reach)) if toks[x].low in _PRONOUN_STARTS
                          and clause_at(toks, x, n, loose=False)), None)
            if later is not None:
                return later  # ``said on a visit to Sydney there was``
        if t.low in ("if", "whether") or clause_at(toks, s, n, loose=s == j and not tell):
            return s
    return None


def _trailing_end(toks: list[Tok], k: int) -> int | None:
    """After a trailing attribution's verb (or inverted speaker): the end of its own words,
    when the sentence ends there or a comma carries on; None when a clause follows instead."""
    n = len(toks)
    j = k
    while j < n and j - k < LISTENER_REACH:
        t = toks[j]
        if t.text in ".!?;" or t.is_quote:
            return j
        if t.text in ",:—–":
            return j
        if j > k and (is_finite(toks, j) or t.low == "that"):
            return None
        j += 1
    return j if j >= n else None


def attributions(toks: list[Tok], mentions: tuple[Mention, ...], headline: bool = False) -> list[Attribution]:
    """The attributions of one sentence, in order, with the ranges each covers."""
    found: list[Attribution] = []
    n = len(toks)
    resume = 0
    for i in [k for k, t in enumerate(toks) if t.low in _CANDIDATES or (headline and t.text == ":")]:
        if i < resume:
            continue
        t = toks[i]
        a = None
        if not t.is_quote:
            if t.low == "according" and i + 1 < n and toks[i + 1].low == "to":
                a = _according(toks, i, mentions)
            elif t.low == "quoted":
                a = _quoted_as(toks, i, mentions)
            elif (t.low in cues.SPEECH_VERBS or t.low in cues.NAMING_VERBS) and t.text[0].islower():
                a = _at_verb(toks, i, mentions, found[-1] if found else None)
            elif headline and t.text == ":" and i > 0:
                a = _headline_colon(toks, i, mentions)
        if a and found and found[-1].cue == "according to" and found[-1].style == "lead" and a.style != "trail":
            a = None  # ``According to Mr Vale, Lord Ashby had warned ...``: what Mr Vale says
        if a and found and found[-1].style in ("lead", "elided") and not _opens_clause(toks, a):
            a = None  # ``denied they were forced out because of the reports claiming ...``: one report
        if a:
            found.append(a)
            resume = a.claim[1]
    _spread(found, n, toks)
    return found


def _opens_clause(toks: list[Tok], a: Attribution) -> bool:
    """Whether an attribution stands at a clause's edge (after a comma, a quote, ``and`` or
    ``but``), so it may start a new report inside an earlier one's sentence."""
    k = a.claim[0]
    if a.style == "trail":
        return True
    before = toks[k - 1] if k else None
    here = toks[k]
    return (before is None or before.is_quote or before.text in ",;:—–" or before.low in ("and", "but")
            or here.text in ",;:—–" or here.low in ("and", "but"))


def _quoted_as(toks: list[Tok], i: int, mentions) -> Attribution | None:
    """``the agency quoted X as saying``: the words are X's."""
    n = len(toks)
    for k in range(i + 2, min(n - 1, i + LISTENER_REACH)):
        if toks[k].low == "as" and toks[k + 1].low == "saying":
            sp = speakers.before(toks, k, mentions, floor=i + 1)
            if sp is None:
                return None
            start = _content_start(toks, k + 2, False)
            sub = speakers.before(toks, i, mentions)
            lo = sub.lo if sub else i
            if start is not None:
                return Attribution(i, "quoted ... as saying", sp, "lead", (lo, start))
            if lo and (toks[lo - 1].text == "," or toks[lo - 1].is_quote):
                return Attribution(i, "quoted ... as saying", sp, "trail", (lo - (toks[lo - 1].text == ","), k + 2))
            return None
    return None


def _according(toks: list[Tok], i: int, mentions) -> Attribution | None:
    sp = speakers.after(toks, i + 1, mentions)
    if not sp:
        return None
    if i == 0 or (i == 1 and toks[0].text in ",("):
        return Attribution(i, "according to", sp, "lead", (i, sp.hi))
    return Attribution(i, "according to", sp, "trail", (i - 1 if toks[i - 1].text == "," else i, sp.hi))


def _headline_colon(toks: list[Tok], i: int, mentions) -> Attribution | None:
    sp = speakers.before(toks, i, mentions)
    if sp and sp.lo == 0 and i + 1 < len(toks) and toks[i + 1].is_quote:
        return Attribution(i, ":", sp, "lead", (0, i + 1))
    return None


def _at_verb(toks: list[Tok], i: int, mentions, prev: Attribution | None) -> Attribution | None:
    t = toks[i]
    low = t.low
    k = i + 1
    if low in cues.PARTICLE_AFTER:
        if not (k < len(toks) and toks[k].low == cues.PARTICLE_AFTER[low]):
            return None
        k += 1
    cue = " ".join(x.text for x in toks[i:k])
    indirect = low not in cues.NAMING_VERBS and low not in cues.DIRECT_ONLY
    tell = low in cues.TELL_VERBS
    if i and toks[i - 1].low.endswith(("'s", "’s", "s'", "s’")):
        return None  # ``the referee's report``: a noun
    if i and toks[i - 1].low in PASSIVE and low in cues.NAMING_VERBS:
        return _passive(toks, i, k, cue, mentions)
    sub = speakers.before(toks, i, mentions)
    if sub and (low not in NOUN_LIKE or _agrees(low, sub, toks)):
        return _with_subject(toks, i, k, cue, sub, tell, indirect)
    prev_tok = toks[i - 1] if i else None
    if prev_tok is not None and (prev_tok.text in ",—–-" or prev_tok.is_quote):
        inv = speakers.after(toks, k - 1, mentions)
        if inv:
            end = _trailing_end(toks, inv.hi)
            if end is not None:
                lo = i - 1 if prev_tok.text in ",—–" else i
                return Attribution(i, cue, inv, "trail", (lo, end), indirect=indirect)
        if low.endswith("ing") and prev_tok.text in ",—–-":
            start = _content_start(toks, k, tell)
            if start is not None:
                return Attribution(i, cue, None, "elided", (i - 1, start), [(start, len(toks))], indirect)
    if prev is not None and prev_tok is not None and prev_tok.low in ("and", "but") and low not in NOUN_LIKE:
        start = _content_start(toks, k, tell)
        if start is not None:
            lo = i - 2 if i >= 2 and toks[i - 2].text == "," else i - 1
            return Attribution(i, cue, None, "elided", (lo, start), [(start, len(toks))], indirect)
    return None


def _agrees(verb: str, sub: Found, toks: list[Tok]) -> bool:
    """Whether a word that is as often a noun is a verb after this subject: ``Tunely claims``,
    ``they report``, ``analysts report``; not ``the Harlow report``, ``the claims``."""
    head = toks[sub.hi - 1].low
    plural = head in ("they", "we", "i", "you") or head in speakers.PLURAL_SOURCES
    if verb.endswith("s"):
        return sub.kind != "description" or not plural
    return plural


def _with_subject(toks, i, k, cue, sub: Found, tell: bool, indirect: bool) -> Attribution | None:
    start = _content_start(toks, k, tell)
    after_quote = sub.lo > 0 and (toks[sub.lo - 1].is_quote or (
        sub.lo > 1 and toks[sub.lo - 1].text == "," and toks[sub.lo - 2].is_quote))
    if start is not None and toks[start].is_quote and after_quote and toks[start - 1].text == ",":
        start = None  # ``"...," she said, "..."``: a split quote, both halves trailing
    if start is not None:
        return Attribution(i, cue, sub, "lead", (sub.lo, start), [(start, len(toks))], indirect)
    end = _trailing_end(toks, k)
    if sub.kind == "name":  # ``"...," Velta's chief executive Dana Reyes said``
        sub = replace(sub, lo=speakers.role_start(toks, sub.lo))
    if end is None or sub.lo == 0:
        return _bare(toks, i, k, cue, sub)
    before = toks[sub.lo - 1]
    if not (before.text in ",—–" or before.is_quote or before.low in ("and", "but")):
        return None
    lo = sub.lo - 1 if before.text in ",—–" else sub.lo
    return Attribution(i, cue, sub, "trail", (lo, end), indirect=indirect)


def _passive(toks, i, k, cue, mentions) -> Attribution | None:
    """``X was described as a "consummate professional" by his friend Y``: the quoted words
    are the agent's, named after ``by``."""
    n = len(toks)
    by = next((j for j in range(k, min(n, k + PASSIVE_REACH)) if toks[j].low == "by"), None)
    if by is None or not any(toks[j].is_quote for j in range(k, by)):
        return None
    for j in range(by + 1, min(n, by + 1 + AGENT_REACH)):
        m = speakers.mention_at(mentions, toks[j])
        if m is not None and m.type != "place" and m.end == toks[j].end:
            return Attribution(i, cue, Found(by + 1, j + 1, "name", m), "passive", (by, j + 1), [(k, by)],
                               indirect=False)
        if toks[j].text in ".;:" or toks[j].is_quote:
            return None
    return None


def _bare(toks, i, k, cue, sub: Found) -> Attribution | None:
    """A sentence's subject with a verb of saying and no reported clause (``Ewan Lockhart
    repeated his party's calls``, ``Mr Ames accused both parties of a "bidding war"``): no
    indirect quote, but the quoted words after the verb are the subject's, and so are the
    quotes that carry on after it."""
    if sub.lo != 0 or sub.kind == "description" or toks[i - 1].text == ",":
        return None
    return Attribution(i, cue, sub, "bare", (sub.lo, k), [(k, len(toks))], indirect=False)


def _carries_on(toks: list[Tok], j: int, hi: int) -> bool:
    """Whether the words after a mid-sentence attribution carry the report on (``the
    government, suggests Mr Pryce, could act``, ``, he said, though work still needed``)."""
    if toks[j].low in cues.DETERMINERS or speakers.is_head(toks[j].low):
        return False  # ``said Paul Ostrow, chief executive of ...``: an apposition
    return any(is_finite(toks, k) for k in range(j, min(hi, j + CLAUSE_REACH)))


def _spread(found: list[Attribution], n: int, toks: list[Tok]) -> None:
    """Give each attribution its content: a leading one up to the next attribution, a trailing
    one back to the previous (and on to a quote after a comma: the second half of a split quote)."""
    for k, a in enumerate(found):
        nxt = found[k + 1].claim[0] if k + 1 < len(found) else n
        if a.style in ("lead", "elided", "bare", "passive"):
            if a.content:
                a.content = [(a.content[0][0], min(a.content[0][1], nxt))]
            else:
                a.content = [(a.claim[1], nxt)]
            continue
        prev_end = 0
        if k:
            p = found[k - 1]
            prev_end = max(p.claim[1], max((hi for _, hi in p.content), default=0))
        a.content = [(prev_end, a.claim[0])] if prev_end < a.claim[0] else []
        j = a.claim[1]
        if j < nxt and toks[j].text in ",:" and j + 1 < nxt and (
                toks[j + 1].is_quote or clause_at(toks, j + 1, nxt) or _carries_on(toks, j + 1, nxt)):
            a.content.append((j + 1, nxt))  # a split quote, or ``, said Mr X, improvements ...``
