"""The structure parser on real documents: file -> [(key, path, heading, first words)].

The fixtures are real files (see each folder's PROVENANCE.md): laws with 章 / 节 / 条,
gov.cn notices with 一、（一）, outline-numbered plans, attachments, a legal-database
export, a case, and the seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.documents import parse_document

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "tianjin-ip-2017.txt"
STRUCTURE = FIXTURES / "structure"
HTML = FIXTURES / "html"
LAWS = FIXTURES / "metadata" / "laws"
PKULAW = next((FIXTURES / "metadata" / "pkulaw").glob("*.txt"))
CASE = FIXTURES / "relevance/seeds/laws/案例/消费购物/吴某与某电子商务有限公司买卖合同纠纷案.md"

SHANGYONG = "商用密码管理条例(2023-04-27).md"
ZHENGJU = "最高人民法院关于民事诉讼证据的若干规定(2019-12-25).md"
ZUIMING = "最高人民法院、最高人民检察院关于执行《刑法》确定罪名的补充规定（三）(2007-10-25).md"


def parsed(path: Path) -> dict[str, tuple]:
    document = parse_document(path)
    return {p.key: (p.path, p.heading, p.text) for p in document.passages}


def keys(path: Path) -> list[str]:
    return [p.key for p in parse_document(path).passages]


# (file, key, path, heading, first words of the text)
TABLE = [
    # A law: articles under their chapter, items （一）（二） inside the article.
    (LAWS / SHANGYONG, "第一条", ("第一章 总则", "第一条"), "第一条", "第一条 为了规范商用密码应用和管理"),
    (LAWS / SHANGYONG, "第十二条", ("第三章 检测认证", "第十二条"), "第十二条", "第十二条 国家推进商用密码检测认证体系"),
    (LAWS / SHANGYONG, "第六十条", ("第八章 法律责任", "第六十条"), "第六十条", "第六十条 关键信息基础设施的运营者违反"),
    (LAWS / SHANGYONG, "第六十七条", ("第九章 附则", "第六十七条"), "第六十七条", "第六十七条 本条例自2023年7月1日起施行"),
    # Articles grouped under 一、 headings (a judicial interpretation).
    (STRUCTURE / ZHENGJU, "intro", ("引言",), "引言", "为保证人民法院正确认定案件事实"),
    (STRUCTURE / ZHENGJU, "第一条", ("一、当事人举证", "第一条"), "第一条", "第一条 原告向人民法院起诉"),
    # Rows that cite one paragraph of an article, and 第X条之一.
    (STRUCTURE / ZUIMING, "第134条第2款", ("第134条第2款",), "第134条第2款", "第134条第2款 （《刑法修正案（六）》"),
    (STRUCTURE / ZUIMING, "第135条之一", ("第135条之一",), "第135条之一", "第135条之一 （《刑法修正案（六）》"),
    # A law with an attachment after its articles.
    (STRUCTURE / "海洋倾废管理条例(2017-03-01).md", "附件2/2",
     ("附件2 需要获得特别许可证才能倾倒的物质", "二、含弱放射性物质的废弃物"), "含弱放射性物质的废弃物", "二、含弱放射性物质的废弃物"),
    # A gov.cn opinion: preamble with the addressee, 一、 sections, run-in （一） subsections, the signature.
    (HTML / "01_国发〔2019〕5号.html", "intro", ("引言",), "引言", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："),
    (HTML / "01_国发〔2019〕5号.html", "1", ("一、总体要求",), "总体要求", "以习近平新时代中国特色社会主义思想为指导"),
    (HTML / "01_国发〔2019〕5号.html", "3.1", ("三、重点任务", "（一）统筹建设监管工作平台"), "统筹建设监管工作平台", "（一）统筹建设监管工作平台。"),
    (HTML / "01_国发〔2019〕5号.html", "trailer", ("落款",), "落款", "国务院\n2019年1月27日\n（此件公开发布）"),
    # A notice that 印发s a plan: the cover letter, the plan's title and intro, numbering that
    # runs on across sections (（五） under 二、).
    (HTML / "03_国发〔2019〕4号.html", "notice", ("印发通知",), "国务院关于印发国家职业教育改革实施方案的通知", "各省、自治区、直辖市人民政府"),
    (HTML / "03_国发〔2019〕4号.html", "intro", ("国家职业教育改革实施方案",), "国家职业教育改革实施方案", "职业教育与普通教育是两种不同教育类型"),
    (HTML / "03_国发〔2019〕4号.html", "2.5", ("二、构建职业教育国家标准", "（五）完善教育教学相关标准"), "完善教育教学相关标准", "（五）完善教育教学相关标准。"),
    # Attachments: each a part with its own structure and signature; the letter lists them.
    (HTML / "23_国办函〔2004〕80号.html", "附件1", ("附件1 关于湖北省巴东县官渡口镇马鬃山村",), "关于湖北省巴东县官渡口镇马鬃山村", "附件1\n"),
    (HTML / "23_国办函〔2004〕80号.html", "附件1/2", ("附件1 关于湖北省巴东县官渡口镇马鬃山村", "二、地质险情成因分析"), "地质险情成因分析", "专家组认为"),
    (HTML / "23_国办函〔2004〕80号.html", "附件1/trailer", ("落款",), "落款", "国土资源部\n二〇〇四年十月十日"),
    # A plan numbered 1 / 1.1, after its table of contents.
    (HTML / "41_国办函〔2005〕57号.html", "1.2", ("1 总则", "1.2 等级划分"), "等级划分", "1.2\u3000等级划分\n本预案所称粮食应急状态"),
    (HTML / "41_国办函〔2005〕57号.html", "7.3", ("7 附则", "7.3 本预案自印发之日起实施"), "本预案自印发之日起实施", "7.3\u3000本预案自印发之日起实施"),
    # A State Council decree that publishes a regulation: articles after the decree's text.
    (HTML / "33_国令第707号.html", "第一条", ("第一条",), "第一条", "第一条\u3000根据《中华人民共和国个人所得税法》"),
    # The legal-database export: 【法宝引证码】, 原文链接, the title twice and 文号 are not passages.
    (PKULAW, "intro", ("引言",), "引言", "各地、州、市及米东新区质量技术监督局"),
    (PKULAW, "1", ("一、充分认识宣传工作的重要性和必要性",), "充分认识宣传工作的重要性和必要性", "质监工作与国计民生息息相关"),
    (PKULAW, "附件2", ("附件2 自治区质量技术监督局各单位（部门）宣传报道申报单",), "自治区质量技术监督局各单位（部门）宣传报道申报单", "附件2："),
    # A case: its ## sections are its passages, numbered items inside them.
    (CASE, "裁判要点", ("裁判要点",), "裁判要点", "经营者怠于履行进货查验义务"),
    # The seed, whose ids are public links.
    (SEED, "notice", ("印发通知",), "关于印发天津市知识产权局2017年工作总结的通知", "各区知识产权局、各有关单位:"),
    (SEED, "3.2", ("三、服务实体经济发展取得新成效", "(二)深化知识产权金融创新"), "深化知识产权金融创新", "(二)深化知识产权金融创新。突破传统的"),
]


@pytest.mark.parametrize("path, key, path_labels, heading, opening", TABLE,
                         ids=[f"{row[0].stem[:12]}:{row[1]}" for row in TABLE])
def test_structure_of_real_documents(path, key, path_labels, heading, opening):
    passages = parsed(path)
    assert key in passages, f"{key} not in {list(passages)[:20]}"
    got_path, got_heading, text = passages[key]
    assert (got_path, got_heading) == (path_labels, heading)
    assert text.startswith(opening)


@pytest.mark.parametrize("path, expected", [
    (LAWS / SHANGYONG, [f"第{n}条" for n in "一二三四五六七八九"] + ["第十条"]),
    (HTML / "01_国发〔2019〕5号.html",
     ["intro", "1", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "4", "4.1", "4.2",
      "4.3", "trailer"]),
    (HTML / "23_国办函〔2004〕80号.html",
     ["intro", "trailer", "附件1", "附件1/1", "附件1/2", "附件1/3", "附件1/4", "附件1/trailer",
      "附件2", "附件2/trailer"]),
    (CASE, ["吴某与某电子商务有限公司买卖合同纠纷案", "裁判要点", "简要案情", "司法解释相关法条"]),
])
def test_passages_come_in_document_order(path, expected):
    assert keys(path)[: len(expected)] == expected


def test_items_of_an_article_stay_inside_it():
    passages = parsed(LAWS / SHANGYONG)
    article = next(text for _, _, text in passages.values() if "（一）" in text)
    assert article.startswith("第") and "（二）" in article
    assert not [key for key in passages if key.startswith(("（", "("))]


def test_a_table_of_contents_makes_no_passages():
    found = keys(STRUCTURE / "北京市数字经济促进条例(2022-11-25).md")
    assert found[0] == "第一条" and len(found) == len(set(found)) == 58


def test_every_key_is_unique_even_when_numbering_restarts():
    for path in [*HTML.glob("*.html"), *STRUCTURE.glob("*.md"), PKULAW]:
        found = keys(path)
        assert len(found) == len(set(found)), path.name


RESTARTED = """关于印发某某管理办法的通知
各区人民政府：
一、充分认识重要意义
加强管理。
二、认真组织实施
各区要抓好落实。
某某管理办法
第一章 总则
第一条 为了加强管理，制定本办法。
第二条 本办法适用于本市。
第二章 附则
第三条 本办法自印发之日起施行。
"""


def test_an_embedded_law_after_numbered_sections_is_its_own_part(tmp_path):
    path = tmp_path / "restart.txt"
    path.write_text(RESTARTED, encoding="utf-8")
    passages = parsed(path)
    assert list(passages) == ["intro", "1", "2", "部分2", "部分2/第一条", "部分2/第二条", "部分2/第三条"]
    assert passages["部分2/第三条"][0] == ("部分2 某某管理办法", "第二章 附则", "第三条")


@pytest.mark.parametrize("line", ["第一章　总　　则", "## 第一章 总 则", "第一章总则"])
def test_chapter_headings_with_layout_spaces(tmp_path, line):
    path = tmp_path / "law.md"
    path.write_text(f"# 某某条例\n\n{line}\n\n第一条　为了规范管理，制定本条例。\n\n"
                    "第二条　本条例适用于全省。\n\n第一条之一　补充规定。\n", encoding="utf-8")
    passages = parsed(path)
    assert list(passages) == ["第一条", "第二条", "第一条之一"]
    assert passages["第一条"][0] == ("第一章 总则", "第一条")


def test_an_article_that_cites_another_in_a_case_is_not_an_article(tmp_path):
    path = tmp_path / "case.md"
    path.write_text("# 某案\n\n## 案例分析\n\n本案争议焦点是加班费。\n\n"
                    "第四十四条规定：用人单位应当支付加班费。\n", encoding="utf-8")
    assert list(parsed(path)) == ["案例分析"]
