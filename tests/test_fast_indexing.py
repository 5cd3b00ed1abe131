"""The fast indexing paths write and read exactly what whoosh's own paths do."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.fields import TEXT

from search.analysis import GramTokenizer, TermText, WordTokenizer, use_segmenter
from search.codec import Codec, LengthsReader
from search.corpus import read_corpus
from search.dictionary import corpus_terms, index_segmenter
from search.index import Index

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EDGE_CASES = ["", "   ", "a b", "Ｔｅｓｔ 知識產權 25.37亿元\u200b漢字", "１+７+Ｎ 1+7+n", "知识知识 知识产权局局",
              "专利\n\n质押 \u3000融资"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    documents, _ = read_corpus(SEEDS)
    use_segmenter(index_segmenter(corpus_terms(d.text for d in documents)))
    yield [p.text for d in documents for p in d.passages] + [p.heading for d in documents
                                                               for p in d.passages] + EDGE_CASES
    use_segmenter(None)


@pytest.mark.parametrize("tokenizer", [WordTokenizer, GramTokenizer])
@pytest.mark.parametrize("options", [{"phrase": True}, {"phrase": False},
                                     {"phrase": False, "field_boost": 2.0}])
def test_term_text_indexes_what_text_indexes(texts: list[str], tokenizer: type,
                                             options: dict) -> None:
    fast, plain = TermText(analyzer=tokenizer(), **options), TEXT(analyzer=tokenizer(), **options)
    for text in texts:
        assert sorted(fast.index(text)) == sorted(plain.index(text)), text


def test_codec_reads_the_lengths_whoosh_reads(seed_index: Path) -> None:
    index = Index(seed_index)
    for segment in index.whoosh._segments():
        assert isinstance(segment.codec(), Codec)
        fast, plain = LengthsReader(index.whoosh.storage, segment), \
            W3PerDocReader(index.whoosh.storage, segment)
        for fieldname in ("words", "grams", "heading", "text"):
            for docnum in range(segment.doc_count_all() + 1):
                assert fast.doc_field_length(docnum, fieldname, 7) == \
                    plain.doc_field_length(docnum, fieldname, 7)
    index.close()
