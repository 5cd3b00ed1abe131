"""Read the text layer of a PDF into paragraphs (pdfminer.six), dropping page furniture."""

from __future__ import annotations

import bisect
import io
import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTContainer,
    LTFigure,
    LTPage,
    LTTextBox,
    LTTextLineHorizontal,
)
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from search.documents.model import Block, CorpusError, Extract

# pdfminer logs every benign oddity of real-world files (missing CropBox, unknown colour
# space) at WARNING, which Python prints to stderr when the caller has not set up logging.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# boxes_flow=None skips pdfminer's box ordering (its slowest step): rows are sorted here.
# all_texts=True lays out text drawn inside form XObjects too, as some PDF makers do.
_LAPARAMS = LAParams(boxes_flow=None, all_texts=True)

# Characters set on a square grid; pdfminer's guessed word gaps next to them are not spaces.
_WIDE = re.compile(r"[\u2010-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_PAGE_NUMBER = re.compile(
    r"[-—–－~\s]*\d{1,4}[-—–－~\s]*"  # 7, - 7 -, — 7 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第 7 页, 第7页 共9页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 7/9
    r"|page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。：；！？:;!?][”’」』）)]*$")
_CLOSED = re.compile(r"[。：；！？:;!?）)”’」』]$")
_NUMBER = "[一二三四五六七八九十百千零〇两\\d]+"
# 第一章 / 第十二条 followed by a space starts a block even after a row that fills the width.
_HEADING_START = re.compile(rf"第{_NUMBER}[编章节条](?:[ \u3000]|$)")
_PART_HEADING = re.compile(rf"第{_NUMBER}[编章节](?:[ \u3000]|$)")
# An enumerated item: 一、 （一） (1) 1. 1、
_ITEM_START = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d)")
_FILE_TITLE = re.compile(
    r"^(?:Microsoft\s+\w+\s+-\s|WPS\s)|\.(?:docx?|wps|pdf|rtf|txt|xlsx?|html?)$|^(?:untitled|无标题)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Row:
    """One visual line of a page, in PDF units (y grows up from the foot of the page)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float  # font size, from the glyph heights


@dataclass(frozen=True)
class _Page:
    width: float
    rows: list[_Row]


def read(raw: bytes, path: Path) -> Extract:
    """Read a PDF's text layer into paragraph blocks; raise CorpusError if it has none."""
    if b"%PDF-" not in raw[:1024]:
        raise CorpusError(path, "not a PDF (no %PDF- header)")
    # A download cut short loses its cross-reference table; pdfminer would silently
    # rebuild what it can and drop the rest of the document.
    if b"%%EOF" not in raw[-4096:]:
        raise CorpusError(path, "truncated PDF (no %%EOF marker at the end)")
    title, pages = _parse(raw, path)
    pages = _drop_furniture(pages)
    if not any(page.rows for page in pages):
        raise CorpusError(path, "no text layer (scanned PDF?)")
    return Extract(blocks=_paragraphs(pages), title=title)


def _parse(raw: bytes, path: Path) -> tuple[str | None, list[_Page]]:
    """Run pdfminer over every page; turn its failures into one-line CorpusErrors."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(raw)))
        resources = PDFResourceManager()
        device = PDFPageAggregator(resources, laparams=_LAPARAMS)
        interpreter = PDFPageInterpreter(resources, device)
        pages = []
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layout = device.get_result()
            pages.append(_Page(layout.width, _rows(layout)))
        return _title(document), pages
    except PDFPasswordIncorrect:
        raise CorpusError(path, "encrypted PDF: it needs a password to open") from None
    except PDFEncryptionError as error:
        raise CorpusError(path, f"encrypted PDF: {error}") from None
    except Exception as error:  # noqa: BLE001 - on a damaged file pdfminer raises anything
        detail = " ".join(str(error).split())[:200] or "no detail"
        raise CorpusError(path, f"damaged PDF ({type(error).__name__}: {detail})") from None


def _title(document: PDFDocument) -> str | None:
    """The /Title of the document information, unless it is empty or a file name."""
    for info in document.info:
        value = resolve1(info.get("Title"))
        title = " ".join(_decode_info(value).split()) if isinstance(value, bytes) else ""
        if _WIDE.search(title) or re.search(r"[A-Za-z]{2}", title):
            return None if _FILE_TITLE.search(title) else title
    return None


def _decode_info(value: bytes) -> str:
    """Decode an info string: UTF-16 with a BOM per the spec, or Chinese tools' UTF-8 or GBK."""
    if value.startswith(b"\xfe\xff") or value.isascii():
        return decode_text(value)
    for encoding in ("utf-8", "gb18030"):
        try:
            return value.decode(encoding)
        except UnicodeDecodeError:
            continue
    return decode_text(value)


def _rows(page: LTPage) -> list[_Row]:
    """The page's text lines merged into visual rows, top to bottom.

    Sorting by height reads a single-column page and keeps a table row's cells together,
    the layouts of official documents; two-column pages come out interleaved.
    """
    lines = sorted(_lines(page), key=lambda line: -line.y1)
    groups: list[list[LTTextLineHorizontal]] = []
    for line in lines:
        first = groups[-1][0] if groups else None
        # Fragments of one row (split at a wide gap, or table cells) overlap by most of a line.
        overlap = min(first.y1, line.y1) - max(first.y0, line.y0) if first else 0.0
        if first and overlap > 0.5 * min(first.height, line.height):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [row for row in map(_row, groups) if row.text]


def _lines(container: LTContainer) -> Iterator[LTTextLineHorizontal]:
    """The horizontal text lines of a page, also those inside figures (form XObjects)."""
    for item in container:
        if isinstance(item, LTTextLineHorizontal):
            yield item
        elif isinstance(item, (LTTextBox, LTFigure)):
            yield from _lines(item)


def _row(fragments: list[LTTextLineHorizontal]) -> _Row:
    """Join a row's fragments left to right; a visible gap between them becomes one space."""
    fragments.sort(key=lambda line: line.x0)
    sizes = [char.size for line in fragments for char in line if isinstance(char, LTChar)]
    size = statistics.median(sizes) if sizes else 0.0
    text = _line_text(fragments[0])
    for before, line in zip(fragments, fragments[1:]):
        part = _line_text(line)
        text += (" " if text and part and line.x0 - before.x1 > size / 2 else "") + part
    return _Row(text.strip(), fragments[0].x0, max(line.x1 for line in fragments),
                max(line.y1 for line in fragments), size)


def _line_text(line: LTTextLineHorizontal) -> str:
    """A line's glyphs, keeping pdfminer's guessed word gaps only between Latin letters."""
    items = list(line)
    text = []
    for index, item in enumerate(items):
        value = item.get_text()
        if isinstance(item, LTAnno):
            before = items[index - 1].get_text()[-1:] if index else ""
            after = items[index + 1].get_text()[:1] if index + 1 < len(items) else ""
            if value != " " or not before or not after or _WIDE.match(before) or _WIDE.match(after):
                continue
        text.append(value)
    return "".join(text)


def _drop_furniture(pages: list[_Page]) -> list[_Page]:
    """Remove page numbers and running headers/footers from the top and bottom rows of pages."""
    edges = {(number, index) for number, page in enumerate(pages)
             for index in range(len(page.rows)) if index < 2 or index >= len(page.rows) - 2}
    heights: dict[str, list[tuple[int, float]]] = {}
    for number, index in edges:
        row = pages[number].rows[index]
        heights.setdefault(_furniture_key(row.text), []).append((number, row.top))
    # A running header or footer repeats, digits aside, at the same height on most pages.
    needed = max(2, math.ceil(len(pages) / 2))

    def furniture(row: _Row) -> bool:
        if _PAGE_NUMBER.fullmatch(row.text):
            return True
        tolerance = max(2.0, row.size / 2)
        twins = heights[_furniture_key(row.text)]
        return len({number for number, top in twins if abs(top - row.top) <= tolerance}) >= needed

    return [_Page(page.width, [row for index, row in enumerate(page.rows)
                               if (number, index) not in edges or not furniture(row)])
            for number, page in enumerate(pages)]


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


@dataclass(frozen=True)
class _Frame:
    """Where the text area of a kind of page runs, learnt from its rows."""

    left: float
    right: float
    indent: float | None  # the usual x of an indented first row


def _frame(rows: list[_Row], size: float) -> _Frame:
    left = _margin([row.x0 for row in rows], size / 2, leftmost=True)
    right = _margin([row.x1 for row in rows], size / 2, leftmost=False)
    # First rows share one indent; a centred heading's x is not one however often it shows.
    indents = Counter(round(row.x0) for row in rows if row.x0 > left + size / 2).most_common(1)
    usual = indents and indents[0][1] >= max(3, len(rows) // 20)
    return _Frame(left, right, indents[0][0] if usual else None)


def _margin(values: list[float], tolerance: float, leftmost: bool) -> float:
    """The outermost x that at least a tenth of the rows (two at least) line up on."""
    ordered = sorted(values)
    needed = max(2, len(ordered) // 10)
    for value in ordered if leftmost else reversed(ordered):
        lined_up = bisect.bisect_right(ordered, value + tolerance) - bisect.bisect_left(
            ordered, value - tolerance)
        if lined_up >= needed:
            return value
    return ordered[0] if leftmost else ordered[-1]


def _moved(frame: _Frame, rows: list[_Row], size: float) -> _Frame:
    """The frame for a page with too few rows to learn from (a last page): that of the other
    pages, moved sideways as far as its rows stick out of it (mirrored margins)."""
    if not rows:
        return frame
    shift = (min(0.0, min(row.x0 for row in rows) - frame.left)
             or max(0.0, max(row.x1 for row in rows) - frame.right))
    # Mirrored margins differ by far more than the few points a ragged margin wavers.
    if abs(shift) < 2 * size:
        return frame
    indent = None if frame.indent is None else frame.indent + shift
    return _Frame(frame.left + shift, frame.right + shift, indent)


@dataclass(frozen=True)
class _Placed:
    """A row with what its page's frame says about it."""

    row: _Row
    page: int
    full: bool  # reaches the right margin, so it may wrap into the next row
    indented: bool  # starts right of the left margin
    centred: bool  # leaves equal gaps to both margins
    spans: bool  # runs from margin to margin, less than one of its characters to spare


def _place(pages: list[_Page], size: float) -> list[_Placed]:
    """Judge every row against the frame of its kind of page."""
    # Printed documents mirror margins on odd and even pages, and a landscape page for a
    # table has its own; pages of one parity and width share a frame.
    kinds: dict[tuple[int, int], list[_Row]] = {}
    for number, page in enumerate(pages):
        kinds.setdefault((number % 2, round(page.width)), []).extend(page.rows)
    learnt = {kind: _frame(rows, size) for kind, rows in kinds.items() if len(rows) >= 20}
    overall = _frame([row for page in pages for row in page.rows], size)
    frames = {}
    for kind, rows in kinds.items():
        alike = [frame for (_, width), frame in learnt.items() if width == kind[1]]
        frames[kind] = learnt.get(kind) or (_moved(alike[0], rows, size) if alike else overall)
    placed = []
    for number, page in enumerate(pages):
        frame = frames[(number % 2, round(page.width))]
        for row in page.rows:
            em = max(row.size, size)
            indented = row.x0 > frame.left + em / 2
            # A long centred row (a title, an amendment note) leaves equal gaps on both sides
            # and, unlike a paragraph's first row, does not start at the usual indent.
            centred = (indented and abs((row.x0 - frame.left) - (frame.right - row.x1)) < em
                       and (frame.indent is None or abs(row.x0 - frame.indent) > size / 4))
            # A wrapped row runs to the right margin from the left part of the text area; a
            # right-aligned signature or date reaches the margin too, but from further right.
            # Ragged (unjustified) rows stop up to a few characters short where a closing
            # bracket or a run of digits may not be split; a paragraph's last row ends a
            # sentence or a bracketed note, "（某某部负责）".
            short_by = (frame.right - row.x1) / em
            full = (not centred and row.x0 < frame.left + (frame.right - frame.left) / 3
                    and (short_by <= 1.5 or short_by <= 4 and not _CLOSED.search(row.text)))
            spans = (row.x0 - frame.left) + (frame.right - row.x1) < (row.size or size)
            placed.append(_Placed(row, number, full, indented, centred, spans))
    return placed


def _paragraphs(pages: list[_Page]) -> list[Block]:
    """Re-join wrapped rows into paragraphs, page after page."""
    size = statistics.median(row.size for page in pages for row in page.rows)
    # The line pitch is the tightest regular spacing of body rows; paragraph spacing is wider.
    pitches = sorted(upper.top - lower.top
                     for page in pages for upper, lower in zip(page.rows, page.rows[1:])
                     if abs(upper.size - size) <= 0.15 * size
                     and upper.top - lower.top >= 0.8 * size)
    pitch = pitches[len(pitches) // 4] if pitches else 2 * size
    placed = _place(pages, size)
    pairs = list(zip(placed, placed[1:]))
    # Where most indented rows follow a short row or a full stop, the indent itself marks a
    # paragraph (official documents indent every first row 2em), even after a full row ending
    # in "）"; elsewhere an indent may be a hanging one and needs a full stop before it.
    after_indent = [not before.full or bool(_SENTENCE_END.search(before.row.text))
                    for before, current in pairs if current.indented]
    indent_marks = bool(after_indent) and sum(after_indent) >= 0.8 * len(after_indent)
    blocks = [placed[0].row.text]
    for previous, current in pairs:
        text = current.row.text
        if _starts_block(previous, current, pitch, indent_marks):
            blocks.append(text)
        else:
            blocks[-1] += (" " if _latin_boundary(blocks[-1], text) else "") + text
    return [Block(text) for text in blocks]


def _starts_block(previous: _Placed, current: _Placed, pitch: float, indent_marks: bool) -> bool:
    """Whether a row begins a new paragraph rather than continuing the previous one."""
    before, row = previous.row, current.row
    # A centred title or chapter heading too long for one row wraps into a shorter centred row.
    if (current.centred and abs(row.size - before.size) < 0.5
            and row.x1 - row.x0 < before.x1 - before.x0
            and not _HEADING_START.match(row.text) and not _SENTENCE_END.search(before.text)
            and (_PART_HEADING.match(before.text) or previous.spans)):
        return False
    if current.page == previous.page and before.top - row.top > 1.35 * pitch:
        return True  # spacing between paragraphs
    if abs(row.size - before.size) > 0.15 * max(row.size, before.size):
        return True  # a heading set larger or smaller
    if not previous.full:
        return True  # the previous row stopped short of the margin
    ended = bool(_SENTENCE_END.search(before.text))
    if current.indented and (indent_marks or ended):
        return True
    return bool(_HEADING_START.match(row.text) or (ended and _ITEM_START.match(row.text)))


def _latin_boundary(before: str, after: str) -> bool:
    """Whether a row break fell between two Latin words, which need a space."""
    return bool(re.search(r"[A-Za-z0-9,.;:]$", before) and re.match(r"[A-Za-z0-9]", after))
