"""Bookmarks: the user's saved quotes in a hand-editable YAML file.

:mod:`.store` holds :class:`Bookmark` and :class:`BookmarkStore`,
:mod:`.yaml_format` the file format, :mod:`.anchoring` finding a quote again.
"""
