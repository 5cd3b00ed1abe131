"""The search plan: keywords and questions are ranked by their words, the rest is strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engine import open_searcher
from search.plan import plan
from search.query import parse

LAW = """# 某某劳动条例

第一条 用人单位未依法为劳动者缴纳社会保险费的，劳动者可以解除劳动合同。

第二条 用人单位应当按时足额支付劳动报酬。

第三条 劳动者解除劳动合同，应当提前三十日以书面形式通知用人单位。

第四条 劳动合同期满，劳动合同终止。
"""


@pytest.fixture()
def law(corpus):
    _, root = corpus({"law.md": LAW})
    with open_searcher(root) as searcher:
        yield searcher


@pytest.mark.parametrize("typed, ranked, units", [
    ("缴纳 社会保险费 解除", True, ("缴纳", "社会保险费", "解除")),
    ("用人单位不缴纳社会保险费，劳动者可以解除劳动合同吗？", True,
     ("用人单位", "缴纳", "社会保险费", "劳动者", "解除", "劳动合同")),
    # One compound word stays strict; only its fallback is ranked.
    ("劳动合同", False, None),
    ('"劳动合同" -终止', False, None),
    ("劳动合同 AND 终止", False, None),
])
def test_what_is_ranked_and_what_stays_strict(law, typed, ranked, units):
    found = plan(parse(typed), law.index.segmenter)
    assert (found.units is not None and found.always_ranked) == ranked
    if units is not None:
        assert found.unit_texts == units


def test_passages_with_all_words_come_first_then_those_with_most(law):
    result = law.search("解除 劳动合同 社会保险费")
    assert (result.complete, [hit.key for hit in result.hits][:2]) == (1, ["第一条", "第三条"])
    assert result.hits[1].matched == ("解除", "劳动合同")
    assert result.to_json()["all_words"] == 1


def test_a_question_finds_the_article_that_answers_it(law):
    result = law.search("公司不给缴纳社会保险费，员工可以解除劳动合同吗？")
    assert result.hits[0].key == "第一条"
    assert not result.relaxed or result.complete == 0


def test_a_question_whose_words_occur_never_gets_zero_hits(law):
    result = law.search("辞职要提前多少天通知用人单位呢")
    assert result.total > 0 and result.hits[0].key == "第三条"


def test_words_found_nowhere_are_named(law):
    result = law.search("劳动合同 区块链")
    assert (result.relaxed, result.unmatched) == (True, ("区块链",))
    assert {hit.key for hit in result.hits} == {"第一条", "第三条", "第四条"}


def test_an_explicit_and_is_strict(law):
    assert law.search("劳动合同 AND 区块链").total == 0


def test_a_lay_term_is_also_searched_as_the_texts_word_and_says_so(law):
    result = law.search("不给交社保 解除")
    assert result.expanded == (("社保", ("社会保险", "社会保险费")),)
    assert result.hits[0].key == "第一条"
    assert "社会保险费" in [s.text for f in result.hits[0].fragments for s in f if s.is_match]


def test_the_lay_term_itself_ranks_above_its_expansion(corpus):
    _, root = corpus({"a.txt": "甲\n职工参加社会保险，由单位缴纳社会保险费。\n",
                      "b.txt": "乙\n社保卡可以在社保窗口办理。\n"})
    with open_searcher(root) as searcher:
        assert [hit.id for hit in searcher.search("社保").hits] == ["b/p1", "a/p1"]


def test_a_word_of_the_document_title_counts_for_its_passages(corpus):
    _, root = corpus({
        "a.md": "# 中华人民共和国劳动合同法\n\n第一条 用人单位安排加班的，应当支付加班费。\n\n"
                "第二条 劳动合同应当以书面形式订立。\n",
        "b.md": "# 某省工资支付条例\n\n第一条 用人单位安排加班的，应当按规定支付加班工资。\n\n"
                "第二条 工资应当以货币形式按月支付。\n",
    })
    with open_searcher(root) as searcher:
        result = searcher.search("劳动合同法 加班")
        assert [hit.id for hit in result.hits][:2] == ["a/第一条", "b/第一条"]
        assert result.hits[0].matched == ("劳动合同法", "加班")
        # The title alone finds nothing: 第二条 has neither word.
        assert "a/第二条" not in [hit.id for hit in result.hits]


@pytest.mark.parametrize("typed", ["zhibaodai", "zbd", "ZhiBaoDai"])
def test_pinyin_and_initials_find_a_dictionary_term(searcher, typed):
    result = searcher.search(typed)
    assert result.expanded == ((typed, ("智保贷",)),)
    assert result.hits[0].id == "tianjin-ip-2017/3.2"
    assert "智保贷" in [s.text for f in result.hits[0].fragments for s in f if s.is_match]


def test_latin_words_that_spell_nothing_stay_literal(searcher):
    assert searcher.search("abcdef").total == 0
    assert searcher.search("12330").hits[0].id == "tianjin-ip-2017/5.1"


SALES = Path(__file__).parent / "fixtures/relevance/seeds/laws/DLC/山东地方法规/地方性法规/山东/山东省商品房销售条例(2021-12-03).md"


def test_a_question_with_words_the_index_does_not_know_ranks_by_their_pairs(corpus):
    # The law says 交付 and 交房 only inside longer runs that jieba cuts otherwise, so
    # the index knows no word 交房: the question finds it verbatim through its pairs,
    # without pairs of its function words (什么 cut as 什 么).
    _, root = corpus({"sales.md": SALES.read_bytes()})
    question = "开发商逾期交房，催了三个月还没交，为什么不能退房？"
    with open_searcher(root) as searcher:
        found = plan(parse(question), searcher.index.segmenter)
        assert "交房" in found.unit_texts
        assert "什么" not in found.unit_texts
        keys = [hit.key for hit in searcher.search(question).hits[:3]]
        assert "第三十八条" in keys


@pytest.mark.parametrize("term", ["智保贷", "银行行长", "重庆市", "长沙", "朝阳区", "音乐", "女律师",
                                  "单于", "知识产权质押融资"])
def test_a_term_s_initials_are_pypinyin_s_first_letters(term):
    from pypinyin import Style, lazy_pinyin

    from search import pinyin

    # Polyphonic characters (行, 重, 长, 朝, 乐, 单) take the reading of the whole word.
    assert pinyin.spellings(term) == ("".join(lazy_pinyin(term)),
                                      "".join(lazy_pinyin(term, style=Style.FIRST_LETTER)))
