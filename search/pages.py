"""Turn pages saved from a government site (HTML or Markdown) into plain text lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "button",
         "select", "iframe", "svg", "template"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "hr", "td", "th"}
_CHROME_CLASS_RE = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|sidebar|share|toolbar", re.I)
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.title = ""
        self.heading = ""
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK:
                self.lines.append("")
            return
        names = " ".join(value or "" for name, value in attrs if name in ("class", "id", "role"))
        skip = tag in _SKIP or bool(_CHROME_CLASS_RE.search(names))
        self._stack.append((tag, skip))
        self._skip_depth += skip
        self._in_title |= tag == "title"
        self._in_h1 |= tag == "h1"
        if tag in _BLOCK:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self._stack:
            open_tag, skip = self._stack.pop()
            self._skip_depth -= skip
            if open_tag == tag:
                break
        self._in_title &= tag != "title"
        self._in_h1 &= tag != "h1"
        if tag in _BLOCK:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.heading += data
        self.lines[-1] += data.replace("\n", " ")


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, text) of an HTML page, without navigation chrome."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    title = " ".join(extractor.heading.split()) or " ".join(extractor.title.split())
    lines = [line.strip() for line in extractor.lines]
    if lines and title:
        # The <h1> repeats the title: keep it as metadata, not as content.
        lines = [line for line in lines if line != title]
    return title, "\n".join(line for line in lines if line)


_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|`)")


def markdown_to_text(markdown: str) -> tuple[str, str]:
    """Return (title, text) of a Markdown page: the first heading is the title."""
    title = ""
    lines = []
    for line in markdown.split("\n"):
        heading = _MD_HEADING_RE.match(line)
        if heading:
            line = heading.group(1)
            if not title:
                title = _MD_EMPHASIS_RE.sub("", line)
                continue
        line = _MD_LINK_RE.sub(r"\1", line)
        line = _MD_EMPHASIS_RE.sub("", line)
        line = re.sub(r"^\s*(?:[-*+]|>)\s+", "", line)
        lines.append(line)
    return title, "\n".join(lines)
