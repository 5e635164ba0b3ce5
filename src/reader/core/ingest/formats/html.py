"""Saved web pages: the main text and metadata through trafilatura.

trafilatura finds the article in the page and gives it as XML that keeps the
page's structure (``head``, ``p``, ``list/item``, ``quote``, ``table/row``);
each becomes a typed block, so passage kinds stay right, and kreader's cleaner
then runs its own rules over the blocks. The page's metadata (title, author,
date, site, canonical address) fills the article's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reader.core.ingest.formats.base import SourceDoc, iso_date, read_whole, Skip
from reader.core.model import LoadWarning

EXTRACT_OPTIONS = {"include_comments": False, "favor_precision": True, "include_images": False,
                   "include_tables": True, "with_metadata": True, "output_format": "xml"}
"""How trafilatura is asked: readers' comments are not the article, and
precision first (kreader's cleaner removes what is left, never adds)."""
CELL_JOIN = " | "
"""Between the cells of a table row (one row is one passage)."""

_SPACE = re.compile(r"\s+")
_NOT_A_SITE = re.compile(r"^(?:©|\(c\)|copyright\b)", re.I)
"""A "site name" that is a copyright notice (trafilatura takes one from the footer at times)."""


@dataclass(frozen=True, slots=True)
class Page:
    """A page's extracted body and metadata."""

    blocks: tuple[tuple[str, str], ...]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    source: str | None = None


def _text(s: str | None) -> str:
    return _SPACE.sub(" ", s or "").strip()


def _all_text(el) -> str:
    return _text(" ".join(el.itertext()))


def _lines_of(el) -> list[str]:
    """An element's text cut at its line breaks (``<lb/>``)."""
    parts, current = [], [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("".join(current))
            current = [child.tail or ""]
        else:
            current.append("".join(child.itertext()) + (child.tail or ""))
    parts.append("".join(current))
    return [t for t in (_text(p) for p in parts) if t]


def _blocks(el, out: list[tuple[str, str]], kind: str | None = None) -> None:
    """Typed blocks of one element of trafilatura's XML, appended to ``out``."""
    tag = el.tag
    if tag == "head":
        if t := _all_text(el):
            out.append(("heading", t))
    elif tag == "list":
        for item in el:
            if item.tag == "item":
                own = _text((item.text or "") + "".join((c.tail or "") if c.tag == "list" else
                                                        "".join(c.itertext()) + (c.tail or "") for c in item))
                if own:
                    out.append(("list-item", own))
                for sub in item.iter("list"):
                    if sub is not item:
                        _blocks(sub, out)
                        break
    elif tag == "quote":
        if len(el) and all(c.tag in ("p", "list", "head") for c in el) and not _text(el.text):
            for c in el:
                _blocks(c, out, "quote")
        else:
            out.extend(("quote", t) for t in _lines_of(el))
    elif tag == "table":
        for row in el.iter("row"):
            cells = [_all_text(c) for c in row if c.tag == "cell"]
            if line := CELL_JOIN.join(c for c in cells if c):
                out.append(("paragraph", line))
    elif tag in ("graphic", "lb"):
        pass
    else:
        out.extend((kind or "paragraph", t) for t in _lines_of(el))
    if tag != "lb" and (tail := _text(el.tail)):
        out.append(("paragraph", tail))


def extract(data: bytes | str, url: str | None = None) -> Page | None:
    """The article of one HTML page, or None when trafilatura finds none."""
    import trafilatura
    from lxml import etree
    xml = trafilatura.extract(data, url=url, **EXTRACT_OPTIONS)
    if not xml:
        return None
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None
    out: list[tuple[str, str]] = []
    main = doc.find("main")
    if main is not None:
        if lead := _text(main.text):
            out.append(("paragraph", lead))
        for el in main:
            _blocks(el, out)
    if not out:
        return None
    get = lambda k: _text(doc.get(k)) or None  # noqa: E731
    site = get("sitename")
    if site and _NOT_A_SITE.match(site):
        site = None
    return Page(tuple(out), get("title"), get("author"), iso_date(get("date")),
                site or get("hostname"), get("url") or url)


def page_doc(page: Page, doc_id: str, rel: str, position: int = 0, **known) -> SourceDoc:
    """A page as a source document; ``known`` metadata (from a record or a
    feed entry) wins over the page's own."""
    pick = lambda k: known.get(k) or getattr(page, k)  # noqa: E731
    return SourceDoc(id=doc_id, path=rel, position=position, title=pick("title"), blocks=page.blocks,
                     author=pick("author"), date=pick("date"), site=pick("site"), source=pick("source"))


def read_html(path: Path, rel: str, doc_id: str, max_bytes: int):
    """The one article of a saved page (``.html``, ``.htm``, also gzipped), or why not."""
    try:
        data = read_whole(path, rel, max_bytes)
    except Skip as e:
        yield LoadWarning(rel, str(e))
        return
    if not data.strip():
        yield LoadWarning(rel, "it is empty")
        return
    page = extract(data)
    if page is None:
        yield LoadWarning(rel, "no article text was found in the page")
        return
    yield page_doc(page, doc_id, rel)


_BLOCK_KINDS = {"p": "paragraph", "div": "paragraph", "li": "list-item", "blockquote": "quote",
                "figcaption": "caption", "pre": "paragraph", "tr": "paragraph", "dd": "paragraph",
                "dt": "paragraph", "section": "paragraph", "article": "paragraph",
                **{f"h{i}": "heading" for i in range(1, 7)}}
"""HTML elements that start a block in a fragment, and the passage kind they give."""
_SKIP_TAGS = frozenset(("script", "style", "noscript", "iframe", "form", "button", "svg", "nav", "footer"))


def _fragment_blocks(el, kind: str, out: list[tuple[str, str]]) -> None:
    """Blocks of an element: those of its block children, its own loose text between them."""
    loose: list[str] = [el.text or ""]

    def flush() -> None:
        if t := _text("".join(loose)):
            out.append((kind, t))
        loose.clear()

    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP_TAGS:
            loose.append(child.tail or "")
        elif tag in _BLOCK_KINDS or tag in ("ul", "ol", "table", "tbody", "thead", "dl", "br"):
            flush()
            if tag == "tr":
                cells = [_all_text(c) for c in child if c.tag in ("td", "th")]
                if line := CELL_JOIN.join(c for c in cells if c):
                    out.append(("paragraph", line))
            elif tag != "br":
                inner = _BLOCK_KINDS.get(tag, kind)
                _fragment_blocks(child, "quote" if kind == "quote" and inner == "paragraph" else inner, out)
            loose.append(child.tail or "")
        else:
            loose.append("".join(child.itertext()) + (child.tail or ""))
    flush()


def blocks_of_fragment(html: str) -> tuple[tuple[str, str], ...]:
    """Typed blocks of an HTML fragment that is all article (a feed entry's content)."""
    import lxml.html
    from lxml import etree
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ()
    out: list[tuple[str, str]] = []
    _fragment_blocks(root, "paragraph", out)
    return tuple(out)
