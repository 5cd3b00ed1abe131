"""Fill a document's Metadata from what it states, and keep only its body lines as content."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from search.documents import history as law
from search.documents.agencies import agencies
from search.documents.dates import DATE, date_line, parse_date
from search.documents.header import Header, is_chrome, scan
from search.documents.model import Block, Extract, Metadata
from search.documents.numbers import decree_issuer, normalize_number

__all__ = ["extract", "normalize_number"]

#: Types a folder of seeds can name; they say more than a title's ending can.
DOC_TYPES = ("法律", "行政法规", "部门规章", "地方性法规", "司法解释", "案例")
#: 文种 by how a title ends, longest first where one ending contains another.
_KINDS = ("命令", "通知", "通报", "意见", "决定", "决议", "批复", "复函", "函", "公告", "通告", "公报",
          "办法", "规定", "条例", "细则", "规则", "方案", "规划", "纲要", "报告", "请示", "总结", "指引",
          "指南", "解释", "安排", "守则", "章程", "答复", "纪要", "讲话", "预案", "计划", "要点", "令")
_KIND_ALIASES = {"复函": "函", "令": "命令"}
_REGULATION_KINDS = ("条例", "规定", "办法", "细则")

_TITLE_TAIL_RE = re.compile(r"(?:\s*[（(][^（()）]{1,20}[)）])+$")  # （试行）, （2019年修订）, （一）
_TITLE_OFFICE_RE = re.compile(r"^(?P<org>.+?)(?:关于|转发|批转|印发|对)")
_DECREE_TITLE_RE = re.compile(r"公布.*?《(?P<title>[^》]+)》|《(?P<title2>[^》]+)》.*?公布")
_ROW_NUMBER_RE = re.compile(r"^\d+\s*[_\-.、．]\s*")
_NAME_TAIL_RE = re.compile(r"\s*[（(][^（()）]*(?:\d{4}-\d|[A-Za-z]{2,})[^（()）]*[)）]$|(?:\.\.\.|…)+$")
_LETTER_SPACED_RE = re.compile(r"^(?:\S[ \u3000]+){2,}\S$")


def _tidy(title: str) -> str:
    """Collapse the spaces inside a title; drop them where it is letter-spaced (国 务 院 工 作 规 则)."""
    title = title.strip(" \t\u3000")
    if _LETTER_SPACED_RE.match(title):
        return re.sub(r"[ \u3000]+", "", title)
    return re.sub(r"[ \u3000]+", " ", title)


def _join_title(lines: list[str]) -> str | None:
    """Join a title printed over several lines, once even if it is printed twice."""
    title = ""
    for line in map(_tidy, lines):
        if title and title.replace(" ", "").startswith(line.replace(" ", "")):
            break  # the second copy begins
        title += line
    return title if 0 < len(title) <= 120 else None


def _decree_title(blocks: list[Block], start: int) -> str | None:
    """Return the title a 令 promulgates: 现公布《…》, in the lines after its number."""
    for block in blocks[start:start + 4]:
        if found := _DECREE_TITLE_RE.search(block.text):
            return found["title"] or found["title2"]
    return None


def _name_title(path: Path) -> str:
    """Return a file's name as a title: 01_劳动法(2018-12-29).md -> 劳动法."""
    stem = _ROW_NUMBER_RE.sub("", path.stem)
    while (shorter := _NAME_TAIL_RE.sub("", stem).strip()) != stem:  # "…宣...(FBM-CLI.12.1075244)"
        stem = shorter
    return stem or path.stem


def _closing(body: list[Block]) -> tuple[str | None, str | None]:
    """Return the (date, office) of the first signature: a date line and the names just above it."""
    for i, block in enumerate(body):
        if written := date_line(block.text):
            names = []
            for above in reversed(body[max(0, i - 4):i]):
                if not (name := agencies(above.text)):
                    break
                names.insert(0, name)
            return written, "、".join(names) or None
    return None, None


def _title_office(title: str) -> str | None:
    """Return the body a title begins with: 国务院办公厅关于… -> 国务院办公厅."""
    match = _TITLE_OFFICE_RE.match(title)
    return agencies(match["org"]) if match else None


