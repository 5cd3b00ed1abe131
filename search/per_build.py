"""What every searcher of one index build shares, made once per build and dropped with it."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_shared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Reentrant: one factory may ask for another (the dates by passage need the catalogue).
_lock = threading.RLock()


def shared(build: object, key: object, make: Callable[[], T]) -> T:
    """Return what ``make()`` made for ``build`` under ``key``: made on first use, kept as long
    as ``build`` lives."""
    with _lock:
        made = _shared.setdefault(build, {})
        if key not in made:
            made[key] = make()
        return made[key]
