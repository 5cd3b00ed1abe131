"""Searching: query semantics, ranking, filters, hits and passages, on the seed and tiny corpora."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from search.documents import parse_document
from search.engine import NotFound, open_searcher
from search.index import build
from search.query import QueryError
from search.settings import MAX_QUERY_LENGTH
from tests.conftest import SEED_DOC, SEEDS

SEED = parse_document(SEEDS / f"{SEED_DOC}.txt")


def keys(result) -> list[str]:
    return [hit.id.split("/", 1)[1] for hit in result.hits]


def containing(text: str) -> set[str]:
    """The seed passages whose text (or heading) contains ``text`` verbatim."""
    return {p.key for p in SEED.passages if text in p.text or text in p.heading}


# Small corpora, each file written for one behaviour.
TINY = {
    "guojia.txt": "国家局简报\n国家知识产权局发布年度报告。\n",
    "rank.txt": "排序样例\n提供知识产权服务。\n服务于知识产权。\n只有知识产权。\n",
    "heading.txt": "标题样例\n一、总体要求\n（一）加强管理。推进专利质押。\n（二）专利质押。加强管理。\n",
    "same.txt": "相同段落\n专利质押。\n专利质押。\n专利质押。\n",
    "odd.txt": "特殊内容\n通知<script>alert(1)</script>专利保险。\nabcdef 专门权利 字母。\n",
    "trad.txt": "繁體文件\n辦理專利質押貸款。\n",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    seeds = root / "seeds"
    seeds.mkdir()
    for name, text in TINY.items():
        (seeds / name).write_text(text, encoding="utf-8")
    report = build(seeds, root / "index")
    assert report.errors == []
    with open_searcher(root / "index") as searcher:
        yield searcher


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


# --- The queries of issue 2 on the real seed ---------------------------------------------------

def test_a_word_finds_it_inside_a_longer_word(tiny):
    assert TINY["guojia.txt"].count("知识产权") == TINY["guojia.txt"].count("国家知识产权局") == 1
    assert "guojia/p1" in ids(tiny.search("知识产权"))
    assert "guojia/p1" in ids(tiny.search("产权"))


def test_zhishichanquan_finds_every_seed_passage_that_mentions_it(searcher):
    result = searcher.search("知识产权", limit=100)
    assert set(keys(result)) == containing("知识产权")
    assert result.total == len(containing("知识产权"))


def test_a_quoted_phrase_finds_exactly_the_passages_containing_it(searcher):
    result = searcher.search('"知识产权强市"', limit=100)
    assert set(keys(result)) == containing("知识产权强市") == {"notice", "intro", "1"}
    assert keys(result)[0] == "1"   # the chapter whose heading says it


def test_a_piece_of_a_word_is_found_verbatim(searcher):
    result = searcher.search("权质押")
    assert keys(result) == ["3.2"]
    assert "专利<mark>权质押</mark>" in " ".join(result.hits[0].highlights)


def test_traditional_characters_find_simplified_text(searcher):
    result = searcher.search("專利質押")
    assert keys(result) == ["3.2"]
    assert "<mark>专利质押</mark>" in " ".join(result.hits[0].highlights)


def test_simplified_characters_find_traditional_text_and_mark_it(tiny):
    result = tiny.search("专利质押贷款")
    assert ids(result) == ["trad/p1"]
    assert result.hits[0].highlights == ["辦理<mark>專利質押貸款</mark>。"]


def test_full_width_digits_find_the_amount(searcher):
    result = searcher.search("２５．３７亿元")
    assert keys(result) == ["3.2"]
    assert "<mark>25.37亿元</mark>" in " ".join(result.hits[0].highlights)


def test_a_code_with_plus_signs_stays_whole(searcher):
    assert keys(searcher.search("1+7+N")) == ["3.1"]
    assert keys(searcher.search("1+7+n")) == ["3.1"]
    assert "<mark>1+7+N</mark>" in " ".join(searcher.search("1+7+N").hits[0].highlights)


def test_a_query_with_a_word_found_nowhere_comes_back_relaxed(searcher):
    result = searcher.search("专利质押 区块链")
    assert result.relaxed is True
    assert keys(result)[0] == "3.2"
    assert result.unmatched == ("区块链",)


def test_a_query_whose_words_all_match_is_not_relaxed(searcher):
    result = searcher.search("专利质押 智保贷")
    assert (result.relaxed, keys(result)) == (False, ["3.2"])


def test_nothing_found_is_an_empty_result_not_an_error(searcher):
    result = searcher.search("区块链")
    assert (result.total, result.hits, result.relaxed) == (0, (), False)


# --- Words, verbatim text and phrases ------------------------------------------------------

def test_unquoted_words_need_not_be_adjacent(searcher):
    result = searcher.search("华北 联盟")
    assert "3.1" in keys(result)
    assert "华北联盟" not in SEED.passages[[p.key for p in SEED.passages].index("3.1")].text


def test_a_quoted_phrase_must_be_verbatim_while_the_same_words_unquoted_need_not(searcher):
    assert containing("专利质押融资") == set()
    assert searcher.search('"专利质押融资"').total == 0
    assert keys(searcher.search("专利质押融资"))[0] == "3.2"


def test_curly_quotes_make_a_phrase_too(searcher):
    assert keys(searcher.search("“知识产权强市”", limit=100)) == \
        keys(searcher.search('"知识产权强市"', limit=100))


def test_a_verbatim_match_ranks_above_the_same_words_apart(tiny):
    assert ids(tiny.search("知识产权服务")) == ["rank/p1", "rank/p2"]


# --- AND, OR, exclusion, filters -------------------------------------------------------------

def test_space_means_and(searcher):
    both = set(keys(searcher.search("智保贷 融知贷", limit=100)))
    assert both == containing("智保贷") & containing("融知贷") == {"3.2"}


@pytest.mark.parametrize("typed", ["智保贷 OR 12330", "智保贷 | 12330", "智保贷|12330"])
def test_or_means_either(searcher, typed):
    assert set(keys(searcher.search(typed))) == {"3.2", "5.1"}


def test_a_dash_excludes_a_word(searcher):
    with_word = set(keys(searcher.search("专利保险", limit=100)))
    without = set(keys(searcher.search("专利保险 -智保贷", limit=100)))
    assert with_word == {"3.2", "6.2"}
    assert without == {"6.2"}


def test_a_dash_excludes_a_phrase(searcher):
    assert set(keys(searcher.search('专利保险 -"智保贷"', limit=100))) == {"6.2"}


def test_grouping(searcher):
    result = searcher.search("(智保贷 OR 12330) 热线")
    assert keys(result)[: result.complete] == ["5.1"]
    assert searcher.search("(智保贷 OR 12330) AND 热线").total == 1


@pytest.mark.parametrize("typed, extra, expected", [
    ("section:3 专利", {}, {"3.1", "3.2", "3.3"}),
    ("section:三 专利", {}, {"3.1", "3.2", "3.3"}),
    ("专利", {"section": 3}, {"3.1", "3.2", "3.3"}),
    ("section:3", {}, {"3", "3.1", "3.2", "3.3"}),
    (f"doc:{SEED_DOC} 智保贷", {}, {"3.2"}),
    ("智保贷", {"doc": SEED_DOC}, {"3.2"}),
])
def test_filters_restrict_the_hits(searcher, typed, extra, expected):
    assert set(keys(searcher.search(typed, limit=100, **extra))) == expected


@pytest.mark.parametrize("typed, extra", [
    ("doc:no-such-doc 专利", {}),
    ("专利", {"doc": "no-such-doc"}),
    ("section:9 专利", {}),
    ("专利", {"section": 9}),
    ("section:8", {}),
])
def test_a_filter_that_matches_nothing_gives_no_hits(searcher, typed, extra):
    result = searcher.search(typed, **extra)
    assert (result.total, result.hits) == (0, ())


def test_facets_count_hits_by_document_and_section(searcher):
    facets = searcher.search("智保贷 OR 12330", facets=True).facets
    assert facets == {"doc": {SEED_DOC: 2}, "section": {"3": 1, "5": 1}}


# --- Odd input -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "", "   ", '""""', "-专利", "-专利 -质押", "专利\x00", "专" * (MAX_QUERY_LENGTH + 1), "section:abc",
])
def test_queries_that_cannot_run_raise_query_error(searcher, typed):
    with pytest.raises(QueryError):
        searcher.search(typed)


