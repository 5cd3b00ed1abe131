"""Read a Word .docx into paragraphs in body order (python-docx), table cells included."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from lxml import etree

from search.documents.model import Block, CorpusError, Extract

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-6])", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
# Subtrees whose text is not the paragraph's own: properties (w:tabs holds w:tab stops),
# text boxes (and the fallback copy Word writes of them), deleted and moved-away revisions.
_SKIPPED = {qn("w:pPr"), qn("w:rPr"), qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom"),
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_CHARACTERS = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): "\n", qn("w:cr"): "\n",
               qn("w:noBreakHyphen"): "-"}


def read(raw: bytes, path: Path) -> Extract:
    """Read a .docx body into paragraph blocks with heading levels; raise CorpusError if damaged."""
    document = _open(raw, path)
    styles = _Styles(document)
    numbering = _Numbering(document)
    blocks = []
    for paragraph in _paragraphs(document.element.body):
        style = styles.of(paragraph)
        text = numbering.label(paragraph, styles.numbering(style)) + _text(paragraph)
        level = _outline_level(paragraph) or styles.heading(style)
        # A manual line break inside a paragraph makes separate blocks, like every reader.
        blocks += [Block(line, level) for line in map(str.strip, text.split("\n")) if line]
    title = " ".join((document.core_properties.title or "").split())
    return Extract(blocks=blocks, title=title or None)


def _open(raw: bytes, path: Path) -> Document:
    """Open the package, naming the usual ways a file that is not a .docx fails."""
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise CorpusError(path, "a Word 97-2003 .doc or a password-protected file, not a .docx: "
                                "save it as .docx without a password")
    if not raw.startswith(b"PK"):
        raise CorpusError(path, "damaged .docx (not a ZIP package)")
    try:
        return docx.Document(io.BytesIO(raw))
    except Exception as error:  # noqa: BLE001 - damage surfaces in zipfile, lxml or python-docx
        detail = " ".join(str(error).split())[:200] or "no detail"
        raise CorpusError(path, f"damaged .docx ({type(error).__name__}: {detail})") from None


def _paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs of a body or table cell in reading order, into tables and content controls."""
    for child in container:
        if child.tag == qn("w:p"):
            yield child
        elif child.tag == qn("w:tbl"):
            # Each w:tc once: a merged cell is one element, unlike python-docx's grid of cells.
            # Cells of a nested table are reached through the cell that holds it.
            for cell in child.iter(qn("w:tc")):
                if _owner_table(cell) is child:
                    yield from _paragraphs(cell)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")):
            yield from _paragraphs(child)


def _owner_table(cell: etree._Element) -> etree._Element | None:
    """The table a cell belongs to (rows may sit inside content controls)."""
    node = cell.getparent()
    while node is not None and node.tag != qn("w:tbl"):
        node = node.getparent()
    return node


def _text(paragraph: etree._Element) -> str:
    """The paragraph's visible text: runs, hyperlinks, fields' results and inserted revisions."""
    parts = []

    def walk(node: etree._Element) -> None:
        for child in node:
            if child.tag in _SKIPPED or child.tag == qn("w:p"):
                continue
            if child.tag in _CHARACTERS:
                parts.append(_CHARACTERS[child.tag] or child.text or "")
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _outline_level(paragraph: etree._Element) -> int:
    """A heading level set on the paragraph itself (w:outlineLvl 0-5), else 0."""
    outline = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    level = int(outline.get(qn("w:val"), "9")) if outline is not None else 9
    return level + 1 if level < 6 else 0


