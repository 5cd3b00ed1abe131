"""The PDF and DOCX readers: real texts in, their paragraphs out, clear errors for bad files."""

from __future__ import annotations

import functools
import io
import random
import re
import zipfile
from pathlib import Path

import lxml.html
import pytest

from search.documents import docx, pdf
from search.documents.model import Block, CorpusError, Extract

FIXTURES = Path(__file__).parent / "fixtures"
CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +(?=[\u3000-\u9fff\uff00-\uffef])")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条 ")


def read(reader, name: str) -> Extract:
    path = FIXTURES / name
    return reader.read(path.read_bytes(), path)


@functools.cache
def read_once(reader, name: str) -> Extract:
    """A fixture read once per session: Extract is frozen, and pdfminer takes a moment per page."""
    return read(reader, name)


def law_paragraphs(name: str) -> list[tuple[str, int]]:
    """A LawRefBook Markdown law as (paragraph, heading level): `#` title, `##` chapters."""
    paragraphs = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("<!--", "|")):
            level = len(line) - len(line.lstrip("#"))
            paragraphs.append((line.lstrip("# ").strip(), level))
    return paragraphs


def notice_paragraphs(name: str) -> list[str]:
    """The paragraphs of a gov.cn page's body, one per <p> and <br>."""
    page = lxml.html.fromstring((FIXTURES / name).read_text(encoding="utf-8"))
    body = page.get_element_by_id("UCAP-CONTENT")
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (line.strip() for p in body.iter("p") for line in p.text_content().split("\n"))
    return [line for line in lines if line]


def texts(extract: Extract) -> list[str]:
    return [block.text for block in extract.blocks]


LAW_PDF = "muying-law.pdf"
LAW_SOURCE = [text for text, _ in law_paragraphs("muying-law.md")]


# PDF: a law and a notice printed with running header, page numbers, wrapped lines


@pytest.mark.parametrize(
    ("pdf_name", "source"),
    [(LAW_PDF, LAW_SOURCE), ("zongbao-notice.pdf", notice_paragraphs("zongbao-notice.html"))],
)
def test_pdf_paragraphs_are_the_source_paragraphs(pdf_name: str, source: list[str]) -> None:
    assert texts(read_once(pdf, pdf_name)) == source


def test_every_article_of_the_pdf_starts_exactly_one_block() -> None:
    blocks = texts(read_once(pdf, LAW_PDF))
    articles = [ARTICLE.match(text)[0] for text in LAW_SOURCE if ARTICLE.match(text)]
    assert len(articles) == 45
    for article in articles:
        assert sum(block.startswith(article) for block in blocks) == 1, article


@pytest.mark.parametrize(
    "number",
    ["第一条", "第二条", "第三条", "第四条", "第五条"],
)
def test_first_articles_of_the_pdf_read_exactly_as_the_source(number: str) -> None:
    source = next(text for text in LAW_SOURCE if text.startswith(number + " "))
    assert source in texts(read_once(pdf, LAW_PDF))


@pytest.mark.parametrize(
    ("pdf_name", "furniture"),
    [(LAW_PDF, r"- ?\d+ ?-"), ("zongbao-notice.pdf", r"\d+/\d+")],
)
def test_no_pdf_block_holds_a_page_number(pdf_name: str, furniture: str) -> None:
    assert [text for text in texts(read_once(pdf, pdf_name)) if re.search(furniture, text)] == []


def test_the_running_header_is_dropped_and_the_title_kept() -> None:
    blocks = texts(read_once(pdf, LAW_PDF))
    assert blocks.count("中华人民共和国母婴保健法实施办法") == 1
    assert blocks[0] == "中华人民共和国母婴保健法实施办法"


def test_no_spaces_come_between_chinese_characters() -> None:
    blocks = texts(read_once(pdf, LAW_PDF))
    # The chapter headings are printed letter-spaced; only the source's own space remains.
    assert "第一章 总 则" in blocks
    assert "第二章 婚前保健" in blocks
    assert sum(len(CJK_SPACE.findall(text)) for text in blocks) == sum(
        len(CJK_SPACE.findall(text)) for text in LAW_SOURCE)


@pytest.mark.parametrize(
    ("pdf_name", "title"),
    [
        (LAW_PDF, "中华人民共和国母婴保健法实施办法"),
        ("zongbao-notice.pdf", None),  # its /Title is "Microsoft Word - 国发〔2019〕3号.docx"
    ],
)
def test_pdf_title_is_kept_only_when_it_is_a_real_title(pdf_name: str, title: str | None) -> None:
    extract = read_once(pdf, pdf_name)
    assert (extract.title, extract.fields, extract.source_url) == (title, {}, None)


def test_a_scanned_pdf_says_it_has_no_text_layer() -> None:
    with pytest.raises(CorpusError) as error:
        read(pdf, "muying-law-scan.pdf")
    assert "no text layer (scanned PDF?)" in error.value.reason


