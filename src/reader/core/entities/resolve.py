"""Applying a corpus's resolution: an article's mentions to entities, and fuzzy look-ups.

:class:`Resolution` is built by :func:`reader.core.entities.passes.resolve_corpus`
(the rules are described in :mod:`reader.core.entities.clusters`) and stored with
the index in SQLite tables (:mod:`reader.core.entities.tables`), read as needed.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from fractions import Fraction

from rapidfuzz import fuzz, process

from reader.core.entities.forms import Keyer
from reader.core.errors import IndexError_
from reader.core.entities.keys import normalise_name, phonetic, skeleton
from reader.core.entities.headlines import headline_mentions, is_headline
from reader.core.model import Article, Entity, Mention, Passage

LOOKUP_CUTOFF = 80.0
"""Least rapidfuzz score (0-100) of a look-up that is reported as a match."""
SKELETON_SCORE = 90.0
"""Score of a look-up whose consonants are a name's (``blare`` -> ``Blair``, ``gordon brwn``):
as sure as one edit in a long name, so a plain search also finds the passages naming it."""
PREFIX_CUTOFF = LOOKUP_CUTOFF - 15
"""Least ratio of a key the typed name begins (``pashin`` of ``pashinyan``) for the as-you-type bonus."""
SCORE_ROUNDING = 0.05
"""A reported score is rounded to a tenth: one this much below a cutoff is reported at it."""
PREFIX_MIN = 3
"""Least number of characters of a typed name that earns the as-you-type bonus."""
SKELETON_MIN = 3
"""Least number of letters in a skeleton that may match alone (``kv`` of ``kiev`` is too short)."""


class Resolution:
    """Every entity of a corpus, and how to put them on an article's mentions, read from
    its entity tables (:class:`~reader.core.entities.tables.EntityTables`) as needed:
    an entity, a form or an article's exceptions when asked for, the look-up keys
    of a length when a look-up first needs them."""

    def __init__(self, tables):
        self._tables = tables
        self._keyer = Keyer(tables.meta("acronyms", {}))
        self._suppressed = set(tables.meta("suppressed", []))
        self._all: list[Entity] | None = None
        self._by_id: dict[str, Entity | None] = {}
        self._form_entity: dict[str, str] = {}
        self._phonetic_entity: dict[str, str] = {}
        self._surnames: dict[str, str] = {}
        self._by_length: dict[int, tuple[Sequence[str], Sequence[str]]] = {}

    @property
    def entities(self) -> list[Entity]:
        """Every entity, most mentioned first."""
        if self._all is None:
            self._all = [Entity(*row) for row in self._tables.entity_rows()]
            self._by_id = {e.id: e for e in self._all}
        return self._all

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        self._known(entity_id)
        return self._by_id.get(entity_id)

    def preload(self, ids) -> None:
        """Read these entities in one query, so that :meth:`entity` answers them from memory."""
        self._known(*ids)

    def _known(self, *ids: str) -> None:
        wanted = [i for i in ids if i and i not in self._by_id]
        if wanted and self._all is None:
            self._by_id.update(dict.fromkeys(wanted))
            self._by_id.update((row[0], Entity(*row)) for row in self._tables.entity_rows(wanted))

    def forms(self, entity_id: str) -> list[str]:
        """Every surface form of the entity (for the index to expand queries with)."""
        e = self.entity(entity_id)
        return list(e.aliases) if e else []

    def alias_entities(self, forms) -> dict[str, str] | None:
        """Normalised alias -> the best-ranked entity having it, for these forms (the ones
        no entity has left out); None when the tables predate the alias table."""
        db = self._tables.db
        try:
            found = self._tables.mapped("res_aliases", "form", list(forms))
            if not found and db.one("SELECT 1 FROM res_aliases LIMIT 1") is None:
                return None if db.one("SELECT 1 FROM res_entities LIMIT 1") else {}
        except (sqlite3.OperationalError, IndexError_):  # a read-only store of before the alias table
            return None
        return found

    def _mapped(self, cache: dict, table: str, column: str, keys) -> None:
        missing = [k for k in set(keys) if k not in cache]
        if missing:
            cache.update(dict.fromkeys(missing, ""))
            cache.update(self._tables.mapped(table, column, missing))

    def _entities_of(self, article: Article) -> dict[tuple[str, str, int], str | None]:
        """(mention text, passage, start) -> entity id ("" for none, None when suppressed) of
        every mention of the article, asked of the tables in a few queries."""
        keyed = {(m.text, text, m.start): self._keyer.key(m.text, text, m.start)
                 for text, ms in [(article.title, article.title_mentions)] + [(p.text, p.mentions) for p in article.passages]
                 for m in ms}
        keys = set(keyed.values())
        overrides = self._tables.overrides(article.id)
        self._mapped(self._form_entity, "res_forms", "key", keys | set(overrides.values()))
        unknown = {phonetic(k) for k in keys if not self._form_entity.get(k)}
        self._mapped(self._phonetic_entity, "res_phonetic", "phon", unknown)
        out = {}
        for where, key in keyed.items():
            if key in self._suppressed:
                out[where] = None
                continue
            out[where] = (self._form_entity.get(overrides.get(key, "")) or self._form_entity.get(key)
                          or self._phonetic_entity.get(phonetic(key)) or "")
        self._known(*(e for e in out.values() if e))
        return out

    def apply(self, article: Article) -> Article:
        """The article with each mention's final type and entity; suppressed mentions removed."""
        found = self._entities_of(article)

        def fix(ms: tuple[Mention, ...], text: str) -> tuple[Mention, ...]:
            out = []
            for m in ms:
                eid = found[(m.text, text, m.start)]
                if eid is None:
                    continue
                e = self.entity(eid)
                out.append(Mention(m.start, m.end, m.text, e.type if e else m.type, eid))
            return tuple(out)

        return article.with_(
            title_mentions=self._add_known(fix(article.title_mentions, article.title), article.title, "title"),
            passages=tuple(Passage(p.n, p.kind, p.text, self._add_known(fix(p.mentions, p.text), p.text, p.kind))
                           for p in article.passages))

    def _add_known(self, ms: tuple[Mention, ...], text: str, kind: str) -> tuple[Mention, ...]:
        """In a headline, also mark the names the corpus knows (``Dials Blinken``)."""
        if not is_headline(text, kind):
            return ms

        def entity_of(piece: str) -> str:
            key = self._keyer.key(piece)
            self._mapped(self._form_entity, "res_forms", "key", [key])
            if self._form_entity[key]:
                return self._form_entity[key]
            self._mapped(self._surnames, "res_surnames", "surname", [key])
            return self._surnames[key]

        def typer(piece: str, words: tuple[str, ...]) -> str | None:
            e = self.entity(entity_of(piece))
            return e.type if e else None

        taken = [(m.start, m.end) for m in ms]
        extra = [Mention(s, e, t, typ, entity_of(t)) for s, e, t, typ in headline_mentions(text, typer)
                 if not any(s < b and a < e for a, b in taken)]
        return tuple(sorted(ms + tuple(extra), key=lambda m: m.start)) if extra else ms

    def lookup(self, name: str, limit: int = 10, type: str | None = None,
               least: float | None = None) -> list[tuple[Entity, float]]:
        """Entities the typed name may mean, best first, scored 0-100; [] when none is close.
        ``least``: only matches scoring at least this (as reported, to a tenth; above
        :data:`LOOKUP_CUTOFF`) are wanted.

        Only the keys that can score ``least`` are scored (see :func:`ratio_band`): the same
        matches as scoring every key."""
        q = phonetic(normalise_name(name))
        if not q:
            return []
        best: dict[str, float] = {}
        least = max(least or LOOKUP_CUTOFF, LOOKUP_CUTOFF)
        lo, hi = ratio_band(len(q), least - SCORE_ROUNDING)
        for keys, ids in self._bands(lo, hi):
            for choice, score, i in process.extract(q, keys, scorer=fuzz.ratio, limit=None,
                                                    score_cutoff=PREFIX_CUTOFF):
                self._keep(best, q, choice, score, ids[i])
        if len(q) >= PREFIX_MIN:
            for choice, eid in self._tables.choices_starting(q, prefix_longest(len(q))):
                score = fuzz.ratio(q, choice, score_cutoff=PREFIX_CUTOFF)
                if score:
                    self._keep(best, q, choice, score, eid)
        bones = skeleton(q)
        if len(bones.replace(" ", "")) >= SKELETON_MIN:
            for eid in self._tables.skeleton_ids(bones):
                best[eid] = max(best.get(eid, 0.0), SKELETON_SCORE)
        self._known(*best)
        hits = [(self.entity(eid), round(s, 1)) for eid, s in best.items()
                if self.entity(eid) and (type is None or self.entity(eid).type == type) and round(s, 1) >= least]
        hits.sort(key=lambda h: (-h[1], -h[0].mentions, h[0].id))
        return hits[:limit]

    @staticmethod
    def _keep(best: dict[str, float], q: str, choice: str, score: float, eid: str) -> None:
        """A key's score kept for its entity when it reaches the cutoff (a key the name begins: as-you-type)."""
        if len(q) >= PREFIX_MIN and choice.startswith(q) and choice != q:
            score = max(score, LOOKUP_CUTOFF + 10 * len(q) / len(choice))
        if score >= LOOKUP_CUTOFF and score > best.get(eid, 0):
            best[eid] = score

    def _bands(self, lo: int, hi: int) -> list[tuple[Sequence[str], Sequence[str]]]:
        """(keys, their entity ids) of each key length from ``lo`` to ``hi``, read once per length."""
        missing = [n for n in range(lo, hi + 1) if n not in self._by_length]
        if missing:
            for n in missing:
                self._by_length[n] = ([], [])
            for choice, eid in self._tables.choices_of_lengths(missing):
                keys, ids = self._by_length[len(choice)]
                keys.append(choice)
                ids.append(eid)
            for n in missing:  # kept as tuples: the cycle collector stops tracking them
                self._by_length[n] = tuple(map(tuple, self._by_length[n]))
        return [self._by_length[n] for n in range(lo, hi + 1) if self._by_length[n][0]]


