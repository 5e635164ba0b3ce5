"""Resolving mentions into entities across the corpus, with rapidfuzz.

Resolution works on distinct surface forms, never on pairs of mentions. Each
form gets a key (:class:`~reader.core.entities.forms.Keyer`: ``U.N. Security
Council`` -> ``united nations security council``; initials dropped), then forms
are joined by rules that each look things up in a hash table (the blocking), so
the work grows with the number of forms, not of pairs:

* same key, or same transliteration key (``Aliyev``/``Aliev``: :func:`phonetic`);
* an acronym and its expansion (a table of well-known ones, plus the initials
  of the corpus's own long names: ``CSTO``);
* a short form and the one longer name it ends (``Pashinyan`` -> ``Nikol
  Pashinyan``, ``Karabakh`` -> ``Nagorno-Karabakh``); when several longer names
  fit, the one in the same article wins;
* a generic name after a possessive or demonym (``Armenia's Security Council``)
  is qualified by that place, so it stays apart from the UN's.

A cluster's type is the summed evidence of its mentions (corpus-level
consistency). The user's alias file (see :mod:`reader.core.entities.aliases`)
is applied last. The rules work on the forms' totals; gathering them from the
articles, and the store's tables, are :mod:`reader.core.entities.passes`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from reader.core.entities.aliases import AliasConfig
from reader.core.entities.cues import KINDS, ORG_HEADS, PERSON, PLACE_HEADS, TITLES
from reader.core.entities.forms import GENERIC_WORDS, Form, Keyer
from reader.core.entities.gazetteer import ACRONYMS, gazetteer
from reader.core.entities.keys import initials, normalise_name, phonetic, slug
from reader.core.model import Article, Entity

_TABLE_ACRONYMS = {k.lower(): normalise_name(v[0]) for k, v in ACRONYMS.items()}
#: Small words inside a name: a name holding one has no shorter form (``Bank of America``).
JOINERS = frozenset("of for and on the de".split())
_BRACKETED = re.compile(r"\s*\(\s*(\w+)\s*\)")
"""A word in brackets (an acronym after its name). One pattern: a pattern per name
overflowed the regular-expression cache and was compiled again for each mention."""
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ich)$")
WEAK_FORM = 3.0
"""Context evidence per mention below which a short form may join a longer name of another type."""
SHORT_FORM_PLACE_WEIGHT = 2
"""Least gazetteer weight of a short form that is a place in its own right (it joins no longer name)."""


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _mentions(article: Article):
    yield from ((m, article.title) for m in article.title_mentions)
    for p in article.passages:
        yield from ((m, p.text) for m in p.mentions)


def article_evidence(a: Article) -> list[list]:
    """One article's evidence that an acronym stands for one of its long names, as
    [acronym, key, weight] in the order found: the acronym in brackets after the name (2),
    or the name written first and the acronym after it (1)."""
    evidence: list[list] = []
    first_long: dict[str, tuple[int, int]] = {}
    first_short: dict[str, tuple[int, int]] = {}
    for where, (m, text) in enumerate(_mentions(a)):
        bare = m.text.replace(".", "")
        at = (where, m.start)
        if bare.isupper() and bare.isalpha() and 2 <= len(bare) <= 6:
            first_short.setdefault(bare.lower(), at)
        elif " " in m.text:
            key = normalise_name(m.text)
            ini = initials(key)
            if ini and ini not in _TABLE_ACRONYMS:
                first_long.setdefault(key, at)
                after = _BRACKETED.match(text, m.end, m.end + 12)
                if after and after.group(1).lower() == ini:
                    evidence.append([ini, key, 2])  # "British Airways (BA)"
    for key, at in first_long.items():
        ini = initials(key)
        if ini in first_short and first_short[ini] > at:
            evidence.append([ini, key, 1])
    return evidence


def acronym_table(evidence: Iterable[list[list]]) -> dict[str, str]:
    """Acronym -> expanded key: the table, plus a long name of the corpus whose initials an
    acronym is, with evidence (each article's :func:`article_evidence`, in corpus order);
    the most evidence wins, then the first found (``BA`` is not ``Bank of America`` because
    both are in the corpus)."""
    acr = dict(_TABLE_ACRONYMS)
    total: Counter = Counter()
    for found in evidence:
        for ini, key, weight in found:
            total[(ini, key)] += weight
    for (ini, key), _ in total.most_common():
        acr.setdefault(ini, key)
    return acr


def type_of(f: Form) -> str:
    """The type of the summed evidence: the mentions' votes (the model's types) and the cues of
    the first :data:`SCORE_SAMPLE` (gazetteers, acronyms, titles, given names), which know
    what one silver-labelled news source could not teach the model."""
    return max(KINDS, key=lambda t: (f.scores[t] + f.votes[t], f.votes[t]))


def _strength(f: Form) -> float:
    return max(f.scores.values()) / max(f.scored, 1)


def cluster(forms: dict[str, Form], aliases: AliasConfig, keyer: Keyer) -> tuple[_Union, dict[str, list]]:
    """Join the forms (in corpus order: the order of their first mention) into clusters.
    Also the decision of each short form that may stand for several longer names:
    ``[main root or None, [[longer form, its root], ...]]`` (see :func:`article_overrides`)."""
    types = {k: type_of(f) for k, f in forms.items()}
    uf = _Union()
    split = {k for k in forms if k in aliases.split or normalise_name(k) in aliases.split}
    _join_variants(forms, types, uf, split)
    decisions = _join_short_forms(forms, types, uf, split)
    _join_aliases(forms, uf, aliases, keyer)
    return uf, decisions


def article_overrides(decision: list, present: set[str]) -> str | None:
    """The form a short form stands for in one article holding the longer forms ``present``,
    where that is not the corpus's choice; else None."""
    main, fits = decision
    local = {root for t, root in fits if t in present}
    if len(local) == 1 and next(iter(local)) != main:
        return next(iter(local))
    return None