class _Styles:
    """Paragraph styles by id, with what their chain of base styles says."""

    def __init__(self, document: Document) -> None:
        self._by_id = {style.style_id: style for style in document.styles
                       if style.type == WD_STYLE_TYPE.PARAGRAPH}
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._default = default.style_id if default is not None else None

    def of(self, paragraph: etree._Element) -> str | None:
        """The id of the paragraph's style."""
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style.get(qn("w:val")) if style is not None else self._default

    def _chain(self, style_id: str | None) -> Iterator[ParagraphStyle]:
        seen = set()
        style = self._by_id.get(style_id)
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            yield style
            style = style.base_style

    def heading(self, style_id: str | None) -> int:
        """1-6 for a "Heading N"/"标题 N"/Title style, a style based on one, or an outline level."""
        for style in self._chain(style_id):
            name = (style.name or "").strip()
            if match := _HEADING_STYLE.fullmatch(name):
                return int(match[1])
            if name.lower() in _TITLE_STYLES:
                return 1
            # WPS and custom styles mark headings by outline level alone.
            if style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is not None:
                return _outline_level(style.element)
        return 0

    def numbering(self, style_id: str | None) -> etree._Element | None:
        """The w:numPr a style (or its base) gives its paragraphs."""
        for style in self._chain(style_id):
            numbering = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numbering is not None:
                return numbering
        return None


class _Numbering:
    """Word's automatic list numbers (第一条, （一）, 1.), which are not in the paragraph text."""

    def __init__(self, document: Document) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self._lists: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return
        for abstract in root.iter(qn("w:abstractNum")):
            self._levels[abstract.get(qn("w:abstractNumId"))] = {
                int(level.get(qn("w:ilvl"), "0")): (
                    _val(level, "w:numFmt", "decimal"), _val(level, "w:lvlText", ""),
                    int(_val(level, "w:start", "1")), _val(level, "w:suff", "tab"))
                for level in abstract.iter(qn("w:lvl"))}
        for number in root.iter(qn("w:num")):
            starts = {int(override.get(qn("w:ilvl"), "0")):
                      int(_val(override, "w:startOverride", "1"))
                      for override in number.iter(qn("w:lvlOverride"))
                      if override.find(qn("w:startOverride")) is not None}
            self._lists[number.get(qn("w:numId"))] = (_val(number, "w:abstractNumId", ""), starts)

    def label(self, paragraph: etree._Element, style_numbering: etree._Element | None) -> str:
        """Count the paragraph in its list and return its label with the separator, or ""."""
        numbering = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numbering is None:
            numbering = style_numbering
        if numbering is None:
            return ""
        number_id = _val(numbering, "w:numId", "0")
        level = int(_val(numbering, "w:ilvl", "0"))
        abstract, starts = self._lists.get(number_id, ("", {}))
        levels = self._levels.get(abstract, {})
        if level not in levels:
            return ""
        # Lists that share an abstract definition continue each other's count in Word,
        # unless one restarts it with a start override.
        counters = self._counters.setdefault(number_id if starts else abstract, {})
        counters[level] = counters.get(level, starts.get(level, levels[level][2]) - 1) + 1
        for deeper in [other for other in counters if other > level]:
            del counters[deeper]
        number_format, text, _, suffix = levels[level]
        if number_format in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match[1]) - 1
            fmt, _, start, _ = levels.get(index, ("decimal", "", 1, ""))
            return _format(fmt, counters.get(index, start))

        return re.sub(r"%([1-9])", number, text) + ("" if suffix == "nothing" else " ")


def _val(element: etree._Element, child: str, default: str) -> str:
    found = element.find(qn(child))
    return found.get(qn("w:val"), default) if found is not None else default


_DIGITS = "零一二三四五六七八九"
_COUNTING = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"}
_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographDigital": lambda n: "".join(_DIGITS[int(digit)] for digit in str(n)),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": lambda n: _roman(n),
}


def _format(number_format: str, n: int) -> str:
    """Write a list number as Word's numFmt does; the Chinese counting formats as 一, 十一, 一百零一."""
    if number_format in _COUNTING:
        return _chinese(n)
    return _FORMATS.get(number_format, str)(n)


def _chinese(n: int) -> str:
    text, zero = "", False
    for position, digit in zip(range(len(str(n)) - 1, -1, -1), map(int, str(n))):
        if digit == 0:
            zero = bool(text)
            continue
        text += ("零" if zero else "") + _DIGITS[digit] + ("", "十", "百", "千", "万")[min(position, 4)]
        zero = False
    return text[1:] if text.startswith("一十") else text or "零"


def _roman(n: int) -> str:
    text = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        text += letters * count
    return text
