"""The systems the benchmark measures side by side, and what each side's build reports.

``ours`` is policy-search; ``naive`` the whoosh + jieba recipe users copy (bench/naive.py);
the anchors are mature engines given the same passages and queries: tantivy over jieba's
tokens (bench/tantivy_jieba.py) and SQLite FTS5 with its trigram tokenizer
(bench/sqlite_trigram.py). Every side but ours is benchmark-only code.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

SIDES = ("ours", "naive", "tantivy", "sqlite")
ANCHORS = ("tantivy", "sqlite")
#: How tables and the chart name each side.
NAMES = {"ours": "policy-search", "naive": "naive recipe", "tantivy": "tantivy + jieba",
         "sqlite": "SQLite FTS5 trigram"}
#: The module of each side but ours: ``build(seeds, target) -> Built`` and ``Searcher(target)``.
MODULES = {"naive": "bench.naive", "tantivy": "bench.tantivy_jieba",
           "sqlite": "bench.sqlite_trigram"}
#: Hits per query, as a search page shows them.
TOP = 10


@dataclass(frozen=True)
class Built:
    """What one side's build indexed and how long it took."""

    documents: int
    passages: int
    characters: int
    seconds: float


class CorpusPassage(NamedTuple):
    """One passage as every side but ours indexes it."""

    id: str
    title: str
    text: str


class Feed:
    """The passages of a seed folder as policy-search cuts them, counted as a side takes them.

    Timing starts when the feed is made, so a side's build time includes reading the corpus.
    """

    def __init__(self, seeds: Path) -> None:
        from search.documents import read_corpus

        self.started = time.perf_counter()
        self._documents, _ = read_corpus(seeds)
        self.passages = self.characters = 0

    def __iter__(self) -> Iterator[CorpusPassage]:
        for document in self._documents:
            for passage in document.passages:
                self.passages += 1
                self.characters += len(passage.text)
                yield CorpusPassage(passage.id, document.title, passage.text)

    def built(self) -> Built:
        """Return what was taken from the feed, and the seconds since it was made."""
        return Built(len(self._documents), self.passages, self.characters,
                     time.perf_counter() - self.started)


def query_terms(text: str) -> list[str]:
    """Cut a query of the set into the terms an anchor must all match, quotes dropped.

    The anchors take no query syntax of ours: each space-separated word (or quoted phrase)
    must occur, as whoosh's default QueryParser in the naive recipe requires.
    """
    return [term.strip('"“”').lower() for term in text.split() if term.strip('"“”')]
