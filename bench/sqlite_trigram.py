"""Anchor: SQLite FTS5 with its trigram tokenizer (Python's sqlite3), as the benchmark's yardstick.

Every passage goes into one FTS5 table tokenized in trigrams, so any verbatim substring
of three characters or more is found through the index. FTS5 finds nothing for a shorter
term (two-character words such as 专利 are most of Chinese), so such a word is matched with
``LIKE '%word%'``, which SQLite answers by reading every row: the recipe SQLite's
documentation gives. All words are required; the top 10 by FTS5's bm25 (document order
when no word is long enough for the index) with ``snippet()``'s highlights.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.sides import TOP, Built, Feed, query_terms

DATABASE = "passages.db"
#: The trigram tokenizer came with SQLite 3.34.0.
TRIGRAM_SINCE = (3, 34, 0)
#: Characters a trigram index can look up; a shorter term is scanned with LIKE.
TRIGRAM = 3


def _connect(target: Path) -> sqlite3.Connection:
    if sqlite3.sqlite_version_info < TRIGRAM_SINCE:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer "
                           f"(needs {'.'.join(map(str, TRIGRAM_SINCE))} or later)")
    return sqlite3.connect(target / DATABASE)


def build(seeds: Path, target: Path) -> Built:
    """Index every passage of the seed folder into an FTS5 trigram table in ``target``."""
    feed = Feed(seeds)
    target.mkdir(parents=True, exist_ok=True)
    with _connect(target) as db:
        db.execute("CREATE VIRTUAL TABLE passages USING fts5(id UNINDEXED, text, "
                   "tokenize='trigram')")
        db.executemany("INSERT INTO passages (id, text) VALUES (?, ?)",
                       ((passage.id, passage.text) for passage in feed))
        db.execute("INSERT INTO passages (passages) VALUES ('optimize')")  # one b-tree
    db.close()
    return feed.built()


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Searcher:
    """Every word required (MATCH for three characters or more, else LIKE), top 10, snippets."""

    def __init__(self, target: Path) -> None:
        self.db = _connect(target)

    def search(self, text: str, limit: int = TOP) -> tuple[int, list[str]]:
        """Return the number of hits and the highlighted snippets of the top ``limit``."""
        terms = query_terms(text)
        if not terms:
            return 0, []
        indexed = [term for term in terms if len(term) >= TRIGRAM]
        where, params = [], []
        if indexed:
            where.append("passages MATCH ?")
            params.append(" AND ".join('"' + term.replace('"', '""') + '"' for term in indexed))
        for term in terms:
            if len(term) < TRIGRAM:
                where.append("text LIKE ? ESCAPE '\\'")
                params.append(_like(term))
        condition = " AND ".join(where)
        (total,) = self.db.execute(f"SELECT count(*) FROM passages WHERE {condition}",
                                   params).fetchone()
        shown = ("snippet(passages, 1, '<mark>', '</mark>', '…', 16)" if indexed
                 else "substr(text, 1, 64)")
        order = "ORDER BY rank" if indexed else ""
        rows = self.db.execute(f"SELECT {shown} FROM passages WHERE {condition} {order} LIMIT ?",
                               [*params, limit]).fetchall()
        return total, [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()
