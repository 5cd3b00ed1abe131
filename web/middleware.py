"""Security headers on every response: the app's own, and those waitress makes by itself.

Flask's ``after_request`` never sees a request that waitress refuses before the app runs
(a garbage request line, a body or header block over its limits) nor the 500 it writes when
the app raises: the headers are added around the app (WSGI) and in waitress's error task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from web.security import HEADERS

StartResponse = Callable[..., Callable[[bytes], object]]


class SecurityHeaders:
    """WSGI middleware that sets the security headers on every response of ``app``."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: object = None):
            kept = [(k, v) for k, v in headers if k.title() not in _TITLED]
            return start_response(status, kept + list(HEADERS.items()), exc_info)

        return self.app(environ, start)


_TITLED = {name.title() for name in HEADERS}


class _SecureErrorTask(ErrorTask):
    """waitress's own error response (400, 413, 431, 500), with the security headers."""

    def execute(self) -> None:
        self.response_headers.extend(HEADERS.items())
        super().execute()


class _SecureChannel(HTTPChannel):
    error_task_class = _SecureErrorTask


def secure_server(server: object) -> None:
    """Make every listening socket of a waitress server add the headers to its own errors."""
    listeners = [server, *getattr(server, "map", {}).values()]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _SecureChannel
