"""The HTML reader on gov.cn content fragments, pages saved from a browser, and small cases."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from search.documents.html import read
from search.documents.model import Block, Extract

FIXTURES = Path(__file__).parent / "fixtures" / "html"
FRAGMENTS = sorted(FIXTURES.glob("[0-9][0-9]_*.html"))
TO_ALL = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
GOV_CN = "http://www.gov.cn/zhengce/content/"


def read_fixture(name: str) -> Extract:
    path = FIXTURES / name
    return read(path.read_text(encoding="utf-8"), path)


def read_markup(markup: str) -> Extract:
    return read(markup, Path("page.html"))


def texts(extract: Extract) -> list[str]:
    return [block.text for block in extract.blocks]


# The ground truth, read from each fragment's own markup with regular expressions rather than
# an HTML parser: td#UCAP-CONTENT holds only <p>, <span> and <br>, and the table only <td><b>.


def _content(fragment: str) -> str:
    start = fragment.index('id="UCAP-CONTENT">') + len('id="UCAP-CONTENT">')
    return fragment[start:fragment.index("</td>", start)]


def _plain(markup: str) -> str:
    """Text as the reader gives it: source whitespace collapsed, &nbsp; a space, edges bare."""
    text = re.sub(r"[ \t\n\r\f]+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup)))
    return text.replace("\xa0", " ").strip()


def paragraphs_of(fragment: str) -> list[str]:
    """Each <p> of td#UCAP-CONTENT, split at its <br>s, blank ones left out."""
    pieces = re.split(r"<br\s*/?>|</?p\b[^>]*>", _content(fragment))
    return [text for text in map(_plain, pieces) if text]


def table_of(fragment: str) -> dict[str, str]:
    rows = re.findall(r"<td[^>]*><b>([^<]*)</b></td>\s*<td[^>]*>([^<]*)</td>", fragment)
    return {"".join(label.split()).rstrip("："): _plain(value) for label, value in rows}


def bold_headings_of(fragment: str) -> list[str]:
    """Paragraphs that are nothing but a bold "一、…" heading."""
    bold = re.findall(r'<p[^>]*>\s*<span style="font-weight: bold;">([^<]+)</span>\s*</p>',
                      _content(fragment))
    return [_plain(text) for text in bold if re.match(r"[一二三四五六七八九十]+、", text)]


def fragment_id(path: Path) -> str:
    return path.stem


def test_all_thirty_gov_cn_fragments_are_fixtures() -> None:
    assert len(FRAGMENTS) == 30


@pytest.mark.parametrize("path", FRAGMENTS, ids=fragment_id)
def test_fields_and_title_are_the_metadata_table(path: Path) -> None:
    fragment = path.read_text(encoding="utf-8")
    extract = read(fragment, path)
    assert extract.fields == table_of(fragment)
    assert list(extract.fields) == ["索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号",
                                    "发布日期", "主题词"]
    assert extract.title == extract.fields["标题"]
    assert extract.source_url is None


def test_fields_of_one_notice_spelled_out() -> None:
    assert read_fixture("01_国发〔2019〕5号.html").fields == {
        "索引号": "000014349/2019-00007",
        "主题分类": "市场监管、安全生产监管\\\\工商",  # the fixture's doubled backslash, as written
        "发文机关": "国务院",
        "成文日期": "2019年01月27日",
        "标题": "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
        "发文字号": "国发〔2019〕5号",
        "发布日期": "2019年02月15日",
        "主题词": "",
    }


@pytest.mark.parametrize("path", FRAGMENTS, ids=fragment_id)
def test_blocks_are_the_body_paragraphs_in_order(path: Path) -> None:
    fragment = path.read_text(encoding="utf-8")
    extract = read(fragment, path)
    assert texts(extract) == paragraphs_of(fragment)
    assert {block.heading for block in extract.blocks} == {0}  # no <hN> in these fragments


