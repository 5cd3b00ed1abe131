"""The relevance set in tests/fixtures/relevance, checked as data: no index, no search engine.

queries.jsonl holds real queries about real documents (seeds/, copied from ../shared/corpus),
each with a verbatim snippet of the passage that must come back in the top 3. These tests
keep the set honest as it grows: every expectation points at exactly one place in its file,
the kinds are the agreed ones in the agreed numbers, and no query is there twice. The last
tests check the evaluator's own arithmetic (bench/relevance.py) on a stand-in corpus.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.relevance import (
    KINDS, Expectation, Query, by_kind, collapse, jieba_words, map_expectations, score,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "relevance"
SEEDS = FIXTURES / "seeds"
QUERIES = FIXTURES / "queries.jsonl"
SHARED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

MINIMUM = {"keyword": 50, "phrase": 15, "number": 20, "traditional": 10, "lay": 20, "question": 55}
TOTAL_MINIMUM = 170
SNIPPET_LENGTH = range(12, 41)
FIELDS = {"query", "kind", "file", "snippet", "also", "note"}
MAX_FIXTURE_BYTES = 3 * 2**20

_TAG_RE = re.compile(r"<[^>]+>")


def _lines() -> list[str]:
    return [line for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]


ROWS = [json.loads(line) for line in _lines()]
REQUIRED = ("query", "kind", "file", "snippet")


def _expectations(row: dict) -> list[tuple[str, str]]:
    also = [(a["file"], a["snippet"]) for a in row.get("also", ())]
    return [(row["file"], row["snippet"]), *also]


@functools.cache
def _file_text(name: str) -> str:
    """The file's text with whitespace removed (an HTML page: tags stripped, entities decoded)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    if name.endswith((".html", ".htm")):
        text = html.unescape(_TAG_RE.sub("", text))
    return collapse(text)


def test_every_line_is_a_query_object() -> None:
    for number, line in enumerate(_lines(), 1):
        row = json.loads(line)
        assert isinstance(row, dict), f"line {number} is not a JSON object"
        assert set(REQUIRED) <= row.keys() <= FIELDS, f"line {number}: {sorted(row)}"
        assert all(isinstance(row[k], str) and row[k].strip() for k in REQUIRED), f"line {number}"
        for also in row.get("also", ()):
            assert also.keys() == {"file", "snippet"}, f"line {number}: also {also}"


def test_kinds_are_the_agreed_ones() -> None:
    assert {row["kind"] for row in ROWS} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_its_minimum(kind: str) -> None:
    assert Counter(row["kind"] for row in ROWS)[kind] >= MINIMUM[kind]


def test_the_set_has_its_minimum_size() -> None:
    assert len(ROWS) >= TOTAL_MINIMUM


def test_every_file_exists_under_the_fixtures() -> None:
    missing = {f for row in ROWS for f, _ in _expectations(row) if not (SEEDS / f).is_file()}
    assert not missing


def test_every_snippet_occurs_exactly_once_in_its_file() -> None:
    wrong = [(row["query"], f, snippet, _file_text(f).count(collapse(snippet)))
             for row in ROWS for f, snippet in _expectations(row)
             if _file_text(f).count(collapse(snippet)) != 1]
    assert not wrong


def test_snippets_are_12_to_40_characters() -> None:
    wrong = [s for row in ROWS for _, s in _expectations(row) if len(s) not in SNIPPET_LENGTH]
    assert not wrong


def test_no_query_is_there_twice() -> None:
    counts = Counter(collapse(row["query"]) for row in ROWS)
    assert [q for q, n in counts.items() if n > 1] == []


def test_questions_are_typed_as_sentences() -> None:
    """As non-lawyers type them: no spaces between words, with punctuation."""
    wrong = [row["query"] for row in ROWS if row["kind"] == "question"
             and (" " in row["query"] or not re.search(r"[？?，。！]", row["query"]))]
    assert not wrong


def test_traditional_queries_are_in_traditional_script() -> None:
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    wrong = [row["query"] for row in ROWS if row["kind"] == "traditional"
             and to_simplified.convert(row["query"]) == row["query"]]
    assert not wrong


def test_phrase_queries_are_quoted_and_in_their_snippet() -> None:
    for row in (r for r in ROWS if r["kind"] == "phrase"):
        assert row["query"][0] == row["query"][-1] == '"', row["query"]
        assert row["query"][1:-1] in row["snippet"], row["query"]


