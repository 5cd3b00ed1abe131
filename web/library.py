"""The library pages: /docs lists the documents (filtered, sorted, paged) and their JSON twins."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from search.filters import NAMES, Filters
from search.library import DocumentList, catalogue_for, document_detail_json, list_documents
from search.settings import DEFAULT_LIMIT, DOCUMENT_SORTS, MAX_LIMIT
from web.searching import get_build, get_searcher
from web.facets import FILTER_LABELS, facet_label, facet_options
from web.views import page_window, twin_url, whole_number, with_query

bp = Blueprint("library", __name__)

#: Documents on one page of /docs.
DOCUMENTS_PAGE = 20


def _listing(default_limit: int) -> DocumentList:
    """Read the filters, sort and page of a /docs request and list those documents."""
    filters = Filters.read({name: request.args.get(name) for name in NAMES})
    sort = (request.args.get("sort") or DOCUMENT_SORTS[0]).strip().lower()
    return list_documents(catalogue_for(get_build().index), filters, sort,
                          whole_number("page", 1),
                          min(whole_number("limit", default_limit), MAX_LIMIT))


def documents_url(listing: DocumentList, **changes: str | int | None) -> str:
    """Return the /docs URL of ``listing`` with some parameters changed (by public name)."""
    values = {**dict(listing.filters.active()), "sort": listing.sort, "page": listing.page,
              "limit": listing.limit, **changes}
    if values["page"] == 1:
        values["page"] = None
    if values["sort"] == DOCUMENT_SORTS[0]:
        values["sort"] = None
    if values["limit"] == DOCUMENTS_PAGE:
        values["limit"] = None
    return with_query(url_for("library.documents"), **values)


@bp.get("/docs")
def documents() -> str:
    """List the library's documents with their metadata, facets with counts, newest first."""
    listing = _listing(DOCUMENTS_PAGE)
    return render_template(
        "docs.html", q="", listing=listing, documents_url=documents_url,
        facets=facet_options(listing.facets, listing.filters,
                             lambda **c: documents_url(listing, **c)),
        filter_names=FILTER_LABELS, facet_label=facet_label,
        page_numbers=page_window(listing.page, listing.pages),
        page_url=lambda number: documents_url(listing, page=number),
        json_url=twin_url("library.api_documents"),
        first=(listing.page - 1) * listing.limit + 1)


@bp.get("/api/documents")
def api_documents() -> Response:
    """Return a page of documents as JSON: what `policy-search docs --json` prints."""
    return jsonify(_listing(DEFAULT_LIMIT).to_json())


@bp.get("/api/documents/<doc_id>")
def api_document(doc_id: str) -> Response:
    """Return one document's metadata and its passages (id, key, path, heading, url)."""
    entry, passages = get_searcher().document(doc_id)
    return jsonify(document_detail_json(entry, passages))
