"""kreader's core: everything the CLI and the reader share. Never imports Textual or rich.

Packages by pipeline stage, arrows running one way:
ingest -> entities -> search / xref -> library -> (cli, ui).
"""
