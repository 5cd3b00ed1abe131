"""How a passage is cited: the label a person writes after the title, and the permalink."""

from __future__ import annotations

import pytest

from search.citation import citation, label


@pytest.mark.parametrize(("key", "path", "expected"), [
    ("第十九条", ("第三章 劳动合同的订立", "第十九条"), "第十九条"),
    ("第十九条之一", ("第二章 总则", "第十九条之一"), "第十九条之一"),
    ("第三章", ("第三章 劳动合同的订立",), "第三章"),
    ("3.2", ("三、服务实体经济发展取得新成效", "(二)深化知识产权金融创新"), "三、（二）"),
    ("3", ("三、重点任务",), "三、"),
    ("1.1", ("1 总则", "1.1 编制目的"), "1.1"),
    ("附件1/第三条", ("附件1 管理办法", "第一章 总则", "第三条"), "附件1第三条"),
    ("附件2", ("附件2 宣传报道申报单",), "附件2"),
    ("基本案情", ("基本案情",), "基本案情"),
    ("intro", ("引言",), ""),
    ("notice", ("印发通知",), ""),
    ("p4", ("p4",), ""),
])
def test_label_is_what_a_person_writes_after_the_title(key, path, expected) -> None:
    assert label(key, path) == expected


def test_citation_puts_the_title_in_book_marks_and_a_nested_title_in_angle_marks() -> None:
    cited = citation("最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释", "第十九条",
                     ("第一章 管辖", "第十九条"), "https://policy.example/p/x/第十九条")
    assert cited == ("《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第十九条 "
                     "https://policy.example/p/x/第十九条")
