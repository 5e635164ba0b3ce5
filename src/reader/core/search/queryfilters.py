"""The query language's checks done before Whoosh parses a query: ``date:``
filters rewritten into Whoosh's range syntax (or refused in one sentence),
parentheses that do not pair up, and queries shown shortened in messages.

Dates are indexed as ISO text (``2023-09-19``), so a year or month is a
stretch of that text: ``date:2023-09`` is every day from ``2023-09-00`` to
``2023-09-99``, and each bound of a range or comparison is widened to the
day precision in the direction it bounds.
"""

from __future__ import annotations

import datetime as dt
import re
from textwrap import shorten

from reader.core.errors import QueryError

SHOWN_QUERY_CHARS = 60
"""How much of a query (or of a part of one) an error message quotes."""

MAX_QUERY_CHARS = 1000
"""The longest query searched (Whoosh's parser takes the square of a long
word's length: a 39,200-character word took 10 s)."""

DATE_FORMS = "date:2023, date:2023-09, date:2023-09-19, date:[2023-09-01 TO 2023-09-30] or date:>2023-09-01"
"""The forms of the date filter, as error messages list them."""

_DATE_FILTER = re.compile(
    r"\bdate:(?:(?P<open>[\[{])(?P<body>[^\]}]*)(?P<close>[\]}])?|(?P<op>[<>]=?)(?P<cmp>\S*)|(?P<value>\S*))",
    re.I)
_RANGE_BODY = re.compile(r"\s*(?P<a>\S*?)\s*\bTO\b\s*(?P<b>\S*)\s*", re.I)
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def shown(text: str) -> str:
    """``text`` on one line, cut at a word to :data:`SHOWN_QUERY_CHARS`."""
    flat = " ".join(text[:SHOWN_QUERY_CHARS * 4].split())
    short = shorten(flat, SHOWN_QUERY_CHARS, placeholder="…")
    return short if short != "…" else flat[:SHOWN_QUERY_CHARS - 1] + "…"


def _check_date(value: str, where: str | None = None) -> str:
    """``value`` when it is an ISO year, month or day that exists; else one
    sentence (``where``: the filter holding it, when it is not the whole filter)."""
    subject = f"{where} holds “{shown(value)}”, which" if where else f"“date:{shown(value)}”"
    m = _ISO.fullmatch(value)
    if not m:
        raise QueryError(f"{subject} is not a date; write {DATE_FORMS}.")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as e:
        raise QueryError(f"{subject} is not a day of the calendar ({e}); write {DATE_FORMS}.") from None
    return value


def _low(value: str) -> str:
    """The first day-precision text ``value`` covers (``2023-09`` -> ``2023-09-00``)."""
    return value + "-00" * (2 - value.count("-"))


def _high(value: str) -> str:
    """The last day-precision text ``value`` covers (``2023-09`` -> ``2023-09-99``)."""
    return value + "-99" * (2 - value.count("-"))


def _range(start: str | None, end: str | None, start_excl: bool, end_excl: bool, where: str) -> str:
    if start and end and (start > end or (start == end and (start_excl or end_excl))):
        raise QueryError(f"{where} ends before it starts; put the earlier date first.")
    inside = " ".join(part for part in (start, "TO", end) if part)
    return f"date:{'{' if start_excl else '['}{inside}{'}' if end_excl else ']'}"


def _rewrite(m: re.Match[str]) -> str:
    where = f"The filter “{shown(m.group(0))}”"
    if m.group("open"):
        if not m.group("close"):
            raise QueryError(f"{where} opens a range that is not closed; end it with ], "
                             "as in date:[2023-09-01 TO 2023-09-30].")
        body = _RANGE_BODY.fullmatch(m.group("body"))
        if not body or not (body.group("a") or body.group("b")):
            raise QueryError(f"{where} needs two dates with TO between them, "
                             "as in date:[2023-09-01 TO 2023-09-30].")
        a = _check_date(body.group("a"), where) if body.group("a") else None
        b = _check_date(body.group("b"), where) if body.group("b") else None
        start_excl, end_excl = m.group("open") == "{", m.group("close") == "}"
        return _range((_high if start_excl else _low)(a) if a else None,
                      (_low if end_excl else _high)(b) if b else None, start_excl, end_excl, where)
    if m.group("op"):
        op, value = m.group("op"), m.group("cmp")
        if not value:
            raise QueryError(f"{where} needs a date after {op}, as in date:{op}2023-09-01.")
        value = _check_date(value, where)
        if op == ">":
            return _range(_high(value), None, True, False, where)
        if op == ">=":
            return _range(_low(value), None, False, False, where)
        if op == "<":
            return _range(None, _low(value), False, True, where)
        return _range(None, _high(value), False, False, where)
    value = _check_date(m.group("value"))
    return f"date:{value}" if value.count("-") == 2 else f"date:{value}*"


def rewrite_dates(text: str) -> str:
    """``text`` with each ``date:`` filter in the syntax Whoosh runs on the
    indexed ISO text; a filter that is not a date is one sentence
    (:class:`QueryError`) instead of matching nothing."""
    return _DATE_FILTER.sub(_rewrite, text)


def check_length(text: str) -> None:
    """Raise :class:`QueryError` for a query longer than :data:`MAX_QUERY_CHARS`."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query “{shown(text)}” is {len(text):,} characters long; kreader searches "
                         f"queries of up to {MAX_QUERY_CHARS:,}, so keep the words that matter.")


def check_parentheses(text: str) -> None:
    """Raise :class:`QueryError` when the parentheses outside phrases do not pair up."""
    depth = 0
    for ch in re.sub(r'"[^"]*"', " ", text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("The query has a “)” with no “(” before it; remove it or add the “(”.")
    if depth:
        raise QueryError("The query has a “(” that is not closed; close the group with “)”.")
