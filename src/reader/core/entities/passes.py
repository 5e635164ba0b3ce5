"""Resolving a corpus through its entity tables: all of it, or only what changed.

:func:`resolve_all` streams the corpus twice (acronym evidence, then each
mention's form key) and keeps per article only rows in the tables
(:mod:`reader.core.entities.tables`); what it holds while it works grows with
the distinct forms, never with the articles. :func:`resolve_changes` takes the
articles gone and the articles new (or changed) since: it removes and adds
their rows, sums again the totals of the forms that lost rows or gained one
within their scored sample, adds the other new rows onto the stored totals
(:func:`_add_on`: a common form's rows are not read again), clusters the forms
again (the rules of :mod:`reader.core.entities.clusters`, over forms, not
articles), and works out the per-article exceptions and article counts only
where a cluster or a short form's decision changed. Both give the same
entities (a test holds them to it).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable

from reader.core.entities import clusters, parts
from reader.core.entities.aliases import AliasConfig
from reader.core.entities.cues import KINDS, span_scores
from reader.core.entities.forms import SCORE_SAMPLE, Form, Keyer
from reader.core.entities.resolve import Resolution, lookup_table
from reader.core.entities.tables import EntityTables, memory_db
from reader.core.model import Article

Stamped = Iterable[tuple[Article, str]]
"""Articles with the stamp of the version resolved (re-iterable)."""


def resolve_corpus(articles: Iterable[Article], aliases: AliasConfig | None = None) -> Resolution:
    """Cluster the mentions of a list of recognised articles (from ``recognise_article``) into
    entities, in an in-memory database (the library resolves its store's articles in the store's
    own tables: :func:`resolve_all`, :func:`resolve_changes`)."""
    tables = EntityTables(memory_db())
    resolve_all(tables, [(a, "") for a in articles], aliases or AliasConfig())
    return Resolution(tables)


def _surface(text: str) -> str:
    return re.sub(r"['’]s?$", "", text.strip())


def article_rows(a: Article, keyer: Keyer, wanted: Callable[[str], int]) -> dict[str, list]:
    """Form key -> [surface texts, type votes, context scores, place] of one article's mentions.
    ``wanted(key)`` says how many more mentions of the key are to be scored (then the count
    goes down by the mentions scored here); ``place`` is where the key is first seen."""
    rows: dict[str, list] = {}
    for m, text in clusters._mentions(a):
        key = keyer.key(m.text, text, m.start)
        if not key:
            continue
        row = rows.get(key)
        if row is None:
            row = rows[key] = [{}, {}, [], len(rows), wanted(key)]
        texts, votes, scores = row[0], row[1], row[2]
        surface = _surface(m.text)
        texts[surface] = texts.get(surface, 0) + 1
        votes[m.type] = votes.get(m.type, 0) + 1
        if len(scores) < row[4]:
            s = span_scores(text, m.start, m.end)
            scores.append([s[t] for t in KINDS])
    for row in rows.values():
        del row[4]
    return rows


def _new_where(path: str, aid: str, place: int) -> list:
    """Where a form is first seen, before its rows are summed (see :func:`_form_data`)."""
    return [path, aid, place, None, [], []]


def _add_row(f: Form, row: list, take: int, where: list, at: list) -> None:
    """Add an article's row (scoring ``take`` of its mentions) to the form's totals. ``at``:
    the article's [path, id], noted in ``where`` for each surface text and type the row
    is the first to have, and when its scores complete the form's sample."""
    texts, votes, scores = row[0], row[1], row[2]
    where[4] += [at for t in texts if t not in f.texts]
    where[5] += [at for t in votes if t not in f.votes]
    for t, c in texts.items():
        f.texts[t] += c
    for t, c in votes.items():
        f.votes[t] += c
    for s in scores[:take]:
        for t, v in zip(KINDS, s):
            f.scores[t] += v
    f.scored += take
    f.articles += 1
    if take and f.scored == SCORE_SAMPLE:
        where[3] = at


