"""Serve the app with waitress (never Flask's development server)."""

from __future__ import annotations

import ctypes
import logging
import sys
from pathlib import Path
from typing import TextIO

from waitress import create_server

from search.watch import SeedWatcher, Updater

from web import create_app
from web.middleware import AccessLog, secure_server
from web.workers import asker, listen, run_workers

PROG = "policy-search"
#: glibc's mallopt() parameter for the number of malloc arenas.
_M_ARENA_MAX = -8
#: Malloc arenas shared by the worker threads.
MALLOC_ARENAS = 2


def _share_malloc_arenas() -> None:
    """Let the worker threads share a few glibc malloc arenas instead of one each.

    Each arena keeps the peak of the requests its thread served: with 8 threads the server
    held 495 MiB after 7 queries on 10k passages, 201 MiB with 2 arenas.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc: its own allocator decides
    libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


def url_for_listen(host: str, port: int) -> str:
    """Return the URL a person opens for a listening address."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(host: str, port: int, threads: int, seeds: Path, index: Path,
          base_url: str | None = None, warning: str | None = None,
          access_log: TextIO | None = None, watch: bool = True, workers: int = 1) -> None:
    """Serve the search page on host:port until interrupted; raise OSError if it cannot listen.

    Canonical links start with ``base_url``, by default the listening address; ``warning``
    (an index that could not be rebuilt) is shown in every page's footer. A line per request
    goes to ``access_log`` (stderr by default). With ``watch``, changes to the seed folder
    are indexed in the background; with or without, an index found damaged with no sound
    build to fall back on is rebuilt from the seeds in the background. With ``workers``
    above 1, that many processes share the listening socket (see web/workers.py).
    """
    _share_malloc_arenas()  # before waitress starts its threads
    say = lambda line: print(f"{PROG}: {line}", file=sys.stderr, flush=True)  # noqa: E731
    updater = Updater(seeds, index, say) if seeds.is_dir() else None
    # The updater runs in this process; a worker process asks it through a signal.
    rebuild = None if updater is None else asker() if workers > 1 else updater.ask_now
    app = create_app({"INDEX": index, "SEEDS": seeds, "INDEX_WARNING": warning,
                      "BASE_URL": base_url or url_for_listen(host, port), "REBUILD": rebuild})
    # Under load waitress warns on every queued request ("Task queue depth is 2"): a
    # busy moment, not a fault, and it would bury the terminal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app.wsgi_app = AccessLog(app.wsgi_app, access_log or sys.stderr)  # type: ignore[method-assign]
    if workers > 1:
        listener = listen(host, port)  # before forking: the workers share it

        def work() -> None:
            _serve_forever(create_server(app, sockets=[listener], threads=threads, ident=PROG))
    else:
        server = create_server(app, host=host, port=port, threads=threads, ident=PROG)
    watcher = SeedWatcher(updater) if watch and updater is not None else None

    def start_threads() -> None:
        if updater is not None:
            updater.start()
        if watcher is not None:
            watcher.start()

    # Flushed at once: scripts and tests wait for this line to know the server is up.
    print(f"{PROG}: serving {url_for_listen(host, port)} (Ctrl+C to stop)", flush=True)
    try:
        if workers > 1:
            run_workers(workers, work, say, started=start_threads,
                        asked=updater.ask_now if updater is not None else lambda: None)
        else:
            start_threads()
            _serve_forever(server)
    finally:
        if watcher is not None:
            watcher.stop()
        if updater is not None:
            updater.stop()
    print(f"{PROG}: stopped", file=sys.stderr)


def _serve_forever(server) -> None:
    secure_server(server)
    try:
        server.run()  # waitress returns from run() on Ctrl+C after closing its sockets
    finally:
        server.close()
