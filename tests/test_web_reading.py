"""Reading on the page: citations, suggestions as you type, OpenSearch, the access log."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEED_DOC, SEEDS
from tests.test_web import Page, page
from web import create_app
from web.middleware import AccessLog

BASE = "https://policy.example"
TITLE = "关于印发天津市知识产权局2017年工作总结的通知"
CITATION = f"《{TITLE}》三、（二） {BASE}/p/{SEED_DOC}/3.2"
#: host ident user [day/Mon/year:hh:mm:ss zone] "request line" status bytes
COMMON_LOG = re.compile(r'^(\S+) - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] '
                        r'"([^"]*)" (\d{3}) (\d+|-)$')


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Flask:
    """The app over the seed corpus, with canonical links under a base URL of its own."""
    return create_app({"TESTING": True, "INDEX": seed_index, "SEEDS": SEEDS, "BASE_URL": BASE})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def suggestions(client: FlaskClient, typed: str) -> list:
    response = client.get("/api/suggest", query_string={"q": typed})
    assert response.status_code == 200
    assert response.mimetype == "application/x-suggestions+json"
    return json.loads(response.get_data(as_text=True))


# Citations


def test_search_hits_and_passages_carry_their_citation_under_the_base_url(client) -> None:
    hit = client.get("/api/search?q=智保贷").get_json()["hits"][0]
    assert hit["citation"] == CITATION
    passage = client.get(f"/api/passages/{SEED_DOC}/3.2").get_json()
    assert passage["citation"] == CITATION


def test_the_host_header_never_makes_the_citation(client) -> None:
    passage = client.get(f"/api/passages/{SEED_DOC}/3.2",
                         headers={"Host": "evil.example"}).get_json()
    assert "evil.example" not in passage["citation"]


def test_every_passage_on_every_page_can_be_cited_without_javascript(client) -> None:
    for url in ["/?q=智保贷", f"/p/{SEED_DOC}/3.2", f"/doc/{SEED_DOC}"]:
        found = page(client, url)
        assert CITATION in found.text, url  # readable and selectable in the page itself
        buttons = found.find("button", **{"data-copy-text": CITATION})
        assert buttons and "hidden" in buttons[0], url  # the button waits for JavaScript


def test_a_citation_is_escaped_like_any_text(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x.md").write_text("# <script>alert(1)</script>办法\n\n正文。\n", "utf-8")
    from search.index import build

    build(seeds, tmp_path / "index")
    test = create_app({"TESTING": True, "INDEX": tmp_path / "index", "SEEDS": seeds}).test_client()
    html = test.get("/p/x/p1").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "《&lt;script&gt;alert(1)&lt;/script&gt;办法》 http://127.0.0.1:8000/p/x/p1" in html


# Suggestions


@pytest.mark.parametrize(("typed", "expected", "kind"), [
    ("知识", "知识产权", "词语"),
    ("zbd", "智保贷", "词语"),  # initials
    ("zhibao", "智保贷", "词语"),  # the start of the pinyin
    ("天津市知识", TITLE, "标题"),  # a title that holds the typed words
    ("專利質", "专利质押", "词语"),  # Traditional script
])
def test_suggestions_complete_titles_and_terms(client, typed, expected, kind) -> None:
    typed_back, texts, kinds, urls = suggestions(client, typed)
    assert typed_back == typed
    assert expected in texts
    assert kinds[texts.index(expected)] == kind
    assert urls[texts.index(expected)] == f"{BASE}/?q={urllib.parse.quote(expected)}"


def test_a_second_word_is_completed_after_the_first(client) -> None:
    _, texts, _, _ = suggestions(client, "专利 质押融")
    assert "专利 质押融资" in texts and all(text.startswith("专利 ") for text in texts)


@pytest.mark.parametrize("typed", ["", "   ", "知" * 200, "<script>", "\x00\x01", "%%%", "zzzzzz",
                                   "OR", "\"", "()"])
def test_empty_garbage_and_long_input_get_a_short_answer(client, typed) -> None:
    typed_back, texts, kinds, urls = suggestions(client, typed)
    assert typed_back == typed and len(texts) == len(kinds) == len(urls) <= 8
    assert not any("<" in text for text in texts)


def test_a_huge_input_is_a_clear_error_not_work(client) -> None:
    response = client.get("/api/suggest", query_string={"q": "专" * 5000})
    assert response.status_code == 400
    assert "200" in response.get_json()["error"]


def test_suggestions_are_bounded_however_common_the_prefix(client) -> None:
    for typed in "知专天的一":
        assert len(suggestions(client, typed)[1]) <= 8


def test_the_search_box_offers_suggestions_without_needing_them(client) -> None:
    found = page(client, "/")
    form = found.find("form", role="search")[0]
    assert form["data-suggest"] == "/api/suggest"
    assert form["action"] == "/"  # without JavaScript the form still searches


def test_opensearch_advertises_the_suggestions_under_the_base_url(client) -> None:
    xml = client.get("/opensearch.xml").get_data(as_text=True)
    assert (f'<Url type="application/x-suggestions+json" method="get" '
            f'template="{BASE}/api/suggest?q={{searchTerms}}"/>') in xml


# The access log


def test_the_access_log_writes_one_common_log_line_per_request(app: Flask) -> None:
    stream = io.StringIO()
    logged = create_app({**app.config, "BASE_URL": BASE})
    logged.wsgi_app = AccessLog(logged.wsgi_app, stream)  # type: ignore[method-assign]
    test = logged.test_client()
    body = test.get("/?q=专利 质押", environ_base={"REMOTE_ADDR": "203.0.113.7"}).get_data()
    test.get("/p/nope/1")
    test.get("/api/suggest?q=%22%20x")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    first = COMMON_LOG.match(lines[0])
    assert first, lines[0]
    assert first.group(1) == "203.0.113.7"
    assert first.group(2) == "GET /?q=%E4%B8%93%E5%88%A9%20%E8%B4%A8%E6%8A%BC HTTP/1.1"
    assert (first.group(3), int(first.group(4))) == ("200", len(body))
    assert COMMON_LOG.match(lines[1]).group(3) == "404"
    # A quote typed into the query cannot end the request field early.
    assert COMMON_LOG.match(lines[2]).group(2) == "GET /api/suggest?q=%22%20x HTTP/1.1"


def test_the_access_log_ignores_a_forwarded_for_header(app: Flask) -> None:
    stream = io.StringIO()
    logged = create_app(dict(app.config))
    logged.wsgi_app = AccessLog(logged.wsgi_app, stream)  # type: ignore[method-assign]
    logged.test_client().get("/", headers={"X-Forwarded-For": "1.2.3.4"},
                             environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert stream.getvalue().startswith("127.0.0.1 - - [")


# Error pages


@pytest.mark.parametrize(("url", "status", "detail"), [
    ("/?q=" + "专" * 201, 400, "查询太长：共 201 个字，最多 200 个字。请缩短后重新搜索。"),
    ("/?q=%01", 400, "查询中含有控制字符：请删除后重新搜索。"),
    ("/?q=专利&page=x", 400, "参数 page 须为从 1 开始的整数，而不是“x”。"),
    (f"/p/{SEED_DOC}/9.9", 404, f"没有编号为“{SEED_DOC}/9.9”的段落：请搜索它的内容找到它。"),
    ("/doc/nope", 404, "没有编号为“nope”的文件：请在首页查看收录的文件。"),
    (f"/doc/{SEED_DOC}?page=9", 404, f"文件“{SEED_DOC}”只有 1 页，没有第 9 页。"),
])
def test_error_pages_say_in_chinese_what_went_wrong_and_what_to_do(client, url, status,
                                                                   detail) -> None:
    found = page(client, url, status)
    assert detail in found.text
    assert not re.search(r"\b(?:no|not|must|query|characters|has)\b", found.text)  # no English


def test_the_api_keeps_its_english_messages(client) -> None:
    response = client.get(f"/api/passages/{SEED_DOC}/9.9")
    assert response.status_code == 404
    assert response.get_json() == {"error": f"no passage with id '{SEED_DOC}/9.9'"}
