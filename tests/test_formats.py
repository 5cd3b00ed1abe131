"""Pages saved from a government site (HTML, Markdown) -> title, paragraphs and passages."""

from __future__ import annotations

import pytest

from pathlib import Path

from search.documents import Block, Extract, html, markdown, parse_document, read_corpus

GOV_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8"><title>关于印发专利质押融资工作方案的通知_天津市知识产权局</title>
<style>p { color: red }</style>
<script>var tracker = "统计脚本专利";</script>
</head><body>
<header><div class="logo">天津市知识产权局门户网站</div></header>
<nav><a href="/">首页</a> <a href="/xwdt">新闻动态</a></nav>
<div class="breadcrumb">首页 &gt; 通知公告</div>
<div id="main-menu"><a>政务公开</a></div>
<div class="article">
  <h1>关于印发专利质押融资工作方案的通知</h1>
  <p>各区知识产权局:</p>
  <p>一、总体要求</p>
  <p>（一）扩大专利质押融资规模。全年贷款&amp;担保总额达到25.37亿元。<br>鼓励银行创新产品。</p>
  <p>（二）完善风险补偿。设立补偿资金。</p>
  <ul><li>附件一</li><li>附件二</li></ul>
</div>
<div class="share-toolbar">分享到：微信</div>
<aside>相关链接</aside>
<footer>版权所有 天津市知识产权局 津ICP备00000000号</footer>
<noscript>请开启脚本</noscript>
</body></html>
"""

CHROME_TEXTS = ["统计脚本", "color", "门户网站", "新闻动态", "首页", "政务公开", "分享到", "相关链接",
                "版权所有", "ICP", "请开启脚本"]


def _html(page: str) -> Extract:
    return html.read(page, Path("page.html"))


def test_html_title_comes_from_h1_over_title():
    assert _html(GOV_PAGE).title == "关于印发专利质押融资工作方案的通知"


def test_html_title_falls_back_to_the_title_element():
    extract = _html("<title> 仅有标题_中国政府网 </title><p>正文一段。</p>")
    assert (extract.title, [b.text for b in extract.blocks]) == ("仅有标题", ["正文一段。"])


def test_html_text_keeps_the_article_as_paragraphs_with_entities_decoded():
    assert [b.text for b in _html(GOV_PAGE).blocks] == [
        "关于印发专利质押融资工作方案的通知",
        "各区知识产权局:",
        "一、总体要求",
        "（一）扩大专利质押融资规模。全年贷款&担保总额达到25.37亿元。",
        "鼓励银行创新产品。",
        "（二）完善风险补偿。设立补偿资金。",
        "附件一",
        "附件二",
    ]


@pytest.mark.parametrize("chrome", CHROME_TEXTS)
def test_html_navigation_header_footer_and_scripts_are_dropped(chrome):
    assert chrome in GOV_PAGE
    assert chrome not in "\n".join(b.text for b in _html(GOV_PAGE).blocks)


@pytest.mark.parametrize("page, paragraphs", [
    ("<p>甲<br/>乙</p>", ["甲", "乙"]),
    ("<div>甲<span>乙</span>丙</div>", ["甲乙丙"]),
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", ["<script>alert(1)</script>"]),
])
def test_html_block_elements_become_paragraphs(page, paragraphs):
    assert [b.text for b in _html(page).blocks] == paragraphs


GOV_MARKDOWN = """[首页](/) > [通知公告](/tzgg)

# 关于加强**商标**保护的通知

各有关单位：

## 一、总体要求

(一)加强[商标](https://example.gov.cn/sb)注册指导。提升注册便利度。

- (二)打击`侵权`行为。开展专项行动。
"""


def test_markdown_title_is_the_first_heading_and_markup_is_removed():
    extract = markdown.read(GOV_MARKDOWN, Path("page.md"))
    assert extract.title == "关于加强商标保护的通知"
    assert extract.blocks == [
        Block("首页 > 通知公告"),
        Block("各有关单位："),
        Block("一、总体要求", heading=2),
        Block("(一)加强商标注册指导。提升注册便利度。"),
        Block("(二)打击侵权行为。开展专项行动。"),
    ]


def test_an_html_seed_is_parsed_into_passages_without_chrome(tmp_path):
    path = tmp_path / "zhiya-2018.html"
    path.write_text(GOV_PAGE, encoding="utf-8")
    document = parse_document(path)
    assert document.title == "关于印发专利质押融资工作方案的通知"
    assert [(p.key, p.path) for p in document.passages] == [
        ("intro", ("引言",)),
        ("1", ("一、总体要求",)),
        ("1.1", ("一、总体要求", "（一）扩大专利质押融资规模")),
        ("1.2", ("一、总体要求", "（二）完善风险补偿")),
    ]
    every_text = "\n".join(p.text for p in document.passages)
    assert not [chrome for chrome in CHROME_TEXTS if chrome in every_text]


def test_an_html_seed_saved_in_gb18030_is_read(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(GOV_PAGE.replace("utf-8", "gb2312").encode("gb18030"))
    document = parse_document(path)
    assert document.title == "关于印发专利质押融资工作方案的通知"
    assert "全年贷款&担保总额达到25.37亿元" in document.passages[2].text


def test_a_markdown_seed_is_parsed_into_passages_without_the_breadcrumb(tmp_path):
    path = tmp_path / "shangbiao.md"
    path.write_text(GOV_MARKDOWN, encoding="utf-8")
    document = parse_document(path)
    assert document.title == "关于加强商标保护的通知"
    assert [(p.key, p.heading, p.text) for p in document.passages] == [
        ("intro", "引言", "各有关单位："),
        ("1", "总体要求", "一、总体要求"),
        ("1.1", "加强商标注册指导", "(一)加强商标注册指导。提升注册便利度。"),
        ("1.2", "打击侵权行为", "(二)打击侵权行为。开展专项行动。"),
    ]


# --- PDF and Word files, read through the whole pipeline ----------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name, title, first, count", [
    ("muying-law.pdf", "中华人民共和国母婴保健法实施办法", ("第一条", ("第一章 总则", "第一条")), 45),
    ("wubao-law.docx", "农村五保供养工作条例", ("第一条", ("第一章 总则", "第一条")), 26),
])
def test_a_law_saved_as_pdf_or_docx_reads_into_its_articles(name, title, first, count):
    document = parse_document(FIXTURES / name)
    assert document.title == title
    assert document.format == name.rsplit(".", 1)[1]
    assert (document.passages[0].key, document.passages[0].path) == first
    assert [p.kind for p in document.passages].count("article") == count
    # Every article line of the source is one passage.
    source = (FIXTURES / name.replace(".pdf", ".md").replace(".docx", ".md")).read_text("utf-8")
    articles = [line.split()[0] for line in source.splitlines() if line.startswith("第")
                and line.split()[0].endswith("条")]
    assert [p.key for p in document.passages if p.kind == "article"] == articles


def test_a_notice_saved_as_pdf_keeps_its_sections():
    keys = [p.key for p in parse_document(FIXTURES / "zongbao-notice.pdf").passages]
    assert keys[:4] == ["intro", "1", "2", "2.1"]


def test_a_scanned_pdf_is_named_and_skipped(tmp_path):
    (tmp_path / "scan.pdf").write_bytes((FIXTURES / "muying-law-scan.pdf").read_bytes())
    (tmp_path / "good.txt").write_text("简报\n专利质押融资增长。\n", encoding="utf-8")
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["good"]
    assert [e.reason for e in errors] == ["no text layer (scanned PDF?)"]
