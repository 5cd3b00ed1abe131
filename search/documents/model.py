"""The records that cross module boundaries: a read source, its metadata, documents, passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """One paragraph of extracted text, as a reader found it.

    ``heading`` is the level (1-6) when the format itself marks the block as a heading
    (Markdown ``##``, HTML ``<h2>``, a DOCX "Heading 2" style), else 0. ``text`` is one
    line: readers turn line breaks inside a paragraph into separate blocks.
    """

    text: str
    heading: int = 0


@dataclass(frozen=True)
class Extract:
    """What a format reader gives the structure and metadata parsers.

    ``fields`` are labelled metadata a page states outside its body, keyed by their label
    as written with the spaces removed (a gov.cn table: {"标题": ..., "发文机关": ...,
    "发文字号": ..., "成文日期": ..., "发布日期": ..., "主题分类": ..., "索引号": ...}).
    ``title`` is a title the format marks (Markdown ``# 标题``, HTML ``<title>``/``<h1>``,
    DOCX core properties), ``source_url`` a URL the file itself names (a saved page's
    canonical link or "saved from" comment, a ``原文链接`` line).
    """

    blocks: list[Block]
    title: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    source_url: str | None = None


@dataclass(frozen=True)
class Metadata:
    """What a document states about itself; None where it does not say."""

    title: str
    office: str | None = None  # 发文机关
    number: str | None = None  # 发文字号 (文号), e.g. 国发〔2019〕5号
    written: str | None = None  # 成文日期, YYYY-MM-DD
    published: str | None = None  # 发布日期, YYYY-MM-DD
    doc_type: str | None = None  # 文种: 法律, 行政法规, 司法解释, 通知, 意见, ...
    topic: str | None = None  # 主题分类
    source_url: str | None = None
    history: tuple[str, ...] = ()  # adoption and amendment lines of a law

    @property
    def date(self) -> str | None:
        """The document's date: its 成文日期, else its 发布日期."""
        return self.written or self.published


@dataclass(frozen=True)
class Passage:
    """The unit a person cites: what a search hit and a permalink point at."""

    id: str  # "<doc-id>/<key>"
    doc_id: str
    key: str  # "3.2", "3", "notice", "intro", "第十九条", "附件1/第三条", "p4"
    path: tuple[str, ...]  # breadcrumb inside the document, ending with the passage itself
    heading: str
    text: str
    start: int  # character offsets in Document.text
    end: int
    order: int  # position in the document
    section: int | None  # top-level chapter number (三、 or 第三章 -> 3)
    kind: str = "paragraph"  # article, chapter, section, subsection, preamble, notice, ...


@dataclass(frozen=True)
class Document:
    """One seed file: its metadata, plain text and passages."""

    id: str
    meta: Metadata
    format: str  # txt, md, html, pdf, docx
    source_path: str
    text: str
    passages: tuple[Passage, ...]
    #: Every version of this law, this one included, as (id, date), newest first; () if none.
    versions: tuple[tuple[str, str | None], ...] = ()

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> str | None:
        return self.meta.date


class CorpusError(Exception):
    """A seed file that cannot be read; ``str()`` says which file and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
