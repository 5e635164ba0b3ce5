"""How the command line writes. Everything it prints goes through here, so
no control character from a file name, a file's text or the bookmarks file
reaches the terminal raw (:func:`reader.core.text.visible`).

- :func:`out`: a line of text on stdout;
- :func:`say`: a message, warning or error on stderr;
- :func:`print_json`: one line of JSON on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from reader.core.text import BIDI_CONTROLS, visible

_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS)}
"""What json.dumps(ensure_ascii=False) leaves raw (it escapes only U+0000-U+001F)."""


def out(text: object = "", *, lines: bool = False) -> None:
    """Print ``text`` on stdout, controls escaped (``lines``: keep its line breaks)."""
    sys.stdout.write(visible(text, lines=lines) + ("" if lines else "\n"))


def say(text: object, stream: TextIO | None = None) -> None:
    """Print the message ``text`` on stderr (or ``stream``) as one line, controls escaped."""
    print(visible(text), file=stream or sys.stderr)


def json_text(obj) -> str:
    """``obj`` as one line of JSON with no control character raw."""
    return json.dumps(obj, ensure_ascii=False).translate(_JSON_ESCAPES)


def print_json(obj) -> None:
    """Print ``obj`` as one line of JSON on stdout."""
    sys.stdout.write(json_text(obj) + "\n")
