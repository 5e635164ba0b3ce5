"""kreader's command line: argument parsing, calls into the core, printing.

``--json`` output goes to stdout and nothing else does; progress, warnings and
errors go to stderr. Exit status: 0 success, 1 a handled error, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from reader import __version__
from reader.core import locations
from reader.core.config import Config, load_config
from reader.core.errors import ReaderError
from reader.core.search.querylang import QUERY_HELP
from reader.core.library.facade import Library
from reader.cli.progress import CliProgress

COMMANDS = ("index", "export", "search", "entities", "resolve", "xref", "bookmarks")



def _megabytes(text: str) -> float:
    """A --max-size value: a positive, finite number of megabytes."""
    try:
        mb = float(text)
    except ValueError:
        mb = float("nan")
    if not math.isfinite(mb) or mb <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of megabytes")
    return mb


def _count(least: int):
    """An integer option that must be at least ``least``."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = least - 1
        if n < least:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least {least}")
        return n
    return parse


def _common(p: argparse.ArgumentParser, corpus_positional: bool) -> None:
    if corpus_positional:
        p.add_argument("corpus_pos", nargs="?", metavar="CORPUS",
                       help="folder of .txt/.md articles (default: the bundled corpus)")
    p.add_argument("--corpus", metavar="C", help="folder of .txt/.md articles (default: the bundled corpus)")
    p.add_argument("--index-dir", metavar="DIR", type=Path,
                   help="where to keep indexes (default: the user cache folder, one index per corpus)")
    p.add_argument("--bookmarks", metavar="FILE", type=Path,
                   help="the bookmarks file (default: bookmarks.yaml in the user data folder)")
    p.add_argument("--max-size", metavar="MB", type=_megabytes,
                   help="skip article files larger than this many megabytes (default: 5)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="kreader",
        description="A terminal reader for news corpora: cleaned articles, their people, places and "
                    "organisations, search, and cross-references between outlets. Run with no command "
                    "to open the reader.",
        epilog="Run 'kreader CMD --help' for one command. Files: the index in the user cache folder, "
               "bookmarks and config in the user data and config folders (see README).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"kreader {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="CMD")
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("read", help="open the reader (the default)", formatter_class=raw)
    _common(p, True)
    p = sub.add_parser("index", help="build or bring the index up to date", formatter_class=raw,
                       description="Build the index of CORPUS, or bring it up to date: only new and "
                                   "changed files are analysed again. Progress on stderr.")
    _common(p, True)
    p.add_argument("--rebuild", action="store_true", help="throw the index away and build it again")
    p = sub.add_parser("export", help="the cleaned, analysed corpus as JSON Lines", formatter_class=raw,
                       description="Print every article, cleaned and analysed, one JSON object a line.")
    _common(p, True)
    p = sub.add_parser("search", help="search passages", formatter_class=raw, epilog=QUERY_HELP,
                       description="Search the passages of the corpus, best first.")
    p.add_argument("query", metavar="QUERY")
    _common(p, False)
    p.add_argument("--limit", type=_count(1), default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("entities", help="list the people, places and organisations", formatter_class=raw)
    _common(p, False)
    p.add_argument("--type", choices=("person", "place", "organization"))
    p.add_argument("--limit", type=_count(0), default=0, metavar="N", help="at most N entities (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("resolve", help="which entities a typed name may mean", formatter_class=raw,
                       description="Resolve NAME (typos and other spellings allowed) to entities, best "
                                   "first; nothing when no entity matches well.")
    p.add_argument("name", metavar="NAME")
    _common(p, False)
    p.add_argument("--type", choices=("person", "place", "organization"))
    p.add_argument("--limit", type=_count(1), default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("xref", help="passages of other articles related to one passage", formatter_class=raw,
                       description="Passages of other articles that speak of the same people, places and "
                                   "events as passage PASSAGE of ARTICLE, with the reasons.")
    p.add_argument("article", metavar="ARTICLE")
    p.add_argument("passage", metavar="PASSAGE", type=int)
    _common(p, False)
    p.add_argument("--limit", type=_count(1), default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("bookmarks", help="list or export bookmarks", formatter_class=raw,
                       description="List the bookmarks (with whether each is still found in the corpus), "
                                   "print the file's path, or export them as Markdown.")
    p.add_argument("action", nargs="?", choices=("list", "export"), default="list")
    _common(p, False)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--path", action="store_true", help="print where the bookmarks file is")
    p.add_argument("--markdown", action="store_true", help="with export: Markdown (the default)")
    return ap


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = build_parser()
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("read", "-h", "--help", "--version")):
        argv = ["read", *argv]
    return ap.parse_args(argv)


def corpus_of(args: argparse.Namespace) -> Path:
    c = getattr(args, "corpus_pos", None) or args.corpus
    return Path(c).expanduser() if c else locations.bundled_corpus()


def open_library(args: argparse.Namespace, config: Config, *, rebuild: bool = False,
                 all_warnings: bool = False) -> Library:
    """Open the corpus and bring its index up to date, progress on stderr.
    Files are named when they are skipped; ``all_warnings`` also names those
    skipped at an earlier run and unchanged since."""
    root = args.index_dir or config.index_dir
    corpus = corpus_of(args)
    index_dir = locations.index_dir_for(corpus, root) if root else None
    max_mb = args.max_size if args.max_size is not None else config.max_size_mb
    lib = Library(corpus, index_dir, max_bytes=int(max_mb * 1024 * 1024), rule_extra=config.rules)
    with CliProgress(sys.stderr) as bar:
        for step in lib.update(rebuild=rebuild):
            bar.update(step)
    if all_warnings:
        for w in lib.warnings:
            if w.path not in bar.warned:
                print(f"warning: {w} (unchanged since it was last tried)", file=sys.stderr)
    return lib


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_index(args, config) -> int:
    lib = open_library(args, config, rebuild=args.rebuild, all_warnings=True)
    s = lib.summary
    print(f"{s.articles} article{'s' if s.articles != 1 else ''} indexed from {corpus_of(args)} in {s.seconds:.1f} s "
          f"({s.added} new, {s.changed} changed, {s.removed} removed files, {s.skipped} skipped); "
          f"index at {lib.index_dir}", file=sys.stderr)
    return 0


def cmd_export(args, config) -> int:
    lib = open_library(args, config)
    given = getattr(args, "corpus_pos", None) or args.corpus
    name = given.rstrip("/") if given else "corpus"  # the folder as the user named it
    for a in lib.articles():
        _print_json(a.to_json(name))
    return 0


def cmd_search(args, config) -> int:
    lib = open_library(args, config)
    hits = lib.search(args.query, limit=args.limit)
    if args.json:
        _print_json([h.to_json() for h in hits])
        return 0
    if not hits:
        print("No passage matches.", file=sys.stderr)
    for h in hits:
        print(f"{h.article} #{h.passage}  {h.title}  ({h.score:.1f})")
        print(f"    {_context(h.text, h.highlights)}")
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
        _print_json([e.to_json() for e in ents])
        return 0
    for e in ents:
        others = [a for a in e.aliases if a != e.name]
        print(f"{e.mentions:5d} {e.type:12s} {e.name}" + (f"  (also: {', '.join(others)})" if others else ""))
    return 0


def cmd_resolve(args, config) -> int:
    lib = open_library(args, config)
    found = lib.resolve(args.name, limit=args.limit, type=args.type)
    if args.json:
        _print_json([{**e.to_json(), "score": round(s, 1)} for e, s in found])
        return 0
    if not found:
        print(f"No entity matches “{args.name}” well enough.", file=sys.stderr)
    for e, s in found:
        print(f"{s:5.1f} {e.type:12s} {e.name}  [{e.id}]")
    return 0


def cmd_xref(args, config) -> int:
    from reader.core.xref.engine import related
    lib = open_library(args, config)
    result = related(lib, args.article, args.passage, limit=args.limit)
    if args.json:
        _print_json(result.to_json())
        return 0
    if not result.related:
        print("No related passage in other articles.", file=sys.stderr)
    for r in result.related:
        print(f"{r.score:.2f} {r.article} #{r.passage}  {r.title}")
        print(f"     {r.text[:200]}")
        print(f"     shared: {', '.join(r.shared_entities + r.shared_terms)}{r.note_suffix()}")
    return 0


def cmd_bookmarks(args, config) -> int:
    from reader.core.bookmarks import store as bm
    path = args.bookmarks or config.bookmarks or locations.default_bookmarks()
    if args.path:
        if args.json:
            _print_json({"path": str(path)})
        else:
            print(path)
        return 0
    store = bm.BookmarkStore(path)
    marks = store.load()
    anchors = {}
    if marks:
        lib = open_library(args, config)
        anchors = bm.anchor_all(marks, lib.article_map())
    if args.action == "export" and not args.json:
        sys.stdout.write(bm.export_markdown(marks, anchors))
        return 0
    if args.json:
        _print_json([bm.to_json(b, anchors.get(b.id)) for b in marks])
        return 0
    if not marks:
        print(f"No bookmarks yet ({path}).", file=sys.stderr)
    for b in marks:
        a = anchors.get(b.id)
        state = a.state if a else "?"
        print(f"{b.id}  [{state}] {b.title} #{b.passage}: “{b.quote[:80]}”" + (f"  — {b.note}" if b.note else ""))
    return 0


def cmd_read(args, config) -> int:
    from reader.ui.app import run_app
    return run_app(corpus_of(args), args, config)


HANDLERS = {"read": cmd_read, "index": cmd_index, "export": cmd_export, "search": cmd_search,
            "entities": cmd_entities, "resolve": cmd_resolve, "xref": cmd_xref, "bookmarks": cmd_bookmarks}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.cmd is None:
        args = parse_args(["read"])
    try:
        config = load_config()
        return HANDLERS[args.cmd](args, config)
    except ReaderError as e:
        print(f"kreader: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kreader: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
