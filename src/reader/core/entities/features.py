"""Tokens and their features for the trained recogniser (shared by training and tagging).

Text is split the way the training data is (Groningen Meaning Bank): words
with their inner hyphens and apostrophes, abbreviations with their dots
(``Mr.``, ``U.S.``), a possessive ``'s`` and ``n't`` apart, every other mark
alone. Each token gets the features a linear-chain CRF weighs: the word, its
shape and suffix, what the gazetteers and word lists say of it (places by
weight, given names, titles, roles, organisation and place heads, demonyms),
whether it starts a sentence, and two article-level votes: the word also
written in lower case in the article (a common word) or capitalised in
mid-sentence (a name). Words far from any capital are never part of a name,
so only windows around capitalised tokens are tagged.

The features of a word are cached: a corpus repeats its words.
"""

from __future__ import annotations

import functools
import re
from functools import reduce
from operator import or_
from collections import Counter
from itertools import accumulate, chain
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.core.entities.cues import MODEL_ORG_HEADS, PLACE_HEADS, ROLES, TITLES
from reader.core.entities.gazetteer import ACRONYMS, FUNCTION_WORDS, NON_ENTITY_WORDS, gazetteer
from reader.core.entities.keys import normalise_name

_ABBREVIATIONS = ("Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Maj|Adm|Cmdr|Corp|Inc|Co|Ltd|Bros|Prof|Rev|Gov|Sen|Rep"
                  "|Mt|Ft|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|No|vs")
TOKEN = re.compile(
    r"[^\W\d_][^\W_]*(?![\w.'’&-])"                           # fast path: a plain word (the same as below)
    r"|[^\w\s'’]"                                              # fast path: a mark (only \S below takes it)
    r"|(?:[A-Za-z]\.){2,}(?:-[^\W\d_]+)?"                      # U.S., p.m., U.S.-led
    rf"|(?:{_ABBREVIATIONS})\.(?=\s)"                           # Mr. Corp.
    r"|(?<![\w'’])[OD]['’]\s[A-Z][a-z]+"                       # O' Neill, written apart
    r"|['’][sS]\b"                                             # a possessive, apart
    r"|[^\W\d_](?:[^\W_]|[-&](?=[^\W_])|['’](?![sS]\b)(?=[^\W_]))*"  # words, al-Qaida, Shi'ite, AT&T
    r"|\d(?:[\d,.:/]*\d)?(?:[^\W\d_]+)?"                        # 1,000 2.5 1990s 10th
    r"|\S")
SENTENCE_END = frozenset(".!?:;")
"""Marks after which the next word starts a sentence."""
_OPENERS = frozenset("\"'“‘([«")
WINDOW = 1
"""Tokens tagged on each side of a capitalised token (joiners of ``Bank of America``)."""
CONTEXT = (-2, -1, 1, 2)
"""Offsets of the neighbours whose words are features of a token."""
BOUNDARY = "<s>"
"""The word given for a neighbour before the start or after the end of the text."""
_BEFORE_INITIAL = SENTENCE_END | _OPENERS
"""Marks after which a capital says nothing of the word (it may start a sentence or a quote)."""
_CAPITAL_FUNCTION_WORDS = frozenset(w.capitalize() for w in FUNCTION_WORDS)
PLACE_RUN_WEIGHT = 2
"""Least gazetteer weight of a place of several words marked on its tokens."""


_SPLIT = re.compile(rf"(\s*)({TOKEN.pattern})")
"""Each token with the whitespace before it: ``split`` gives them as strings (no match object a
token), and a match starting with the whitespace is found sooner than one at each character."""


