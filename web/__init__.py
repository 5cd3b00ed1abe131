"""The policy-search web app: search page, passage permalinks, documents and a JSON API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from search import settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: defaults from search.settings, then ``config`` on top."""
    app = Flask(__name__)
    # Canonical links come from BASE_URL, never from the request's Host header.
    # INDEX_WARNING: why the index could not be rebuilt, for every page's footer.
    # REBUILD: starts rebuilding a damaged index in the background (serve sets it).
    app.config.from_mapping(INDEX=settings.index_dir(), SEEDS=settings.seeds_dir(),
                            BASE_URL=settings.DEFAULT_BASE_URL, INDEX_WARNING=None,
                            REBUILD=None)
    if config is not None:
        app.config.from_mapping(config)
    # The API returns exactly what `policy-search query --json` prints: same key order, UTF-8.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from web import errors, library, searching, suggest, views  # noqa: F401 (suggest adds its route)
    from web.middleware import SecurityHeaders

    searching.init_app(app)
    errors.init_app(app)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    app.register_blueprint(views.bp)
    app.register_blueprint(library.bp)
    return app
