"""The command line's commands: each calls the public core and prints, then returns its exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from textwrap import shorten

from reader.cli.output import out, print_json, say
from reader.cli.progress import CliProgress
from reader.core import locations
from reader.core.config import Config
from reader.core.library import Library
from reader.core.text import plural


def corpus_of(args: argparse.Namespace) -> Path:
    c = getattr(args, "corpus_pos", None) or args.corpus
    return Path(c).expanduser() if c else locations.bundled_corpus()


def open_library(args: argparse.Namespace, config: Config, *, rebuild: bool = False,
                 all_warnings: bool = False) -> Library:
    """Open the corpus and bring its index up to date, progress on stderr.
    Files are named when they are skipped; ``all_warnings`` also names those
    skipped at an earlier run and unchanged since. A command that takes
    ``--recheck`` checks only the corpus's folders unless it is given."""
    root = args.index_dir or config.index_dir
    corpus = corpus_of(args)
    index_dir = locations.index_dir_for(corpus, root) if root else None
    max_mb = args.max_size if args.max_size is not None else config.max_size_mb
    lib = Library(corpus, index_dir, max_bytes=int(max_mb * 1024 * 1024), rule_extra=config.rules,
                  fields=config.fields_for(corpus))
    with CliProgress(sys.stderr) as bar:
        for step in lib.update(rebuild=rebuild, quick=not getattr(args, "recheck", True)):
            bar.update(step)
    if all_warnings:
        for w in lib.warnings:
            if w.path not in bar.warned:
                say(f"warning: {w} (unchanged since it was last tried)")
    return lib


def cmd_index(args, config) -> int:
    lib = open_library(args, config, rebuild=args.rebuild, all_warnings=True)
    s = lib.summary
    say(f"{plural(s.articles, 'article')} indexed from {corpus_of(args)} in {s.seconds:.1f} s "
        f"({s.added} new, {s.changed} changed, {s.removed} removed files, {s.skipped} skipped); "
        f"index at {lib.index_dir}")
    for w in s.not_followed:
        say(f"note: the link {w.path} was {w.message}")
    if not s.articles:
        say(s.empty_note)
    if s.unread:
        say(s.unread)
    return 0


def cmd_export(args, config) -> int:
    lib = open_library(args, config)
    given = getattr(args, "corpus_pos", None) or args.corpus
    name = given.rstrip("/") if given else "corpus"  # the folder as the user named it
    for a in lib.articles():
        print_json(a.to_json(name))
    return 0


def cmd_search(args, config) -> int:
    lib = open_library(args, config)
    hits = lib.search(args.query, limit=args.limit)
    if args.json:
        print_json([h.to_json() for h in hits])
        return 0
    if not hits:
        say("No passage matches.")
    for h in hits:
        out(f"{h.article} #{h.passage}  {h.title}  ({h.score:.1f})")
        out(f"    {_context(h.text, h.highlights)}")
    return 0


