"""Read seed files into Documents and their section-level Passages."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from search import pages
from search.settings import SEED_SUFFIXES


@dataclass(frozen=True)
class Passage:
    """A section-level unit of a document: what a search hit and a permalink point at."""

    id: str  # "<doc-id>/3.2"
    doc_id: str
    key: str  # "3.2", "3", "notice", "intro", "p4"
    path: tuple[str, ...]  # ("三、服务实体经济发展取得新成效", "(二)深化知识产权金融创新")
    heading: str
    text: str
    start: int  # character offsets in Document.text
    end: int
    order: int  # position in the document
    section: int | None  # chapter number (三 -> 3)


@dataclass(frozen=True)
class Document:
    """One seed file: its metadata, plain text and passages."""

    id: str
    title: str
    source: str
    date: str | None
    source_path: str
    text: str
    passages: tuple[Passage, ...]


class CorpusError(Exception):
    """A seed file that cannot be read; ``str()`` says which file and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


_NUMERALS = "一二三四五六七八九十"
_SECTION_RE = re.compile(rf"^([{_NUMERALS}]+)、\s*(.+)$")
_SUBSECTION_RE = re.compile(rf"^([(（]([{_NUMERALS}]+)[)）])\s*(.*)$")
_NOTICE_END_RE = re.compile(r"^[(（]此件.{0,10}[)）]$")
_SOURCE_RE = re.compile(r"^(?:来源|发布机构|发文机关|信息来源)\s*[:：]\s*(.*)$")
_DATE_RE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_CHROME_RE = re.compile(
    r"^(?:首页\s*[>›»/].*|.*字体大小.*|字号[:：].*|[\[【]\s*(?:关闭窗口|打印本页|打印|关闭|返回顶部)\s*[\]】]"
    r"|(?:关闭窗口|打印本页|返回顶部|分享到[:：]?.*))$"
)
_BLANK_CHARS = " \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SENTENCE_END = "。！？；.!?;:："
_HEADING_MAX = 40


def decode(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), GB18030 or UTF-16 with BOM; else raise CorpusError."""
    if not raw.strip():
        raise CorpusError(path, "empty file")
    # Windows "Unicode" text is UTF-16 with a byte-order mark; its NUL bytes are not binary.
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in raw
    if b"\x00" in raw and not utf16:
        raise CorpusError(path, "binary file (contains NUL bytes), not text")
    # Strict UTF-8 first: many UTF-8 Chinese byte strings also decode as GB18030.
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise CorpusError(path, "cannot decode: the file is neither UTF-8 nor GB18030")


def chinese_number(numeral: str) -> int:
    """Return the value of a Chinese numeral up to 99 (三 -> 3, 十二 -> 12)."""
    digits = {c: i + 1 for i, c in enumerate(_NUMERALS[:9])}
    if "十" not in numeral:
        return digits.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)


def chapter_number(value: str) -> int | None:
    """Read a chapter number typed as 3 or 三; None when it is neither."""
    value = value.strip().rstrip("、")
    if value.isascii() and value.isdigit():
        return int(value)
    if value and all(c in _NUMERALS for c in value):
        return chinese_number(value) or None
    return None


def doc_id_for(path: Path) -> str:
    """Return a URL-friendly document id derived from the file name."""
    slug = re.sub(r"[^0-9a-z_-]+", "-", path.stem.lower()).strip("-")
    return slug or "doc-" + hashlib.sha1(path.name.encode()).hexdigest()[:8]


def clean(line: str) -> str:
    """Strip layout whitespace and invisible characters from a line of text."""
    return _INVISIBLE_RE.sub("", line).replace("\u00a0", " ").strip(_BLANK_CHARS)


@dataclass
class _Paragraph:
    text: str
    start: int
    end: int


def _paragraphs(text: str) -> list[_Paragraph]:
    """Split text into non-blank lines with their offsets."""
    found = []
    offset = 0
    for line in text.split("\n"):
        cleaned = clean(line)
        if cleaned:
            lead = len(line) - len(line.lstrip(_BLANK_CHARS))
            found.append(_Paragraph(cleaned, offset + lead, offset + len(line.rstrip(_BLANK_CHARS))))
        offset += len(line) + 1
    return found


def _heading_of(body: str) -> str:
    """Return the heading that opens a subsection paragraph: up to its first full stop."""
    head = re.split(r"[。；;！？]", body, maxsplit=1)[0].strip()
    return head if len(head) <= _HEADING_MAX else head[: _HEADING_MAX - 1] + "…"


def _is_title_line(text: str) -> bool:
    return len(text) <= _HEADING_MAX and text[-1] not in _SENTENCE_END


class _Builder:
    """Collect passages in document order."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.passages: list[Passage] = []

    def add(self, key: str, path: tuple[str, ...], heading: str, paragraphs: list[_Paragraph],
            section: int | None) -> None:
        if not paragraphs:
            return
        self.passages.append(
            Passage(
                id=f"{self.doc_id}/{key}", doc_id=self.doc_id, key=key, path=path, heading=heading,
                text="\n".join(p.text for p in paragraphs), start=paragraphs[0].start,
                end=paragraphs[-1].end, order=len(self.passages), section=section,
            )
        )


