"""End to end in a real browser: Debian's Chromium driven by Playwright, against `serve`.

The server is started as the README starts it, in a subprocess. Screenshots go to
artifacts/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import REPO, SEED_DOC, SEEDS, long_law
from web.views import DOCUMENT_PAGE

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
URL_LINE = re.compile(r"serving (http://\S+)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_url(server: subprocess.Popen, timeout: float = 120) -> str:
    """Read the server's stdout until it prints its URL; fail with its stderr if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([server.stdout], [], [], 0.5)
        if ready:
            line = server.stdout.readline()
            if match := URL_LINE.search(line):
                return match.group(1)
            if not line and server.poll() is not None:
                break
    server.kill()
    pytest.fail(f"the server did not print its URL: {server.stderr.read()}")


def _access_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "access.log"


@contextlib.contextmanager
def serving(seeds: Path, index: Path, *options: str) -> Iterator[str]:
    """Run `python -m search serve` over ``seeds`` as the README starts it; yield its URL."""
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(index), "POLICY_SEARCH_SEEDS": str(seeds)}
    command = [sys.executable, "-m", "search", "serve", "--port", str(_free_port()), *options]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env, cwd=REPO)
    try:
        yield _wait_for_url(server)
    finally:
        server.terminate()
        server.communicate(timeout=15)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of `python -m search serve` over a fresh index of the repo's seeds."""
    with serving(SEEDS, tmp_path_factory.mktemp("index"), "--access-log",
                 str(_access_log(tmp_path_factory))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium; a missing browser fails the tests (CI installs it)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    yield opened
    opened.close()


@pytest.fixture()
def page(context: BrowserContext) -> Iterator[Page]:
    """A desktop page that fails the test on any CSP violation or script error."""
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("console", lambda message: problems.append(message.text)
              if "Content Security Policy" in message.text else None)
    yield opened
    assert problems == []


def shoot(page: Page, name: str, full_page: bool = False) -> None:
    """Save a screenshot for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def search(page: Page, base_url: str, query: str) -> None:
    """Type a query into the home page's box and press Enter, as a person does."""
    page.goto(base_url)
    box = page.locator('input[name="q"]')
    expect(box).to_be_focused()  # autofocus: typing starts at once
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))


def test_type_a_query_and_see_highlighted_results(page: Page, base_url: str) -> None:
    page.goto(base_url)
    shoot(page, "home")
    search(page, base_url, "专利质押")
    expect(page.locator(".stats")).to_contain_text("条结果")
    expect(page.locator(".stats")).to_contain_text("毫秒")
    first = page.locator("article.hit").first
    expect(first.locator("mark").first).to_have_text("专利质押")
    expect(first.locator(".crumbs")).to_contain_text("三、服务实体经济发展取得新成效")
    expect(first.locator("a.permalink")).to_have_text(f"/p/{SEED_DOC}/3.2")
    # The highlight is visible: a background colour, not just a tag.
    background = first.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shoot(page, "results")


def test_open_a_permalink_then_the_passage_in_its_document(page: Page, base_url: str) -> None:
    search(page, base_url, "质押")
    page.locator("article.hit h2 a").first.click()
    page.wait_for_url(re.compile(rf"/p/{SEED_DOC}/3\.2\?q="))
    expect(page.locator("h1")).to_have_text("(二)深化知识产权金融创新")
    expect(page.locator(".passage-text mark").first).to_have_text("质押")
    assert page.locator(".passage-text mark").count() >= 5
    expect(page).to_have_title(re.compile("深化知识产权金融创新"))
    expect(page.locator("a[rel=next]")).to_contain_text("下一段")
    shoot(page, "passage")

    page.get_by_role("link", name="在全文中查看").click()
    page.wait_for_url(re.compile(rf"/doc/{SEED_DOC}\?q=.*#3\.2$"))
    target = page.locator("section.passage:target")
    expect(target).to_have_attribute("id", "3.2")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark").first).to_have_text("质押")
    background = "s => getComputedStyle(s).backgroundColor"
    marked = target.evaluate(background)
    plain = page.locator("section.passage").first.evaluate(background)
    assert marked != plain  # the passage the link points at stands out
    expect(page.locator("nav.toc")).to_contain_text("目录")
    shoot(page, "document-at-anchor")


def test_neighbours_walk_through_the_document(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}p/{SEED_DOC}/3.2")
    page.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(rf"/p/{SEED_DOC}/3\.3"))
    page.locator("a[rel=prev]").click()
    page.wait_for_url(re.compile(rf"/p/{SEED_DOC}/3\.2"))


