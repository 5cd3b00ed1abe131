"""The document page's contents: 编 / 章 / 节 or 一、/（一）, nested, linked across pages."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.index import build
from tests.conftest import SEED_DOC, long_law
from tests.test_web import Page, page
from web import create_app

LAW = "/doc/" + urllib.parse.quote("长法典")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, seed_index: Path) -> FlaskClient:
    """The app over the seed document and a law of 3,000 articles."""
    root = tmp_path_factory.mktemp("contents")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "长法典.md").write_text(long_law(3000), encoding="utf-8")
    (seeds / f"{SEED_DOC}.txt").write_bytes((Path(__file__).parent.parent / "seeds" /
                                             f"{SEED_DOC}.txt").read_bytes())
    assert build(seeds, root / "index").errors == []
    return create_app({"TESTING": True, "INDEX": root / "index", "SEEDS": seeds}).test_client()


def toc_links(found: Page) -> list[tuple[str, str]]:
    """Return (label, href) of each link of the contents, in order."""
    html_links = []
    inside = False
    for tag, attrs in found.tags:
        if tag == "nav" and attrs.get("class") == "toc":
            inside = True
        elif tag == "div" and attrs.get("class") == "doc-body":
            inside = False
        elif inside and tag == "a":
            html_links.append(attrs["href"] or "")
    return html_links


def test_a_law_has_contents_of_its_parts_chapters_and_sections_not_its_articles(client) -> None:
    html = client.get(LAW).get_data(as_text=True)
    toc = html[html.index('<nav class="toc"'):html.index('<div class="doc-body">')]
    assert toc.count("<li") == 5 + 25 + 50
    assert "第一编 第1编的事项" in toc and "第二十五章 第25章的事项" in toc
    assert "第一条" not in toc.replace("#%E7%AC%AC%E4%B8%80%E6%9D%A1", "")  # no article entries
    # Long: each part folds, and the part that holds this page is open.
    assert toc.count("<details open><summary><a") == 1


def test_every_contents_link_lands_on_the_page_that_holds_it(client) -> None:
    found = page(client, f"{LAW}?page=8")
    links = toc_links(found)
    assert len(links) == 80
    assert any("page=" not in link for link in links) and any("page=15" in link for link in links)
    for link in links:
        target, _, anchor = link.partition("#")
        landed = page(client, target or f"{LAW}?page=8")
        assert urllib.parse.unquote(anchor) in landed.ids, link


def test_a_page_opens_with_the_headings_it_is_under(client) -> None:
    found = page(client, f"{LAW}?page=2")  # articles 201-400: inside 第一编, 第二章 has begun
    text = found.text
    assert text.index("第一编 第1编的事项") < text.index("第四章 第4章的事项") < text.index("第二百零一条")


def test_a_notice_has_contents_of_its_sections_and_subsections(client) -> None:
    html = client.get(f"/doc/{SEED_DOC}").get_data(as_text=True)
    toc = html[html.index('<nav class="toc"'):html.index('<div class="doc-body">')]
    assert toc.index("三、服务实体经济发展取得新成效") < toc.index("(二)深化知识产权金融创新")
    assert '<a href="#3.2">(二)深化知识产权金融创新</a>' in toc
    assert "<details open><summary>" not in toc  # short: nothing folded


def test_a_long_document_page_is_one_page_of_passages(client) -> None:
    found = page(client, f"{LAW}?page=15")
    assert len(found.find("section", **{"class": "passage"})) == 200
    assert page(client, f"{LAW}?page=15&q=办理").marks
