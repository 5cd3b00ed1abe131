"""Combine one segment's per-word matches into the coverage ranking.

A passage's ranking score is the sum of its words' scores (in the query's order), times
the share of the words' idf weight it covers; passages that cover every word come first,
equal scores in document order. Two implementations give the same floats: a Python one,
walking the documents with map() in C, for the small sets most queries combine; and a
numpy one, whose columns are arrays over the segment's documents, for the large sets
that common words and hostile queries make (15 one-character words over 30,000 passages:
the Python combine took 220 ms). They switch where the match sets do
(search/matches.py's NUMPY_FROM).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import compress, repeat
from operator import add, not_

from search import matches
from search.matches import Scores, as_arrays, as_dict

#: (covers every word, ranking score, docnum in the segment, words matched as a bit mask)
Row = tuple[bool, float, int, int]


def combine(scored: Sequence[Scores], extra: Sequence[Scores], named: Sequence[Scores],
            weights: Sequence[float], top: int) -> tuple[int, int, list[Row]]:
    """Return (passages matched, passages covering every word, the ``top`` best rows).

    ``scored`` holds each word's matches, ``named`` each word's matches in the document
    titles (they cover a word for a passage that matched another), ``extra`` bonus
    scores for passages that matched a word, ``weights`` each word's idf weight.
    """
    if sum(map(len, scored)) >= matches.NUMPY_FROM:
        return combine_numpy(scored, extra, named, weights, top)
    return combine_python(scored, extra, named, weights, top)


def combine_python(scored: Sequence[Scores], extra: Sequence[Scores], named: Sequence[Scores],
                   weights: Sequence[float], top: int) -> tuple[int, int, list[Row]]:
    """Combine with lists; see combine()."""
    scored, extra, named = ([as_dict(scores) for scores in group] for group in (scored, extra, named))
    docs = sorted(set().union(*scored))
    if not docs:
        return 0, 0, []
    every = (1 << len(scored)) - 1
    whole = sum(weights) or 1.0
    # A missing word adds 0.0, which changes no float.
    score = [0.0] * len(docs)
    mask = [0] * len(docs)
    weight = [0.0] * len(docs)
    for index, scores in enumerate(scored):
        present = list(map(scores.__contains__, docs))
        score = list(map(add, score, map(scores.get, docs, repeat(0.0))))
        mask = list(map(add, mask, map((1 << index).__mul__, present)))
        weight = list(map(add, weight, map(weights[index].__mul__, present)))
    position = dict(zip(docs, range(len(docs)))) if any(named) or any(extra) else {}
    for index, scores in enumerate(named):
        bit = 1 << index
        for docnum in position.keys() & scores.keys():
            at = position[docnum]
            if not mask[at] & bit:
                score[at] += scores[docnum]
                mask[at] |= bit
                weight[at] += weights[index]
    for scores in extra:
        for docnum in position.keys() & scores.keys():
            score[position[docnum]] += scores[docnum]
    covers = list(map(every.__eq__, mask))
    ranking = [s * w / whole for s, w in zip(score, weight)]
    # nlargest keeps the lower document number first among equal scores (docs are in order).
    chosen = heapq.nlargest(top, compress(range(len(docs)), covers), key=ranking.__getitem__)
    if len(chosen) < top:
        rest = compress(range(len(docs)), map(not_, covers))
        chosen += heapq.nlargest(top - len(chosen), rest, key=ranking.__getitem__)
    rows = [(covers[at], ranking[at], docs[at], mask[at]) for at in chosen]
    return len(docs), sum(covers), rows


def combine_numpy(scored: Sequence[Scores], extra: Sequence[Scores], named: Sequence[Scores],
                  weights: Sequence[float], top: int) -> tuple[int, int, list[Row]]:
    """Combine with arrays over the segment's documents; see combine()."""
    import numpy as np

    def arrays(scores: Scores, size: int | None = None):
        ids, values = as_arrays(scores)
        if size is not None:  # only the documents a word matched
            keep = ids < size
            ids, values = ids[keep], values[keep]
        return ids, values

    words = [arrays(scores) for scores in scored]
    size = 1 + max((int(ids.max()) for ids, _ in words if len(ids)), default=-1)
    if not size:
        return 0, 0, []
    every = (1 << len(scored)) - 1
    whole = sum(weights) or 1.0
    score = np.zeros(size)
    mask = np.zeros(size, np.int64)
    weight = np.zeros(size)
    # In the query's order, as combine_python adds: the same floats.
    for index, (ids, values) in enumerate(words):
        score[ids] += values
        mask[ids] |= 1 << index
        weight[ids] += weights[index]
    matched = mask != 0
    for index, scores in enumerate(named):
        bit = 1 << index
        ids, values = arrays(scores, size)
        keep = matched[ids] & (mask[ids] & bit == 0)
        ids, values = ids[keep], values[keep]
        score[ids] += values
        mask[ids] |= bit
        weight[ids] += weights[index]
    for scores in extra:
        ids, values = arrays(scores, size)
        keep = matched[ids]
        score[ids[keep]] += values[keep]
    docs = np.flatnonzero(matched)
    ranking = (score[docs] * weight[docs]) / whole
    covers = mask[docs] == every
    chosen = _best(docs[covers], ranking[covers], top)
    if len(chosen) < top:
        chosen += _best(docs[~covers], ranking[~covers], top - len(chosen))
    at = np.searchsorted(docs, chosen)
    rows = [(bool(c), float(r), int(d), int(m))
            for c, r, d, m in zip(covers[at], ranking[at], docs[at], mask[docs[at]])]
    return len(docs), int(covers.sum()), rows


def _best(docs, ranking, top: int) -> list[int]:
    """Return the ``top`` documents by ranking score, the lower docnum first among equals."""
    import numpy as np

    if len(docs) > top:
        threshold = np.partition(ranking, len(ranking) - top)[len(ranking) - top]
        keep = ranking >= threshold
        docs, ranking = docs[keep], ranking[keep]
    return [int(d) for d in docs[np.lexsort((docs, -ranking))][:top]]
