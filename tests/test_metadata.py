"""Metadata: what a document states about itself, from its fields, header, history and signature."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.documents.dates import date_line, parse_date
from search.documents.decode import decode
from search.documents.markdown import read as read_markdown
from search.documents.metadata import extract, normalize_number
from search.documents.model import Block, Extract, Metadata
from search.documents.text import read as read_text

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"
GOV_CN = FIXTURES / "gov-cn"
TABLES: dict[str, dict[str, str]] = json.loads((GOV_CN / "fields.json").read_text(encoding="utf-8"))
PKULAW = FIXTURES / "pkulaw" / "新疆维吾尔自治区质监局关于进一步加强新闻宣...(FBM-CLI.12.1075244).txt"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "tianjin-ip-2017.txt"
CHROME = ("首页>新闻动态>通知公告", "字体大小:", "[关闭窗口]", "扫一扫在手机打开当前页")


def _text(text: str, name: str = "notice.txt") -> tuple[Metadata, list[Block]]:
    """Extract from a text file's contents, as the corpus reads a .txt seed."""
    return extract(read_text(text, Path(name)), Path(name))


def _gov_cn(stem: str) -> Extract:
    """A gov.cn page saved as text: its body cell, without the metadata table."""
    path = GOV_CN / f"{stem}.txt"
    return read_text(path.read_text(encoding="utf-8"), path)


# --- gov.cn: 30 State Council documents -------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(TABLES))
def test_gov_cn_metadata_is_its_table(stem):
    table = TABLES[stem]
    meta, _ = extract(Extract(_gov_cn(stem).blocks, fields=table), Path(f"{stem}.html"))
    assert (meta.title, meta.office, meta.number, meta.written, meta.published, meta.topic) == (
        table["标题"], table["发文机关"], table["发文字号"], parse_date(table["成文日期"]),
        # The crawl's dump doubles the backslash between a topic's levels; the page shows one.
        parse_date(table["发布日期"]), table["主题分类"].replace("\\\\", "\\"))


#: What the body alone says differently from the table, and why. The body never states the
#: 发布日期 (the site adds it when it posts the page), so it is None unless listed here.
BODY_ONLY_DIFFERS: dict[str, dict[str, str | None]] = {
    # A 国务院令 page carries the regulation's history; its last event (第四次修订, 2018-12-18)
    # dates the text. The site posted it on 2018-12-22.
    "33_国令第707号": {"published": "2018-12-18"},
}


@pytest.mark.parametrize("stem", sorted(TABLES))
def test_gov_cn_metadata_from_the_body_alone(stem):
    # Centred title (over two or three lines), 文号 line, signature and date: enough for the
    # title, number, office and 成文日期, in all 30 pages.
    table = TABLES[stem]
    meta, _ = extract(_gov_cn(stem), Path(f"{stem}.html"))
    expected = {"title": table["标题"], "office": table["发文机关"], "number": table["发文字号"],
                "written": parse_date(table["成文日期"]), "published": None}
    expected.update(BODY_ONLY_DIFFERS.get(stem, {}))
    assert {name: getattr(meta, name) for name in expected} == expected


@pytest.mark.parametrize("stem", sorted(TABLES))
def test_gov_cn_body_begins_at_the_addressee(stem):
    page = _gov_cn(stem)
    _, with_table = extract(Extract(page.blocks, fields=TABLES[stem]), Path(f"{stem}.html"))
    _, body = extract(page, Path(f"{stem}.html"))
    texts = [block.text for block in body]
    assert with_table == body
    if stem == "33_国令第707号":  # a 令: its own text comes first
        assert texts[0].startswith("现公布修订后的《中华人民共和国个人所得税法实施条例》")
    else:
        assert texts[0].endswith("：")  # 各省、自治区、直辖市人民政府…： / 辽宁省人民政府：
    assert TABLES[stem]["发文字号"] not in texts
    assert "扫一扫在手机打开当前页" not in texts
    # The signature date and 此件公开发布 stay: the structure parser makes them a passage.
    assert parse_date(TABLES[stem]["成文日期"]) in map(date_line, texts)
    assert ("（此件公开发布）" in texts) == ("（此件公开发布）" in [block.text for block in page.blocks])


