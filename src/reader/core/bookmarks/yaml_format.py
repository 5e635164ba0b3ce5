"""The bookmarks file format: YAML text <-> checked records, with line numbers.

Parsing works on the YAML node tree so that every complaint can name the line
to fix, and so that text fields keep exactly what the user typed (``001_2``
stays text, not the number 12). Anything wrong makes
:class:`~reader.core.errors.BookmarksReadOnly`, one sentence: file, line,
what is wrong, what to do.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from reader.core.errors import BookmarksReadOnly
from reader.core.yamlcheck import AliasError, check_aliases, may_hold_aliases

FORMAT_VERSION = 1
HEADER = (
    "# kreader bookmarks (format version 1). You may edit this file by hand:\n"
    "# keep the indentation, use spaces (not tabs), and quote text that contains ': '.\n"
    "# Keys you add to a bookmark are kept. The previous version is kept beside it as .bak.\n"
)
TEXT_KEYS = ("id", "created", "article", "title", "quote", "prefix", "suffix", "path", "source", "note")
REQUIRED_KEYS = ("id", "article", "passage")
KNOWN_KEYS = (*TEXT_KEYS, "passage", "tags")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_PROBLEMS = {
    "tab character": "a tab is used for indentation (indent with spaces instead)",
    "cannot start any token": "a tab or a character YAML does not allow starts a token here "
                              "(indent with spaces, and quote text that starts with @, ` or %)",
    "mapping values are not allowed": "there is a ': ' where YAML does not expect one "
                                      "(check the indentation, or put the text in quotes)",
    "did not find expected key": "the indentation does not line up with the lines above",
    "expected <block end>": "the indentation does not line up with the lines above",
    "did not find expected '-' indicator": "a list item is not indented like the others",
    "found unexpected end of stream": "a quoted text is not closed",
    "could not find expected ':'": "a key is not followed by ': ' (put a space after the colon, "
                                   "or quote the text)",
    "did not find expected ',' or ']'": "a [list] is not closed with ]",
    "did not find expected ',' or '}'": "a {mapping} is not closed with }",
}
_CONTEXT_FIRST = ("quoted scalar", "simple key", "flow sequence", "flow mapping")
"""Errors found where the parser gave up, past what is wrong: a quote, key or
bracket opened earlier and never closed. They are reported where it opened."""


class _Problem(Exception):
    """A checking failure at a 0-based line, turned into BookmarksReadOnly by :func:`parse`."""

    def __init__(self, node: yaml.Node, what: str) -> None:
        super().__init__(what)
        self.line = node.start_mark.line
        self.what = what


@dataclass(frozen=True)
class Record:
    """One checked bookmark mapping."""

    fields: dict[str, Any]
    """The known keys, typed: text, ``passage`` int, ``tags`` tuple."""
    extra: dict[Any, Any]
    """The user's own keys and values, in file order."""
    line: int
    """1-based line where it starts."""


@dataclass(frozen=True)
class Parsed:
    records: list[Record] = field(default_factory=list)
    extra: dict[Any, Any] = field(default_factory=dict)
    """Top-level keys other than ``version`` and ``bookmarks``."""
    append_column: int | None = None
    """The column of the ``-`` that starts each bookmark when a new one may be
    appended to the file's text as it is (the ``bookmarks:`` list is the last
    key, in block style, with nothing after it but comments); else None."""


_DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?:\s|$)", re.M)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a large tree is built: every 700
    new objects it walks the tree built so far, which made reading 100,000
    bookmarks take the square of the count (10,000: 4.2 s with, 1.3 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse(data: bytes, path: Path) -> Parsed:
    """Check and read a bookmarks file's bytes; raises BookmarksReadOnly."""
    text = _decode(data, path)
    loader = _Loader(text)
    try:
        with gc_paused():
            root = loader.get_single_node()
            if may_hold_aliases(text):
                check_aliases(root)
            parsed = _document(loader, root) if root is not None else Parsed()
        return replace(parsed, append_column=_append_column(root, text))
    except AliasError as e:
        raise _read_only(path, e.line, e.what) from e
    except RecursionError as e:
        raise _read_only(path, None, "it nests lists or mappings too deeply to be read") from e
    except yaml.MarkedYAMLError as e:
        raise _read_only(path, _error_line(e), _plain(e)) from e
    except yaml.YAMLError as e:  # e.g. a control character: no mark, maybe a position
        position = getattr(e, "position", None)
        line = text.count("\n", 0, position) if isinstance(position, int) else None
        raise _read_only(path, line, f"the text cannot be read as YAML ({e})") from e
    except _Problem as e:
        raise _read_only(path, e.line, e.what) from e
    finally:
        loader.dispose()


def dump(records: Sequence[dict[str, Any]], extra: dict[Any, Any]) -> str:
    """The file text for these bookmark mappings (and top-level extra keys)."""
    doc: dict[Any, Any] = {"version": FORMAT_VERSION}
    doc.update((k, v) for k, v in extra.items() if k not in ("version", "bookmarks"))
    doc["bookmarks"] = list(records)
    with gc_paused():
        body = _dump(doc)
    return HEADER + body


def dump_appended(records: Sequence[dict[str, Any]], column: int) -> str:
    """The text that appends these bookmark mappings to a file whose list
    items start at ``column`` (see :attr:`Parsed.append_column`)."""
    indent = " " * column
    lines = _dump(list(records)).splitlines(keepends=True)
    if lines and lines[-1].rstrip("\n") == "...":  # PyYAML ends a document so after a |+ text
        lines.pop()
    return "".join(f"{indent}{line}" if line.strip() else line for line in lines)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def appendable(text: str) -> bool:
    """Nothing in ``text`` ends its YAML document before its end."""
    return not _DOCUMENT_MARKER.search(text)


def _append_column(root: yaml.Node | None, text: str) -> int | None:
    """See :attr:`Parsed.append_column`."""
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        return None
    key, seq = root.value[-1]
    if (getattr(key, "value", None) != "bookmarks" or not isinstance(seq, yaml.SequenceNode)
            or seq.flow_style or not seq.value or not appendable(text)):
        return None
    return seq.start_mark.column


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that reads only unambiguous scalars as non-text.

    YAML 1.1 would turn a user's ``on:`` into ``True``, ``1:20`` into 80 and
    ``0755`` into 493, and a rewrite would then change what they typed.
    Here only null, true/false and plain decimal numbers are not text.
    """

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    ("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789")),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper writing multi-line text as ``|`` blocks and tags inline."""


def _represent_str(dumper: Any, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: Any, value: list) -> yaml.Node:
    flow = bool(value) and all(isinstance(v, str) and len(v) < 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow or None)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def _document(loader: Any, root: yaml.Node) -> Parsed:
    if not isinstance(root, yaml.MappingNode):
        raise _Problem(root, "the file should be a mapping with 'version: 1' and a 'bookmarks:' list, "
                             f"but it is {_kind(root)}")
    pairs = _pairs(root)
    version = pairs.pop("version", None)
    if version is not None:
        _check_version(version[1])
    items = pairs.pop("bookmarks", None)
    if items is None:  # a misspelt 'bookmarks:' must not read as "no bookmarks yet"
        for key, (k, v) in pairs.items():
            if isinstance(v, yaml.SequenceNode) and any(
                    isinstance(n, yaml.MappingNode) and any(getattr(kn, "value", None) == "id" for kn, _ in n.value)
                    for n in v.value):
                raise _Problem(k, f"the bookmarks are under the key '{key}'; rename it to 'bookmarks'")
    extra = {loader.construct_object(k, deep=True): loader.construct_object(v, deep=True)
             for k, v in pairs.values()}
    if items is None or _is_null(items[1]):
        return Parsed([], extra)
    seq = items[1]
    if not isinstance(seq, yaml.SequenceNode):
        raise _Problem(seq, "'bookmarks' should be a list of bookmarks ('- id: ...'), "
                            f"but it is {_kind(seq)}")
    records = [_record(loader, node) for node in seq.value]
    _check_unique_ids(records, seq)
    return Parsed(records, extra)


def _record(loader: Any, node: yaml.Node) -> Record:
    if not isinstance(node, yaml.MappingNode):
        raise _Problem(node, "each bookmark should be a mapping of keys ('id: ...'), "
                             f"but this one is {_kind(node)}")
    pairs = _pairs(node)
    missing = [k for k in REQUIRED_KEYS if k not in pairs]
    if missing:
        raise _Problem(node, f"this bookmark lacks the required key{'s' if len(missing) > 1 else ''} "
                             + ", ".join(f"'{k}'" for k in missing))
    fields: dict[str, Any] = {}
    for key in TEXT_KEYS:
        fields[key] = _text(pairs.pop(key)[1], key) if key in pairs else ""
    fields["source"] = fields.get("source") or None
    fields["passage"] = _int(pairs.pop("passage")[1], "passage")
    fields["tags"] = _tags(pairs.pop("tags")[1]) if "tags" in pairs else ()
    if not fields["id"]:
        raise _Problem(node, "this bookmark's 'id' is empty")
    extra = {loader.construct_object(k, deep=True): loader.construct_object(v, deep=True)
             for k, v in pairs.values()}
    return Record(fields, extra, node.start_mark.line + 1)


def _pairs(node: yaml.MappingNode) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    """Key -> (key node, value node), refusing a key given twice (one would be lost)."""
    pairs: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
    for k, v in node.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else id(k)
        if key in pairs:
            raise _Problem(k, f"the key '{key}' appears twice in the same mapping; merge the two")
        pairs[key] = (k, v)
    return pairs


def _text(node: yaml.Node, key: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _Problem(node, f"'{key}' should be plain text, but it is {_kind(node)}")
    return "" if _is_null(node) else node.value


def _int(node: yaml.Node, key: str) -> int:
    if isinstance(node, yaml.ScalarNode):
        try:
            return int(node.value.strip())
        except ValueError:
            pass
    raise _Problem(node, f"'{key}' should be a whole number such as 3")


def _tags(node: yaml.Node) -> tuple[str, ...]:
    """A list of tags, or one line of them separated by commas."""
    if isinstance(node, yaml.ScalarNode):
        values = [] if _is_null(node) else node.value.split(",")
    elif isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        values = [n.value for n in node.value if not _is_null(n)]
    else:
        raise _Problem(node, "'tags' should be a list of words such as [war, sources]")
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def _check_version(node: yaml.Node) -> None:
    try:
        version = _int(node, "version")
    except _Problem:
        raise _Problem(node, f"'version' should be {FORMAT_VERSION}") from None
    if version > FORMAT_VERSION:
        raise _Problem(node, f"the file has format version {version}, written by a newer kreader; "
                             "upgrade kreader to change it")


def _check_unique_ids(records: list[Record], seq: yaml.SequenceNode) -> None:
    seen: dict[str, int] = {}
    for record, node in zip(records, seq.value):
        first = seen.setdefault(record.fields["id"], record.line)
        if first != record.line:
            raise _Problem(node, f"the id '{record.fields['id']}' is also used on line {first}; "
                                 "give one of them another id")


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "empty" if _is_null(node) else f"the text '{node.value[:40]}'"


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start)
        raise _read_only(path, line, "the text is not UTF-8 (save the file as UTF-8)") from e


def _error_line(error: yaml.MarkedYAMLError) -> int | None:
    """The 0-based line to fix: where the unclosed thing opened, else where the parser stopped."""
    context = error.context or ""
    if error.context_mark and any(c in context for c in _CONTEXT_FIRST):
        return error.context_mark.line
    mark = error.problem_mark or error.context_mark
    return mark.line if mark else None


def _plain(error: yaml.MarkedYAMLError) -> str:
    """The parser's complaint in plain words."""
    problem = error.problem or error.context or "the YAML is malformed"
    for needle, phrase in _PROBLEMS.items():
        if needle in problem:
            return phrase
    return problem


def _read_only(path: Path, line: int | None, what: str) -> BookmarksReadOnly:
    """The one-sentence error (``line`` is 0-based)."""
    where = f"{path}, line {line + 1}" if line is not None else str(path)
    return BookmarksReadOnly(
        f"Bookmarks file {where}: {what}; fix that line, and until then kreader "
        "leaves the file untouched and bookmarks are read-only."
    )
