"""The user's configuration file (``config.yaml`` in the config folder).

Every key is optional::

    max_size_mb: 5            # files larger than this are skipped
    bookmarks: ~/notes/bookmarks.yaml
    index_dir: ~/.cache/kreader/indexes
    cleaning:
      rules:                  # extra boilerplate rules, as in data/boilerplate.yaml
        - {name: my-footer, kind: line, pattern: '^Follow our live coverage'}
    keys:                     # remap the reader's keys by binding id
      bookmark: ctrl+b
    fields:                   # record field names, per corpus folder ("*": every corpus)
      ~/news/scrape: {title: hed, text: copy, date: meta.published}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core import locations
from reader.core.errors import ConfigError


KEYS = ("max_size_mb", "bookmarks", "index_dir", "cleaning", "keys", "fields")
ALL_CORPORA = "*"
"""The ``fields:`` entry that applies to every corpus."""


@dataclass(frozen=True)
class Config:
    max_size_mb: float = 5.0
    bookmarks: Path | None = None
    index_dir: Path | None = None
    rules: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    """Corpus folder (as written) -> role -> the record field that holds it."""

    def fields_for(self, corpus: Path) -> dict[str, str]:
        """The field mapping of one corpus: the ``*`` entry, then the corpus's own over it."""
        out = dict(self.fields.get(ALL_CORPORA, {}))
        target = Path(corpus).expanduser().resolve()
        for folder, mapping in self.fields.items():
            if folder != ALL_CORPORA and Path(folder).expanduser().resolve() == target:
                out.update(mapping)
        return out


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (default: the user's config file); defaults when absent."""
    path = Path(path) if path else locations.config_file()
    if not path.exists():
        return Config(path=path)
    import yaml  # here: most start-ups have no config file to read

    from reader.core.yamlcheck import AliasError, safe_load
    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except AliasError as e:
        line = f" at line {e.line + 1}" if e.line is not None else ""
        raise ConfigError(f"The config file {path} cannot be used{line}: {e.what}.") from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else "?"
        raise ConfigError(f"The config file {path} is not valid YAML at line {line} ({e.problem}); fix it or remove it.") from e
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ConfigError(f"The config file {path} cannot be read ({e}); fix it or remove it.") from e
    if not isinstance(data, dict):
        raise ConfigError(f"The config file {path} must hold a mapping of keys; see the README.")
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise ConfigError(f"The config file {path} has an unknown key {unknown[0]!r} (known: "
                          f"{', '.join(KEYS)}); fix or remove it.")

    def wrong(key: str, want: str) -> ConfigError:
        return ConfigError(f"The config file {path} gives {key} {data.get(key)!r}; it must be {want}.")

    try:
        max_mb = float(data.get("max_size_mb", 5.0))
    except (TypeError, ValueError):
        max_mb = float("nan")
    if not math.isfinite(max_mb) or max_mb <= 0:
        raise wrong("max_size_mb", "a positive number of megabytes")
    paths = {}
    for key in ("bookmarks", "index_dir"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise wrong(key, "a path")
        paths[key] = Path(value).expanduser() if value else None
    cleaning = data.get("cleaning") or {}
    if not isinstance(cleaning, dict) or not isinstance(cleaning.get("rules") or [], list):
        raise wrong("cleaning", "a mapping with a list of rules, as in the README")
    keys = data.get("keys") or {}
    if not isinstance(keys, dict) or not all(isinstance(v, str) and v.strip() for v in keys.values()):
        raise wrong("keys", "a mapping of binding ids to keys, such as 'bookmark: ctrl+b'")
    fields = data.get("fields") or {}
    if not isinstance(fields, dict) or not all(
            isinstance(m, dict) and all(isinstance(v, str) and v.strip() for v in m.values())
            for m in fields.values()):
        raise wrong("fields", "a mapping of corpus folders to mappings such as 'title: headline'")
    return Config(max_size_mb=max_mb, bookmarks=paths["bookmarks"], index_dir=paths["index_dir"],
                  rules=list(cleaning.get("rules") or []), keys={str(k): v for k, v in keys.items()},
                  path=path, fields={str(c): {str(k): v for k, v in m.items()} for c, m in fields.items()})
