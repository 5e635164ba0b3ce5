"""The cleaner's boilerplate rules: named patterns, from data, extensible.

The built-in rules live in ``data/boilerplate.yaml``; a user adds rules in
``config.yaml`` under ``cleaning: rules:`` with the same keys.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from reader.core.errors import ConfigError

KINDS = ("line", "teaser")


@dataclass(frozen=True)
class Rule:
    """One named pattern."""

    name: str
    kind: str
    """``line`` removes the line; ``teaser`` also removes the line after it."""
    pattern: re.Pattern[str]


def _compile(spec: dict[str, Any], origin: str) -> Rule:
    if not isinstance(spec, dict) or not {"name", "kind", "pattern"} <= spec.keys():
        raise ConfigError(f"A cleaning rule in {origin} needs the keys name, kind and pattern; fix or remove it.")
    if spec["kind"] not in KINDS:
        raise ConfigError(f"Cleaning rule {spec['name']!r} in {origin} has kind {spec['kind']!r}; "
                          f"use one of {', '.join(KINDS)}.")
    try:
        pattern = re.compile(str(spec["pattern"]), re.IGNORECASE)
    except re.error as e:
        raise ConfigError(f"Cleaning rule {spec['name']!r} in {origin} has a bad pattern ({e}); fix the pattern.") from e
    if pattern.search("") is not None:  # '', '.*', 'x?': would remove every line
        raise ConfigError(f"Cleaning rule {spec['name']!r} in {origin} has a pattern that matches an empty "
                          f"line, so it would remove every line; make it match the boilerplate's words.")
    return Rule(str(spec["name"]), spec["kind"], pattern)


@lru_cache(maxsize=1)
def _builtin_specs() -> tuple[dict[str, Any], ...]:
    import yaml  # here, not at the top: the reader's window paints before any rule is read
    text = (resources.files("reader.core.ingest") / "data" / "boilerplate.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["rules"])


def builtin_rules() -> tuple[Rule, ...]:
    return tuple(_compile(s, "kreader's built-in rules") for s in _builtin_specs())


@lru_cache(maxsize=16)
def _rules(extra_key: str) -> tuple[Rule, ...]:
    import yaml
    extra = yaml.safe_load(extra_key) if extra_key else []
    return builtin_rules() + tuple(_compile(s, "config.yaml") for s in extra or [])


def load_rules(extra: list[dict[str, Any]] | None = None) -> tuple[Rule, ...]:
    """The built-in rules followed by the user's."""
    import yaml
    return _rules(yaml.safe_dump(extra) if extra else "")


def check_rules(extra: list[dict[str, Any]]) -> None:
    """Raise :class:`ConfigError` for the first bad rule of ``extra`` (the user's),
    compiling none of the built-in ones (a search never needs them)."""
    for spec in extra:
        _compile(spec, "config.yaml")


def fingerprint(rules: tuple[Rule, ...]) -> str:
    """Changes whenever a rule changes: part of the index's version."""
    h = hashlib.sha1()
    for r in rules:
        h.update(f"{r.name}\0{r.kind}\0{r.pattern.pattern}\n".encode())
    return h.hexdigest()[:12]
