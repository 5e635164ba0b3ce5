"""Analysing one corpus file: read, clean, recognise; and what to index of it.

Runs in worker processes when many files change, so it takes and returns
plain picklable values. A container (records, feeds, archives) is analysed a
part at a time (:func:`analyse_parts`), in the process that writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.core import entities, quotes
from reader.core.ingest.files import stamp
from reader.core.ingest.formats import CONTAINERS, format_of
from reader.core.ingest.formats.base import MAX_NAMED_SKIPS, skips_message
from reader.core.ingest.formats.fields import FieldMap
from reader.core.ingest.formats.reading import read_source, to_articles
from reader.core.model import Article, LoadWarning
from reader.core.search.index import PassageDoc
from reader.core.stories.profile import packed_profile
from reader.core.xref.signals import content_stems
from reader.core.library.store import ArticleInfo, FileState, pack

PART_ARTICLES = 500
"""Articles of a container analysed and handed to the writer together."""


def passage_forms(article: Article) -> list[list[tuple[int, int, str]]]:
    """Per passage, the entity-like spans to index: mentions and demonyms."""
    out = []
    for p in article.passages:
        spans = [(m.start, m.end, entities.normalise_name(m.text)) for m in p.mentions]
        for start, end, word in _capitalised_words(p.text):
            place = entities.demonym_place(word)
            if place:
                spans.append((start, end, entities.normalise_name(place)))
        out.append([s for s in spans if s[2]])
    return out


def title_forms(article: Article) -> list[str]:
    """The names in an article's headline (mentions and demonyms), normalised."""
    forms = [entities.normalise_name(m.text) for m in article.title_mentions]
    forms += [entities.normalise_name(place) for _, _, word in _capitalised_words(article.title)
              if (place := entities.demonym_place(word))]
    return sorted({f for f in forms if f})


def with_quotes(article: Article) -> Article:
    """The article with its quotes and speakers found (see :mod:`reader.core.quotes`)."""
    return article.with_(quotes=quotes.find_quotes(article))


def speaker_forms(article: Article) -> dict[int, list[str]]:
    """Per passage, the normalised names of the speakers quoted in it (what ``said:`` finds)."""
    out: dict[int, list[str]] = {}
    for q in article.quotes:
        sp = q.speaker
        name = sp.ref_text if sp is not None and sp.named else (sp.text if sp is not None and sp.kind == "name" else "")
        form = entities.normalise_name(name) if name else ""
        if form:
            out.setdefault(q.passage, []).append(form)
    return out


_LETTERS = re.compile(r"[^\W\d_]+")
"""Runs of letters, near enough: a run may also hold a numeric sign that is no
digit (``²``, ``Ⅻ``), which :func:`_capitalised_words` splits at as ``str.isalpha`` does."""


def _capitalised_words(text: str):
    """(start, end, word) of each run of letters (``str.isalpha``) that begins with a capital."""
    for m in _LETTERS.finditer(text):
        word = m.group()
        if word.isalpha():
            if word[0].isupper():
                yield m.start(), m.end(), word
        else:
            yield from _letter_runs(text, m.start(), m.end())


def _letter_runs(text: str, begin: int, end: int):
    start = None
    for i in range(begin, end + 1):
        if i < end and text[i].isalpha():
            if start is None:
                start = i
        else:
            if start is not None and text[start].isupper():
                yield start, i, text[start:i]
            start = None


@dataclass
class Analysed:
    """One file, analysed: everything the index and the store need, computed
    in the worker so the process that writes does nothing but write."""

    state: FileState
    articles: list[Article] = field(default_factory=list)
    docs: list[PassageDoc] = field(default_factory=list)
    blobs: list[bytes] = field(default_factory=list)
    """The articles packed for the store."""
    infos: list[ArticleInfo] = field(default_factory=list)
    """The articles' list entries (what the store's table and the list need)."""
    final: bool = True
    """The last (or only) part of its file: ``state`` is the file's, complete."""
    profiles: list[bytes] = field(default_factory=list)
    """The articles' story profiles, packed (:func:`~reader.core.stories.profile.packed_profile`):
    made here, with the article in hand, so the story book only places them."""

    def lean(self) -> "Analysed":
        """Without the articles and index documents: what a worker that indexed
        them itself sends back to the process that writes the store."""
        return Analysed(self.state, [], [], self.blobs, self.infos, self.final, self.profiles)


def _analysed(state: FileState, arts: list[Article], final: bool = True) -> Analysed:
    """Recognise ``arts`` and prepare what is indexed and stored of them."""
    arts = [with_quotes(entities.recognise_article(a)) for a in arts]
    docs = [PassageDoc(a, p.n, forms, " ".join(content_stems(p.text, forms)), scope, said.get(p.n, ()))
            for a in arts for scope, said in [(title_forms(a), speaker_forms(a))]
            for p, forms in zip(a.passages, passage_forms(a))]
    return Analysed(state, arts, docs, [pack(a) for a in arts],
                    [ArticleInfo(a.id, a.path, a.title, a.date, a.site, len(a.passages)) for a in arts], final,
                    [packed_profile(a) for a in arts])


def analyse_parts(path: Path, rel: str, stem: str, max_bytes: int, rules, fields: FieldMap | None = None,
                  part: int = PART_ARTICLES) -> Iterator[Analysed]:
    """Read, clean and recognise one file a part of at most ``part`` articles
    at a time (a container of a million records never sits in memory whole).
    Every part but the last has ``final`` False; the last holds the file's
    state, with one sentence for what was skipped. The stamp is taken before
    reading, so a file changed while it is read is read again next time."""
    size, mtime = stamp(path)
    arts: list[Article] = []
    skips: list[str] = []
    skipped = 0
    sha1 = ""
    for item in read_source(path, rel, stem, max_bytes, fields):
        if not isinstance(item, LoadWarning):
            out = to_articles(item, rules)
            if isinstance(out, LoadWarning):
                item = out
            else:
                arts.extend(out)
                sha1 = getattr(item, "sha1", "")
        if isinstance(item, LoadWarning):
            skipped += 1
            if len(skips) < MAX_NAMED_SKIPS:
                skips.append(item.message)
        if len(arts) >= part:
            yield _analysed(FileState(rel, size, mtime, "", ()), arts, final=False)
            arts = []
    warning = skips_message(skips, skipped) if skipped else None
    ids = tuple(a.id for a in arts) if format_of(rel) not in CONTAINERS else ()
    yield _analysed(FileState(rel, size, mtime, sha1, ids, warning), arts)


def analyse_file(path: Path, rel: str, stem: str, max_bytes: int, rules, fields: FieldMap | None = None) -> Analysed:
    """Read, clean and recognise one file whole (a page, a text file; what the
    worker processes are given), and prepare what is indexed of it."""
    parts = list(analyse_parts(path, rel, stem, max_bytes, rules, fields, part=1 << 62))
    return parts[-1]
