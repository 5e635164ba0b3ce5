"""How many passages hold each term: a table kept beside the Whoosh index.

A cross-reference weighs every signal of a passage and of each candidate by
its rarity: the document frequency of a few thousand terms per call. Whoosh
looks each one up in the term dictionary of every segment (ten segments:
ten hash look-ups and ten term records decoded per term), which made most of
a cross-reference's time on a new process. This table answers a whole batch
with one ``numpy.searchsorted``.

Whoosh's document frequency of a term is the sum, over the index's
segments, of the count written with each segment (a deleted passage counts
until its segment is merged away), and a segment never changes once
written. So a table is counted once per segment, from its term dictionary,
and the index's table is their sum, saved with the list of segments it
sums: it holds exactly as long as that list is the index's, and gives
Whoosh's figures, deleted passages and all. Terms are keyed by a 96-bit
blake2b hash of field and term (a 64-bit key, sorted, and a 32-bit tag
checked on each look-up); two terms sharing a key make the table unusable
and Whoosh is asked instead.

Beside the counts, each segment's set of file paths (:data:`PLACED_FIELDS`) is
kept, as sorted 64-bit keys: :func:`leaves_holding` tells which segments may
hold a file's passages, so a cross-reference reading the passages of a
story's reports asks one segment for each, not every segment.

The files live in ``termstats/`` inside the Whoosh folder, so they go with
it when the index is rebuilt. :func:`refresh` is called when an update has
written the index; :func:`for_reader` loads the table for a reader's
segments, counting what is missing or stale or unreadable again (and saving
it when the folder can be written). Nothing here can stop kreader: at
worst it returns None and the caller asks Whoosh.
"""

from __future__ import annotations

import json
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from hashlib import blake2b
from pathlib import Path
from typing import BinaryIO

import numpy as np

TERMSTATS_VERSION = 2
"""Bump when what a table holds or how it is keyed changes (old tables are counted again).
(2: counts as uint32.)"""
FIELDS = ("text", "ent")
"""The fields whose terms are counted (the ones cross-references weigh)."""
FOLDER = "termstats"
"""The tables' folder inside the Whoosh index folder."""
INDEX_TABLE = "index.npz"
"""The sum over the index's segments (per-segment tables are ``SEGMENT_ID.npz``)."""
SEGMENT_CACHE = 64
"""Per-segment tables kept in memory by one process (an index holds about a dozen)."""
STALE_TEMPORARY = 600.0
"""Seconds after which a temporary file is taken as left by a process that died while writing."""
_ENTRY = np.dtype([("key", "<u8"), ("tag", "<u4")])
"""A term's 12-byte blake2b digest, read as its sort key and its check tag."""
_SEP = b"\x00"

PLACED_FIELDS = ("path",)
"""The fields whose terms are also kept per segment as a set (:func:`leaves_holding`): a
file's passages lie in one segment (two while an older copy's wait to be merged away),
and asking every segment's term dictionary for its path was most of the look-ups a
cross-reference makes for the reports of a story."""
PLACES_VERSION = 1
"""In the per-segment sets' file names (``SEGMENT_ID.FIELD.vN.npy``): bumped when what they hold changes."""

_segments: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}
"""(folder, segment id) -> that segment's (keys, tags, counts), None when unusable."""
_placed: dict[tuple[str, str, str], np.ndarray] = {}
"""(folder, segment id, field) -> the sorted 64-bit keys of that segment's terms of the field."""


def _digests(fieldname: str, terms: Iterable[bytes]) -> np.ndarray:
    """The keyed digests of ``terms`` (UTF-8 bytes) of one field."""
    head = fieldname.encode() + _SEP
    raw = b"".join(blake2b(head + t, digest_size=12).digest() for t in terms)
    return np.frombuffer(raw, dtype=_ENTRY)


class TermStats:
    """Document frequencies of the terms of one set of segments."""

    def __init__(self, keys: np.ndarray, tags: np.ndarray, counts: np.ndarray, segments: Sequence[str]):
        self.keys, self.tags, self.counts = keys, tags, counts
        self.segments = tuple(segments)
        """The segment ids this table sums."""

    def doc_frequencies(self, fieldname: str, terms: Sequence[str]) -> list[int]:
        """Passages holding each of ``terms`` (0 for a term the index does not hold)."""
        if not terms or not len(self.keys):
            return [0] * len(terms)
        d = _digests(fieldname, (t.encode("utf-8") for t in terms))
        at = np.minimum(np.searchsorted(self.keys, d["key"]), len(self.keys) - 1)
        hit = (self.keys[at] == d["key"]) & (self.tags[at] == d["tag"])
        return np.where(hit, self.counts[at], 0).tolist()

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Passages holding ``term``."""
        return self.doc_frequencies(fieldname, [term])[0]


def segment_ids(reader) -> tuple[str, ...]:
    """The ids of a Whoosh reader's segments, in its order."""
    out = []
    for sub, _ in reader.leaf_readers():
        seg = sub.segment()
        out.append(seg.segment_id() if seg is not None else "")
    return tuple(out)


