"""Word segmentation: jieba's algorithm, and the small query-side dictionary from the index."""

from __future__ import annotations

import logging
import re

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.documents import parse_document
from search.dictionary import corpus_terms, index_segmenter, shipped_terms
from search.index import Index
from search.segment import Segmenter
from search.normalize import normalize
from tests.conftest import SEED_DOC, SEEDS

SEED = parse_document(SEEDS / f"{SEED_DOC}.txt")
# The runs as the analyzer sees them: numerals that stand for numbers are digits by then.
CJK_RUNS = sorted({run for p in SEED.passages
                   for run in re.findall(r"[\u4e00-\u9fff]+", normalize(p.text).text)})
SEED_CHARACTERS = "".join(sorted(set("".join(CJK_RUNS))))
TERMS = corpus_terms([SEED.text])


@pytest.fixture(scope="module")
def full() -> Segmenter:
    """The index-side segmenter, as the build makes it for the seed."""
    return index_segmenter(TERMS)


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    """jieba itself with the same dictionary."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for term in [*shipped_terms(), *TERMS]:
        tokenizer.add_word(term)
    return tokenizer


@pytest.fixture(scope="module")
def query_side(seed_index) -> Segmenter:
    """The segmenter a query process loads from the index's vocabulary."""
    return Index(seed_index).segmenter


# --- Same cut as jieba -------------------------------------------------------------------------

def test_every_sentence_of_the_seed_is_cut_as_jieba_cuts_it(full, reference):
    differing = [run for run in CJK_RUNS if full.cut(run) != list(reference.cut(run, HMM=False))]
    assert differing == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.sampled_from(SEED_CHARACTERS), min_size=1, max_size=30))
def test_any_cjk_string_is_cut_as_jieba_cuts_it(full, reference, sentence):
    assert full.cut(sentence) == list(reference.cut(sentence, HMM=False))


@pytest.mark.parametrize("sentence, words", [
    ("深化知识产权金融创新", ["深化", "知识产权", "金融", "创新"]),
    ("研发专利权质押担保产品", ["研发", "专利权质押", "担保", "产品"]),
    ("京津冀协同发展", ["京津冀", "协同发展"]),
    ("智保贷", ["智保贷"]),
    ("", []),
])
def test_cut(full, sentence, words):
    assert full.cut(sentence) == words


# --- The query side knows the index's words --------------------------------------------------

def test_the_query_side_cuts_the_seed_as_the_index_did(full, query_side):
    differing = [run for run in CJK_RUNS if query_side.cut(run) != full.cut(run)]
    assert differing == []


@pytest.mark.parametrize("query", [
    "知识产权质押融资", "知识产权强市", "华北知识产权运营中心", "京津冀协同发展", "专利行政执法",
    "青少年知识产权教育", "知识产权服务业集聚发展试验区", "专利导航产业发展", "智保贷", "放管服",
])
def test_the_query_side_cuts_typical_queries_as_the_index_side(full, query_side, query):
    assert query_side.cut(query) == full.cut(query)


def test_the_query_side_dictionary_is_a_small_fraction_of_jiebas(full, query_side):
    assert len(query_side.freq) < len(full.freq) / 20


@pytest.mark.parametrize("query, words", [
    ("专利质押融资", ["专利质押", "融资"]),   # the seed says 专利权质押融资 and 专利质押贷款
    ("区块链", ["区", "块", "链"]),
])
def test_the_query_side_cuts_unknown_words_into_words_the_index_has(query_side, query, words):
    assert query_side.cut(query) == words


# --- Building blocks ---------------------------------------------------------------------------

@pytest.mark.parametrize("word, inner", [
    ("国家知识产权局", [(0, "国家"), (2, "知识"), (2, "知识产权"), (2, "知识产权局"),
                        (4, "产权"), (4, "产权局")]),
    ("专利权质押", [(0, "专利"), (0, "专利权"), (1, "利权"), (3, "质押")]),
    ("知识", []),
    ("专", []),
])
def test_subwords_are_every_dictionary_word_inside_a_word(full, word, inner):
    assert full.subwords(word) == inner


def test_a_prefix_dictionary_from_words():
    segmenter = Segmenter.from_words({"知识产权": 30, "知识": 5, "产权局": 3}, total=100)
    assert segmenter.freq == {"知": 0, "知识": 5, "知识产": 0, "知识产权": 30, "产": 0, "产权": 0,
                              "产权局": 3}
    assert segmenter.cut("知识产权局") == ["知识产权", "局"]  # 0.30 x 0.01 > 0.05 x 0.03
    assert segmenter.cut("知识产权局知识") == ["知识产权", "局", "知识"]


def test_save_and_load_keep_the_dictionary(tmp_path):
    segmenter = Segmenter.from_words({"专利质押": 7, "融资": 9}, total=1000)
    segmenter.save(tmp_path / "vocabulary.marshal")
    loaded = Segmenter.load(tmp_path / "vocabulary.marshal")
    assert (loaded.freq, loaded.total) == (segmenter.freq, segmenter.total)
    assert loaded.cut("专利质押融资") == ["专利质押", "融资"]
