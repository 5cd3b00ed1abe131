"""The error a user's query or filter raises: one line in English, and in Chinese for the page."""

from __future__ import annotations


class QueryError(ValueError):
    """A query that cannot be run; the message says why in one line, ``zh`` in Chinese."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        #: What the page shows; the English message when no translation was given.
        self.zh = zh or message
