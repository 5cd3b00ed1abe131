"""Run a compiled query a posting list at a time rather than a document at a time.

whoosh's matchers walk every matching passage through a tree of Python objects, tens of
microseconds a passage, and then walk them all again to count them: a common word in
a 30,000-passage index took seconds. Here each term's postings are read a block at a
time, scored with whoosh's own BM25F formula and combined with dict operations, a few
hundred nanoseconds a posting. The answer is what ``Searcher.search`` gives: the exact
number of matches and the best passages by (score, then lower document number).

A verbatim match (a Phrase over the character grams) needs positions only where the
index cannot vouch for it: a passage whose words or heading field holds the whole
phrase as one term contains it verbatim, because every word token is a verbatim
substring of the text the grams are made from (see :mod:`search.analysis`).
"""

from __future__ import annotations

import heapq
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from operator import add
from pickle import loads

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length

from search.index import F_GRAMS, F_HEADING, F_WORDS

Scores = dict[int, float]
#: (total, [(score, docnum)] best first) or None when the query needs whoosh's own search.
Ranked = tuple[int, list[tuple[float, int]]]

_LENGTHS = [byte_to_length(b) for b in range(256)]
#: Scored matches a build's cache keeps (12 bytes each): common terms of a 100k-passage corpus.
CACHE_MATCHES = 4_000_000


class Unsupported(Exception):
    """The query or index holds something this evaluator does not handle."""


class _Postings:
    """A term's postings in one segment: docnums, weights and encoded values."""

    __slots__ = ("ids", "weights", "values")

    def __init__(self, ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]):
        self.ids = ids
        self.weights = weights
        self.values = values


_NO_POSTINGS = _Postings((), (), ())


