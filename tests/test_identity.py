"""Readable document ids from file names; passage ids from a document id and a key."""

from __future__ import annotations

import pytest

from search.documents.identity import doc_id_for, passage_id, split_passage_id, unique_ids


@pytest.mark.parametrize("stem, doc_id", [
    # The seed's id is a public link: it stays exactly as it was.
    ("tianjin-ip-2017", "tianjin-ip-2017"),
    ("Tianjin IP 2017", "tianjin-ip-2017"),
    ("beijing_2018", "beijing_2018"),
    # Chinese file names keep their Chinese.
    ("劳动法(2018-12-29)", "劳动法-2018-12-29"),
    ("商用密码管理条例(2023-04-27)", "商用密码管理条例-2023-04-27"),
    ("天津市工作总结", "天津市工作总结"),
    # A leading row number is not part of the name; the 文号 keeps its brackets.
    ("01_国发〔2019〕5号", "国发〔2019〕5号"),
    ("33_国令第707号", "国令第707号"),
    # Full-width brackets stay as written; ASCII ones and spaces become "-".
    ("最高人民法院关于适用《保险法》若干问题的解释（一）(2009-09-21)",
     "最高人民法院关于适用《保险法》若干问题的解释（一）-2009-09-21"),
    ("最高人民法院 最高人民检察院关于办理", "最高人民法院-最高人民检察院关于办理"),
    # Characters that mean something in a URL or a shell never reach an id.
    ("a/b?c#d%e&f", "a-b-c-d-e-f"),
    ("ＡＢＣ２０１９年报告", "abc2019年报告"),
    ("2019", "2019"),
])
def test_document_ids_are_readable_and_keep_the_chinese(stem, doc_id):
    assert doc_id_for(stem) == doc_id


def test_only_a_name_with_nothing_readable_gets_a_hash():
    assert doc_id_for("!!!").startswith("doc-")
    assert doc_id_for("!!!") == doc_id_for("!!!")
    assert doc_id_for("!!!") != doc_id_for("???")


def test_clashing_names_get_numbered_in_order():
    assert unique_ids(["报告", "报告", "Report", "report", "报告"]) == \
        ["报告", "报告-2", "report", "report-2", "报告-3"]


@pytest.mark.parametrize("doc_id, key", [
    ("tianjin-ip-2017", "3.2"), ("劳动合同法-2012-12-28", "第十九条"),
    ("国发〔2019〕5号", "附件1/第三条"),
])
def test_a_passage_id_is_its_document_id_and_key(doc_id, key):
    assert split_passage_id(passage_id(doc_id, key)) == (doc_id, key)
