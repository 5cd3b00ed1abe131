"""Relevance on real documents: the development set's queries find their passage in the top 3.

The set (tests/fixtures/relevance: 399 queries written by reading 67 real documents) is
measured by bench/relevance.py, which prints the table the README shows; this test keeps
the pass rates from sliding back. Thresholds sit a little under today's figures (keyword
100%, phrase 100%, number 97%, Traditional 100%, lay 82%, question 64%).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.relevance import by_kind, load_queries, map_expectations, policy_search_rankings, score
from search.documents import read_corpus

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "relevance"

#: success@3 each kind must reach.
THRESHOLDS = {"keyword": 0.95, "phrase": 0.95, "number": 0.92, "traditional": 0.95, "lay": 0.75,
              "question": 0.60}


@pytest.fixture(scope="module")
def kinds() -> dict:
    queries = load_queries(FIXTURES / "queries.jsonl")
    documents, errors = read_corpus(FIXTURES / "seeds")
    assert errors == []
    targets, problems = map_expectations(queries, documents)
    assert problems == []
    rankings, query_errors = policy_search_rankings(FIXTURES / "seeds", [q.text for q in queries])
    assert query_errors == []
    scores = [score(ranking, target) for ranking, target in zip(rankings, targets)]
    return by_kind(queries, scores)


@pytest.mark.parametrize("kind", sorted(THRESHOLDS))
def test_each_kind_of_query_finds_its_passage_in_the_top_3(kinds, kind):
    assert kinds["by_kind"][kind]["success@3"] >= THRESHOLDS[kind], kinds["by_kind"][kind]
