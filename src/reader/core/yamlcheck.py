"""Reading the YAML files a user writes (bookmarks, config.yaml, aliases.yaml)
without letting one make kreader build more than it holds.

A YAML alias (``*name``) repeats what its anchor (``&name``) holds; aliases of
aliases multiply, so a file of a few hundred bytes can stand for billions of
values (an "alias bomb": PyYAML shares the repeated objects, but anything that
walks or prints them walks every copy). :func:`compose` reads the node tree
with libyaml when it is there (its nesting limit stands where pure-Python
PyYAML recurses until Python's stack runs out) and refuses a tree whose
aliases stand for more than :data:`MAX_ALIASED_NODES` extra values, or that
holds itself.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_ALIASED_NODES = 100_000
"""How many values aliases may add to a file, over those it spells out."""

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The fastest safe loader available (libyaml's when PyYAML was built with it)."""


class AliasError(ValueError):
    """A YAML tree whose aliases expand too far or hold themselves."""

    def __init__(self, line: int | None, what: str) -> None:
        super().__init__(what)
        self.line = line
        """0-based line of the anchor concerned, or None."""
        self.what = what
        """What is wrong and what to do, as part of a sentence."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S")
"""Where an anchor (``&name``) may stand; text without one holds no alias."""


def may_hold_aliases(text: str) -> bool:
    """False when ``text`` surely holds no YAML anchor, so no alias (a quick
    look that spares :func:`check_aliases` its walk of a large file)."""
    return _ANCHOR.search(text) is not None


def check_aliases(root: yaml.Node | None, limit: int = MAX_ALIASED_NODES) -> None:
    """Raise :class:`AliasError` when ``root``'s aliases stand for more than
    ``limit`` values beyond the tree's own, or an alias holds its anchor.

    Each node is visited once (sizes are memoised), so the check takes time in
    proportion to the file, not to what the aliases stand for.
    """
    if root is None:
        return
    cap = 1 << 62  # sizes past any file's own: keeps the sums small
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    reused: yaml.Node | None = None
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = min(cap, 1 + sum(sizes[id(c)] for c in _children(node)))
            continue
        if key in sizes:
            reused = reused or node
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise AliasError(child.start_mark.line, "an alias (*name) stands for the list or mapping "
                                 "that holds it, so it never ends; write the values out instead")
            stack.append((child, False))
    if sizes[id(root)] > len(sizes) + limit:
        line = reused.start_mark.line if reused is not None else None
        raise AliasError(line, f"its aliases (*name) stand for more than {limit:,} values; "
                               "write the values out instead of repeating them through aliases")


def compose(text: str, loader: Any = None) -> tuple[Any, yaml.Node | None]:
    """(loader, checked node tree) of one YAML document; the caller constructs
    from the loader and must ``dispose()`` it. Raises :class:`AliasError`, or
    ``yaml.YAMLError`` for text that is not YAML."""
    ld = (loader or SafeLoader)(text)
    try:
        root = ld.get_single_node()
        if may_hold_aliases(text):
            check_aliases(root)
    except RecursionError as e:  # pure-Python PyYAML on very deep nesting
        ld.dispose()
        raise AliasError(None, "it nests lists or mappings too deeply to be read") from e
    except BaseException:
        ld.dispose()
        raise
    return ld, root


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the checks of :func:`compose`."""
    ld, root = compose(text)
    try:
        return ld.construct_document(root) if root is not None else None
    finally:
        ld.dispose()
