"""Article metadata found in the text: title and site, byline, date, source."""

from __future__ import annotations

import re

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATES = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>\d{4})", re.I),
    re.compile(_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
]
# What may stand beside a date on a date line: labels, weekdays, times, zones.
# Tried as separate tokens over the positions the line can be cut at (see
# _only_date_words): as one ``^(?:…)*$`` pattern the alternatives overlap
# ("on" is a label and a zone) and a line of repeated words backtracks
# exponentially.
_DATE_LINE_TOKENS = tuple(re.compile(p, re.I) for p in (
    r"\s|[,|:/·•–—.()-]",
    r"\b(?:published|updated|posted|last updated|modified|on|at|date|"
    r"mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b",
    r"\d{1,2}[:.]\d{2}",
    r"\d{1,2}[:.]\d{2}\s*[ap]\.?m\.?",
    r"\d{1,2}[:.]\d{2}:\d{2}",
    r"\d{1,2}[:.]\d{2}:\d{2}\s*[ap]\.?m\.?",
    r"\b[A-Z]{2,4}\b",
    r"\b[A-Z]{2,4}[+-]\d{1,2}\b",
))
_BYLINE = re.compile(r"^(?:by|written by|words by|reporting by|posted by|authors?)(?:\s*:\s*|\s+)(?P<name>[^\d:|]{2,80}?)\s*(?:[,|–—-]\s*(?P<org>[^,|]{2,40}))?\s*$", re.I)
_BYLINE_DATE_SEP = re.compile(r"(?:\s|[,|:/·•–—-]|\b(?:published|updated|posted|on)\b)+", re.I)
"""What may stand between a byline and its date (stripped from the end of the byline)."""
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|and|&|de|da|del|della|di|du|van|von|der|le|la|bin|al|el|ibn)$")
_SOURCE = re.compile(r"^(?:source|original(?: article)?|originally published (?:at|on|in)|via|read (?:more|the original) at)\s*:?\s*(?P<url>https?://\S+)\s*$", re.I)


def _site_parts(line: str) -> list[str]:
    """``line`` cut at each ``|`` with white space on one side at least (not
    in ``a|b``). Split by hand: a ``\\s+[|]`` pattern searched along a long
    run of spaces takes the square of its length."""
    parts, current = [], None
    for piece in line.split("|"):
        if current is None:
            current = piece
        elif current[-1:].isspace() or piece[:1].isspace():
            parts.append(current)
            current = piece
        else:
            current = f"{current}|{piece}"
    parts.append(current or "")
    return parts


def split_title(line: str) -> tuple[str, str | None]:
    """``Title | Section | Site`` -> (``Title``, ``Site``); else (line, None)."""
    if "|" not in line:
        return line.strip(), None
    parts = [p.strip() for p in _site_parts(line) if p.strip()]
    if len(parts) < 2 or len(parts[0].split()) < 2:
        return line.strip(), None
    return parts[0], parts[-1]


def has_site_suffix(line: str) -> bool:
    """A line shaped like a page title with a site suffix (not a table row)."""
    if "|" not in line or line.startswith("|") or line.endswith("|"):
        return False
    parts = [p for p in _site_parts(line) if p.strip()]
    return 2 <= len(parts) <= 4 and len(parts[0].split()) >= 4 and all(len(p.split()) <= 6 for p in parts[1:])


def _only_date_words(text: str) -> bool:
    """``text`` is nothing but what may stand beside a date on a date line:
    the positions reachable token by token (:data:`_DATE_LINE_TOKENS`), each
    position tried once, so the time is linear in the length."""
    reachable = {0}
    for pos in range(len(text)):
        if pos not in reachable:
            continue
        for token in _DATE_LINE_TOKENS:
            m = token.match(text, pos)
            if m and m.end() > pos:
                reachable.add(m.end())
    return len(text) in reachable


def _strip_separators(head: str) -> str:
    """``head`` without the separators and labels at its end (``By Jane Doe |
    published on`` -> ``By Jane Doe``)."""
    end = len(head)
    for m in _BYLINE_DATE_SEP.finditer(head):
        if m.end() == len(head):
            end = m.start()
    return head[:end]


_YEAR = re.compile(r"\d{4}")
"""What every pattern of :data:`_DATES` needs: a line without four digits in a row has no date."""


def parse_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, with its match."""
    if not _YEAR.search(text):
        return None
    for rx in _DATES:
        m = rx.search(text)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else _MONTHS.get(g["mon"].lower().rstrip("."))
        day, year = int(g["d"]), int(g["y"])
        if month and 1 <= month <= 12 and 1 <= day <= 31 and 1800 <= year <= 2200:
            return f"{year:04d}-{month:02d}-{day:02d}", m
    return None


def date_line(line: str) -> str | None:
    """The ISO date when the whole line is a date (with labels, weekday, time)."""
    if len(line) > 80:
        return None
    found = parse_date(line)
    if not found:
        return None
    iso, m = found
    rest = line[:m.start()] + " " + line[m.end():]
    return iso if _only_date_words(rest) else None


def byline(line: str) -> str | None:
    """The author's name when the line is a byline (``By Jane Doe``)."""
    m = _BYLINE.match(line)
    if not m:
        return None
    name = m.group("name").strip(" .")
    words = name.split()
    if not 1 <= len(words) <= 8 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if not words[0][0].isupper():
        return None
    return name


def byline_with_date(line: str) -> tuple[str, str] | None:
    """(author, ISO date) when the line is a byline followed by a date
    (``By Jane Doe | 19 Sep, 2023``)."""
    if len(line) > 140:
        return None
    found = parse_date(line)
    if not found:
        return None
    iso, m = found
    if not _only_date_words(line[m.end():]):
        return None
    head = _strip_separators(line[:m.start()])
    name = byline(head)
    return (name, iso) if name else None


def source_line(line: str) -> str | None:
    """The address when the line is ``Source: https://…``."""
    m = _SOURCE.match(line)
    return m.group("url").rstrip(").,") if m else None
