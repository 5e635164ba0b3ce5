"""What an index was built with, checked without importing the pipeline.

The version key names every version constant of the pipeline (index schema,
cleaner, rules, recogniser, quotes) and the field mapping: a stored key that
differs from the current one rebuilds the index. Working it out means
importing the cleaner, the recogniser and the quote finder, and compiling
every cleaning rule, which a search or a look-up has no other use for. So
the index also keeps a *code stamp* beside its key: a hash of the source
kreader's core runs (its ``.py`` files and built-in rules, read as bytes),
the config's extra rules and the field mapping. While the stamp is unchanged
the stored key still holds and nothing is imported; after any change to
kreader's code the key is worked out once, compared, and the new stamp kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from reader.core.ingest.formats.fields import FieldMap

CORE = Path(__file__).resolve().parent.parent
"""The folder of kreader's core packages, whose source the stamp hashes."""
STAMPED_SUFFIXES = (".py", ".yaml")
"""The files of the core the stamp reads: its code and its rules."""


def version_key(rules, fields: FieldMap | None = None) -> str:
    """What an index was built with: a different key rebuilds it (a new
    field mapping too: it changes what records say). Imports the pipeline."""
    from reader.core import entities, quotes
    from reader.core.ingest import rules as cleanrules
    from reader.core.ingest.clean import CLEAN_VERSION
    from reader.core.search import index
    mapping = fields.key() if fields else ""
    return (f"index{index.INDEX_VERSION}-clean{CLEAN_VERSION}-rules{cleanrules.fingerprint(rules)}"
            f"-ent{entities.ENTITY_VERSION}-quotes{quotes.QUOTES_VERSION}"
            + (f"-fields{hashlib.sha1(mapping.encode()).hexdigest()[:8]}" if mapping else ""))


@lru_cache(maxsize=1)
def _source_hash() -> str:
    """A hash of the core's source files, read once per process (a few milliseconds)."""
    h = hashlib.sha1()
    for top, dirs, files in os.walk(CORE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(STAMPED_SUFFIXES):
                path = os.path.join(top, name)
                h.update(os.path.relpath(path, CORE).encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


class VersionKey:
    """The key an index must have for this kreader, its rules and field mapping;
    :meth:`full` works it out only when asked."""

    def __init__(self, rules_of, rule_extra: list | None, fields: FieldMap | None):
        self._rules_of = rules_of
        """Gives the compiled rules (only :meth:`full` needs them)."""
        extra = json.dumps(rule_extra or [], sort_keys=True, default=str)
        mapping = fields.key() if fields else ""
        self.fields = fields
        self.stamp = hashlib.sha1(f"{_source_hash()}\0{extra}\0{mapping}".encode()).hexdigest()
        """Changes whenever anything the key is made of may have changed."""
        self._full: str | None = None

    def full(self) -> str:
        """The key itself (imports the pipeline the first time)."""
        if self._full is None:
            self._full = version_key(self._rules_of(), self.fields)
        return self._full

    def current(self, stored: str | None, stored_stamp: str | None) -> str:
        """The key to compare ``stored`` with: ``stored`` itself while the stamp it was
        kept with still matches (nothing imported), else the key worked out."""
        if stored is not None and stored_stamp == self.stamp:
            return stored
        return self.full()
