"""Shared fixtures: every test gets its own cache, data and config folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.core import locations


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Point the user folders at a scratch place, so no test touches the real ones."""
    base = tmp_path_factory.mktemp("userdirs")
    for name in ("CACHE", "DATA", "CONFIG"):
        monkeypatch.setenv(f"KREADER_{name}_DIR", str(base / name.lower()))
    return base


@pytest.fixture
def seed_corpus(tmp_path) -> Path:
    """A private copy of the bundled corpus (tests may change it)."""
    dest = tmp_path / "corpus"
    shutil.copytree(locations.bundled_corpus(), dest)
    return dest
