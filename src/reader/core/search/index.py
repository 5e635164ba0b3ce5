"""The Whoosh index of passages: schema, writing, and search.

One Whoosh document per passage. Entity mentions are indexed by their
normalised surface forms in the ``ent`` field, not by entity id, so that when
resolution changes (a new variant joins an entity) nothing needs re-indexing:
a query for an entity is expanded to every form the current resolution knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import fields, index, qparser
from whoosh import query as wq
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from reader.core.errors import IndexError_, QueryError
from reader.core.model import Article
from reader.core.search.analyzer import analyzer, text_analyzer
from reader.core.search.phrases import search_phrases_fast
from reader.core.search.plainrank import whoosh_suffices
from reader.core.search.queryfilters import check_length, check_parentheses, rewrite_dates, shown

INDEX_VERSION = 11
"""Bump when the schema or what is indexed changes (the index rebuilds). Whoosh pickles the
schema, analyzer classes by their module path: moving one of them needs a bump too.
(11: small posting blocks uncompressed; pid, path, date and site no longer stored.)"""

def make_schema() -> fields.Schema:
    return fields.Schema(
        # Stored is only what a search hit or a cross-reference reads of a passage
        # (article, n, kind, text, title, spans, sig); the passage id, path, date
        # and site are only searched (the store holds each article's).
        pid=fields.ID(unique=True),
        # Only stored: never searched, and each indexed field costs postings.
        article=fields.STORED(),
        path=fields.ID(),
        n=fields.STORED(),
        kind=fields.STORED(),
        # No positions: they are most of a posting's bytes and of the time to
        # read it, and phrases are checked on the stored text of a few
        # candidates instead (see phrase_docs).
        title=fields.TEXT(analyzer=text_analyzer(), stored=True, field_boost=1.5, phrase=False),
        text=fields.TEXT(analyzer=text_analyzer(), stored=True, phrase=False),
        date=fields.ID(),
        site=fields.KEYWORD(lowercase=True, commas=True),
        ent=fields.KEYWORD(scorable=True),
        # The places the article's headline names, on each of its passages: a
        # passage that says "the territory" or "the region" is set there too.
        scope=fields.KEYWORD(scorable=True),
        # Who is quoted in the passage: the speakers' names as the article gives them.
        said=fields.KEYWORD(scorable=True),
        spans=fields.STORED(),
        sig=fields.STORED(),
    )


def passage_id(article_id: str, n: int) -> str:
    """The ``pid`` of passage ``n`` of an article: one document of the index."""
    return f"{article_id}\x1f{n}"


def form_token(form: str) -> str:
    """A normalised entity form as one keyword token."""
    return form.replace(" ", "_")


@dataclass(frozen=True)
class Hit:
    """One passage found by a search."""

    article: str
    passage: int
    score: float
    text: str
    title: str
    kind: str
    highlights: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict:
        return {"article": self.article, "passage": self.passage, "score": round(self.score, 3),
                "text": self.text, "title": self.title, "kind": self.kind,
                "highlights": [list(h) for h in self.highlights]}


@dataclass
class PassageDoc:
    """What is indexed for one passage."""

    article: Article
    n: int
    forms: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, normalised form) of each entity-like span in the text."""
    sig: str = ""
    """The passage's content stems (see :mod:`.signals`), space-separated."""
    scope: Sequence[str] = ()
    """Normalised forms of the names in the article's headline."""
    said: Sequence[str] = ()
    """Normalised names of the speakers quoted in the passage."""


def open_or_create(path: Path) -> tuple[index.Index, int]:
    """Open the Whoosh index at ``path`` (creating it when absent), and its
    number of documents (see :func:`open_checked`)."""
    ix, docs, reader = open_checked(path)
    if reader is not None:
        reader.close()
    return ix, docs


