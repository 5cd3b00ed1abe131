"""Link the versions of one law: documents whose titles are the same text."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from search.documents.model import Document

_SPACES_RE = re.compile(r"[\s\u3000]+")


def _title_key(title: str) -> str:
    return _SPACES_RE.sub("", title)


class Dated(Protocol):
    """What linking versions reads of a document."""

    id: str
    title: str
    date: str | None


def version_lists(documents: Iterable[Dated]) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Return, for each document that shares its title with others, every version as
    (id, date), newest first."""
    groups: dict[str, list[Dated]] = defaultdict(list)
    for document in documents:
        groups[_title_key(document.title)].append(document)
    versions: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        # Newest first; an undated version counts as the oldest.
        ordered = sorted(group, key=lambda d: (d.date or "", d.id), reverse=True)
        listed = tuple((d.id, d.date) for d in ordered)  # one tuple for the whole group
        versions.update((document.id, listed) for document in group)
    return versions


def linked(documents: list[Document]) -> list[Document]:
    """Return the documents, each that shares its title with others knowing all the versions."""
    versions = version_lists(documents)
    return [dataclasses.replace(d, versions=versions[d.id]) if d.id in versions else d
            for d in documents]
