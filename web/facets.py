"""Facets and filters on the page: their names, how a value reads, the links that set them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.filters import FACETS, Filters
from web.searching import get_build

#: How each filter and facet is named on the page.
FILTER_LABELS = {"office": "发文机关", "year": "年份", "after": "起始日期", "before": "截止日期",
                 "type": "文种", "doc": "文件", "section": "章节", "title": "标题"}


@dataclass(frozen=True)
class FacetOption:
    """One value to filter by, with its count and the link that toggles it."""

    label: str
    count: int
    url: str
    active: bool


def facet_label(name: str, value: str) -> str:
    """Return how a facet value reads on the page: a document's title, a chapter's line."""
    build = get_build()
    if name == "doc":
        entry = build.index.documents.get(value, {})
        # Versions of a law share a title: their dates tell them apart.
        dated = len(entry.get("versions") or ()) > 1 and entry.get("date")
        title = entry.get("title", value)
        return f"{title}（{entry['date']}）" if dated else title
    if name == "year":
        return f"{value}年"
    return value


def facet_options(facets: dict[str, dict[str, int]], chosen: Filters,
                  url: Callable[..., str]) -> dict[str, list[FacetOption]]:
    """Return each facet's values with counts and the link that sets (or clears) each."""
    options: dict[str, list[FacetOption]] = {}
    for name in FACETS:
        current = dict(chosen.active()).get(name)
        options[name] = [FacetOption(facet_label(name, value), count,
                                     url(**{name: None if value == current else value, "page": 1}),
                                     value == current)
                         for value, count in facets.get(name, {}).items()]
    return options
