"""One place for the facts that the engine, the CLI and the web app share."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

#: Bump when tokenization, normalization or the schema changes: the index is rebuilt.
ANALYZER_VERSION = "5"

#: Queries longer than this (in characters) are refused with a clear error.
MAX_QUERY_LENGTH = 200

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def seeds_dir() -> Path:
    """Return the seed folder: $POLICY_SEARCH_SEEDS or ./seeds."""
    return Path(os.environ.get("POLICY_SEARCH_SEEDS", "seeds"))


def index_dir() -> Path:
    """Return the index folder: $POLICY_SEARCH_INDEX or ./index."""
    return Path(os.environ.get("POLICY_SEARCH_INDEX", "index"))


def _quoted(text: str) -> str:
    # Percent-encode as a browser does (Chinese, 〔〕, spaces); keep the "/" of 附件1/第三条.
    return quote(text, safe="/-_.~")


def permalink(passage_id: str) -> str:
    """Return the URL path of a passage's permalink, percent-encoded."""
    return f"/p/{_quoted(passage_id)}"


def document_url(doc_id: str, key: str | None = None) -> str:
    """Return the URL path of a whole document, percent-encoded; at a passage when ``key``."""
    return f"/doc/{_quoted(doc_id)}" + (f"#{_quoted(key)}" if key else "")


def shown_url(url: str) -> str:
    """Return a URL path as a person reads it: percent-encoded Chinese decoded."""
    return unquote(url)
