"""The policy library in a real browser: facets, chips, sort by date and /docs, on desktop and
phone, against `serve` over the seven-document library (tests/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import copy_library
from tests.test_browser import DESKTOP, PHONE, browser, serving, shoot  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def library_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of `python -m search serve` over the library."""
    root = tmp_path_factory.mktemp("library-serve")
    with serving(copy_library(root / "seeds"), root / "index") as url:
        yield url


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser: Browser) -> Iterator[Page]:  # noqa: F811
    """A page at desktop or phone width that fails the test on a script error."""
    phone = request.param == "phone"
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="zh-CN",
                                  device_scale_factor=2 if phone else 1, is_mobile=phone,
                                  has_touch=phone)
    opened = context.new_page()
    opened.width_name = request.param  # type: ignore[attr-defined]
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    yield opened
    overflow = opened.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert problems == []
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_filter_by_office_and_year_from_the_facets_then_remove_a_chip(page: Page,
                                                                       library_url: str) -> None:
    page.goto(f"{library_url}?q=监管")
    expect(page.locator(".stats")).to_contain_text("共 24 条结果")
    page.locator(".facet-office a", has_text="国务院办公厅").click()
    page.wait_for_url(re.compile(r"office="))
    expect(page.locator(".stats")).to_contain_text("共 10 条结果")
    page.locator(".facet-year a", has_text="2018年").click()
    page.wait_for_url(re.compile(r"year=2018"))
    chips = page.locator(".filters a.chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text("发文机关：国务院办公厅")
    expect(page.locator(".facet-office a.active")).to_contain_text("国务院办公厅")
    offices = page.locator("article.hit .hit-meta").all_inner_texts()
    assert offices and all(text.startswith("国务院办公厅") for text in offices)
    width = page.width_name  # type: ignore[attr-defined]
    shoot(page, f"{width}-results-office-year", full_page=True)
    chips.filter(has_text="发文机关").click()
    page.wait_for_url(lambda url: "office=" not in url and "year=2018" in url)
    expect(page.locator(".filters a.chip")).to_have_count(1)
    expect(page.locator(".stats")).to_contain_text("共 11 条结果")


def test_sort_by_date_puts_the_newest_first(page: Page, library_url: str) -> None:
    page.goto(f"{library_url}?q=监管 OR 收养")
    page.get_by_role("link", name="日期（最新在前）").click()
    page.wait_for_url(re.compile(r"sort=date"))
    expect(page.locator(".sort .current")).to_have_text("日期（最新在前）")
    expect(page.locator("article.hit .hit-meta").first).to_contain_text("2023-07-20")
    shoot(page, f"{page.width_name}-results-by-date")  # type: ignore[attr-defined]


def test_an_unknown_type_is_explained_on_the_page(page: Page, library_url: str) -> None:
    page.goto(f"{library_url}?q=专利 type:公告")
    expect(page.locator("h1")).to_have_text("筛选条件有误")
    expect(page.locator(".error-page")).to_contain_text("没有文种为“公告”的文件")
    page.get_by_role("link", name="在文件库中查看").click()
    page.wait_for_url(re.compile(r"/docs$"))


def test_browse_the_library_filter_sort_and_open_a_document(page: Page,
                                                             library_url: str) -> None:
    page.goto(library_url)
    page.locator(".masthead-nav a", has_text="文件库").click()
    page.wait_for_url(re.compile(r"/docs$"))
    expect(page.locator(".stats")).to_contain_text("共 7 份文件")
    expect(page.locator("a.doc-title").first).to_have_text("中国公民收养子女登记办法")
    shoot(page, f"{page.width_name}-docs", full_page=True)  # type: ignore[attr-defined]
    page.locator(".facet-type a", has_text="行政法规").click()
    page.wait_for_url(re.compile(r"type="))
    expect(page.locator(".stats")).to_contain_text("共 3 份文件")
    page.get_by_role("link", name="标题").click()
    page.wait_for_url(re.compile(r"sort=title"))
    titles = page.locator("a.doc-title").all_inner_texts()
    assert titles == sorted(titles) and len(titles) == 3
    shoot(page, f"{page.width_name}-docs-filtered")  # type: ignore[attr-defined]
    page.locator("a.doc-title", has_text="专利代理条例").click()
    page.wait_for_url(re.compile(r"/doc/"))
    expect(page.locator("h1")).to_contain_text("专利代理条例")