@pytest.mark.parametrize("typed", [
    '"专利', "(专利", "专利)", "专利*", "知识~", "知识~2", "[a TO b]", "{专利 TO 质押}", "/专.*利/",
    "专利^2", "title:专利", "-", "—", "……", "\u200b", "😀", "<script>", "%s%n",
    "专利 OR OR OR", "((((专利))))", "))))((((", "doc:", "section:",
])
def test_odd_input_runs_without_error(searcher, typed):
    result = searcher.search(typed)
    assert result.total >= 0


@pytest.mark.parametrize("typed", ["OR", "| |", "AND", "OR OR"])
def test_a_query_of_operators_only_is_an_empty_query(searcher, typed):
    with pytest.raises(QueryError, match="empty query"):
        searcher.search(typed)


@pytest.mark.parametrize("typed, literal_hits", [
    ("abc*", []),                 # no wildcard: abcdef is not found
    ("abcdef", ["odd/p2"]),
    ("专*利", []),                 # 专门权利 is not found
    ("/专.*利/", []),
    ("专门~", ["odd/p2"]),          # 专门 by its word; ~ is not fuzzy syntax
])
def test_wildcard_and_regex_syntax_is_not_expanded(tiny, typed, literal_hits):
    assert ids(tiny.search(typed)) == literal_hits


