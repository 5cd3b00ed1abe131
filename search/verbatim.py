"""Which candidate passages hold a phrase's character grams at consecutive positions.

A passage holds a verbatim phrase when it holds the phrase's first gram at some position p,
its second at p + 1, and so on. The grams of a phrase are the pairs of its neighbouring
characters (analysis.query_grams), at every character position: the pairs at offsets
0, 2, 4, ... and the last spell every character, so only those are checked (4 of the 7
grams of 县级以上人民政府). The candidates come from the grams' posting lists (each
gram as often as the phrase has it); here their positions decide. A gram's positions are
decoded for all the candidates still in the running at once (one pickle, see
search/_whoosh/postings.py), then compared: as Python sets for a few candidates, as numpy
arrays of (passage, start) keys for many. A common phrase such as 县级以上人民政府 has
20,000 candidates among a million passages: 0.5 s one passage at a time, XXX as arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate, chain

from search import matches

#: A gram's postings among the candidates: docnum -> (weight, encoded positions).
Gram = dict[int, tuple[float, bytes]]
#: A gram to check: its offset in the phrase and its postings.
Placed = tuple[int, Gram]
#: Decodes many postings' positions: each posting's list of deltas.
Decoder = Callable[[Sequence[bytes]], Sequence[list[int]]]

#: Candidates checked between two looks at the deadline: one at a time in sets, in arrays.
SET_CHUNK = 64
ARRAY_CHUNK = 8192


def covering(words: Sequence[str]) -> list[int]:
    """Return the offsets of the phrase's grams whose positions decide: every other pair
    and the last when the words are character pairs, else every word."""
    if len(words) < 2 or any(len(word) != 2 for word in words):
        return list(range(len(words)))
    return sorted({*range(0, len(words), 2), len(words) - 1})


def not_verbatim(docs: set[int], grams: Sequence[Placed], decode: Decoder,
                 expired: Callable[[], bool] = lambda: False) -> set[int]:
    """Return the documents among ``docs`` in which the grams do not all occur at a start
    position plus their offset.

    Past the deadline the documents not yet checked count as not verbatim (the answer is
    partial)."""
    ordered = sorted(docs)
    many = len(ordered) >= matches.NUMPY_FROM
    step, check = (ARRAY_CHUNK, verbatim_by_arrays) if many else (SET_CHUNK, verbatim_by_sets)
    missing: set[int] = set()
    for start in range(0, len(ordered), step):
        if start and expired():
            missing.update(ordered[start:])
            break
        chunk = ordered[start:start + step]
        missing.update(set(chunk).difference(check(chunk, grams, decode)))
    return missing


def verbatim_by_sets(docs: list[int], grams: Sequence[Placed], decode: Decoder) -> list[int]:
    """Return the documents (ascending, as given) that hold the grams at a start position
    plus their offset."""
    starts: dict[int, set[int]] = {}
    for number, (offset, gram) in enumerate(grams):
        kept = []
        for docnum, deltas in zip(docs, decode([gram[docnum][1] for docnum in docs])):
            shifted = [position - offset for position in accumulate(deltas)]
            if number == 0:
                starts[docnum] = set(shifted)
            else:
                starts[docnum].intersection_update(shifted)
            if starts[docnum]:
                kept.append(docnum)
        docs = kept
        if not docs:
            break
    return docs


#: A key is docnum * 2**32 + start: positions stay far below 2**32 in a passage.
_SHIFT = 32


def verbatim_by_arrays(docs: list[int], grams: Sequence[Placed], decode: Decoder
                       ) -> list[int]:
    """The same answer as verbatim_by_sets, each gram's positions compared as one array."""
    import numpy as np

    starts = None
    for offset, gram in grams:
        lists = decode([gram[docnum][1] for docnum in docs])
        counts = np.fromiter(map(len, lists), np.int64, len(lists))
        deltas = np.fromiter(chain.from_iterable(lists), np.int64, int(counts.sum()))
        # Sum the deltas once over all, then take back each document's sum before its own.
        summed = np.cumsum(deltas)
        before = np.concatenate(([0], summed))[np.cumsum(counts) - counts]
        positions = summed - np.repeat(before, counts)
        keys = (np.repeat(np.array(docs, np.int64), counts) << _SHIFT) + positions - offset
        # Each document's positions are distinct, so its keys are: both sides are unique.
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        docs = np.unique(starts >> _SHIFT).tolist()
        if not docs:
            break
    return docs
