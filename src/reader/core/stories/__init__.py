"""Stories: the reports of one event, grouped as articles arrive.

Owns the grouping of articles into stories and its store (``stories.sqlite``
beside the index). :class:`StoryBook` places a new or changed article in the
most similar story, or starts one, and takes a deleted article out of its
story; nothing is recomputed when a corpus opens. Similarity follows Miranda
et al. (EMNLP 2018, "Multilingual Clustering of Streaming News"): the
TF-IDF cosine of the article's words and of its names against each story's
centroid, damped by the distance in days. Candidate stories are found
through an inverted index of the stories' rarest words, not by comparing
every pair. See :mod:`.profile` and :mod:`.book`.
"""

from reader.core.stories.versions import PROFILE_VERSION, STORIES_FILE, STORIES_VERSION

__all__ = ["PROFILE_VERSION", "STORIES_FILE", "STORIES_VERSION", "Story", "StoryBook", "Profile", "make_profile"]

_LAZY = {"Story": "book", "StoryBook": "book", "Profile": "profile", "make_profile": "profile"}
"""Loaded when first asked for (they bring numpy): the versions alone stay light."""


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
