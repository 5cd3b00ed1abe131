"""Suggestions as you type: ``/api/suggest?q=`` for the search box and the address bar."""

from __future__ import annotations

from flask import Response, json, request
from werkzeug.exceptions import BadRequest

from search.settings import MAX_QUERY_LENGTH
from web.searching import get_build
from web.views import bp, search_home_url

#: The OpenSearch suggestions format: [query, completions, descriptions, query URLs].
MIMETYPE = "application/x-suggestions+json"


@bp.get("/api/suggest")
def suggest() -> Response:
    """Return completions of ``q``: titles, 文号 and terms, at most a handful."""
    typed = request.args.get("q", "")
    if len(typed) > MAX_QUERY_LENGTH:
        raise BadRequest(f"q must be at most {MAX_QUERY_LENGTH} characters")
    found = get_build().suggester.suggest(typed)
    body = [typed, [s.text for s in found], [s.kind for s in found],
            [search_home_url(s.text) for s in found]]
    return Response(json.dumps(body, ensure_ascii=False), mimetype=MIMETYPE)