def test_filter_by_a_chapter_facet(page: Page, base_url: str) -> None:
    search(page, base_url, "知识产权")
    # Chapters are a document's: the chapter facet appears once the document is chosen.
    expect(page.locator(".facet-section")).to_have_count(0)
    page.locator(".facet-doc a").first.click()
    page.wait_for_url(re.compile(r"doc="))
    page.locator(".facets a", has_text="三、服务实体经济发展取得新成效").click()
    page.wait_for_url(re.compile(r"section=3"))
    links = page.locator("article.hit a.permalink").all_inner_texts()
    assert len(links) == 4 and all(link.startswith(f"/p/{SEED_DOC}/3") for link in links)
    expect(page.locator(".facet-section a.active")).to_contain_text("三、服务实体经济发展取得新成效")
    expect(page.locator(".filters")).to_contain_text("三、服务实体经济发展取得新成效")
    shoot(page, "results-filtered")
    page.locator(".filters a.chip", has_text="章节").click()  # the chip takes it off again
    expect(page.locator("article.hit")).to_have_count(10)


def test_page_forward_through_many_hits(page: Page, base_url: str) -> None:
    search(page, base_url, "知识产权")
    first = page.locator("article.hit a.permalink").all_inner_texts()
    assert len(first) == 10
    page.get_by_role("link", name="下一页 ›").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator(".pagination .current")).to_have_text("2")
    expect(page.locator(".stats")).to_contain_text("第 11–20 条")
    second = page.locator("article.hit a.permalink").all_inner_texts()
    assert len(second) == 10 and not set(first) & set(second)
    shoot(page, "results-page-2", full_page=True)


def test_copy_link_puts_the_absolute_permalink_on_the_clipboard(
        context: BrowserContext, page: Page, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    search(page, base_url, "专利质押")
    button = page.locator("article.hit button.copy").first
    button.click()
    expect(button).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}p/{SEED_DOC}/3.2"


def test_slash_key_focuses_the_search_box(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}p/{SEED_DOC}/3.2")
    box = page.locator('input[name="q"]')
    expect(box).not_to_be_focused()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the slash itself is not typed


def test_unknown_passage_gets_a_404_page_with_a_search_box(page: Page, base_url: str) -> None:
    response = page.goto(f"{base_url}p/{SEED_DOC}/99")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("找不到这个页面")
    page.locator('input[name="q"]').fill("特色小镇")
    shoot(page, "not-found")
    page.locator('input[name="q"]').press("Enter")
    expect(page.locator("article.hit mark").first).to_have_text("特色小镇")


