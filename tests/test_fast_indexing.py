"""The fast indexing paths write and read exactly what whoosh's own paths do."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

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


def _pool_value(rng: random.Random) -> bytes:
    """A value as whoosh's Positions or Frequency write it, or any bytes."""
    shape = rng.randrange(3)
    if shape == 0:
        return Positions().encode(sorted(rng.sample(range(70_000), rng.randint(1, 300))))
    if shape == 1:
        return pack_uint(rng.choice([1, 2, 255, 256, 70_000]))
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(4))
def test_term_pool_yields_what_whoosh_pool_yields(seed: int) -> None:
    rng = random.Random(seed)
    terms = [b"a", b"ab", b"\xe7\x9f\xa5", b"xyz"]
    # Most terms keep values of one shape; a few mix them, which the pool keeps as given.
    shape_of = {term: rng.randrange(3) for term in terms}
    items = []
    for docnum in range(300):
        for _ in range(rng.randint(0, 4)):
            term = rng.choice(terms)
            value = _pool_value(random.Random(shape_of[term] if rng.random() < 0.9 else None))
            value = _pool_value(rng) if rng.random() < 0.05 else value
            weight = rng.choice([1.0, 2.0, 0.5, 3.0, 0.1, 1e-45, 12.5])  # 0.1 is not a float32
            items.append((rng.choice(["grams", "words"]), term, docnum, weight, value))
    unique = list({item[:3]: item for item in items}.values())
    late = [("words", b"ab", 3, 1.0, b"late"), ("grams", b"a", 2, 1.0, Positions().encode([4]))]
    pool = TermPool()
    for item in unique + late:
        pool.add(item)
    assert pool.postings == len(unique + late)
    assert list(pool.iter_postings()) == sorted(unique + late)


def test_term_pool_keeps_a_position_in_four_bytes_and_no_weight() -> None:
    pool = TermPool()
    for docnum in range(1000):
        pool.add(("grams", b"ab", docnum, 1.0, Positions().encode([docnum % 200])))
    _, values, _, _, factor, weights = pool._terms["grams", b"ab"]
    assert len(values) == 4 * 1000 and factor == 1.0 and weights is None
    assert [value for *_, value in pool.iter_postings()] == [
        Positions().encode([docnum % 200]) for docnum in range(1000)]


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


@pytest.mark.parametrize("threshold, pool_bytes, segments", [
    (10, writer.POOL_BYTES, range(2, 3)),  # two processes, one segment each
    (10, 3_000_000, range(3, 99)),  # two processes, writing out a segment when a pool is full
    (10**6, 3_000_000, range(2, 99)),  # one process, writing out segments
])
def test_segmented_builds_write_what_one_segment_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, pool_bytes: int,
        segments: range) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(4):
        shutil.copy(SEEDS / "tianjin-ip-2017.txt", seeds / f"copy-{number}.txt")
    build(seeds, tmp_path / "one")
    assert len(Index(tmp_path / "one").whoosh._segments()) == 1
    monkeypatch.setattr(build_module, "PARALLEL_THRESHOLD", threshold)
    monkeypatch.setattr(writer, "POOL_BYTES", pool_bytes)
    build(seeds, tmp_path / "more")
    assert len(Index(tmp_path / "more").whoosh._segments()) in segments
    assert _postings_by_order(tmp_path / "one") == _postings_by_order(tmp_path / "more")
