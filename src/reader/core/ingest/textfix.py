"""Repairing the characters of a text before it is cleaned.

ftfy does most of the work. What it does not know is mojibake made by the
Mac's own code pages (UTF-8 bytes shown as Mac Roman or Mac Central European),
which some publishing tools produce; :func:`fix_mac_mojibake` undoes it when
the bytes decode as valid UTF-8 and nothing else.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=True, normalization="NFC", explain=False)
# For text with no sign of mojibake: ftfy's other fixes, on the whole text at once
# (fix_text works line by line, which costs most of the cleaning time).
# Its table-driven fixes (ligatures, full-width letters) run only where such
# characters are, and control characters are stripped by :data:`_CONTROLS`.
_FTFY_NO_MOJIBAKE = _FTFY._replace(fix_encoding=False, fix_latin_ligatures=False, fix_character_width=False,
                                   remove_control_chars=False)
# Mojibake is local: ftfy's badness test looks at a few characters around each
# non-ASCII run, so it is run on those neighbourhoods, not the whole text.
_NEIGHBOURHOOD = re.compile(r".{0,8}[^\x00-\x7f]+.{0,8}")
_WIDE_OR_LIGATURE = re.compile("[\ufb00-\ufb06\u3000\uff01-\uffee]")
# Unicode control (Cc) and format (Cf) characters -- zero-width spaces and
# joiners, soft hyphens, bidi marks, BOMs -- \n and \t excepted (Unicode 14).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_MAC_CODECS = ("mac_roman", "mac_latin2")
# Runs of non-ASCII characters that could be the bytes of a UTF-8 sequence.
_RUN = re.compile(r"[^\x00-\x7f]{2,}")
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


def _ftfy(text: str) -> str:
    """ftfy's fixes; line by line (its slow path) only when there is mojibake to find."""
    if text.isascii() and "&" not in text:
        return text
    if is_bad("\n".join(_NEIGHBOURHOOD.findall(text))):
        return ftfy.fix_text(text, _FTFY)
    text = ftfy.fix_and_explain(text, _FTFY_NO_MOJIBAKE).text
    if _WIDE_OR_LIGATURE.search(text):
        text = ftfy.fixes.fix_character_width(ftfy.fixes.fix_latin_ligatures(text))
    return text


def repair(text: str) -> str:
    """Fixed encoding, no zero-width or control characters, plain spaces.

    Typographic quotes and dashes are kept: they are what the user reads.
    """
    # Mac-codepage mojibake first: ftfy's own heuristics can half-decode it.
    text = fix_mac_mojibake(text)
    text = _ftfy(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
