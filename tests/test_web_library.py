"""The policy library on the page and in the API: filters, facets, chips, sort, 文号, /docs.

The library (tests/conftest.py): 7 documents. 国务院: 国发〔2019〕5号 (意见, 2019-01-27),
专利代理条例 (行政法规, 2018-11-06) and 中国公民收养子女登记办法 2019 and 2023 (行政法规);
国务院办公厅: 国办发〔2018〕128号 (通知, 2018-12-29) and 国办发〔2018〕129号 (意见,
2018-12-30); 办公室: the seed tianjin-ip-2017 (通知, 2018-04-02).
"""

from __future__ import annotations

import urllib.parse

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from tests.conftest import SEED_DOC
from tests.test_web import Page
from web import create_app

PATENT_LAW = "专利代理条例-2018-11-06"
OPINION = "国发〔2019〕5号"
ADOPTION_NEW = "中国公民收养子女登记办法-2023-07-20"


@pytest.fixture(scope="module")
def client(library) -> FlaskClient:
    seeds, index = library
    return create_app({"TESTING": True, "INDEX": index, "SEEDS": seeds}).test_client()


def api(client: FlaskClient, path: str, **params: object) -> dict:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def hit_docs(result: dict) -> set[str]:
    return {hit["doc_id"] for hit in result["hits"]}


