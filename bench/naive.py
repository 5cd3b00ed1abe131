"""The naive recipe most users copy, as the benchmark's baseline (never used by the product).

whoosh + ``jieba.analyse.ChineseAnalyzer`` on one stored content field, one writer
process, whoosh's default ``QueryParser`` over that field, ``search(limit=10)``, and
whoosh's own highlighter on the stored text of each of the top 10 hits. It indexes the
same passages as policy-search (``search.documents`` splits the documents).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from search.documents import read_corpus


def _analyzer():
    import jieba
    from jieba.analyse import ChineseAnalyzer

    jieba.setLogLevel(logging.WARNING)
    return ChineseAnalyzer()


def schema() -> Schema:
    """Return the schema of jieba's own whoosh example, with the passage id as its path."""
    return Schema(title=TEXT(stored=True), path=ID(stored=True),
                  content=TEXT(stored=True, analyzer=_analyzer()))


@dataclass(frozen=True)
class NaiveBuild:
    """What the naive build indexed and how long it took."""

    documents: int
    passages: int
    characters: int
    seconds: float


def build(seeds: Path, target: Path) -> NaiveBuild:
    """Index every passage of the seed folder into a whoosh index in ``target``."""
    started = time.perf_counter()
    documents, _ = read_corpus(seeds)
    target.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(target), schema())
    writer = ix.writer()
    passages = characters = 0
    for document in documents:
        for passage in document.passages:
            writer.add_document(title=document.title, path=passage.id, content=passage.text)
            passages += 1
            characters += len(passage.text)
    writer.commit()
    ix.close()
    return NaiveBuild(len(documents), passages, characters, time.perf_counter() - started)


class NaiveSearcher:
    """QueryParser over the content field, the top 10, whoosh's highlights."""

    def __init__(self, target: Path) -> None:
        self.ix = whoosh_index.open_dir(str(target))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def search(self, text: str, limit: int = 10) -> tuple[int, list[str]]:
        """Return the number of hits and the highlighted fragments of the top ``limit``."""
        results = self.searcher.search(self.parser.parse(text), limit=limit)
        return len(results), [hit.highlights("content") for hit in results]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()
