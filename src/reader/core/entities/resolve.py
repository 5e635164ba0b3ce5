"""Applying a corpus's resolution: an article's mentions to entities, and fuzzy look-ups.

:class:`Resolution` is built by :func:`reader.core.entities.clusters.resolve_corpus`
(the rules are described there) and stored with the index as plain data
(:meth:`Resolution.to_data`, :meth:`Resolution.from_data`).
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process

from reader.core.entities.cues import PERSON
from reader.core.entities.forms import Keyer
from reader.core.entities.keys import normalise_name, phonetic, skeleton
from reader.core.entities.headlines import headline_mentions, is_headline
from reader.core.model import Article, Entity, Mention, Passage

LOOKUP_CUTOFF = 80.0
"""Least rapidfuzz score (0-100) of a look-up that is reported as a match."""
SKELETON_SCORE = 90.0
"""Score of a look-up whose consonants are a name's (``blare`` -> ``Blair``, ``gordon brwn``):
as sure as one edit in a long name, so a plain search also finds the passages naming it."""
SKELETON_MIN = 3
"""Least number of letters in a skeleton that may match alone (``kv`` of ``kiev`` is too short)."""
DATA_FORMAT = 1
"""Version of :meth:`Resolution.to_data`'s shape; data of another version is refused."""


class ResolutionDataError(ValueError):
    """Stored resolution data of another format, or damaged: the caller rebuilds it."""


class Resolution:
    """Every entity of a corpus, and how to put them on an article's mentions."""

    def __init__(self, entities: list[Entity], form_entity: dict[str, str], article_entity: dict[tuple[str, str], str],
                 suppressed: set[str], acronyms: dict[str, str]):
        self.entities = entities
        self._by_id = {e.id: e for e in entities}
        self._form_entity = form_entity
        self._article_entity = article_entity
        self._suppressed = suppressed
        self._keyer = Keyer(acronyms)
        self._phonetic_entity = {phonetic(k): v for k, v in form_entity.items()}
        self._choices: list[str] | None = None
        self._choice_ids: list[str] = []
        self._skeletons: dict[str, set[str]] = {}
        self._surnames: dict[str, str] | None = None

    def to_data(self) -> dict:
        """The resolution as plain JSON-able data (see :meth:`from_data`)."""
        return {"format": DATA_FORMAT,
                "entities": [[e.id, e.name, e.type, list(e.aliases), e.mentions, e.articles] for e in self.entities],
                "forms": self._form_entity,
                "article_forms": [[aid, key, eid] for (aid, key), eid in sorted(self._article_entity.items())],
                "suppressed": sorted(self._suppressed),
                "acronyms": self._keyer.acronyms}

    @classmethod
    def from_data(cls, data) -> "Resolution":
        """The resolution :meth:`to_data` gave; :class:`ResolutionDataError` for data of
        another format or damaged (the caller resolves the corpus again)."""
        if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
            raise ResolutionDataError("The stored entities are of another format.")
        try:
            entities = [Entity(str(i), str(n), str(t), tuple(map(str, a)), int(m), int(k))
                        for i, n, t, a, m, k in data["entities"]]
            forms = {str(k): str(v) for k, v in data["forms"].items()}
            article = {(str(a), str(k)): str(e) for a, k, e in data["article_forms"]}
            res = cls(entities, forms, article, set(map(str, data["suppressed"])),
                      {str(k): str(v) for k, v in data["acronyms"].items()})
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ResolutionDataError(f"The stored entities are damaged ({e}).") from e
        if any(eid not in res._by_id for eid in forms.values()):
            raise ResolutionDataError("The stored entities are damaged (a form names no entity).")
        return res

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
        if not is_headline(text, kind):
            return ms

        surnames = self._surnames
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
        bones = skeleton(q)
        if len(bones.replace(" ", "")) >= SKELETON_MIN:
            for eid in self._skeletons.get(bones, ()):
                best[eid] = max(best.get(eid, 0.0), SKELETON_SCORE)
        hits = [(self._by_id[eid], round(s, 1)) for eid, s in best.items()
                if type is None or self._by_id[eid].type == type]
        hits.sort(key=lambda h: (-h[1], -h[0].mentions, h[0].id))
        return hits[:limit]

    def _build_choices(self) -> None:
        choices, ids = [], []
        bones: dict[str, set[str]] = defaultdict(set)
        for e in self.entities:
            keys = {normalise_name(a) for a in e.aliases} | {normalise_name(e.name)}
            for k in list(keys):
                keys.update(t for t in k.split() if len(t) >= 4)
            for k in sorted(keys):
                choices.append(phonetic(k))
                ids.append(e.id)
                bones[skeleton(choices[-1])].add(e.id)
        self._choices, self._choice_ids, self._skeletons = choices, ids, bones


__all__ = ["Resolution", "ResolutionDataError", "LOOKUP_CUTOFF", "DATA_FORMAT"]
