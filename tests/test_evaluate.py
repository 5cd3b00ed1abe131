"""The posting-list evaluator gives exactly what whoosh's own matchers give."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh import sorting

from search import build as build_module
from search import evaluate, facets, update
from search.engine import Searcher, open_searcher
from search.index import F_GRAMS, F_HEADING, F_WORDS, Index, build
from search.query import compile_query, parse

QUERIES = [
    "知识产权", "专利", "专利 质押 贷款", '"专利权质押"', '"知识产权强市"', "权质押", "识产权强",
    "知識產權", "專利質押", "2017", "12330", "25.37亿元", "1+7+N", "量子引力", "知识产权 -专利",
    "专利 OR 商标", "(特色小镇 OR 运营中心) 天津", "知识产权 OR -专利 质押", "知识知识", "的", "权",
    "国家 知识产权局 专利局", "-专利 知识", "xyz 知识产权", "(专利 OR 商标) -质押 天津",
    # Phrases whose grams recur, and a long verbatim quote: read rarest gram first.
    '"知识产权知识产权"', '"专利专利专利专利"', '"知识产权局2017年工作总结》印发给你们"',
    '"天津市知识产权局2017年工作总结天津市知识产权局"',
]


def whoosh_scores(searcher, q: wq.Query) -> dict[int, float]:
    """Walk whoosh's matchers document by document: every match and its score."""
    found = {}
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = q.matcher(subsearcher, subsearcher.context())
        while matcher.is_active():
            found[offset + matcher.id()] = matcher.score()
            matcher.next()
    return found


TITLE = "关于印发天津市知识产权局2017年工作总结的通知"


def _copies_in_segments(tmp_path_factory: pytest.TempPathFactory, name: str,
                        titled: bool = False) -> tuple[Path, Path]:
    """Twenty copies of the seed document, indexed by two processes into several segments;
    ``titled``, each with a title of its own (not versions of one document)."""
    seeds = tmp_path_factory.mktemp(f"{name}-copies")
    seed = (Path(__file__).parent.parent / "seeds" / "tianjin-ip-2017.txt").read_text("utf-8")
    for number in range(20):
        text = seed.replace(TITLE, f"{TITLE}（副本{number}）") if titled else seed
        (seeds / f"copy-{number:02d}.txt").write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp(f"{name}-index")
    patch = pytest.MonkeyPatch()
    patch.setattr(build_module, "PARALLEL_THRESHOLD", 100)
    try:
        build(seeds, root)
    finally:
        patch.undo()
    return seeds, root


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty copies of the seed document in several segments."""
    return _copies_in_segments(tmp_path_factory, "segmented")[1]


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty copies of the seed document in segments, then an update that changed three
    copies, removed two and added one: the segments it reused hold deleted passages."""
    seeds, root = _copies_in_segments(tmp_path_factory, "updated", titled=True)
    for number in (3, 9, 15):
        path = seeds / f"copy-{number:02d}.txt"
        path.write_text(path.read_text("utf-8").replace("专利", "专利权"), "utf-8")
    for number in (4, 5):
        (seeds / f"copy-{number:02d}.txt").unlink()
    (seeds / "copy-99.txt").write_text(
        (seeds / "copy-00.txt").read_text("utf-8").replace("天津", "北京"), encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(update, "MERGE_BELOW", 0)  # keep the deletions in the reused segments
    try:
        assert build(seeds, root).mode == "update"
    finally:
        patch.undo()
    return root


def test_the_updated_index_holds_deleted_passages(updated_index: Path) -> None:
    with open_searcher(updated_index) as searcher:
        assert searcher._searcher.reader().has_deletions()


@pytest.mark.parametrize("which", ["seed_index", "segmented_index", "updated_index"])
@pytest.mark.parametrize("text", QUERIES)
def test_ranked_equals_whoosh(request: pytest.FixtureRequest, which: str, text: str) -> None:
    with open_searcher(request.getfixturevalue(which)) as searcher:
        whoosh_searcher = searcher._searcher
        q = compile_query(parse(text).root, searcher.index.segmenter)
        expected = whoosh_scores(whoosh_searcher, q)
        total, best = evaluate.ranked(whoosh_searcher, q, 25)
    assert total == len(expected)
    ranking = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:25]
    assert [score for score, _ in best[:25]] == \
        pytest.approx([score for _, score in ranking], rel=1e-12)
    # Past the 25th, only the passages that tie with it (ties are broken in document order).
    assert all(score == ranking[-1][1] for score, _ in best[25:])
    for score, docnum in best:
        assert expected[docnum] == pytest.approx(score, rel=1e-12)


def test_segmented_index_has_several_segments(segmented_index: Path) -> None:
    with open_searcher(segmented_index) as searcher:
        assert len(searcher._searcher.leaf_searchers()) > 1


def test_ranked_keeps_to_the_allowed_documents(seed_index: Path) -> None:
    with open_searcher(seed_index) as searcher:
        whoosh_searcher = searcher._searcher
        q = compile_query(parse("知识产权").root, searcher.index.segmenter)
        everything = whoosh_scores(whoosh_searcher, q)
        allowed = set(sorted(everything)[::3])
        total, best = evaluate.ranked(whoosh_searcher, q, 100, allowed)
    assert total == len(allowed)
    assert {docnum for _, docnum in best} == allowed