def _count_segment(sub) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """One segment's table from its term dictionary (None when two of its terms share a key)."""
    parts, counts = [], []
    for fieldname in FIELDS:
        if fieldname not in sub.schema:
            continue
        terms = []
        for tbytes, info in sub.iter_field(fieldname):
            terms.append(tbytes)
            counts.append(info.doc_frequency())
        parts.append(_digests(fieldname, terms))
    entries = np.concatenate(parts) if parts else np.empty(0, _ENTRY)
    order = np.argsort(entries["key"], kind="stable")
    keys = entries["key"][order]
    if len(keys) > 1 and (keys[1:] == keys[:-1]).any():
        return None
    return keys, entries["tag"][order], np.asarray(counts, dtype=np.uint32)[order]


def _read(path: Path, segments: Sequence[str] | None = None):
    """A saved table's (keys, tags, counts); None when missing, unreadable, of another
    version, or (``segments`` given) summing other segments."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("version") != TERMSTATS_VERSION:
                return None
            if segments is not None and tuple(meta.get("segments", ())) != tuple(segments):
                return None
            keys, tags, counts = z["keys"], z["tags"], z["counts"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError, AttributeError):
        return None
    if not (keys.dtype == np.uint64 and tags.dtype == np.uint32 and counts.dtype == np.uint32
            and len(keys) == len(tags) == len(counts)):
        return None
    return keys, tags, counts


def _write(path: Path, keys, tags, counts, segments: Sequence[str] = ()) -> None:
    """Save a table (see :func:`_save`)."""
    meta = np.frombuffer(json.dumps({"version": TERMSTATS_VERSION, "segments": list(segments)}).encode(),
                         dtype=np.uint8)
    _save(path, lambda f: np.savez(f, keys=keys, tags=tags, counts=counts, meta=meta))


def _save(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Save a file by ``write`` (a temporary file renamed over the old one: a reader never
    sees half of it); a folder that cannot be written is left as it is."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        try:
            with open(tmp, "wb") as f:
                write(f)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError:
        pass


def _segment_table(folder: Path, sub, seg_id: str, save: bool):
    """One segment's table: kept in memory, else read, else counted (and saved)."""
    cache_key = (str(folder), seg_id)
    if cache_key in _segments:
        return _segments[cache_key]
    path = folder / f"{seg_id}.npz"
    found = _read(path) if seg_id else None
    if found is None:
        found = _count_segment(sub)
        if found is not None and save and seg_id:
            _write(path, *found)
    if len(_segments) >= SEGMENT_CACHE:
        _segments.clear()
    _segments[cache_key] = found
    return found


