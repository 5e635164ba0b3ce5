"""Ingest: from a corpus folder to cleaned articles.

Owns finding files (one walker, one id scheme: :mod:`.files`), reading each
format into source documents (:mod:`.formats`: pages, records, feeds, web
archives), decoding,
repairing characters (:mod:`.textfix`), metadata found in the text
(:mod:`.meta`), the boilerplate rules (:mod:`.rules`) and the cleaner
(:mod:`.clean`). Imports nothing from the other core packages but the model.
"""
