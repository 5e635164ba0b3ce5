"""Making two passages' names comparable before they are scored.

The recogniser marks names passage by passage, so one name can reach the
engine in three shapes: as an entity, as plain words where it was not marked,
or inside a longer mention that took in a word too many ("the European Union
on Tuesday"). Both are mended here, at query time, on the two passages'
signal weights: a name standing as words in the other passage counts as the
entity there; a mention whose words hold another entity's whole name (of two
words or more) counts as that entity.
"""

from __future__ import annotations

from collections.abc import Callable

CONTAINED_MIN_WORDS = 2
"""A name must have this many words to be found inside a longer mention (one
word, "Paris", is too often part of another name: "Paris Saint-Germain")."""

Stems = Callable[[str], list[tuple[str, ...]]]
"""Entity key (without its ``e:``) -> the stems of each of its names."""


def entities_only_in(has: dict[str, float], other: dict[str, float]) -> list[str]:
    """The entity keys (``e:``) of ``has`` that ``other`` lacks (a key's first letter
    is looked at first: most keys are words, and both passages' keys are read for
    each candidate)."""
    return [k for k in has if k[0] == "e" and k.startswith("e:") and k not in other]


def names_as_words(has: dict[str, float], other: dict[str, float], stems_of: Stems) -> None:
    """An entity of ``has`` whose name stands in ``other`` as plain words (where
    the recogniser did not mark it) is shared: in ``other`` its words then
    count as the entity, not as words."""
    for key in entities_only_in(has, other):
        for stems in stems_of(key[2:]):
            parts = [f"t:{stems[0]}"] if len(stems) == 1 else [
                f"p:{a} {b}" for a, b in zip(stems, stems[1:])]
            if all(p in other for p in parts):
                for p in parts + [f"t:{s}" for s in stems]:
                    other.pop(p, None)
                other[key] = has[key]
                break


def contained_names(has: dict[str, float], other: dict[str, float], stems_of: Stems) -> None:
    """An entity of ``other`` whose whole name (of :data:`CONTAINED_MIN_WORDS`
    words or more) lies inside a longer mention of ``has`` is shared: in
    ``has`` the longer mention then counts as that entity (as each, when it
    holds several: "the European Union and the United States")."""
    theirs = [k for k in other if k.startswith("e:") and k not in has]
    if not theirs:
        return
    for key in [k for k in has if k.startswith("e:") and k not in other]:
        longer = stems_of(key[2:])
        found = [k for k in theirs
                 if any(_inside(short, long) for short in stems_of(k[2:]) if len(short) >= CONTAINED_MIN_WORDS
                        for long in longer if len(long) > len(short))]
        if found:
            has.pop(key)
            for k in found:
                has[k] = other[k]


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` is a run of consecutive words of ``long``."""
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))
