"""Cut a document's body into the passages a person cites.

* A legal text (第X条 articles) gives one passage per article, its 款 and 项 inside it, with
  the path of its 编 / 分编 / 章 / 节 headings; text under a heading before the first article
  is that chapter's lead, text before any heading the preamble (``intro``).
* A notice, opinion or report gives one passage per section (一、) and subsection (（一）):
  the two outermost numbering levels it uses, as heading lines or run in; deeper items
  (1. （1）) stay inside. The cover letter of a 印发 notice is ``notice``, the text before
  the first section ``intro``, the signature and date at the end ``trailer``.
* Headings the format marks (Markdown ``##``, HTML ``<h2>``) that carry no number cut
  passages keyed by their words (a case's ``基本案情``).
* Each 附件 is a part with its own structure, its keys prefixed with its label
  (``附件1``, ``附件1/第三条``); numbering that restarts without one (an embedded 办法
  after a notice's 一、二、) starts a part ``部分2``, so every key stays unique.
* A text with none of these becomes paragraph groups ``p1``, ``p2``, ….
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from search.documents import numbering as num
from search.documents.identity import passage_id, unique
from search.documents.model import Block, Passage

#: Lines of an unstructured text join into one passage until a line ends a sentence, or
#: the group reaches this many characters.
GROUP_MAX = 1000
_PARAGRAPH_END = "。！？；!?;…”’」』)）:："

_NOTICE_END_RE = re.compile(r"^[（(]此(?:件|页).{0,12}[)）]$")
_DATE_LINE_RE = re.compile(
    r"^[0-9０-９零〇○Ｏ一二三四五六七八九十]{2,4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月"
    r"\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日(?:印发|发布|公布)?$")
_TRAILER_EXTRA_RE = re.compile(r"^(?:抄送|抄报|主送|印发|主题词|联系人|联系电话)[:：\s]")
_SIGNATURE_RE = re.compile(r"^[\u4e00-\u9fff（）()、\s]{2,40}$")


@dataclass(frozen=True)
class Line:
    """A body paragraph with its offsets in the document text."""

    text: str
    start: int
    end: int
    heading: int = 0
    #: A line of a table of contents: its numbers open nothing.
    plain: bool = False


@dataclass
class _Open:
    """The passage being collected."""

    key: str
    path: tuple[str, ...]
    heading: str
    section: int | None
    kind: str
    lines: list[Line] = field(default_factory=list)
    #: A section whose heading line has no text under it is that line.
    heading_line: Line | None = None


class _Passages:
    """Collect passages in document order, every key unique."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.passages: list[Passage] = []
        self.keys: set[str] = set()

    def add(self, key: str, path: tuple[str, ...], heading: str, lines: list[Line],
            section: int | None, kind: str) -> None:
        if not lines:
            return
        key = unique(key, self.keys)
        self.passages.append(Passage(
            id=passage_id(self.doc_id, key), doc_id=self.doc_id, key=key, path=path,
            heading=heading, text="\n".join(line.text for line in lines), start=lines[0].start,
            end=lines[-1].end, order=len(self.passages), section=section, kind=kind))

    def close(self, current: _Open | None) -> None:
        if current is not None:
            lines = current.lines or ([current.heading_line] if current.heading_line else [])
            self.add(current.key, current.path, current.heading, lines, current.section,
                     current.kind)


def lines_of(blocks: list[Block]) -> tuple[str, list[Line]]:
    """Join the body's paragraphs into the document text; return it with each line's offsets."""
    lines, offset = [], 0
    for block in blocks:
        lines.append(Line(block.text, offset, offset + len(block.text), block.heading))
        offset += len(block.text) + 1
    return "\n".join(block.text for block in blocks), lines


def _legal_heading(line: Line) -> num.Marker | None:
    return None if line.plain else num.legal_heading(line.text, line.heading > 0)


def _article(line: Line, strict: bool = True) -> num.Marker | None:
    return None if line.plain else num.article(line.text, strict)