def _split_preamble(builder: _Builder, paragraphs: list[_Paragraph], title: str) -> None:
    """Make the notice (addressee ... 此件主动公开) and the intro passages."""
    notice_end = next((i for i, p in enumerate(paragraphs) if _NOTICE_END_RE.match(p.text)), None)
    intro = paragraphs
    if notice_end is not None:
        builder.add("notice", ("印发通知",), title, paragraphs[: notice_end + 1], None)
        intro = paragraphs[notice_end + 1 :]
    if intro and len(intro) > 1 and _is_title_line(intro[0].text):
        builder.add("intro", (intro[0].text,), intro[0].text, intro[1:], None)
    else:
        builder.add("intro", ("引言",), "引言", intro, None)


@dataclass
class _Open:
    """The passage being collected: opened by a heading line, extended by paragraphs."""

    key: str
    path: tuple[str, ...]
    heading: str
    section: int
    heading_line: _Paragraph
    body: list[_Paragraph]

    def close(self, builder: _Builder) -> None:
        # A section with no lead text still gets its passage: its heading line.
        builder.add(self.key, self.path, self.heading, self.body or [self.heading_line],
                    self.section or None)


def _passages(doc_id: str, title: str, paragraphs: list[_Paragraph]) -> tuple[Passage, ...]:
    """Cut content paragraphs into passages by 一、 sections and (一) subsections."""
    builder = _Builder(doc_id)
    structured = any(_SECTION_RE.match(p.text) or _SUBSECTION_RE.match(p.text) for p in paragraphs)
    if not structured:
        for number, paragraph in enumerate(paragraphs, 1):
            builder.add(f"p{number}", (), _heading_of(paragraph.text), [paragraph], None)
        return tuple(builder.passages)

    preamble: list[_Paragraph] = []
    current: _Open | None = None
    section, section_line = 0, ""
    for paragraph in paragraphs:
        section_match = _SECTION_RE.match(paragraph.text)
        if section_match and len(section_match.group(2)) > _HEADING_MAX * 2:
            section_match = None  # a long 一、 paragraph is a list item in running text
        sub_match = _SUBSECTION_RE.match(paragraph.text)
        if not (section_match or sub_match):
            (current.body if current else preamble).append(paragraph)
            continue
        if current is None:
            _split_preamble(builder, preamble, title)
        else:
            current.close(builder)
        if section_match:
            section = chinese_number(section_match.group(1))
            rest = section_match.group(2)
            heading = _heading_of(rest)
            section_line = f"{section_match.group(1)}、{heading}"
            # A heading-only line: the lead is what follows; otherwise the line is the lead.
            lead = [] if _is_title_line(rest) else [paragraph]
            current = _Open(str(section), (section_line,), heading, section, paragraph, lead)
        else:
            heading = _heading_of(sub_match.group(3))
            path = (*(p for p in [section_line] if p), f"{sub_match.group(1)}{heading}")
            key = f"{section}.{chinese_number(sub_match.group(2))}"
            current = _Open(key, path, heading, section, paragraph, [paragraph])
    if current is not None:
        current.close(builder)
    return tuple(builder.passages)


def _header(paragraphs: list[_Paragraph]) -> tuple[str, str, str | None, list[_Paragraph]]:
    """Take the title, source office and date off the top; drop site chrome."""
    title, source, date = "", "", None
    content = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if _CHROME_RE.match(text):
            continue
        source_match = _SOURCE_RE.match(text)
        if source_match and not content and index < 8:
            value = source_match.group(1)
            date_match = _DATE_RE.search(value)
            if date_match:
                date = "{}-{:0>2}-{:0>2}".format(*date_match.groups())
                value = value[: date_match.start()]
            source = value.strip(_BLANK_CHARS + "(（")
            continue
        # A document that opens with 一、 or (一) has no title line: keep its first section.
        if not title and not content and _is_title_line(text) and index < 4 \
                and not _SECTION_RE.match(text) and not _SUBSECTION_RE.match(text):
            title = text
            continue
        content.append(paragraph)
    return title, source, date, content


def parse_document(path: Path, root: Path | None = None, doc_id: str | None = None) -> Document:
    """Parse one seed file; raise CorpusError when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(path, f"cannot read: {error.strerror}") from error
    text = decode(raw, path)
    fallback_title = ""
    if path.suffix.lower() in (".html", ".htm"):
        fallback_title, text = pages.html_to_text(text)
    elif path.suffix.lower() in (".md", ".markdown"):
        fallback_title, text = pages.markdown_to_text(text)
    paragraphs = _paragraphs(text)
    title, source, date, content = _header(paragraphs)
    if fallback_title:
        if title and title != fallback_title:
            content.insert(0, next(p for p in paragraphs if p.text == title))
        title = fallback_title
    doc_id = doc_id or doc_id_for(path)
    passages = _passages(doc_id, title or path.stem, content)
    if not passages:
        raise CorpusError(path, "no text left after removing page chrome")
    source_path = str(path.relative_to(root)) if root else str(path)
    return Document(doc_id, title or path.stem, source, date, source_path, text, passages)


def seed_files(seeds: Path) -> list[Path]:
    """Return the seed files in a stable order."""
    return sorted(p for p in seeds.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES)


def read_corpus(seeds: Path) -> tuple[list[Document], list[CorpusError]]:
    """Parse every seed file; collect the ones that fail instead of stopping."""
    documents: list[Document] = []
    errors: list[CorpusError] = []
    taken: set[str] = set()
    for path in seed_files(seeds):
        doc_id = doc_id_for(path)
        suffix = 2
        while doc_id in taken:
            doc_id, suffix = f"{doc_id_for(path)}-{suffix}", suffix + 1
        try:
            documents.append(parse_document(path, seeds, doc_id))
        except CorpusError as error:
            errors.append(error)
            continue
        taken.add(doc_id)
    return documents, errors
