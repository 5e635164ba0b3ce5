"""Every use of Whoosh's private names lives here, and only here.

Whoosh (whoosh-reloaded) is pinned to the minor series these modules were
tested with (see ``pyproject.toml``); ``tests/test_whoosh_ext.py`` exercises
each private name, so a release that renames one fails the suite first.
"""
