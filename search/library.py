"""The library of documents: listed, filtered, sorted and paged; found by their 文号.

What a search and the /docs listing know about whole documents comes from the index's
catalogue file (search/catalogue_file.py): a document by id or 文号 is one row; a filter,
a facet or a listing reads every document's summary columns once per index build.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.catalogue_file import CatalogueFile
from search.documents.identity import passage_id
from search.filters import FilterError, Filters
from search.index import Index
from search.per_build import shared
from search.settings import DEFAULT_LIMIT, DOCUMENT_SORTS, MAX_LIMIT, document_url


class Catalogue:
    """An index build's documents and the lookups made from its catalogue file."""

    def __init__(self, index: Index) -> None:
        self.documents: CatalogueFile = index.documents

    def numbered(self, texts: list[str]) -> list[str]:
        """Return the ids of the documents whose 文号 one of ``texts`` is, in any common form."""
        found: dict[str, None] = {}
        for text in texts:
            found.update(dict.fromkeys(self.documents.numbered(text)))
        return list(found)

    def typed_numbers(self, words: list[str]) -> tuple[list[str], set[str]]:
        """Return the documents whose 文号 a query's ``words`` type, and the words that type
        it: one word, or all of them together (国发 2019 5号; 国发(2019)5号 read as a group)."""
        whole = self.numbered([" ".join(words)]) if len(words) > 1 else []
        if whole:
            return whole, set(words)
        found = {word: self.numbered([word]) for word in dict.fromkeys(words)}
        return (list(dict.fromkeys(doc_id for ids in found.values() for doc_id in ids)),
                {word for word, ids in found.items() if ids})

    def first_passage(self, doc_id: str) -> str | None:
        """Return the id of a document's first passage (what a hit for the whole document shows)."""
        keys = self.documents.get(doc_id, {}).get("passages") or []
        return passage_id(doc_id, keys[0]) if keys else None

    def date(self, doc_id: str | None) -> str:
        """Return a document's date (成文日期, else 发布日期), "" when unknown."""
        return (self.documents.summaries.get(doc_id or "", {}).get("date")) or ""


def catalogue_for(index: Index) -> Catalogue:
    """Return the catalogue of one index build, shared by every searcher of it."""
    return shared(index, Catalogue, lambda: Catalogue(index))


def document_json(entry: dict) -> dict:
    """Return a document's metadata as /api/documents and `docs --json` give it."""
    return {**{k: v for k, v in entry.items() if k != "passages"},
            "passages": len(entry["passages"]), "url": document_url(entry["id"])}


@dataclass(frozen=True)
class DocumentList:
    """A page of documents of the library, with counts per facet."""

    documents: tuple[dict, ...]
    total: int
    page: int
    limit: int
    sort: str
    filters: Filters
    facets: dict[str, dict[str, int]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def to_json(self) -> dict:
        """Return exactly what /api/documents returns and `policy-search docs --json` prints."""
        return {"total": self.total, "page": self.page, "pages": self.pages, "limit": self.limit,
                "sort": self.sort, "filters": dict(self.filters.active()),
                "facets": self.facets, "documents": [document_json(d) for d in self.documents]}


def list_documents(catalogue: Catalogue, filters: Filters, sort: str = "date", page: int = 1,
                   limit: int = DEFAULT_LIMIT) -> DocumentList:
    """Return one page of the documents ``filters`` keep, newest first or by title."""
    if sort not in DOCUMENT_SORTS:
        raise FilterError(f"sort must be date or title, not {sort!r}")
    if filters.section is not None:
        raise FilterError("section: filters passages; a document list takes no section")
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    summaries = catalogue.documents.summaries
    kept = filters.documents(summaries)
    entries = [e for e in summaries.values() if kept is None or e["id"] in kept]
    if sort == "title":
        entries.sort(key=lambda e: (e["title"], e["id"]))
    else:  # newest first; undated last; then by title
        entries.sort(key=lambda e: (e["title"], e["id"]))
        entries.sort(key=lambda e: e.get("date") or "", reverse=True)
    start = (page - 1) * limit
    shown = tuple(catalogue.documents[e["id"]] for e in entries[start:start + limit])
    return DocumentList(shown, len(entries), page, limit, sort, filters, filters.facets(summaries))


def document_detail_json(entry: dict, passages: list) -> dict:
    """Return a document's metadata and its passages (id, key, path, heading, url), in order."""
    return {**document_json(entry),
            "passages": [{"id": p.id, "key": p.key, "path": list(p.path), "heading": p.heading,
                          "url": p.url} for p in passages]}
