"""kreader's command line: argument parsing, calls into the core, printing.

``--json`` output goes to stdout and nothing else does; progress, warnings and
errors go to stderr. Exit status: 0 success, 1 a handled error, 2 bad usage,
130 interrupted. :mod:`.parser` builds the parser, :mod:`.commands` holds one
function a command, :mod:`.output` and :mod:`.progress` how they print.
"""

from __future__ import annotations

import sys

from reader.cli.commands import HANDLERS
from reader.cli.output import say
from reader.cli.parser import parse_args
from reader.core.config import load_config
from reader.core.errors import ReaderError


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.cmd is None:
        args = parse_args(["read"])
    try:
        config = load_config()
        return HANDLERS[args.cmd](args, config)
    except ReaderError as e:
        say(f"kreader: {e}")
        return 1
    except KeyboardInterrupt:
        say("kreader: interrupted.")
        return 130
    except BrokenPipeError:
        return 0