def open_checked(path: Path) -> tuple[index.Index, int, object]:
    """Open the Whoosh index at ``path`` (creating it when absent): the index, its
    number of documents, and the reader that counted them (reading it is also a
    check that it opens), left open for a first searcher (None for a new index).

    A folder that cannot be made or written raises :class:`IndexError_`; a
    damaged index (a segment missing, truncated or garbled) raises whatever
    Whoosh raises, which the caller takes as a reason to rebuild."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise IndexError_(f"Cannot use the index folder {path} ({e.strerror or e}); "
                          f"give another with --index-dir.") from e
    try:
        if index.exists_in(str(path)):
            ix = index.open_dir(str(path))
            reader = ix.reader()
            try:
                return ix, reader.doc_count(), reader
            except BaseException:
                reader.close()
                raise
        return index.create_in(str(path), make_schema()), 0, None
    except PermissionError as e:
        raise IndexError_(f"Cannot write the index in {path}; give a writable folder with --index-dir.") from e


def writer(ix, **options):
    """A writer of the index, writing kreader's packed posting blocks
    (:mod:`reader.core.postings`)."""
    from reader.core.search.whoosh_ext.codec import PackedCodec
    return ix.writer(codec=PackedCodec(), **options)


_as_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)`` without a new encoder made for each passage."""


def add_passages(writer, docs: Iterable[PassageDoc]) -> None:
    """Index passages. The title is indexed with an article's first passage only."""
    for d in docs:
        a, p = d.article, d.article.passages[d.n]
        writer.add_document(
            pid=passage_id(a.id, p.n), article=a.id, path=a.path, n=p.n, kind=p.kind,
            title=a.title if p.n == 0 else None, text=p.text, date=a.date or "", site=a.site or "",
            ent=" ".join(sorted({form_token(f) for _, _, f in d.forms})) or None,
            scope=" ".join(sorted({form_token(f) for f in d.scope})) or None,
            said=" ".join(sorted({form_token(f) for f in d.said})) or None,
            spans=_as_json(d.forms),
            sig=d.sig)


def delete_paths(writer, paths: Iterable[str], searcher=None) -> None:
    """Delete the passages of these files (pass one searcher for many calls:
    without it Whoosh opens a new one each time)."""
    for p in paths:
        writer.delete_by_term("path", p, searcher=searcher)


# -- queries -----------------------------------------------------------------

ENTITY_FIELDS = {"person": "person", "place": "place", "org": "organization",
                 "organization": "organization", "entity": None}
_ENTITY_FILTER = re.compile(r"\b(person|place|org|organization|entity):(\"[^\"]*\"|\S+)", re.I)
_SAID_FILTER = re.compile(r"\bsaid:(\"[^\"]*\"|\S+)", re.I)
_EMPTY_FILTER = re.compile(r"\b(person|place|org|organization|entity|site|date|said):(?=\s|$)", re.I)
_FILTER_EXAMPLE = {"site": "reuters", "date": "2023-09"}
_NAME_LIKE = re.compile(r"[\w\s'’.-]+")
"""A query of plain words, which may also be a name (``gordon brown``): searched as one too."""
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
"""An operator of the query language: words joined by one are not a name."""
_FIELD = re.compile(r"(?<![\w:/.])([A-Za-z]+):(?!//)(?=\S)")
"""A ``name:`` that stands for a field (not a URL's scheme, not a time)."""


def posting_ids(reader, fieldname: str, text: str, leaves=None, dead=None):
    """The document numbers holding a term (deleted documents left out), as
    a numpy array in docnum order: the posting blocks decode straight into
    arrays (:mod:`reader.core.postings`), with no step per posting (the
    cross-reference pane reads tens of thousands of postings for each
    passage). ``leaves``: the positions of the only segments that may hold it
    (None: any); ``dead(position, segment reader)``: that segment's deleted
    documents as a mask, kept by the caller (None: made for each term)."""
    from reader.core.search.whoosh_ext.codec import term_arrays
    return term_arrays(reader, fieldname, text.encode("utf-8"), dead=dead, leaves=leaves)[0]


