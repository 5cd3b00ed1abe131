"""The fast indexing paths write and read exactly what whoosh's own paths do."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from whoosh.fields import TEXT

from search.analysis import GramTokenizer, TermText, WordTokenizer, use_segmenter
from search.documents import read_corpus
from search.dictionary import corpus_terms, index_segmenter
from search import build as build_module
from search._whoosh import writer
from search.index import Index, build
from search._whoosh.writer import TermPool

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


def test_term_pool_yields_what_whoosh_pool_yields() -> None:
    rng = random.Random(5)
    items = [(rng.choice(["grams", "words"]), rng.choice([b"a", b"ab", b"\xe7\x9f\xa5"]), docnum,
              float(rng.randint(1, 3)), bytes(rng.randrange(256) for _ in range(rng.randint(0, 6))))
             for docnum in range(200) for _ in range(rng.randint(0, 4))]
    unique = list({item[:3]: item for item in items}.values())
    late = [("words", b"ab", 3, 1.0, b"late")]  # a document number below ones already added
    pool = TermPool()
    for item in unique + late:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(unique + late)


def _postings_by_order(root: Path) -> dict:
    """Every posting, field length and stored document, keyed by passage order."""
    found: dict = {}
    index = Index(root)
    with index.whoosh.searcher() as searcher:
        for subsearcher, _ in searcher.leaf_searchers():
            reader = subsearcher.reader()
            order = [reader.stored_fields(d)["order"] for d in range(reader.doc_count_all())]
            for fieldname in ("words", "heading", "grams", "id", "doc_id", "section"):
                for term in reader.lexicon(fieldname):
                    matcher = reader.postings(fieldname, term)
                    while matcher.is_active():
                        found.setdefault((fieldname, term), set()).add(
                            (order[matcher.id()], matcher.weight(), matcher.value()))
                        matcher.next()
            for docnum, passage in enumerate(order):
                found[passage] = (reader.stored_fields(docnum),
                                  [reader.doc_field_length(docnum, f) for f in ("words", "grams")])
    index.close()
    return found


@pytest.mark.parametrize("threshold, segment_postings, segments", [
    (10, writer.SEGMENT_POSTINGS, 2),  # two processes, one segment each
    (10, 20_000, 4),  # two processes, each writing out a segment when its pool is full
    (10**6, 20_000, 3),  # one process, three segments
])
def test_segmented_builds_write_what_one_segment_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, segment_postings: int,
        segments: int) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(4):
        shutil.copy(SEEDS / "tianjin-ip-2017.txt", seeds / f"copy-{number}.txt")
    build(seeds, tmp_path / "one")
    assert len(Index(tmp_path / "one").whoosh._segments()) == 1
    monkeypatch.setattr(build_module, "PARALLEL_THRESHOLD", threshold)
    monkeypatch.setattr(writer, "SEGMENT_POSTINGS", segment_postings)
    build(seeds, tmp_path / "more")
    assert len(Index(tmp_path / "more").whoosh._segments()) == segments
    assert _postings_by_order(tmp_path / "one") == _postings_by_order(tmp_path / "more")