# The first line of the centered title (a <br> splits it), and the addressee line that follows
# the 文号 line.
OPENINGS = [
    ("01_国发〔2019〕5号.html", "国务院关于在市场监管领域全面推行", TO_ALL),
    ("03_国发〔2019〕4号.html", "国务院关于印发国家职业教育改革", TO_ALL),
    ("05_国发〔2019〕3号.html", "国务院关于促进综合保税区", TO_ALL),
    ("07_国办发〔2018〕128号.html", "国务院办公厅关于印发“无废城市”建设", TO_ALL),
    ("09_国办发〔2018〕129号.html", "国务院办公厅关于深入开展消费扶贫", TO_ALL),
    ("11_国发〔2018〕44号.html", "国务院关于2018年度", TO_ALL),
    ("13_国办发〔2018〕118号.html", "国务院办公厅关于全面推行", TO_ALL),
    ("15_国发〔2018〕42号.html", "国务院关于加快推进农业机械化和", TO_ALL),
    ("17_国办发〔2018〕123号.html", "国务院办公厅关于推进", TO_ALL),
    ("19_国办发〔1996〕25号.html", "国务院办公厅、中央军委办公厅",
     "北京市、天津市、河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、上海市、江苏省、"
     "浙江省、安徽省、福建省、江西省、山东省、河南省、湖北省、湖南省、广东省、广西壮族自治区、"
     "陕西省、甘肃省人民政府，沈阳、北京、兰州、济南、南京、广州军区："),
    ("21_国办函〔2004〕57号.html", "国务院办公厅", "辽宁省人民政府："),
    ("23_国办函〔2004〕80号.html", "国务院办公厅关于湖北省巴东县", "湖北省人民政府："),
    ("25_国办函〔2005〕21号.html", "国务院办公厅关于科技节水建议的复函", "马万祺副主席："),
    ("27_国办函〔2006〕71号.html", "国务院办公厅对十届全国人大", "周桂英等代表："),
    ("29_国办函〔2006〕69号.html", "国务院办公厅对十届全国人大", "邓明义代表："),
    ("31_国办函〔2004〕88号.html", "国务院办公厅关于同意以深圳市名义",
     "广东省人民政府，教育部、外交部、财政部、体育总局："),
    ("33_国令第707号.html", "中华人民共和国国务院令", None),
    ("35_国办发〔2018〕115号.html", "国务院办公厅关于全面推行行政规范性文件", TO_ALL),
    ("37_国办发〔2018〕117号.html", "国务院办公厅关于对真抓实干成效明显地方", TO_ALL),
    ("39_国发〔2018〕39号.html", "国务院关于做好当前和今后一个时期", TO_ALL),
    ("41_国办函〔2005〕57号.html", "国务院办公厅关于印发", TO_ALL),
    ("43_国办函〔1996〕14号.html", "国务院办公厅关于广东与香港、澳门合建", "中国气象局："),
    ("45_国函〔1996〕95号.html", "国务院、中央军委关于同意武警总部", "武警总部："),
    ("47_国发〔2004〕18号.html", "国务院关于印发", TO_ALL),
    ("49_国办发〔2004〕7号.html", "国务院办公厅关于山西、安徽省", TO_ALL),
    ("51_国办发〔1997〕2号.html", "国务院办公厅转发国家地震局", TO_ALL),
    ("53_国函〔2018〕145号.html", "国务院关于同意乌鲁木齐、昌吉、石河子",
     "科技部、新疆维吾尔自治区人民政府、新疆生产建设兵团："),
    ("55_国函〔2018〕144号.html", "国务院关于同意建立国务院职业教育工作", "教育部："),
    ("57_国发〔2018〕38号.html", "国务院关于支持自由贸易试验区", TO_ALL),
    ("59_国办函〔2018〕74号.html", "国务院办公厅关于调整国务院第二次", TO_ALL),
]