def html(client: FlaskClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize("params, documents", [
    ({"office": "国务院办公厅"}, {"国办发〔2018〕128号", "国办发〔2018〕129号"}),
    ({"type": "通知"}, {"国办发〔2018〕128号", SEED_DOC}),
    ({"year": "2019"}, {OPINION}),
    ({"after": "2018-12-30"}, {"国办发〔2018〕129号", OPINION, ADOPTION_NEW}),
    ({"before": "2018-11"}, {SEED_DOC, PATENT_LAW}),
    ({"after": "2018-12", "before": "2018-12-29"}, {"国办发〔2018〕128号"}),
    ({"doc": SEED_DOC}, {SEED_DOC}),
    ({"office": "国务院", "type": "意见"}, {OPINION}),
])
def test_each_filter_keeps_only_its_documents(client, params, documents):
    result = api(client, "/api/search", q="工作 OR 管理 OR 专利 OR 监管", limit=100, **params)
    assert hit_docs(result) == documents
    assert result["filters"] == params


@pytest.mark.parametrize("typed, documents", [
    ("监管 office:国务院办公厅", {"国办发〔2018〕128号", "国办发〔2018〕129号"}),
    ("监管 type:意见 year:2019", {OPINION}),
    ("收养 after:2020", {ADOPTION_NEW}),
    ("专利 before:2018-06-30", {SEED_DOC}),
])
def test_filters_typed_in_the_query_work_like_parameters(client, typed, documents):
    assert hit_docs(api(client, "/api/search", q=typed, limit=100)) == documents


def test_title_searches_the_titles_only(client):
    # 专利 is in the seed's text many times, but only one title has it.
    result = api(client, "/api/search", q="title:专利", limit=100)
    assert hit_docs(result) == {PATENT_LAW} and result["total"] == 32
    assert hit_docs(api(client, "/api/search", q="title:专利 代理机构", limit=100)) == {PATENT_LAW}


def test_a_chapter_filter_is_one_chapter_of_the_chosen_document(client):
    result = api(client, "/api/search", q="专利", doc=PATENT_LAW, section="三", limit=100)
    assert result["hits"] and all(hit["path"][0] == "第三章 专利代理执业" for hit in result["hits"])
    assert result["facets"]["section"]["3"] == result["total"]


@pytest.mark.parametrize("params, message", [
    ({"office": "教育部"}, "no document from office '教育部'; offices: 国务院"),
    ({"type": "公告"}, "no document of type '公告'; types: 行政法规"),
    ({"doc": "nope"}, "no document with id 'nope'"),
    ({"year": "19"}, "year:19 is not a year"),
    ({"after": "2019-13"}, "'2019-13' is not a date"),
    ({"after": "2020", "before": "2019"}, "after:2020 is later than before:2019"),
    ({"sort": "popular"}, "sort must be relevance or date"),
])
def test_a_filter_that_names_nothing_is_a_400_not_an_empty_result(client, params, message):
    response = client.get("/api/search", query_string={"q": "专利", **params})
    assert response.status_code == 400 and message in response.get_json()["error"]


@pytest.mark.parametrize("url, headline, detail", [
    ("/?q=专利&office=教育部", "筛选条件有误", "没有发文机关为“教育部”的文件。可选的发文机关：国务院、"),
    ("/?q=专利 type:公告", "筛选条件有误", "没有文种为“公告”的文件。可选的文种："),
    ("/?q=专利&year=abc", "筛选条件有误", "“abc”不是年份：请输入四位数字，例如 2019。"),
    ("/?q=专利&after=2019-13", "筛选条件有误", "“2019-13”不是日期：请写成 2018、2018-01 或 2018-01-31。"),
    ("/?q=专利&sort=new", "筛选条件有误", "排序方式“new”无效"),
    ("/?q=专利&page=0", "查询有误", "参数 page 须为从 1 开始的整数"),
    ("/?q=" + "专" * 201, "查询有误", "查询太长：共 201 个字，最多 200 个字"),
])
def test_a_bad_filter_or_query_is_explained_in_chinese_on_the_page(client, url, headline, detail):
    found = html(client, url, 400)
    assert headline in found.text and detail in found.text
    assert "/docs" in found.links  # where to look up the offices and types there are
    assert "not a" not in found.text and "no document" not in found.text


def test_the_search_json_explains_itself(client):
    result = api(client, "/api/search", q="监管", limit=5, page=2)
    assert (result["page"], result["limit"], result["total"]) == (2, 5, 24)
    assert result["pages"] == 5 and len(result["hits"]) == 5
    assert result["sort"] == "relevance" and result["filters"] == {}
    facets = result["facets"]
    assert facets["office"] == {"国务院": 13, "国务院办公厅": 10, "办公室": 1}
    assert facets["year"] == {"2018": 11, "2019": 13}
    assert facets["type"] == {"意见": 16, "通知": 8}
    assert sum(facets["doc"].values()) == result["total"] and "section" not in facets


def test_a_facet_counts_under_the_other_filters_but_not_its_own(client):
    facets = api(client, "/api/search", q="监管", office="国务院办公厅")["facets"]
    # Every office stays choosable; the years and types are those of the chosen office.
    assert facets["office"] == {"国务院": 13, "国务院办公厅": 10, "办公室": 1}
    assert facets["year"] == {"2018": 10} and facets["type"] == {"意见": 3, "通知": 7}


def test_sort_by_date_puts_the_newest_documents_first(client):
    by_date = api(client, "/api/search", q="监管 OR 收养", sort="date", limit=100)
    dates = [hit["date"] for hit in by_date["hits"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2023-07-20"
    by_relevance = api(client, "/api/search", q="监管 OR 收养", limit=100)
    assert by_date["total"] == by_relevance["total"]
    assert [h["date"] for h in by_relevance["hits"]] != dates


@pytest.mark.parametrize("typed", ["国发〔2019〕5号", "国发[2019]5号", "国发2019年5号", "国发〔2019〕5",
                                   "国发（2019）5号"])
def test_a_typed_number_finds_its_document_first(client, typed):
    result = api(client, "/api/search", q=typed)
    assert result["hits"][0]["doc_id"] == OPINION and result["unmatched"] == []
    assert result["hits"][0]["number"] == "国发〔2019〕5号"
    assert result["facets"]["doc"][OPINION] >= 1 and result["facets"]["office"]["国务院"] >= 1


def test_the_results_page_has_facets_with_counts_and_links_that_set_them(client):
    found = html(client, "/?q=监管")
    for heading in ("发文机关", "年份", "文种", "文件"):
        assert heading in found.text
    assert "国务院办公厅10" in found.text.replace(" ", "").replace("\n", "")
    office = [link for link in found.links if "office=" in link]
    assert any("office=%E5%9B%BD%E5%8A%A1%E9%99%A2%E5%8A%9E%E5%85%AC%E5%8E%85" in link
               for link in office)  # 国务院办公厅
    assert "按章节" not in found.text and "章节" not in found.text


def test_each_active_filter_is_a_chip_whose_link_removes_it(client):
    found = html(client, "/?q=监管 type:意见&office=国务院办公厅&year=2018")
    chips = found.find("a", **{"class": "chip"})
    assert len(chips) == 3
    assert "发文机关：国务院办公厅" in found.text and "年份：2018年" in found.text
    assert "文种：意见" in found.text
    for chip in chips:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(chip["href"]).query)
        left = {name for name in ("office", "year") if name in query}
        typed = "type:意见" in query["q"][0]
        assert len(left) + typed == 2  # each chip drops exactly one filter, the others stay
    without_type = next(c["href"] for c in chips if "type" not in
                        urllib.parse.parse_qs(urllib.parse.urlsplit(c["href"]).query)["q"][0])
    after = html(client, without_type)
    assert "文种：意见" not in after.text and "发文机关：国务院办公厅" in after.text


def test_the_chapter_facet_appears_once_a_document_is_chosen(client):
    found = html(client, f"/?q=专利&doc={urllib.parse.quote(PATENT_LAW)}")
    assert "章节" in found.text and "第三章 专利代理执业" in found.text


def test_the_page_links_the_other_order(client):
    found = html(client, "/?q=监管")
    assert any("sort=date" in link for link in found.links)
    dated = html(client, "/?q=监管&sort=date")
    assert any(link.startswith("/?q=") and "sort=" not in link for link in dated.links)
    assert "日期（最新在前）" in dated.text


def test_docs_lists_every_document_newest_first_with_its_metadata(client):
    found = html(client, "/docs")
    assert "共 7 份文件" in found.text
    titles = [a["href"] for a in found.find("a", **{"class": "doc-title"})]
    assert urllib.parse.unquote(titles[0]) == f"/doc/{ADOPTION_NEW}"
    assert urllib.parse.unquote(titles[-1]) == f"/doc/{SEED_DOC}"
    assert "国办发〔2018〕128号" in found.text and "行政法规" in found.text


def test_docs_filters_sorts_and_counts_per_facet(client):
    found = html(client, "/docs?office=国务院&sort=title")
    assert "共 4 份文件" in found.text and "发文机关：国务院" in found.text
    titles = [a["href"] for a in found.find("a", **{"class": "doc-title"})]
    assert len(titles) == 4
    listing = api(client, "/api/documents", office="国务院", sort="title")
    assert [d["title"] for d in listing["documents"]] == sorted(d["title"]
                                                               for d in listing["documents"])
    assert listing["facets"]["type"] == {"行政法规": 3, "意见": 1}
    assert listing["facets"]["office"] == {"国务院": 4, "国务院办公厅": 2, "办公室": 1}


def test_the_documents_api_pages_and_filters_like_the_search(client):
    first = api(client, "/api/documents", limit=3)
    second = api(client, "/api/documents", limit=3, page=3)
    assert (first["total"], first["pages"], len(first["documents"])) == (7, 3, 3)
    assert len(second["documents"]) == 1 and second["documents"][0]["id"] == SEED_DOC
    assert {d["id"] for d in api(client, "/api/documents", year=2018, type="意见")["documents"]} \
        == {"国办发〔2018〕129号"}
    response = client.get("/api/documents", query_string={"type": "公告"})
    assert response.status_code == 400
    assert "no document of type '公告'" in response.get_json()["error"]


def test_one_documents_api_gives_its_metadata_and_passages(client):
    document = api(client, f"/api/documents/{urllib.parse.quote(PATENT_LAW)}")
    assert (document["office"], document["number"], document["doc_type"]) == \
        ("国务院", "国令第706号", "行政法规")
    first = document["passages"][0]
    assert set(first) == {"id", "key", "path", "heading", "url"}
    assert first["id"] == f"{PATENT_LAW}/{first['key']}"
    assert any(p["key"] == "第十三条" for p in document["passages"])
    assert client.get("/api/documents/nope").status_code == 404


def test_home_and_header_link_the_library(client):
    assert "/docs" in html(client, "/").links
    assert "/docs" in html(client, "/?q=专利").links


def test_hits_sorted_by_date_still_name_the_words_they_matched(client):
    result = api(client, "/api/search", q="监管 收养", sort="date", limit=100)
    assert result["hits"][0]["doc_id"] == ADOPTION_NEW
    assert all(hit["matched"] and set(hit["matched"]) <= {"监管", "收养"} for hit in result["hits"])
    assert {"监管"} in [set(hit["matched"]) for hit in result["hits"]]


def test_filters_alone_list_the_passages_of_their_documents_in_reading_order(client):
    result = api(client, "/api/search", q="type:意见 year:2019", limit=100)
    assert hit_docs(result) == {OPINION} and result["total"] == 16
    assert result["hits"][0]["id"] == f"{OPINION}/intro"


def test_versions_of_a_law_are_told_apart_by_date_in_facets_and_on_docs(client):
    found = html(client, "/?q=收养")
    assert "中国公民收养子女登记办法（2023-07-20）" in found.text
    assert "中国公民收养子女登记办法（2019-03-02）" in found.text
    assert "旧版本，现行版本 2023-07-20" in html(client, "/docs").text


@pytest.mark.parametrize("params", [
    {"title": "专" * 201}, {"office": "<script>alert(1)</script>"},
    {"type": "\x00"}, {"doc": "../../etc/passwd"},
])
def test_hostile_filter_values_get_a_clear_400_and_are_escaped(client, params):
    response = client.get("/", query_string={"q": "专利", **params})
    assert response.status_code == 400
    assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get("/api/documents", query_string=params).status_code == 400


@pytest.mark.parametrize("page_url, twin", [
    ("/?q=监管&office=国务院办公厅&sort=date", "/api/search?q=监管&office=国务院办公厅&sort=date"),
    ("/docs?type=意见", "/api/documents?type=意见"),
])
def test_the_page_links_its_json_twin_with_the_same_parameters(client, page_url, twin):
    found = html(client, page_url)
    assert twin in [urllib.parse.unquote(link) for link in found.links]


def test_no_hits_under_filters_says_so_and_offers_the_other_values(client):
    found = html(client, "/?q=收养&year=2018")
    assert "在所选的筛选条件下，没有找到与“收养”相关的段落" in found.text
    years = [link for link in found.links if "year=2023" in link]
    assert years  # the year facet still offers the years that have hits
    assert "/?q=" + urllib.parse.quote("收养") in found.links  # 去掉所有筛选条件
    assert "没有找到文件" in html(client, "/?q=year:2030").text


def test_a_page_past_the_last_document_says_how_many_pages_there_are(client):
    assert "共 7 份文件，只有 1 页。" in html(client, "/docs?page=9").text


FILTER_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(
    ["国务院", "国务院办公厅", "通知", "2018", "2019-02-30", "2018-13", "0000", "九", "三", "date",
     "title", "<b>", "国发〔2019〕5号"]))


@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=30), office=FILTER_TEXT, year=FILTER_TEXT, after=FILTER_TEXT,
       before=FILTER_TEXT, kind=FILTER_TEXT, title=FILTER_TEXT, sort=FILTER_TEXT)
