"""A document's table of contents: its 编 / 章 / 节 headings, or its 一、 / （一） sections.

Made once from the heading path of every passage, in document order (linear in the number
of passages). Articles (第X条) and plain paragraphs are not entries: a law of a thousand
articles has a contents of its chapters, as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.engine import Searcher

#: Passages that are not entries of their own: articles and paragraphs.
_NOT_AN_ENTRY_RE = re.compile(r"(?:^|/)(?:第.+条(?:之.+)?|p\d+)$")


@dataclass
class Heading:
    """An entry of the contents: the passage it opens at and the passages it spans."""

    label: str
    key: str  # the first passage under the heading: the link's target
    start: int  # position of that passage in the document
    end: int  # one past the position of the last passage under the heading
    children: list["Heading"] = field(default_factory=list)

    def holds(self, position: int) -> bool:
        """Tell whether the passage at ``position`` is under this heading."""
        return self.start <= position < self.end


def outline(passages: Iterable[tuple[str, Sequence[str]]]) -> list[Heading]:
    """Return the nested headings of a document from its passages' (key, path) in order."""
    top: list[Heading] = []
    # The open headings, outermost first, each with the path that leads to it.
    open_: list[tuple[tuple[str, ...], Heading]] = []
    position = -1
    for position, (key, path) in enumerate(passages):
        path = tuple(path)
        own = path if not _NOT_AN_ENTRY_RE.search(key) else path[:-1]
        depth = 0
        while depth < len(open_) and depth < len(own) and open_[depth][0] == own[: depth + 1]:
            depth += 1
        for closed in open_[depth:]:
            closed[1].end = position
        del open_[depth:]
        for level in range(depth, len(own)):
            heading = Heading(own[level], key, position, position + 1)
            (open_[-1][1].children if open_ else top).append(heading)
            open_.append((own[: level + 1], heading))
    for _, heading in open_:
        heading.end = position + 1
    return top


def size(headings: list[Heading]) -> int:
    """Return the number of entries, nested ones included."""
    return sum(1 + size(heading.children) for heading in headings)


def document_outline(searcher: "Searcher", doc_id: str) -> list[Heading]:
    """Return the table of contents of a document of the index; NotFound if unknown."""
    _, passages = searcher.document(doc_id)
    return outline((passage.key, passage.path) for passage in passages)


def new_headings(path: Sequence[str], previous: Sequence[str]) -> list[tuple[int, str]]:
    """Return the (depth, heading) of ``path`` to show above a passage that follows one at
    ``previous``: the headings it opens, or all of them at the top of a page (previous=())."""
    shown = path if len(path) == 1 else path[:-1]
    return [(depth, heading) for depth, heading in enumerate(shown)
            if tuple(previous[: depth + 1]) != tuple(path[: depth + 1])]
