"""Run a compiled query a posting list at a time rather than a document at a time.

whoosh's matchers walk every matching passage through a tree of Python objects, tens of
microseconds a passage, and then walk them all again to count them: a common word in
a 30,000-passage index took seconds. Here each term's postings are read a block at a
time, scored with whoosh's own BM25F formula and combined as match sets
(search/matches.py: dicts when small, numpy arrays when large). The answer is what
``Searcher.search`` gives: the exact number of matches and the best passages by
(score, then lower document number).

A verbatim match (a Phrase over the character grams) needs positions only where the
index cannot vouch for it: a passage whose words or heading field holds the whole
phrase as one term contains it verbatim, because every word token is a verbatim
substring of the text the grams are made from (see :mod:`search.analysis`).

Each open index keeps the scored matches of its recently used terms, phrases and query
words (LeafCache): reading and combining the common terms is most of a query's cost, and
common terms are the ones that queries share (and a next page repeats them all). The
same matches count hits by document and chapter.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from search._whoosh.postings import (
    Arrays, Postings, Segment, Unsupported, position_deltas, term_ids,
)
from search.budget import Work
from search.combine import combine
from search.matches import (
    Allowed, Dense, Scores, as_dict, docnums, from_arrays, intersect, restricted, top_scores,
    union,
)
from search.per_build import shared
from search.schema import F_GRAMS, F_HEADING, F_WORDS
from search.verbatim import covering, not_verbatim

#: (total, [(score, docnum)] best first) or None when the query needs whoosh's own search.
Ranked = tuple[int, list[tuple[float, int]]]

_DIGIT_RE = re.compile("[0-9]")

#: Query nodes a search remembers: the root (0), its children (1) and, in a relaxed
#: query And(Or(words), Not...), the words (2).
MEMO_DEPTH = 2

#: Query nodes the index cache keeps beside the terms: the root (0) and the query's words
#: (1; by_coverage evaluates each word as a child of the query it ranks).
CACHE_DEPTH = 1

#: Bytes of scored matches that an open index's cache keeps.
CACHE_BYTES = 128 * 2**20
#: A cached match: an 8-byte docnum and an 8-byte score.
MATCH_BYTES = 16
#: A cached term beyond its matches: two array headers, its key, its slot in the cache.
ENTRY_BYTES = 400


def entry_bytes(matches: int) -> int:
    """Return the memory the cache counts for a term with ``matches`` matches."""
    return ENTRY_BYTES + matches * MATCH_BYTES


def _phrase_text(words: Sequence[str]) -> str:
    """Return the text whose neighbouring-character grams are ``words``."""
    return words[0] + "".join(word[-1] for word in words[1:])


def _add_lists(left: list[float], right: list[float]) -> list[float]:
    return list(map(add, left, right))


def _binary_sum(columns: list, plus: Callable = _add_lists):
    """Add score columns in the order of whoosh's make_binary_tree of IntersectionMatchers."""
    if len(columns) == 1:
        return columns[0]
    half = len(columns) // 2
    return plus(_binary_sum(columns[:half], plus), _binary_sum(columns[half:], plus))


class LeafCache:
    """The scored matches of recently used terms and phrases, per segment of one index build.

    A term's matches and scores are the same for every query on a build, and the terms
    that cost most to read, the common ones, are the ones that queries share. The cache
    holds at most ``budget`` bytes, dropping the least recently used terms first.
    """

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self._entries: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = threading.Lock()
        #: fieldname -> each docnum's value, for counting matches by document and chapter.
        self.values: dict[str, list[str | None]] = {}

    def get(self, key: tuple) -> Scores | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        if isinstance(entry[0], array):
            return dict(zip(*entry))
        return Dense(*entry)  # read-only arrays, shared by every search that asks

    def put(self, key: tuple, scores: Scores) -> None:
        size = entry_bytes(len(scores))
        if size > self._budget:
            return
        if isinstance(scores, Dense):
            scores.ids.flags.writeable = scores.scores.flags.writeable = False
            entry = (scores.ids, scores.scores)
        else:
            entry = (array("l", scores.keys()), array("d", scores.values()))
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self._budget:
                _, (docnums, _) = self._entries.popitem(last=False)
                self._size -= entry_bytes(len(docnums))