def test_a_decree_page_keeps_its_decree_and_drops_the_regulations_header():
    meta, body = extract(_gov_cn("33_国令第707号"), Path("33_国令第707号.html"))
    texts = [block.text for block in body]
    assert texts[:3] == ["现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。",
                         "总理\u3000\u3000李克强", "2018年12月18日"]
    assert texts[3].startswith("第一条")
    assert meta.history[0] == "1994年1月28日中华人民共和国国务院令第142号发布"
    assert meta.history[-1] == "2018年12月18日中华人民共和国国务院令第707号第四次修订"
    assert len(meta.history) == 5
    assert meta.doc_type == "行政法规"


@pytest.mark.parametrize("stem, doc_type", [
    ("01_国发〔2019〕5号", "意见"),
    ("03_国发〔2019〕4号", "通知"),  # 印发 a 方案: the notice is what was issued
    ("11_国发〔2018〕44号", "决定"),
    ("23_国办函〔2004〕80号", "函"),  # 复函
    ("41_国办函〔2005〕57号", "函"),
    ("45_国函〔1996〕95号", "批复"),
    ("49_国办发〔2004〕7号", "通报"),
    ("33_国令第707号", "行政法规"),
])
def test_gov_cn_doc_type(stem, doc_type):
    meta, _ = extract(Extract(_gov_cn(stem).blocks, fields=TABLES[stem]), Path(f"{stem}.html"))
    assert meta.doc_type == doc_type


# --- a pkulaw export and the seed --------------------------------------------------------------


def test_pkulaw_export():
    meta, body = extract(read_text(decode(PKULAW.read_bytes(), PKULAW), PKULAW), PKULAW)
    texts = [block.text for block in body]
    assert meta.title == "新疆维吾尔自治区质监局关于进一步加强新闻宣传工作的通知"
    assert meta.number == "新质监办发〔2012〕24号"
    # The export prints neither a 发布部门 nor a signature: the title names the office.
    assert meta.office == "新疆维吾尔自治区质监局"
    # Nor a date: it ends with its attachments' blank forms ("年   月   日").
    assert (meta.written, meta.published) == (None, None)
    assert meta.source_url == "https://www.pkulaw.com/lar/58783248d9ecdd3f50f5fa9f03e988e4bdfb.html"
    assert meta.doc_type == "通知"
    assert texts[0] == "各地、州、市及米东新区质量技术监督局，区局机关各部、处、室、局，各直属单位："
    assert meta.title not in texts
    assert "（新质监办发〔2012〕24号）" not in texts
    assert not [text for text in texts if "法宝引证码" in text or text.startswith("原文链接")]


def test_seed_notice():
    meta, body = extract(read_text(SEED.read_bytes().decode("utf-8"), SEED), SEED)
    texts = [block.text for block in body]
    assert meta.title == "关于印发天津市知识产权局2017年工作总结的通知"
    assert meta.office == "办公室"  # 来源: 办公室         (2018-04-02)
    assert meta.published == "2018-04-02"
    assert meta.doc_type == "通知"
    assert texts[0] == "各区知识产权局、各有关单位:"
    assert not set(CHROME) & set(texts)
    assert "天津市知识产权局2017年工作总结" in texts  # the attachment's title is content


# --- laws: LawRefBook Markdown -----------------------------------------------------------------