def _join_variants(forms, types, uf: _Union, split: set[str]) -> None:
    """Same transliteration key, same type: one entity (``Aliyev``/``Aliev``)."""
    block: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k in forms:
        if k not in split:
            block[(phonetic(k), types[k])].append(k)
    for keys in block.values():
        for k in keys[1:]:
            uf.union(keys[0], k)


def _generic_word(word: str) -> bool:
    """A word that names a kind of body or place, never one by itself (``Office``, ``Times``, ``Parliament``)."""
    return word in ORG_HEADS or word in PLACE_HEADS or word in GENERIC_WORDS or word in TITLES


def shorter_names(key: str, typ: str) -> list[str]:
    """The shorter forms a name of this type may be written as, which may stand for it
    (``nikol pashinyan`` -> ``pashinyan``; ``nagorno karabakh`` -> ``karabakh``)."""
    toks = key.split()
    if len(toks) < 2 or "(" in key:
        return []
    if typ == PERSON:
        cut = [len(toks) - 1]
    elif JOINERS.isdisjoint(toks):  # "Bank of America" is not "America"
        cut = [i for i in range(1, len(toks)) if i < len(toks) - 1 or not _generic_word(toks[-1])]
    else:
        cut = []
    return [" ".join(toks[i:]) for i in cut]


def _join_short_forms(forms, types, uf: _Union, split: set[str]) -> dict[str, list]:
    """A short form joins the one longer name it ends (the one in its own article if several)."""
    g = gazetteer()
    ends: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        if k not in split:
            for end in shorter_names(k, types[k]):
                ends[end].append(k)
    decisions: dict[str, list] = {}
    for k, f in forms.items():
        longer = ends.get(k)
        if not longer or k in split or g.places.get(k, 0) >= SHORT_FORM_PLACE_WEIGHT:
            continue
        weak = _strength(f) < WEAK_FORM
        fits = [t for t in longer if types[t] == types[k] or weak]
        roots = Counter()
        for t in fits:
            roots[uf.find(t)] += forms[t].count
        if not roots:
            continue
        ranked = roots.most_common()
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            main = ranked[0][0]
        else:
            main = None
        if len(ranked) > 1:  # an article may hold another of the names
            decisions[k] = [main, [[t, uf.find(t)] for t in fits]]
        if main:
            uf.union(main, k)
    return decisions