@pytest.mark.parametrize(("name", "first", "addressee"), OPENINGS)
def test_opening_is_title_then_number_then_addressee(name: str, first: str,
                                                     addressee: str | None) -> None:
    extract = read_fixture(name)
    blocks = texts(extract)
    assert blocks[0] == first
    if addressee is not None:
        assert addressee in blocks
        assert blocks[blocks.index(addressee) - 1] == extract.fields["发文字号"]


def test_openings_cover_every_fragment() -> None:
    assert sorted(name for name, _, _ in OPENINGS) == [path.name for path in FRAGMENTS]


@pytest.mark.parametrize(
    "path", [path for path in FRAGMENTS if bold_headings_of(path.read_text(encoding="utf-8"))],
    ids=fragment_id)
def test_bold_headings_are_blocks_of_their_own(path: Path) -> None:
    headings = bold_headings_of(path.read_text(encoding="utf-8"))
    blocks = texts(read_fixture(path.name))
    assert [text for text in blocks if text in headings] == headings


@pytest.mark.parametrize(("name", "headings"), [
    ("01_国发〔2019〕5号.html", ["一、总体要求", "二、主要目标", "三、重点任务", "四、保障措施"]),
    ("55_国函〔2018〕144号.html", ["一、主要职能", "二、成员单位", "三、工作规则", "四、工作要求"]),
])
def test_headings_spelled_out(name: str, headings: list[str]) -> None:
    blocks = texts(read_fixture(name))
    assert [text for text in blocks if text in headings] == headings


def test_run_in_bold_heading_stays_in_its_paragraph() -> None:
    blocks = texts(read_fixture("21_国办函〔2004〕57号.html"))
    assert "一、关于大连双岛湾工业区石化项目问题。" not in blocks
    assert "一、关于大连双岛湾工业区石化项目问题。大连市请求，由大连实德集团与沙特SABIC等企业合资合作，" \
           "拟投资400亿元，建设炼油规模800万吨/年的项目。" in blocks


# A saved page, the fragment inside it, the blocks the page adds before the fragment's, its URL.
PAGES = [
    ("page_01_govcn.html", "01_国发〔2019〕5号.html", [],
     GOV_CN + "2019-02/15/content_5365945.htm"),
    ("page_41_govcn.html", "41_国办函〔2005〕57号.html", [],
     GOV_CN + "2018-12/03/content_5345459.htm"),
    ("page_33_no_id.html", "33_国令第707号.html", [],
     GOV_CN + "2018-12/22/content_5351177.htm"),
    ("page_09_article.html", "09_国办发〔2018〕129号.html",
     [Block("国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见", heading=1)],
     GOV_CN + "2019-01/14/content_5357723.htm"),
]
PAGE_NAMES = [page for page, _, _, _ in PAGES]
ARTICLE_PAGE = "page_09_article.html"  # the one without a metadata table
CHROME = ["首页", "政策库", "搜索", "English", "版权所有", "网站标识码", "ICP备", "联系我们", "关于本网",
          "打印本页", "关闭窗口", "字体", "字号", "相关稿件", "吹风会", "扫一扫", "分享到", "责任编辑",
          "2019-01-14 16:20", "您的浏览器不支持脚本", "统计代码", "国务院客户端"]


@pytest.mark.parametrize(("page", "fragment", "leading", "url"), PAGES, ids=PAGE_NAMES)
def test_saved_page_blocks_are_the_fragments(page: str, fragment: str, leading: list[Block],
                                              url: str) -> None:
    extract = read_fixture(page)
    assert extract.blocks == leading + read_fixture(fragment).blocks
    assert extract.source_url == url


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_saved_page_keeps_no_chrome(page: str) -> None:
    blocks = texts(read_fixture(page))
    assert [text for text in blocks if any(word in text for word in CHROME)] == []


