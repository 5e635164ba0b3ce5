"""Cross-references: passages of *other* articles related to one passage.

For the passage under the cursor, candidates come from one Whoosh query made
of its entities (as their indexed forms) and its salient terms (stems, numbers
included), each weighted by rarity (idf). Candidates are then scored by the
cosine of the two passages' weighted signal sets, entities counting extra, and
by kind (a heading or caption weighs less). Scores are 0-1. Near-identical
passages (reposts of one wire story) are folded into one entry, and pairs that
give different figures for the same thing are marked.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz

from reader.core import entities as ents
from reader.core.errors import NotFoundError
from reader.core.search.analyzer import analyzer
from reader.core.search.index import form_token, passage_id, posting_ids
from reader.core.xref.signals import Signals, make_signals

ENTITY_BOOST = 1.6
"""An entity shared counts this much more than a word of the same rarity."""
KIND_WEIGHT = {"paragraph": 1.0, "quote": 1.0, "list-item": 0.95, "heading": 0.75, "caption": 0.7}
MAX_TERMS = 20
PAIR_WEIGHT = 0.5
"""A shared pair of adjacent words counts this share of its two words' rarity."""
CANDIDATES = 60
POSTINGS_BUDGET = 20000
"""How many postings the candidate query may read (its speed at scale)."""
REPOST_SIMILARITY = 88


@dataclass(frozen=True)
class Related:
    """One related passage and why it was chosen."""

    article: str
    passage: int
    score: float
    text: str
    title: str
    kind: str
    shared_entities: list[str]
    shared_terms: list[str]
    reposts: list[tuple[str, int]] = field(default_factory=list)
    """Other (article, passage) pairs carrying the same text."""
    disagreement: str = ""
    """E.g. ``25 vs 200 people``: the two passages give different figures."""

    def note_suffix(self) -> str:
        out = ""
        if self.reposts:
            out += f"; {len(self.reposts)} repost{'s' if len(self.reposts) > 1 else ''}"
        if self.disagreement:
            out += f"; figures differ: {self.disagreement}"
        return out

    def to_json(self) -> dict:
        return {"article": self.article, "passage": self.passage, "score": round(self.score, 3),
                "title": self.title, "kind": self.kind, "text": self.text,
                "shared_entities": self.shared_entities, "shared_terms": self.shared_terms,
                "reposts": [{"article": a, "passage": n} for a, n in self.reposts],
                "disagreement": self.disagreement or None}


@dataclass(frozen=True)
class XrefResult:
    article: str
    passage: int
    related: list[Related]

    def to_json(self) -> dict:
        return {"article": self.article, "passage": self.passage,
                "related": [r.to_json() for r in self.related]}


# -- figures ---------------------------------------------------------------

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_FIGURE = re.compile(r"\b(\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")\s+"
                     r"((?:[a-z-]+\s+){0,2}?)(?P<what>[a-z]{3,})\b", re.I)
_NOT_WHAT = {"years", "year", "days", "day", "hours", "hour", "weeks", "months", "percent", "km", "miles",
             "of", "and", "or", "to", "in", "on", "at", "the", "others", "other", "more", "million",
             "thousand", "hundred", "billion", "am", "pm"}


def figures(text: str) -> dict[str, set[float]]:
    """``{"people": {25.0}, "civilian": {2.0}}``: counts and what they count."""
    out: dict[str, set[float]] = {}
    for m in _FIGURE.finditer(text):
        raw, what = m.group(1).lower(), m.group("what").lower()
        if what in _NOT_WHAT or re.fullmatch(r"(19|20)\d\d", raw):
            continue
        value = float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw.replace(",", ""))
        out.setdefault(what.rstrip("s"), set()).add(value)
    return out


def disagreement(a: str, b: str) -> str:
    fa, fb = figures(a), figures(b)
    for what in sorted(fa.keys() & fb.keys()):
        if not fa[what] & fb[what]:
            x, y = min(fa[what]), min(fb[what])
            return f"{x:g} vs {y:g} {what}s" if not what.endswith("le") else f"{x:g} vs {y:g} {what}"
    return ""


# -- ranking -----------------------------------------------------------------

def _signals_of(doc) -> Signals:
    stems = (doc.get("sig") or "").split(" ")
    forms = {form_token(f) for _, _, f in _spans(doc)}
    return make_signals(stems, forms)