def cache_for(build: object) -> LeafCache:
    """Return the cache that every searcher of one index build shares."""
    return shared(build, LeafCache, LeafCache)


def _segment_key(searcher: WhooshSearcher) -> str | None:
    segment = getattr(searcher.reader(), "segment", None)
    return segment().segment_id() if segment else None


class _Evaluator:
    """Evaluate one query tree in one segment to {docnum: score}."""

    def __init__(self, segment: Segment, cache: LeafCache | None = None,
                 work: Work | None = None) -> None:
        self.segment = segment
        key = _segment_key(segment.searcher) if cache is not None or work is not None else None
        self.cache = cache if key is not None else None
        self.key = key
        self.work = work if key is not None else None

    def run(self, q: wq.Query, depth: int = 0) -> Scores:
        # One search evaluates the query, its top-level words and the relaxed query's once:
        # relaxing the query and naming the words found nowhere reuse what the strict query
        # read. Deeper nodes and leaves are not kept (leaves are in the LeafCache), so a
        # search holds a bounded number of match sets, whatever the query's shape.
        if self.work is None or depth > MEMO_DEPTH or isinstance(q, (wq.Term, wq.Phrase)):
            return self._run(q, depth)
        memo_key = (self.key, q)
        scores = self.work.memo.get(memo_key)
        if scores is None:
            scores = self.cache.get(memo_key) if self.cache else None
        if scores is None:
            scores = self._run(q, depth)
            # A word of the query is worth keeping like a term: combining its alternatives
            # (words, heading, grams) costs more than reading them. Never a partial answer.
            if self.cache and depth <= CACHE_DEPTH and not self.work.partial:
                self.cache.put(memo_key, scores)
        self.work.memo[memo_key] = scores
        return scores

    def _expired(self) -> bool:
        return self.work is not None and self.work.expired()

    def _run(self, q: wq.Query, depth: int) -> Scores:
        if q is wq.NullQuery:
            return {}
        if getattr(q, "boost", 1.0) != 1.0:
            raise Unsupported("a boosted query")
        if isinstance(q, (wq.Term, wq.Phrase)):
            return self._leaf(q)
        if isinstance(q, wq.Not):
            excluded = self.run(q.query, depth + 1)
            return dict.fromkeys(set(range(self.segment.doccount)).difference(
                docnums(excluded)), 1.0)
        if type(q) in (wq.Or, wq.And) and len(q.subqueries) == 1:
            return self.run(q.subqueries[0], depth + 1)
        if type(q) is wq.Or:
            alternatives = []
            for sub in q.subqueries:
                alternatives.append(self.run(sub, depth + 1))
                if self._expired():  # past the deadline: the alternatives read so far
                    break
            return union(alternatives)
        if type(q) is wq.And:
            children = []
            for sub in q.subqueries:
                children.append(self.run(sub, depth + 1))
                if not children[-1]:
                    return {}
                if self._expired():  # past the deadline: the conditions checked so far
                    break
            return intersect(children)
        raise Unsupported(type(q).__name__)

    def _leaf(self, q: wq.Term | wq.Phrase) -> Scores:
        if isinstance(q, wq.Term):
            key = (self.key, q.fieldname, q.text)
        else:
            key = (self.key, q.fieldname, tuple(q.words), q.slop)
        scores = self.cache.get(key) if self.cache else None
        if scores is None:
            if isinstance(q, wq.Phrase):
                scores = self._phrase(q)
            elif q.fieldname in self.segment.searcher.schema:
                scores = self.segment.term_scores(q.fieldname, q.text)
            else:
                scores = {}
            # A phrase cut short by the deadline is partial: never keep it for later searches.
            # A term's postings are always read whole: keep them even past the deadline, or
            # a query that takes longer than the deadline would read them again every time.
            if self.cache and (isinstance(q, wq.Term) or self.work is None
                               or not self.work.partial):
                self.cache.put(key, scores)
        return scores

    def _phrase(self, q: wq.Phrase) -> Scores:
        if q.slop != 1 or q.fieldname != F_GRAMS or len(q.words) < 2:
            raise Unsupported("a phrase other than a verbatim gram phrase")
        segment = self.segment
        # A passage holds the phrase only if it holds each gram at least as often as the
        # phrase does. The grams are read rarest first and the candidates narrowed after
        # each, so a long typed text whose grams never meet stops after the first few
        # lists instead of reading all of them (a 200-character paste read 66 lists).
        needed = Counter(q.words)
        frequency = {word: segment.doc_frequency(F_GRAMS, word) for word in needed}
        if not all(frequency.values()):
            return {}
        if any(segment.is_hot(F_GRAMS, word) for word in needed):
            return self._phrase_arrays(q, needed, frequency)
        found: dict[str, dict[int, tuple[float, bytes]]] = {}
        candidates: set[int] | None = None
        boost = segment.searcher.schema[F_GRAMS].format.field_boost  # weight = count * boost
        for word in sorted(needed, key=frequency.__getitem__):
            rows = _among(segment.postings(F_GRAMS, word), candidates)
            if needed[word] > 1:  # a gram the phrase repeats: as often in the passage
                least = needed[word] * boost
                rows = ((docnum, row) for docnum, row in rows if row[0] >= least)
            found[word] = dict(rows)
            candidates = set(found[word])
            if not candidates:
                return {}
            if self._expired():  # past the deadline: no passage can be vouched for
                return {}
        assert candidates is not None
        text = _phrase_text(q.words)
        # Digits in the words field may stand for numerals written in Chinese (十 -> 10): only
        # a term without digits vouches for the verbatim text.
        vouching = () if _DIGIT_RE.search(text) else (F_WORDS, F_HEADING)
        unsure = candidates.difference(*(segment.postings(fieldname, text).ids
                                         for fieldname in vouching))
        if unsure:
            fmt = segment.searcher.schema[F_GRAMS].format
            placed = [(offset, found[q.words[offset]]) for offset in covering(q.words)]
            candidates -= not_verbatim(unsure, placed, position_deltas(fmt), self._expired)
        docs = list(candidates)
        columns = [segment.scores(F_GRAMS, word, docs, [found[word][d][0] for d in docs])
                   for word in q.words]
        return dict(zip(docs, _binary_sum(columns)))

    def _phrase_arrays(self, q: wq.Phrase, needed: Counter, frequency: dict[str, int]) -> Scores:
        """_phrase() with each gram's postings as arrays: the way for a phrase with a common
        gram, whose postings the segment's hot postings file holds (search/hot_postings.py).
        The same steps, so the same matches and scores."""
        import numpy as np

        segment = self.segment
        boost = segment.searcher.schema[F_GRAMS].format.field_boost  # weight = count * boost
        found: dict[str, Arrays] = {}
        candidates = None
        for word in sorted(needed, key=frequency.__getitem__):
            arrays = found[word] = segment.arrays(F_GRAMS, word)
            rows = np.arange(len(arrays.ids)) if candidates is None else \
                _rows(arrays.ids, candidates)
            if needed[word] > 1:  # a gram the phrase repeats: as often in the passage
                rows = rows[arrays.weights[rows] >= needed[word] * boost]
            candidates = arrays.ids[rows]
            if not len(candidates) or self._expired():
                return {}
        text = _phrase_text(q.words)
        vouching = () if _DIGIT_RE.search(text) else (F_WORDS, F_HEADING)
        unsure = candidates
        for fieldname in vouching:
            vouched = segment.arrays(fieldname, text).ids
            unsure = unsure[~np.isin(unsure, vouched, assume_unique=True)]
        if len(unsure):
            # A passage holds the phrase where every covering gram sits at a start position
            # plus its offset: (passage, start) pairs as one int64 key, intersected gram by gram.
            keys, docs = None, unsure
            for offset in covering(q.words):
                if keys is not None and self._expired():  # past the deadline: not vouched for
                    docs = docs[:0]
                    break
                arrays = found[q.words[offset]]
                lengths, positions = arrays.positions(_rows(arrays.ids, docs))
                starts = np.repeat(docs, lengths) << 32 | (positions - offset)
                starts = np.sort(starts[positions >= offset])
                keys = starts if keys is None else np.intersect1d(keys, starts, assume_unique=True)
                docs = _distinct(keys >> 32)
                if not len(docs):
                    break
            sure = candidates[~np.isin(candidates, unsure, assume_unique=True)]
            candidates = np.sort(np.concatenate([sure, docs]))
            if not len(candidates):
                return {}
        columns = [segment.score_array(F_GRAMS, word, candidates,
                                       found[word].weights[_rows(found[word].ids, candidates)])
                   for word in q.words]
        return from_arrays(candidates, _binary_sum(columns, np.add))


