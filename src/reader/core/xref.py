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
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from whoosh import query as wq

from . import entities as ents
from .errors import NotFoundError
from .index import form_token, text_analyzer

ENTITY_BOOST = 1.6
"""An entity shared counts this much more than a word of the same rarity."""
KIND_WEIGHT = {"paragraph": 1.0, "quote": 1.0, "list-item": 0.95, "heading": 0.75, "caption": 0.7}
MAX_TERMS = 14
CANDIDATES = 80
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


# -- signals -----------------------------------------------------------------

def _stems(text: str) -> dict[str, str]:
    """Stem -> the first word form it came from."""
    out: dict[str, str] = {}
    for tok in text_analyzer()(text, chars=True, removestops=True):
        if len(tok.text) > 1:
            out.setdefault(tok.text, text[tok.startchar:tok.endchar])
    return out


class Xref:
    """Cross-reference engine over an updated :class:`~reader.core.library.Library`."""

    def __init__(self, library):
        self.lib = library
        self._cache: dict[tuple[str, int, int], XrefResult] = {}
        self._idf_cache: dict[tuple[str, str], float] = {}

    def _idf(self, reader, fieldname: str, term: str, n_docs: int) -> float:
        key = (fieldname, term)
        if key not in self._idf_cache:
            df = reader.doc_frequency(fieldname, term)
            self._idf_cache[key] = math.log(1 + n_docs / (1 + df)) if df else 0.0
        return self._idf_cache[key]

    def _entity_signals(self, reader, n_docs, mentions) -> dict[str, tuple[float, set[str]]]:
        """Entity id -> (weight, its indexed form tokens)."""
        out = {}
        for m in mentions:
            if not m.entity or m.entity in out:
                continue
            forms = {form_token(ents.normalise_name(f)) for f in self.lib.resolution.forms(m.entity)}
            forms.add(form_token(ents.normalise_name(m.text)))
            df = sum(reader.doc_frequency("ent", f) for f in forms)
            w = math.log(1 + n_docs / (1 + df)) * ENTITY_BOOST if df else 0.0
            out[m.entity] = (w, {f for f in forms if f})
        return out

    def related(self, article_id: str, n: int, limit: int = 10) -> XrefResult:
        key = (article_id, n, limit)
        if key in self._cache:
            return self._cache[key]
        article = self.lib.article(article_id)
        if not 0 <= n < len(article.passages):
            raise NotFoundError(f"Article {article_id} has passages 0 to {len(article.passages) - 1}, "
                                f"not {n}.")
        passage = article.passages[n]
        result = XrefResult(article_id, n, self._rank(article, passage, limit))
        self._cache[key] = result
        return result

    def _rank(self, article, passage, limit: int) -> list[Related]:
        ix = self.lib.whoosh
        with ix.searcher() as s:
            reader = s.reader()
            n_docs = max(1, reader.doc_count())
            ent_sig = self._entity_signals(reader, n_docs, passage.mentions)
            stems = _stems(passage.text)
            term_w = {t: self._idf(reader, "text", t, n_docs) for t in stems}
            top = dict(sorted(term_w.items(), key=lambda kv: -kv[1])[:MAX_TERMS])
            subqueries = [wq.Term("text", t, boost=w) for t, w in top.items() if w > 0]
            for w, forms in ent_sig.values():
                subqueries += [wq.Term("ent", f, boost=w) for f in forms if w > 0]
            if not subqueries:
                return []
            q = wq.Or(subqueries)
            hits = s.search(q, limit=CANDIDATES, mask=wq.Term("article", article.id))
            cands = [dict(h.fields()) for h in hits]
            total_p = sum(top.values()) + sum(w for w, _ in ent_sig.values())
            scored = [self._score(c, top, stems, ent_sig, total_p, reader, n_docs) for c in cands]
        scored = [r for r in scored if r and r.score > 0]
        scored.sort(key=lambda r: -r.score)
        return _fold_reposts(scored, passage.text)[:limit]

    def _score(self, cand, top, stems, ent_sig, total_p, reader, n_docs) -> Related | None:
        c_stems = _stems(cand["text"])
        c_forms = {form_token(f) for _, _, f in _spans(cand)}
        shared_t = [t for t in top if t in c_stems]
        shared_e = [e for e, (w, forms) in ent_sig.items() if forms & c_forms]
        shared_w = sum(top[t] for t in shared_t) + sum(ent_sig[e][0] for e in shared_e)
        if shared_w <= 0:
            return None
        total_c = sum(self._idf(reader, "text", t, n_docs) for t in c_stems)
        total_c += sum(self._idf(reader, "ent", f, n_docs) * ENTITY_BOOST for f in c_forms)
        score = shared_w / math.sqrt(max(total_p, 1e-9) * max(total_c, shared_w, 1e-9))
        score = min(1.0, score * KIND_WEIGHT.get(cand["kind"], 1.0))
        words = [stems.get(t, t) for t in shared_t]
        return Related(cand["article"], cand["n"], score, cand["text"], cand["title"], cand["kind"],
                       shared_e, words)


def _spans(cand) -> Iterable[tuple[int, int, str]]:
    return json.loads(cand.get("spans") or "[]")


def _fold_reposts(ranked: list[Related], source_text: str) -> list[Related]:
    """Fold passages with near-identical text into the best-ranked one."""
    out: list[Related] = []
    for r in ranked:
        for i, kept in enumerate(out):
            if (abs(len(kept.text) - len(r.text)) < 0.2 * max(len(kept.text), 1)
                    and fuzz.ratio(kept.text, r.text) >= REPOST_SIMILARITY):
                out[i] = Related(kept.article, kept.passage, kept.score, kept.text, kept.title, kept.kind,
                                 kept.shared_entities, kept.shared_terms,
                                 kept.reposts + [(r.article, r.passage)], kept.disagreement)
                break
        else:
            out.append(r)
    return [Related(r.article, r.passage, r.score, r.text, r.title, r.kind, r.shared_entities,
                    r.shared_terms, r.reposts, disagreement(source_text, r.text)) for r in out]


def related(library, article_id: str, n: int, limit: int = 10) -> XrefResult:
    """Cross-references of passage ``n`` of ``article_id`` (engine cached on the library)."""
    engine = getattr(library, "_xref", None)
    if engine is None:
        engine = library._xref = Xref(library)
    return engine.related(article_id, n, limit)
