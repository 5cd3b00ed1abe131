"""The build's fast segmenter (jieba-rs) cuts exactly as the Python reference does.

The index is cut by jieba-rs and queries by search.segment.Segmenter: every difference
would be a word that a query cannot find. Both are compared on every run of text of the
real fixtures, on random CJK text, and on small random dictionaries full of ties.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import fast_segment
from search.analysis import _RUN_RE, INDEX, word_terms
from search.dictionary import corpus_terms, index_segmenter
from search.documents import read_corpus
from search.fast_segment import FastSegmenter
from search.index import Index, build
from search.normalize import normalize
from search.schema import WORD_FIELDS
from search.segment import Segmenter
from tests.conftest import FIXTURES, SEEDS, copy_library

#: Real documents: the seed, the gov.cn pages and the laws of the relevance set.
CORPORA = [SEEDS, FIXTURES / "html", FIXTURES / "relevance" / "seeds"]
CJK_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]  # analysis._CJK


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The text of every document and passage heading of the real fixtures."""
    documents = [d for corpus in CORPORA for d in read_corpus(corpus)[0]]
    return [d.text for d in documents] + [p.heading for d in documents for p in d.passages]


@pytest.fixture(scope="module")
def reference(texts: list[str]) -> Segmenter:
    """The Python segmenter over the dictionary a build of the fixtures uses."""
    segmenter = index_segmenter(corpus_terms(texts))
    assert type(segmenter) is Segmenter
    return segmenter


@pytest.fixture(scope="module")
def fast(reference: Segmenter) -> FastSegmenter:
    return FastSegmenter(reference.freq, reference.total)


@pytest.fixture(scope="module")
def runs(texts: list[str]) -> list[str]:
    """Every CJK run the word analyzer cuts, once each."""
    return sorted({m.group(1) for text in texts for m in _RUN_RE.finditer(normalize(text).text)
                   if m.group(1)})


@pytest.mark.parametrize("surplus", [0, 1_000_000])
def test_every_run_of_the_real_documents_is_cut_alike(reference, runs, surplus):
    # jieba's total exceeds the sum of its frequencies (dict.txt's duplicates, the old
    # frequency of every word add_word() replaces): by 188,258 for the 417 shared laws. A
    # million more changes the cut of ten runs of these documents: both must follow it.
    reference = Segmenter(reference.freq, reference.total + surplus)
    fast = FastSegmenter(reference.freq, reference.total)
    assert len(runs) > 20_000
    assert [run for run in runs if fast.cut(run) != reference.cut(run)] == []


def test_every_word_has_the_same_subwords(reference, fast, runs):
    words = {word for run in runs[::7] for word in reference.cut(run)}
    assert [word for word in words if fast.subwords(word) != reference.subwords(word)] == []
    assert fast.subwords("国家知识产权局") == reference.subwords("国家知识产权局") != []


def test_word_tokens_of_a_law_are_the_same(reference, fast, texts):
    law = max(texts, key=len)
    assert list(word_terms(law, fast, INDEX)) == list(word_terms(law, reference, INDEX))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_cjk_text_is_cut_alike(reference, fast, runs, data):
    common = st.sampled_from("".join(runs[::50]))
    rare = st.one_of([st.integers(low, high).map(chr) for low, high in CJK_RANGES])
    sentence = data.draw(st.text(st.one_of(common, common, common, rare), min_size=1, max_size=40))
    assert fast.cut(sentence) == reference.cut(sentence)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text("专利权质押融资", min_size=1, max_size=4), st.integers(1, 40),
                       min_size=1, max_size=20),
       st.integers(0, 300), st.text("专利权质押融资", min_size=1, max_size=24))
def test_small_dictionaries_with_ties_cut_alike(words, surplus, sentence):
    # Small integer frequencies make equal scores common: both take the longer word.
    reference = Segmenter.from_words(words, sum(words.values()) + surplus)
    fast = FastSegmenter(reference.freq, reference.total)
    assert fast.cut(sentence) == reference.cut(sentence)


@pytest.mark.parametrize("total, words", [(15, ["专", "利"]), (16, ["专利"])])
def test_a_tie_goes_to_the_longer_word(total, words):
    # Over a total of 16, 专利 scores log(1/16) and 专 + 利 2 x log(4/16): the same float.
    reference = Segmenter.from_words({"专": 4, "利": 4, "专利": 1}, total)
    assert FastSegmenter(reference.freq, reference.total).cut("专利") == reference.cut("专利") \
        == words


def test_a_large_build_cuts_with_jieba_rs_and_a_small_one_with_python():
    threshold = fast_segment.FAST_SEGMENTER_CHARACTERS
    assert type(index_segmenter([], threshold)) is FastSegmenter
    assert type(index_segmenter([], threshold - 1)) is Segmenter


def _word_postings(root: Path) -> dict:
    """Return every word field's terms with their postings (passages, frequencies, positions)."""
    index = Index(root)
    with index.whoosh.reader() as reader:
        found = {(field, term): list(reader.postings(field, term).all_items())
                 for field in WORD_FIELDS for term in reader.lexicon(field)}
    index.close()
    return found


def test_a_build_with_jieba_rs_indexes_what_the_python_build_does_and_queries_cut_alike(
        tmp_path, monkeypatch):
    seeds = copy_library(tmp_path / "seeds")
    build(seeds, tmp_path / "python")
    monkeypatch.setattr(fast_segment, "FAST_SEGMENTER_CHARACTERS", 0)
    build(seeds, tmp_path / "fast")
    assert _word_postings(tmp_path / "fast") == _word_postings(tmp_path / "python")
    # A query process cuts with the Python segmenter over the index's vocabulary.
    query_side = Index(tmp_path / "fast").segmenter
    documents = read_corpus(seeds)[0]
    index_side = index_segmenter(corpus_terms(d.text for d in documents), 0)
    assert type(index_side) is FastSegmenter
    library_runs = {m.group(1) for d in documents for p in d.passages
                    for m in _RUN_RE.finditer(normalize(p.text).text) if m.group(1)}
    assert [run for run in library_runs if query_side.cut(run) != index_side.cut(run)] == []
