"""Anchor: tantivy (tantivy-py) over jieba's tokens, as the benchmark's yardstick.

Every passage is cut by jieba in precise mode (lower-cased first, as tantivy's default
tokenizer would) and its tokens, joined by spaces, are indexed and stored in one field
with tantivy's ``whitespace`` tokenizer, so positions follow jieba's words and phrases work.
A query's words are cut the same way: a word of one token is a term query, a word of more
a phrase of its tokens, all of them required; top 10 by tantivy's BM25 with its snippets.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bench.sides import TOP, Built, Feed, query_terms

#: The writer's memory budget: tantivy's default for one indexing thread.
WRITER_HEAP_BYTES = 128 * 1024 * 1024


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(jieba, text: str) -> list[str]:
    """Return jieba's precise-mode tokens of ``text``, lower-cased, without whitespace."""
    return [token for token in jieba.cut(text.lower()) if not token.isspace()]


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=True, tokenizer_name="whitespace")
    return builder.build()


def build(seeds: Path, target: Path) -> Built:
    """Index every passage of the seed folder into a tantivy index in ``target``."""
    import tantivy

    feed = Feed(seeds)
    jieba = _jieba()
    target.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_schema(), path=str(target))
    # One indexing thread: jieba in this process is the bottleneck, not tantivy.
    writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
    for passage in feed:
        writer.add_document(tantivy.Document(id=passage.id,
                                             text=" ".join(tokens(jieba, passage.text))))
    writer.commit()
    writer.wait_merging_threads()
    return feed.built()


class Searcher:
    """Every word required (a phrase of its jieba tokens), the top 10, tantivy's snippets."""

    def __init__(self, target: Path) -> None:
        import tantivy

        self._tantivy = tantivy
        self._jieba = _jieba()
        self.index = tantivy.Index.open(str(target))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, text: str):
        tantivy = self._tantivy
        clauses = []
        for term in query_terms(text):
            words = tokens(self._jieba, term)
            if not words:
                continue
            clause = (tantivy.Query.term_query(self.schema, "text", words[0]) if len(words) == 1
                      else tantivy.Query.phrase_query(self.schema, "text", words))
            clauses.append((tantivy.Occur.Must, clause))
        return tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.empty_query()

    def search(self, text: str, limit: int = TOP) -> tuple[int, list[str]]:
        """Return the number of hits and the highlighted snippets of the top ``limit``."""
        query = self._query(text)
        result = self.searcher.search(query, limit)
        snippets = self._tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        return result.count, [snippets.snippet_from_doc(self.searcher.doc(address)).to_html()
                              for _, address in result.hits]

    def close(self) -> None:
        """Nothing to release: tantivy closes the index when it is collected."""
