"""The corpus reader: seed files -> Documents -> Passages, and the files it cannot read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search.documents import CorpusError, parse_document, read_corpus
from search.documents.numbering import chapter_number, to_int
from tests.conftest import SEED_DOC, SEEDS

SEED_FILE = SEEDS / f"{SEED_DOC}.txt"
SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")
TITLE = "关于印发天津市知识产权局2017年工作总结的通知"

CHAPTERS = {
    1: "一、推进知识产权强市建设取得新进展",
    2: "二、推进京津冀知识产权协同发展取得新发展",
    3: "三、服务实体经济发展取得新成效",
    4: "四、严格知识产权保护得到新加强",
    5: "五、知识产权服务水平得到新提升",
    6: "六、知识产权文化建设得到新加强",
    7: "七、机关建设呈现新面貌",
}
SUBSECTIONS = {1: 4, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
EXPECTED_KEYS = ["notice", "intro"] + [
    key for chapter, count in SUBSECTIONS.items()
    for key in [str(chapter), *(f"{chapter}.{n}" for n in range(1, count + 1))]
]
CHROME = ["首页>新闻动态>通知公告", "字体大小", "[关闭窗口]", "关闭窗口", "\u00a0"]


@pytest.fixture(scope="module")
def seed() -> object:
    return parse_document(SEED_FILE)


def by_key(document) -> dict:
    return {p.key: p for p in document.passages}


# --- The real seed ----------------------------------------------------------------------------

def test_seed_metadata(seed):
    assert (seed.id, seed.title, seed.meta.office, seed.date) == \
        (SEED_DOC, TITLE, "办公室", "2018-04-02")
    assert (seed.meta.doc_type, seed.format, seed.source_path) == ("通知", "txt", f"{SEED_DOC}.txt")


def test_seed_has_31_passages_in_document_order(seed):
    assert len(seed.passages) == 31
    assert [p.key for p in seed.passages] == EXPECTED_KEYS
    assert [p.order for p in seed.passages] == list(range(31))
    assert [p.id for p in seed.passages] == [f"{SEED_DOC}/{key}" for key in EXPECTED_KEYS]
    assert sum(1 for p in seed.passages if "." in p.key) == 22


@pytest.mark.parametrize("key, path, heading, section", [
    ("notice", ("印发通知",), TITLE, None),
    ("intro", ("天津市知识产权局2017年工作总结",), "天津市知识产权局2017年工作总结", None),
    ("1", (CHAPTERS[1],), "推进知识产权强市建设取得新进展", 1),
    ("1.4", (CHAPTERS[1], "(四)精心打造知识产权特色小镇"), "精心打造知识产权特色小镇", 1),
    ("2.1", (CHAPTERS[2], "(一)多角度促进京津冀知识产权协作"), "多角度促进京津冀知识产权协作", 2),
    ("3", (CHAPTERS[3],), "服务实体经济发展取得新成效", 3),
    ("3.2", (CHAPTERS[3], "(二)深化知识产权金融创新"), "深化知识产权金融创新", 3),
    ("4.2", (CHAPTERS[4], "(二)知识产权“大保护”协作机制不断深化"), "知识产权“大保护”协作机制不断深化", 4),
    ("5.3", (CHAPTERS[5], "(三)深入落实“放管服”改革"), "深入落实“放管服”改革", 5),
    ("7.3", (CHAPTERS[7], "(三)提升机关行政能力"), "提升机关行政能力", 7),
])
def test_seed_passage_paths_headings_and_sections(seed, key, path, heading, section):
    passage = by_key(seed)[key]
    assert (passage.path, passage.heading, passage.section) == (path, heading, section)


def test_every_chapter_lead_and_subsection_sits_under_its_chapter(seed):
    for passage in seed.passages[2:]:
        chapter = int(passage.key.split(".")[0])
        assert passage.section == chapter
        assert passage.path[0] == CHAPTERS[chapter]
        assert len(passage.path) == (2 if "." in passage.key else 1)


@pytest.mark.parametrize("key, opening, closing", [
    ("notice", "各区知识产权局、各有关单位:", "(此件主动公开)"),
    ("intro", "2017年,市知识产权局认真学习贯彻", "我市知识产权综合指数位列全国第七。"),
    ("1", "深入落实天津市《关于加快推进知识产权强市建设的实施意见》", "实现产业转型升级的新路径。"),
    ("3.2", "(二)深化知识产权金融创新。突破传统的", "贷款金额25.37亿元。"),
    ("5.1", "(一)知识产权公共服务能力进一步提高。", "专利代办窗口服务继续保持零投诉。"),
    ("7.3", "(三)提升机关行政能力。", "全年没有出现责任事故。"),
])
def test_seed_passage_text_runs_from_its_first_to_its_last_sentence(seed, key, opening, closing):
    text = by_key(seed)[key].text
    assert text.startswith(opening)
    assert text.endswith(closing)


def test_passage_offsets_point_at_the_passage_in_the_document_text(seed):
    for passage in seed.passages:
        assert seed.text[passage.start : passage.end] == passage.text


def test_passages_do_not_overlap_and_come_in_text_order(seed):
    for before, after in zip(seed.passages, seed.passages[1:]):
        assert before.end <= after.start


@pytest.mark.parametrize("chrome", CHROME)
def test_site_chrome_is_in_no_passage(seed, chrome):
    assert chrome in SEED_TEXT
    assert not [p.key for p in seed.passages if chrome in p.text or chrome in p.heading]


def test_parsing_twice_gives_identical_passages():
    assert parse_document(SEED_FILE) == parse_document(SEED_FILE)


# --- Encodings and invisible characters ----------------------------------------------------

@pytest.mark.parametrize("encoding", [
    pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8 with BOM"),
    pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
    pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="CRLF"),
    pytest.param(lambda text: text.replace("\n", "\r\n").encode("gb18030"), id="gb18030 CRLF"),
])
def test_the_seed_reads_the_same_in_every_encoding(tmp_path, seed, encoding):
    path = tmp_path / f"{SEED_DOC}.txt"
    path.write_bytes(encoding(SEED_TEXT))
    document = parse_document(path)
    assert document.meta == seed.meta
    assert [(p.id, p.path, p.text) for p in document.passages] == \
        [(p.id, p.path, p.text) for p in seed.passages]


def test_zero_width_characters_and_nbsp_are_cleaned_from_passage_text(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("工作简报\n专\u200b利质押\u00a0融资\u200d增长。\n\u00a0\u3000\n第二段\ufeff。\n",
                    encoding="utf-8")
    document = parse_document(path)
    assert [p.text for p in document.passages] == ["专利质押 融资增长。", "第二段。"]


# --- Structure ---------------------------------------------------------------------------------

FULL_WIDTH = """某区知识产权工作要点
一、总体要求
坚持创新驱动。
（一）加强专利保护。全面加强行政执法。
（二）推进质押融资。扩大贷款规模。
二、保障措施
（一）加强组织领导。落实责任。
"""


def test_full_width_parentheses_mark_subsections(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(FULL_WIDTH, encoding="utf-8")
    document = parse_document(path)
    assert document.title == "某区知识产权工作要点"
    assert [(p.key, p.path, p.heading) for p in document.passages] == [
        ("1", ("一、总体要求",), "总体要求"),
        ("1.1", ("一、总体要求", "（一）加强专利保护"), "加强专利保护"),
        ("1.2", ("一、总体要求", "（二）推进质押融资"), "推进质押融资"),
        ("2", ("二、保障措施",), "保障措施"),
        ("2.1", ("二、保障措施", "（一）加强组织领导"), "加强组织领导"),
    ]
    assert document.passages[0].text == "坚持创新驱动。"


@pytest.mark.parametrize("opening, following", [
    ("一、总体要求。坚持创新。", "（一）专利质押。扩大规模。"),
    ("(一)加强管理。落实责任。", "（二）专利质押。扩大规模。"),
    ("（一）加强管理", "（二）专利质押。扩大规模。"),
])
def test_a_document_opening_with_a_section_keeps_it_and_takes_its_title_from_the_file(
        tmp_path, opening, following):
    path = tmp_path / "yaodian-2018.txt"
    path.write_text(f"{opening}\n{following}\n", encoding="utf-8")
    document = parse_document(path)
    assert document.title == "yaodian-2018"
    assert opening in document.passages[0].text
    assert document.passages[-1].heading == "专利质押"


def test_a_document_without_sections_becomes_paragraph_passages(tmp_path):
    path = tmp_path / "Brief Note.txt"
    path.write_text("某市专利工作简报\n第一段讲专利质押。\n\n第二段讲商标注册。\n", encoding="utf-8")
    document = parse_document(path)
    assert document.id == "brief-note"
    assert document.title == "某市专利工作简报"
    assert [(p.id, p.heading, p.text, p.section) for p in document.passages] == [
        ("brief-note/p1", "第一段讲专利质押", "第一段讲专利质押。", None),
        ("brief-note/p2", "第二段讲商标注册", "第二段讲商标注册。", None),
    ]


@pytest.mark.parametrize("numeral, value", [
    ("一", 1), ("三", 3), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
    ("一百二十三", 123), ("一千零一", 1001), ("两百", 200), ("19", 19), ("１９", 19),
])
def test_numerals_of_articles_and_chapters(numeral, value):
    assert to_int(numeral) == value


@pytest.mark.parametrize("typed, chapter", [
    ("3", 3), ("三", 3), ("三、", 3), (" 12 ", 12), ("十一", 11), ("abc", None), ("", None),
])
def test_chapter_numbers_typed_as_digits_or_numerals(typed, chapter):
    assert chapter_number(typed) == chapter


# --- Files that cannot be read ---------------------------------------------------------------

@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b" \n\r\n\t", "empty file"),
    (b"\x00\x01PK\x03\x04binary", "binary"),
    (b"\x80\x81\xfe\xfd\xff\x80\x81", "cannot decode"),
    (b"\xff\xfe" + "abc".encode("utf-16-le")[:-1], "cannot decode"),
])
def test_an_unreadable_file_raises_corpus_error_naming_the_file_and_reason(tmp_path, content, reason):
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as raised:
        parse_document(path)
    assert raised.value.path == path
    assert reason in raised.value.reason
    assert "broken.txt" in str(raised.value) and reason in str(raised.value)


def test_a_file_of_nothing_but_page_chrome_is_an_error(tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text("首页>新闻动态>通知公告\n字体大小:\n[关闭窗口]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="chrome.txt"):
        parse_document(path)


def test_read_corpus_reports_bad_files_and_keeps_the_good_ones(tmp_path):
    (tmp_path / "a-binary.txt").write_bytes(b"\x00\x00\x00")
    (tmp_path / "b-gbk.txt").write_bytes("国家知识产权局发布专利质押统计。\n".encode("gb18030"))
    (tmp_path / "c-empty.txt").write_bytes(b"")
    (tmp_path / "d-good.txt").write_text("某市简报\n专利质押融资增长。\n", encoding="utf-8")
    (tmp_path / "ignored.xlsx").write_bytes(b"PK\x03\x04")
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["b-gbk", "d-good"]
    assert [(e.path.name, e.reason.split(" ")[0]) for e in errors] == \
        [("a-binary.txt", "binary"), ("c-empty.txt", "empty")]


def test_read_corpus_gives_clashing_file_names_distinct_ids(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "report.txt").write_text("甲\n专利。\n", encoding="utf-8")
    (tmp_path / "b" / "report.txt").write_text("乙\n商标。\n", encoding="utf-8")
    documents, errors = read_corpus(tmp_path)
    assert errors == []
    assert [(d.id, d.source_path) for d in documents] == \
        [("report", "a/report.txt"), ("report-2", "b/report.txt")]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_read(tmp_path: Path, encoding) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("关于专利资助的通知\n一、总则\n本办法适用于全市。\n".encode(encoding))
    document = parse_document(path)
    assert document.title == "关于专利资助的通知"
    assert document.passages[0].text == "本办法适用于全市。"


@pytest.mark.parametrize("name, advice", [
    ("旧文件.doc", "save it as .docx or PDF"), ("金山.wps", "save it as .docx or PDF"),
    ("电子公文.ofd", "export it as PDF"),
])
def test_formats_we_cannot_read_are_named_with_what_to_do(tmp_path, name, advice):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 not really")
    (tmp_path / "good.txt").write_text("简报\n专利质押融资增长。\n", encoding="utf-8")
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["good"]
    assert [(e.path.name, advice in e.reason) for e in errors] == [(name, True)]


def test_broken_links_loops_and_unreadable_files_are_each_named_and_skipped(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text("简报\n专利质押融资增长。\n", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "locked.txt").write_text("锁定\n内容。\n", encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.txt":  # tests run as root, who can read a chmod 000 file
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["good"]
    assert {e.path.name: e.reason for e in errors} == {
        "dangling.txt": "dangling symlink: its target does not exist",
        "locked.txt": "cannot read: Permission denied",
        "loop.txt": "symlink loop",
    }


def test_a_file_name_that_is_not_utf8_is_named_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("简报\n专利质押融资增长。\n", encoding="utf-8")
    bad_name = os.fsdecode(b"\xb9\xfa\xb7\xa2.txt")  # 国发.txt in GBK bytes
    (tmp_path / bad_name).write_text("国发\n内容。\n", encoding="utf-8")
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["good"]
    assert len(errors) == 1 and "not valid UTF-8" in errors[0].reason
    assert "\\xb9\\xfa" in str(errors[0])  # printable, the bytes shown


def test_an_unreadable_folder_is_named_and_the_rest_indexed(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "good.txt").write_text("简报\n专利质押融资增长。\n", encoding="utf-8")
    (tmp_path / "closed").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    documents, errors = read_corpus(tmp_path)
    assert [d.id for d in documents] == ["good"]
    assert [(Path(str(e.path)).name, e.reason) for e in errors] == \
        [("closed", "cannot read folder: Permission denied")]


def test_a_document_with_nothing_to_index_is_named_empty(tmp_path):
    path = tmp_path / "只有标题.md"
    path.write_text("# 某某条例\n\n1997年11月28日 某市人民代表大会常务委员会通过\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty after extraction"):
        parse_document(path)


def test_utf16_with_byte_order_mark_is_read_not_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("关于专利资助的通知\n一、总则\n本办法适用于全市。\n".encode("utf-16"))
    document = parse_document(path)
    assert [p.key for p in document.passages] == ["1"]
    assert "本办法适用于全市。" in document.passages[0].text
