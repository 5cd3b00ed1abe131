"""The analyzer: word tokens and character grams, with offsets into the original text."""

from __future__ import annotations

import pytest

from search.analysis import (
    INDEX, QUERY, GramTokenizer, WordTokenizer, gram_terms, query_grams, use_segmenter, word_terms,
)
from search.dictionary import corpus_terms, index_segmenter, shipped_terms
from search.normalize import fold


@pytest.fixture(scope="module")
def segmenter():
    return index_segmenter([])


def words(text, segmenter, mode):
    return [term.text for term in word_terms(text, segmenter, mode)]


# --- Word tokens: query mode is the precise cut ----------------------------------------------

@pytest.mark.parametrize("text, tokens", [
    ("国家知识产权局", ["国家知识产权局"]),
    ("天津市知识产权局", ["天津市", "知识产权局"]),
    ("专利质押融资", ["专利质押融资"]),
    ("京津冀协同发展", ["京津冀", "协同发展"]),
    ("深化知识产权金融创新", ["深化", "知识产权", "金融", "创新"]),
    ("“智保贷”产品", ["智保贷", "产品"]),
    ("放管服改革", ["放管服", "改革"]),
    # Numbers and Latin words stay whole, separators included.
    ("贷款金额25.37亿元", ["贷款", "金额", "25.37", "亿元"]),
    ("12330热线", ["12330", "热线"]),
    ("2017年", ["2017", "年"]),
    ("“1+7+N”运营体系", ["1+7+n", "运营", "体系"]),
    ("(2016-2020)", ["2016-2020"]),
    ("同比增长4.3%", ["同比", "增长", "4.3"]),
    ("IPC分类号G06F", ["ipc", "分类号", "g06f"]),
    # One-character numbers are kept.
    ("7家华北", ["7", "家", "华北"]),
    ("第3批", ["第", "3", "批"]),
    # Normalized before cutting: full-width, Traditional, upper case, zero-width.
    ("２５．３７亿元", ["25.37", "亿元"]),
    ("１２３３０热线", ["12330", "热线"]),
    ("專利質押貸款", ["专利质押", "贷款"]),
    ("专\u200b利质\u200d押", ["专利质押"]),
    ("Hello World", ["hello", "world"]),
    # Punctuation and spaces are not tokens.
    ("专利、商标；版权。", ["专利", "商标", "版权"]),
    ("  ", []),
    ("", []),
])
def test_query_mode_tokens(segmenter, text, tokens):
    assert words(text, segmenter, QUERY) == tokens


# --- Word tokens: index mode adds every dictionary word inside a longer word ------------------

@pytest.mark.parametrize("text, tokens", [
    ("国家知识产权局",
     ["国家知识产权局", "国家", "知识", "知识产权", "知识产权局", "产权", "产权局"]),
    ("专利质押融资", ["专利质押融资", "专利", "专利质押", "质押", "质押融资", "融资"]),
    ("京津冀协同发展", ["京津冀", "京津", "协同发展", "协同", "同发", "发展"]),
    ("贷款金额25.37亿元", ["贷款", "金额", "25.37", "25", "37", "亿元"]),
    ("“1+7+N”运营", ["1+7+n", "1", "7", "n", "运营"]),
    ("12330热线", ["12330", "热线"]),
    ("7家", ["7", "家"]),
])
def test_index_mode_tokens(segmenter, text, tokens):
    assert words(text, segmenter, INDEX) == tokens


@pytest.mark.parametrize("longer, inner", [
    ("国家知识产权局", "知识产权"),
    ("天津市知识产权局", "知识产权"),
    ("知识产权强市", "知识产权"),
    ("专利权质押", "专利"),
    ("专利权质押", "质押"),
    ("专利质押融资", "质押融资"),
])
def test_index_mode_emits_inner_words_at_the_position_of_the_longer_word(segmenter, longer, inner):
    index_terms = list(word_terms(longer, segmenter, INDEX))
    query_terms = list(word_terms(longer, segmenter, QUERY))
    assert inner in [t.text for t in index_terms]
    assert inner not in [t.text for t in query_terms]
    assert {t.pos for t in index_terms} == {t.pos for t in query_terms}


def test_positions_count_precise_words(segmenter):
    text = "深入落实天津市《关于加快推进知识产权强市建设的实施意见》"
    query_terms = list(word_terms(text, segmenter, QUERY))
    assert [t.pos for t in query_terms] == list(range(len(query_terms)))
    index_positions = [t.pos for t in word_terms(text, segmenter, INDEX)]
    assert index_positions == sorted(index_positions)
    assert sorted(set(index_positions)) == list(range(len(query_terms)))


