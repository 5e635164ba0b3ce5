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

from rapidfuzz import fuzz

from . import meta
from .cleanrules import Rule, load_rules
from .model import Article, Passage, Removed, SourceFile
from .textfix import repair

CLEAN_VERSION = 1
"""Bump when the cleaner's code changes what it produces (the index rebuilds)."""

_BULLET = re.compile(r"^(?:[•·▪●◦‣∙■□➤►*+]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_OPEN_QUOTES = "\"“‘«„'"
_END_PUNCT = ".!?…:;,\"”’»)]"
_CREDIT = re.compile(r"\((?:[^()]*/[^()]*|\s*(?:photo|image|picture|credit|file)[^()]*|\s*[A-Z]{2,}(?:\s*/\s*[A-Z]{2,})?\s*)\)\s*$", re.I)
_CREDIT_CAPS = re.compile(r"\(\s*[A-Z][A-Z.]{1,}(?:\s+[A-Z][A-Z.]+)*\s*\)\s*$")
_MD_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_WORD = re.compile(r"\w+")

HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 120
WRAP_MIN_CHARS = 50


@dataclass
class _Line:
    text: str
    block: int
    """Lines in one block are not separated by a blank line."""
    md_heading: bool = False


@dataclass
class _Story:
    lines: list[_Line]
    source: str | None = None
    removed: list[Removed] = field(default_factory=list)


def _lines(text: str, markdown: bool) -> list[_Line]:
    out, block = [], 0
    for raw in text.split("\n"):
        if not raw.strip():
            block += 1
            continue
        line, md_heading = raw, False
        if markdown:
            md_heading = bool(_MD_HEADING.match(line))
            line = _MD_HEADING.sub("", line)
            line = _MD_LINK.sub(lambda m: m.group(1) or "", line)
            line = _MD_EMPH.sub(r"\2", line).strip()
            if line.startswith("> "):
                line = line[2:]
            if not line:
                continue
        out.append(_Line(line, block, md_heading))
    return out


def _same_title(line: str, title: str) -> bool:
    head, _ = meta.split_title(line)
    a, b = head.casefold(), title.casefold()
    return a == b or (min(len(a), len(b)) > 20 and fuzz.ratio(a, b) >= 92)


def split_stories(lines: list[_Line], rules: tuple[Rule, ...] = ()) -> list[_Story]:
    """Cut a file that stitches several stories.

    A story ends at a ``Source: URL`` line that has text after it, and a new one
    starts at a mid-body line shaped like a page title with a site suffix
    (``Title | Site``) that does not repeat the current story's title.
    """
    stories, current = [], _Story([])
    for line in lines:
        url = meta.source_line(line.text)
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
        if merged and all(_match_rule(x.text, rules) or _is_fragment(x.text) for x in s.lines):
            merged[-1].removed.extend(Removed(x.text, getattr(_match_rule(x.text, rules), "name", "fragment"))
                                      for x in s.lines)
            merged[-1].source = merged[-1].source or s.source
            merged[-1].removed.extend(s.removed)
        else:
            merged.append(s)
    return merged


def _kind(line: _Line, next_removed_rule: str | None) -> tuple[str, str]:
    text = line.text
    bullet = _BULLET.match(text)
    if bullet and len(text) > bullet.end():
        return "list-item", text[bullet.end():].strip()
    if line.md_heading:
        return "heading", text
    if next_removed_rule == "photo-credit" or _CREDIT_CAPS.search(text) or (
            _CREDIT.search(text) and len(text) < 300):
        return "caption", text
    if text[0] in _OPEN_QUOTES:
        return "quote", text
    words = len(text.split())
    if (words <= HEADING_MAX_WORDS and len(text) <= HEADING_MAX_CHARS
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


class _Body:
    """Accumulates one story's passages and removed lines."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.removed: list[Removed] = []
        self.last_block = -1

    def remove(self, text: str, rule: str) -> None:
        self.removed.append(Removed(text, rule, len(self.passages) - 1))

    def keep(self, line: _Line, kind: str, text: str) -> None:
        prev = self.passages[-1] if self.passages else None
        if (prev is not None and line.block == self.last_block and kind == "paragraph"
                and prev.kind == "paragraph" and len(prev.text) >= WRAP_MIN_CHARS
                and prev.text[-1] not in ".!?…\"”’"):
            # A hard-wrapped paragraph: the line continues the one before.
            self.passages[-1] = Passage(prev.n, prev.kind, f"{prev.text} {text}")
        else:
            self.passages.append(Passage(len(self.passages), kind, text))
        self.last_block = line.block


def _match_rule(text: str, rules: tuple[Rule, ...]) -> Rule | None:
    for rule in rules:
        if rule.pattern.search(text):
            return rule
    return None


def _clean_story(story: _Story, stem: str, path: str, rules: tuple[Rule, ...]) -> Article:
    lines = story.lines
    title, site = meta.split_title(lines[0].text) if lines else ("(untitled)", None)
    body = _Body()
    author = date = None
    i, skip_next = 1, False
    while i < len(lines):
        line, text = lines[i], lines[i].text
        i += 1
        if skip_next:
            skip_next = False
            body.remove(text, "teaser")
            continue
        if i <= 6 and _same_title(text, title):
            body.remove(text, "repeated-title")
            continue
        if author is None and i <= 8 and (name := meta.byline(text)):
            author = name
            body.remove(text, "byline")
            continue
        if iso := meta.date_line(text):
            date = date or iso
            body.remove(text, "date")
            continue
        if url := meta.source_line(text):
            story.source = story.source or url
            body.remove(text, "source")
            continue
        rule = _match_rule(text, rules)
        if rule is not None:
            body.remove(text, rule.name)
            skip_next = rule.kind == "teaser"
            continue
        if _is_fragment(text):
            body.remove(text, "fragment")
            continue
        nxt = lines[i].text if i < len(lines) else ""
        next_rule = _match_rule(nxt, rules) if nxt else None
        kind, shown = _kind(line, next_rule.name if next_rule else None)
        body.keep(line, kind, shown)
    last = len(body.passages) - 1
    body.removed.extend(Removed(r.text, r.rule, last) for r in story.removed)
    return Article(id=stem, path=path, title=title, passages=tuple(body.passages), author=author,
                   date=date, site=site, source=story.source, removed=tuple(body.removed))


def clean_text(text: str, stem: str, path: str = "", *, rules: tuple[Rule, ...] | None = None,
               markdown: bool = False) -> list[Article]:
    """One file's text -> its stories, cleaned (usually one)."""
    rules = load_rules() if rules is None else rules
    lines = _lines(repair(text), markdown)
    if not lines:
        return [Article(id=stem, path=path, title="(untitled)")]
    stories = split_stories(lines, rules)
    articles = []
    for k, story in enumerate(stories, start=1):
        art_id = stem if k == 1 else f"{stem}~{k}"
        articles.append(_clean_story(story, art_id, path, rules))
    return articles


def clean(src: SourceFile, rules: tuple[Rule, ...] | None = None) -> list[Article]:
    """A read corpus file -> its cleaned stories."""
    return clean_text(src.text, src.stem, src.path, rules=rules, markdown=src.path.lower().endswith(".md"))