def _sum(tables) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The sum of segment tables (None when two terms of different segments share a key)."""
    if len(tables) == 1:
        return tables[0]
    keys = np.concatenate([t[0] for t in tables])
    tags = np.concatenate([t[1] for t in tables])
    counts = np.concatenate([t[2] for t in tables])
    if not len(keys):
        return keys, tags, counts
    order = np.argsort(keys, kind="stable")
    keys, tags, counts = keys[order], tags[order], counts[order]
    same = keys[1:] == keys[:-1]
    if (same & (tags[1:] != tags[:-1])).any():
        return None
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    return keys[starts], tags[starts], np.add.reduceat(counts, starts).astype(np.uint32)


def build(reader, whoosh_dir: Path | str, save: bool = True) -> TermStats | None:
    """The table for ``reader``'s segments, from the saved per-segment tables, counting
    the segments that have none; saved (``save``) for the next process. None when a
    key is shared by two terms."""
    folder = Path(whoosh_dir) / FOLDER
    ids = segment_ids(reader)
    tables = []
    for (sub, _), seg_id in zip(reader.leaf_readers(), ids):
        t = _segment_table(folder, sub, seg_id, save)
        if t is None:
            return None
        tables.append(t)
    summed = _sum(tables) if tables else (np.empty(0, np.uint64), np.empty(0, np.uint32), np.empty(0, np.uint32))
    if summed is None:
        return None
    if save and all(ids):
        _write(folder / INDEX_TABLE, *summed, segments=ids)
        _prune(folder, ids)
    return TermStats(*summed, segments=ids)


def _prune(folder: Path, ids: Sequence[str]) -> None:
    """Delete the tables and sets of segments the index no longer has (merged away),
    and temporary files left by a process that died while writing one."""
    keep = {f"{i}.npz" for i in ids} | {INDEX_TABLE} | {_places_name(i, f) for i in ids for f in PLACED_FIELDS}
    old = time.time() - STALE_TEMPORARY
    try:
        for p in folder.iterdir():
            if (p.suffix in (".npz", ".npy") and p.name not in keep) or (p.suffix == ".tmp"
                                                                        and p.stat().st_mtime < old):
                p.unlink(missing_ok=True)
    except OSError:
        pass


def for_reader(reader, whoosh_dir: Path | str, save: bool = True) -> TermStats | None:
    """The table for ``reader``'s segments: the saved one when it sums exactly these
    segments, else built (:func:`build`). None when it cannot be had: ask Whoosh."""
    ids = segment_ids(reader)
    found = _read(Path(whoosh_dir) / FOLDER / INDEX_TABLE, ids) if all(ids) else None
    if found is not None:
        return TermStats(*found, segments=ids)
    try:
        return build(reader, whoosh_dir, save)
    except (OSError, ValueError, KeyError):  # a segment that cannot be read: Whoosh will say so
        return None


def refresh(ix) -> None:
    """Bring the saved tables up to date with the index ``ix`` (a Whoosh FileIndex)
    after an update wrote it; never raises for a table's sake."""
    folder = getattr(ix.storage, "folder", None)
    if folder is None:
        return
    try:
        with ix.reader() as reader:
            for_reader(reader, folder)
            for fieldname in PLACED_FIELDS:
                _places(reader, folder, fieldname, save=True)
    except Exception:  # noqa: BLE001 - a damaged segment raises many kinds; the next opening sees it
        pass


# -- which segments hold a term --------------------------------------------------------
def _places_name(seg_id: str, fieldname: str) -> str:
    return f"{seg_id}.{fieldname}.v{PLACES_VERSION}.npy"


def _segment_terms(folder: Path, sub, seg_id: str, fieldname: str, save: bool) -> np.ndarray:
    """The sorted keys of one segment's terms of ``fieldname``: kept in memory, else
    read, else listed from its term dictionary (and saved)."""
    cache_key = (str(folder), seg_id, fieldname)
    found = _placed.get(cache_key)
    if found is not None:
        return found
    path = folder / _places_name(seg_id, fieldname)
    try:
        found = np.load(path, allow_pickle=False)
        if found.dtype != np.uint64 or found.ndim != 1:
            found = None
    except (OSError, ValueError, EOFError):
        found = None
    if found is None:
        found = np.sort(_digests(fieldname, sub.lexicon(fieldname))["key"])
        if save:
            _save(path, lambda f: np.save(f, found, allow_pickle=False))
    if len(_placed) >= SEGMENT_CACHE:
        _placed.clear()
    _placed[cache_key] = found
    return found


def _places(reader, whoosh_dir: Path | str, fieldname: str, save: bool) -> list[np.ndarray] | None:
    """Each of ``reader``'s segments' sets of terms of ``fieldname`` (see :func:`leaves_holding`)."""
    folder = Path(whoosh_dir) / FOLDER
    ids = segment_ids(reader)
    if fieldname not in PLACED_FIELDS or not all(ids):
        return None
    try:
        return [_segment_terms(folder, sub, seg_id, fieldname, save)
                for (sub, _), seg_id in zip(reader.leaf_readers(), ids)]
    except Exception:  # noqa: BLE001 - a damaged segment raises many kinds; Whoosh will say so
        return None


def leaves_holding(reader, whoosh_dir: Path | str, fieldname: str, terms: Sequence[str],
                   save: bool = True) -> list[frozenset[int]] | None:
    """For each of ``terms`` of a field of :data:`PLACED_FIELDS`, the positions in
    ``reader.leaf_readers()`` of the segments that may hold it: each segment's terms are
    kept as a sorted set of 64-bit keys, so a term is never left out where its segment
    holds it (two terms sharing a key only cost a look-up that finds nothing). None when
    the sets cannot be had (a segment without an id, or one that cannot be read): ask
    every segment."""
    sets = _places(reader, whoosh_dir, fieldname, save)
    if sets is None:
        return None
    keys = _digests(fieldname, (t.encode("utf-8") for t in terms))["key"]
    holds = []
    for found in sets:
        if not len(found):
            holds.append(np.zeros(len(keys), dtype=bool))
            continue
        at = np.minimum(np.searchsorted(found, keys), len(found) - 1)
        holds.append(found[at] == keys)
    return [frozenset(li for li, held in enumerate(holds) if held[i]) for i in range(len(keys))]