def _distinct(ascending):
    """Return the distinct values of an ascending array (np.unique imports numpy.ma: 40 ms
    of a command-line query)."""
    if not len(ascending):
        return ascending
    import numpy as np

    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def _rows(ids, docs):
    """Return where each of ``docs`` is in ``ids`` (both ascending int64 arrays), for the
    docs that are there."""
    import numpy as np

    at = np.searchsorted(ids, docs)
    inside = at < len(ids)
    at = at[inside]
    return at[ids[at] == docs[inside]]


def _among(postings: Postings, docs: set[int] | None
           ) -> Iterable[tuple[int, tuple[float, bytes]]]:
    """Return (docnum, (weight, value)) of the postings of ``docs`` (all when None)."""
    ids = postings.ids
    rows = zip(ids, zip(postings.weights, postings.values))
    if docs is None:
        return rows
    if len(docs) * 16 > len(ids):
        return compress(rows, map(docs.__contains__, ids))  # walked in C
    # A few candidates in a long list: find each by bisection (a segment's ids are sorted).
    at = [n for n in map(bisect_left, repeat(ids), docs) if n < len(ids)]
    return ((ids[n], (postings.weights[n], postings.values[n])) for n in at if ids[n] in docs)


def ranked(searcher: WhooshSearcher, q: wq.Query, top: int, allowed: set[int] | None = None,
           cache: LeafCache | None = None, work: Work | None = None) -> Ranked | None:
    """Return the match count and the ``top`` best (score, docnum) of the documents in
    ``allowed`` (all when None), or None when the query needs whoosh's own search.

    Past ``work``'s deadline the rest of the segments are skipped (``work.partial``)."""
    try:
        total = 0
        found: list[tuple[float, int]] = []
        kept = Allowed(allowed) if allowed is not None else None
        for subsearcher, offset in searcher.leaf_searchers():
            if found and work is not None and work.expired():
                break
            scores = _Evaluator(Segment(subsearcher), cache, work).run(q)
            scores = restricted(scores, None, kept, offset)
            total += len(scores)
            found += top_scores(scores, top, offset)
            found = _with_ties(found, top, lambda item: (-item[0], item[1]), lambda item: item[0])
        return total, found
    except Unsupported:
        return None


