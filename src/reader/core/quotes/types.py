"""A quote and its speaker: the domain objects live in :mod:`reader.core.model`."""

from reader.core.model import QUOTE_TITLE as TITLE
from reader.core.model import Quote, Speaker

__all__ = ["TITLE", "Quote", "Speaker"]
