"""A document page's table of contents as links: on this page, or to the page that holds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from search.outline import Heading

#: Entries of a contents above which it is folded to its top level (the page's part open).
LONG_CONTENTS = 40


@dataclass(frozen=True)
class TocEntry:
    """A line of a document's table of contents, linked across the document's pages."""

    label: str
    url: str
    matched: bool
    #: The entry holds the page shown: a long contents opens it and closes the others.
    here: bool
    children: tuple["TocEntry", ...] = ()


def links(headings: list[Heading], shown: range, matched: list[int],
          page_at: Callable[[int], str]) -> tuple[TocEntry, ...]:
    """Return the contents as links; ``shown`` are the positions of the passages on this page,
    ``matched`` those that match the query, ``page_at`` the URL of the page holding one."""
    entries = []
    for heading in headings:
        anchor = f"#{quote(heading.key)}"
        entries.append(TocEntry(
            heading.label, anchor if heading.start in shown else page_at(heading.start) + anchor,
            any(heading.holds(position) for position in matched),
            heading.start < shown.stop and heading.end > shown.start,
            links(heading.children, shown, matched, page_at)))
    return tuple(entries)