class _Segment:
    """One leaf searcher: reads postings and field lengths, scores terms."""

    def __init__(self, searcher: WhooshSearcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        if self.reader.has_deletions():
            raise Unsupported("a segment with deletions")
        self.doccount = self.reader.doc_count_all()
        self._postings: dict[tuple[str, bytes], _Postings] = {}
        self._lengths: dict[str, bytes] = {}

    def postings(self, fieldname: str, text: str) -> _Postings:
        field = self.searcher.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return _NO_POSTINGS
        key = (fieldname, btext)
        if key not in self._postings:
            self._postings[key] = _read(self.reader.postings(fieldname, btext)) \
                if key in self.reader else _NO_POSTINGS
        return self._postings[key]

    def length_bytes(self, fieldname: str) -> bytes:
        """Return every document's encoded field length (one byte each), as whoosh stores it."""
        if fieldname not in self._lengths:
            reader = self.reader
            try:
                column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
                data = column._dbfile.get(column._basepos, column._count)
                data += bytes(self.doccount - len(data))
            except AttributeError:
                data = bytes(_length_byte(reader, d, fieldname) for d in range(self.doccount))
            self._lengths[fieldname] = data
        return self._lengths[fieldname]

    def term_scores(self, fieldname: str, text: str) -> Scores:
        """Score every posting of a term."""
        postings = self.postings(fieldname, text)
        return dict(zip(postings.ids, self.scores(fieldname, text, postings.ids, postings.weights)))

    def scores(self, fieldname: str, text: str, docs: Sequence[int],
               weights: Sequence[float] | None = None) -> list[float]:
        """Score a term in ``docs`` (which hold it) exactly as whoosh's BM25F scorer does."""
        if not docs:
            return []
        if weights is None:
            postings = self.postings(fieldname, text)
            weights = list(map(dict(zip(postings.ids, postings.weights)).__getitem__, docs))
        field = self.searcher.schema[fieldname]
        scorer = self.searcher.weighting.scorer(self.searcher, fieldname, field.to_bytes(text))
        if not isinstance(scorer, BM25FScorer):
            raise Unsupported(f"scorer {type(scorer).__name__}")
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # bm25() evaluates idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))):
        # the same operations in the same order, with the length part looked up per byte.
        part = [K1 * ((1 - B) + B * fl / avgfl) for fl in _LENGTHS]
        k1_plus_1 = K1 + 1
        lengths = self.length_bytes(fieldname)
        return [idf * ((w * k1_plus_1) / (w + part[lengths[d]])) for d, w in zip(docs, weights)]


def _read(matcher) -> _Postings:
    """Read a term's whole posting list."""
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        return _Postings(ids, weights, values)
    # A block at a time: W3LeafMatcher._read_ids() decodes the id deltas in a Python
    # generator; accumulate() does the same sum in C.
    # Only positions are ever read back from the values.
    with_values = matcher.format.supports("positions")
    ids, weights, values = [], [], []
    while matcher.is_active():
        matcher._read_data()
        ids.extend(accumulate(matcher._data[0]))
        matcher._read_weights()
        weights.extend(matcher._weights)
        if with_values:
            matcher._read_values()
            values.extend(matcher._values)
        matcher._next_block()
    return _Postings(ids, weights, values)


def _length_byte(reader, docnum: int, fieldname: str) -> int:
    from whoosh.util.numeric import length_to_byte

    return length_to_byte(reader.doc_field_length(docnum, fieldname, 0) or 0)


def _phrase_text(words: Sequence[str]) -> str:
    """Return the text whose neighbouring-character grams are ``words``."""
    return words[0] + "".join(word[-1] for word in words[1:])


def _binary_sum(columns: list[list[float]]) -> list[float]:
    """Add score columns in the order of whoosh's make_binary_tree of IntersectionMatchers."""
    if len(columns) == 1:
        return columns[0]
    half = len(columns) // 2
    return list(map(add, _binary_sum(columns[:half]), _binary_sum(columns[half:])))


class LeafCache:
    """The scored matches of recently used terms and phrases, per segment of one index build.

    A term's matches and scores are the same for every query on a build, and the terms
    that cost most to read, the common ones, are the ones that queries share. The cache
    holds at most ``budget`` matches, dropping the least recently used terms first.
    """

    def __init__(self, budget: int = CACHE_MATCHES) -> None:
        self._entries: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = threading.Lock()
        #: fieldname -> {docnum: value}, for counting matches by document and chapter.
        self.values: dict[str, dict[int, str]] = {}

    def get(self, key: tuple) -> Scores | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        return dict(zip(*entry))

    def put(self, key: tuple, scores: Scores) -> None:
        if len(scores) > self._budget:
            return
        entry = (array("l", scores.keys()), array("d", scores.values()))
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += len(scores)
            while self._size > self._budget:
                _, (docnums, _) = self._entries.popitem(last=False)
                self._size -= len(docnums)


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(build: object) -> LeafCache:
    """Return the cache that every searcher of one index build shares."""
    with _caches_lock:
        cache = _caches.get(build)
        if cache is None:
            cache = _caches[build] = LeafCache()
        return cache


def _segment_key(searcher: WhooshSearcher) -> str | None:
    segment = getattr(searcher.reader(), "segment", None)
    return segment().segment_id() if segment else None


class _Evaluator:
    """Evaluate one query tree in one segment to {docnum: score}."""

    def __init__(self, segment: _Segment, cache: LeafCache | None = None) -> None:
        self.segment = segment
        key = _segment_key(segment.searcher) if cache is not None else None
        self.cache = cache if key is not None else None
        self.key = key

    def run(self, q: wq.Query) -> Scores:
        if q is wq.NullQuery:
            return {}
        if getattr(q, "boost", 1.0) != 1.0:
            raise Unsupported("a boosted query")
        if isinstance(q, (wq.Term, wq.Phrase)):
            return self._leaf(q)
        if isinstance(q, wq.Not):
            excluded = self.run(q.query)
            return dict.fromkeys(set(range(self.segment.doccount)).difference(excluded), 1.0)
        if type(q) is wq.Or:
            return _or([self.run(sub) for sub in q.subqueries])
        if type(q) is wq.And:
            children = []
            for sub in q.subqueries:
                children.append(self.run(sub))
                if not children[-1]:
                    return {}
            return _and(children)
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
            if self.cache:
                self.cache.put(key, scores)
        return scores

    def _phrase(self, q: wq.Phrase) -> Scores:
        if q.slop != 1 or q.fieldname != F_GRAMS or len(q.words) < 2:
            raise Unsupported("a phrase other than a verbatim gram phrase")
        segment = self.segment
        postings = [segment.postings(F_GRAMS, word) for word in q.words]
        if not all(p.ids for p in postings):
            return {}
        rarest = min(postings, key=lambda p: len(p.ids))
        candidates = set(rarest.ids).intersection(*(p.ids for p in postings if p is not rarest))
        text = _phrase_text(q.words)
        unsure = candidates.difference(*(segment.postings(fieldname, text).ids
                                         for fieldname in (F_WORDS, F_HEADING)))
        if unsure:
            fmt = segment.searcher.schema[F_GRAMS].format
            candidates -= _not_verbatim(unsure, postings, _decoder(fmt))
        docs = list(candidates)
        columns = [segment.scores(F_GRAMS, word, docs) for word in q.words]
        return dict(zip(docs, _binary_sum(columns)))


def _decoder(fmt: Format) -> Callable[[bytes], Iterable[int]]:
    """Return a decoder of a posting's positions (Positions.decode_positions, in C)."""
    if type(fmt) is not Positions:
        return fmt.decode_positions
    # Positions values are a 4-byte count and a pickled list of deltas that ends in ".".
    return lambda value: accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))