def _context(text: str, spans, width: int = 200) -> str:
    if not spans:
        return text[:width] + ("…" if len(text) > width else "")
    s = max(0, spans[0][0] - width // 3)
    out, pos = [], s
    for a, b in spans:
        if a < pos or b > s + width:
            continue
        out.append(text[pos:a] + "[" + text[a:b] + "]")
        pos = b
    out.append(text[pos:s + width])
    return ("…" if s else "") + "".join(out) + ("…" if s + width < len(text) else "")


def cmd_entities(args, config) -> int:
    lib = open_library(args, config)
    ents = lib.entities(args.type)
    if args.limit:
        ents = ents[:args.limit]
    if args.json:
        print_json([e.to_json() for e in ents])
        return 0
    for e in ents:
        others = [a for a in e.aliases if a != e.name]
        out(f"{e.mentions:5d} {e.type:12s} {e.name}" + (f"  (also: {', '.join(others)})" if others else ""))
    return 0


def cmd_resolve(args, config) -> int:
    lib = open_library(args, config)
    found = lib.resolve(args.name, limit=args.limit, type=args.type)
    if not found:
        say(f"No entity matches “{shorten(args.name, 60, placeholder='…')}” well enough.")
    if args.json:
        print_json([{**e.to_json(), "score": round(s, 1)} for e, s in found])
        return 0
    for e, s in found:
        out(f"{s:5.1f} {e.type:12s} {e.name}  [{e.id}]")
    return 0


def cmd_xref(args, config) -> int:
    lib = open_library(args, config)
    article = lib.find_article(args.article)
    results = [lib.related(article, args.passage, limit=args.limit)] if args.passage is not None else \
        lib.related_all(article, limit=args.limit)
    if args.json:
        print_json(results[0].to_json() if args.passage is not None else
                   {"article": article, "passages": [{"passage": r.passage, "related": r.to_json()["related"]}
                                                     for r in results]})
        return 0
    for result in results:
        if args.passage is None:
            out(f"#{result.passage}")
        if not result.related and args.passage is not None:
            say("No related passage in other articles.")
        for r in result.related:
            mark = "  [same story]" if r.same_story else ""
            out(f"{r.score:.2f} {r.article} #{r.passage}  {r.title}{mark}")
            out(f"     {r.text[:200]}")
            out(f"     shared: {', '.join(r.shared_names + r.shared_terms) or '-'}{r.note_suffix()}")
    return 0


def cmd_stories(args, config) -> int:
    lib = open_library(args, config)
    stories = lib.stories()
    if args.json:
        print_json([s.to_json() for s in stories])
        return 0
    for s in stories:
        dates = s.first if s.first == s.last else f"{s.first} to {s.last}" if s.first else "undated"
        sites = f"; {', '.join(s.sites)}" if s.sites else ""
        count = f"{len(s.articles)} report{'s' if len(s.articles) > 1 else ''}"
        out(f"{s.id}  {s.title}  ({count}, {dates}{sites})")
        for a in s.articles:
            out(f"     {a}  {lib.title(a)}")
    return 0


def cmd_bookmarks(args, config) -> int:
    from reader.core.bookmarks import store as bm
    path = args.bookmarks or config.bookmarks or locations.default_bookmarks()
    if args.path:
        if args.json:
            print_json({"path": str(path)})
        else:
            out(path)
        return 0
    store = bm.BookmarkStore(path)
    marks = store.load()
    anchors = {}
    if marks:
        lib = open_library(args, config)
        anchors = bm.anchor_all(marks, lib.article_map())
    if args.action == "export" and not args.json:
        out(bm.export_markdown(marks, anchors), lines=True)
        return 0
    if args.json:
        print_json([bm.to_json(b, anchors.get(b.id)) for b in marks])
        return 0
    if not marks:
        say(f"No bookmarks yet ({path}).")
    for b in marks:
        a = anchors.get(b.id)
        state = a.state if a else "?"
        out(f"{b.id}  [{state}] {b.title} #{b.passage}: “{' '.join(b.quote.split())[:80]}”" + (f"  — {' '.join(b.note.split())}" if b.note else ""))
    return 0


def cmd_read(args, config) -> int:
    from reader.ui.app import run_app
    return run_app(corpus_of(args), args, config)


def cmd_quotes(args, config) -> int:
    from reader.core.errors import NotFoundError
    lib = open_library(args, config)
    if args.speaker is not None and not lib.resolve(args.speaker, limit=1):
        raise NotFoundError(f"No person or organisation in this corpus matches “{args.speaker}”; "
                            f"kreader quotes lists every speaker.")
    said = lib.quotes(args.speaker)
    if args.json:
        print_json([s.to_json() for s in said])
        return 0
    if not said:
        say("No quote found.")
    for s in said:
        q = s.quote
        where = "headline" if q.passage < 0 else f"#{q.passage}"
        who = s.speaker_name or (q.speaker.text if q.speaker else "unattributed")
        text = f"“{q.text}”" if q.kind == "direct" else q.text
        out(f"{s.article} {where}  {who} ({q.cue or q.kind}): {text}")
    return 0


HANDLERS = {"read": cmd_read, "index": cmd_index, "export": cmd_export, "search": cmd_search,
            "entities": cmd_entities, "resolve": cmd_resolve, "xref": cmd_xref, "stories": cmd_stories,
            "quotes": cmd_quotes, "bookmarks": cmd_bookmarks}
