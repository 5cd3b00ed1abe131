"""`serve --workers N`: several processes answer on one port, and none outlives the server."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.conftest import SEEDS
from tests.test_reliability import _free_port

#: Seconds a check of the process tree may wait for processes to start or stop.
SETTLE = 15


def _get(port: int, path: str = "/api/search?q=%E4%B8%93%E5%88%A9") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _until(check, seconds: float = SETTLE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def served(seed_index: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    """`policy-search serve --workers 2` over the seed index; yields its port and process."""
    port = _free_port()
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(seed_index), "POLICY_SEARCH_SEEDS": str(SEEDS)}
    # A test run started in the background by a non-interactive shell ignores SIGINT, and an
    # ignored signal stays ignored in the processes it starts: the server must get Ctrl+C's
    # default, as in a terminal.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port),
                                    "--workers", "2", "--access-log", os.devnull, "--no-watch"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=env)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        assert "serving" in process.stdout.readline()
        yield port, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=SETTLE)


def _workers(process: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(process.pid).children()
    except psutil.NoSuchProcess:
        return []


def test_two_worker_processes_answer_on_one_port(served) -> None:
    port, process = served
    assert _until(lambda: len(_workers(process)) == 2)
    workers = _workers(process)
    # Keep-alive connections stay with the worker that accepted them: open them until
    # each worker holds one (the kernel hands a new connection to whichever is waiting).
    connections = []
    try:
        for _ in range(64):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/api/search?q=%E4%B8%93%E5%88%A9")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            connections.append(connection)
            holding = [w for w in workers if any(c.status == psutil.CONN_ESTABLISHED
                                                 for c in w.net_connections("tcp"))]
            if len(holding) == 2:
                break
        assert len(holding) == 2, "one worker accepted every connection"
    finally:
        for connection in connections:
            connection.close()


def test_a_worker_that_dies_is_replaced(served) -> None:
    port, process = served
    assert _until(lambda: len(_workers(process)) == 2)
    victim = _workers(process)[0]
    victim.kill()
    assert _until(lambda: len(_workers(process)) == 2 and victim.pid not in
                  [w.pid for w in _workers(process)])
    assert [_get(port) for _ in range(6)] == [200] * 6
    process.terminate()
    _, stderr = process.communicate(timeout=SETTLE)
    assert f"worker {victim.pid} stopped" in stderr and "starting another" in stderr


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_stops_every_worker_and_frees_the_port(served, how) -> None:
    port, process = served
    assert _until(lambda: len(_workers(process)) == 2)
    workers = _workers(process)
    process.send_signal(how)
    process.wait(timeout=SETTLE)
    assert _until(lambda: not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE
                                  for w in workers))
    with pytest.raises(OSError):
        _get(port)


def test_workers_stop_when_the_server_is_killed(served) -> None:
    port, process = served
    assert _until(lambda: len(_workers(process)) == 2)
    workers = _workers(process)
    process.kill()  # no handler runs: the workers learn it from the kernel
    process.wait(timeout=SETTLE)
    assert _until(lambda: not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE
                                  for w in workers))
    with pytest.raises(OSError):
        _get(port)
