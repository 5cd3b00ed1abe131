"""A segment's matches of a query node (docnum -> score), and their unions and intersections.

Most match sets are small and stay dicts, combined with dict operations walked in C.
A common word or character matches most of a segment: there a dict costs a Python
object per passage, and copying, merging and caching such dicts was most of a hostile
query's time (15 one-character words over 30,000 passages). A match set of NUMPY_FROM
passages or more is Dense instead: two numpy arrays, the docnums ascending and their
scores. Either form gives the same floats: every operation adds the children's scores
one child at a time, in the children's order, as whoosh's matchers do.

numpy is imported only when a query meets a large set, so the command line's cold
start does not pay for it on a small library.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from operator import add
from typing import Union


#: Matches from which a set is kept as arrays (and combined with numpy). Measured on the
#: hostile mix over 30k passages, CPU per request: 20,000 -> 35 ms, 2,000 -> 21 ms,
#: 1,000 -> 18.5 ms, 500 -> 18 ms; below 1,000 a dict is as quick and numpy's import
#: (60 ms) stays out of small libraries' command-line queries.
NUMPY_FROM = 1_000


class Dense:
    """Matches as arrays: ``ids`` (docnums, ascending, int64) and their ``scores`` (float64).

    Never changed in place: a cache shares them between searches.
    """

    __slots__ = ("ids", "scores")

    def __init__(self, ids, scores) -> None:
        self.ids = ids
        self.scores = scores

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"Dense({len(self)} matches)"


Scores = Union[dict[int, float], Dense]


def as_dict(scores: Scores) -> dict[int, float]:
    """Return the matches as a dict (the dict itself when they are one)."""
    if isinstance(scores, dict):
        return scores
    return dict(zip(scores.ids.tolist(), scores.scores.tolist()))


def as_arrays(scores: Scores):
    """Return the matches as (docnums ascending, scores) numpy arrays."""
    import numpy as np

    if isinstance(scores, Dense):
        return scores.ids, scores.scores
    ids = np.fromiter(scores.keys(), np.int64, len(scores))
    values = np.fromiter(scores.values(), np.float64, len(scores))
    order = np.argsort(ids, kind="stable")
    return ids[order], values[order]


def docnums(scores: Scores, offset: int = 0) -> Iterable[int]:
    """Return the matched docnums, plus ``offset``."""
    if isinstance(scores, Dense):
        return (scores.ids + offset).tolist() if offset else scores.ids.tolist()
    return [offset + docnum for docnum in scores] if offset else scores.keys()


def from_arrays(ids, sums) -> Scores:
    """Return arrays (docnums ascending, scores) as Dense, or as a dict when they are few."""
    if len(ids) >= NUMPY_FROM:
        return Dense(ids, sums)
    return dict(zip(ids.tolist(), sums.tolist()))


def union(children: Sequence[Scores]) -> Scores:
    """Union the children; a document's score is the sum over the children, in order."""
    if sum(map(len, children)) < NUMPY_FROM:
        merged: dict[int, float] = {}
        for child in map(as_dict, children):
            if not merged:
                merged = dict(child)
                continue
            common = list(merged.keys() & child.keys())
            sums = list(map(add, map(merged.__getitem__, common), map(child.__getitem__, common)))
            merged = {**child, **merged}
            merged.update(zip(common, sums))
        return merged
    import numpy as np

    arrays = [as_arrays(child) for child in children if len(child)]
    size = 1 + max(int(ids[-1]) for ids, _ in arrays)
    total = np.zeros(size)
    present = np.zeros(size, bool)
    for ids, scores in arrays:  # 0.0 + the first child's score is that score
        total[ids] += scores
        present[ids] = True
    ids = np.flatnonzero(present)
    return from_arrays(ids, total[ids])


def intersect(children: Sequence[Scores]) -> Scores:
    """Intersect the children; a document's score is the sum over the children, in order."""
    if len(children) == 1:
        return children[0]
    if not children:
        return {}
    if all(isinstance(child, dict) for child in children):
        docs = list(set(min(children, key=len)).intersection(*children))
        # map() over bound methods walks the documents in C: the same additions in the
        # same order as a loop over them, several times faster.
        sums = list(map(children[0].__getitem__, docs))
        for child in children[1:]:
            sums = list(map(add, sums, map(child.__getitem__, docs)))
        return dict(zip(docs, sums))
    import numpy as np

    arrays = [as_arrays(child) for child in children]
    docs = min(arrays, key=lambda pair: len(pair[0]))[0]
    for ids, _ in arrays:
        docs = docs[np.isin(docs, ids, assume_unique=True)]
    sums = None
    for ids, scores in arrays:
        these = scores[np.searchsorted(ids, docs)]
        sums = these if sums is None else sums + these
    return from_arrays(docs, sums)


class Allowed:
    """The docnums (over all segments) a search may return, as a set and, when a large
    match set needs them, as a sorted array (made once per search)."""

    def __init__(self, docs: set[int]) -> None:
        self.docs = docs
        self._array = None

    def array(self):
        if self._array is None:
            import numpy as np

            self._array = np.sort(np.fromiter(self.docs, np.int64, len(self.docs)))
        return self._array


def restricted(scores: Scores, need: Scores | None, allowed: Allowed | None,
               offset: int) -> Scores:
    """Keep the matches that are also in ``need`` (when given) and whose docnum plus
    ``offset`` is ``allowed`` (when given)."""
    if need is None and allowed is None:
        return scores
    if isinstance(scores, dict):
        inside = as_dict(need) if need is not None else None
        docs = allowed.docs if allowed is not None else None
        return {d: v for d, v in scores.items()
                if (inside is None or d in inside) and (docs is None or offset + d in docs)}
    import numpy as np

    keep = np.ones(len(scores), bool)
    if need is not None:
        keep &= np.isin(scores.ids, as_arrays(need)[0], assume_unique=True)
    if allowed is not None:
        keep &= np.isin(scores.ids + offset, allowed.array(), assume_unique=True)
    return from_arrays(scores.ids[keep], scores.scores[keep])


def top_scores(scores: Scores, top: int, offset: int = 0) -> list[tuple[float, int]]:
    """Return (score, docnum + offset) of the matches scoring at least the ``top``-th best
    score (ties at that score included)."""
    if isinstance(scores, dict):
        if len(scores) > top:
            threshold = heapq.nlargest(top, scores.values())[-1]
            scores = {d: s for d, s in scores.items() if s >= threshold}
        return [(score, offset + d) for d, score in scores.items()]
    import numpy as np

    ids, values = scores.ids, scores.scores
    if len(values) > top:
        threshold = np.partition(values, len(values) - top)[len(values) - top]
        keep = values >= threshold
        ids, values = ids[keep], values[keep]
    return list(zip(values.tolist(), (ids + offset).tolist()))
