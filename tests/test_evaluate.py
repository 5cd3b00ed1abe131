"""The posting-list evaluator: its cache and what it assumes of the index.

That it gives what whoosh's own matchers give is tests/test_whoosh_private.py's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from search import evaluate, matches
from search.engine import Searcher, open_searcher
from search.index import F_GRAMS, F_HEADING, F_WORDS, Index
from search.query import compile_query, parse


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


@pytest.mark.parametrize("text", ["专利 质押 区块链", "知识产权 保护 执法", "专利 -质押 天津", "的 权 知识",
                                  '"专利权质押" 天津', "公司不给交社保，员工可以解除劳动合同吗？"])
def test_match_sets_as_arrays_give_the_same_answer_as_dicts(segmented_index: Path, text: str,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Large match sets are numpy arrays (matches.Dense): the same hits, the same floats."""
    def answer(searcher: Searcher, numpy_from: int) -> tuple:
        monkeypatch.setattr(matches, "NUMPY_FROM", numpy_from)
        cache = evaluate.LeafCache()
        monkeypatch.setattr(evaluate, "cache_for", lambda build: cache)
        found = []
        for _ in range(2):  # cold, then from the cache
            result = searcher.search(text, limit=10, page=2, facets=True)
            found.append((result.total, result.complete, result.unmatched, result.facets,
                          [(hit.id, hit.score, hit.matched) for hit in result.hits]))
        assert found[0] == found[1]
        return found[0]

    with open_searcher(segmented_index) as searcher:
        as_dicts = answer(searcher, 10**9)
        assert as_dicts[0], "the query matched nothing"
        assert answer(searcher, 1) == as_dicts


def test_a_cached_array_is_read_only(segmented_index: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matches, "NUMPY_FROM", 1)
    with open_searcher(segmented_index) as searcher:
        q = compile_query(parse("知识产权").root, searcher.index.segmenter)
        cache = evaluate.LeafCache()
        evaluate.ranked(searcher._searcher, q, 10, cache=cache)
        dense = [entry for entry in map(cache.get, list(cache._entries))
                 if isinstance(entry, matches.Dense)]
        assert dense, "no match set was kept as arrays"
        with pytest.raises(ValueError):
            dense[0].scores[0] = 0.0


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
