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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import locations
from .errors import ConfigError


@dataclass(frozen=True)
class Config:
    max_size_mb: float = 5.0
    bookmarks: Path | None = None
    index_dir: Path | None = None
    rules: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (default: the user's config file); defaults when absent."""
    path = Path(path) if path else locations.config_file()
    if not path.exists():
        return Config(path=path)
    import yaml  # here: most start-ups have no config file to read
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else "?"
        raise ConfigError(f"The config file {path} is not valid YAML at line {line} ({e.problem}); fix it or remove it.") from e
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ConfigError(f"The config file {path} cannot be read ({e}); fix it or remove it.") from e
    if not isinstance(data, dict):
        raise ConfigError(f"The config file {path} must hold a mapping of keys; see the README.")
    try:
        cleaning = data.get("cleaning") or {}
        return Config(
            max_size_mb=float(data.get("max_size_mb", 5.0)),
            bookmarks=Path(data["bookmarks"]).expanduser() if data.get("bookmarks") else None,
            index_dir=Path(data["index_dir"]).expanduser() if data.get("index_dir") else None,
            rules=list(cleaning.get("rules") or []),
            keys={str(k): str(v) for k, v in (data.get("keys") or {}).items()},
            path=path)
    except (TypeError, ValueError, AttributeError) as e:
        raise ConfigError(f"The config file {path} has a value of the wrong kind ({e}); see the README.") from e
