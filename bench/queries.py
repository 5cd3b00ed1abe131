"""The fixed query sets: every kind of query a user types, each run for the top 10.

``QUERIES`` fits the synthetic corpus (the seed's IP-office notices) and is the one the
cold-start and web measurements send; ``LAW_QUERIES`` asks the same kinds of the real laws.
"""

from __future__ import annotations

from typing import NamedTuple

from bench.generate import LAWS, SYNTHETIC


class BenchQuery(NamedTuple):
    """One query of the set and the kind of query it stands for."""

    kind: str
    text: str


QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("word", "知识产权"),
    BenchQuery("word", "专利"),
    BenchQuery("word", "质押"),
    BenchQuery("word", "京津冀"),
    BenchQuery("word", "特色小镇"),
    BenchQuery("words", "专利 质押 贷款"),
    BenchQuery("words", "知识产权 保护 执法"),
    BenchQuery("words", "企业 融资 担保"),
    BenchQuery("words", "青少年 教育 示范"),
    BenchQuery("phrase", '"专利权质押"'),
    BenchQuery("phrase", '"知识产权运营中心"'),
    BenchQuery("phrase", '"国家知识产权局"'),
    BenchQuery("substring", "权质押"),
    BenchQuery("substring", "产权运营"),
    BenchQuery("substring", "识产权强"),
    BenchQuery("traditional", "知識產權"),
    BenchQuery("traditional", "專利質押"),
    BenchQuery("traditional", "京津冀協同發展"),
    BenchQuery("number", "2017"),
    BenchQuery("number", "12330"),
    BenchQuery("number", "25.37亿元"),
    BenchQuery("zero", "量子引力"),
    BenchQuery("zero", "区块链"),
    BenchQuery("zero", "xyzzy"),
)

LAW_QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("word", "劳动合同"),
    BenchQuery("word", "社会保险"),
    BenchQuery("word", "行政处罚"),
    BenchQuery("word", "个人信息"),
    BenchQuery("word", "未成年人"),
    BenchQuery("words", "劳动合同 解除 经济补偿"),
    BenchQuery("words", "用人单位 社会保险 缴纳"),
    BenchQuery("words", "食品安全 监督 罚款"),
    BenchQuery("words", "工伤 认定 申请"),
    BenchQuery("phrase", '"用人单位应当"'),
    BenchQuery("phrase", '"依法追究刑事责任"'),
    BenchQuery("phrase", '"县级以上人民政府"'),
    BenchQuery("substring", "人单位"),
    BenchQuery("substring", "追究刑事"),
    BenchQuery("substring", "动合同"),
    BenchQuery("traditional", "勞動合同"),
    BenchQuery("traditional", "個人信息"),
    BenchQuery("traditional", "縣級以上人民政府"),
    BenchQuery("number", "第19条"),
    BenchQuery("number", "30日"),
    BenchQuery("number", "2018年"),
    BenchQuery("zero", "量子引力"),
    BenchQuery("zero", "个人所得税"),
    BenchQuery("zero", "xyzzy"),
)

#: The query set of each kind of corpus (bench.generate.KINDS).
QUERY_SETS = {SYNTHETIC: QUERIES, LAWS: LAW_QUERIES}
