"""Read Markdown files (LawRefBook laws, notes) into paragraphs with heading levels."""

from __future__ import annotations

import re
from pathlib import Path

from search.documents.model import Block, Extract
from search.documents.text import clean

_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|`)")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|>)\s+")
_RULE_RE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}")


def _inline(text: str) -> str:
    return _EMPHASIS_RE.sub("", _LINK_RE.sub(r"\1", text))


def read(text: str, path: Path) -> Extract:
    """Read Markdown: the first ``#`` heading is the title, later headings keep their level."""
    title: str | None = None
    blocks: list[Block] = []
    for line in _COMMENT_RE.sub("", text).split("\n"):
        heading = _HEADING_RE.match(line)
        if heading:
            level, words = len(heading.group(1)), clean(_inline(heading.group(2)))
            if not words:
                continue
            if title is None and level == 1:
                title = words
            else:
                blocks.append(Block(words, level))
            continue
        if _RULE_RE.match(line) or _TABLE_RULE_RE.match(line):
            continue
        line = clean(_inline(_LIST_RE.sub("", line)))
        if line.startswith("|") and line.endswith("|"):
            line = "　".join(cell.strip() for cell in line.strip("|").split("|"))
        if line:
            blocks.append(Block(line))
    return Extract(blocks, title=title)
