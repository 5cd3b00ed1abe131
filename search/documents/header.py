"""Find the lines at the top of a document that only describe it: title, 文号, labels, history, chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from search.documents.agencies import agencies
from search.documents.dates import date_line
from search.documents.history import ends_event, open_parens, starts_event
from search.documents.model import Block
from search.documents.numbers import normalize_number

#: How far down a header can reach: a law with many amendments has a long one.
_LIMIT = 60

#: Site furniture a saved page leaves in the text, anywhere in it.
_CHROME_RE = re.compile(
    r"\[?【?(?:关闭(?:本页|窗口)?|打印(?:本页|本文|此页)?|返回(?:顶部|首页)?|回到顶部|(?:加入)?收藏|"
    r"我要纠错|扫一扫在手机打开当前页|字体(?:大小)?[:：]?(?:\s*[大中小])*|字号[:：]?(?:\s*[大中小])*|"
    r"分享到(?:[:：].*)?|(?:上|下)一篇[:：].*|(?:浏览|阅读|访问)次数[:：]?\s*\d*|点击(?:数|量|率)?[:：]\s*\d*|"
    r"责任编辑[:：].*)】?\]?")
_BREADCRUMB_RE = re.compile(r"^(?:(?:网站)?首页\s*[>＞»›/]|(?:您|你)?(?:当前)?的?(?:所在)?位置\s*[:：])")

#: Labels a page or an export prints before its body, and the field each one fills.
_LABELS = {
    "标题": "标题", "发文机关": "发文机关", "发布机构": "发文机关", "发布部门": "发文机关",
    "制定机关": "发文机关", "发文单位": "发文机关", "颁布机关": "发文机关", "来源": "来源",
    "信息来源": "来源", "文章来源": "来源", "发文字号": "发文字号", "文号": "发文字号",
    "成文日期": "成文日期", "发文日期": "成文日期", "发布日期": "发布日期", "发布时间": "发布日期",
    "公布日期": "发布日期", "颁布日期": "发布日期", "主题分类": "主题分类", "原文链接": "原文链接",
    "原文地址": "原文链接", "来源网址": "原文链接", "实施日期": "", "施行日期": "", "生效日期": "",
    "索引号": "", "主题词": "", "时效性": "", "效力级别": "", "法规类别": "", "法宝引证码": "",
    "作者": "", "编辑": "", "字号": "", "浏览次数": "", "阅读次数": "", "点击数": "", "访问量": "",
}
#: A table saved as text spaces its labels out: "索 引 号：", "标　　题：".
_NAMES = "|".join("[ \u3000]*".join(name) for name in sorted(_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"(?:^|(?<=[\s】\]]))(?:[【\[](?P<boxed>{_NAMES})[】\]]\s*[:：]?|(?P<plain>{_NAMES})\s*[:：])")
_ISSUER_RE = re.compile(r"^(?P<org>.+?)(?:发布|公布|印发)$")
_DECREE_HEAD_RE = re.compile(r"^(?:中华人民共和国)?[\u4e00-\u9fff、]{1,30}令$")
_DECREE_SEQ_RE = re.compile(r"^第\s*\d+\s*号$")
_SIGNER_RE = re.compile(r"\s*签发人[:：].*$")
#: A heading of the body's structure, never part of a header: 第一章, 一、, （一）, 1., 附件.
_STRUCTURE_RE = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[编章节条]|[一二三四五六七八九十]+[、.．]|"
                           r"[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|附件)")
_ENDING_PUNCTUATION = "。；;：:！!？?，,、"
_KEY_TABLE = str.maketrans("“”「」‘’（）〈〉：", "\"\"\"\"''()《》:")


def key(text: str) -> str:
    """Return ``text`` as compared with a title: no spaces or 、, one form of quotes and brackets."""
    return re.sub(r"[\s、]+", "", text).translate(_KEY_TABLE)


def is_chrome(text: str) -> bool:
    """Say whether a line is site furniture (breadcrumb, font size, print and close buttons)."""
    return bool(_BREADCRUMB_RE.match(text)) or not _CHROME_RE.sub("", text).strip(" \t\u3000|｜/")


def is_short(text: str) -> bool:
    """Say whether a line could be part of a title: short, not a sentence, not a structure heading."""
    return (len(key(text)) <= 80 and "。" not in text and not text.endswith(tuple(_ENDING_PUNCTUATION))
            and not _STRUCTURE_RE.match(text) and date_line(text) is None)


def labels(text: str) -> dict[str, str] | None:
    """Return the labelled values on a meta line (来源: 办公室, 【发布部门】…), or None if it is not one."""
    matches = list(_LABEL_RE.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    found: dict[str, str] = {}
    for match, after in pairwise([*matches, None]):
        canonical = _LABELS[re.sub(r"[ \u3000]", "", match["boxed"] or match["plain"])]
        value = text[match.end():after.start() if after else len(text)].strip(" \t\u3000")
        if canonical and value:
            found.setdefault(canonical, value)
    return found


def number_line(text: str) -> str | None:
    """Return the 文号 if the line is one (国发〔2019〕5号, （新质监办发〔2012〕24号）), else None."""
    return normalize_number(_SIGNER_RE.sub("", text)) if len(text) <= 60 else None


@dataclass
class Header:
    """What the top of a document says about it, and which lines said it."""

    dropped: set[int] = field(default_factory=set)
    end: int = 0  # index of the first line after the header
    fields: dict[str, str] = field(default_factory=dict)
    title_lines: list[str] = field(default_factory=list)
    number: str | None = None
    history: list[str] = field(default_factory=list)
    date: str | None = None  # a bare date line ("2022-03-15" under "最高人民法院发布")
    issuer: str | None = None  # "最高人民法院发布"


class _Scanner:
    """Walk down from ``start`` while lines are header lines; remember what they say."""

    def __init__(self, blocks: list[Block], start: int, title: str | None) -> None:
        self.blocks, self.header = blocks, Header(end=start)
        self.title_key, self.progress = key(title or ""), 0
        self.pending: list[int] = []  # short lines not yet known to be header or body

    def run(self) -> Header:
        i = self.header.end
        while i < len(self.blocks) and i - self.header.end < _LIMIT:
            taken = self._take(i)
            if not taken:
                break
            i += taken
        self._settle_pending()
        self.header.end = i
        return self.header

    def _drop(self, *indices: int) -> None:
        """Drop lines as header, with the short lines above them (title lines, a series name)."""
        if self.pending and not self.header.title_lines:
            self.header.title_lines = [self.blocks[j].text for j in self.pending]
        self.header.dropped.update(self.pending, indices)
        self.pending = []

    def _settle_pending(self) -> None:
        # Short lines before the body of a file that marks no title: they are its title.
        if self.pending and not self.title_key and not self.header.title_lines:
            self._drop()

    def _take(self, i: int) -> int:
        """Take the header line(s) at ``i``; return how many, or 0 where the body begins."""
        block, header = self.blocks[i], self.header
        text = block.text
        if is_chrome(text):
            header.dropped.add(i)
            return 1
        if block.heading > 1:
            return 0
        if self._repeats_title(text):
            self._drop(i)
            return 1
        if taken := self._take_history(i):
            return taken
        if found := date_line(text):
            header.date = header.date or found
        elif (found_labels := labels(text)) is not None:
            for label, value in found_labels.items():
                header.fields.setdefault(label, value)
        elif number := number_line(text):
            header.number = header.number or number
        elif _DECREE_HEAD_RE.match(text) and i + 1 < len(self.blocks) and _DECREE_SEQ_RE.match(
                self.blocks[i + 1].text):
            header.number = header.number or normalize_number(text + self.blocks[i + 1].text)
            self._drop(i, i + 1)
            return 2
        elif (issuer := _ISSUER_RE.match(text)) and agencies(issuer["org"]):
            header.issuer = header.issuer or agencies(issuer["org"])
        elif is_short(text) and len(self.pending) < 6:
            self.pending.append(i)
            return 1
        else:
            return 0
        self._drop(i)
        return 1

    def _repeats_title(self, text: str) -> bool:
        line = key(text)
        if not self.title_key or len(line) < 2:
            return False
        if self.title_key.startswith(line, self.progress):
            self.progress += len(line)
        elif self.title_key.startswith(line):
            self.progress = len(line)
        else:
            return False
        self.progress %= len(self.title_key)  # the whole title seen: a second copy may follow
        return True

    def _take_history(self, i: int) -> int:
        """Take a history line at ``i``, or the lines that continue the one above; return how many."""
        history, text = self.header.history, self.blocks[i].text
        if history and open_parens("".join(history)) > 0 and "。" not in text and not _STRUCTURE_RE.match(text):
            history.append(text)  # inside "（…通过　根据…修正）" split over lines
        elif starts_event(text):
            history.append(text)
        elif history and is_short(text):
            # "1981年10月13日 国务院批准" / "文化部" / "海关总署发布": short lines ending in a verb.
            end = self._event_end(i)
            if end is None:
                return 0
            history[-1] += " " + " ".join(block.text for block in self.blocks[i:end])
            self._drop(*range(i, end))
            return end - i
        else:
            return 0
        self._drop(i)
        return 1

    def _event_end(self, i: int) -> int | None:
        """Return the end of a run of up to three short lines from ``i`` closed by an event verb."""
        for j in range(i, min(i + 3, len(self.blocks))):
            line = self.blocks[j].text
            if not is_short(line):
                return None
            if ends_event(line):
                return j + 1
        return None


def scan(blocks: list[Block], start: int = 0, title: str | None = None) -> Header:
    """Read the header of ``blocks`` from ``start``: ``title`` is the title if already known."""
    return _Scanner(blocks, start, title).run()
