"""The shape of the code: packages by stage, arrows one way, no cycles, no Textual in the core.

Read from the source with :mod:`ast` (every import counts, those inside
functions too), and once for real in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import reader

SRC = Path(reader.__file__).resolve().parent

STAGES = {
    "reader.core.model": 0, "reader.core.errors": 0, "reader.core.config": 0, "reader.core.locations": 0,
    "reader.core.atomic": 0, "reader.core.text": 0,
    "reader.core.ingest": 1,
    "reader.core.entities": 2,
    "reader.core.search": 3,
    "reader.core.xref": 4, "reader.core.stories": 4, "reader.core.quotes": 4, "reader.core.bookmarks": 4,
    "reader.core.library": 5,
    "reader.cli": 6, "reader.ui": 6,
}
"""The pipeline's stages: a module may import from its own stage or an earlier one."""


def modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        if path.name == "__main__.py":  # running it starts kreader
            continue
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path) -> list[tuple[str, list[str], int, bool]]:
    """(module imported, names taken, line, at module level) for every import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    for node in tree.body:  # an `if TYPE_CHECKING:` block is for the type checker only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top |= {id(n) for n in ast.walk(node)}
            for n in ast.walk(node):
                n.type_checking = True  # type: ignore[attr-defined]
    found = []
    for node in ast.walk(tree):
        if getattr(node, "type_checking", False):
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(pkg[:len(pkg) - node.level + 1] + ([base] if base else []))
            found.append((base, [a.name for a in node.names], node.lineno, id(node) in top))
        elif isinstance(node, ast.Import):
            found.extend((a.name, [], node.lineno, id(node) in top) for a in node.names)
    return found


def stage_of(module: str) -> tuple[str, int] | None:
    best = None
    for prefix, rank in STAGES.items():
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, rank)
    return best


def test_arrows_run_one_way_and_no_private_name_crosses_a_package():
    wrong = []
    for name, path in modules().items():
        mine = stage_of(name)
        for target, names, line, _ in imports(name, path):
            theirs = stage_of(target)
            if not (mine and theirs) or mine[0] == theirs[0]:
                continue
            if theirs[1] > mine[1]:
                wrong.append(f"{name}:{line} imports {target} (a later stage)")
            wrong.extend(f"{name}:{line} takes the private {n} of {target}" for n in names if n.startswith("_"))
    assert wrong == []


def test_no_import_cycles():
    """Between modules, counting every import (a lazy one inside a function is still a cycle)."""
    mods = modules()
    graph = {name: set() for name in mods}
    for name, path in mods.items():
        for target, names, _, _ in imports(name, path):
            for t in [f"{target}.{n}" for n in names] + [target]:
                if t in mods and t != name and not name.startswith(t + ".") and t != "reader":
                    graph[name].add(t)
                    break
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_core_never_imports_textual_or_rich():
    core = sorted(n for n in modules() if n == "reader.core" or n.startswith("reader.core."))
    code = ("import importlib, sys\n"
            f"for m in {core!r}:\n    importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    for name, path in modules().items():
        if name.startswith("reader.core"):
            assert not [t for t, *_ in imports(name, path) if t.split(".")[0] in ("textual", "rich")], name


def test_every_module_imports_on_its_own():
    """A fresh interpreter per module would catch an order-dependent import; one
    interpreter that imports each after clearing reader's modules does the same, faster."""
    code = ("import importlib, sys\n"
            f"for m in {sorted(modules())!r}:\n"
            "    for k in [k for k in sys.modules if k == 'reader' or k.startswith('reader.')]:\n"
            "        del sys.modules[k]\n"
            "    importlib.import_module(m)\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