@pytest.mark.parametrize(("page", "fragment", "title"), [
    ("page_01_govcn.html", "01_国发〔2019〕5号.html",
     "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"),
    ("page_33_no_id.html", "33_国令第707号.html", "中华人民共和国个人所得税法实施条例"),
])
def test_saved_page_reads_the_metadata_table(page: str, fragment: str, title: str) -> None:
    extract = read_fixture(page)
    assert extract.fields == read_fixture(fragment).fields
    assert extract.title == title


def _table(fragment: str) -> str:
    start = fragment.index("<table")
    return fragment[start:fragment.index("<br>", start)]


def rewrapped(page: str, fragment: str, other: Path) -> str:
    """The saved page with its document (metadata table and body) swapped for another's."""
    template = (FIXTURES / page).read_text(encoding="utf-8")
    old, new = (FIXTURES / fragment).read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
    if old in template:  # the gov.cn pages hold the whole fragment
        return template.replace(old, new)
    # The others hold the inner HTML of its body cell, and perhaps its metadata table.
    template = template.replace(_table(old), _table(new))
    return template.replace(_content(old), _content(new))


@pytest.mark.parametrize("other", FRAGMENTS, ids=fragment_id)
@pytest.mark.parametrize(("page", "fragment", "leading", "url"), PAGES, ids=PAGE_NAMES)
def test_every_fragment_in_every_page_chrome(page: str, fragment: str, leading: list[Block],
                                             url: str, other: Path) -> None:
    extract = read(rewrapped(page, fragment, other), FIXTURES / page)
    bare = read_fixture(other.name)
    assert extract.blocks == leading + bare.blocks
    assert extract.fields == ({} if page == ARTICLE_PAGE else bare.fields)


def test_article_page_title_is_its_h1() -> None:
    extract = read_fixture(ARTICLE_PAGE)
    assert extract.title == "国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见"
    assert extract.fields == {}


SNIPPETS = [
    ("<p>第一行<br>第二行</p>", [Block("第一行"), Block("第二行")]),
    ("<p>&nbsp;&nbsp;\u3000\u3000正文。&nbsp;\u3000</p><p> </p><p>&nbsp;</p><p><br></p>",
     [Block("正文。")]),
    ("<p>第一条\u3000根据本法，\n    制定本条例。</p>", [Block("第一条\u3000根据本法， 制定本条例。")]),
    ("<p>正文。<script>document.write('脚本')</script></p><style>p { color: red }</style>"
     "<noscript>请开启脚本</noscript>", [Block("正文。")]),
    ("<h2>一、总体要求</h2><p>正文。</p>", [Block("一、总体要求", heading=2), Block("正文。")]),
    ('<p><span style="font-weight: bold;">一、总体要求</span></p><p>正文。</p>',
     [Block("一、总体要求"), Block("正文。")]),
    ('<p>看得见。<span style="display: none">看不见。</span></p>', [Block("看得见。")]),
    ('<div id="zoom"><p>自<span class="date">2019年1月1日</span>起施行。</p></div>',
     [Block("自2019年1月1日起施行。")]),
    # The old reader dropped every line under a class naming chrome, here the whole body.
    ('<body class="page-header-fixed"><div class="nav"><a href="/">首页</a></div>'
     '<div class="main has-sidebar"><p>第一段正文。</p><p>第二段正文。</p></div>'
     '<div class="footer"><a href="/about">联系我们</a></div></body>',
     [Block("第一段正文。"), Block("第二段正文。")]),
    # A box named like chrome that holds the body is kept: here it marks what "print" prints.
    ('<div id="zoom"><div class="print_content"><p>第一段正文。</p><p>第二段正文。</p></div>'
     '<div class="print_bar"><a href="javascript:window.print()">打印本页</a></div></div>',
     [Block("第一段正文。"), Block("第二段正文。")]),
    # gov.cn's body cell is taken whole, even when most paragraphs sit in one inner box.
    ('<table><tr><td id="UCAP-CONTENT"><div><p>第一条　第一段正文比较长。</p>'
     '<p>第二条　第二段正文比较长。</p></div><p>附件：名单</p></td></tr></table>',
     [Block("第一条　第一段正文比较长。"), Block("第二条　第二段正文比较长。"), Block("附件：名单")]),
    # A table in the body is not metadata: each cell is a block.
    ('<div id="zoom"><p>联系方式如下：</p><table><tr><td>联系人：</td><td>张三</td></tr></table></div>',
     [Block("联系方式如下："), Block("联系人："), Block("张三")]),
]


