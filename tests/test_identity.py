"""Readable document ids from file names; passage ids from a document id and a key."""

from __future__ import annotations

import pytest

from search.documents.identity import (
    doc_id_for, passage_id, split_passage_id, unique_ids, updated_ids,
)


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


@pytest.mark.parametrize("seed", range(8))
def test_ids_after_files_come_and_go_are_those_of_a_full_walk(seed):
    """updated_ids() keeps the known ids only where no added or removed file can move them."""
    import random

    rng = random.Random(seed)
    families = ["报告", "报告-2", "报告-3", "01_报告", "Report", "report", "ｒｅｐｏｒｔ", "法-2018",
                "法-2018-2", "法", "通知", "通知(2019)", "a", "a-2-2", *"bcdefgh"]
    names = [*(f"{folder}{stem}{suffix}" for stem in families for folder in ("", "x/")
               for suffix in (".md", ".txt")), *(f"单独{n}.md" for n in range(60))]
    present = sorted(rng.sample(names, 20))
    full = dict(zip(present, unique_ids(_stem(n) for n in present)))
    for _ in range(60):
        removed = [n for n in present if rng.random() < 0.04]
        added = rng.sample([n for n in names if n not in present], rng.randrange(5))
        later = sorted({*present, *added} - set(removed))
        had = {n: full[n] for n in present if n not in removed and rng.random() < 0.98}
        got = updated_ids({n: _stem(n) for n in later}, had, [_stem(n) for n in removed])
        full = dict(zip(later, unique_ids(_stem(n) for n in later)))
        assert got == full
        present = later


def _stem(name: str) -> str:
    return name.rpartition("/")[2].rpartition(".")[0]


@pytest.mark.parametrize("before, after", [
    (["a.md"], ["a.md", "k.md", "x/k.md"]),  # two new files of one base: k, k-2
    (["a.md", "a.txt"], ["a.txt"]),  # a.txt was a-2: with a.md gone it is a
    (["a.txt"], ["a.md", "a.txt"]),  # a.md comes first: a.txt moves to a-2
    (["b.md", "c.md"], ["b.md", "c.md", "d.md"]),  # nothing can move: the known ids stand
])
def test_ids_of_files_of_one_root_are_made_again(before, after):
    had = dict(zip(before, unique_ids(_stem(n) for n in before)))
    removed = [_stem(n) for n in before if n not in after]
    got = updated_ids({n: _stem(n) for n in after}, {n: had[n] for n in after if n in had},
                      removed)
    assert got == dict(zip(after, unique_ids(_stem(n) for n in after)))