def _form_data(f: Form, where: list) -> list:
    """A form's stored totals. ``where``: [path, article id, place] of its first mention, then
    (once its rows are summed) [path, article id] of the row completing its scored sample
    (None while it has fewer mentions), and of the first mention of each surface text and
    of each type, in their order (the order of first mention, which breaks ties between
    surface texts): what :func:`_add_on` needs to add a row after the sample (kept only
    once there is one). Tables written before these were kept have only the first three
    (then the rows are summed)."""
    if where[3:4] == [None]:
        where = where[:4]
    return [dict(f.texts), dict(f.votes), [f.scores[t] for t in KINDS], f.scored, f.articles, where]


def _form_of(key: str, data: list) -> tuple[Form, list]:
    texts, votes, scores, scored, articles, where = data
    f = Form(key, Counter(texts), Counter(votes), dict(zip(KINDS, scores)), scored, articles)
    return f, where


def resolve_all(tables: EntityTables, articles: Stamped, aliases: AliasConfig) -> None:
    """Resolve every article again (``articles`` is read twice)."""
    tables.clear()
    evidence = []
    for a, stamp in articles:
        found = clusters.article_evidence(a)
        tables.add_article(a.id, a.path, stamp, found)
        if found:
            evidence.append(found)
    keyer = Keyer(clusters.acronym_table(evidence))
    forms: dict[str, Form] = {}
    fids: dict[str, int] = {}
    firsts: dict[str, list] = {}

    def wanted(key: str) -> int:
        f = forms.get(key)
        return SCORE_SAMPLE - (f.scored if f else 0)

    for a, _ in articles:
        n = tables.article_number(a.id)
        rows = article_rows(a, keyer, wanted)
        at = [a.path, a.id]
        out = []
        for key, row in rows.items():
            f = forms.get(key)
            if f is None:
                f = forms[key] = Form(key)
                fids[key] = len(fids) + 1
                firsts[key] = _new_where(a.path, a.id, row[3])
            _add_row(f, row, len(row[2]), firsts[key], at)
            out.append((fids[key], row))
        tables.put_rows(n, out)
    tables.put_forms((fids[k], k, _form_data(f, firsts[k])) for k, f in forms.items())
    _cluster_and_write(tables, forms, fids, keyer, aliases, None)


def resolve_changes(tables: EntityTables, removed: list[str], added: Stamped, aliases: AliasConfig,
                    load: Callable[[str], Article | None]) -> bool:
    """Bring the tables up to date with the articles ``removed`` (ids) and ``added`` (new or
    changed; read twice); ``load`` gives a stored article by id. When the corpus's acronyms
    change, the articles having a form the change may key otherwise are keyed again.
    False when there are no complete tables to bring up to date."""
    if not tables.complete():
        return False
    old_acronyms = tables.meta("acronyms")
    touched = tables.remove_articles(removed)
    fresh: list[int] = []
    for a, stamp in added:
        fresh.append(tables.add_article(a.id, a.path, stamp, clusters.article_evidence(a)))
    acronyms = clusters.acronym_table(tables.evidence())
    again = _keyed_otherwise(tables, old_acronyms, acronyms, set(fresh))
    touched |= tables.drop_rows([n for n, _ in again])
    lost = set(touched)  # forms that lost rows: summed again whole
    fresh += [n for n, _ in again]
    keyer = Keyer(acronyms)
    next_fid = tables.next_form_id()
    new_rows: dict[int, list[tuple[list, list]]] = {}
    for a in _chain_articles(added, again, load):
        n = tables.article_number(a.id)
        rows = article_rows(a, keyer, lambda key: SCORE_SAMPLE)
        known = tables.form_ids(list(rows))
        out = []
        for key, row in rows.items():
            if key not in known:
                known[key] = next_fid
                next_fid += 1
                tables.put_forms([(known[key], key, _form_data(Form(key), [a.path, a.id, row[3]]))])
            out.append((known[key], row))
            touched.add(known[key])
            new_rows.setdefault(known[key], []).append(([a.path, a.id], row))
        tables.put_rows(n, out)
    whole = lost | _add_on(tables, {fid: rows for fid, rows in new_rows.items() if fid not in lost})
    gone = _sum_again(tables, sorted(whole), keyer, load)
    if parts.plain(aliases):
        parts.recluster(tables, touched, gone, keyer, fresh, _form_of, _overrides, lost)
        return True
    tables.drop_forms(gone)
    forms, fids = {}, {}
    for fid, key, data in sorted(tables.forms(), key=lambda r: r[2][5]):
        forms[key], _ = _form_of(key, data)
        fids[key] = fid
    touched_keys = {k for k, fid in fids.items() if fid in touched}
    lost_keys = {k for k, fid in fids.items() if fid in lost}
    _cluster_and_write(tables, forms, fids, keyer, aliases, (touched_keys, fresh, lost_keys))
    return True


