"""Repairing the characters of a text before it is cleaned.

ftfy does most of the work. What it does not know is mojibake made by the
Mac's own code pages (UTF-8 bytes shown as Mac Roman or Mac Central European),
which some publishing tools produce; :func:`fix_mac_mojibake` undoes it when
the bytes decode as valid UTF-8 and nothing else.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
_MAC_CODECS = ("mac_roman", "mac_latin2")
# Runs of non-ASCII characters that could be the bytes of a UTF-8 sequence.
_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _plausible(ch: str) -> bool:
    """Characters that UTF-8 mojibake usually stands for: Latin letters and
    typographic punctuation, not letters of another script."""
    o = ord(ch)
    return o < 0x250 or 0x2000 <= o <= 0x206F or 0x20A0 <= o <= 0x20BF or o in (0x2122, 0x2026)


def _unmojibake_run(run: str) -> str:
    for codec in _MAC_CODECS:
        try:
            fixed = run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(fixed) < len(run) and all(_plausible(ch) for ch in fixed):
            return fixed
    return run


def fix_mac_mojibake(text: str) -> str:
    """Undo UTF-8 read as a Mac code page, run by run."""
    return _RUN.sub(lambda m: _unmojibake_run(m.group()), text)


def _strip_controls(text: str) -> str:
    return "".join(ch for ch in text
                   if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))


def repair(text: str) -> str:
    """Fixed encoding, no zero-width or control characters, plain spaces.

    Typographic quotes and dashes are kept: they are what the user reads.
    """
    text = ftfy.fix_text(text, _FTFY)
    text = fix_mac_mojibake(text)
    text = text.translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in text):
        text = _strip_controls(text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