def _notice_marker(line: Line) -> num.Marker | None:
    return None if line.plain else num.notice_marker(line.text)


def _attachment(line: Line) -> num.Marker | None:
    return None if line.plain else num.attachment(line.text)


def _is_marker(line: Line) -> bool:
    return bool(_legal_heading(line) or _article(line) or _notice_marker(line))


def _without_contents(lines: list[Line]) -> list[Line]:
    """Mark the lines of a table of contents (目录 … up to where its first entry comes again)."""
    for index, line in enumerate(lines):
        if num.compact_title(line.text) in ("目录", "目次") and index + 1 < len(lines):
            first = num.compact_title(lines[index + 1].text)
            end = next((j for j in range(index + 2, len(lines))
                        if num.compact_title(lines[j].text) == first), None)
            if end is not None and all(num.is_title_line(l.text) for l in lines[index + 1 : end]):
                return [*lines[:index],
                        *(dataclasses.replace(l, plain=True) for l in lines[index:end]),
                        *lines[end:]]
    return lines


def is_date_line(text: str) -> bool:
    """Tell a date standing alone on a line (a signature date) from running text."""
    return bool(_DATE_LINE_RE.match(text.replace(" ", "").replace("\u3000", "")))


def passages(doc_id: str, title: str, lines: list[Line]) -> tuple[Passage, ...]:
    """Cut a document's body lines into passages."""
    collected = _Passages(doc_id)
    parts = _parts(_without_contents(lines))
    for prefix, part_title, part in parts:
        _Part(collected, title, prefix, part_title, part, len(parts) > 1).parse()
    return tuple(collected.passages)


# --- Parts: the main text, attachments, restarted numbering ------------------------------------

def _parts(lines: list[Line]) -> list[tuple[str, str, list[Line]]]:
    """Split the body into (key prefix, part title, lines): the main text, then each 附件."""
    parts: list[tuple[str, str, list[Line]]] = [("", "", [])]
    taken: set[str] = {""}
    ended = False  # the current part's signature date or （此件…） line has been seen
    last = {"条": 0, "章": 0, "L1": 0, "since L1": 0}
    for index, line in enumerate(lines):
        marker = _attachment(line)
        starts = marker is not None and (
            not marker.rest or (ended and num.is_title_line(marker.title)))
        restart = None if starts else _restart(line, last, parts[-1][2])
        if starts or restart:
            label = marker.label if starts else f"部分{len(parts) + 1}"
            carried: list[Line] = []
            if restart:
                # The embedded text's title line(s) before 第一章 belong to it, not to the part before.
                previous = parts[-1][2]
                while previous and num.is_title_line(previous[-1].text) \
                        and not _is_marker(previous[-1]) and len(carried) < 2:
                    carried.insert(0, previous.pop())
            parts.append((unique(label, taken), marker.title if starts else "", carried))
            ended = False
            last = {"条": 0, "章": 0, "L1": 0, "since L1": 0}
        parts[-1][2].append(line)
        ended |= is_date_line(line.text) or bool(_NOTICE_END_RE.match(line.text))
        _count(line, last)
    # A 附件 line with nothing under it (附件一 / 附件二 listed in the letter) opens no part.
    merged: list[tuple[str, str, list[Line]]] = []
    for part in parts:
        if merged and len(part[2]) == 1 and _attachment(part[2][0]):
            merged[-1][2].extend(part[2])
        else:
            merged.append(part)
    return [part for part in merged if part[2]]


def _count(line: Line, last: dict[str, int]) -> None:
    last["since L1"] += 1
    heading = _legal_heading(line)
    if heading and heading.level == "章":
        last["章"] = heading.number or 0
        return
    art = _article(line)
    if art and art.separated and art.sub is None:
        last["条"] = art.number or 0
        return
    marker = _notice_marker(line)
    if marker and marker.level == "L1" and not last["条"]:
        last["L1"], last["since L1"] = marker.number or 0, 0


def _after_sections(last: dict[str, int]) -> bool:
    return last["L1"] >= 1 and last["since L1"] >= 2


