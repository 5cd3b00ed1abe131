"""Chinese and Arabic numerals match each other where they stand for numbers."""

from __future__ import annotations

import pytest

from search.engine import open_searcher
from search.highlight import plain
from search.normalize import fold, normalize


@pytest.mark.parametrize("written, matched", [
    ("三年以下有期徒刑", "3年以下有期徒刑"),
    ("十天内", "10天内"),
    ("第十九条", "第19条"),
    ("第一百二十三条", "第123条"),
    ("百分之二十", "20%"),
    ("二○一二年一月九日", "2012年1月9日"),
    ("二〇一二年", "2012年"),
    ("一百二十万元", "120万元"),
    ("两个月", "2个月"),
    ("满十八周岁", "满18周岁"),
    ("三十日内", "30日内"),
    # Numerals inside words, and numbers that are names, stay as written.
    ("统一规划", "统一规划"),
    ("一般情况", "一般情况"),
    ("十分重要", "十分重要"),
    ("一方当事人", "一方当事人"),
    ("五险一金", "五险一金"),
    ("唯一人选", "唯一人选"),
    ("“十三五”规划", "“十三五”规划"),
    ("第三方", "第三方"),
])
def test_numerals_that_stand_for_numbers_become_digits(written, matched):
    assert fold(written) == matched
    assert fold(written, numbers=False) == written.replace("○", "○")


def test_a_converted_number_maps_back_to_the_numeral_as_written():
    norm = normalize("自二○一二年起施行")
    start = norm.text.index("2012")
    assert norm.span(start, start + 4) == (1, 5)


LAW = """# 某某条例

第一条 劳动合同期限三年以上的，试用期不得超过六个月。

第二条 用人单位应当在10天内支付工资。

第三条 违反本条例第一条规定的，处以罚款百分之二十。
"""


@pytest.mark.parametrize("query, article, marked", [
    ("3年", "第一条", "三年"),
    ("6个月", "第一条", "六个月"),
    ("十天", "第二条", "10天"),
    ("第1条", "第三条", "第一条"),
    ("20%", "第三条", "百分之二十"),
])
def test_a_query_finds_and_marks_the_number_written_the_other_way(corpus, query, article, marked):
    _, root = corpus({"law.md": LAW})
    with open_searcher(root) as searcher:
        result = searcher.search(query)
        assert f"law/{article}" in [hit.id for hit in result.hits]
        hit = next(hit for hit in result.hits if hit.id == f"law/{article}")
        marks = [s.text for fragment in hit.fragments for s in fragment if s.is_match]
        assert marked in marks, (marks, [plain(f) for f in hit.fragments])


def test_the_fast_reading_of_numerals_agrees_with_cn2an():
    """numerals.small_value reads 一 to 九千九百九十九 without importing cn2an."""
    import cn2an

    from search.numerals import small_value

    for number in range(1, 10_000):
        written = cn2an.an2cn(number)
        assert small_value(written) == number, written
        assert small_value(written.replace("二", "两", 1)) in (number, None)
    assert small_value("二三") is None and small_value("十百") is None
