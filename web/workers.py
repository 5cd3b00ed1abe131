"""Serve from several processes that share one listening socket (``serve --workers N``).

Python runs one thread at a time, so one waitress process searches on one core however
many threads it has. Forked workers accept connections from the same socket, each with
its own threads and caches; the parent only watches them (and the seed folder), starts a
new worker when one dies, and stops them all on Ctrl+C or SIGTERM. A worker whose parent
is gone stops too (Linux's parent-death signal), so none keeps the port after a crash.
A worker asks the parent for something (a rebuild of a damaged index) with a signal.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from collections.abc import Callable

#: prctl() option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
#: Connections the kernel queues on the socket before the workers accept them.
BACKLOG = 1024
#: The signal a worker sends its parent to ask (see asker).
_ASK = signal.SIGUSR1


def listen(host: str, port: int) -> socket.socket:
    """Return a socket bound to host:port and listening; raise OSError if it cannot."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux/glibc: the parent's SIGTERM handler still stops the workers


def asker() -> Callable[[], None]:
    """Return a function that, called in a worker, makes this process (the parent) call
    run_workers's ``asked``. It does nothing once the parent is gone."""
    parent = os.getpid()

    def ask() -> None:
        if os.getppid() == parent:
            os.kill(parent, _ASK)

    return ask


class _Stop(Exception):
    """SIGTERM reached the parent."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def run_workers(count: int, work: Callable[[], None], say: Callable[[str], None],
                started: Callable[[], None] = lambda: None,
                asked: Callable[[], None] = lambda: None) -> None:
    """Fork ``count`` processes that each call ``work()`` (serve until interrupted), call
    ``started()`` in this one, and wait for them; a worker that dies is replaced, and
    ``asked()`` runs here whenever a worker calls its asker(). Return when they have all
    stopped."""
    children: set[int] = set()
    parent = os.getpid()

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handlers
                signal.signal(_ASK, signal.SIG_IGN)
                _die_with_parent()
                if os.getppid() != parent:  # the parent died before the line above
                    os._exit(0)
                work()
            except KeyboardInterrupt:
                pass
            except BaseException as error:  # noqa: BLE001 - a worker must never return here
                print(f"worker {os.getpid()}: {type(error).__name__}: {error}", file=sys.stderr)
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        children.add(pid)

    previous = signal.signal(signal.SIGTERM, _raise_stop)
    # Before forking: a worker asking a parent without the handler would kill it.
    previous_ask = signal.signal(_ASK, lambda signum, frame: asked())
    stopping = False
    try:
        for _ in range(count):
            start()
        started()  # threads only now: a process forked while threads run may inherit held locks
        while children:
            pid, status = os.wait()
            children.discard(pid)
            if not stopping and os.waitstatus_to_exitcode(status) not in (0, -signal.SIGINT):
                say(f"worker {pid} stopped ({os.waitstatus_to_exitcode(status)}); starting another")
                start()
    except (KeyboardInterrupt, _Stop):
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(_ASK, previous_ask)
