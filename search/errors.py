"""The error a user's query or filter raises, one line in English (web/messages.py gives the
page its Chinese)."""

from __future__ import annotations


class QueryError(ValueError):
    """A query that cannot be run; the message says why in one line."""