class Tokens:
    """A text's tokens: their words, and where each is in the text."""

    __slots__ = ("words", "_parts", "_starts", "_capitals")

    def __init__(self, words: list[str], parts: list[str] | None = None):
        self.words = words
        self._parts = parts
        """The text cut by :data:`_SPLIT`: for each token, an empty string, the whitespace before it and
        the token; last, the whitespace after the last token."""
        self._starts: list[int] | None = None
        self._capitals: list[int] | None = None

    def capitals(self) -> list[int]:
        """Which tokens start with a capital (worked out the first time it is asked)."""
        if self._capitals is None:
            self._capitals = [i for i, w in enumerate(self.words) if w[0].isupper()]
        return self._capitals

    def __len__(self) -> int:
        return len(self.words)

    def starts(self) -> list[int]:
        """Where each token starts in the text (worked out the first time it is asked)."""
        if self._starts is None:
            self._starts = list(accumulate(map(len, self._parts)))[1::3]
        return self._starts

    def start(self, i: int) -> int:
        return (self._starts or self.starts())[i]

    def end(self, i: int) -> int:
        return (self._starts or self.starts())[i] + len(self.words[i])


def tokenise(text: str) -> Tokens:
    """The text's tokens, split as the training data is."""
    parts = _SPLIT.split(text)
    return Tokens(parts[2::3], parts)


def is_capitalised(word: str) -> bool:
    """A word that may be (part of) a name: a capital first or after ``al-``."""
    c = word[:1]
    return c.isupper() or (len(word) > 3 and word[2] == "-" and word[3:4].isupper())


_ASCII_SHAPE = str.maketrans({**{c: "x" for c in "0123456789"}, **{chr(c): "x" for c in range(97, 123)},
                              **{chr(c): "X" for c in range(65, 91)}})
"""What :func:`_shape` makes of each ASCII letter and digit (a digit's ``d`` becomes ``x`` there,
as the model was trained)."""
_RUN = re.compile(r"(.)\1{2,}")


def _shape(word: str) -> str:
    if word.isascii():  # the same as below, in one pass
        return _RUN.sub(r"\1\1", word.translate(_ASCII_SHAPE))
    s = re.sub(r"[A-Z]", "X", re.sub(r"[a-z]", "x", re.sub(r"\d", "d", word)))
    s = re.sub(r"[^\x00-\x7f]", "x", s)
    return _RUN.sub(r"\1\1", s)


_OWN: dict[str, list[str]] = {}
_NEAR: dict[tuple[str, int], list[str]] = {}
_CACHE_MAX = 300_000


def own_features(word: str) -> list[str]:
    """The features of a word by itself (cached)."""
    f = _OWN.get(word)
    if f is not None:
        return f
    g = gazetteer()
    bare = word.replace(".", "")
    acronym = len(bare) > 1 and bare.isupper()
    low = bare if acronym else word.lower().rstrip(".") or word  # "U.S." is "US", not "us"; "Mr." is "mr"
    key = normalise_name(word)
    f = ["b", "w=" + low, "k=" + (bare if acronym else key), "sh=" + ("ACR" if acronym else _shape(word)),
         "s3=" + low[-3:]]
    if word[:1].isupper():
        f.append("cap")
        if word.isupper() and len(word) > 1:
            f.append("allcap")
    if "-" in word:
        f.append("hyph")
        f.extend("hp=" + normalise_name(p) for p in word.split("-")[-1:] if p)
    if acronym:  # its letters are no word: "US" is not "us"
        key = bare
    weight = g.places.get(key, 0.0)
    if weight:
        f.append(f"place{min(int(weight + 0.5), 4)}")
    if key in g.given_names:
        f.append("given")
    elif not weight and word[:1].isupper() and key not in g.demonyms and not acronym:
        f.append("unknown")  # a capitalised word no list knows: a company as often as a place
    if key in g.demonyms:
        f.append("demonym")
    for name, words in (("title", TITLES), ("role", ROLES), ("orghead", MODEL_ORG_HEADS), ("placehead", PLACE_HEADS),
                        ("function", FUNCTION_WORDS), ("nonentity", NON_ENTITY_WORDS)):
        if key in words:
            f.append(name)
    acr = ACRONYMS.get(bare) if acronym else None
    if acr:
        f.append("acr=" + acr[1])
    if len(_OWN) > _CACHE_MAX:
        _OWN.clear()
    _OWN[word] = f
    return f


