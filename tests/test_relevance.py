"""A relevance set: what a policy researcher types about the seed, and the passage that must
come back in the top 3.

The expected passages were chosen by reading the seed (the note says where the text answers
the question), not by running the engine. Where two passages answer equally well (a chapter's
lead and its subsection), either is accepted.
"""

from __future__ import annotations

import pytest

from tests.conftest import SEED_DOC

TOP = 3

RELEVANCE = [
    # query                          expected    where the seed answers it
    ("专利质押融资",                  ("3.2",),    "专利权质押融资需求调查 … 42家企业获得专利质押贷款"),
    ("智保贷",                        ("3.2",),    "专利权质押担保产品—“智保贷”"),
    ("融知贷",                        ("3.2",),    "研发专利权质押服务产品—“融知贷”"),
    ("知识产权金融",                  ("3.2",),    "heading: 深化知识产权金融创新"),
    ("专利保险",                      ("3.2",),    "4家财险公司开展专利保险承保业务"),
    ("专利质押贷款金额",              ("3.2",),    "贷款金额25.37亿元"),
    ("知识产权 金融 担保",            ("3.2",),    "words spread over the 智保贷 sentence"),
    ("融资难",                        ("3.2",),    "为企业解决资金缺口和融资难题"),
    ("特色小镇",                      ("1.4",),    "heading: 精心打造知识产权特色小镇"),
    ("知识产权强企",                  ("1.3",),    "heading: 重点推进知识产权强企工程"),
    ("知识产权强区",                  ("1.2",),    "heading: 整体推进知识产权强区建设"),
    ("知识产权强市建设",              ("1",),      "chapter 一 heading"),
    ("企业专利申请",                  ("1.3",),    "全市企业专利申请69738件"),
    ("天士力",                        ("1.3",),    "天士力集团 … 通过国家知识产权示范企业验收"),
    ("知识产权战略 评估",             ("1.1",),    "战略实施十年总体评估报告"),
    ("白皮书",                        ("1.1",),    "知识产权发展状况白皮书 … 保护状况白皮书"),
    ("京津冀协同",                    ("2", "2.1"), "chapter 二: 京津冀知识产权协同发展"),
    ("华北调度中心",                  ("2.1",),    "中国知识产权执法华北调度中心协作协议"),
    ("北京 河北 协作",                ("2.1",),    "与北京市、河北省知识产权局签订 … 协作协议"),
    ("知识产权综合管理改革",          ("2.2",),    "成立知识产权综合管理改革工作领导小组"),
    ("专利复审委员会",                ("2.3",),    "与国家知识产权局专利复审委员会签订《合作备忘录》"),
    ("专利检索服务系统",              ("2.3",),    "覆盖103个国家和地区的新一代专利检索服务系统"),
    ("华北知识产权运营中心",          ("3.1",),    "heading: 华北知识产权运营中心建设基本建成"),
    ("1+7+N",                         ("3.1",),    "“1+7+N”运营体系基本成形"),
    ("专利联盟",                      ("3.1",),    "轨道交通产业技术创新专利联盟 … 食用菌产业专利联盟"),
    ("知识产权运营基金",              ("3.1",),    "首家基金规模亿元的知识产权运营基金"),
    ("专利导航",                      ("3.3",),    "实施专利导航产业发展工程"),
    ("科技园 孵化",                   ("3.3",),    "大学科技园 … 通过专利导航运营孵化"),
    ("专利行政执法",                  ("4.1",),    "全市开展专利行政执法行动40余次"),
    ("展会 专利侵权纠纷",             ("4.1",),    "重点展会 … 受理并快速处理专利侵权纠纷案件96起"),
    ("严格知识产权保护",              ("4", "4.1"), "chapter 四 heading; 严格知识产权保护实施方案"),
    ("大保护",                        ("4.2",),    "heading: 知识产权“大保护”协作机制不断深化"),
    ("海关 公安",                     ("4.2",),    "推动与市场监管、版权、海关、公安经侦等部门协作"),
    ("规范化市场",                    ("4.3",),    "heading: 加强知识产权保护规范化市场培育"),
    ("12330",                         ("5.1",),    "公开12330热线服务内容和标准"),
    ("维权援助",                      ("5.1",),    "天津知识产权维权援助中心"),
    ("专利信息",                      ("5.1",),    "专利信息服务体系 … 专利信息大讲堂"),
    ("专利代理",                      ("5.2",),    "加强对专利代理行业的监督管理"),
    ("贯标",                          ("5.2",),    "推动500家实施国家知识产权标准贯标工作"),
    ("放管服",                        ("5.3",),    "heading: 深入落实“放管服”改革"),
    ("专利费用减缴",                  ("5.3",),    "对本市近8000家企业进行了专利费用减缴申请的备案"),
    ("中国专利奖",                    ("6.1",),    "参评第十九届中国专利奖"),
    ("创新创业",                      ("6.1",),    "heading: 大力推进知识产权创新创业"),
    ("知识产权宣传周",                ("6.2",),    "“4.26知识产权宣传周”期间"),
    ("青少年知识产权教育",            ("6.3",),    "天津市青少年知识产权教育示范学校"),
    ("小发明",                        ("6.3",),    "天津市青少年小发明大赛活动"),
    ("两学一做",                      ("7", "7.1"), "推进“两学一做”学习教育常态化制度化"),
    ("巡视整改",                      ("7.1",),    "认真组织开展巡视整改"),
    ("双万双服",                      ("7.2",),    "认真落实市委市政府“双万双服”工作部署"),
    ("机关作风",                      ("7.2",),    "heading: 切实转变机关作风"),
    ("专项资金",                      ("7.3",),    "严格执行知识产权专项资金操作使用规程"),
    ("授权专利 同比增长",             ("intro",),  "全市授权专利41675件,同比增长4.3%"),
    ("每万人口发明专利拥有量",        ("intro",),  "每万人口发明专利拥有量达到18.3件"),
    # The same questions typed differently.
    ("專利導航",                      ("3.3",),    "Traditional characters"),
    ("１２３３０",                    ("5.1",),    "full-width digits"),
    ("２５．３７亿元",                ("3.2",),    "full-width amount"),
    ("知识产权质押贷款",              ("3.2",),    "the seed says 知识产权质押融资 and 专利质押贷款"),
]


