"""Resolving mentions into entities across the corpus, with rapidfuzz.

Resolution works on distinct surface forms, never on pairs of mentions. Each
form gets a key (:func:`normalise_name`, acronyms expanded: ``U.N. Security
Council`` -> ``united nations security council``; initials dropped), then forms
are joined by rules that each look things up in a hash table (the blocking):

* same key, or same transliteration key (``Aliyev``/``Aliev``: :func:`phonetic`);
* an acronym and its expansion (a table of well-known ones, plus the initials
  of the corpus's own long names: ``CSTO``);
* a short form and the one longer name it ends (``Pashinyan`` -> ``Nikol
  Pashinyan``, ``Karabakh`` -> ``Nagorno-Karabakh``); when several longer names
  fit, the one in the same article wins;
* a generic name after a possessive or demonym (``Armenia's Security Council``)
  is qualified by that place, so it stays apart from the UN's.

A cluster's type is the summed evidence of its mentions (corpus-level
consistency). The user's alias file (see :mod:`reader.core.aliases`) is applied
last.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz, process

from reader.core.entities.aliases import AliasConfig, normalise_name
from reader.core.entities.cues import ORG, PERSON, PLACE
from reader.core.entities.gazetteer import demonym_place, gazetteer
from reader.core.model import Article, Entity, Mention, Passage

SCORE_SAMPLE = 12
"""Mentions of one form whose context is weighed for its type (the rest vote)."""
LOOKUP_CUTOFF = 80.0
_STOP = frozenset("of the and for on in de la".split())
_POSSESSOR = re.compile(r"([A-Z][\w.-]*(?:\s[A-Z][\w-]*)?)(?:['’]s)?\s+$")
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ich)$")


def phonetic(key: str) -> str:
    """A transliteration-blind key: y/i/j, k/c/q/ck, kh/gh, ph/f, w/v, double letters."""
    s = key
    for a, b in (("ph", "f"), ("ck", "k"), ("kh", "k"), ("gh", "g"), ("zh", "j"), ("sch", "sh"),
                 ("c", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("y", "i"), ("j", "i")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def _initials(key: str) -> str:
    toks = [t for t in key.split() if t not in _STOP]
    return "".join(t[0] for t in toks) if len(toks) >= 2 else ""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-") or "entity"


@dataclass
class _Form:
    key: str
    texts: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    scores: dict = field(default_factory=lambda: {PERSON: 0.0, PLACE: 0.0, ORG: 0.0})
    scored: int = 0
    articles: set = field(default_factory=set)

    @property
    def count(self) -> int:
        return sum(self.texts.values())


class _Keyer:
    """Turns a mention into its form key, the same way at resolution and at apply."""

    def __init__(self, acronyms: dict[str, str]):
        self.acronyms = acronyms
        self._bare: dict[str, tuple[str, bool]] = {}

    def __getstate__(self) -> dict:  # stored with the resolution: the cache stays out
        return {"acronyms": self.acronyms}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["acronyms"])

    def key(self, text: str, passage: str = "", start: int = 0) -> str:
        known = self._bare.get(text)
        if known is None:  # the same surface comes back many times in a corpus
            key = normalise_name(text)
            toks = [t for t in key.split() if len(t) > 1 or not t.isalpha()] or key.split()
            if toks and toks[0] in self.acronyms and (len(toks) == 1 or text.split()[0].replace(".", "").isupper()):
                toks = self.acronyms[toks[0]].split() + toks[1:]
            key = " ".join(toks)
            known = self._bare[text] = (key, _generic(key))
        key, generic = known
        if passage and start and generic:
            owner = _possessor(passage[:start])
            if owner:
                key = f"{key} ({owner})"
        return key


def _generic(key: str) -> bool:
    from reader.core.entities.cues import ORG_HEADS, TITLES
    toks = key.split()
    return len(toks) >= 1 and toks[-1] in ORG_HEADS and all(t in ORG_HEADS or t in TITLES or t in _GENERIC for t in toks)


_GENERIC = frozenset("security human rights national general supreme central armed affairs health "
                     "foreign defense defence interior justice finance economic constitutional "
                     "electoral election intelligence emergency emergencies public high state".split())


def _possessor(left: str) -> str | None:
    """The place owning a generic name: ``Armenia's`` or ``Russian`` just before it."""
    m = _POSSESSOR.search(left[-40:])
    if not m:
        return None
    word = m.group(1)
    place = demonym_place(word)
    if place:
        return place
    if m.group(0).rstrip().endswith(("'s", "’s")) and gazetteer().places.get(normalise_name(word), 0) >= 2:
        return word
    return None


