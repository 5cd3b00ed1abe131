"""Measure in subprocesses: a worker with its peak memory, the CLI's cold start, the web server."""

from __future__ import annotations

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psutil

from bench.queries import QUERIES, BenchQuery

POLL_SECONDS = 0.05
LOOPBACK = "127.0.0.1"
#: How long the server is left alone before its idle memory is read.
IDLE_SECONDS = 1.0


def percentile(values: list[float], pct: float) -> float:
    """Return the ``pct`` percentile of ``values`` (nearest rank on the sorted values)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def tree_memory(process: psutil.Process) -> int:
    """Return the proportional set size of a process and its children (RSS without PSS)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def run_worker(args: list[str], env: dict[str, str] | None = None) -> tuple[dict, int]:
    """Run ``python -m bench.worker ARGS``; return its JSON and the peak memory of its tree."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.worker", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    peak = 0
    watched = psutil.Process(proc.pid)
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            started = time.perf_counter()
            try:
                peak = max(peak, tree_memory(watched))
            except psutil.NoSuchProcess:
                return
            # Reading a process's PSS walks its page tables (30 ms a GiB): keep the
            # measuring to a twentieth of one core, so that it does not slow the build.
            done.wait(max(POLL_SECONDS, 20 * (time.perf_counter() - started)))

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, err = proc.communicate()
    done.set()
    poller.join()
    if proc.returncode != 0:
        raise RuntimeError(f"bench.worker {' '.join(args)} failed:\n{err.strip()[-2000:]}")
    return json.loads(out.strip().splitlines()[-1]), peak


def dir_size(path: Path) -> int:
    """Return the bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cli_command() -> list[str]:
    """Return how a user runs policy-search from this environment."""
    script = Path(sys.executable).parent / "policy-search"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "search"]


def _with_bytecode() -> dict[str, str]:
    """Return this environment with bytecode written and reused even when this process runs
    without it: an installed package has its modules compiled (compiling ours from source
    costs a CLI process 60 ms)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def environment(seeds: Path, index: Path) -> dict[str, str]:
    """Return the environment that points policy-search at ``seeds`` and ``index``."""
    return {**_with_bytecode(), "POLICY_SEARCH_SEEDS": str(seeds),
            "POLICY_SEARCH_INDEX": str(index)}


def compile_package() -> None:
    """Compile policy-search's modules, as installing it does, so that no timed process
    compiles them."""
    package = Path(__file__).resolve().parent.parent / "search"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)],
                   env=_with_bytecode(), check=True, capture_output=True)


def build_seed_index(seeds: Path, index: Path) -> None:
    """Build the seed corpus's index the way a user does: policy-search index."""
    subprocess.run([*cli_command(), "index"], env=environment(seeds, index), check=True,
                   capture_output=True, timeout=600)


def cold_start(seeds: Path, index: Path, text: str, runs: int) -> dict:
    """Time whole ``policy-search query TEXT --json`` processes on a built index."""
    command = [*cli_command(), "query", text, "--json"]
    env = environment(seeds, index)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    total = json.loads(done.stdout)["total"]
    return {"command": " ".join(["policy-search", "query", text, "--json"]), "runs": runs,
            "median_seconds": percentile(seconds, 50), "min_seconds": min(seconds),
            "max_seconds": max(seconds), "total_hits": total}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"policy-search serve exited: {server.stderr.read().strip()}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"policy-search serve did not listen on {LOOPBACK}:{port} in {timeout} s")


def _paths(queries: tuple[BenchQuery, ...] = QUERIES) -> list[str]:
    """Alternate the JSON API and the HTML page over the query set."""
    return [f"{route}{quote(q.text)}" for q in queries for route in ("/api/search?q=", "/?q=")]


def _client(port: int, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    """Send ``paths`` one after another over one keep-alive connection."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    for path in paths:
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{type(error).__name__} {path}")
            connection.close()
            connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
        latencies.append(time.perf_counter() - started)
    connection.close()


@contextmanager
def serving(seeds: Path, index: Path, workers: int = 1
            ) -> Iterator[tuple[int, psutil.Process]]:
    """Run ``policy-search serve`` (with ``workers`` processes) on loopback; yield its port
    and process."""
    port = _free_port()
    # The access log would cost time per request and fill the stderr pipe nobody reads.
    server = subprocess.Popen([*cli_command(), "serve", "--host", LOOPBACK, "--port", str(port),
                               "--access-log", os.devnull, "--workers", str(workers)],
                              env=environment(seeds, index), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, server)
        yield port, psutil.Process(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def serve_memory(seeds: Path, index: Path, queries: tuple[BenchQuery, ...] = QUERIES) -> dict:
    """Return the server's resident memory at idle: just started, and after every page of
    ``queries`` once (its caches warm)."""
    with serving(seeds, index) as (port, process):
        time.sleep(IDLE_SECONDS)
        started = process.memory_info().rss
        errors: list[str] = []
        _client(port, _paths(queries), [], errors)
        time.sleep(IDLE_SECONDS)
        warm = process.memory_info().rss
    return {"idle_started_bytes": started, "idle_warm_bytes": warm, "errors": len(errors)}


def web_load(seeds: Path, index: Path, requests: int, clients: int) -> dict:
    """Start ``policy-search serve`` on loopback and send it ``requests`` from ``clients``."""
    with serving(seeds, index) as (port, _):
        paths = _paths()
        _client(port, paths, [], [])  # warm up: every page once
        plan = [paths[i % len(paths)] for i in range(requests)]
        latencies: list[list[float]] = [[] for _ in range(clients)]
        errors: list[str] = []
        threads = [threading.Thread(target=_client, args=(port, plan[n::clients], latencies[n], errors))
                   for n in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    flat = [latency for per_client in latencies for latency in per_client]
    return {"host": LOOPBACK, "requests": requests, "clients": clients, "seconds": seconds,
            "requests_per_second": requests / seconds, "p50_ms": percentile(flat, 50) * 1000,
            "p99_ms": percentile(flat, 99) * 1000, "errors": len(errors),
            "error_examples": errors[:5]}