def ratio_band(n: int, cutoff: float = LOOKUP_CUTOFF) -> tuple[int, int]:
    """Shortest and longest key that can score ``cutoff`` against a name of ``n`` characters.
    rapidfuzz's ratio is ``100 * (1 - indel / (n + m))`` and the indel distance is at least
    ``|n - m|``, so a score ``c`` needs ``n*c/(200-c) <= m <= n*(200-c)/c`` (80: ``2n/3..3n/2``)."""
    c = Fraction(str(cutoff))
    return math.ceil(n * c / (200 - c)), math.floor(n * (200 - c) / c)


def prefix_longest(n: int) -> int:
    """Longest key beginning with a name of ``n`` characters that scores :data:`PREFIX_CUTOFF`
    (its ratio is ``200n / (n + m)``); the as-you-type bonus lifts those to the cutoff."""
    return ratio_band(n, PREFIX_CUTOFF)[1]


def lookup_table(entities: list[Entity], known: dict[str, tuple] | None = None) -> tuple[list, list, list]:
    """The fuzzy look-up table, built once with the index: the phonetic key of every alias
    and of its longer words, the entity id of each, and each key's consonant skeleton.
    ``known``: entity id -> ((name, aliases), its keys, their skeletons) of the table
    before, reused for an entity whose names did not change."""
    choices, ids, skels = [], [], []
    known = known or {}
    for e in entities:
        was = known.get(e.id)
        if was and was[0] == (e.name, tuple(e.aliases)):
            mine, bones = was[1], was[2]
        else:
            keys = {normalise_name(a) for a in e.aliases} | {normalise_name(e.name)}
            for k in list(keys):
                keys.update(t for t in k.split() if len(t) >= 4)
            mine = [phonetic(k) for k in sorted(keys)]
            bones = [skeleton(c) for c in mine]
        choices += mine
        skels += bones
        ids += [e.id] * len(mine)
    return choices, ids, skels


__all__ = ["Resolution", "LOOKUP_CUTOFF", "lookup_table", "prefix_longest", "ratio_band"]