LAWS = [
    # file, folder hint, title, office, 文种, published, number, first body line
    ("食品安全法实施条例(2019-10-11).md", "行政法规", "中华人民共和国食品安全法实施条例", "国务院",
     "行政法规", "2019-10-11", "国令第721号", "第一章 总则"),
    ("商用密码管理条例(2023-04-27).md", "行政法规", "商用密码管理条例", "国务院",
     "行政法规", "2023-04-27", "国令第760号", "第一章 总 则"),
    ("进口影片管理办法(1981-10-13).md", "行政法规", "进口影片管理办法", "国务院",
     "行政法规", "1981-10-13", None, "第一条 为了加强对进口影片的管理，"),
    ("最高人民法院、最高人民检察院关于办理危害食品安全刑事案件适用法律若干问题的解释(2013-05-02).md",
     "司法解释", "最高人民法院、最高人民检察院关于办理危害食品安全刑事案件适用法律若干问题的解释",
     "最高人民法院、最高人民检察院", "司法解释", "2013-05-02", None, "为依法惩治危害食品安全犯罪，"),
    # No history: the office is in the title, the date in the file name.
    ("最高人民法院、最高人民检察院关于办理贪污贿赂刑事案件适用法律若干问题的解释(2016-04-18).md",
     "司法解释", "最高人民法院、最高人民检察院关于办理贪污贿赂刑事案件适用法律若干问题的解释",
     "最高人民法院、最高人民检察院", "司法解释", "2016-04-18", None, "为依法惩治贪污贿赂犯罪活动，"),
    ("最高人民法院关于涉台民事诉讼文书送达的若干规定(2008-04-17).md", "司法解释",
     "最高人民法院关于涉台民事诉讼文书送达的若干规定", "最高人民法院", "司法解释", "2008-04-17", None,
     "为维护涉台民事案件当事人的合法权益，"),
    ("上海市出版物发行管理条例(2021-08-25).md", "DLC/上海地方法规/地方性法规/上海", "上海市出版物发行管理条例",
     "上海市人民代表大会常务委员会", "地方性法规", "2021-08-25", None, "第一章  总则"),
    ("广东省固体废物污染环境防治条例(2022-11-30).md", "DLC/广东地方法规/地方性法规/广东",
     "广东省固体废物污染环境防治条例", "广东省人民代表大会常务委员会", "地方性法规", "2022-11-30", None,
     "第一章 总 则"),
    # A case: series, 最高人民法院发布 and a bare date under the title.
    ("邹某与某医美机构侵权责任纠纷案.md", "案例/消费购物", "医疗美容机构虚假宣传和诊疗过错行为造成患者损害应予赔偿",
     "最高人民法院", "案例", "2022-03-15", None, "邹某与某医美机构侵权责任纠纷案"),
]


@pytest.mark.parametrize("name, hint, title, office, doc_type, published, number, first", LAWS)
def test_law(name, hint, title, office, doc_type, published, number, first):
    path = FIXTURES / "laws" / name
    meta, body = extract(read_markdown(path.read_text(encoding="utf-8"), path), path, hint)
    assert (meta.title, meta.office, meta.doc_type, meta.published, meta.number) == (
        title, office, doc_type, published, number)
    assert body[0].text.startswith(first)
    assert not set(meta.history) & {block.text for block in body}


@pytest.mark.parametrize("name, history", [
    ("食品安全法实施条例(2019-10-11).md", (
        "2009年7月20日 中华人民共和国国务院令第557号公布",
        "2016年2月6日 《国务院关于修改部分行政法规的决定》修订",
        "2019年3月26日 国务院第42次常务会议修订通过",
        "2019年10月11日 中华人民共和国国务院令第721号公布",
        "2019年12月1日 施行")),
    # Who approved and who issued, over three lines.
    ("进口影片管理办法(1981-10-13).md", ("1981年10月13日 国务院批准 文化部 海关总署发布",)),
    # "…第一次修正  根据" / "2012年7月26日 …": an event's 根据 at the end of the line above.
    ("广东省固体废物污染环境防治条例(2022-11-30).md", (
        "2004年1月14日 广东省第十届人民代表大会常务委员会第八次会议通过",
        "2012年1月9日 广东省第十一届人民代表大会常务委员会第三十一次会议《关于修改〈广东省固体废物污染环境防治条例〉"
        "等七项法规中有关行政强制条款的决定》第一次修正",
        "根据2012年7月26日 广东省第十一届人民代表大会常务委员会第三十五次会议《关于修改〈广东省民营科技企业管理条例〉"
        "等二十三项法规的决定》第二次修正",
        "2018年11月29日广东省第十三届人民代表大会常务委员会第七次会议修订",
        "根据2022年11月30日 广东省第十三届人民代表大会常务委员会第四十七次会议"
        "《关于修改〈广东省机动车排气污染防治条例〉等六项地方性法规的决定》第三次修正")),
    # The courts' one-line, parenthesised form, with no date for the first event.
    ("最高人民法院关于涉台民事诉讼文书送达的若干规定(2008-04-17).md", (
        "最高人民法院审判委员会第1421次会议通过", "2008年4月17日最高人民法院公告公布", "自2008年4月23日起施行")),
])
def test_law_history(name, history):
    path = FIXTURES / "laws" / name
    meta, _ = extract(read_markdown(path.read_text(encoding="utf-8"), path), path)
    assert meta.history == history


