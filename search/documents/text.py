"""Read plain-text files (.txt, legal-database exports) into paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from search.documents.model import Block, Extract

#: Layout characters: spaces, NBSP, the full-width space of indentation, invisible characters.
BLANK = " \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def clean(line: str) -> str:
    """Strip layout whitespace and invisible characters from a line of text."""
    return _INVISIBLE_RE.sub("", line).replace("\u00a0", " ").strip(BLANK)


def blocks_of(text: str) -> list[Block]:
    """Return the non-blank lines of ``text`` as paragraphs."""
    return [Block(line) for line in map(clean, text.split("\n")) if line]


def read(text: str, path: Path) -> Extract:
    """Read a decoded text file: every non-blank line is a paragraph."""
    return Extract(blocks_of(text))
