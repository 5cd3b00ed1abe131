"""Positions spaced apart, so that an update puts new items between kept ones without
moving any.

A full build gives its documents tie-break slots ORDER_GAP apart (search/schema.py) and
its catalogue rows seed-order positions ORD_GAP apart (search/catalogue_file.py); an update
keeps the positions of the documents it keeps and spreads the new ones between them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
_END = object()


def between(keys: Iterable[K], kept: Mapping[K, int], gap: int, start: int = 0
            ) -> dict[K, int] | None:
    """Return a position for each of ``keys``, in their order: a key in ``kept`` keeps its
    position, the others are spread evenly between the kept ones around them (above
    ``start`` before the first kept key, ``gap`` apart after the last). None when the kept
    positions do not rise from ``start`` or leave no room."""
    positions: dict[K, int] = {}
    waiting: list[K] = []
    low = start
    for key in [*keys, _END]:
        if key is not _END and key not in kept:
            waiting.append(key)
            continue
        high = kept[key] if key is not _END else low + gap * (len(waiting) + 1)
        step = (high - low) // (len(waiting) + 1)
        if high <= low or (waiting and step == 0):
            return None
        positions.update({waited: low + step * n for n, waited in enumerate(waiting, 1)})
        waiting = []
        if key is not _END:
            positions[key] = low = high
    return positions