def parser(schema: fields.Schema) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["text", "title"], schema, group=qparser.AndGroup)
    p.add_plugin(qparser.FuzzyTermPlugin())
    p.add_plugin(qparser.GtLtPlugin())
    return p


SCOPE_BOOST = 0.5
"""How much a place named by the headline counts, against the passage naming it."""


def ent_query(forms: Sequence[str], scoped: bool = False) -> wq.Query:
    """Passages mentioning any of ``forms``; ``scoped``: also the passages of
    articles whose headline names one (a headline's place is where the story
    happens, and its passages speak of "the region" or "the territory"),
    ranked lower."""
    if not forms:
        return wq.NullQuery
    named = wq.Or([wq.Term("ent", form_token(f)) for f in forms])
    if not scoped:
        return named
    return wq.Or([named, wq.Or([wq.Term("scope", form_token(f)) for f in forms], boost=SCOPE_BOOST)])


def said_query(forms: Sequence[str]) -> wq.Query:
    """Passages quoting a speaker named by any of ``forms``."""
    return wq.Or([wq.Term("said", form_token(f)) for f in forms]) if forms else wq.NullQuery


def parse(qp: qparser.QueryParser, text: str, expand) -> wq.Query:
    """The query language: Whoosh's, plus entity filters resolved by ``expand``.

    ``expand(value, type)`` returns the normalised forms of the entities that
    ``value`` means (type ``None``: any type).
    """
    entity_parts: list[wq.Query] = []

    def pull(m: re.Match[str]) -> str:
        fieldname, value = m.group(1).lower(), m.group(2).strip('"')
        forms = expand(value, ENTITY_FIELDS[fieldname])
        if not forms:
            raise QueryError(f"No {ENTITY_FIELDS[fieldname] or 'entity'} in this corpus matches "
                             f"“{shown(value)}”; check the spelling or search the words without {fieldname}:.")
        entity_parts.append(ent_query(forms, scoped=ENTITY_FIELDS[fieldname] == "place"))
        return " "

    def pull_said(m: re.Match[str]) -> str:
        value = m.group(1).strip('"')
        forms = expand(value, None)
        if not forms:
            raise QueryError(f"No one in this corpus matches “{shown(value)}”; check the spelling, or list the "
                             f"speakers with kreader quotes.")
        entity_parts.append(said_query(forms))
        return " "
    check_length(text)
    text = _SAID_FILTER.sub(pull_said, text)
    empty = _EMPTY_FILTER.search(text)
    if empty:
        raise QueryError(f"The filter {empty.group(1)}: needs a value after it, as in "
                         f"{empty.group(1).lower()}:{_FILTER_EXAMPLE.get(empty.group(1).lower(), 'NAME')}.")
    rest = rewrite_dates(_ENTITY_FILTER.sub(pull, text)).strip()
    if rest.count('"') % 2:
        raise QueryError("The query has an unclosed quote; close the phrase with another \".")
    check_parentheses(rest)
    for m in _FIELD.finditer(re.sub(r'"[^"]*"', " ", rest)):  # not inside a phrase
        if m.group(1).lower() not in qp.schema.names():
            raise QueryError(f"There is no “{shown(m.group(1))}:” filter; the filters are person:, place:, org:, "
                             f"said:, site:, date: and title:.")
    try:
        parsed = qp.parse(rest) if rest else None
    except Exception as e:  # whoosh raises a variety of errors on odd input
        raise QueryError(f"The query “{shown(text)}” cannot be understood ({shown(str(e))}); "
                         "see kreader search --help.") from e
    if parsed is not None and not entity_parts and _NAME_LIKE.fullmatch(rest) and not _OPERATOR.search(rest):
        forms = expand(rest, None, strict=True)
        if forms:
            parsed = wq.Or([parsed, ent_query(forms)])
    parts = ([parsed] if parsed is not None and parsed is not wq.NullQuery else []) + entity_parts
    if not parts and rest and not re.search(r"\w", rest):
        raise QueryError(f"“{shown(rest)}” holds no word to search for; type a word, a name or a phrase.")
    if not parts and rest:
        raise QueryError(f"“{shown(rest)}” holds only words too common to be indexed; add a more specific word.")
    if not parts:
        raise QueryError("The query is empty; type some words or a filter such as person:NAME.")
    return parts[0] if len(parts) == 1 else wq.And(parts)


