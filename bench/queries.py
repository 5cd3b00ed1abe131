"""The fixed query set: every kind of query a user types, each run for the top 10."""

from __future__ import annotations

from typing import NamedTuple


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
