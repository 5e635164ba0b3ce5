"""Quotes across a corpus: each stored quote with its speaker as an entity.

:func:`said_in` takes an article whose mentions the corpus-wide resolution has
set (``Resolution.apply``) and gives its quotes with the speaker's entity;
:class:`QuoteIndex` groups a corpus's quotes by speaker, for ``kreader
quotes --speaker``, the ``said:`` filter and the reader's Quotes view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from reader.core.model import QUOTE_TITLE, Article, Entity, Quote
from reader.core.quotes.extract import refer_again, speaker_entity

NAME_LOOKUP = 90.0
"""Least look-up score for a speaker's name the recogniser did not mark (``the British Council``)."""


@dataclass(frozen=True, slots=True)
class Said:
    """One quote of the corpus, with its speaker resolved."""

    article: str
    quote: Quote
    entity: Entity | None
    """The speaker's entity (for someone's office: the one it speaks for); None when unnamed."""
    fullest: str = ""
    """The fullest name the article gives the entity, when fuller than the entity's own name
    (``Institute for Civic Research`` for an entity named ``ICR``)."""

    @property
    def speaker_name(self) -> str | None:
        """The name shown for the speaker: the entity's (or the article's fuller one), else the
        words of a name not recognised."""
        if self.entity is not None:
            return self.fullest or self.entity.name
        sp = self.quote.speaker
        return sp.text if sp is not None and sp.kind == "name" else None

    def to_json(self) -> dict[str, Any]:
        """The shape of ``kreader quotes --json`` (see score_quotes.py's contract)."""
        q, sp = self.quote, self.quote.speaker
        speaker = None
        if self.speaker_name:
            speaker = {"name": self.speaker_name, "entity": self.entity.id if self.entity else None,
                       "type": self.entity.type if self.entity else None}
            if sp is not None and sp.via:
                speaker["via"] = sp.via
        return {"article": self.article, "passage": None if q.passage == QUOTE_TITLE else q.passage,
                "start": q.start, "end": q.end, "text": q.text, "kind": q.kind, "cue": q.cue,
                "partial": q.partial, "speaker": speaker,
                "speaker_text": sp.text if sp else None,
                "speaker_desc": sp.text if sp is not None and not self.speaker_name else None}


def said_in(article: Article, resolution) -> list[Said]:
    """The article's quotes with their speakers' entities (``resolution``: the corpus's)."""
    out = []
    longest = _longest_forms(article)
    for q in refer_again(article).quotes:
        entity = None
        m = speaker_entity(q.speaker, article)
        if m is not None and m.entity:
            entity = resolution.entity(m.entity)
        elif q.speaker is not None and q.speaker.kind == "name":
            hits = resolution.lookup(q.speaker.text, limit=1)
            if hits and hits[0][1] >= NAME_LOOKUP:
                entity = hits[0][0]
        fuller = longest.get(entity.id, "") if entity is not None else ""
        out.append(Said(article.id, q, entity, fuller if _words(fuller) > _words(entity.name) else "")
                   if entity is not None else Said(article.id, q, None))
    return out


def _words(name: str) -> int:
    return len(name.split())


def _longest_forms(article: Article) -> dict[str, str]:
    """Per entity id, the longest name the article gives it."""
    out: dict[str, str] = {}
    for m in article.title_mentions + tuple(m for p in article.passages for m in p.mentions):
        if m.entity and _words(m.text) > _words(out.get(m.entity, "")):
            out[m.entity] = m.text
    return out


class QuoteIndex:
    """A corpus's quotes, in corpus order, and by speaker."""

    def __init__(self, said: Iterable[Said]):
        self.all: list[Said] = list(said)
        self.by_entity: dict[str, list[Said]] = defaultdict(list)
        for s in self.all:
            if s.entity is not None:
                self.by_entity[s.entity.id].append(s)

    def of(self, entity_ids: Iterable[str]) -> list[Said]:
        """The quotes of these speakers, in corpus order."""
        ids = set(entity_ids)
        return [s for s in self.all if s.entity is not None and s.entity.id in ids]

    def passages_of(self, entity_ids: Iterable[str]) -> set[tuple[str, int]]:
        """(article, passage) of every passage where one of these speakers is quoted."""
        return {(s.article, s.quote.passage) for s in self.of(entity_ids) if s.quote.passage != QUOTE_TITLE}

    def speakers(self) -> list[tuple[Entity, int]]:
        """Every named speaker with the number of quotes, most quoted first."""
        counted = [(v[0].entity, len(v)) for v in self.by_entity.values()]
        return sorted(counted, key=lambda x: (-x[1], x[0].name))
