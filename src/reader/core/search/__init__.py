"""Search: the Whoosh index of passages, the query language and the ranking.

:mod:`.index` holds the schema, the analyzer, writing and searching;
:mod:`.scoring` ranks whole posting lists with numpy; :mod:`.whoosh_ext` is
the only place that touches Whoosh's private names.
"""
