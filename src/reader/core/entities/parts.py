"""Clustering again only the part of the corpus's forms that a change reaches.

The rules of :mod:`reader.core.entities.clusters` join two forms only when they
share a transliteration key, when one is a shorter name of the other
(:func:`~reader.core.entities.clusters.shorter_names`), or through the alias
file. The forms linked so, transitively, are one *part*: its clusters, short
forms' decisions, entities and look-up keys depend on its forms alone (taken
in corpus order). So when some forms' totals change, only the parts holding
them (before and after the change: links follow the forms' types) are
clustered again and their results replaced; the rest of the corpus's entities
stay as stored. What is corpus-wide is worked out for what the part touches:
entity ids (a name's slug taken by an entity elsewhere), headline surnames
(a surname is one person's across parts).

With an alias file, whose groups may join any forms, the library clusters
every form again instead (:func:`reader.core.entities.passes.resolve_changes`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from reader.core.entities import clusters
from reader.core.entities.aliases import AliasConfig
from reader.core.entities.cues import PERSON
from reader.core.entities.forms import Form, Keyer
from reader.core.entities.keys import slug
from reader.core.entities.resolve import lookup_table
from reader.core.entities.tables import EntityTables
from reader.core.model import Entity

FormOf = Callable[[str, list], tuple[Form, list]]
"""Form key and stored data -> the form and where it is first seen."""


def plain(aliases: AliasConfig) -> bool:
    """Whether no alias file rule applies (then parts are independent)."""
    return not (aliases.merge or aliases.split or aliases.rename or aliases.retype or aliases.suppress)


def ends_rows(forms: dict[str, Form], fids: dict[str, int]) -> Iterable[tuple[str, int]]:
    """(shorter name, form id) of each form, by its type now."""
    for k, f in forms.items():
        for end in clusters.shorter_names(k, clusters.type_of(f)):
            yield end, fids[k]


def reach(tables: EntityTables, seeds: set[int], form_of: FormOf) -> set[int]:
    """The forms of every part holding one of ``seeds`` (form ids whose totals changed,
    or that go), linked as stored or as the seeds' new types link them."""
    seen = set(seeds)
    for fid, key, data in tables.forms_of(seeds):
        ends = clusters.shorter_names(key, clusters.type_of(form_of(key, data)[0]))
        seen.update(tables.form_ids(ends).values())
    frontier = sorted(seen)
    while frontier:
        found = tables.linked(frontier) - seen
        seen |= found
        frontier = sorted(found)
    return seen


