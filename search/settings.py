"""One place for the facts that the engine, the CLI and the web app share."""

from __future__ import annotations

import os
from pathlib import Path

#: Bump when tokenization, normalization or the schema changes: the index is rebuilt.
ANALYZER_VERSION = "4"

#: Queries longer than this (in characters) are refused with a clear error.
MAX_QUERY_LENGTH = 200
#: Different words and phrases a query may hold (repeats count once).
MAX_WORDS = 16
#: Dictionary words of one typed word; a longer run of text is matched verbatim only.
MAX_WORD_TERMS = 24
#: Seconds of scoring after which a search answers with the best passages so far.
QUERY_DEADLINE_SECONDS = 1.0

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
#: Hits reachable by paging; later pages are empty (narrow the query instead).
MAX_RESULTS = 1000

#: Where `serve` listens by default, and so the base of canonical links.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"

#: Seed files the corpus reader accepts.
SEED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


def seeds_dir() -> Path:
    """Return the seed folder: $POLICY_SEARCH_SEEDS or ./seeds."""
    return Path(os.environ.get("POLICY_SEARCH_SEEDS", "seeds"))


def index_dir() -> Path:
    """Return the index folder: $POLICY_SEARCH_INDEX or ./index."""
    return Path(os.environ.get("POLICY_SEARCH_INDEX", "index"))


def permalink(passage_id: str) -> str:
    """Return the URL path of a passage's permalink."""
    return f"/p/{passage_id}"


def document_url(doc_id: str) -> str:
    """Return the URL path of a whole document."""
    return f"/doc/{doc_id}"