def _keyed_otherwise(tables: EntityTables, old: dict[str, str], new: dict[str, str],
                     fresh: set[int]) -> list[tuple[int, str]]:
    """(number, id) of the articles resolved before whose mentions the acronyms
    ``new`` may key otherwise than ``old`` did: those having a form whose key
    begins with an acronym whose meaning changed, or with its old expansion."""
    moved = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    if not moved:
        return []
    heads = moved + [old[k] for k in moved if k in old]
    return [(n, aid) for n, aid in tables.keyed_under(heads) if n not in fresh]


def _chain_articles(added: Stamped, again: list[tuple[int, str]], load) -> Iterable[Article]:
    yield from (a for a, _ in added)
    for _, aid in again:
        a = load(aid)
        if a is not None:
            yield a


def _sum_again(tables: EntityTables, fids: list[int], keyer: Keyer, load) -> list[int]:
    """The totals of these forms summed again from their rows (in corpus order); returns
    the forms left without rows (the caller drops them). An article whose rows scored too
    few mentions for what is now needed of it is keyed again (its earlier articles went)."""
    gone = []
    keys = tables.form_keys(fids)
    for fid in fids:
        rows = tables.rows_of(fid)
        if not rows:
            gone.append(fid)
            continue
        key = keys[fid]
        f = Form(key)
        where = _new_where(rows[0][1], rows[0][2], rows[0][3][3])
        for n, path, aid, row in rows:
            take = min(sum(row[0].values()), SCORE_SAMPLE - f.scored)
            if len(row[2]) < take:
                row = _rescored(tables, n, aid, key, fid, keyer, load) or row
            _add_row(f, row, min(take, len(row[2])), where, [path, aid])
        tables.put_forms([(fid, key, _form_data(f, where))])
    return gone


def _add_on(tables: EntityTables, new_rows: dict[int, list[tuple[list, list]]]) -> set[int]:
    """Rows new to these forms (([path, article id], row) of each) added onto their stored
    totals, as a whole re-sum would give them, where all sort after the row completing
    the form's scored sample (they add no scores); the forms left to sum again whole."""
    whole: set[int] = set()
    done = []
    for fid, key, data in tables.forms_of(new_rows):
        f, where = _form_of(key, data)
        rows = sorted(new_rows[fid], key=lambda r: r[0])
        if len(where) < 6 or where[3] is None or rows[0][0] <= where[3]:
            whole.add(fid)
            continue
        for at, row in rows:
            f.texts, where[4] = _merged(f.texts, where[4], row[0], at)
            f.votes, where[5] = _merged(f.votes, where[5], row[1], at)
            f.articles += 1
        done.append((fid, key, _form_data(f, where)))
    tables.put_forms(done)
    return whole


