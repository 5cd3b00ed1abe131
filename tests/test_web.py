"""The web app through Flask's test client: pages, JSON API, errors, headers, safety."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from search import settings
from search.index import build
from tests.conftest import REPO, SEED_DOC, SEEDS, run_cli
from web import create_app
from web.searching import get_searcher
from web.security import CONTENT_SECURITY_POLICY

WEB = REPO / "web"


class Page(HTMLParser):
    """What a test looks at in an HTML page: marks, links, ids, forms, meta."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.text = ""  # every text node, in order
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag in ("mark", "title"):
            self._open.append(tag)
            if tag == "mark":
                self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        if "mark" in self._open:
            self.marks[-1] += data
        if "title" in self._open:
            self.title += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Return the attributes of every ``tag`` whose attributes include ``attrs``."""
        return [found for name, found in self.tags
                if name == tag and all(found.get(k) == v for k, v in attrs.items())]

    def meta(self, name: str) -> str | None:
        """Return the content of a <meta name=...> or <meta property=...>."""
        for found in self.find("meta"):
            if name in (found.get("name"), found.get("property")):
                return found.get("content")
        return None


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Flask:
    """The app over the seed corpus's index."""
    return create_app({"TESTING": True, "INDEX": seed_index, "SEEDS": SEEDS})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> Page:
    """Fetch an HTML page, check its status and type, and parse it."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def hit_links(found: Page) -> list[str]:
    """Return the permalinks of the hits on a results page, in rank order."""
    return [link["href"] or "" for link in found.find("a", **{"class": "permalink"})]


# The home page


def test_home_has_the_search_box_examples_and_the_corpus_at_a_glance(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    found = Page(html)
    assert '<html lang="zh-CN">' in html
    box = found.find("input", name="q")
    assert len(box) == 1 and "autofocus" in box[0] and box[0]["maxlength"] == "200"
    examples = [link for link in found.links if link.startswith("/?q=")]
    assert 3 <= len(examples) <= 6
    assert "/?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83" in examples  # 知识产权, the corpus's theme
    assert "31" in html and "段落" in html
    assert settings.document_url(SEED_DOC) in found.links


def test_every_example_query_finds_something(client: FlaskClient) -> None:
    for link in [link for link in page(client, "/").links if link.startswith("/?q=")]:
        assert hit_links(page(client, link)), link


def test_pages_load_css_and_js_from_static_only(client: FlaskClient) -> None:
    found = page(client, "/?q=专利质押")
    sources = [t.get("src") for _, t in found.tags if t.get("src")]
    sheets = [t["href"] for t in found.find("link", rel="stylesheet")]
    assert sources == ["/static/app.js"] and sheets == ["/static/style.css"]
    for asset in ["/static/app.js", "/static/style.css", "/static/favicon.svg"]:
        with client.get(asset) as response:  # static files stream: close them
            assert response.status_code == 200
    with client.get("/static/style.css") as response:
        css = response.get_data(as_text=True)
    assert "Noto Sans CJK SC" in css and "PingFang SC" in css
    assert "@import" not in css and "url(" not in css  # no web fonts, nothing fetched


# Searching


def test_results_show_total_time_breadcrumb_highlights_and_permalink(client: FlaskClient) -> None:
    html = client.get("/?q=专利质押").get_data(as_text=True)
    found = Page(html)
    assert re.search(r"共 <strong>\d+</strong> 条结果", html)
    assert re.search(r"用时 [\d.]+ 毫秒", html)
    assert found.title.startswith("专利质押")
    assert "专利质押" in found.marks
    assert hit_links(found)[0] == settings.permalink(f"{SEED_DOC}/3.2")
    assert "关于印发天津市知识产权局2017年工作总结的通知" in html
    assert "三、服务实体经济发展取得新成效" in html
    assert "(二)深化知识产权金融创新" in html
    copy = found.find("button", **{"class": "copy"})[0]
    assert copy["data-copy"] == "/p/tianjin-ip-2017/3.2" and "hidden" in copy
    # The title links to the permalink with the query, so the passage opens highlighted.
    assert "/p/tianjin-ip-2017/3.2?q=%E4%B8%93%E5%88%A9%E8%B4%A8%E6%8A%BC" in found.links


def test_pages_of_results_follow_each_other(client: FlaskClient) -> None:
    first = page(client, "/?q=知识产权")
    assert len(hit_links(first)) == 10
    assert "/?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83&page=2" in first.links
    second = page(client, "/?q=知识产权&page=2")
    third = page(client, "/?q=知识产权&page=3")
    everything = hit_links(first) + hit_links(second) + hit_links(third)
    assert len(everything) == len(set(everything)) == 30
    beyond = client.get("/?q=知识产权&page=4").get_data(as_text=True)
    assert "第 4 页没有结果" in beyond and "回到第 1 页" in beyond


def test_facets_count_by_document_then_by_its_chapters_and_filter(client: FlaskClient) -> None:
    found = page(client, "/?q=知识产权")
    assert "发文机关" in found.text and "文件" in found.text
    # Chapter 3 of one document is not chapter 3 of another: chapters once one is chosen.
    assert not any("section=" in link for link in found.links)
    by_doc = next(link for link in found.links if f"doc={SEED_DOC}" in link)
    chosen = page(client, by_doc)
    assert len(hit_links(chosen)) == 10 and "章节" in chosen.text
    chapter = next(link for link in chosen.links if "section=3" in link)
    assert "三、服务实体经济发展取得新成效" in chosen.text
    filtered = page(client, chapter)
    assert filtered.find("a", **{"class": "active", "aria-current": "true"})
    links = hit_links(filtered)
    assert len(links) == 4 and all(link.startswith("/p/tianjin-ip-2017/3") for link in links)


def test_relaxed_results_say_not_all_words_matched(client: FlaskClient) -> None:
    html = client.get("/?q=特色小镇 火箭").get_data(as_text=True)
    assert "未找到同时包含所有词的段落，以下结果仅包含部分词语" in html
    assert "特色小镇" in Page(html).marks


def test_zero_results_page_helps(client: FlaskClient) -> None:
    html = client.get("/?q=火箭发射").get_data(as_text=True)
    assert "没有找到与“火箭发射”相关的段落" in html
    assert "或者试试" in html and "/?q=" in html


def test_blank_query_shows_the_home_page(client: FlaskClient) -> None:
    assert "收录文件" in client.get("/?q=%20%20").get_data(as_text=True)


# The passage permalink


def test_passage_page_highlights_the_query_and_links_around(client: FlaskClient) -> None:
    found = page(client, "/p/tianjin-ip-2017/3.2?q=质押")
    assert found.marks and set(found.marks) == {"质押"}
    assert found.title == "(二)深化知识产权金融创新 - 关于印发天津市知识产权局2017年工作总结的通知"
    assert found.meta("description").startswith("(二)深化知识产权金融创新。突破传统的")
    assert found.meta("og:url") == f"{settings.DEFAULT_BASE_URL}/p/tianjin-ip-2017/3.2"
    assert found.meta("og:title") == found.title
    assert "/p/tianjin-ip-2017/3.1?q=%E8%B4%A8%E6%8A%BC" in found.links
    assert "/p/tianjin-ip-2017/3.3?q=%E8%B4%A8%E6%8A%BC" in found.links
    assert "/doc/tianjin-ip-2017?q=%E8%B4%A8%E6%8A%BC#3.2" in found.links
    html = client.get("/p/tianjin-ip-2017/3.2").get_data(as_text=True)
    assert "三、服务实体经济发展取得新成效" in html and "<mark>" not in html
    assert "上一段" in html and "下一段" in html and "在全文中查看" in html and "复制链接" in html


def test_first_and_last_passages_have_one_neighbour(client: FlaskClient) -> None:
    first = client.get(f"/p/{SEED_DOC}/notice").get_data(as_text=True)
    last = client.get(f"/p/{SEED_DOC}/7.3").get_data(as_text=True)
    assert "上一段" not in first and "下一段" in first
    assert "上一段" in last and "下一段" not in last


def test_every_hit_url_opens_its_passage(client: FlaskClient) -> None:
    result = client.get("/api/search?q=知识产权&limit=100").get_json()
    for hit in result["hits"]:
        assert client.get(hit["url"]).status_code == 200, hit["url"]


# The whole document


def test_document_has_contents_anchors_and_highlights(client: FlaskClient, searcher) -> None:
    found = page(client, f"/doc/{SEED_DOC}?q=质押")
    meta, passages = searcher.document(SEED_DOC)
    assert found.title.startswith(meta["title"])
    assert [p.key for p in passages] == [i for i in found.ids if i in meta["passages"]]
    assert "#3.2" in found.links and "#1.4" in found.links
    assert found.find("nav", **{"aria-label": "目录"})
    assert set(found.marks) == {"质押"}
    section = found.find("section", id="3.2")
    assert section and section[0]["class"] == "passage"
    assert "/p/tianjin-ip-2017/3.2?q=%E8%B4%A8%E6%8A%BC" in found.links


def test_document_without_query_marks_nothing(client: FlaskClient) -> None:
    html = client.get(f"/doc/{SEED_DOC}").get_data(as_text=True)
    assert "<mark>" not in html and "目录" in html


# Not found, bad requests, missing index


@pytest.mark.parametrize("url", ["/p/tianjin-ip-2017/9.9", "/p/nope", "/doc/nope", "/nowhere",
                                 "/p/", "/doc/tianjin-ip-2017/3.2"])
def test_unknown_pages_get_a_404_page_with_the_search_box(client: FlaskClient, url: str) -> None:
    found = page(client, url, status=404)
    assert "找不到这个页面" in found.title
    assert found.find("input", name="q")


@pytest.mark.parametrize("url", ["/api/passages/nope", "/api/passages/tianjin-ip-2017/9.9",
                                 "/api/nowhere"])
def test_unknown_api_paths_get_json_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize("query", [
    "长" * (settings.MAX_QUERY_LENGTH + 1),
    "专利\x00质押",
    "专利\x1b[31m",
    "-专利",
    "section:abc 专利",
])
def test_queries_that_cannot_run_get_400(client: FlaskClient, query: str) -> None:
    found = page(client, "/?" + _qs(q=query), status=400)
    assert found.find("input", name="q")
    response = client.get("/api/search?" + _qs(q=query))
    assert response.status_code == 400 and response.get_json()["error"]


@pytest.mark.parametrize("params", [
    {"q": ""}, {}, {"q": "专利", "limit": "abc"}, {"q": "专利", "limit": "0"},
    {"q": "专利", "limit": "-5"}, {"q": "专利", "page": "0"}, {"q": "专利", "page": "1.5"},
    {"q": "专利", "page": "99999999999999999999"}, {"q": "专利", "page": "²"},
    {"q": "专利", "section": "abc"}, {"q": "专利", "section": "0"}, {"q": "专利", "section": "²"},
])
def test_bad_api_parameters_get_json_400(client: FlaskClient, params: dict) -> None:
    response = client.get("/api/search?" + _qs(**params))
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert set(response.get_json()) == {"error"}


def test_bad_page_parameter_gets_a_400_page(client: FlaskClient) -> None:
    found = page(client, "/?q=专利&page=x", status=400)
    assert "查询有误" in found.title and "参数 page 须为从 1 开始的整数，而不是“x”" in found.text


def test_missing_index_gets_a_503_that_says_how_to_fix_it(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX": tmp_path / "none"}).test_client()
    response = client.get("/?q=专利")
    assert response.status_code == 503
    assert "policy-search index" in response.get_data(as_text=True)
    assert client.get("/").status_code == 503
    api = client.get("/api/search?q=专利")
    assert api.status_code == 503 and "policy-search index" in api.get_json()["error"]


def test_wrong_method_is_refused_cleanly(client: FlaskClient) -> None:
    assert client.post("/?q=专利").status_code == 405
    response = client.post("/api/search?q=专利")
    assert response.status_code == 405 and "error" in response.get_json()


# The JSON API


def _qs(**params: str) -> str:
    return urllib.parse.urlencode(params)


@pytest.mark.parametrize("args, params", [
    (["专利质押"], {"q": "专利质押"}),
    (["知识产权", "--limit", "5", "--page", "2"], {"q": "知识产权", "limit": "5", "page": "2"}),
    (["知识产权", "--section", "3"], {"q": "知识产权", "section": "3"}),
    (["特色小镇 火箭"], {"q": "特色小镇 火箭"}),
    (["火箭"], {"q": "火箭"}),
])
def test_api_search_returns_what_the_cli_prints(client: FlaskClient, seed_index: Path,
                                                args: list[str], params: dict) -> None:
    cli = run_cli("query", *args, "--json", index=seed_index)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    response = client.get("/api/search?" + _qs(**params))
    assert response.status_code == 200 and response.mimetype == "application/json"
    got = response.get_json()
    assert list(got) == list(expected)  # the same keys in the same order
    got.pop("took_ms"), expected.pop("took_ms")
    assert got == expected


def test_api_limit_defaults_to_10_and_is_capped(corpus) -> None:
    paragraphs = "\n".join(f"第{n}段讲政策的事情。" for n in range(1, settings.MAX_LIMIT + 21))
    _, root = corpus({"many.txt": f"很多段落的文件\n{paragraphs}\n"})
    client = create_app({"TESTING": True, "INDEX": root}).test_client()
    assert client.get("/api/search?q=政策").get_json()["total"] == settings.MAX_LIMIT + 20
    assert len(client.get("/api/search?q=政策").get_json()["hits"]) == settings.DEFAULT_LIMIT
    capped = client.get("/api/search?q=政策&limit=1000")
    assert capped.status_code == 200 and len(capped.get_json()["hits"]) == settings.MAX_LIMIT


def test_api_passage_returns_what_show_prints(client: FlaskClient, seed_index: Path) -> None:
    cli = run_cli("show", f"{SEED_DOC}/3.2", "--json", index=seed_index)
    response = client.get(f"/api/passages/{SEED_DOC}/3.2")
    assert response.status_code == 200
    assert response.get_json() == json.loads(cli.stdout)
    assert response.get_json()["previous"] == f"{SEED_DOC}/3.1"


def test_api_speaks_utf8_not_escapes(client: FlaskClient) -> None:
    assert "专利质押" in client.get("/api/search?q=专利质押").get_data(as_text=True)


# OpenSearch


def test_opensearch_description_lets_a_browser_add_the_search(client: FlaskClient) -> None:
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    body = response.get_data(as_text=True)
    assert f'template="{settings.DEFAULT_BASE_URL}/?q={{searchTerms}}"' in body
    assert "<ShortName>政策搜索</ShortName>" in body
    link = Page(client.get("/").get_data(as_text=True)).find(
        "link", rel="search", type="application/opensearchdescription+xml")
    assert link and link[0]["href"] == "/opensearch.xml"


# Headers and safety


@pytest.mark.parametrize("url", [
    "/", "/?q=专利", "/p/tianjin-ip-2017/3.2", f"/doc/{SEED_DOC}", "/opensearch.xml",
    "/api/search?q=专利", "/api/passages/tianjin-ip-2017/3.2", "/static/style.css",
    "/static/app.js", "/p/nope", "/api/passages/nope", "/?q=%00", "/api/search?q=",
    "/?q=a&page=x",
])
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    with client.get(url) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_policy_forbids_inline_code_and_framing() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_templates_have_no_safe_filter_inline_script_or_style() -> None:
    for template in (WEB / "templates").iterdir():
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), template.name
        assert "style=" not in text and "<style" not in text, template.name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name


def test_web_code_marks_nothing_safe_itself() -> None:
    for module in WEB.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "Markup" not in text and "|safe" not in text, module.name


HOSTILE_TITLE = '<script>alert("title")</script>测试通知'
HOSTILE_TEXT = ('一、总则\n(一)测试<script>alert(1)</script>脚本。'
                '图片<img src=x onerror=alert(2)>与"onerror=alert(3) 属性</p>。\n')


def test_a_hostile_document_is_rendered_inert(corpus) -> None:
    _, root = corpus({"hostile.txt": f"{HOSTILE_TITLE}\n来源: 办公室 (2020-01-02)\n{HOSTILE_TEXT}"})
    client = create_app({"TESTING": True, "INDEX": root}).test_client()
    passage_id = client.get("/api/search?q=测试").get_json()["hits"][0]["id"]
    for url in ["/", "/?q=测试", "/?q=onerror", f"/p/{passage_id}?q=测试", f"/p/{passage_id}",
                "/doc/hostile?q=测试", "/doc/hostile"]:
        html = client.get(url).get_data(as_text=True)
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], url
        assert "<img" not in html and '"onerror=' not in html, url
        assert "&lt;script&gt;" in html, url
    found = Page(client.get(f"/p/{passage_id}").get_data(as_text=True))
    assert found.title.startswith("(一)测试<script>")  # shown as text, never as markup


@pytest.mark.parametrize("query", ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>",
                                   "' onfocus='alert(1)"])
def test_what_a_user_types_is_shown_as_text(client: FlaskClient, query: str) -> None:
    for url in ["/?" + _qs(q=query), "/p/tianjin-ip-2017/3.2?" + _qs(q=query),
                f"/doc/{SEED_DOC}?" + _qs(q=query), "/p/nope?" + _qs(q=query)]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img" not in html and "onfocus='" not in html, url


@hypothesis_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), page_=st.text(max_size=6), limit=st.text(max_size=6),
       section=st.text(max_size=4), doc=st.text(max_size=12))
def test_nothing_typed_gives_a_server_error(app: Flask, q: str, page_: str, limit: str,
                                            section: str, doc: str) -> None:
    client = app.test_client()
    params = _qs(q=q, page=page_, limit=limit, section=section, doc=doc)
    for url in ["/?" + params, "/api/search?" + params, "/p/" + urllib.parse.quote(q or "x"),
                "/doc/" + urllib.parse.quote(doc or "x", safe="") + "?" + _qs(q=q)]:
        response = client.get(url)
        # 308: Werkzeug folds "/doc//x" into "/doc/x".
        assert response.status_code in (200, 308, 400, 404), (url, response.status_code)


# Per-request searcher, live index


def test_a_searcher_is_opened_per_request_and_closed_after(app: Flask) -> None:
    with app.test_request_context("/?q=专利"):
        searcher = get_searcher()
        assert get_searcher() is searcher
    assert searcher._searcher.is_closed  # whoosh's own flag: the files are released


def test_the_index_is_opened_once_not_per_request(app: Flask) -> None:
    client = app.test_client()
    client.get("/?q=专利")
    live = app.extensions["policy_search"]
    opened = live.current()
    client.get("/?q=质押")
    client.get(f"/doc/{SEED_DOC}")
    assert live.current() is opened


def test_a_rebuilt_index_is_used_without_a_restart(corpus) -> None:
    seeds, root = corpus({"notice.txt": "第一份通知\n本文讲专利质押。\n"})
    client = create_app({"TESTING": True, "INDEX": root, "SEEDS": seeds}).test_client()
    assert client.get("/api/search?q=专利质押").get_json()["total"] == 1
    assert client.get("/api/search?q=火箭发射").get_json()["total"] == 0
    (seeds / "notice.txt").write_text("第一份通知\n本文讲火箭发射。\n", encoding="utf-8")
    _build_again(seeds, root)
    assert client.get("/api/search?q=火箭发射").get_json()["total"] == 1
    assert client.get("/api/search?q=专利质押").get_json()["total"] == 0
    assert "火箭发射" in client.get("/doc/notice").get_data(as_text=True)


def test_a_server_thread_keeps_one_reader_and_no_thread_shares_it(seed_index: Path) -> None:
    """Opening whoosh's readers per request was a sixth of a request's time; a reader is
    kept per thread (they are not safe to share) and per build."""
    app = create_app({"TESTING": True, "INDEX": seed_index, "SEEDS": SEEDS})

    def reader_of_a_request() -> object:
        with app.test_request_context("/api/search?q=专利"):
            searcher = get_searcher()
            assert searcher.search("专利").total > 0
            return searcher._searcher.reader()

    first = reader_of_a_request()
    assert reader_of_a_request() is first
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(reader_of_a_request()))
    thread.start()
    thread.join()
    assert other and other[0] is not first


def _build_again(seeds: Path, root: Path) -> None:
    """Rebuild the index; builds are named by the second, so wait for the next one."""
    started = int(time.time())
    while int(time.time()) == started:
        time.sleep(0.05)
    build(seeds, root)


# The server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_prints_the_url_and_serves_with_waitress(seed_index: Path) -> None:
    port = _free_port()
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(seed_index), "POLICY_SEARCH_SEEDS": str(SEEDS)}
    server = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        assert line.strip() == f"policy-search: serving {url} (Ctrl+C to stop)"
        with urllib.request.urlopen(url + "?" + _qs(q="专利质押"), timeout=10) as response:
            assert response.headers["Server"] == "policy-search"  # waitress, not Werkzeug
            assert "专利质押" in response.read().decode()
    finally:
        server.terminate()
        server.communicate(timeout=10)