def near_features(word: str, offset: int) -> list[str]:
    """The features of a neighbour at ``offset`` (cached)."""
    f = _NEAR.get((word, offset))
    if f is not None:
        return f
    p = f"{offset}:"
    if word == BOUNDARY:
        f = [p + "w=" + BOUNDARY]
    else:
        own = own_features(word)
        f = [p + own[1]]
        if abs(offset) == 1:
            f.append(p + own[3])
            f.extend(p + x for x in own[5:] if not x.startswith(("hp=", "acr=")))
    if len(_NEAR) > _CACHE_MAX:
        _NEAR.clear()
    _NEAR[(word, offset)] = f
    return f


@dataclass
class DocumentVotes:
    """What the whole article says of its words, for the article-level features."""

    lower: frozenset[str]
    """Words written in lower case somewhere in the article."""
    capitalised: frozenset[str]
    """Words written capitalised somewhere in the article, not first in a sentence."""


def document_votes(texts: Iterable[Tokens]) -> DocumentVotes:
    """The article-level votes of a document's tokenised texts."""
    seen, caps = set(), set()
    before = _BEFORE_INITIAL
    for toks in texts:
        words = toks.words
        seen.update(words)
        caps.update([words[i] for i in toks.capitals() if i and words[i - 1] not in before])
    return DocumentVotes(frozenset([w for w in seen if w[0].islower()]), frozenset(caps))


def windows(toks: Tokens, votes: DocumentVotes | None = None) -> list[tuple[int, int]]:
    """The ranges of tokens to tag: each capitalised token with :data:`WINDOW` on each side.
    A capitalised word that is a function word (``The``) or that the article also writes in
    lower case (``Meanwhile``) counts only with a capital after it."""
    out: list[tuple[int, int]] = []
    words = toks.words
    n = len(words)
    lower = votes.lower if votes else frozenset()
    weak = _CAPITAL_FUNCTION_WORDS
    capitals = toks.capitals()
    if "-" in "".join(words):  # and those after "al-"
        more = [i for i, w in enumerate(words) if w[2:3] == "-" and not w[0].isupper() and is_capitalised(w)]
        if more:
            capitals = sorted(capitals + more)
    for i in capitals:
        w = words[i]
        if (w in weak or w.lower() in lower) and not (i + 1 < n and words[i + 1][0].isupper()):
            continue
        a, b = i - WINDOW, i + WINDOW + 1
        if a < 0:
            a = 0
        if b > n:
            b = n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


INITIAL, DOCLOWER, DOCCAP, GAZ_B, GAZ_I = 1, 2, 4, 8, 16
"""Bits of a token's context flags (:func:`token_flags`)."""
FLAG_FEATURES = tuple(tuple(name for bit, name in ((INITIAL, "initial"), (DOCLOWER, "doclower"),
                                                   (DOCCAP, "doccap"), (GAZ_B, "gazB"), (GAZ_I, "gazI"))
                            if code & bit) for code in range(32))
"""The features each combination of context flags stands for, in the order they are written."""
_GAZ_BITS = {"gazB": GAZ_B, "gazI": GAZ_I}
_STARTS_AFTER = SENTENCE_END | {BOUNDARY}
_AFTER_MARKS = _STARTS_AFTER | _OPENERS


