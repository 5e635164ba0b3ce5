"""The user's alias file: corrections to how names resolve into entities.

An ``aliases.yaml`` beside the corpus (or in kreader's config folder) may hold
any of five sections; every name may be any surface form of the entity::

    merge:                 # these names are one entity, named by the first
      - [Artsakh, Nagorno-Karabakh]
    split:                 # this form stands alone, never merged into another
      - Security Council
    rename:                # the entity holding this name gets a new name
      Kremlin: Russian Presidency
    retype:                # person, place or organization
      Kremlin: organization
    suppress:              # the entity holding this name is not highlighted
      - Reuters

Names are compared after :func:`normalise_name` (case, accents, dots,
hyphens and apostrophes do not matter). A malformed file raises
:class:`~reader.core.errors.ConfigError` naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reader.core import yamlcheck
from reader.core.entities.keys import normalise_name
from reader.core.errors import ConfigError
from reader.core.locations import config_dir
from reader.core.model import ENTITY_TYPES

ALIAS_FILE = "aliases.yaml"
SECTIONS = ("merge", "split", "rename", "retype", "suppress")


@dataclass(frozen=True)
class AliasConfig:
    """The user's corrections, names already normalised."""

    merge: tuple[tuple[str, ...], ...] = ()
    """Groups of names that are one entity; the first (as written) names it."""
    merge_names: tuple[str, ...] = ()
    """The first name of each merge group, as written."""
    split: frozenset[str] = frozenset()
    rename: dict[str, str] = field(default_factory=dict)
    """Normalised name -> new canonical name, as written."""
    retype: dict[str, str] = field(default_factory=dict)
    suppress: frozenset[str] = frozenset()
    path: str = ""


def find_alias_file(corpus_dir: Path) -> Path | None:
    """``corpus_dir/aliases.yaml``, else the one in the config folder, else None."""
    for path in (Path(corpus_dir) / ALIAS_FILE, config_dir() / ALIAS_FILE):
        if path.is_file():
            return path
    return None


def load_aliases(path: Path) -> AliasConfig:
    """Read and check an alias file; :class:`ConfigError` says what is wrong and where."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"Cannot read the alias file {path}: {e}.") from e
    try:
        loader, root = yamlcheck.compose(text)
        loader.dispose()
    except yamlcheck.AliasError as e:
        where = f", line {e.line + 1}" if e.line is not None else ""
        raise ConfigError(f"The alias file {path}{where}: {e.what}.") from e
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", None)
        where = f" at line {line + 1}" if line is not None else ""
        raise ConfigError(f"The alias file {path} is not valid YAML{where}.") from e
    if root is None:
        return AliasConfig(path=str(path))

    def fail(node: yaml.Node, what: str) -> ConfigError:
        return ConfigError(f"The alias file {path}, line {node.start_mark.line + 1}: {what}.")

    def string(node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip() or node.tag.endswith(":null"):
            raise fail(node, "expected a name")
        return str(node.value).strip()

    def strings(node: yaml.Node) -> list[str]:
        if not isinstance(node, yaml.SequenceNode):
            raise fail(node, "expected a list of names")
        return [string(n) for n in node.value]

    if not isinstance(root, yaml.MappingNode):
        raise fail(root, f"expected sections among {', '.join(SECTIONS)}")
    merge, merge_names, split, suppress = [], [], set(), set()
    rename, retype = {}, {}
    for key_node, value in root.value:
        section = string(key_node)
        if section == "merge":
            if not isinstance(value, yaml.SequenceNode):
                raise fail(value, "merge expects a list of lists of names")
            for group in value.value:
                names = strings(group)
                if len(names) < 2:
                    raise fail(group, "a merge group needs at least two names")
                merge.append(tuple(normalise_name(n) for n in names))
                merge_names.append(names[0])
        elif section in ("split", "suppress"):
            (split if section == "split" else suppress).update(normalise_name(n) for n in strings(value))
        elif section in ("rename", "retype"):
            if not isinstance(value, yaml.MappingNode):
                raise fail(value, f"{section} expects lines of the form 'name: new value'")
            for k, v in value.value:
                name, new = string(k), string(v)
                if section == "retype" and new not in ENTITY_TYPES:
                    raise fail(v, f"the type must be one of {', '.join(ENTITY_TYPES)}, not {new!r}")
                (rename if section == "rename" else retype)[normalise_name(name)] = new
        else:
            raise fail(key_node, f"unknown section {section!r}, expected one of {', '.join(SECTIONS)}")
    return AliasConfig(tuple(merge), tuple(merge_names), frozenset(split), rename, retype,
                       frozenset(suppress), str(path))