def _restart(line: Line, last: dict[str, int], part: list[Line]) -> bool:
    """Tell whether ``line`` restarts the numbering of the part so far (an embedded text)."""
    heading = _legal_heading(line)
    if heading and heading.level == "章":
        # 第一章 again after articles (not after a table of contents), or after a notice's
        # 一、 sections with text (not after a 一、 heading that groups articles): embedded text.
        return heading.number == 1 and (last["章"] >= 2 and last["条"] >= 1 or _after_sections(last))
    art = _article(line)
    if art and art.separated and art.sub is None:
        # 第一条 after 第九条, unless a new 第一章 already opened the embedded text.
        return art.number == 1 and last["章"] < 2 and (last["条"] >= 2 or _after_sections(last))
    marker = _notice_marker(line)
    if marker and marker.level == "L1" and not last["条"]:
        return marker.number == 1 and last["L1"] >= 2
    return False


# --- One part ---------------------------------------------------------------------------------

class _Part:
    """Parse one part (the main text or an attachment) into passages."""

    def __init__(self, collected: _Passages, doc_title: str, prefix: str, title: str,
                 lines: list[Line], has_parts: bool = False) -> None:
        self.out = collected
        self.has_parts = has_parts
        self.doc_title = doc_title
        self.prefix = prefix
        self.lines = lines
        # An attachment opens with its marker line (附件1), then usually its title line.
        lead = 1 if _attachment(lines[0]) and prefix.startswith("附件") else 0
        if not title and len(lines) > lead and num.is_title_line(lines[lead].text) \
                and not _is_marker(lines[lead]):
            title = lines[lead].text
        self.title = title
        self.root = (f"{prefix} {title}".strip(),) if prefix else ()

    def key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def path(self, *labels: str) -> tuple[str, ...]:
        return (*self.root, *labels)

    def parse(self) -> None:
        lines = list(self.lines)
        articles = self._articles(lines)
        body_end, trailer = self._split_trailer(lines)
        headings = sum(1 for line in lines if _legal_heading(line))
        if len(articles) >= 2 or headings >= 2 or (articles and headings):
            self._legal(lines[:body_end], articles)
        else:
            levels = self._notice_levels(lines[:body_end])
            # Headings the format marks without numbers (a case's ## 基本案情 … ## 裁判要点) are
            # its sections, with any numbered items inside them.
            plain_headings = sum(1 for line in lines[:body_end]
                                 if line.heading and not _is_marker(line))
            if plain_headings >= 2 or (plain_headings and not levels):
                self._headed(lines[:body_end])
            elif levels:
                self._notice(lines[:body_end], levels)
            else:
                self._paragraphs(lines[:body_end])
        self.out.add(self.key("trailer"), ("落款",), "落款", trailer, None, "trailer")

    # The preamble: cover letter, title of an embedded text, or an attachment's title and lead.

    def _preamble(self, lines: list[Line]) -> None:
        if self.prefix:
            self.out.add(self.prefix, self.root, self.title or self.prefix, lines, None, "attachment")
            return
        cover_end = next((i for i, line in enumerate(lines) if _NOTICE_END_RE.match(line.text)), None)
        if cover_end is None:
            dates = [i for i, line in enumerate(lines) if is_date_line(line.text)]
            if dates and dates[-1] < len(lines) - 1:
                cover_end = dates[-1]
        intro = lines
        if cover_end is not None:
            self.out.add(self.key("notice"), ("印发通知",), self.doc_title, lines[: cover_end + 1],
                         None, "notice")
            intro = lines[cover_end + 1 :]
        if len(intro) > 1 and num.is_title_line(intro[0].text):
            self.out.add(self.key("intro"), (intro[0].text,), intro[0].text, intro[1:], None,
                         "preamble")
        else:
            self.out.add(self.key("intro"), ("引言",), "引言", intro, None, "preamble")

    def _split_trailer(self, lines: list[Line]) -> tuple[int, list[Line]]:
        """Return where the body ends and the signature, date and （此件…） lines after it."""
        end = len(lines)
        while end and (_NOTICE_END_RE.match(lines[end - 1].text)
                       or _TRAILER_EXTRA_RE.match(lines[end - 1].text)):
            end -= 1
        if end and is_date_line(lines[end - 1].text):
            end -= 1
            signatures = 0
            while end and signatures < 3 and _SIGNATURE_RE.match(lines[end - 1].text) \
                    and not _is_marker(lines[end - 1]):
                end, signatures = end - 1, signatures + 1
        elif end == len(lines):
            return end, []
        if end == 0:  # nothing but a date: it is the text, not a trailer
            return len(lines), []
        return end, lines[end:]

    # Legal texts.

    def _articles(self, lines: list[Line]) -> set[int]:
        """Return the indexes of the lines that open an article.

        In a legal text every line that starts with 第X条 does; elsewhere (a case citing
        第四十四条规定…) only a run of articles that looks like one counts.
        """
        found: set[int] = set()
        expected = 1
        for index, line in enumerate(lines):
            marker = _article(line)
            if marker is None:
                continue
            if marker.separated or marker.number == expected or marker.sub is not None:
                found.add(index)
                if marker.sub is None:
                    expected = (marker.number or 0) + 1
        if len(found) >= 2:
            found |= {i for i, line in enumerate(lines) if _article(line, strict=False)}
        return found

    def _legal(self, lines: list[Line], articles: set[int]) -> None:
        headings: dict[str, tuple[str, int | None]] = {}  # level -> (path label, number)
        first = next((i for i, line in enumerate(lines)
                      if i in articles or _heading(line, i in articles)), len(lines))
        self._preamble(lines[:first])
        current: _Open | None = None
        for index in range(first, len(lines)):
            line = lines[index]
            heading = _heading(line, index in articles)
            if heading is not None:
                self.out.close(current)
                depth = num.LEGAL_HEADINGS.index(heading.level)
                for level in num.LEGAL_HEADINGS[depth:]:
                    headings.pop(level, None)
                label = f"{heading.label} {heading.title}".strip() if heading.number else heading.label
                headings[heading.level] = (label, heading.number)
                chapter_key = "".join(
                    num.spaces_collapsed(label).split(" ")[0] for label, _ in headings.values())
                current = _Open(self.key(chapter_key), self.path(*self._labels(headings)),
                                heading.title or label, self._chapter(headings), "chapter")
                continue
            if index in articles:
                self.out.close(current)
                marker = _article(line, strict=False)
                assert marker is not None
                current = _Open(self.key(marker.label),
                                self.path(*self._labels(headings), marker.label),
                                _article_heading(marker), self._chapter(headings), "article", [line])
                continue
            if current is not None:
                current.lines.append(line)
        self.out.close(current)

    @staticmethod
    def _labels(headings: dict[str, tuple[str, int | None]]) -> tuple[str, ...]:
        return tuple(label for label, _ in headings.values())

    @staticmethod
    def _chapter(headings: dict[str, tuple[str, int | None]]) -> int | None:
        return headings["章"][1] if "章" in headings else None

    # Notices, opinions, reports.

    def _notice_markers(self, lines: list[Line]) -> list[num.Marker | None]:
        """Return each line's numbering marker, keeping those that continue a sequence.

        一、二、三、 in order are sections even when run in and long; a 3. out of sequence,
        or a long 一、 paragraph that breaks the sequence, is running text.
        """
        markers: list[num.Marker | None] = []
        last: dict[str, int] = {}  # under the open marker of the level above
        running: dict[str, int] = {}  # （五） under 二、 continues from （四） under 一、
        for line in lines:
            marker = _notice_marker(line)
            if marker is not None:
                number = marker.number or 0
                in_sequence = number in (last.get(marker.level, 0) + 1, 1,
                                         running.get(marker.level, -1) + 1)
                if not in_sequence:
                    marker = None
                else:
                    last[marker.level] = running[marker.level] = number
                    for deeper in num.NOTICE_LEVELS[num.NOTICE_LEVELS.index(marker.level) + 1:]:
                        last.pop(deeper, None)
            markers.append(marker)
        return markers

    def _notice_levels(self, lines: list[Line]) -> tuple[str, ...]:
        present = {m.level for m in self._notice_markers(lines) if m is not None}
        return tuple(level for level in num.NOTICE_LEVELS if level in present)[:2]

    def _notice(self, lines: list[Line], levels: tuple[str, ...]) -> None:
        markers = self._notice_markers(lines)
        cuts = [m if m is not None and m.level in levels else None for m in markers]
        first = next((i for i, m in enumerate(cuts) if m is not None), len(lines))
        self._preamble(lines[:first])
        top: tuple[str, int] | None = None  # the open section's path label and number
        current: _Open | None = None
        for line, marker in zip(lines[first:], cuts[first:]):
            if marker is None:
                current.lines.append(line)  # type: ignore[union-attr]
                continue
            self.out.close(current)
            heading = num.run_in_heading(marker.rest)
            label = f"{marker.label} {heading}" if marker.level.startswith("O") \
                else f"{marker.label}{heading}"
            if marker.level == levels[0]:
                top = (label, marker.number or 0)
                # A heading line alone: the section's lead is what follows it.
                lead = [] if num.is_title_line(marker.rest) else [line]
                current = _Open(self.key(str(marker.number)), self.path(top[0]), heading,
                                marker.number, "section", lead, line)
            else:
                labels = (top[0],) if top else ()
                current = _Open(self.key(f"{top[1] if top else 0}.{marker.number}"),
                                self.path(*labels, label), heading,
                                top[1] if top else None, "subsection", [line])
        self.out.close(current)

    # Headings without numbers, and no structure at all.

    def _headed(self, lines: list[Line]) -> None:
        first = next((i for i, line in enumerate(lines) if line.heading), len(lines))
        self._preamble(lines[:first])
        current: _Open | None = None
        for line in lines[first:]:
            if line.heading:
                self.out.close(current)
                words = num.compact_title(line.text)
                key = re.sub(r"[\s/\\?#%]+", "", words)[:20] or "section"
                current = _Open(self.key(key), self.path(words), words, None, "section", [], line)
                continue
            current.lines.append(line)  # type: ignore[union-attr]
        self.out.close(current)

    def _paragraphs(self, lines: list[Line]) -> None:
        # An attachment without structure is one passage; so is a letter that only
        # introduces its attachments (附件：… then the attached text).
        if self.prefix or self.has_parts:
            self._preamble(lines)
            return
        group: list[Line] = []
        number = 0
        for index, line in enumerate(lines):
            group.append(line)
            # A line that stops mid-sentence was wrapped by hand: the paragraph goes on.
            if line.text[-1] in _PARAGRAPH_END or index == len(lines) - 1 \
                    or sum(len(member.text) for member in group) >= GROUP_MAX:
                number += 1
                self.out.add(self.key(f"p{number}"), self.path(), num.run_in_heading(group[0].text),
                             group, None, "paragraph")
                group = []


def _heading(line: Line, is_article: bool) -> num.Marker | None:
    """Return the heading a line of a legal text is: 编/章/节, or a group heading as a 章."""
    if is_article:
        return None
    heading = _legal_heading(line)
    if heading is None and not line.plain and (
            line.heading or (_notice_marker(line) and num.is_title_line(line.text))):
        # ## 基本规定, or 一、当事人举证 over a group of articles: a chapter-level heading.
        heading = num.Marker("章", None, num.compact_title(line.text), "", line.text)
    return heading


def _article_heading(marker: num.Marker) -> str:
    """Return an article's heading: its bracketed title (第一条【立法目的】), else its label."""
    match = re.match(r"^[【〔\[]([^】〕\]]{1,30})[】〕\]]", marker.rest)
    return match.group(1) if match else marker.label