def _merged(counts: Counter, firsts: list, row: dict, at: list) -> tuple[Counter, list]:
    """``counts`` (in the order of their first mentions; ``firsts``: where each was first seen)
    with an article's ``row`` of counts added, the article being at ``at``: in the order,
    and with the firsts, a whole re-sum gives (by first article, then within it)."""
    order = {k: (p, i) for i, (k, p) in enumerate(zip(counts, firsts))}
    moved = False
    for j, k in enumerate(row):
        was = order.get(k)
        if was is None or at < was[0]:
            order[k] = (at, j)
            moved = True
    for k, c in row.items():
        counts[k] += c
    if not moved:
        return counts, firsts
    keys = sorted(order, key=order.__getitem__)
    return Counter({k: counts[k] for k in keys}), [order[k][0] for k in keys]


def _rescored(tables, n, aid, key, fid, keyer, load) -> list | None:
    a = load(aid)
    if a is None:
        return None
    row = article_rows(a, keyer, lambda k: SCORE_SAMPLE).get(key)
    if row is not None:
        tables.put_row(n, fid, row)
    return row


def _cluster_and_write(tables: EntityTables, forms: dict[str, Form], fids: dict[str, int], keyer: Keyer,
                       aliases: AliasConfig, change: tuple[set[str], list[int], set[str]] | None) -> None:
    """Cluster the forms and write the result; ``change`` (touched keys, the article numbers
    whose rows are new, the keys that lost rows) limits the per-article work to what it may
    change (None: all of it)."""
    uf, decisions = clusters.cluster(forms, aliases, keyer)
    _overrides(tables, decisions, fids, tables.decisions() if change else None, change[1] if change else None)
    old = tables.clusters() if change else {}
    gained = tables.forms_among(change[1]) if change else {}
    kept: dict[str, tuple[str, int]] = {}

    def count_articles(groups: dict[str, list[str]]) -> dict[str, int]:
        counts: dict[str, int] = {}
        todo: dict[int, str] = {}
        for root, keys in groups.items():
            sig = json.dumps(keys, ensure_ascii=False)
            if change:
                counts[root] = parts.cluster_articles(tables, old.get(root), sig, keys, fids, change[0], change[2],
                                                      gained)
            else:
                todo.update((fids[k], root) for k in keys)
            kept[root] = (sig, 0)
        if todo:
            counts.update(tables.article_counts(todo))
        for root in kept:
            kept[root] = (kept[root][0], counts.get(root, 0))
        return counts

    entities, form_entity, suppressed = clusters.finish(forms, uf, aliases, keyer, count_articles)
    tables.put_clusters(kept)
    tables.put_decisions({k: json.dumps(d, ensure_ascii=False) for k, d in decisions.items()})
    table = lookup_table(entities, tables.lookup_parts() if change else None)
    tables.put_result(entities, parts.entity_roots(form_entity), form_entity, parts.surnames(entities, form_entity),
                      table, keyer.acronyms, suppressed)
    tables.put_ends(parts.ends_rows(forms, fids))


def _overrides(tables: EntityTables, decisions: dict[str, list], fids: dict[str, int],
               old: dict[str, str] | None, fresh: list[int] | None) -> None:
    """The per-article exceptions of the short forms' decisions: all again (``old`` None),
    or those of decisions that changed from ``old`` (short form -> decision as JSON), and
    of the ``fresh`` articles (numbers)."""
    if old is None:
        tables.db.execute("DELETE FROM res_overrides")
    for k in set(old or ()) - set(decisions):
        tables.drop_overrides(k)
    key_of = {fid: k for k, fid in fids.items()}
    for k, d in decisions.items():
        fits = sorted({fids[t] for t, _ in d[1]})
        among = None
        if old is not None:
            if old.get(k) == json.dumps(d, ensure_ascii=False):
                among = fresh
                if not among:
                    continue
            else:
                tables.drop_overrides(k)
        rows = []
        for n, present in tables.together(fids[k], fits, among).items():
            target = clusters.article_overrides(d, {key_of[f] for f in present})
            if target:
                rows.append((n, k, target))
        tables.put_overrides(rows)


__all__ = ["resolve_corpus", "resolve_all", "resolve_changes", "article_rows"]
