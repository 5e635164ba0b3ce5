"""Cross-references: passages of other articles related to one passage.

:mod:`.signals` says what a passage offers (content words, entities);
:mod:`.engine` finds and scores the related passages.
"""