def test_every_word_term_occurs_verbatim_in_the_grams(seed_index: Path) -> None:
    """The evaluator skips positions for passages whose words field holds the whole phrase
    (not for terms with digits: 十天 is 10天 in the words field, 十天 in the grams)."""
    with open_searcher(seed_index) as searcher:
        whoosh_searcher = searcher._searcher
        reader = whoosh_searcher.reader()
        for fieldname in (F_WORDS, F_HEADING):
            for term in reader.lexicon(fieldname):
                text = term.decode("utf-8")
                if len(text) < 2 or any(c.isdigit() for c in text):
                    continue
                grams = [text[i : i + 2] for i in range(len(text) - 1)]
                holders = set(whoosh_searcher.docs_for_query(wq.Term(fieldname, text)))
                verbatim = set(whoosh_searcher.docs_for_query(wq.Phrase(F_GRAMS, grams)))
                assert holders <= verbatim, f"{fieldname}:{text}"


@pytest.mark.parametrize("text", ["知识产权", '"专利权质押"', "识产权强", "知识产权 -专利 OR 质押"])
def test_a_warm_cache_gives_the_same_answer(segmented_index: Path, text: str) -> None:
    with open_searcher(segmented_index) as searcher:
        whoosh_searcher = searcher._searcher
        q = compile_query(parse(text).root, searcher.index.segmenter)
        cache = evaluate.LeafCache()
        cold = evaluate.ranked(whoosh_searcher, q, 25, cache=cache)
        warm = evaluate.ranked(whoosh_searcher, q, 25, cache=cache)
        assert warm == cold == evaluate.ranked(whoosh_searcher, q, 25)


@pytest.mark.parametrize("text", ["专利 质押 区块链", "知识产权 保护 执法", "专利 -质押 天津",
                                  "公司不给交社保，员工可以解除劳动合同吗？"])
def test_a_search_answers_alike_from_its_cached_words(segmented_index: Path, text: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(searcher: Searcher) -> tuple:
        result = searcher.search(text, limit=10, page=2, facets=True)
        return (result.total, result.complete, result.unmatched, result.facets,
                [(hit.id, hit.score, hit.matched) for hit in result.hits])

    with open_searcher(segmented_index) as searcher:
        cache = evaluate.LeafCache()
        monkeypatch.setattr(evaluate, "cache_for", lambda build: cache)
        cold = answer(searcher)
        assert any(len(key) == 2 for key in cache._entries), "no word was kept"
        assert answer(searcher) == cold
        monkeypatch.setattr(evaluate, "cache_for", lambda build: evaluate.LeafCache(budget=0))
        assert answer(searcher) == cold


def test_the_cache_keeps_to_its_budget_in_bytes() -> None:
    cache = evaluate.LeafCache(budget=sum(map(evaluate.entry_bytes, (4, 4, 2))))
    cache.put(("segment", "words", "a"), {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0})
    cache.put(("segment", "words", "b"), {5: 1.5, 6: 2.5, 7: 3.5, 8: 4.5})
    assert cache.get(("segment", "words", "a")) == {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}
    cache.put(("segment", "words", "c"), {9: 1.0, 10: 1.0, 11: 1.0})  # over budget: drop "b"
    assert cache.get(("segment", "words", "b")) is None
    assert cache.get(("segment", "words", "a")) is not None
    cache.put(("segment", "words", "huge"), {n: 1.0 for n in range(100)})  # never kept
    assert cache.get(("segment", "words", "huge")) is None


def test_the_searchers_of_an_open_index_share_its_cache(seed_index: Path) -> None:
    opened = Index(seed_index)
    with Searcher(opened) as first, Searcher(opened) as second:
        first.search("知识产权")
        assert evaluate.cache_for(first.index) is evaluate.cache_for(second.index)
    assert evaluate.cache_for(Index(seed_index)) is not evaluate.cache_for(opened)


@pytest.mark.parametrize("text", ["知识产权", "专利 质押", '"专利权质押"', "知识产权 -专利", "区块链"])
@pytest.mark.parametrize("fieldname, filters", [
    ("doc_id", []), ("section", []), ("doc_id", [wq.Term("section", "3")]),
    ("section", [wq.Term("doc_id", "copy-03")]), ("section", [wq.Term("doc_id", "nowhere")]),
])
def test_facet_counts_equal_whoosh_grouping(segmented_index: Path, text: str, fieldname: str,
                                           filters: list) -> None:
    with open_searcher(segmented_index) as searcher:
        q = compile_query(parse(text).root, searcher.index.segmenter)
        restrict = wq.And(filters) if filters else None
        whoosh_searcher = searcher._searcher
        expected = {}
        if restrict is None or not whoosh_searcher.search(restrict, limit=1).is_empty():
            results = whoosh_searcher.search(
                q, limit=1, filter=restrict,
                groupedby={fieldname: sorting.FieldFacet(fieldname, maptype=sorting.Count)})
            expected = {str(k): v for k, v in results.groups(fieldname).items()
                        if k not in (None, "")}
        assert facets._by_field(whoosh_searcher, searcher.index, q, fieldname, filters, [],
                                None) == expected
