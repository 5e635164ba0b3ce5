"""A record's fields: which one holds the title, the text, the date …

Exports name them in many ways (news-please's ``maintext`` and
``date_publish``, NewsAPI's ``publishedAt`` and ``source.name``, a dataset
CSV's ``headline``/``body``). :data:`FIELD_NAMES` lists the names recognised
for each role, first match wins, case and ``_``/``-`` ignored; a corpus's
mapping in the config (``fields:``) names the field for a role outright, a
dotted name reaching into an object (``source.name``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from reader.core.errors import ConfigError

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid", "uuid", "doc_id", "article_id", "record_id"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "maintext", "content", "article", "article_text", "full_text", "fulltext",
             "story"),
    "html": ("html", "raw_html", "content_html", "body_html", "html_content"),
    "summary": ("description", "summary", "abstract", "lead", "teaser"),
    "date": ("date", "published", "date_publish", "pubdate", "published_at", "publish_date",
             "date_published", "published_date", "datetime", "created_at", "timestamp"),
    "url": ("url", "link", "uri", "canonical_url", "source_url", "permalink"),
    "site": ("site", "source", "source_domain", "sitename", "site_name", "publisher", "outlet", "domain"),
    "author": ("author", "authors", "byline", "creator", "writer"),
}
"""Per role, the field names recognised, in order of preference. ``summary``
is used as the text only when no text or HTML field has any."""
ROLES = tuple(FIELD_NAMES)


def _norm(name: str) -> str:
    return re.sub(r"[\s_-]+", "", str(name)).casefold()


_NORMS = {role: tuple(_norm(n) for n in names) for role, names in FIELD_NAMES.items()}


def _lookup(obj: object, name: str) -> object:
    """``obj[name]``, the name matched exactly, else with case and ``_``/``-`` ignored."""
    if not isinstance(obj, Mapping):
        return None
    if name in obj:
        return obj[name]
    n = _norm(name)
    return next((v for k, v in obj.items() if _norm(k) == n), None)


class FieldMap:
    """Finds each role's value in a record: the corpus's mapping first, then
    the recognised names. The guess is worked out once per set of keys."""

    def __init__(self, mapping: Mapping[str, str] | None = None):
        self.mapping = dict(mapping or {})
        unknown = sorted(set(self.mapping) - set(ROLES))
        if unknown:
            raise ConfigError(f"The config's fields: mapping names {unknown[0]!r}, which is no role of a "
                              f"record; the roles are {', '.join(ROLES)}.")
        self._cache: dict[tuple[str, ...], dict[str, str]] = {}

    def _guess(self, keys: tuple[str, ...]) -> dict[str, str]:
        found = self._cache.get(keys)
        if found is None:
            by_norm: dict[str, str] = {}
            for k in keys:
                by_norm.setdefault(_norm(k), k)
            found = {}
            for role, norms in _NORMS.items():
                for n in norms:
                    if n in by_norm and by_norm[n] not in found.values():
                        found[role] = by_norm[n]
                        break
            if len(self._cache) < 256:  # a file whose every record has new keys: no growth
                self._cache[keys] = found
        return found

    def key(self) -> str:
        """What the mapping is, for the index's version key (a new mapping re-reads)."""
        return ",".join(f"{k}={v}" for k, v in sorted(self.mapping.items()))

    def get(self, record: Mapping, role: str) -> object:
        """The value of ``role`` in ``record`` (None when it has none)."""
        name = self.mapping.get(role)
        if name:
            value: object = record
            for part in str(name).split("."):
                value = _lookup(value, part)
            return value
        key = self._guess(tuple(record)).get(role)
        return record.get(key) if key is not None else None

    def names(self, role: str, most: int = 3) -> str:
        """The field names looked for (the first ``most``), for a message."""
        if self.mapping.get(role):
            return str(self.mapping[role])
        return ", ".join(FIELD_NAMES[role][:most])


def as_text(value: object) -> str | None:
    """A field's value as text: strings as they are, a list of strings (a
    list of paragraphs) joined by blank lines, numbers written out."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (list, tuple)):
        parts = [as_text(v) for v in value]
        joined = "\n\n".join(p for p in parts if p)
        return joined or None
    if isinstance(value, Mapping):
        return as_text(value.get("name") or value.get("text") or value.get("value"))
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return None


def as_names(value: object) -> str | None:
    """Authors: a string, or a list of strings or of ``{"name": …}`` objects, joined."""
    if isinstance(value, (list, tuple)):
        names = [as_text(v) for v in value]
        joined = ", ".join(n.strip() for n in names if n)
        return joined or None
    text = as_text(value)
    return text.strip() if text else None