@pytest.mark.parametrize(("markup", "blocks"), SNIPPETS)
def test_snippet_blocks(markup: str, blocks: list[Block]) -> None:
    extract = read_markup(markup)
    assert extract.blocks == blocks
    assert extract.fields == {}


def test_metadata_table_inside_the_body_box_is_read_not_kept() -> None:
    extract = read_markup(
        '<div class="article"><table><tr><td>发文机关：</td><td>国务院</td>'
        '<td>发文字号：</td><td>国发〔2019〕5号</td></tr></table><p>正文。</p></div>')
    assert extract.fields == {"发文机关": "国务院", "发文字号": "国发〔2019〕5号"}
    assert extract.blocks == [Block("正文。")]


def test_thousands_of_unclosed_font_tags_do_not_overflow() -> None:
    extract = read_markup('<div id="zoom">' + "<font size=3>第一行<br>" * 3000 + "</div>")
    assert extract.blocks == [Block("第一行")] * 3000


@pytest.mark.parametrize("markup", [
    "",
    "<html><body></body></html>",
    "<html><head><title>空页_中国政府网</title><script>var page = 1;</script></head>"
    "<body><script>document.write('x')</script><style>p {}</style></body></html>",
    '<div class="nav"><a href="/">首页</a> <a href="/zhengce/">政策</a></div>',
    "<p>&nbsp;</p><p>\u3000\u3000</p><p>\u200b</p><p><br></p>",
    '<frameset><frame src="top.htm"><frame src="main.htm"></frameset>',
])
def test_page_without_body_text_has_no_blocks(markup: str) -> None:
    assert read_markup(markup).blocks == []


TITLE = "国务院关于印发《国务院工作规则》的通知"


@pytest.mark.parametrize(("markup", "title"), [
    (f"<title>{TITLE} - 中国政府网</title><p>正文。</p>", TITLE),
    (f"<title>{TITLE}_政策_中国政府网</title><p>正文。</p>", TITLE),
    (f"<title> {TITLE} </title><p>正文。</p>", TITLE),
    (f'<title>网页_中国政府网</title><div class="article"><h1>{TITLE}</h1><p>正文。</p></div>', TITLE),
    # The site's logo <h1> in the header is not the document's title.
    (f'<title>{TITLE}_中国政府网</title><div class="header"><h1 class="logo">中国政府网</h1></div>'
     '<div class="content"><p>第一条　正文。</p></div>', TITLE),
    ("<p>正文。</p>", None),
])
def test_title(markup: str, title: str | None) -> None:
    assert read_markup(markup).title == title


@pytest.mark.parametrize(("markup", "url"), [
    (f"<!-- saved from url=(0064){GOV_CN}2019-02/15/content_5365945.htm -->"
     "\n<html><body><p>正文。</p></body></html>",
     GOV_CN + "2019-02/15/content_5365945.htm"),
    ('<!-- saved from url=(0019)https://example.cn/3 --><html><head>'
     '<link rel="canonical" href="https://example.cn/1">'
     '<meta property="og:url" content="https://example.cn/2"></head><body><p>正文。</p></body></html>',
     "https://example.cn/1"),
    ('<!-- saved from url=(0019)https://example.cn/3 --><html><head>'
     '<meta property="og:url" content="https://example.cn/2"></head><body><p>正文。</p></body></html>',
     "https://example.cn/2"),
    ("<p>正文。</p>", None),
])
def test_source_url(markup: str, url: str | None) -> None:
    assert read_markup(markup).source_url == url