class Vocabulary:
    """The indexed words of one field, by length, for fast fuzzy expansion."""

    def __init__(self, reader, fieldname: str):
        by_length: dict[int, list[str]] = {}
        for term in reader.lexicon(fieldname):
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            by_length.setdefault(len(word), []).append(word)
        self.by_length: dict[int, tuple[str, ...]] = {n: tuple(words) for n, words in by_length.items()}
        """Words by length, as tuples: the cycle collector stops tracking them."""

    def near(self, word: str, maxdist: int, prefix: int) -> list[str]:
        """Indexed words within ``maxdist`` edits of ``word``, sharing its first ``prefix`` letters."""
        choices = [w for n in range(len(word) - maxdist, len(word) + maxdist + 1)
                   for w in self.by_length.get(n, ()) if w[:prefix] == word[:prefix]]
        found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None)
        return [w for w, _, _ in found]


def expand_fuzzy(q: wq.Query, vocabulary) -> wq.Query:
    """Replace fuzzy terms by the indexed words they match (Whoosh would walk
    the whole term dictionary for each, twice)."""
    if isinstance(q, wq.FuzzyTerm):
        words = vocabulary(q.fieldname).near(q.text, q.maxdist, q.prefixlength)
        return wq.Or([wq.Term(q.fieldname, w, boost=q.boost) for w in words]) if words else wq.NullQuery
    return q.apply(lambda sub: expand_fuzzy(sub, vocabulary))


def highlights(text: str, stored_spans: str, terms: set[tuple[str, str]]) -> tuple[tuple[int, int], ...]:
    """Character spans of the passage that the query matched."""
    words = {t for f, t in terms if f in ("text", "title")}
    forms = {t for f, t in terms if f == "ent"}
    spans = []
    if words:
        for tok in analyzer()(text, chars=True, removestops=True):
            if tok.text in words:
                spans.append((tok.startchar, tok.endchar))
    if forms:
        for s, e, form in json.loads(stored_spans or "[]"):
            if form_token(form) in forms:
                spans.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def run_search(searcher, q: wq.Query, limit: int | None, titles: Mapping[str, str], topn=None) -> list[Hit]:
    """Run ``q``; ``titles`` maps article ids to titles (stored once per article);
    ``topn()`` gives the searcher's :class:`~reader.core.search.scoring.TopN`, tried first
    unless Whoosh's own search ranks the query alike at less cost (:mod:`.plainrank`)."""
    found = None
    if topn is not None and not whoosh_suffices(q, searcher.reader()):
        found = topn().top(q, limit)
    if found is None:
        found = search_phrases_fast(searcher, q, limit)
    if found is None:
        try:
            found = sorted(((h.docnum, h.score) for h in searcher.search(q, limit=limit)),
                           key=lambda h: (-h[1], h[0]))  # the block scorer's order
        except wq.QueryError as e:  # a phrase in a shape only Whoosh runs (the index keeps no positions)
            raise QueryError("This query joins a phrase to the rest in a way kreader cannot search; "
                             "join it with AND, OR or NOT.") from e
    terms = {(f, t.decode("utf-8") if isinstance(t, bytes) else t)
             for f, t in q.existing_terms(searcher.reader(), phrases=True, expand=True)}
    out = []
    reader = searcher.reader()
    for docnum, score in found:
        f = reader.stored_fields(docnum)
        out.append(Hit(article=f["article"], passage=f["n"], score=score, text=f["text"],
                       title=titles.get(f["article"], ""), kind=f["kind"],
                       highlights=highlights(f["text"], f.get("spans", "[]"), terms)))
    return out
