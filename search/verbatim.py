"""Which candidate passages hold a phrase's character grams at consecutive positions.

A passage holds a verbatim phrase when it holds the phrase's first gram at some position p,
its second at p + 1, and so on. The grams of a phrase are the pairs of its neighbouring
characters (analysis.query_grams), at every character position: the pairs at offsets
0, 2, 4, ... and the last spell every character, so only those are checked (4 of the 7
grams of 县级以上人民政府). The candidates come from the grams' posting lists (each gram as
often as the phrase has it); here their positions decide. A gram's positions are decoded
for a chunk of candidates at once (one pickle, see search/_whoosh/postings.py) and
compared as sets of start positions.

县级以上人民政府 at laws-1M (36,044 passages): the positions check took 0.5 s with a
loads() per posting and every gram, 0.21 s with a loads() per chunk, 0.11 s checking every
other gram. Keys of (passage, start) intersected as numpy arrays were tried and were
slower than the sets: 0.21 s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate

#: A gram's postings among the candidates: docnum -> (weight, encoded positions).
Gram = dict[int, tuple[float, bytes]]
#: A gram to check: its offset in the phrase and its postings.
Placed = tuple[int, Gram]
#: Decodes many postings' positions: each posting's list of deltas.
Decoder = Callable[[Sequence[bytes]], Sequence[list[int]]]

#: Candidates checked between two looks at the deadline.
CHUNK = 64


def covering(words: Sequence[str]) -> list[int]:
    """Return the offsets of the phrase's grams whose positions decide: every other pair
    and the last when the words are the overlapping character pairs of one text, else
    every word."""
    if len(words) < 2 or any(len(word) != 2 for word in words) \
            or any(word[1] != after[0] for word, after in zip(words, words[1:])):
        return list(range(len(words)))
    return sorted({*range(0, len(words), 2), len(words) - 1})


def not_verbatim(docs: set[int], grams: Sequence[Placed], decode: Decoder,
                 expired: Callable[[], bool] = lambda: False) -> set[int]:
    """Return the documents among ``docs`` in which the grams do not all occur at a start
    position plus their offset.

    Past the deadline the documents not yet checked count as not verbatim (the answer is
    partial)."""
    ordered = sorted(docs)
    missing: set[int] = set()
    for start in range(0, len(ordered), CHUNK):
        if start and expired():
            missing.update(ordered[start:])
            break
        chunk = ordered[start:start + CHUNK]
        missing.update(set(chunk).difference(verbatim(chunk, grams, decode)))
    return missing


def verbatim(docs: list[int], grams: Sequence[Placed], decode: Decoder) -> list[int]:
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
