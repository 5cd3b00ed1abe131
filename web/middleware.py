"""Security headers on every response (the app's own, and those waitress makes by itself),
and the access log.

Flask's ``after_request`` never sees a request that waitress refuses before the app runs
(a garbage request line, a body or header block over its limits) nor the 500 it writes when
the app raises: the headers are added around the app (WSGI) and in waitress's error task.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TextIO
from urllib.parse import quote

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


class AccessLog:
    """WSGI middleware that writes one common-log-format line per request to ``stream``.

    paste's TransLogger would do, but it logs X-Forwarded-For as the client's address (any
    client could write what it likes there) and misprints zones west of UTC (-500 for
    -0500), and it brings setuptools in at run time.
    """

    def __init__(self, app: Callable, stream: TextIO) -> None:
        self.app = app
        self.stream = stream
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterator[bytes]:
        started = datetime.now().astimezone()
        status = ["500"]

        def start(code: str, headers: list[tuple[str, str]], exc_info: object = None):
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        sent = 0
        try:
            body = self.app(environ, start)
        except BaseException:  # waitress answers 500 by itself
            self.write(environ, started, "500", 0)
            raise
        try:
            for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            # Flask tears the request down (closing its searcher) when its body is closed.
            close = getattr(body, "close", None)
            if close is not None:
                close()
            self.write(environ, started, status[0], sent)

    def write(self, environ: dict, started: datetime, status: str, sent: int) -> None:
        """Write the line: host ident user [time] "request line" status bytes."""
        target = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                       safe="/-_.~!$&'()*+,;=:@", encoding="latin-1")
        query = environ.get("QUERY_STRING", "")
        if query:  # as the client sent it, but never a quote or space that would split the line
            target += "?" + quote(query, safe="/-_.~!$&'()*+,;=:@%?", encoding="latin-1")
        request = f'{environ.get("REQUEST_METHOD", "-")} {target} {environ.get("SERVER_PROTOCOL", "-")}'
        line = (f'{environ.get("REMOTE_ADDR") or "-"} - - '
                f'[{started.strftime("%d/%b/%Y:%H:%M:%S %z")}] "{request}" {status} '
                f'{sent or "-"}\n')
        with self._lock:  # waitress's threads write whole lines
            self.stream.write(line)
            self.stream.flush()