class Resolution:
    """Every entity of a corpus, and how to put them on an article's mentions."""

    def __init__(self, entities: list[Entity], form_entity: dict[str, str], article_entity: dict[tuple[str, str], str],
                 suppressed: set[str], acronyms: dict[str, str]):
        self.entities = entities
        self._by_id = {e.id: e for e in entities}
        self._form_entity = form_entity
        self._article_entity = article_entity
        self._suppressed = suppressed
        self._keyer = _Keyer(acronyms)
        self._phonetic_entity = {phonetic(k): v for k, v in form_entity.items()}
        self._choices: list[str] | None = None
        self._choice_ids: list[str] = []

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self._by_id.get(entity_id)

    def forms(self, entity_id: str) -> list[str]:
        """Every surface form of the entity (for the index to expand queries with)."""
        e = self._by_id.get(entity_id)
        return list(e.aliases) if e else []

    def _resolve(self, article_id: str, text: str, passage: str, start: int) -> str | None:
        key = self._keyer.key(text, passage, start)
        if key in self._suppressed:
            return None
        return (self._article_entity.get((article_id, key)) or self._form_entity.get(key)
                or self._phonetic_entity.get(phonetic(key)) or "")

    def apply(self, article: Article) -> Article:
        """The article with each mention's final type and entity; suppressed mentions removed."""
        def fix(ms: tuple[Mention, ...], text: str) -> tuple[Mention, ...]:
            out = []
            for m in ms:
                eid = self._resolve(article.id, m.text, text, m.start)
                if eid is None:
                    continue
                e = self._by_id.get(eid)
                out.append(Mention(m.start, m.end, m.text, e.type if e else m.type, eid))
            return tuple(out)

        return article.with_(
            title_mentions=self._add_known(fix(article.title_mentions, article.title), article.title, "title"),
            passages=tuple(Passage(p.n, p.kind, p.text, self._add_known(fix(p.mentions, p.text), p.text, p.kind))
                           for p in article.passages))

    def _add_known(self, ms: tuple[Mention, ...], text: str, kind: str) -> tuple[Mention, ...]:
        """In a headline, also mark the names the corpus knows (``Dials Blinken``)."""
        from reader.core.entities.recognise import headline_mentions, is_headline
        if not is_headline(text, kind):
            return ms

        surnames = getattr(self, "_surnames", None)
        if surnames is None:
            owners = defaultdict(set)
            for k, eid in self._form_entity.items():
                if " " in k and self._by_id[eid].type == PERSON:
                    owners[k.split()[-1]].add(eid)
            surnames = self._surnames = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}

        def entity_of(piece: str) -> str:
            key = self._keyer.key(piece)
            return self._form_entity.get(key) or surnames.get(key, "")

        def typer(piece: str) -> str | None:
            e = self._by_id.get(entity_of(piece))
            return e.type if e else None

        taken = [(m.start, m.end) for m in ms]
        extra = [Mention(s, e, t, typ, entity_of(t)) for s, e, t, typ in headline_mentions(text, typer)
                 if not any(s < b and a < e for a, b in taken)]
        return tuple(sorted(ms + tuple(extra), key=lambda m: m.start)) if extra else ms

    def lookup(self, name: str, limit: int = 10, type: str | None = None) -> list[tuple[Entity, float]]:
        """Entities the typed name may mean, best first, scored 0-100; [] when none is close."""
        q = phonetic(normalise_name(name))
        if not q:
            return []
        if self._choices is None:
            self._build_choices()
        best: dict[str, float] = {}
        for choice, score, i in process.extract(q, self._choices, scorer=fuzz.ratio, limit=None,
                                                score_cutoff=LOOKUP_CUTOFF - 15):
            if len(q) >= 3 and choice.startswith(q) and choice != q:
                score = max(score, LOOKUP_CUTOFF + 10 * len(q) / len(choice))  # as-you-type
            eid = self._choice_ids[i]
            if score >= LOOKUP_CUTOFF and score > best.get(eid, 0):
                best[eid] = score
        hits = [(self._by_id[eid], round(s, 1)) for eid, s in best.items()
                if type is None or self._by_id[eid].type == type]
        hits.sort(key=lambda h: (-h[1], -h[0].mentions, h[0].id))
        return hits[:limit]

    def _build_choices(self) -> None:
        choices, ids = [], []
        for e in self.entities:
            keys = {normalise_name(a) for a in e.aliases} | {normalise_name(e.name)}
            for k in list(keys):
                keys.update(t for t in k.split() if len(t) >= 4)
            for k in sorted(keys):
                choices.append(phonetic(k))
                ids.append(e.id)
        self._choices, self._choice_ids = choices, ids


def resolve_corpus(articles: Iterable[Article], aliases: AliasConfig | None = None) -> Resolution:
    """Cluster the mentions of all the corpus's articles (from ``recognise_article``) into entities.

    ``articles`` is read twice: pass a re-iterable collection (each ``iter()``
    starts again, e.g. streaming from the store) to keep memory flat at any
    corpus size; a one-shot iterator is first made into a list.
    """
    from reader.core.entities.clusters import build_resolution
    if iter(articles) is articles:
        articles = list(articles)
    return build_resolution(articles, aliases or AliasConfig())


__all__ = ["Resolution", "resolve_corpus", "phonetic", "normalise_name", "LOOKUP_CUTOFF"]
