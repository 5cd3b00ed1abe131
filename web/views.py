"""The one blueprint: search page, passage permalinks, documents, OpenSearch and the JSON API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import (
    Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for,
)
from search.engine import NotFound, PassageView, SearchResult
from search.errors import QueryError
from search.filters import NAMES, Filters, sort_order
from search.highlight import Segment
from search.outline import new_headings, size
from search.settings import (
    DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, SORTS, document_url, permalink, shown_url,
)
from web.facets import FILTER_LABELS, FacetOption, facet_label, facet_options
from web.contents import LONG_CONTENTS, links
from web.searching import get_build, get_searcher

bp = Blueprint("search", __name__)

#: Page links shown either side of the current page.
PAGE_WINDOW = 2
#: Newest documents listed on the home page.
HOME_DOCUMENTS = 10
#: Passages on one page of a document: a very long document is rendered a page at a time.
DOCUMENT_PAGE = 200


@dataclass(frozen=True)
class SearchArgs:
    """What the search form and the API accept, checked."""

    q: str
    #: The filters given as parameters (office=, year=, ...); the query text may add more.
    filters: Filters
    sort: str
    page: int
    limit: int


def whole_number(name: str, default: int) -> int:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    # isdigit() alone accepts "²" and other digits that int() refuses; 9 digits bound the work.
    if not (value.isascii() and value.isdigit() and len(value) <= 9 and int(value) >= 1):
        raise QueryError(f"{name} must be a whole number from 1, not {value!r}")
    return int(value)


def search_args() -> SearchArgs:
    """Read and check the query string; raise QueryError for a bad filter, sort or page."""
    return SearchArgs(
        q=request.args.get("q", ""),
        filters=Filters.read({name: request.args.get(name) for name in NAMES}),
        sort=sort_order(request.args.get("sort")),
        page=whole_number("page", 1),
        limit=min(whole_number("limit", DEFAULT_LIMIT), MAX_LIMIT),
    )


def with_query(url: str, **params: str | int | None) -> str:
    """Add query parameters to a URL before its #fragment, leaving out empty ones."""
    parts = urlsplit(url)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return urlunsplit(parts._replace(query=query))


def search_home_url(q: str) -> str:
    """Return the absolute URL of the search page for ``q``, under the configured base."""
    return base_url() + with_query(url_for("search.home"), q=q)


def search_url(args: SearchArgs, **changes: str | int | None) -> str:
    """Return the search page URL for ``args`` with some of them changed (by public name)."""
    values = {"q": args.q, **dict(args.filters.active()), "sort": args.sort, "page": args.page,
              "limit": args.limit, **changes}
    if values["page"] == 1:
        values["page"] = None
    if values["limit"] == DEFAULT_LIMIT:
        values["limit"] = None
    if values["sort"] == SORTS[0]:
        values["sort"] = None
    return with_query(url_for("search.home"), **values)


def twin_url(endpoint: str) -> str:
    """Return the JSON twin of this page: the API endpoint with the same parameters."""
    return with_query(url_for(endpoint), **request.args.to_dict())


def typed_words(q: str, names: tuple[str, ...] | list[str] = tuple(NAMES)) -> str:
    """Return the query text less the filters typed in it (``office:国务院`` and the like)."""
    for name in names:
        q = re.sub(rf"(?:^|\s){re.escape(name)}:\S+", " ", q, flags=re.IGNORECASE)
    return " ".join(q.split())


def without_filter(args: SearchArgs, *names: str) -> str:
    """Return the search URL less some filters, whether given as parameters or typed in the
    query; a document's chapter goes with the document."""
    names = (*names, "section") if "doc" in names else names
    return search_url(args, q=typed_words(args.q, names) or args.q, page=1,
                      **dict.fromkeys(names))


@bp.app_template_filter("paragraphs")
def paragraphs(segments: list[Segment]) -> list[list[Segment]]:
    """Split highlighted text at its line breaks into paragraphs, keeping the marks."""
    found: list[list[Segment]] = [[]]
    for segment in segments:
        for number, line in enumerate(segment.text.split("\n")):
            if number:
                found.append([])
            if line:
                found[-1].append(Segment(line, segment.is_match))
    return [paragraph for paragraph in found if paragraph]