NPC_LAW = """中华人民共和国劳动合同法
（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过
根据2012年12月28日第十一届全国人民代表大会常务委员会第三十次会议《关于修改〈中华人民共和国劳动合同法〉的决定》修正）
目　　录
第一章　总　　则
第一条　为了完善劳动合同制度，明确劳动合同双方当事人的权利和义务，保护劳动者的合法权益，制定本法。
"""

DECREE = """中华人民共和国国务院令　第760号
《商用密码管理条例》已经2023年4月14日国务院第4次常务会议修订通过，现予公布，自2023年7月1日起施行。
总理　李强
2023年4月27日
商用密码管理条例
（1999年10月7日中华人民共和国国务院令第273号发布　2023年4月27日中华人民共和国国务院令第760号修订）
第一章　总　　则
第一条　为了规范商用密码应用和管理，制定本条例。
"""


def test_an_npc_law_with_its_history_split_over_lines():
    meta, body = _text(NPC_LAW, "劳动合同法.txt")
    assert (meta.title, meta.office, meta.doc_type, meta.published) == (
        "中华人民共和国劳动合同法", "全国人民代表大会常务委员会", "法律", "2012-12-28")
    assert meta.history == (
        "2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过",
        "根据2012年12月28日第十一届全国人民代表大会常务委员会第三十次会议"
        "《关于修改〈中华人民共和国劳动合同法〉的决定》修正")
    assert [block.text for block in body[:2]] == ["目　　录", "第一章　总　　则"]


def test_a_decree_saved_as_text():
    meta, body = _text(DECREE, "商用密码管理条例.txt")
    assert (meta.title, meta.office, meta.number, meta.written, meta.doc_type) == (
        "商用密码管理条例", "国务院", "国令第760号", "2023-04-27", "行政法规")
    assert len(meta.history) == 2
    assert [block.text for block in body][2:4] == ["2023年4月27日", "第一章　总　　则"]


# --- headers and signatures as other sources print them ----------------------------------------


@pytest.mark.parametrize("text, expected, first", [
    # A pkulaw export with its full label block.
    ("【发布部门】 新疆维吾尔自治区质量技术监督局\n【发文字号】 新质监办发［2012］24号\n【发布日期】 2012.04.16\n"
     "【实施日期】 2012.04.16\n【时效性】 现行有效\n新疆维吾尔自治区质监局关于进一步加强新闻宣传工作的通知\n"
     "各地、州、市质量技术监督局：\n现就加强信息宣传工作通知如下：\n",
     {"title": "新疆维吾尔自治区质监局关于进一步加强新闻宣传工作的通知", "office": "新疆维吾尔自治区质量技术监督局",
      "number": "新质监办发〔2012〕24号", "published": "2012-04-16"},
     "各地、州、市质量技术监督局："),
    # A city site: breadcrumb, several labels on one line, font buttons; the title over two lines.
    ("当前位置：首页 > 政策文件\n国家发展改革委　财政部关于印发\n《某某管理办法》的通知\n"
     "发布时间：2019-01-15　　来源：市发展改革委　　浏览次数：123\n【字体：大 中 小】\n发改投资规〔2019〕12号\n"
     "各区发展改革委、财政局：\n现将《某某管理办法》印发给你们。\n国家发展改革委\n财政部\n二○一九年一月九日\n"
     "（此件公开发布）\n打印本页　关闭窗口\n分享到：\n",
     {"title": "国家发展改革委 财政部关于印发《某某管理办法》的通知", "office": "市发展改革委",
      "number": "发改投资规〔2019〕12号", "written": "2019-01-09", "published": "2019-01-15"},
     "各区发展改革委、财政局："),
    # 原文链接 and 来源网址 give the source URL.
    ("关于开展安全检查的通知\n来源网址：http://www.example.gov.cn/a/1.html\n各单位：\n请于月底前完成检查。\n",
     {"title": "关于开展安全检查的通知", "source_url": "http://www.example.gov.cn/a/1.html"}, "各单位："),
])
def test_header_formats(text, expected, first):
    meta, body = _text(text)
    assert {name: getattr(meta, name) for name in expected} == expected
    assert body[0].text == first
    assert not [block.text for block in body if "关闭窗口" in block.text or block.text.startswith(("分享到", "【字体"))]


