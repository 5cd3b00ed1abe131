"""The naive recipe most users copy, as the benchmark's baseline (never used by the product).

whoosh + ``jieba.analyse.ChineseAnalyzer`` on one stored content field, one writer
process, whoosh's default ``QueryParser`` over that field, ``search(limit=10)``, and
whoosh's own highlighter on the stored text of each of the top 10 hits. It indexes the
same passages as policy-search (``search.documents`` splits the documents).
"""

from __future__ import annotations

import logging
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from bench.sides import TOP, Built, Feed


def _analyzer():
    import jieba
    from jieba.analyse import ChineseAnalyzer

    jieba.setLogLevel(logging.WARNING)
    return ChineseAnalyzer()


def schema() -> Schema:
    """Return the schema of jieba's own whoosh example, with the passage id as its path."""
    return Schema(title=TEXT(stored=True), path=ID(stored=True),
                  content=TEXT(stored=True, analyzer=_analyzer()))


def build(seeds: Path, target: Path) -> Built:
    """Index every passage of the seed folder into a whoosh index in ``target``."""
    feed = Feed(seeds)
    target.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(target), schema())
    writer = ix.writer()
    for passage in feed:
        writer.add_document(title=passage.title, path=passage.id, content=passage.text)
    writer.commit()
    ix.close()
    return feed.built()


class Searcher:
    """QueryParser over the content field, the top 10, whoosh's highlights."""

    def __init__(self, target: Path) -> None:
        import jieba

        jieba.initialize()  # jieba's dictionary, otherwise read by the first query of the process
        self.ix = whoosh_index.open_dir(str(target))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def search(self, text: str, limit: int = TOP) -> tuple[int, list[str]]:
        """Return the number of hits and the highlighted fragments of the top ``limit``."""
        results = self.searcher.search(self.parser.parse(text), limit=limit)
        return len(results), [hit.highlights("content") for hit in results]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()