def test_usable_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}?q=专利质押")
        expect(page.locator("article.hit a.permalink").first).to_be_visible()
        expect(page.locator("button.copy").first).to_be_hidden()  # nothing that cannot work
        cite = page.locator("article.hit details.cite").first
        cite.locator("summary").click()  # the citation unfolds, to select and copy by hand
        expect(cite.locator(".cite-text")).to_contain_text(f"三、（二） {base_url}p/{SEED_DOC}/3.2")
        page.locator("article.hit h2 a").first.click()
        expect(page.locator(".passage-text mark").first).to_have_text("专利质押")
        expect(page.locator(".cite-box .cite-text")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("name, path", [
    ("home", ""), ("results", "?q=知识产权"), ("passage", f"p/{SEED_DOC}/3.2?q=质押"),
    ("document", f"doc/{SEED_DOC}?q=质押#3.2"), ("not-found", "doc/nope"),
])
def test_phone_width_pages_fit_the_screen(browser: Browser, base_url: str, name: str,
                                          path: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"
        expect(page.locator('input[name="q"]')).to_be_visible()
        shoot(page, f"phone-{name}")
    finally:
        context.close()


def test_chinese_text_uses_a_cjk_font(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}p/{SEED_DOC}/3.2")
    family = page.locator(".passage-text").evaluate("e => getComputedStyle(e).fontFamily")
    assert "Noto Sans CJK SC" in family and "PingFang SC" in family


def test_copy_a_citation(context: BrowserContext, page: Page, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    search(page, base_url, "智保贷")
    expect(page.locator("article.hit details.cite").first).to_be_hidden()  # the button instead
    button = page.locator("article.hit").first.locator("button[data-copy-text]")
    expect(button).to_have_text("复制引用")
    button.click()
    expect(button).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"《关于印发天津市知识产权局2017年工作总结的通知》三、（二） {base_url}p/{SEED_DOC}/3.2")


def test_pick_a_suggestion_with_the_keyboard(page: Page, base_url: str) -> None:
    page.goto(base_url)
    box = page.locator('input[name="q"]')
    box.press_sequentially("知识产")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    shoot(page, "suggestions")
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = page.locator('[role="option"][aria-selected="true"] .label').inner_text()
    expect(box).to_have_attribute("aria-activedescendant", re.compile("-1$"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    box.press("ArrowDown")  # opens the list again
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))
    expect(box).to_have_value(chosen)
    expect(page.locator("article.hit").first).to_be_visible()
    box.fill("")
    box.press_sequentially("专利")  # the masthead box of the results page suggests too
    expect(page.get_by_role("listbox")).to_be_visible()
    shoot(page, "results-suggestions")


def test_suggestions_on_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base_url}?q=专利")
    box = page.locator('input[name="q"]')
    box.fill("")
    box.press_sequentially("质押")
    expect(page.get_by_role("listbox")).to_be_visible()
    shoot(page, "suggestions-phone")
    context.close()


def test_serve_logs_each_request(page: Page, base_url: str,
                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    page.goto(f"{base_url}?q=质押")
    lines = _access_log(tmp_path_factory).read_text(encoding="utf-8").splitlines()
    assert any('"GET /?q=%E8%B4%A8%E6%8A%BC HTTP/1.1" 200 ' in line for line in lines)
    assert any('"GET /static/app.js HTTP/1.1" 200 ' in line for line in lines)


@pytest.fixture(scope="module")
def long_law_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`serve` over a law of 3,000 articles; yields the URL of its document page."""
    seeds = tmp_path_factory.mktemp("long-seeds")
    (seeds / "长法典.md").write_text(long_law(3000), encoding="utf-8")
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(tmp_path_factory.mktemp("long-index")),
           "POLICY_SEARCH_SEEDS": str(seeds)}
    command = [sys.executable, "-m", "search", "serve", "--port", str(_free_port()),
               "--access-log", os.devnull]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env, cwd=REPO)
    try:
        yield _wait_for_url(server) + "doc/%E9%95%BF%E6%B3%95%E5%85%B8"
    finally:
        server.terminate()
        server.communicate(timeout=15)


def test_open_a_document_of_thousands_of_articles(page: Page, long_law_url: str) -> None:
    page.goto(long_law_url)
    expect(page.locator("h1")).to_have_text("中华人民共和国长法典")
    expect(page.locator("section.passage")).to_have_count(200)
    shoot(page, "document-long")
    toc = page.locator("nav.toc")
    # The fourth part is folded: open it, then go to a section on another page.
    part = toc.locator("ol details", has_text="第四编 第4编的事项")
    part.locator(":scope > summary").click(position={"x": 2, "y": 2})
    link = part.get_by_role("link", name="第二节 第34节的事项")
    link.click()
    page.wait_for_url(re.compile(r"page=10#"))
    target = page.locator("section.passage:target")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("第二节 第34节的事项")
    expect(target).to_contain_text("第一千九百八十一条")
    shoot(page, "document-long-target")


def test_an_anchor_on_another_page_of_a_long_document_opens_that_page_at_it(
        page: Page, long_law_url: str) -> None:
    # An old link (or one typed by hand) names the article only: /doc/<id>#第二千五百条.
    key = "第二千五百条"
    page.goto(f"{long_law_url}#{key}")
    page.wait_for_url(re.compile(r"\?page=\d+#"))
    keys = page.request.get(long_law_url.replace("/doc/", "/api/documents/")).json()["passages"]
    number = [passage["key"] for passage in keys].index(key) // DOCUMENT_PAGE + 1
    assert number > 1  # really another page than the one the link opens
    # The address is the page's own, readable: no ?at= left, the article as it is written.
    document = urllib.parse.unquote(long_law_url)
    assert urllib.parse.unquote(page.url) == f"{document}?page={number}#{key}"
    target = page.locator("section.passage:target")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text(f"{key} 本条规定第2500项事务")


def test_a_document_of_thousands_of_articles_on_a_phone(browser: Browser, long_law_url: str
                                                        ) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(long_law_url + "?page=3")
    expect(page.locator("section.passage").first).to_contain_text("第四章 第4章的事项")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "document-long-phone")
    context.close()
