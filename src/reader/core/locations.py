"""Where kreader finds its bundled files and keeps its own (platformdirs)."""

from __future__ import annotations

import hashlib
import os
import re
from importlib import resources
from pathlib import Path

import platformdirs

APP = "kreader"


def _bundled(name: str) -> Path:
    """A folder shipped with the package (wheel) or beside it (checkout)."""
    packaged = Path(str(resources.files("reader"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / name
    return checkout


def bundled_corpus() -> Path:
    """The five bundled articles: the default corpus."""
    return _bundled("corpus")


def styles_dir() -> Path:
    """The Textual CSS files."""
    return _bundled("styles")


def config_dir() -> Path:
    """``$KREADER_CONFIG_DIR`` or the user config folder."""
    env = os.environ.get("KREADER_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP))


def config_file() -> Path:
    return config_dir() / "config.yaml"


def data_dir() -> Path:
    """``$KREADER_DATA_DIR`` or the user data folder."""
    env = os.environ.get("KREADER_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """``$KREADER_CACHE_DIR`` or the user cache folder."""
    env = os.environ.get("KREADER_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir(APP))


def default_bookmarks() -> Path:
    return data_dir() / "bookmarks.yaml"


INDEX_NAME_CHARS = 48
"""How much of the corpus folder's name an index folder's name keeps (the
hash of the whole path keeps it apart; file systems allow 255 bytes)."""


def index_dir_for(corpus: Path, root: Path | None = None) -> Path:
    """The index folder of one corpus, keyed by its resolved path: the folder's
    name (shortened, only letters, digits, ``._-``) and a hash of the path."""
    resolved = str(Path(corpus).resolve())
    key = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = re.sub(r"[^\w.-]+", "_", Path(resolved).name, flags=re.ASCII).strip("._")[:INDEX_NAME_CHARS]
    return (root or cache_dir() / "indexes") / f"{name or 'corpus'}-{key}"
