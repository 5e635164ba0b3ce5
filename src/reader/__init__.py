"""kreader: a terminal reader for news corpora."""

__version__ = "0.1.0"