@dataclass(frozen=True)
class Coverage:
    """Passages ranked by how much of the query they cover, then by score."""

    total: int  # passages that match at least one unit (and what is required)
    complete: int  # passages that match every unit
    #: (covers every unit, ranking score, docnum, units matched as a bit mask), best first
    best: list[tuple[bool, float, int, int]]
    #: passages per unit, in the query's order (0: the unit is found nowhere)
    frequencies: list[int]


#: What a match through a lay term's expansion (社保 -> 社会保险) counts against the term.
EXPANSION_WEIGHT = 0.5


def by_coverage(searcher: WhooshSearcher, units: Sequence[wq.Query], top: int,
                required: wq.Query | None = None, bonus: Sequence[wq.Query] = (),
                allowed: set[int] | None = None, cache: LeafCache | None = None,
                work: Work | None = None, expansions: Sequence[wq.Query | None] = (),
                titles: Sequence[wq.Query | None] = ()) -> Coverage | None:
    """Rank the passages that match any of ``units`` (and all of ``required``): those that
    match every unit first, then by their BM25F sum times the share of the units' idf
    weight they match, so rarer words weigh more. ``bonus`` queries add their scores to a
    passage that matches a unit. None when a query needs whoosh's own search."""
    try:
        segments = []
        frequencies = [0] * len(units)
        kept = Allowed(allowed) if allowed is not None else None
        for subsearcher, offset in searcher.leaf_searchers():
            if segments and work is not None and work.expired():
                break
            evaluator = _Evaluator(Segment(subsearcher), cache, work)
            need = evaluator.run(required, 1) if required is not None else None
            scored = []
            for index, unit in enumerate(units):
                scores = evaluator.run(unit, 1)
                wider = expansions[index] if index < len(expansions) else None
                if wider is not None:
                    scores = _widened(scores, evaluator.run(wider, 1))
                scored.append(restricted(scores, need, kept, offset))
            for index, scores in enumerate(scored):
                frequencies[index] += len(scores)
            extra = [evaluator.run(q, 1) for q in bonus]
            named = [evaluator.run(q, 1) if q is not None else {} for q in titles]
            segments.append((offset, scored, extra, named))
    except Unsupported:
        return None
    count = searcher.doc_count() or 1  # the live passages: an update may leave deleted ones
    weights = [math.log(1 + count / found) if found else 0.0 for found in frequencies]
    total = complete = 0
    best: list[tuple[bool, float, int, int]] = []
    for offset, scored, extra, named in segments:
        matched, covering, rows = combine(scored, extra, named, weights, top)
        total += matched
        complete += covering
        ranked = [(covers, score, offset + docnum, mask) for covers, score, docnum, mask in rows]
        best = _with_ties([*best, *ranked], top, lambda item: (not item[0], -item[1], item[2]),
                          lambda item: (item[0], item[1]))
    return Coverage(total, complete, best, frequencies)