@pytest.mark.parametrize("closing, written, office", [
    (["国务院", "2019年1月27日", "（此件公开发布）"], "2019-01-27", "国务院"),
    (["新疆维吾尔自治区质量技术监督局", "二○一二年四月十六日"], "2012-04-16", "新疆维吾尔自治区质量技术监督局"),
    (["国务院办公厅　中央军委办公厅", "一九九六年六月二十九日"], "1996-06-29", "国务院办公厅、中央军委办公厅"),
    (["国家发展改革委", "财政部", "二〇一九年一月九日印发"], "2019-01-09", "国家发展改革委、财政部"),
    (["天津市知识产权局", "二O一八年三月三十日"], "2018-03-30", "天津市知识产权局"),
    (["总理　李克强", "2018年12月18日"], "2018-12-18", None),  # a person signs: no office
    (["单位盖章", "年   月   日"], None, None),  # a blank form
])
def test_signature_at_the_end(closing, written, office):
    lines = ["关于进一步做好安全生产工作的通知", "各有关单位：", "请认真贯彻执行。", *closing]
    meta, body = _text("\n".join(lines))
    assert (meta.written, meta.office) == (written, office)
    assert [block.text for block in body][-len(closing):] == closing


@pytest.mark.parametrize("name, text, title, published", [
    ("01_劳动法(2018-12-29).txt", "第一条　为了保护劳动者的合法权益，制定本法。", "劳动法", "2018-12-29"),
    ("新疆维吾尔自治区质监局关于进一步加强新闻宣...(FBM-CLI.12.1075244).txt", "各单位：\n请认真执行。",
     "新疆维吾尔自治区质监局关于进一步加强新闻宣", None),
    ("12-关于做好2019年春节工作的通知.txt", "各单位：\n请认真执行。", "关于做好2019年春节工作的通知", None),
])
def test_a_file_without_a_title_is_named_by_its_file(name, text, title, published):
    meta, body = _text(text, name)
    assert (meta.title, meta.published) == (title, published)
    assert body[0].text == text.split("\n")[0]


@pytest.mark.parametrize("title, fields, hint, doc_type", [
    ("国务院办公厅关于印发《某某管理办法》的通知", {"发文机关": "国务院办公厅"}, None, "通知"),
    ("某某地区建设实施方案", {}, None, "方案"),
    ("国务院关于推进某某工作的指导意见", {}, None, "意见"),
    ("国务院办公厅关于同意某某的复函", {}, None, "函"),
    ("中华人民共和国劳动法", {"发文机关": "全国人民代表大会常务委员会"}, None, "法律"),
    ("某某管理条例", {"发文字号": "国务院令第707号"}, None, "行政法规"),
    ("最高人民法院关于适用某某法的解释（一）", {}, None, "司法解释"),
    ("某某登记办法", {"发文字号": "民政部令第14号"}, None, "部门规章"),
    ("上海市某某条例", {"发文机关": "上海市人民代表大会常务委员会"}, None, "地方性法规"),
    ("加班费的仲裁时效应当如何认定", {}, "案例/劳动人事", "案例"),
    ("某某暂行办法", {}, "行政法规", "行政法规"),
])
def test_doc_type(title, fields, hint, doc_type):
    meta, _ = extract(Extract([Block("正文。")], title=title, fields=fields), Path("x.html"), hint)
    assert meta.doc_type == doc_type


#: Lines made of what headers are made of: agencies, 文号 brackets, dates, labels, punctuation.
_HEADER_CHARS = "国务院办公厅关于通知第一条章（）()〔〕年月日号令〇一二十0123456789：，。、 \u3000>【】"
_LINE = st.text(st.sampled_from(_HEADER_CHARS), min_size=1, max_size=30)