def test_the_relevance_set_is_large_enough():
    assert len(RELEVANCE) >= 30
    assert len({query for query, _, _ in RELEVANCE}) == len(RELEVANCE)


@pytest.mark.parametrize("query, expected, where", RELEVANCE,
                         ids=[query for query, _, _ in RELEVANCE])
def test_the_answer_ranks_in_the_top_3(searcher, query, expected, where):
    top = [hit.id for hit in searcher.search(query, limit=TOP).hits]
    assert any(f"{SEED_DOC}/{key}" in top for key in expected), (
        f"{query!r} should find {' or '.join(expected)} ({where}); top {TOP}: {top}")


def test_the_relevance_set_covers_every_chapter():
    chapters = {key.split(".")[0] for _, expected, _ in RELEVANCE for key in expected}
    assert {"intro", "1", "2", "3", "4", "5", "6", "7"} <= chapters


def test_most_answers_rank_first(searcher):
    """Mean reciprocal rank over the set: 1.0 means every answer is the first hit."""
    reciprocal = []
    for query, expected, _ in RELEVANCE:
        ranked = [hit.id.split("/", 1)[1] for hit in searcher.search(query, limit=10).hits]
        ranks = [ranked.index(key) + 1 for key in expected if key in ranked]
        reciprocal.append(1 / min(ranks) if ranks else 0.0)
    assert sum(reciprocal) / len(reciprocal) >= 0.9
