"""The command line's parser: commands, options, and what `--help` says of them."""

from __future__ import annotations

import argparse
import math
import textwrap
from pathlib import Path

from reader import __version__
from reader.core.search.querylang import QUERY_HELP

COMMANDS = ("index", "export", "search", "entities", "resolve", "xref", "stories", "quotes", "bookmarks")
"""Every subcommand but ``read``, the default."""


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


CORPUS_HELP = ("folder of articles, searched recursively: text, Markdown, saved web pages, "
               "JSON/JSON Lines/CSV exports, RSS/Atom feeds, WARC archives (README: Formats; "
               "default: the bundled corpus)")
"""What a corpus argument is, in every command's --help."""


def _common(p: argparse.ArgumentParser, corpus_positional: bool) -> None:
    if corpus_positional:
        p.add_argument("corpus_pos", nargs="?", metavar="CORPUS", help=CORPUS_HELP)
    p.add_argument("--corpus", metavar="C", help=CORPUS_HELP)
    p.add_argument("--index-dir", metavar="DIR", type=Path,
                   help="where to keep indexes (default: the user cache folder, one index per corpus)")
    p.add_argument("--bookmarks", metavar="FILE", type=Path,
                   help="the bookmarks file (default: bookmarks.yaml in the user data folder)")
    p.add_argument("--max-size", metavar="MB", type=_megabytes,
                   help="skip article files larger than this many megabytes (default: 5)")


RECHECK_HELP = ("compare every corpus file with the index first, as kreader index does (without it, "
                "only the folders are checked: a file added, deleted or renamed is seen, one edited in "
                "place is seen by the next kreader index)")
"""What ``--recheck`` does, on each command that reads the index."""


def _recheck(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recheck", action="store_true", help=RECHECK_HELP)


EPILOG = "\n\n".join(textwrap.fill(p, 79) for p in (
    "Run 'kreader CMD --help' for one command. Files: the index in the user cache folder, bookmarks and "
    "config in the user data and config folders (see README).",
    "Freshness: kreader index, export and the reader compare every corpus file with the index; search, "
    "entities, resolve, xref, stories, quotes and bookmarks check only the corpus's folders (a file added, "
    "deleted or renamed is seen; one edited in place waits for the next kreader index, or give --recheck)."))
"""What ``kreader --help`` ends with."""


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="kreader",
        description="A terminal reader for news corpora: cleaned articles, their people, places and "
                    "organisations, search, and cross-references between outlets. Run with no command "
                    "to open the reader.",
        epilog=EPILOG,
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
    _recheck(p)
    p.add_argument("--limit", type=_count(1), default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("entities", help="list the people, places and organisations", formatter_class=raw)
    _common(p, False)
    _recheck(p)
    p.add_argument("--type", choices=("person", "place", "organization"))
    p.add_argument("--limit", type=_count(0), default=0, metavar="N", help="at most N entities (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("resolve", help="which entities a typed name may mean", formatter_class=raw,
                       description="Resolve NAME (typos and other spellings allowed) to entities, best "
                                   "first; nothing when no entity matches well.")
    p.add_argument("name", metavar="NAME")
    _common(p, False)
    _recheck(p)
    p.add_argument("--type", choices=("person", "place", "organization"))
    p.add_argument("--limit", type=_count(1), default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("xref", help="passages of other articles related to one passage", formatter_class=raw,
                       description="Passages of other articles that speak of the same people, places and "
                                   "events as passage PASSAGE of ARTICLE, with the reasons; the reports of "
                                   "the same story first. Without PASSAGE: every passage of ARTICLE. "
                                   "ARTICLE is an article's id or its file's name.")
    p.add_argument("article", metavar="ARTICLE")
    p.add_argument("passage", metavar="PASSAGE", type=_count(0), nargs="?")
    _common(p, False)
    _recheck(p)
    p.add_argument("--limit", type=_count(1), default=10, metavar="N", help="at most N per passage (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("stories", help="the reports of each event, grouped", formatter_class=raw,
                       description="The stories of the corpus: the articles that report one event, with "
                                   "their outlets and dates, largest first. Every article is in exactly one.")
    _common(p, False)
    _recheck(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("quotes", help="who said what: the corpus's quotes and their speakers", formatter_class=raw,
                       description="Every direct quote (in quotation marks) and indirect quote (reported "
                                   "speech) of the corpus, with its speaker; --speaker NAME keeps one "
                                   "speaker's, the name matched fuzzily as in person:NAME.")
    _common(p, False)
    _recheck(p)
    p.add_argument("--speaker", metavar="NAME", help="only the quotes of this person or organisation")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("bookmarks", help="list or export bookmarks", formatter_class=raw,
                       description="List the bookmarks (with whether each is still found in the corpus), "
                                   "print the file's path, or export them as Markdown.")
    p.add_argument("action", nargs="?", choices=("list", "export"), default="list")
    _common(p, False)
    _recheck(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--path", action="store_true", help="print where the bookmarks file is")
    p.add_argument("--markdown", action="store_true", help="with export: Markdown (the default)")
    return ap


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = build_parser()
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("read", "-h", "--help", "--version")):
        argv = ["read", *argv]
    return ap.parse_args(argv)