@given(st.lists(_LINE, max_size=12), st.sampled_from(["x.txt", "01_劳动法(2018-12-29).md"]))
def test_any_text_gives_metadata_and_keeps_its_body_in_order(lines, name):
    source = read_text("\n".join(lines), Path(name))
    meta, body = extract(source, Path(name))
    assert meta.title
    remaining = iter(source.blocks)
    assert all(block in remaining for block in body)  # a subsequence: nothing added or reordered


# --- 文号 and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed, normalized", [
    ("国发〔2019〕5号", "国发〔2019〕5号"),
    ("国发[2019]5号", "国发〔2019〕5号"),
    ("国发［2019］5号", "国发〔2019〕5号"),
    ("国发（2019）5号", "国发〔2019〕5号"),
    ("国发(2019)5号", "国发〔2019〕5号"),
    ("国发2019年5号", "国发〔2019〕5号"),
    ("国发〔2019〕5", "国发〔2019〕5号"),
    ("国发〔2019〕第5号", "国发〔2019〕5号"),
    ("国发〔2019〕05号", "国发〔2019〕5号"),
    (" 国发 〔２０１９〕 ５ 号", "国发〔2019〕5号"),
    ("（新质监办发〔2012〕24号）", "新质监办发〔2012〕24号"),
    ("法释〔2016〕9号", "法释〔2016〕9号"),
    ("国令第707号", "国令第707号"),
    ("国务院令第707号", "国令第707号"),
    ("中华人民共和国国务院令第760号", "国令第760号"),
    ("国令707", "国令第707号"),
    ("民政部令第14号", "民政部令第14号"),
    ("中华人民共和国国务院、中华人民共和国中央军事委员会令第425号", "国务院、中央军事委员会令第425号"),
    ("国家税务总局公告2019年第5号", "国家税务总局公告2019年第5号"),
    ("国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见", None),
    ("劳动法", None),
    ("国发2019", None),
    ("第707号", None),
    ("2019年5号", None),
    ("", None),
])
def test_normalize_number(typed, normalized):
    assert normalize_number(typed) == normalized


@pytest.mark.parametrize("written, iso", [
    ("2019年1月27日", "2019-01-27"),
    ("2019年01月27日", "2019-01-27"),
    ("２０１９年１月２７日", "2019-01-27"),
    ("2018-04-02", "2018-04-02"),
    ("2012.04.16", "2012-04-16"),
    ("二○一二年一月九日", "2012-01-09"),
    ("二〇一二年十二月三十一日", "2012-12-31"),
    ("二O一二年一月九日", "2012-01-09"),
    ("二零一二年十月二十日", "2012-10-20"),
    ("一九九六年六月二十九日", "1996-06-29"),
    ("来源: 办公室         (2018-04-02)", "2018-04-02"),
    ("1999年2月30日", None),
    ("二○一二年十三月一日", None),
    ("年   月   日", None),
    ("2019年1月", None),
])
def test_parse_date(written, iso):
    assert parse_date(written) == iso


@pytest.mark.parametrize("line, iso", [
    ("2019年1月27日", "2019-01-27"),
    ("二〇一二年一月九日", "2012-01-09"),
    ("2019年1月27日印发", "2019-01-27"),
    ("（二○○四年六月十六日）", "2004-06-16"),
    ("2019年1月27日，国务院召开常务会议。", None),
    ("各地区要于2019年3月底前报送。", None),
])
def test_date_line(line, iso):
    assert date_line(line) == iso


_DIGITS = "〇一二三四五六七八九"


def _chinese(day: datetime.date, zero: str) -> str:
    """Write a date as a signature does: 二〇一二年十二月三十一日."""
    def small(number: int) -> str:
        if number < 10:
            return _DIGITS[number]
        return ("" if number < 20 else _DIGITS[number // 10]) + "十" + (_DIGITS[number % 10] if number % 10 else "")
    year = "".join(_DIGITS[int(digit)] for digit in str(day.year)).replace("〇", zero)
    return f"{year}年{small(day.month)}月{small(day.day)}日"


@given(st.dates(min_value=datetime.date(1949, 1, 1), max_value=datetime.date(2099, 12, 31)),
       st.sampled_from("〇○O零"))
def test_every_chinese_numeral_date_parses(day, zero):
    assert parse_date(_chinese(day, zero)) == day.isoformat()
    assert date_line(_chinese(day, zero)) == day.isoformat()