def _join_aliases(forms, uf: _Union, aliases: AliasConfig, keyer: Keyer) -> None:
    lookup = _alias_lookup(forms, keyer)
    for group in aliases.merge:
        keys = [lookup[n] for n in group if n in lookup]
        for k in keys[1:]:
            uf.union(keys[0], k)


def _alias_lookup(forms, keyer: Keyer) -> dict[str, str]:
    """Normalised alias-file name -> form key."""
    out = {}
    for k in forms:
        out.setdefault(normalise_name(k), k)
        out.setdefault(k, k)
    for k in list(forms):
        out.setdefault(normalise_name(keyer.key(k)), k)
    return out


def _display(forms, keys: list[str], typ: str) -> str:
    """The fullest form seen, as most often written; people lose damaged middle names."""
    def rank(k: str):
        toks = k.split()
        acronym = len(toks) == 1 and max(forms[k].texts, key=forms[k].texts.get).replace(".", "").isupper()
        return (not acronym, len([t for t in toks if "(" not in t]), forms[k].count, -len(k), k)

    best = max(keys, key=rank)
    text = max(forms[best].texts.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    owner = re.search(r"\((.+)\)$", best)
    if typ == PERSON:
        parts = text.split()
        if len(parts) >= 3:
            middle = [p for p in parts[1:-1] if not re.search(r"[?\ufffd]", p) and not _PATRONYMIC.search(p.lower())]
            text = " ".join([parts[0], *middle, parts[-1]])
    return f"{text} ({owner.group(1).title()})" if owner else text


def finish(forms: dict[str, Form], uf: _Union, aliases: AliasConfig, keyer: Keyer, count_articles):
    """The entities of the clusters, best known first; form key -> entity id; the keys suppressed.
    ``count_articles(groups)`` gives each root's number of distinct articles (``groups``:
    root -> its form keys)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        groups[uf.find(k)].append(k)
    lookup = _alias_lookup(forms, keyer)
    renamed = {lookup[n]: new for n, new in aliases.rename.items() if n in lookup}
    for names, first in zip(aliases.merge, aliases.merge_names):
        if names[0] in lookup:
            renamed.setdefault(lookup[names[0]], first)
    retyped = {lookup[n]: t for n, t in aliases.retype.items() if n in lookup}
    suppressed_keys = {lookup[n] for n in aliases.suppress if n in lookup}
    entities, form_entity, suppressed = [], {}, set()
    used: set[str] = set()
    kept = {}
    for root, keys in sorted(groups.items()):
        keys.sort()
        if any(k in suppressed_keys for k in keys):
            suppressed.update(keys)
        else:
            kept[root] = keys
    counts = count_articles(kept)
    for root, keys in kept.items():
        total = Form(root)
        for k in keys:
            for t in KINDS:
                total.scores[t] += forms[k].scores[t]
            total.votes.update(forms[k].votes)
        typ = next((retyped[k] for k in keys if k in retyped), None) or type_of(total)
        name = next((renamed[k] for k in keys if k in renamed), None) or _display(forms, keys, typ)
        eid = slug(name)
        if eid in used:
            eid = f"{eid}-{typ}"
        n = 2
        while eid in used:
            eid, n = f"{slug(name)}-{n}", n + 1
        used.add(eid)
        texts = Counter()
        for k in keys:
            texts.update(forms[k].texts)
        alias_list = [name] + sorted(t for t in texts if t != name)
        entities.append(Entity(eid, name, typ, tuple(alias_list), sum(texts.values()), counts[root]))
        for k in keys:
            form_entity[k] = eid
    entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name))
    return entities, form_entity, suppressed
