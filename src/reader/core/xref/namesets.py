"""A quick test that name mending (:mod:`.names`) leaves two passages alone.

:func:`~.names.names_as_words` and :func:`~.names.contained_names` mend two
passages' signal weights pair by pair, looking every name of every entity up
again each time; on real news they change nothing for nearly every pair, and
finding that out was most of a cross-reference's scoring time. What they
would need of one passage is gathered here once, as sets:

- the first signal of each name of its entities (``names_as_words`` needs
  all of a name's signals in the other passage, so the first among them);
- the runs of :data:`~.names.CONTAINED_MIN_WORDS` words or more strictly
  inside its longer names, and its names of that many words or more
  (``contained_names`` needs one passage's name to be such a run of the
  other's).

Two passages none of whose sets meet the other's are left as they are by
both functions, both ways round; any other pair goes through :mod:`.names`
as before, so the results are the same (tests/test_xref_speed*.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.xref.names import CONTAINED_MIN_WORDS, Stems


@dataclass(frozen=True, slots=True)
class NameSets:
    """What name mending could use of one passage's weights."""

    keys: frozenset[str]
    """Every signal key of the passage."""
    firsts: frozenset[str]
    """The first signal key (``t:`` word or ``p:`` pair) of each name of its entities."""
    runs: frozenset[tuple[str, ...]]
    """Runs of words (two or more) strictly inside one of its entities' names."""
    names: frozenset[tuple[str, ...]]
    """Its entities' names of two words or more."""


def name_sets(weights: dict[str, float], stems_of: Stems) -> NameSets:
    """The sets of one passage's weights (entity keys ``e:``, as :mod:`.names` reads them)."""
    firsts: set[str] = set()
    runs: set[tuple[str, ...]] = set()
    names: set[tuple[str, ...]] = set()
    for key in weights:
        if not key.startswith("e:"):
            continue
        for stems in stems_of(key[2:]):
            firsts.add(f"t:{stems[0]}" if len(stems) == 1 else f"p:{stems[0]} {stems[1]}")
            if len(stems) >= CONTAINED_MIN_WORDS:
                names.add(stems)
            for n in range(CONTAINED_MIN_WORDS, len(stems)):
                runs.update(stems[i:i + n] for i in range(len(stems) - n + 1))
    return NameSets(frozenset(weights), frozenset(firsts), frozenset(runs), frozenset(names))


def untouched(a: NameSets, b: NameSets) -> bool:
    """Whether mending leaves both passages' weights as they are (both functions, both ways)."""
    return (a.firsts.isdisjoint(b.keys) and b.firsts.isdisjoint(a.keys)
            and a.runs.isdisjoint(b.names) and b.runs.isdisjoint(a.names))
