"""A function run in a forked child: its result comes back, or FAILED and nothing hangs."""

from __future__ import annotations

import os
import time

from search.apart import FAILED, Apart


def _large(n: int) -> dict[str, list[int]]:
    return {f"词{i}": list(range(i % 7)) for i in range(n)}


def test_the_result_comes_back_through_the_pipe_however_large():
    assert Apart(_large, 3).result() == _large(3)
    assert Apart(_large, 200_000).result() == _large(200_000)  # many pipe buffers
    assert Apart(lambda: None).result() is None  # a None is a result, not a failure


def test_a_child_that_raises_or_dies_gives_failed():
    def raises():
        raise ValueError("boom")

    assert Apart(raises).result() is FAILED
    assert Apart(lambda: os._exit(3)).result() is FAILED


def test_a_child_that_takes_too_long_is_killed():
    started = time.monotonic()
    child = Apart(time.sleep, 30, seconds=0.2)
    assert child.result() is FAILED and time.monotonic() - started < 5
    assert child.result() is FAILED  # asked again: still no result, no error


def test_without_fork_the_caller_gets_failed_at_once(monkeypatch):
    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert Apart(_large, 3).result() is FAILED


def _sleep_then_touch(path) -> None:
    time.sleep(0.5)
    path.touch()


def test_a_child_not_waited_for_is_ended_on_close(tmp_path):
    late = tmp_path / "late"
    with Apart(_sleep_then_touch, late):
        pass  # closed at once: the child is killed before it touches the file
    time.sleep(1.0)
    assert not late.exists()
    Apart(_sleep_then_touch, late).result()  # waited for: it does
    assert late.exists()