def _not_verbatim(docs: set[int], postings: list[_Postings],
                  decode: Callable[[bytes], Iterable[int]]) -> set[int]:
    """Return the documents in which the grams do not occur at consecutive positions."""
    values = [dict(zip(p.ids, p.values)) for p in postings]
    missing = set()
    for docnum in docs:
        starts = set(decode(values[0][docnum]))
        for offset in range(1, len(values)):
            starts.intersection_update([p - offset for p in decode(values[offset][docnum])])
            if not starts:
                missing.add(docnum)
                break
    return missing


def _and(children: list[Scores]) -> Scores:
    if not children:
        return {}
    docs = list(set(min(children, key=len)).intersection(*children))
    return dict(zip(docs, map(sum, zip(*([child[d] for d in docs] for child in children)))))


def _or(children: list[Scores]) -> Scores:
    """Union the children; a document's score is the sum over the children, in order."""
    merged: Scores = {}
    for child in children:
        if not merged:
            merged = dict(child)
            continue
        common = merged.keys() & child.keys()
        before = {d: merged[d] for d in common}
        merged = {**child, **merged}
        for d in common:
            merged[d] = before[d] + child[d]
    return merged


def ranked(searcher: WhooshSearcher, q: wq.Query, top: int, allowed: set[int] | None = None,
           cache: LeafCache | None = None) -> Ranked | None:
    """Return the match count and the ``top`` best (score, docnum) of the documents in
    ``allowed`` (all when None), or None when the query needs whoosh's own search."""
    try:
        total = 0
        best: list[tuple[float, int]] = []
        for subsearcher, offset in searcher.leaf_searchers():
            scores = _Evaluator(_Segment(subsearcher), cache).run(q)
            if allowed is not None:
                scores = {d: s for d, s in scores.items() if offset + d in allowed}
            total += len(scores)
            if len(scores) > top:
                threshold = heapq.nlargest(top, scores.values())[-1]
                scores = {d: s for d, s in scores.items() if s >= threshold}
            best += [(score, offset + d) for d, score in scores.items()]
            best = sorted(best, key=lambda item: (-item[0], item[1]))[:top]
        return total, best
    except Unsupported:
        return None


def matching(searcher: WhooshSearcher, q: wq.Query, cache: LeafCache | None = None
             ) -> set[int] | None:
    """Return every document that matches ``q``, or None when the query needs whoosh's search."""
    try:
        found: set[int] = set()
        for subsearcher, offset in searcher.leaf_searchers():
            scores = _Evaluator(_Segment(subsearcher), cache).run(q)
            found.update([offset + d for d in scores] if offset else scores)
        return found
    except Unsupported:
        return None


def field_values(searcher: WhooshSearcher, fieldname: str, cache: LeafCache | None = None
                 ) -> dict[int, str]:
    """Return each document's term in a one-term-per-document field (an ID), by document."""
    if cache is not None and fieldname in cache.values:
        return cache.values[fieldname]
    values: dict[int, str] = {}
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        field = reader.schema[fieldname]
        for btext in reader.lexicon(fieldname):
            text = field.from_bytes(btext)
            values.update(dict.fromkeys([offset + d for d in reader.postings(fieldname, btext)
                                        .all_ids()], text))
    if cache is not None:
        cache.values[fieldname] = values
    return values
