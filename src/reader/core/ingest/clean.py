"""Raw article text -> title, metadata and typed passages, plus what was removed.

The pipeline, per file: repair the characters (:mod:`.textfix`), split the
file into stories where it stitches several, then for each story take the
title, move metadata lines (byline, date, source) into fields, drop the
boilerplate named by the rules (:mod:`.cleanrules`), and type what is left as
passages. Every removed line is kept with the name of the rule that removed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from textwrap import shorten

from rapidfuzz import fuzz

from reader.core.ingest import meta
from reader.core.ingest.rules import Rule, load_rules
from reader.core.model import Article, Passage, Removed, SourceFile
from reader.core.ingest.formats.base import SourceDoc
from reader.core.ingest.textfix import repair

CLEAN_VERSION = 3
"""Bump when the cleaner's code changes what it produces (the index rebuilds)."""

_BULLET = re.compile(r"^(?:[•·▪●◦‣∙■□➤►*+]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_OPEN_QUOTES = "\"“‘«„'"
_END_PUNCT = ".!?…:;,\"”’»)]"
# Photo credits that end a caption: "(Jane Roe/Agency)", "(Photo: …)", ". (AFP)".
_CREDIT = (
    re.compile(r"\([^()/]{1,60}/\s*[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*\s*\)\s*$"),
    re.compile(r"\(\s*(?:photo|image|picture|credit|file photo)s?\b[^()]*\)\s*$", re.I),
    re.compile(r"[.!?”\"’]\s*\(\s*[A-Z][A-Z.&]{1,9}(?:\s*/\s*[A-Z][A-Z.&]{1,9})*\s*\)\s*$"),
)
CAPTION_MAX_CHARS = 300
# Markdown links, images and emphasis, unwrapped to their text. Each span's
# inside stops at the next bracket or delimiter that cannot belong to it, so
# a failed opener is scanned to the next one, not to the end of the line (a
# long line of openers took the square of its length).
_MD_DEST = r"\((?:[^()]|\([^()]*\))*\)"
"""A link's destination: ``(url)``, with one level of parentheses inside."""
_MD_LINK = re.compile(r"!\[[^\[\]]*\]" + _MD_DEST + r"|\[([^\[\]]+)\]" + _MD_DEST)
_MD_EMPH = re.compile(
    r"(\*\*|__)(.+?)\1"
    r"|(?<![\w*])\*(?=\S)((?:[^*]|(?<=\w)\*(?=\w))+?)(?<=\S)\*(?![\w*])"
    r"|(?<![\w*])_(?=\S)((?:[^_]|(?<=\w)_(?=\w))+?)(?<=\S)_(?![\w*])")
_MD_QUOTE = re.compile(r"^>\s?")
_TERMINAL = ".!?…\"”’"
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_WORD = re.compile(r"\w+")
_HYPHEN_END = re.compile(r"\w-$")
"""A line broken at a hyphen: joined to the next without a space."""

HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 120
WRAP_MIN_CHARS = 50
WRAP_MAX_WIDTH = 100
"""Lines no longer than this, most ending mid-sentence, mark a hard-wrapped text."""
TEASER_MAX_CHARS = 200
TITLE_MAX_CHARS = 300
"""A first line longer than this is not a title but the first paragraph."""
SHORT_TITLE_CHARS = 100
"""The title made from the start of such a paragraph is cut at a word to this length."""
"""The line after a teaser label is removed only when it is this short (a headline)."""


@dataclass
class _Line:
    text: str
    block: int
    """Lines in one block are not separated by a blank line."""
    md_heading: bool = False
    md_quote: bool = False
    given: str | None = None
    """The passage kind the format gave (HTML's structure), if any."""
    rule: Rule | None = None
    """The boilerplate rule the line matches, if any."""


@dataclass
class _Story:
    lines: list[_Line]
    source: str | None = None
    removed: list[Removed] = field(default_factory=list)
    """Lines removed after the story's last passage (its source line …)."""
    head: list[Removed] = field(default_factory=list)
    """Lines removed before its title."""


def _lines(text: str, markdown: bool) -> list[_Line]:
    out, block = [], 0
    for raw in text.split("\n"):
        if not raw.strip():
            block += 1
            continue
        line, md_heading, md_quote = raw, False, False
        if markdown:
            md_heading = bool(_MD_HEADING.match(line))
            md_quote = bool(_MD_QUOTE.match(line))
            line = _MD_QUOTE.sub("", _MD_HEADING.sub("", line))
            line = _MD_LINK.sub(lambda m: m.group(1) or "", line)
            line = _MD_EMPH.sub(lambda m: m.group(2) or m.group(3) or m.group(4), line).strip()
            if not line:
                continue
        out.append(_Line(line, block, md_heading, md_quote))
    return out


def _same_title(line: str, title: str) -> bool:
    head, _ = meta.split_title(line)
    a, b = head.casefold(), title.casefold()
    if a == b:
        return True
    # Only title-sized lines are compared (the comparison takes the product of the lengths).
    return 20 < min(len(a), len(b)) and max(len(a), len(b)) <= TITLE_MAX_CHARS and fuzz.ratio(a, b) >= 92


def _short_title(text: str) -> str:
    """A title for a story whose first line is a paragraph: its start, cut at a word."""
    head = " ".join(text[:SHORT_TITLE_CHARS * 2].split())
    short = shorten(head, SHORT_TITLE_CHARS, placeholder="…")
    return short if short != "…" else head[:SHORT_TITLE_CHARS - 1] + "…"


def split_stories(lines: list[_Line]) -> list[_Story]:
    """Cut a file that stitches several stories.

    A story ends at a ``Source: URL`` line that has text after it, and a new one
    starts at a mid-body line shaped like a page title with a site suffix
    (``Title | Site``) that does not repeat the current story's title.
    """
    stories, current = [], _Story([])
    for line in lines:
        url = meta.source_line(line.text)
        if url and not current.lines and current.source is None:
            current.source = url  # a source line before the title: this story's
            current.head.append(Removed(line.text, "source"))
            continue
        if url and current.source is None:
            current.source = url
            current.removed.append(Removed(line.text, "source"))
            stories.append(current)
            current = _Story([])
            continue
        if (current.lines and meta.has_site_suffix(line.text)
                and not _same_title(line.text, meta.split_title(current.lines[0].text)[0])):
            stories.append(current)
            current = _Story([])
        current.lines.append(line)
    if current.lines or not stories:
        stories.append(current)
    elif current.removed:
        stories[-1].removed.extend(current.removed)
    # A "story" of nothing but boilerplate belongs to the one before.
    merged: list[_Story] = []
    for s in stories:
        if merged and all(x.rule or _is_fragment(x.text) for x in s.lines):
            merged[-1].removed.extend(Removed(x.text, x.rule.name if x.rule else "fragment")
                                      for x in s.lines)
            merged[-1].source = merged[-1].source or s.source
            merged[-1].removed.extend(s.removed)
        else:
            merged.append(s)
    return merged


def _kind(line: _Line, next_removed_rule: str | None, runs_on: bool = False) -> tuple[str, str]:
    """The passage kind of a kept line and its shown text; ``runs_on``: the
    line is wrapped into the next, so it cannot be a heading."""
    text = line.text
    if line.given in ("heading", "quote", "list-item"):
        return line.given, text
    bullet = _BULLET.match(text)
    if line.given is None and bullet and len(text) > bullet.end():
        return "list-item", text[bullet.end():].strip()
    if line.md_heading:
        return "heading", text
    if line.md_quote:
        return "quote", text
    if next_removed_rule == "photo-credit" or (
            len(text) < CAPTION_MAX_CHARS and any(rx.search(text) for rx in _CREDIT)):
        return "caption", text
    if line.given:  # a paragraph by the page's own markup: not guessed a heading
        return line.given, text
    if text[0] in _OPEN_QUOTES:
        return "quote", text
    words = len(text.split())
    if (not runs_on and words <= HEADING_MAX_WORDS and len(text) <= HEADING_MAX_CHARS
            and text[-1] not in _END_PUNCT and not text[0].islower()):
        return "heading", text
    return "paragraph", text


def _is_fragment(text: str) -> bool:
    """A stray scrap: no letters or digits, or one short or lower-case word."""
    if not _WORD.search(text):
        return True
    words = text.split()
    if len(words) != 1:
        return False
    word = words[0].strip(".,;:!?-–—()[]\"'“”‘’")
    return bool(word) and (word[0].islower() or len(word) <= 2) and not word.isdigit()


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a hard-wrapped story was wrapped at, or None when it is not.

    Wrapped: lines followed by another of their block are at most
    :data:`WRAP_MAX_WIDTH` long and mostly end mid-sentence.
    """
    inner = [a.text for a, b in zip(lines, lines[1:]) if a.block == b.block]
    if len(inner) < 2:
        return None
    width = max(len(t) for t in inner)
    open_ends = sum(1 for t in inner if t[-1] not in _TERMINAL)
    return width if width <= WRAP_MAX_WIDTH and open_ends * 2 >= len(inner) else None


class _Body:
    """Accumulates one story's passages and removed lines.

    The passage being joined from wrapped lines is kept in pieces, joined
    once when the next passage starts (joining a line at a time copied the
    whole passage each time: a long wrapped file took the square of its length).
    """

    def __init__(self, wrap: int | None) -> None:
        self.passages: list[Passage] = []
        self.removed: list[Removed] = []
        self.wrap = wrap
        self.last: _Line | None = None
        """The last line kept (joined or not)."""
        self._pieces: list[str] = []
        """The text of the last passage, in pieces."""
        self._length = 0
        """The length of that text."""
        self._tail = ""
        """Its last two characters."""

    def remove(self, text: str, rule: str) -> None:
        self.removed.append(Removed(text, rule, len(self.passages) - 1))

    def continues(self, line: _Line) -> bool:
        """The line carries on the passage before (a hard-wrapped paragraph)."""
        prev, last = (self.passages[-1] if self.passages else None), self.last
        if (prev is None or last is None or line.block != last.block or line.md_heading
                or prev.kind not in ("paragraph", "quote") or _BULLET.match(line.text)):
            return False
        if self.wrap:
            # In a wrapped text only a short line ending a sentence ends a paragraph.
            return not (last.text[-1] in _TERMINAL and len(last.text) < 0.6 * self.wrap)
        return self._length >= WRAP_MIN_CHARS and self._tail[-1:] not in _TERMINAL

    def join(self, line: _Line) -> None:
        glue = "" if _HYPHEN_END.search(self._tail) else " "
        self._pieces += [glue, line.text]
        self._length += len(glue) + len(line.text)
        self._tail = (self._tail + glue + line.text)[-2:]
        self.last = line

    def keep(self, line: _Line, kind: str, text: str) -> None:
        self._flush()
        self.passages.append(Passage(len(self.passages), kind, text))
        self._pieces, self._length, self._tail = [text], len(text), text[-2:]
        self.last = line

    def finish(self) -> tuple[Passage, ...]:
        """The passages, the last one joined."""
        self._flush()
        return tuple(self.passages)

    def _flush(self) -> None:
        if len(self._pieces) > 1:
            prev = self.passages[-1]
            self.passages[-1] = Passage(prev.n, prev.kind, "".join(self._pieces))
            self._pieces = [self.passages[-1].text]


def _match_rule(text: str, rules: tuple[Rule, ...]) -> Rule | None:
    for rule in rules:
        if rule.pattern.search(text):
            return rule
    return None


def _metadata(text: str, i: int, title: str, have_author: bool) -> tuple[str, str | None, str | None] | None:
    """(rule, author, date) when line ``i`` (from 1) of a story is metadata."""
    if i <= 6 and _same_title(text, title):
        return "repeated-title", None, None
    if not have_author and i <= 8:
        if both := meta.byline_with_date(text):
            return "byline", both[0], both[1]
        if name := meta.byline(text):
            return "byline", name, None
    if iso := meta.date_line(text):
        return "date", None, iso
    return None


def _clean_story(story: _Story, stem: str, path: str) -> Article:
    lines = story.lines
    title, site = meta.split_title(lines[0].text) if lines else ("(untitled)", None)
    first = 1
    if len(title) > TITLE_MAX_CHARS:  # no title line: the story starts with its text
        title, site, first = _short_title(lines[0].text), None, 0
    body = _Body(_wrap_width(lines))
    author = date = None
    teaser: str | None = None
    """Name of the teaser rule whose label was the line before."""
    for i, line in enumerate(lines[first:], start=first):
        text = line.text
        if teaser and len(text) <= TEASER_MAX_CHARS:
            body.remove(text, teaser)
            # A list of teaser links goes on while the bullets do.
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            teaser = teaser if (_BULLET.match(text) and nxt and nxt.block == line.block
                                and _BULLET.match(nxt.text)) else None
            continue
        teaser = None
        if found := _metadata(text, i, title, author is not None):
            rule, name, iso = found
            author, date = author or name, date or iso
            body.remove(text, rule)
            continue
        if url := meta.source_line(text):
            story.source = story.source or url
            body.remove(text, "source")
            continue
        if body.continues(line):
            body.join(line)
            continue
        rule = line.rule
        if rule is not None:
            body.remove(text, rule.name)
            teaser = rule.name if rule.kind == "teaser" else None
            continue
        if (_is_fragment(text) if line.given is None else not _WORD.search(text)):
            body.remove(text, "fragment")
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        next_rule = nxt.rule if nxt else None
        runs_on = bool(body.wrap and nxt and nxt.block == line.block and not _BULLET.match(nxt.text))
        kind, shown = _kind(line, next_rule.name if next_rule else None, runs_on)
        body.keep(line, kind, shown)
    last = len(body.passages) - 1
    body.removed[:0] = story.head
    body.removed.extend(Removed(r.text, r.rule, last) for r in story.removed)
    return Article(id=stem, path=path, title=title, passages=body.finish(), author=author,
                   date=date, site=site, source=story.source, removed=tuple(body.removed))


def clean_text(text: str, stem: str, path: str = "", *, rules: tuple[Rule, ...] | None = None,
               markdown: bool = False) -> list[Article]:
    """One file's text -> its stories, cleaned (usually one)."""
    rules = load_rules() if rules is None else rules
    lines = _lines(repair(text), markdown)
    if not lines:
        return [Article(id=stem, path=path, title="(untitled)")]
    for line in lines:
        line.rule = _match_rule(line.text, rules)
    stories = split_stories(lines)
    articles = []
    for k, story in enumerate(stories, start=1):
        art_id = stem if k == 1 else f"{stem}~{k}"
        articles.append(_clean_story(story, art_id, path))
    return articles


def clean_doc(doc: SourceDoc, rules: tuple[Rule, ...] | None = None) -> Article:
    """One article read from a structured format (a page, a record, a feed
    entry) -> cleaned. Its title and typed blocks are taken as given (no story
    splitting); the format's metadata wins over what the text suggests."""
    rules = load_rules() if rules is None else rules
    if doc.blocks:
        body = [_Line(t, i, given=kind) for i, (kind, raw) in enumerate(doc.blocks, start=1)
                if (t := repair(raw).strip())]
    else:
        body = _lines(repair(doc.text or ""), doc.markdown)
    title = repair(doc.title).strip() if doc.title else ""
    if len(title) > TITLE_MAX_CHARS:  # a given title is a title: cut, not kept as text
        title = _short_title(title)
    lines = ([_Line(title, -1)] if title else []) + body
    if not lines:
        return Article(id=doc.id, path=doc.path, title="(untitled)")
    for line in lines:
        line.rule = _match_rule(line.text, rules)
    art = _clean_story(_Story(lines), doc.id, doc.path)
    return art.with_(author=doc.author or art.author, date=doc.date or art.date,
                     site=doc.site or art.site, source=doc.source or art.source)


def clean(src: SourceFile, rules: tuple[Rule, ...] | None = None) -> list[Article]:
    """A read corpus file -> its cleaned stories."""
    return clean_text(src.text, src.stem, src.path, rules=rules, markdown=src.path.lower().endswith(".md"))
