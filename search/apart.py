"""Run a function in a forked child process while this one goes on, on the other core.

A command-line query checks that the index matches the seed folder (a walk and a stat of
every seed file: 0.16 s at 27,000 files) while it opens the index and searches; an update
imports pypinyin to spell new titles (0.15 s) while it writes. The child's result comes
back pickled through a pipe. Where there is no fork, or the child dies or takes too long,
``result()`` gives FAILED and the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any

class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


#: What ``result()`` gives when the child could not give the function's result.
FAILED: Any = _Failed()


class Apart:
    """``function(*args)`` running in a child process; ``result()`` waits for it."""

    def __init__(self, function: Callable[..., Any], *args: Any, seconds: float = 60) -> None:
        self._seconds = seconds
        self._pid: int | None = None
        self._reading: int | None = None
        self._status: int | None = None  # the child's exit code, once it is gone
        try:
            reading, writing = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except (AttributeError, OSError):  # no fork on this system, or no process left
            os.close(reading)
            os.close(writing)
            return
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            status = 1
            try:
                os.close(reading)
                data = pickle.dumps(function(*args), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as sending:
                    sending.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self._pid, self._reading = pid, reading

    def result(self) -> Any:
        """Return what the function returned, or FAILED; the child is gone afterwards."""
        if self._reading is None:
            return FAILED
        chunks, ended, deadline = [], False, time.monotonic() + self._seconds
        try:
            while not ended:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._reading], [], [], left)[0]:
                    return FAILED  # too long: close() kills the child
                chunk = os.read(self._reading, 1 << 16)
                chunks.append(chunk)
                ended = not chunk
        except OSError:
            return FAILED
        finally:
            self.close(wait=ended)
        if self._status != 0:
            return FAILED
        try:
            return pickle.loads(b"".join(chunks))
        except (pickle.UnpicklingError, EOFError, ValueError):
            return FAILED

    def close(self, wait: bool = False) -> None:
        """End the child (killed, unless ``wait``: it has sent its result and is exiting)
        and release the pipe."""
        if self._reading is not None:
            os.close(self._reading)
            self._reading = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                if not wait:
                    os.kill(pid, signal.SIGKILL)
                self._status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            except (ChildProcessError, ProcessLookupError):
                self._status = None

    def __enter__(self) -> Apart:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