def token_flags(words: Sequence[str], a: int, b: int, votes: DocumentVotes, memo: dict | None = None) -> list[int]:
    """The context flags of ``words[a:b]``, where ``words`` holds a text with two
    :data:`BOUNDARY` words before and after it (a sentence start, the article writing the word
    in lower case or capitalised mid-sentence, inside a known place of several words).
    ``memo``: a dict kept over one document, of each word's own flags."""
    if memo is None:
        memo = {}
    seg = words[a:b]
    out = list(map(memo.get, seg))
    if None in out:
        for j, w in enumerate(seg):
            if out[j] is None:
                code = memo.get(w)
                if code is None:
                    code = memo[w] = _word_flags(w, votes)
                out[j] = code
    marks = _AFTER_MARKS
    for j in [j for j, prev in enumerate(words[a - 1:b - 1]) if prev in marks]:  # after a mark, rarely
        prev = words[a + j - 1]
        if prev in _STARTS_AFTER or (prev in _OPENERS and words[a + j - 2] in SENTENCE_END):
            out[j] |= INITIAL
    if reduce(or_, out, 0) & _PLACE_START:  # a word that may start a known place: read the runs
        places = _place_runs(words, a, b)
        out = [(code & ~_PLACE_START) | _GAZ_BITS.get(places.get(i), 0) for i, code in enumerate(out, a)]
    return out


_PLACE_START = 32
"""A word's flag in :func:`token_flags`'s memo: it may start a place of several words (no feature)."""


def _word_flags(w: str, votes: DocumentVotes) -> int:
    """A word's flags by the article's votes: written in lower case, capitalised mid-sentence;
    and :data:`_PLACE_START`."""
    code = 0
    if w[:1].isupper():
        low = w.lower()
        if low in votes.lower:
            code |= DOCLOWER
        if w in votes.capitalised:
            code |= DOCCAP
        if low in _place_starts():
            code |= _PLACE_START
    return code


def padded(toks: Tokens, lo: int = 0, hi: int | None = None) -> list[str]:
    """Tokens ``lo`` to ``hi`` of a text with two :data:`BOUNDARY` words on each side."""
    return [BOUNDARY, BOUNDARY] + toks.words[lo:hi] + [BOUNDARY, BOUNDARY]


def sequence_features(toks: Tokens, votes: DocumentVotes, a: int, b: int) -> list[list[str]]:
    """The features of tokens ``a`` to ``b`` of a text, seen in their whole context."""
    n = len(toks)
    lo, hi = max(0, a - 2), min(n, b + 2)
    words = padded(toks, lo, hi)
    shift = 2 - lo  # words[i + shift] is toks[i]
    own, near = _OWN, _NEAR
    out = []
    for i, code in zip(range(a + shift, b + shift), token_flags(words, a + shift, b + shift, votes)):
        w = words[i]
        f = (own.get(w) or own_features(w)) + (near.get((words[i - 2], -2)) or near_features(words[i - 2], -2)) \
            + (near.get((words[i - 1], -1)) or near_features(words[i - 1], -1)) \
            + (near.get((words[i + 1], 1)) or near_features(words[i + 1], 1)) \
            + (near.get((words[i + 2], 2)) or near_features(words[i + 2], 2))
        if code:
            f.extend(FLAG_FEATURES[code])
        out.append(f)
    return out


def label_counts(windows_words: Iterable[Sequence[str]], labels: Iterable[Sequence[str]]) -> dict[str, dict[str, int]]:
    """How often a first pass labelled each capitalised word of a document with each type
    (``O`` for none), over all its windows: the evidence of the document-level features."""
    counts: dict[str, dict[str, int]] = {}
    for (w, lab), k in Counter(chain.from_iterable(map(zip, windows_words, labels))).items():  # each pair once
        if w[:1].isupper():
            t = lab[2:] if lab != "O" else "O"
            c = counts.get(w)
            if c is None:
                counts[w] = {t: k}
            else:
                c[t] = c.get(t, 0) + k
    return counts