def recluster(tables: EntityTables, touched: set[int], gone: list[int], keyer: Keyer, fresh: list[int],
              form_of: FormOf, overrides: Callable, lost: set[int]) -> int:
    """Cluster again the parts holding the ``touched`` forms (``gone``: those left without
    rows, dropped here) and replace their results; ``fresh``: the article numbers whose rows
    are new to the tables; ``lost``: the forms that lost rows (the others only gained the
    fresh articles' rows). ``overrides(tables, decisions, fids, old, fresh)`` works out the
    per-article exceptions. Returns how many forms were clustered again."""
    part = reach(tables, touched, form_of)
    old_keys = list(tables.form_keys(sorted(part)).values())
    old_ids = sorted(set(tables.mapped("res_forms", "key", old_keys).values()))
    tables.drop_forms(gone)
    forms, fids = {}, {}
    for fid, key, data in sorted(tables.forms_of(part - set(gone)), key=lambda r: r[2][5]):
        forms[key], _ = form_of(key, data)
        fids[key] = fid
    uf, decisions = clusters.cluster(forms, AliasConfig(), keyer)
    overrides(tables, decisions, fids, tables.decisions(old_keys), fresh)
    tables.put_decisions({k: json.dumps(d, ensure_ascii=False) for k, d in decisions.items()}, old_keys)
    changed = {k for k, fid in fids.items() if fid in touched}
    shrunk = {k for k, fid in fids.items() if fid in lost}
    gained = tables.forms_among(fresh)
    old = tables.clusters(old_keys)
    kept: dict[str, tuple[str, int]] = {}

    def count_articles(groups: dict[str, list[str]]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for root, keys in groups.items():
            sig = json.dumps(keys, ensure_ascii=False)
            counts[root] = cluster_articles(tables, old.get(root), sig, keys, fids, changed, shrunk, gained)
            kept[root] = (sig, counts[root])
        return counts

    entities, form_entity, suppressed = clusters.finish(forms, uf, AliasConfig(), keyer, count_articles)
    tables.put_clusters(kept, old_keys)
    roots = entity_roots(form_entity)
    entities, form_entity, roots, renames = _settle_ids(tables, entities, form_entity, roots, set(old_ids))
    choices = lookup_table(entities, tables.lookup_parts(old_ids))
    tables.replace_part(old_ids, old_keys, entities, roots, form_entity, choices, renames)
    tables.put_ends(ends_rows(forms, fids), part)
    _surnames(tables, sorted({k.split()[-1] for k in old_keys if " " in k}))
    tables.finish_result(keyer.acronyms, suppressed)
    return len(forms)


def cluster_articles(tables: EntityTables, was: tuple[str, int] | None, sig: str, keys: list[str],
                     fids: dict[str, int], changed: set[str], shrunk: set[str], gained: dict[int, set[int]]) -> int:
    """How many articles have one of a cluster's forms (``keys``; ``sig``: them as JSON) after
    an update: as stored (``was``: keys and count) when it has the same keys and none
    ``changed``; the stored count and the fresh articles having one (``gained``: form id ->
    those) when they only gained rows (none ``shrunk``); else counted from its rows."""
    if was and was[0] == sig:
        if changed.isdisjoint(keys):
            return was[1]
        if shrunk.isdisjoint(keys):
            return was[1] + len(set().union(*(gained.get(fids[k], ()) for k in keys)))
    return tables.article_count([fids[k] for k in keys])


def entity_roots(form_entity: dict[str, str]) -> dict[str, str]:
    """Entity id -> its cluster's root (the least of its keys, as the clustering roots them)."""
    roots: dict[str, str] = {}
    for k, eid in form_entity.items():
        if eid not in roots or k < roots[eid]:
            roots[eid] = k
    return roots


def surnames(entities: list[Entity], form_entity: dict[str, str]) -> dict[str, str]:
    """Headline surname -> the one person whose names of several words end with it."""
    by_id = {e.id: e for e in entities}
    owners: dict[str, set[str]] = defaultdict(set)
    for k, eid in form_entity.items():
        if " " in k and by_id[eid].type == PERSON:
            owners[k.split()[-1]].add(eid)
    return {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}


def _surnames(tables: EntityTables, words: list[str]) -> None:
    """The headline surnames of these words worked out again over the whole corpus."""
    rows = tables.last_word_forms(words)
    entity = tables.mapped("res_forms", "key", [k for _, k in rows])
    types = {row[0]: row[2] for row in tables.entity_rows(sorted(set(entity.values())))}
    owners: dict[str, set[str]] = defaultdict(set)
    for word, key in rows:
        eid = entity.get(key)
        if eid and types.get(eid) == PERSON:
            owners[word].add(eid)
    tables.put_surnames(words, {w: next(iter(v)) for w, v in owners.items() if len(v) == 1})


def _settle_ids(tables: EntityTables, entities: list[Entity], form_entity: dict[str, str],
                roots: dict[str, str], old_ids: set[str]):
    """Entity ids as a whole clustering gives them: a slug already taken goes to the
    entity of the least root, the others get the type, then a number. Ids within the
    part were given by :func:`clusters.finish`; where the part's names share a slug with
    entities outside it, the ids of all of them are given again. Returns the entities,
    form -> entity, roots, and the renames (old id -> new) of entities outside the part."""
    by_base: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        by_base[slug(e.name)].append(e)
    new_id: dict[str, str] = {}
    renames: dict[str, str] = {}
    for base, mine in by_base.items():
        outside = [r for r in tables.family(base) if r[0] not in old_ids]
        if not outside:
            continue
        used = {r[0] for r in outside if slug(r[2]) != base}
        members = [(root, typ, eid, False) for eid, root, name, typ in outside if slug(name) == base]
        members += [(roots[e.id], e.type, e.id, True) for e in mine]
        for _, typ, eid, inside in sorted(members):
            got = base if base not in used else f"{base}-{typ}"
            n = 2
            while got in used:
                got, n = f"{base}-{n}", n + 1
            used.add(got)
            if got != eid:
                (new_id if inside else renames)[eid] = got
    if new_id:
        entities = [Entity(new_id.get(e.id, e.id), e.name, e.type, e.aliases, e.mentions, e.articles)
                    for e in entities]
        form_entity = {k: new_id.get(v, v) for k, v in form_entity.items()}
        roots = {new_id.get(i, i): r for i, r in roots.items()}
    return entities, form_entity, roots, renames


__all__ = ["plain", "reach", "recluster", "cluster_articles", "entity_roots", "surnames", "ends_rows"]