def tiny_pdf(lines: list[str], in_form: bool = False) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica, in the page or in a form XObject."""
    text = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    content = "/X1 Do" if in_form else text
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
        f" /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    xref += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n"
    return out + (xref + trailer).encode()


@pytest.mark.parametrize("in_form", [False, True], ids=["page", "form-xobject"])
def test_a_one_line_latin_pdf_keeps_its_word_spaces(in_form: bool) -> None:
    extract = pdf.read(tiny_pdf(["Article 1 applies to every office."], in_form), Path("memo.pdf"))
    assert extract == Extract([Block("Article 1 applies to every office.")])


LAW_PDF_BYTES = (FIXTURES / LAW_PDF).read_bytes()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (LAW_PDF_BYTES[: len(LAW_PDF_BYTES) // 2], "truncated PDF"),
        (LAW_PDF_BYTES[: len(LAW_PDF_BYTES) // 2] + b"\n%%EOF\n", "damaged PDF"),
        (b"%PDF-1.7\n" + random.Random(7).randbytes(4000) + b"\n%%EOF\n", "damaged PDF"),
        ((FIXTURES / "muying-law-encrypted.pdf").read_bytes(), "needs a password"),
        (b"<html>not a pdf</html>", "not a PDF"),
    ],
    ids=["truncated", "truncated-with-eof", "random-body", "encrypted", "html"],
)
def test_a_damaged_pdf_raises_corpus_error(raw: bytes, reason: str) -> None:
    with pytest.raises(CorpusError) as error:
        pdf.read(raw, Path("bad.pdf"))
    assert reason in error.value.reason
    assert "\n" not in str(error.value)


# DOCX: a law in Word's heading styles, the same with automatic numbering, a table


WUBAO = law_paragraphs("wubao-law.md")


def test_docx_headings_keep_their_levels() -> None:
    blocks = read_once(docx, "wubao-law.docx").blocks
    headings = [(block.text, block.heading) for block in blocks if block.heading]
    assert headings[:3] == [("农村五保供养工作条例", 1), ("第一章 总则", 2), ("第二章 供养对象", 2)]
    assert headings == [(text, level) for text, level in WUBAO if level]


def test_docx_articles_are_body_blocks() -> None:
    blocks = read_once(docx, "wubao-law.docx").blocks
    assert blocks == [Block(text, level) for text, level in WUBAO]
    assert Block("第六条 老年、残疾或者未满16周岁的村民，无劳动能力、无生活来源又无法定赡养、抚养、扶养义务人，"
                 "或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力的，享受农村五保供养待遇。") in blocks


def test_word_automatic_numbering_is_written_into_the_text() -> None:
    numbered = read_once(docx, "wubao-law-numbered.docx").blocks
    assert numbered == read_once(docx, "wubao-law.docx").blocks
    items = [block.text[:3] for block in numbered if block.text.startswith("(")]
    assert items[:6] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(一)"]  # restarts in each article
    assert items == [text[:3] for text, _ in WUBAO if text.startswith("(")]


def test_docx_table_cells_come_in_reading_order() -> None:
    extract = read_once(docx, "crimes-table.docx")
    source = (FIXTURES / "crimes-table.md").read_text(encoding="utf-8")
    cells = [cell.strip() for row in re.findall(r"^\|(.*)\|\s*$", source, re.MULTILINE)
             if not row.startswith("-") for cell in row.split("|")]
    assert texts(extract)[-len(cells):] == cells
    assert cells[:4] == ["刑法条文", "罪名", "第134条第2款 （《刑法修正案（六）》第1条第2款）", "强令违章冒险作业罪"]


def test_a_wps_style_named_biaoti_1_is_a_heading() -> None:
    first = read_once(docx, "crimes-table.docx").blocks[0]
    assert first == Block("最高人民法院、最高人民检察院关于执行《中华人民共和国刑法》确定罪名的补充规定（三）", 1)


@pytest.mark.parametrize(
    ("docx_name", "title"),
    [("wubao-law.docx", "农村五保供养工作条例"), ("crimes-table.docx", None)],
)
def test_docx_title_comes_from_core_properties(docx_name: str, title: str | None) -> None:
    extract = read_once(docx, docx_name)
    assert (extract.title, extract.fields, extract.source_url) == (title, {}, None)


def _zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


WUBAO_BYTES = (FIXTURES / "wubao-law.docx").read_bytes()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (random.Random(7).randbytes(4000), "not a ZIP package"),
        (WUBAO_BYTES[: len(WUBAO_BYTES) // 2], "damaged .docx"),
        (_zip_without_document(), "damaged .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Word 97-2003 .doc"),
    ],
    ids=["random-bytes", "truncated", "zip-without-document", "binary-doc"],
)
def test_a_damaged_docx_raises_corpus_error(raw: bytes, reason: str) -> None:
    with pytest.raises(CorpusError) as error:
        docx.read(raw, Path("bad.docx"))
    assert reason in error.value.reason
    assert "\n" not in str(error.value)


# Both


@pytest.mark.parametrize(
    ("reader", "name"),
    [(pdf, LAW_PDF), (pdf, "zongbao-notice.pdf"),
     (docx, "wubao-law-numbered.docx"), (docx, "crimes-table.docx")],
)
def test_readers_are_deterministic(reader, name: str) -> None:
    assert read(reader, name) == read(reader, name)
