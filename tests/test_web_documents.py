"""Real documents on the page: readable Chinese links, metadata, versions, article aliases."""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.index import build
from tests.test_web import Page, hit_links, page
from web import create_app

FIXTURES = Path(__file__).parent / "fixtures"
ADOPTION = FIXTURES / "relevance/seeds/laws/行政法规"
OLD, NEW = "中国公民收养子女登记办法(2019-03-02).md", "中国公民收养子女登记办法(2023-07-20).md"
OPINION = FIXTURES / "html/01_国发〔2019〕5号.html"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> FlaskClient:
    root = tmp_path_factory.mktemp("documents")
    seeds = root / "seeds"
    (seeds / "行政法规").mkdir(parents=True)
    for name in (OLD, NEW):
        shutil.copy(ADOPTION / name, seeds / "行政法规" / name)
    shutil.copy(OPINION, seeds / OPINION.name)
    report = build(seeds, root / "index")
    assert report.errors == []
    return create_app({"TESTING": True, "INDEX": root / "index", "SEEDS": seeds}).test_client()


def test_links_percent_encode_the_chinese_and_open_the_passage(client):
    found = page(client, "/?q=收养登记")
    links = hit_links(found)
    assert links and all(link.isascii() for link in links)
    decoded = urllib.parse.unquote(links[0])
    assert decoded.startswith("/p/中国公民收养子女登记办法-")
    assert decoded in found.text  # the link text reads as Chinese
    assert page(client, links[0]).title.startswith("第")


def test_a_hit_shows_its_office_number_date_and_type(client):
    found = page(client, "/?q=双随机")
    assert "国务院" in found.text and "国发〔2019〕5号" in found.text
    assert "2019-01-27" in found.text and "意见" in found.text


def test_the_document_page_shows_its_metadata(client):
    found = page(client, "/doc/" + urllib.parse.quote("国发〔2019〕5号"))
    assert found.title.startswith("国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见")
    for label, value in [("发文机关", "国务院"), ("发文字号", "国发〔2019〕5号"),
                         ("成文日期", "2019-01-27"), ("发布日期", "2019-02-15"), ("文种", "意见"),
                         ("主题分类", "市场监管、安全生产监管")]:
        assert f"{label}{value}" in found.text.replace("\n", "").replace(" ", "")


def test_versions_of_a_law_link_each_other_newest_first(client):
    old_id, new_id = "中国公民收养子女登记办法-2019-03-02", "中国公民收养子女登记办法-2023-07-20"
    found = page(client, "/doc/" + urllib.parse.quote(old_id))
    assert "/doc/" + urllib.parse.quote(new_id) in found.links
    text = found.text.replace("\n", "")
    assert text.index("2023-07-20") < text.index("2019-03-02（本版）")
    assert "2023-07-20（本版）" in page(client, "/doc/" + urllib.parse.quote(new_id)).text


@pytest.mark.parametrize("typed", ["a3", "3", "第3条"])
def test_an_article_typed_by_its_number_redirects_to_its_permalink(client, typed):
    doc_id = "中国公民收养子女登记办法-2023-07-20"
    response = client.get(f"/p/{doc_id}/{typed}?q=登记")
    assert response.status_code == 301
    assert urllib.parse.unquote(response.headers["Location"]) == f"/p/{doc_id}/第三条?q=登记"
    api = client.get(f"/api/passages/{doc_id}/{typed}").get_json()
    assert api["id"] == f"{doc_id}/第三条"


def test_an_unknown_article_is_still_a_404(client):
    assert client.get("/p/中国公民收养子女登记办法-2023-07-20/a999").status_code == 404


def test_when_two_versions_match_alike_the_current_one_ranks_first(client):
    hits = client.get("/api/search?q=" + urllib.parse.quote("收养登记 办理")).get_json()["hits"]
    pairs = [(hit["doc_id"], hit["current_version"]) for hit in hits]
    old_id, new_id = "中国公民收养子女登记办法-2019-03-02", "中国公民收养子女登记办法-2023-07-20"
    assert (new_id, None) in pairs and (old_id, new_id) in pairs
    # Articles the two versions word alike score alike; the current one comes first.
    first = {}
    for rank, hit in enumerate(hits):
        first.setdefault((hit["heading"], round(hit["score"], 6)), []).append(hit["doc_id"])
    ties = [ids for ids in first.values() if len(ids) == 2]
    assert ties and all(ids == [new_id, old_id] for ids in ties)