@pytest.mark.parametrize("text", [
    "贷款金额25.37亿元",
    "贷款金额２５．３７亿元",
    "办理專利質押貸款",
    "专\u200b利质\u200d押融资",
    "“1+7+Ｎ”运营体系",
    "ＩＰＣ分类号",
    "  (一)深化知识产权金融创新。",
])
@pytest.mark.parametrize("mode", [INDEX, QUERY])
def test_offsets_index_the_original_text(segmenter, text, mode):
    terms = list(word_terms(text, segmenter, mode))
    assert terms
    for term in terms:
        assert fold(text[term.start : term.end]) == term.text


@pytest.mark.parametrize("text, term, seen", [
    ("贷款金额２５．３７亿元", "25.37", "２５．３７"),
    ("办理專利質押貸款", "专利质押", "專利質押"),
    ("专\u200b利质押", "专利质押", "专\u200b利质押"),
    ("“1+7+Ｎ”运营体系", "1+7+n", "1+7+Ｎ"),
])
def test_a_normalized_token_points_at_what_the_reader_sees(segmenter, text, term, seen):
    found = next(t for t in word_terms(text, segmenter, QUERY) if t.text == term)
    assert text[found.start : found.end] == seen


# --- Character grams ---------------------------------------------------------------------------

def test_grams_are_unigrams_and_bigrams_at_character_positions():
    assert [(t.text, t.pos, t.start, t.end) for t in gram_terms("专利质押")] == [
        ("专", 0, 0, 1), ("专利", 0, 0, 2),
        ("利", 1, 1, 2), ("利质", 1, 1, 3),
        ("质", 2, 2, 3), ("质押", 2, 2, 4),
        ("押", 3, 3, 4),
    ]


def test_grams_skip_whitespace_and_keep_original_offsets():
    assert [(t.text, t.pos, t.start, t.end) for t in gram_terms("专 利\n押")] == [
        ("专", 0, 0, 1), ("专利", 0, 0, 3),
        ("利", 1, 2, 3), ("利押", 1, 2, 5),
        ("押", 2, 4, 5),
    ]


@pytest.mark.parametrize("text, grams", [
    ("專利", ["专", "专利", "利"]),
    ("Ａ1", ["a", "a1", "1"]),
    ("专\u200b利", ["专", "专利", "利"]),
    ("。", ["。"]),
    ("", []),
])
def test_grams_are_normalized(text, grams):
    assert [t.text for t in gram_terms(text)] == grams


@pytest.mark.parametrize("text, grams", [
    ("专", ["专"]),
    ("权质押", ["权质", "质押"]),
    ("专利 质押", ["专利", "利质", "质押"]),
    ("２５．３７", ["25", "5.", ".3", "37"]),
    ("專利", ["专利"]),
])
def test_query_grams_spell_the_text_as_a_phrase_of_bigrams(text, grams):
    assert query_grams(text) == grams


# --- The whoosh adapters -----------------------------------------------------------------------

def test_the_word_field_analyzer_yields_positions_and_offsets(segmenter):
    use_segmenter(segmenter)
    try:
        tokens = [(t.text, t.pos, t.startchar, t.endchar)
                  for t in WordTokenizer()("国家知识产权局", positions=True, chars=True)]
    finally:
        use_segmenter(None)
    assert ("知识产权", 0, 2, 6) in tokens
    assert ("国家知识产权局", 0, 0, 7) in tokens


def test_the_word_field_analyzer_refuses_to_run_without_a_segmenter():
    use_segmenter(None)
    with pytest.raises(RuntimeError, match="use_segmenter"):
        list(WordTokenizer()("专利"))


def test_the_gram_field_analyzer():
    assert [(t.text, t.pos) for t in GramTokenizer()("专利", positions=True)] == \
        [("专", 0), ("专利", 0), ("利", 1)]


# --- The domain dictionary ---------------------------------------------------------------------

@pytest.mark.parametrize("term", ["知识产权", "知识产权强市", "专利质押", "智保贷", "放管服", "京津冀"])
def test_policy_terms_ship_with_the_engine(term):
    assert term in shipped_terms()


@pytest.mark.parametrize("texts, terms", [
    (["研发“智保贷”和“融知贷”"], ["智保贷", "融知贷"]),
    (["印发《专利收费减缴办法》"], ["专利收费减缴办法"]),
    (["“1+7+N”运营体系", "“十三五”规划"], ["十三五"]),       # Latin and digits are not words
    (["《天津市知识产权“十三五”规划》"], []),                   # nested quotes
    (["“智保贷”", "又见“智保贷”"], ["智保贷"]),
    (["“专”"], []),                                            # too short
])
def test_quoted_terms_and_titles_become_dictionary_words(texts, terms):
    assert corpus_terms(texts) == terms


def test_a_corpus_term_changes_the_cut(segmenter):
    custom = index_segmenter(["金桥之友"])
    assert words("金桥之友活动", custom, QUERY) == ["金桥之友", "活动"]
    assert words("金桥之友活动", segmenter, QUERY) != ["金桥之友", "活动"]
