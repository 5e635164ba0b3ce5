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

from reader.core.xref.names import CONTAINED_MIN_WORDS, Stems, entities_only_in


NameSets = tuple
"""``(firsts, runs, names)`` of one passage: the first signal key (``t:`` word or
``p:`` pair) of each name of its entities; the runs of words (two or more)
strictly inside one of those names; those names of two words or more. Plain
tuples (of strings): the garbage collector stops tracking them, and a cache
holds tens of thousands."""


def name_sets(weights: dict[str, float], stems_of: Stems) -> NameSets:
    """The sets of one passage's weights (entity keys ``e:``, as :mod:`.names` reads them)."""
    firsts: dict[str, None] = {}
    runs: dict[tuple[str, ...], None] = {}
    names: dict[tuple[str, ...], None] = {}
    for key in weights:
        if key[0] != "e" or not key.startswith("e:"):
            continue
        for stems in stems_of(key[2:]):
            firsts[f"t:{stems[0]}" if len(stems) == 1 else f"p:{stems[0]} {stems[1]}"] = None
            if len(stems) >= CONTAINED_MIN_WORDS:
                names[stems] = None
            for n in range(CONTAINED_MIN_WORDS, len(stems)):
                runs.update(dict.fromkeys(stems[i:i + n] for i in range(len(stems) - n + 1)))
    return tuple(firsts), tuple(runs), tuple(names)


def untouched(a: NameSets, a_weights: dict[str, float], b: NameSets, b_weights: dict[str, float]) -> bool:
    """Whether mending leaves both passages' weights as they are (both functions, both ways)."""
    return words_untouched(a, a_weights, b, b_weights) and _apart(a[1], b[2]) and _apart(b[1], a[2])


def words_untouched(a: NameSets, a_weights: dict[str, float], b: NameSets, b_weights: dict[str, float]) -> bool:
    """Whether :func:`~.names.names_as_words` leaves both passages' weights as they are (both ways)."""
    return b_weights.keys().isdisjoint(a[0]) and a_weights.keys().isdisjoint(b[0])


def _apart(runs, names) -> bool:
    return not runs or not names or frozenset(runs).isdisjoint(names)


def inner_runs(names: tuple[tuple[str, ...], ...]) -> frozenset[tuple[str, ...]] | tuple:
    """The runs of :data:`~.names.CONTAINED_MIN_WORDS` words or more strictly
    inside one of ``names`` (``()`` when there is none: most names are short,
    and a cache of empty sets would be objects the garbage collector tracks)."""
    runs = frozenset(stems[i:i + n] for stems in names for n in range(CONTAINED_MIN_WORDS, len(stems))
                     for i in range(len(stems) - n + 1))
    return runs or ()


def long_names(names: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Those of ``names`` of :data:`~.names.CONTAINED_MIN_WORDS` words or more (a
    tuple: the garbage collector stops tracking it)."""
    return tuple(stems for stems in names if len(stems) >= CONTAINED_MIN_WORDS)


def contained(has: dict[str, float], other: dict[str, float], runs_of, long_of) -> None:
    """:func:`~.names.contained_names`, with each entity's :func:`inner_runs` and
    :func:`long_names` given (``runs_of``, ``long_of``: entity key without its
    ``e:`` -> those sets, kept by the caller): a name inside a longer one is a
    set look-up, not a scan of every pair of their names. The same changes, in
    the same order (tests/test_xref_speed_names.py compares the two)."""
    theirs = entities_only_in(other, has)
    if not theirs:
        return
    for key in entities_only_in(has, other):
        runs = runs_of(key[2:])
        found = [k for k in theirs if not runs.isdisjoint(long_of(k[2:]))] if runs else []
        if found:
            has.pop(key)
            for k in found:
                has[k] = other[k]