@pytest.mark.parametrize("typed", [
    "a OR " * 40,
    " ".join("专利质押知识产权"[i % 8] for i in range(100)),
    "专利" * 100,
    " | ".join(["知识产权"] * 40),
    "(" * 50 + "专利" + ")" * 50,
])
def test_the_largest_queries_take_bounded_time(searcher, typed):
    started = time.perf_counter()
    searcher.search(typed[:MAX_QUERY_LENGTH])
    assert time.perf_counter() - started < 2.0


# --- Ranking -------------------------------------------------------------------------------

def test_a_heading_match_ranks_above_a_body_match(tiny):
    assert ids(tiny.search("专利质押", doc="heading")) == ["heading/1.2", "heading/1.1"]


def test_equal_scores_come_in_document_order(tiny):
    assert ids(tiny.search("专利质押", doc="same")) == ["same/p1", "same/p2", "same/p3"]


def test_hits_are_sorted_by_score(searcher):
    scores = [hit.score for hit in searcher.search("知识产权 保护", limit=100).hits]
    assert scores == sorted(scores, reverse=True)


def test_pages_of_hits_do_not_overlap(searcher):
    first = searcher.search("知识产权", limit=10, page=1)
    second = searcher.search("知识产权", limit=10, page=2)
    everything = searcher.search("知识产权", limit=100)
    assert first.total == second.total == everything.total
    assert ids(first) + ids(second) == ids(everything)[:20]
    assert (first.pages, second.page) == (-(-everything.total // 10), 2)


def test_a_page_past_the_end_is_empty(searcher):
    result = searcher.search("智保贷", page=5)
    assert (result.total, result.hits) == (1, ())


# --- Hits and passages -----------------------------------------------------------------------

def test_a_hit_carries_its_passage_and_document(searcher):
    (hit,) = searcher.search("智保贷").hits
    assert (hit.id, hit.doc_id, hit.doc_title, hit.date, hit.heading, hit.url) == (
        f"{SEED_DOC}/3.2", SEED_DOC, "关于印发天津市知识产权局2017年工作总结的通知", "2018-04-02",
        "深化知识产权金融创新", f"/p/{SEED_DOC}/3.2")
    assert hit.path == ("三、服务实体经济发展取得新成效", "(二)深化知识产权金融创新")
    assert hit.text == SEED.passages[[p.key for p in SEED.passages].index("3.2")].text


def test_hit_json_has_exactly_the_documented_shape(searcher):
    result = searcher.search("智保贷").to_json()
    assert set(result) == {"query", "total", "relaxed", "partial", "took_ms", "all_words",
                           "unmatched", "expanded", "hits"}
    (hit,) = result["hits"]
    assert set(hit) == {"id", "doc_id", "doc_title", "date", "path", "heading", "url", "score",
                        "text", "highlights", "office", "number", "doc_type", "published", "matched",
                        "current_version", "citation",
                        "source_url"}
    assert hit["url"] == "/p/" + hit["id"]
    assert isinstance(hit["path"], list) and isinstance(hit["score"], float)
    assert all("<mark>智保贷</mark>" in h for h in hit["highlights"])


def test_highlights_escape_markup_from_the_document(tiny):
    (hit,) = tiny.search("专利保险").hits
    assert hit.highlights == ["通知&lt;script&gt;alert(1)&lt;/script&gt;<mark>专利保险</mark>。"]


def test_highlight_fragments_are_sentences_of_the_hit(searcher):
    for hit in searcher.search("专利质押", limit=100).hits:
        for html in hit.highlights:
            plain = re.sub(r"</?mark>", "", html).strip("…")
            assert plain in hit.text


def test_a_passage_by_id_knows_its_neighbours(searcher):
    passage = searcher.passage(f"{SEED_DOC}/3.2")
    assert (passage.key, passage.heading, passage.previous, passage.next) == (
        "3.2", "深化知识产权金融创新", f"{SEED_DOC}/3.1", f"{SEED_DOC}/3.3")
    assert passage.url == f"/p/{SEED_DOC}/3.2"
    assert passage.document_url == f"/doc/{SEED_DOC}#3.2"
    assert searcher.passage(f"{SEED_DOC}/notice").previous is None
    assert searcher.passage(f"{SEED_DOC}/7.3").next is None


@pytest.mark.parametrize("passage_id", [f"{SEED_DOC}/9.9", "nope", "", f"{SEED_DOC}/"])
def test_an_unknown_passage_id_is_not_found(searcher, passage_id):
    with pytest.raises(NotFound, match="no passage"):
        searcher.passage(passage_id)


def test_a_document_lists_its_passages_in_order(searcher):
    meta, passages = searcher.document(SEED_DOC)
    assert (meta["title"], meta["date"]) == ("关于印发天津市知识产权局2017年工作总结的通知",
                                             "2018-04-02")
    assert [p.key for p in passages] == [p.key for p in SEED.passages]
    with pytest.raises(NotFound):
        searcher.document("no-such-doc")


def test_a_whole_passage_highlighted_for_a_query_keeps_its_text(searcher):
    passage = searcher.passage(f"{SEED_DOC}/3.2")
    pieces = searcher.highlight_passage(passage, "专利权质押")
    assert "".join(p.text for p in pieces) == passage.text
    assert [p.text for p in pieces if p.is_match] == ["专利权质押"] * 4
    unmarked = searcher.highlight_passage(passage, "-专利")     # a query that cannot run
    assert [(p.text, p.is_match) for p in unmarked] == [(passage.text, False)]


def test_an_index_opened_twice_answers_alike(seed_index: Path, searcher):
    with open_searcher(seed_index) as again:
        assert ids(again.search("知识产权", limit=100)) == ids(searcher.search("知识产权", limit=100))


LAW_WITH_SECTIONS = """# 某某劳动条例

## 第一章 总则

第一条 为了规范用工，制定本条例。

## 第二章 用工形式

### 第一节 一般规定

第二条 用人单位招用劳动者，应当订立劳动合同。

### 第二节 劳务派遣

第三条 用工单位应当严格控制被派遣劳动者数量，不得超过其用工总量的一定比例。

第四条 被派遣劳动者享有与用工单位的劳动者同工同酬的权利。

第五条 劳务派遣单位应当与被派遣劳动者订立二年以上的固定期限劳动合同。
"""


def test_a_word_only_in_a_section_heading_finds_that_sections_articles(corpus):
    _, root = corpus({"law.md": LAW_WITH_SECTIONS})
    with open_searcher(root) as searcher:
        found = ids(searcher.search("劳务派遣"))
        # 第五条 says it itself; 第三条 and 第四条 are in 第二节 劳务派遣; 第二条 is not.
        assert found[0] == "law/第五条"
        assert set(found) == {"law/第三条", "law/第四条", "law/第五条"}
        result = searcher.search("劳务派遣 比例")
        assert (result.complete, ids(result)[0]) == (1, "law/第三条")
        assert result.hits[0].path == ("第二章 用工形式", "第二节 劳务派遣", "第三条")
        assert result.hits[0].matched == ("劳务派遣", "比例")
        assert result.hits[1].matched == ("劳务派遣",)
