"""Recognise the numbered markers of Chinese official and legal texts at the start of a line.

Legal texts: 第X编 / 第X分编 / 第X章 / 第X节 headings and 第X条 (第X条之一) articles.
Notices, opinions and reports: 一、 / （一） / 1. / （1）, as a heading line of their own or
run in at the start of a paragraph (``（一）统筹建设监管工作平台。…``). And 附件 markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from search.numerals import small_value

_NUM = "[零〇○一二三四五六七八九十百千两0-9０-９]+"
_CN = "[一二三四五六七八九十百]+"
_GAP = "[ \u3000\t]"

#: Legal heading levels, outermost first.
LEGAL_HEADINGS = ("编", "分编", "章", "节")
ARTICLE = "条"
#: Notice levels, outermost first: 一、 （一） 1 1.1 1. （1） 1.1.1 1.1.1.1
NOTICE_LEVELS = ("L1", "L2", "O1", "O2", "L3", "L4", "O3", "O4")
ATTACHMENT = "附件"

_LEGAL_HEADING_RE = re.compile(rf"^第({_NUM})(分编|编|章|节)(?:{_GAP}*)(.*)$")
_ARTICLE_RE = re.compile(rf"^第({_NUM})条(?:之({_CN}))?(.*)$")
_NOTICE_RES = (
    ("L1", re.compile(rf"^({_CN})[、，,．.]{_GAP}*(.*)$")),
    ("L2", re.compile(rf"^[（(]{_GAP}*({_CN}){_GAP}*[)）]{_GAP}*(.*)$")),
    ("L3", re.compile(rf"^([0-9]{{1,3}})[.．、](?![0-9]){_GAP}*(.*)$")),
    ("L4", re.compile(rf"^[（(]([0-9]{{1,3}})[)）]{_GAP}*(.*)$")),
)
#: Outline numbering of plans and standards: 1 总则 / 1.1 编制目的 / 1.2.1 …, by depth.
_OUTLINE_RE = re.compile(rf"^([0-9]{{1,2}}(?:[.．][0-9]{{1,2}}){{0,3}}){_GAP}+(?=[^0-9\s])(.*)$")
_ATTACHMENT_RE = re.compile(rf"^附{_GAP}*件{_GAP}*([0-9]+|{_CN})?{_GAP}*[:：]?{_GAP}*(.*)$")
#: Words that follow 第X条 when a sentence cites an article instead of starting one.
_CITATION_RE = re.compile(r"^(?:规定|所|的|之规定|中|和|或|及|至|、|，|,|第|款|项|以|有关|关于|[)）])")
_PARAGRAPH_RE = re.compile(rf"^(第{_NUM}款)")
_SPACES_RE = re.compile(f"{_GAP}+")
_SENTENCE_END = "。；;！？!?"
#: A heading line is short; longer lines are running text that happens to start with a numeral.
HEADING_MAX = 40


@dataclass(frozen=True)
class Marker:
    """A numbered marker that opens a line."""

    level: str  # 编, 分编, 章, 节, 条, L1-L4, 附件
    number: int | None
    label: str  # as cited: 第三章, 第十九条之一, 三、, （二）, 1., （1）, 附件1
    title: str  # what follows the marker on a heading line, spaces removed from CJK
    rest: str  # the text after the marker, as written
    sub: int | None = None  # 之一 of 第十九条之一
    separated: bool = True  # a space, colon or the line's end follows the marker


@lru_cache(maxsize=4096)
def to_int(numeral: str) -> int | None:
    """Return the value of a numeral written in Chinese or Arabic digits (十九 -> 19)."""
    numeral = numeral.translate(str.maketrans("０１２３４５６７８９○〇", "0123456789零零"))
    if numeral.isdigit():
        return int(numeral)
    small = small_value(numeral)
    if small is not None:  # 一 to 九千九百九十九 without cn2an: a citation reads 三、
        return small
    import cn2an  # 0.1 s to import: only for a numeral the fast path does not read

    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError):
        # cn2an refuses digit-by-digit numerals (二零一二); read them digit by digit.
        digits = "零一二三四五六七八九"
        if all(c in digits for c in numeral):
            return int("".join(str(digits.index(c)) for c in numeral))
        return None
    return int(value) if float(value).is_integer() else None


def chapter_number(value: str) -> int | None:
    """Read a chapter number typed as 3, 三 or 三、 (a section filter); None when it is neither."""
    value = value.strip().rstrip("、")
    if not value or len(value) > 9:
        return None
    if value.isascii() and value.isdigit():
        return int(value) or None
    if all(c in "零〇一二三四五六七八九十百两" for c in value):
        return to_int(value) or None
    return None


def compact_title(text: str) -> str:
    """Remove the layout spaces of a CJK heading (``总　　则`` -> ``总则``), keep Latin spaces."""
    return re.sub(r"(?<=[^\x00-\x7f])[ \u3000\t]+|[ \u3000\t]+(?=[^\x00-\x7f])", "",
                  text.strip(" \u3000\t"))


def is_title_line(text: str) -> bool:
    """Tell whether a line reads as a heading: short, without sentence-ending punctuation."""
    return 0 < len(text) <= HEADING_MAX and text[-1] not in _SENTENCE_END + "：:，,"


def legal_heading(text: str, marked: bool = False) -> Marker | None:
    """Return the 编/分编/章/节 heading that ``text`` is, if it is one.

    ``marked``: the format marks the line as a heading (Markdown ##), so no separator is needed.
    """
    match = _LEGAL_HEADING_RE.match(text)
    if not match:
        return None
    numeral, level, rest = match.groups()
    number = to_int(numeral)
    title = compact_title(rest)
    separated = not rest or match.end(2) != match.start(3)
    if number is None or len(title) > HEADING_MAX or (title and title[-1] in _SENTENCE_END):
        return None
    # 第三章规定的… cites a chapter; a heading has a gap, or is short and unpunctuated.
    if not (marked or separated or (len(title) <= 20 and not re.search("[，。；：、,;:]", title)
                                    and not _CITATION_RE.match(rest))):
        return None
    return Marker(level, number, f"第{numeral}{level}", title, rest, separated=separated)


def article(text: str, strict: bool = True) -> Marker | None:
    """Return the 第X条 marker that opens ``text``, if any (whether it is one is up to the caller).

    ``strict``: not when a citation follows (第二十七条规定：…), as in a case's reasoning.
    """
    match = _ARTICLE_RE.match(text)
    if not match:
        return None
    numeral, sub, rest = match.groups()
    number = to_int(numeral)
    if number is None:
        return None
    gap = bool(rest) and (rest[0] in " \u3000\t:：" or rest[0] in "【〔")
    if strict and not gap and rest and _CITATION_RE.match(rest):
        return None
    label = f"第{numeral}条" + (f"之{sub}" if sub else "")
    paragraph = _PARAGRAPH_RE.match(rest)
    if paragraph:  # a row citing one paragraph of an article: 第127条第2款（…）罪名
        label, rest = label + paragraph.group(1), rest[paragraph.end():]
    return Marker(ARTICLE, number, label, "", rest.lstrip(" \u3000\t:："),
                  to_int(sub) if sub else None, gap or not rest)


def notice_marker(text: str) -> Marker | None:
    """Return the 一、/（一）/1./（1） or 1 / 1.1 outline marker that opens ``text``, if any."""
    outline = _OUTLINE_RE.match(text)
    if outline:
        parts = re.split("[.．]", outline.group(1))
        return Marker(f"O{len(parts)}", int(parts[-1]) or None, outline.group(1), "",
                      outline.group(2))
    for level, pattern in _NOTICE_RES:
        match = pattern.match(text)
        if match:
            number = to_int(match.group(1))
            if number is None or number == 0:
                return None
            label = text[: match.start(2)].strip(" \u3000\t")
            return Marker(level, number, label, "", match.group(2))
    return None


def attachment(text: str) -> Marker | None:
    """Return the 附件 marker that opens ``text`` (附件, 附件1, 附件一：标题), if any."""
    match = _ATTACHMENT_RE.match(text)
    if not match:
        return None
    numeral, rest = match.groups()
    number = to_int(numeral) if numeral else None
    label = f"附件{number}" if number is not None else "附件"
    return Marker(ATTACHMENT, number, label, compact_title(rest), rest)


def run_in_heading(text: str) -> str:
    """Return the heading a run-in paragraph opens with: up to its first full stop."""
    head = re.split(r"[。；;！？]", text, maxsplit=1)[0].strip(" \u3000\t").rstrip("：:")
    return head if len(head) <= HEADING_MAX else head[: HEADING_MAX - 1] + "…"


def spaces_collapsed(text: str) -> str:
    """Return ``text`` with runs of layout spaces as one space."""
    return _SPACES_RE.sub(" ", text).strip()
