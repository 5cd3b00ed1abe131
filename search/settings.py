"""One place for the facts that the engine, the CLI and the web app share."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

#: Bump when tokenization, normalization or the schema changes: the index is rebuilt.
ANALYZER_VERSION = "8"
#: Bump when the files of a build change shape (2: the catalogue is an SQLite file): an
#: index of another format is rebuilt, not opened.
INDEX_FORMAT = "2"

#: Queries longer than this (in characters) are refused with a clear error.
MAX_QUERY_LENGTH = 200
#: Different words and phrases a query may hold (repeats count once).
MAX_WORDS = 16
#: Dictionary words of one typed word; a longer run of text is matched verbatim only.
MAX_WORD_TERMS = 24
#: Seconds of scoring after which a search answers with the best passages so far.
QUERY_DEADLINE_SECONDS = 1.0

#: How search results are ordered: by relevance (the default) or by date, newest first.
SORTS = ("relevance", "date")
#: How the document list is ordered: by date, newest first (the default), or by title.
DOCUMENT_SORTS = ("date", "title")

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
#: Values listed per facet: the largest counts (and the chosen value); a library of ten
#: thousand documents would otherwise list every one under each search.
FACET_VALUES = 20
#: Hits reachable by paging; later pages are empty (narrow the query instead).
MAX_RESULTS = 1000

#: How long the seed folder must stay unchanged before `serve` indexes its changes (a
#: burst of changes is indexed once).
WATCH_QUIET_SECONDS = 1.0
#: How long `serve` waits after a failed update before it tries again (a full disk would
#: otherwise fail on a loop while every request asks for the missing index).
REBUILD_RETRY_SECONDS = 30.0
#: What a client is told to wait (Retry-After) while `serve` rebuilds a missing index.
REBUILD_RETRY_AFTER = 5

#: Where `serve` listens by default, and so the base of canonical links.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


def base_url() -> str:
    """Return the base of absolute links: $POLICY_SEARCH_BASE_URL or the default address."""
    return os.environ.get("POLICY_SEARCH_BASE_URL") or DEFAULT_BASE_URL


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


def absolute_url(path: str, base: str | None = None) -> str:
    """Return a URL path under ``base`` (by default base_url()) as a person reads it."""
    return (base or base_url()).rstrip("/") + shown_url(path)

#: Threads of `serve` that run requests, per process. Python runs one at a time (the GIL),
#: and waitress reads and writes the sockets itself, so more threads only time-share:
#: a 100 ms request among 8 threads took up to 800 ms. Two keep one long request from
#: holding up the rest. Measured with 8 clients: hostile p99 369 -> 222 ms (30k passages,
#: --workers 2); seed web p99 55 -> 40 ms, 319 -> 358 requests/s (one process).
SERVE_THREADS = 2
