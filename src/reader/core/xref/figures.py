"""Figures in a passage, and whether two passages give different ones for the same thing.

A figure is a count, what it counts and in what sense: ``25 people killed``,
``3,100 civilians evacuated``. Two figures are compared only when both the
thing counted and the sense agree (killed with killed, never killed with
evacuated); a figure whose sense the sentence does not say is not compared.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
"""Counts written as words."""
SENSES = {
    "killed": "killed", "dead": "killed", "died": "killed", "die": "killed", "deaths": "killed",
    "killing": "killed", "perished": "killed", "lives": "killed", "slain": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuring": "injured",
    "wounding": "injured", "injuries": "injured",
    "evacuated": "evacuated", "evacuation": "evacuated", "displaced": "displaced", "fled": "displaced",
    "homeless": "displaced", "arrested": "arrested", "detained": "arrested", "held": "arrested",
    "missing": "missing", "rescued": "rescued", "captured": "captured", "released": "released",
    "freed": "released", "kidnapped": "kidnapped", "abducted": "kidnapped", "hostage": "kidnapped",
    "hostages": "kidnapped", "jailed": "jailed", "sentenced": "jailed", "charged": "charged",
}
"""Words that say what happened to what is counted, by the sense they give."""
SENSE_WINDOW = 6
"""Words after the thing counted (or before the count) searched for its sense."""
PEOPLE = "people"
"""What a bare ``2 killed`` counts."""
_FIGURE = re.compile(r"\b(\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")\s+"
                     r"((?:[a-z-]+\s+){0,2}?)(?P<what>[a-z]{3,})\b", re.I)
_NOT_WHAT = {"years", "year", "days", "day", "hours", "hour", "weeks", "months", "percent", "km", "miles",
             "of", "and", "or", "to", "in", "on", "at", "the", "others", "other", "more", "million",
             "thousand", "hundred", "billion", "am", "pm", "times", "minutes", "metres", "meters"}
_WORD = re.compile(r"[a-z]+")


def _sense(text: str, start: int, end: int) -> str:
    """The sense said next to a figure: the first sense word after it, else just before it."""
    after = _WORD.findall(text[end:end + 80].lower())[:SENSE_WINDOW]
    for w in after:
        if w in SENSES:
            return SENSES[w]
    before = _WORD.findall(text[max(0, start - 40):start].lower())[-3:]
    for w in reversed(before):
        if w in SENSES:
            return SENSES[w]
    return ""


def figures(text: str) -> dict[tuple[str, str], set[float]]:
    """``{("people", "killed"): {25.0}}``: counts by what they count and in what sense."""
    out: dict[tuple[str, str], set[float]] = {}
    for m in _FIGURE.finditer(text):
        raw, what = m.group(1).lower(), m.group("what").lower()
        if what in _NOT_WHAT or re.fullmatch(r"(19|20)\d\d", raw):
            continue
        value = float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw.replace(",", ""))
        if what in SENSES:  # "2 killed": people, in the sense the word gives
            key = (PEOPLE, SENSES[what])
        else:
            sense = _sense(text, m.start(), m.end())
            if not sense:
                continue
            key = (what.rstrip("s") if not what.endswith("ss") else what, sense)
        out.setdefault(key, set()).add(value)
    return out


def disagreement(a: str, b: str) -> str:
    """``25 vs 31 people killed`` when the two texts count the same thing in the
    same sense and share no value; empty otherwise."""
    return differing(figures(a), figures(b))


def differing(fa: dict[tuple[str, str], set[float]], fb: dict[tuple[str, str], set[float]]) -> str:
    """:func:`disagreement` of two texts' :func:`figures` (one text compared with
    many finds its figures once)."""
    for what, sense in sorted(fa.keys() & fb.keys()):
        if not fa[(what, sense)] & fb[(what, sense)]:
            x, y = min(fa[(what, sense)]), min(fb[(what, sense)])
            noun = what if what == PEOPLE or what.endswith("le") else what + "s"
            return f"{x:g} vs {y:g} {noun} {sense}"
    return ""