def base_url() -> str:
    """Return the configured base of absolute links, without a trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


@bp.app_context_processor
def template_helpers() -> dict:
    """Give templates the URL helpers and the query length limit."""
    return {"with_query": with_query, "document_url": document_url, "shown_url": shown_url,
            "max_query_length": MAX_QUERY_LENGTH, "base_url": base_url(),
            "index_warnings": index_warnings()}


def index_warnings() -> list[str]:
    """Return what is wrong with the index this page comes from, for the footer."""
    configured = current_app.config["INDEX_WARNING"]
    warnings = [str(configured)] if configured else []
    build = g.get("build")
    return warnings + (build.index.problems if build is not None else [])


def _facets(result: SearchResult, args: SearchArgs) -> dict[str, list[FacetOption]]:
    options = facet_options(result.facets, result.filters, lambda **c: search_url(args, **c))
    # Chapters are named only within one chosen document: reading every heading is not free.
    chapters = get_build().chapters.get(result.filters.doc, {}) if result.filters.doc else {}
    options["section"] = [
        FacetOption(chapters.get(number), count,
                    search_url(args, section=None if active else number, page=1), active)
        for number, count in result.facets.get("section", {}).items()
        for active in [str(result.filters.section) == number]]
    return options


def page_window(current: int, last: int) -> list[int | None]:
    """Return the page links to show: first, last, and a window around ``current``; None = gap."""
    window = range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)
    shown = sorted({1, last, *window})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@bp.get("/")
def home() -> str:
    """Show the search box and the corpus, or the results of ``q``."""
    args = search_args()
    build = get_build()
    if not args.q.strip():
        documents = sorted(build.index.documents.values(), key=lambda d: d["date"] or "",
                           reverse=True)
        return render_template("home.html", q="", examples=build.examples,
                               manifest=build.index.manifest,
                               documents=documents[:HOME_DOCUMENTS])
    result = get_searcher().search(args.q, limit=args.limit, page=args.page,
                                   filters=args.filters, sort=args.sort, facets=True)
    return render_template(
        "results.html", q=args.q, args=args, result=result, facets=_facets(result, args),
        first=(result.page - 1) * result.limit + 1,
        page_numbers=page_window(result.page, result.pages),
        search_url=search_url, page_url=lambda number: search_url(args, page=number),
        json_url=twin_url("search.api_search"),
        typed_words=typed_words,
        without_filter=without_filter, facet_label=facet_label,
        filter_names=FILTER_LABELS, examples=build.examples if not result.hits else (),
    )


@bp.get("/p/<path:passage_id>")
def passage(passage_id: str) -> Response | str:
    """Show one passage, the query highlighted, with its neighbours."""
    q = request.args.get("q", "")
    searcher = get_searcher()
    canonical = searcher.resolve(passage_id)
    if canonical != passage_id:  # /p/劳动合同法/a19 -> /p/劳动合同法/第十九条
        return redirect(with_query(permalink(canonical), q=q), code=301)
    shown = searcher.passage(passage_id)
    neighbours = {name: searcher.passage(other) if other else None
                  for name, other in (("previous", shown.previous), ("next", shown.next))}
    return render_template("passage.html", q=q, passage=shown,
                           in_document=passage_in_document(shown, q),
                           segments=searcher.highlight_passage(shown, q), **neighbours)


def document_page_url(doc_id: str, number: int, q: str = "") -> str:
    """Return the URL of one page of a document (the first page has no number)."""
    return with_query(document_url(doc_id), q=q, page=number if number > 1 else None)


def passage_in_document(passage: PassageView, q: str = "") -> str:
    """Return the URL of the document page that holds a passage, at the passage."""
    position = get_build().index.position(passage.doc_id, passage.key)
    number = max(position, 0) // DOCUMENT_PAGE + 1
    return f"{document_page_url(passage.doc_id, number, q)}#{passage.key}"


@bp.get("/doc/<doc_id>")
def document(doc_id: str) -> str | Response:
    """Show a document a page of passages at a time with their contents, the query highlighted.

    ``?at=<key>`` redirects to the page that holds that passage, at the passage.
    """
    q = request.args.get("q", "")
    index = get_build().index
    if "at" in request.args:
        at = request.args["at"]
        position = index.position(doc_id, at)
        if position < 0:
            raise NotFound(f"no passage {at!r} in document {doc_id!r}")
        return redirect(f"{document_page_url(doc_id, position // DOCUMENT_PAGE + 1, q)}#{at}")
    if doc_id not in index.documents:
        raise NotFound(f"no document with id {doc_id!r}")
    total = len(index.documents[doc_id]["passages"])
    pages = max(1, -(-total // DOCUMENT_PAGE))
    number = whole_number("page", 1)
    if number > pages:
        raise NotFound(f"document {doc_id!r} has {pages} page{'s' * (pages != 1)}, not {number}")
    searcher = get_searcher()
    start = (number - 1) * DOCUMENT_PAGE
    meta, passages = searcher.document(doc_id, start, start + DOCUMENT_PAGE)
    marked, previous = [], ()
    for shown in passages:  # each passage with the 编/章/节 or 一、 headings it opens
        marked.append((shown, searcher.highlight_passage(shown, q),
                       new_headings(shown.path, previous)))
        previous = shown.path
    matched = [start + n for n, (_, segments, _) in enumerate(marked)
               if any(s.is_match for s in segments)]
    headings = get_build().outline(doc_id)
    page_url = partial(document_page_url, doc_id, q=q)
    contents = links(headings, range(start, start + len(passages)), matched,
                     lambda position: page_url(position // DOCUMENT_PAGE + 1))
    return render_template("document.html", q=q, meta=meta, passages=marked, total=total,
                           contents=contents, long_contents=size(headings) > LONG_CONTENTS,
                           matches=[marked[p - start][0] for p in matched], page=number,
                           pages=pages, page_numbers=page_window(number, pages),
                           page_url=page_url)


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """Describe the search for browsers (OpenSearch), so it can be added as a search engine."""
    body = render_template("opensearch.xml", root=base_url() + "/")
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/api/search")
def api_search() -> Response:
    """Return a page of hits as JSON: exactly what ``policy-search query --json`` prints."""
    args = search_args()
    result = get_searcher().search(args.q, limit=args.limit, page=args.page,
                                   filters=args.filters, sort=args.sort, facets=True)
    return jsonify(result.to_json(base_url()))


@bp.get("/api/passages/<path:passage_id>")
def api_passage(passage_id: str) -> Response:
    """Return one passage as JSON, with its path and neighbours."""
    searcher = get_searcher()
    return jsonify(searcher.passage(searcher.resolve(passage_id)).to_json(base_url()))