def _source(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """Split a 来源 value into (office, date): "办公室 (2018-04-02)" -> ("办公室", "2018-04-02")."""
    value = fields.get("来源", "")
    if value.startswith("http"):
        return None, None
    office = re.sub(rf"[（(]?\s*{DATE}\s*[)）]?", "", value).strip(" \t\u3000")
    return office or None, parse_date(value)


def _title_kind(title: str) -> str | None:
    title = _TITLE_TAIL_RE.sub("", re.sub("——.*$", "", title)).rstrip("》”\"")  # less a subtitle
    kind = next((kind for kind in _KINDS if title.endswith(kind)), None)
    return _KIND_ALIASES.get(kind, kind) if kind else None


def _doc_type(title: str, office: str | None, number: str | None, enacted: bool, hint: str | None) -> str | None:
    """Return the 文种: a type the folder names, else one the issuer implies, else the title's ending."""
    for part in PurePosixPath(hint or "").parts:
        if part in DOC_TYPES:
            return part
    kind = _title_kind(title)
    offices = office.split("、") if office else []
    issuer = decree_issuer(number) if number else None
    if any("全国人民代表大会" in name for name in offices) and _TITLE_TAIL_RE.sub("", title).endswith("法"):
        return "法律"
    if offices and all(name.endswith(("人民代表大会", "人民代表大会常务委员会")) for name in offices):
        return "地方性法规" if not any("全国" in name for name in offices) else kind
    if kind in _REGULATION_KINDS and (issuer == "国务院" or enacted and offices[:1] == ["国务院"]):
        return "行政法规"
    # What the courts' and procuratorates' committees adopt is an interpretation, whatever its ending.
    if offices and set(offices) <= {"最高人民法院", "最高人民检察院"} and (
            enacted or kind in ("解释", "规定", "批复", "决定")):
        return "司法解释"
    if issuer and issuer != "国务院" and kind in (*_REGULATION_KINDS, "规则"):
        return "部门规章"
    return kind


def _read_header(blocks: list[Block], title: str | None) -> Header:
    """Read the header; after a 令's own lines (number, text, signature, date), read the law's too."""
    header = scan(blocks, 0, title)
    if not (header.number and decree_issuer(header.number)):
        return header
    for i in range(header.end, min(header.end + 6, len(blocks))):
        if date_line(blocks[i].text):
            law_header = scan(blocks, i + 1, title)
            header.dropped |= law_header.dropped
            header.history += law_header.history
            header.fields = {**law_header.fields, **header.fields}
            header.title_lines = header.title_lines or law_header.title_lines
            break
    if not header.title_lines and (decreed := _decree_title(blocks, header.end)):
        header.title_lines = [decreed]
    return header


def extract(source: Extract, path: Path, hint: str | None = None) -> tuple[Metadata, list[Block]]:
    """Return what ``source`` states about itself, and its body blocks without the header lines.

    ``hint`` is the seed's folder relative to the seed root ("行政法规", "案例/劳动人事"): a
    folder that names a type of document gives the 文种.
    """
    blocks = source.blocks
    header = _read_header(blocks, source.fields.get("标题") or source.title)
    body = [block for i, block in enumerate(blocks) if i not in header.dropped and not is_chrome(block.text)]
    fields = {**header.fields, **source.fields}
    history = law.events(header.history)
    signed, signatory = _closing(body)
    source_office, source_date = _source(fields)

    title = _tidy(fields.get("标题") or source.title or "") or _join_title(header.title_lines) or (
        _name_title(path))
    number_text = fields.get("发文字号")
    number = (number_text and (normalize_number(number_text) or number_text)) or header.number or (
        law.decree_number(history))
    office = agencies(fields.get("发文机关", "")) or fields.get("发文机关") or header.issuer or source_office or (
        law.enacted_by(history)) or (decree_issuer(number) if number else None) or signatory or (
        _title_office(title))
    written = parse_date(fields.get("成文日期", "")) or signed
    published = parse_date(fields.get("发布日期", "")) or source_date or header.date or (
        law.published(history, parse_date(path.stem))) or parse_date(path.stem)
    url = source.source_url or next(
        (value for value in (fields.get("原文链接"), fields.get("来源")) if value and value.startswith("http")), None)
    meta = Metadata(
        title=title, office=office, number=number, written=written, published=published,
        doc_type=_doc_type(title, office, number, bool(history), hint), topic=_topic(fields.get("主题分类")),
        source_url=url, history=history)
    return meta, body


def _topic(value: str | None) -> str | None:
    """Return a 主题分类 path with one backslash between levels (a crawl's dump doubles them)."""
    return re.sub(r"\\+", r"\\", value).strip() or None if value else None
