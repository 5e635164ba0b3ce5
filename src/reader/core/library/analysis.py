"""Analysing one corpus file: read, clean, recognise; and what to index of it.

Runs in worker processes when many files change, so it takes and returns
plain picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.core import entities
from reader.core.ingest.clean import clean
from reader.core.ingest.files import read_file
from reader.core.model import Article, LoadWarning
from reader.core.search.index import PassageDoc
from reader.core.xref.signals import content_stems
from reader.core.library.store import ArticleInfo, FileState, pack


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


def _capitalised_words(text: str):
    start = None
    for i, ch in enumerate(text + " "):
        if ch.isalpha():
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

    def lean(self) -> "Analysed":
        """Without the articles and index documents: what a worker that indexed
        them itself sends back to the process that writes the store."""
        return Analysed(self.state, [], [], self.blobs, self.infos)


def analyse_file(path: Path, rel: str, stem: str, max_bytes: int, rules) -> Analysed:
    """Read, clean and recognise one file, and prepare what is indexed of it."""
    src = read_file(path, rel, stem, max_bytes)
    if isinstance(src, LoadWarning):
        size, mtime = -1, -1
        for follow in (True, False):  # a dangling link: its own stamp, as the corpus scan records it
            try:
                st = path.stat(follow_symlinks=follow)
                size, mtime = st.st_size, st.st_mtime_ns
                break
            except OSError:
                continue
        return Analysed(FileState(rel, size, mtime, "", (), src.message))
    arts = [entities.recognise_article(a) for a in clean(src, rules)]
    docs = [PassageDoc(a, p.n, forms, " ".join(content_stems(p.text, forms)), scope)
            for a in arts for scope in [title_forms(a)] for p, forms in zip(a.passages, passage_forms(a))]
    return Analysed(FileState(rel, src.size, src.mtime_ns, src.sha1, tuple(a.id for a in arts)),
                    arts, docs, [pack(a) for a in arts],
                    [ArticleInfo(a.id, a.path, a.title, a.date, a.site, len(a.passages)) for a in arts])