class Xref:
    """Cross-reference engine over an updated :class:`~reader.core.library.Library`."""

    def __init__(self, library):
        self.lib = library
        self._cache: dict[tuple[str, int, int], XrefResult] = {}
        self._idf_cache: dict[tuple[str, str], float] = {}
        self._entity_of_form: dict[str, str] | None = None
        self._stems_cache: dict[str, list[tuple[str, ...]]] = {}

    def _idf(self, reader, fieldname: str, term: str, n_docs: int) -> float:
        key = (fieldname, term)
        if key not in self._idf_cache:
            df = reader.doc_frequency(fieldname, term)
            self._idf_cache[key] = math.log(1 + n_docs / (1 + df)) if df else 0.0
        return self._idf_cache[key]

    def entity_of_form(self, form: str) -> str:
        """The entity id an indexed form belongs to (the form itself when none)."""
        if self._entity_of_form is None:
            res = self.lib.resolution
            table = {}
            for e in res.entities:
                for f in res.forms(e.id):
                    table.setdefault(form_token(ents.normalise_name(f)), e.id)
            self._entity_of_form = table
        return self._entity_of_form.get(form, form)

    def _weights(self, sig: Signals, reader, n_docs: int) -> dict[str, float]:
        """Signal key -> weight (rarity); entity keys are entity ids."""
        w: dict[str, float] = {}
        for t in sig.terms:
            w["t:" + t] = self._idf(reader, "text", t, n_docs)
        for a, b in sig.pairs:
            w[f"p:{a} {b}"] = PAIR_WEIGHT * (self._idf(reader, "text", a, n_docs)
                                             + self._idf(reader, "text", b, n_docs))
        for f in sig.forms:
            key = "e:" + self.entity_of_form(f)
            w[key] = max(w.get(key, 0.0), self._idf(reader, "ent", f, n_docs) * ENTITY_BOOST)
        return w

    def related(self, article_id: str, n: int, limit: int = 10) -> XrefResult:
        key = (article_id, n, limit)
        if key in self._cache:
            return self._cache[key]
        info = self.lib.info(article_id)
        if not 0 <= n < info.passages:
            raise NotFoundError(f"Article {article_id} has passages 0 to {info.passages - 1}, not {n}.")
        result = XrefResult(article_id, n, self._rank(article_id, n, limit))
        if len(self._cache) > 2000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _candidates(self, source: Signals, wp: dict[str, float], reader, limit: int) -> list[int]:
        """Document numbers sharing the most signal weight with the source.

        Signals are taken rarest first until their posting lists reach the
        budget: every signal in a small corpus, the rare ones (the ones that
        decide the ranking, and cheap to read) in a large one. Postings are
        read directly and weights summed per document: no BM25 matcher tree.
        Signals found in this passage only cannot find anything: skipped.
        """
        signals = [("text", t, wp["t:" + t]) for t in source.terms]
        signals += [("ent", f, wp["e:" + self.entity_of_form(f)]) for f in source.forms]
        acc = np.zeros(reader.doc_count_all())
        postings = 0
        for fieldname, term, w in sorted(signals, key=lambda s: -s[2]):
            df = reader.doc_frequency(fieldname, term)
            if df <= 1 or w <= 0:
                continue
            if postings and postings + df > POSTINGS_BUDGET:
                break
            postings += df
            acc[posting_ids(reader, fieldname, term)] += w
        found = np.flatnonzero(acc)
        if len(found) > limit:
            found = found[np.argpartition(-acc[found], limit - 1)[:limit]]
        return found[np.lexsort((found, -acc[found]))].tolist()

    def _rank(self, article_id: str, n: int, limit: int) -> list[Related]:
        with self.lib.searching() as lease:
            return self._rank_with(lease.searcher, article_id, n, limit)

    def _rank_with(self, s, article_id: str, n: int, limit: int) -> list[Related]:
        reader = s.reader()
        n_docs = max(1, reader.doc_count())
        doc = s.document(pid=passage_id(article_id, n))
        if doc is None:
            return []
        source = _signals_of(doc)
        wp = self._weights(source, reader, n_docs)
        docnums = self._candidates(source, wp, reader, CANDIDATES + self.lib.info(article_id).passages)
        cands = [reader.stored_fields(d) for d in docnums]
        scored = [self._score(c, source, wp, reader, n_docs) for c in cands if c["article"] != article_id]
        scored = [r for r in scored if r is not None]
        scored.sort(key=lambda r: -r.score)
        return [replace(r, shared_terms=_surface(r.text, r.shared_terms))
                for r in _fold_reposts(scored, doc["text"], limit)]

    def _name_stems(self, entity_id: str) -> list[tuple[str, ...]]:
        """The stems of each of an entity's names (``("secur", "council")``)."""
        if entity_id not in self._stems_cache:
            forms = self.lib.resolution.forms(entity_id) if self.lib.resolution.entity(entity_id) else []
            stems = {tuple(t.text for t in analyzer()(f)) for f in forms}
            self._stems_cache[entity_id] = [s for s in stems if s]
        return self._stems_cache[entity_id]

    def _names_as_words(self, has: dict[str, float], other: dict[str, float]) -> None:
        """An entity of one passage whose name stands in the other as plain words
        (where the recogniser did not mark it) is shared: in ``other`` its words
        then count as the entity, not as words. (Corpus-level consistency, at
        query time.)"""
        for key in [k for k in has if k.startswith("e:") and k not in other]:
            for stems in self._name_stems(key[2:]):
                parts = [f"t:{stems[0]}"] if len(stems) == 1 else [
                    f"p:{a} {b}" for a, b in zip(stems, stems[1:])]
                if all(p in other for p in parts):
                    for p in parts + [f"t:{s}" for s in stems]:
                        other.pop(p, None)
                    other[key] = has[key]
                    break

    def _score(self, cand, source: Signals, wp, reader, n_docs) -> Related | None:
        wc = self._weights(_signals_of(cand), reader, n_docs)
        wp = dict(wp)
        self._names_as_words(wp, wc)
        self._names_as_words(wc, wp)
        shared = wp.keys() & wc.keys()
        score = _similarity(wp, wc, shared)
        if score <= 0:
            return None
        score = min(1.0, score * KIND_WEIGHT.get(cand["kind"], 1.0))
        entities = sorted((k[2:] for k in shared if k.startswith("e:")), key=lambda e: -wp["e:" + e])
        terms = sorted((k[2:] for k in shared if k.startswith("t:")), key=lambda t: -wp["t:" + t])
        return Related(cand["article"], cand["n"], score, cand["text"], self.lib.title(cand["article"]),
                       cand["kind"], entities, terms)