def _with_ties(items: list, top: int, key: Callable, rank: Callable) -> list:
    """Return the ``top`` first of ``items`` by ``key`` and every item whose ``rank`` ties
    with the last of them: the caller breaks ties in document order, which docnums follow
    only in a full build (an update appends a segment)."""
    best = heapq.nsmallest(top, items, key=key)
    if not best or len(best) < top:
        return best
    boundary = rank(best[-1])
    return sorted([*(b for b in best if rank(b) != boundary),
                   *(i for i in items if rank(i) == boundary)], key=key)


def _widened(literal: Scores, meant: Scores) -> Scores:
    """A unit's scores with its expansion: a passage with only the text word scores below
    every passage with the term itself."""
    literal, meant = as_dict(literal), as_dict(meant)
    cap = min(literal.values()) * EXPANSION_WEIGHT if literal else float("inf")
    widened = {docnum: min(score * EXPANSION_WEIGHT, cap) for docnum, score in meant.items()}
    for docnum, score in literal.items():
        widened[docnum] = max(score, widened.get(docnum, 0.0))
    return widened


def matching(searcher: WhooshSearcher, q: wq.Query, cache: LeafCache | None = None,
             work: Work | None = None) -> set[int] | None:
    """Return every document that matches ``q``, or None when the query needs whoosh's search."""
    try:
        found: set[int] = set()
        for subsearcher, offset in searcher.leaf_searchers():
            scores = _Evaluator(Segment(subsearcher), cache, work).run(q)
            found.update(docnums(scores, offset))
        return found
    except Unsupported:
        return None


def field_values(searcher: WhooshSearcher, fieldname: str, cache: LeafCache | None = None
                 ) -> list[str | None]:
    """Return each document's term in a one-term-per-document field (an ID), by docnum.

    A list, 8 bytes a document (each distinct value is one shared string), not a dict.
    A term whose postings are one run of docnums (a document's passages, chapter by
    chapter) is read from its term info alone: doc_id took 2.1 s at a million passages, 0.1 s.
    """
    if cache is not None and fieldname in cache.values:
        return cache.values[fieldname]
    values: list[str | None] = [None] * searcher.doc_count_all()
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        field = reader.schema[fieldname]
        for btext, info in reader.iter_field(fieldname):
            text = field.from_bytes(btext)
            low, high, count = info.min_id(), info.max_id(), info.doc_frequency()
            if high - low + 1 == count:  # a document's passages are written one after another
                values[offset + low : offset + high + 1] = [text] * count
                continue
            for docnum in term_ids(reader, fieldname, btext):
                values[offset + docnum] = text
        for docnum in reader.deleted_docs_set if reader.has_deletions() else ():
            values[offset + docnum] = None
    if cache is not None:
        cache.values[fieldname] = values
    return values
