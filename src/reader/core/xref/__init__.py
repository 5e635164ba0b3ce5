"""Cross-references: passages of other articles related to one passage.

:mod:`.signals` says what a passage offers (content words, phrases, entities);
:mod:`.engine` finds and scores the related passages, the reports of the same
story first; :mod:`.figures` compares the figures two passages give;
:mod:`.reasons` picks the shared words worth showing; :mod:`.results` holds
what a cross-reference is.
"""
