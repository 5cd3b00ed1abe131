"""Turn every failure into a page with a search box, or under /api/ into JSON ``{"error": ...}``."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.engine import NotFound
from search.filters import FilterError
from search.index import IndexUnavailable
from search.query import QueryError
from search.settings import REBUILD_RETRY_AFTER
from web.messages import chinese_detail
from web.searching import Rebuilding

API_PREFIX = "/api/"

TITLES = {
    400: "无法处理这个请求",
    404: "找不到这个页面",
    405: "不支持这种请求方式",
    503: "索引暂不可用",
    500: "服务器出错了",
}


def error_response(status: int, message: str, title: str | None = None,
                   retry_after: int | None = None) -> tuple[Response | str, int]:
    """Return the error as JSON for the API (English), or as a page for people (Chinese);
    ``retry_after`` seconds when the answer will be there by then (the page reloads itself)."""
    if request.path.startswith(API_PREFIX):
        response = jsonify(error=message)
    else:
        response = current_app.make_response(render_template(
            "error.html", status=status, title=title or TITLES.get(status, "出错了"),
            message=chinese_detail(status, message), q=request.args.get("q", ""),
            index=current_app.config["INDEX"], seeds=current_app.config["SEEDS"],
            retry_after=retry_after))
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response, status


def _query_error(error: QueryError) -> tuple[Response | str, int]:
    headline = "筛选条件有误" if isinstance(error, FilterError) else "查询有误"
    return error_response(400, str(error), headline)


def _not_found(error: NotFound) -> tuple[Response | str, int]:
    return error_response(404, str(error))


def _unavailable(error: IndexUnavailable) -> tuple[Response | str, int]:
    if isinstance(error, Rebuilding):
        return error_response(503, str(error), "正在重建索引…",
                              retry_after=REBUILD_RETRY_AFTER)
    return error_response(503, str(error))


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    # Werkzeug's stock English sentence helps an API client, not a reader of the page.
    stock = error.description == type(error).description
    if stock and not request.path.startswith(API_PREFIX):
        return error_response(status, "")
    return error_response(status, error.description or TITLES.get(status, "出错了"))


def _server_error(error: InternalServerError) -> tuple[Response | str, int]:
    # The traceback goes to the log (Flask logs it); the visitor gets no internals.
    return error_response(500, "an unexpected error occurred; please try again")


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(IndexUnavailable, _unavailable)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, _http_error)