def document_features(words: Sequence[str], labels: Sequence[str], counts: dict[str, dict[str, int]],
                      memo: dict | None = None) -> list[list[str]]:
    """The second pass's features of one window (Krishnan & Manning's non-local features,
    stacked), added to the first pass's: the first pass's labels of it and its neighbours, and
    the type the first pass gave the same word most often elsewhere in the document
    (``nl=ORG``; ``nl=O`` where it named nothing elsewhere). ``memo``: a dict kept over one
    document's windows, so each (word, label) is weighed once."""
    n = len(words)
    if memo is None:
        memo = {}
    return [token_document_features(w, lab, labels[i - 1] if i else BOUNDARY,
                                    labels[i + 1] if i + 1 < n else BOUNDARY, counts, memo)
            for i, (w, lab) in enumerate(zip(words, labels))]


def token_document_features(word: str, label: str, before: str, after: str, counts: dict[str, dict[str, int]],
                            memo: dict) -> list[str]:
    """:func:`document_features` of one token labelled ``label`` between tokens labelled
    ``before`` and ``after`` (:data:`BOUNDARY` at a window's ends)."""
    f = ["p1=" + label, "p1-1=" + before, "p1+1=" + after]
    c = counts.get(word)
    if c is not None:
        nl = memo.get((word, label))
        if nl is None:
            nl = memo[word, label] = non_local(c, label)
        f.extend(nl)
    return f


def non_local(c: dict[str, int], lab: str) -> list[str]:
    """The ``nl`` features of a word the first pass labelled ``c`` times each way, here ``lab``."""
    mine = lab[2:] if lab != "O" else "O"
    if len(c) == 1:  # the same as below, for a word the first pass labelled one way
        (t, k), = c.items()
        k -= t == mine
        if k <= 0:
            return []
        if t == "O":
            return ["nl=O"]
        return ["nl=" + t, f"nl={t}/{lab}", "nlmaj=" + t]
    others = {t: k - (t == mine) for t, k in c.items() if k - (t == mine) > 0}
    named = {t: k for t, k in others.items() if t != "O"}
    if named:
        best = max(named, key=lambda t: (named[t], t))
        f = ["nl=" + best, f"nl={best}/{lab}"]
        if named[best] > others.get("O", 0):
            f.append("nlmaj=" + best)
        return f
    return ["nl=O"] if others else []


def stacked_features(features: Sequence[list[str]], words: Sequence[str], labels: Sequence[str],
                     counts: dict[str, dict[str, int]]) -> list[list[str]]:
    """The second pass's input for one window: each token's first-pass features and its
    :func:`document_features` (the same in training and in tagging)."""
    return [f + g for f, g in zip(features, document_features(words, labels, counts))]


@functools.lru_cache(maxsize=1)
def _place_starts() -> frozenset[str]:
    """The first words of the places of two or three words."""
    return frozenset(k.split(" ", 1)[0] for k, w in gazetteer().places.items()
                     if w >= PLACE_RUN_WEIGHT and 1 <= k.count(" ") <= 2)


def _place_runs(words: Sequence[str], a: int, b: int) -> dict[int, str]:
    """Tokens inside a known place name of two or three words (``New York``, ``Saudi Arabia``)."""
    starts = _place_starts()
    found: dict[int, str] = {}
    for i in range(a, b):
        w = words[i]
        if not w[:1].isupper() or w.lower() not in starts:
            continue
        places = gazetteer().places
        for n in (3, 2):
            if i + n > len(words):
                continue
            key = normalise_name(" ".join(words[i:i + n]))
            if key.count(" ") == n - 1 and places.get(key, 0) >= PLACE_RUN_WEIGHT:
                found[i] = "gazB"
                for j in range(i + 1, i + n):
                    found[j] = "gazI"
                break
    return found


__all__ = ["Tokens", "tokenise", "is_capitalised", "own_features", "near_features", "DocumentVotes", "token_flags",
           "padded", "FLAG_FEATURES", "BOUNDARY",
           "document_votes", "windows", "sequence_features", "label_counts", "document_features", "token_document_features", "non_local", "stacked_features", "SENTENCE_END",
           "WINDOW", "CONTEXT"]
