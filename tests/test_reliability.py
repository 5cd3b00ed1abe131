"""Each failure of issue 8, reproduced as a hostile user or a careless operator meets it.

Bounded work per request, linear rendering, a build lifecycle that survives killed builds,
damaged indexes, full disks and concurrent rebuilds, valid output for invalid input, and
security headers and canonical links that a request cannot change.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import SEEDS, run_cli
from web import create_app
from web.security import HEADERS


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Flask:
    return create_app({"TESTING": True, "INDEX": seed_index, "SEEDS": SEEDS,
                       "BASE_URL": "https://policy.example"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_index: Path) -> Iterator[int]:
    """A real `policy-search serve` over the seed index; yields its port."""
    port = _free_port()
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(seed_index), "POLICY_SEARCH_SEEDS": str(SEEDS)}
    process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "serving" in process.stdout.readline()
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str]]:
    """Send raw bytes to the server; return the response's status and headers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            connection.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before it has read everything
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return status, headers


# Output and headers that a request cannot spoil


def test_query_json_is_valid_utf8_for_an_argument_that_is_not(tmp_path: Path, seed_index: Path
                                                              ) -> None:
    done = subprocess.run([sys.executable, "-m", "search", "query", b"\xff\xe4\xb8\x93\xe5\x88\xa9",
                           "--json"], capture_output=True, timeout=120,
                          env={**os.environ, "POLICY_SEARCH_INDEX": str(seed_index),
                               "POLICY_SEARCH_SEEDS": str(SEEDS)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert result["query"] == "\ufffd专利"


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431),
])
def test_the_servers_own_error_responses_carry_the_security_headers(
        server: int, request_bytes: bytes, status: int) -> None:
    got, headers = _raw_exchange(server, request_bytes)
    assert got == status
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name


def test_the_apps_responses_carry_each_security_header_once(server: int) -> None:
    status, headers = _raw_exchange(server, b"GET /?q=x HTTP/1.0\r\n\r\n")
    assert status == 200
    assert headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/p/tianjin-ip-2017/3.2", "/doc/tianjin-ip-2017",
                                 "/opensearch.xml"])
def test_canonical_links_come_from_the_base_url_not_the_host_header(app: Flask, url: str) -> None:
    html = app.test_client().get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html
    assert "https://policy.example/" in html


def test_serve_takes_its_base_url_from_the_bind_address_by_default(server: int) -> None:
    request = b"GET /p/tianjin-ip-2017/3.2 HTTP/1.0\r\nHost: evil.example\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(request)
        body = b""
        while chunk := connection.recv(65536):
            body += chunk
    html = body.decode("utf-8")
    assert "evil.example" not in html
    assert f'<link rel="canonical" href="http://127.0.0.1:{server}/p/tianjin-ip-2017/3.2">' in html