def test_every_seed_file_has_a_provenance_line_and_the_fixtures_stay_small() -> None:
    provenance = (FIXTURES / "PROVENANCE.md").read_text(encoding="utf-8")
    files = [p for p in SEEDS.rglob("*") if p.is_file()]
    listed = set(re.findall(r"^\| `([^`]+)` \|", provenance, re.M))
    assert listed == {p.relative_to(SEEDS).as_posix() for p in files}
    assert sum(p.stat().st_size for p in files) < MAX_FIXTURE_BYTES


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="no ../shared/corpus beside the repository")
def test_the_fixtures_are_byte_identical_copies_of_the_corpus() -> None:
    copies = [p for p in SEEDS.rglob("*") if p.is_file() and p.parent != SEEDS]
    changed = [p.relative_to(SEEDS).as_posix() for p in copies
               if p.read_bytes() != (SHARED_CORPUS / p.relative_to(SEEDS)).read_bytes()]
    assert not changed


# The evaluator's arithmetic, on a stand-in corpus shaped like search.documents' Documents.

def _document(path: str, *texts: str) -> SimpleNamespace:
    passages = tuple(SimpleNamespace(id=f"{path}/{n}", key=str(n), text=text)
                     for n, text in enumerate(texts, 1))
    return SimpleNamespace(id=path, source_path=path, title=path, passages=passages)


STAND_IN = [
    _document("laws/a.md", "第一条 劳动者解除劳动合同，应当提前三十日\n以书面形式通知用人单位。",
              "第二条 用人单位应当按月支付劳动者工资。"),
    _document("laws/b.md", "第一条 职工可以提取住房公积金。", "第二条 职工可以提取住房公积金。"),
]


def _query(*expected: tuple[str, str], kind: str = "keyword") -> Query:
    return Query("q", kind, tuple(Expectation(f, s) for f, s in expected))


@pytest.mark.parametrize("expected, ids, problems", [
    ((("laws/a.md", "应当提前三十日以书面形式通知"),), {"laws/a.md/1"}, 0),  # across a line break
    ((("laws/a.md", "按季度支付劳动者工资"),), set(), 1),                   # in no passage
    ((("laws/b.md", "职工可以提取住房公积金"),), {"laws/b.md/1", "laws/b.md/2"}, 1),  # in two
    ((("laws/c.md", "职工可以提取住房公积金"),), set(), 1),                 # no such document
    ((("laws/a.md", "按月支付劳动者工资"), ("laws/a.md", "应当提前三十日")),
     {"laws/a.md/1", "laws/a.md/2"}, 0),                                  # also
])
def test_expectations_map_to_passages(expected, ids, problems) -> None:
    targets, found = map_expectations([_query(*expected)], STAND_IN)
    assert targets == [frozenset(ids)]
    assert len(found) == problems


@pytest.mark.parametrize("ranking, rank, success, reciprocal", [
    (["x", "a", "y"], 2, True, 0.5),
    (["x", "y", "z", "a"], 4, False, 0.25),
    (["x"] * 10 + ["a"], None, False, 0.0),
    ([], None, False, 0.0),
])
def test_score_is_success_at_3_and_reciprocal_rank_at_10(ranking, rank, success,
                                                        reciprocal) -> None:
    got = score(ranking, frozenset({"a", "b"}))
    assert (got.rank, got.success, got.reciprocal_rank) == (rank, success, reciprocal)


def test_overall_counts_queries_and_macro_counts_kinds() -> None:
    queries = [_query(kind="keyword"), _query(kind="keyword"), _query(kind="question")]
    hit, miss = score(["a"], frozenset("a")), score([], frozenset("a"))
    result = by_kind(queries, [hit, hit, miss])
    assert result["by_kind"]["question"] == {"n": 1, "success@3": 0.0, "mrr@10": 0.0}
    assert result["overall"]["success@3"] == pytest.approx(2 / 3)
    assert result["macro"]["success@3"] == pytest.approx(1 / 2)


def test_jieba_words_drop_punctuation_and_whitespace() -> None:
    cut = lambda text: ["公司", "不", "给", "交", "社保", "，", " ", "吗", "？", "5%"]  # noqa: E731
    assert jieba_words(cut, "") == ["公司", "不", "给", "交", "社保", "吗", "5%"]


def test_bm25_ranks_the_passage_with_the_query_words_first() -> None:
    pytest.importorskip("bm25s")
    from bench.relevance import bm25_rankings

    passages = [(p.id, p.text) for d in STAND_IN for p in d.passages]
    first, punctuation_only = bm25_rankings(passages, ["劳动者 书面形式 通知", "？，"])
    assert first[0] == "laws/a.md/1"
    assert punctuation_only == []