def _surface(text: str, stems: list[str]) -> list[str]:
    """The words of ``text`` that the stems came from (for showing the reasons)."""
    found: dict[str, str] = {}
    wanted = set(stems)
    for tok in analyzer()(text, chars=True, removestops=False):
        if tok.text in wanted and tok.text not in found:
            found[tok.text] = text[tok.startchar:tok.endchar]
    return [found.get(t, t) for t in stems]


def _similarity(wp: dict[str, float], wc: dict[str, float], shared: set[str]) -> float:
    """Cosine of two weighted signal sets, 0-1: rare signals shared count most."""
    dot = sum(wp[k] * wc[k] for k in shared)
    norm = math.sqrt(sum(w * w for w in wp.values()) * sum(w * w for w in wc.values()))
    return dot / norm if norm else 0.0


def _spans(doc) -> list[tuple[int, int, str]]:
    return [tuple(x) for x in json.loads(doc.get("spans") or "[]")]


def _fold_reposts(ranked: list[Related], source_text: str, limit: int) -> list[Related]:
    """The ``limit`` best entries, passages with near-identical text folded
    into the best-ranked one; each entry's figures checked against the source."""
    out: list[Related] = []
    for r in ranked:
        for i, kept in enumerate(out):
            if (abs(len(kept.text) - len(r.text)) < 0.2 * max(len(kept.text), 1)
                    and fuzz.ratio(kept.text, r.text) >= REPOST_SIMILARITY):
                out[i] = replace(kept, reposts=kept.reposts + [(r.article, r.passage)])
                break
        else:
            if len(out) < limit:
                out.append(r)
    return [replace(r, disagreement=disagreement(source_text, r.text)) for r in out]
