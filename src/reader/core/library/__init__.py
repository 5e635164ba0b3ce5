"""The library: a corpus opened for reading, the façade the CLI and the UI use.

Owns bringing the index up to date (:mod:`.facade`, :mod:`.analysis`,
:mod:`.workers`) and the SQLite store of analysed articles (:mod:`.store`).
"""

from reader.core.library.facade import Library, Progress, UpdateSummary

__all__ = ["Library", "Progress", "UpdateSummary"]