def test_no_filter_value_gives_a_server_error(client, q, office, year, after, before, kind, title,
                                              sort):
    params = {"q": q, "office": office, "year": year, "after": after, "before": before,
              "type": kind, "title": title, "sort": sort}
    for path in ("/", "/api/search", "/docs", "/api/documents"):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (path, params, response.status_code)
        if not path.startswith("/api/"):  # JSON carries the value as typed; pages escape it
            assert "<b>" not in response.get_data(as_text=True).replace("<body", "")


def test_a_facet_lists_its_largest_values_and_always_the_chosen_one():
    from search.filters import Filters
    from search.settings import FACET_VALUES
    # 30 documents of 30 offices, the Nth with N hits: a big library lists every office.
    catalogue = {f"d{n}": {"id": f"d{n}", "office": f"机关{n:02}", "date": f"{1990 + n}-01-01",
                           "doc_type": "通知"} for n in range(1, 31)}
    counts = {f"d{n}": n for n in range(1, 31)}
    listed = Filters().facets(catalogue, counts)
    assert list(listed["office"]) == [f"机关{n:02}" for n in range(30, 30 - FACET_VALUES, -1)]
    assert len(listed["doc"]) == FACET_VALUES and len(listed["year"]) == FACET_VALUES
    assert "2020" in listed["year"] and "1991" not in listed["year"]  # the newest years
    chosen = Filters.read({"office": "机关01"}).facets(catalogue, counts)["office"]
    assert len(chosen) == FACET_VALUES + 1 and chosen["机关01"] == 1
