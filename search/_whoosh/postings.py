"""Read a term's postings a block at a time and score them as whoosh's BM25F does.

whoosh's matchers read a posting list one posting at a time through several method
calls; here each block is unpickled once and its ids, weights and values appended
whole. Scores use bm25()'s own operations in its order, so they are the same floats.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from pathlib import Path
from pickle import loads

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from search import hot_postings, matches
from search.hot_postings import HotFile
from search.matches import Scores

_LENGTHS = [byte_to_length(b) for b in range(256)]


class Unsupported(Exception):
    """The query or index holds something the evaluator does not handle."""


class Postings:
    """A term's postings in one segment: docnums, weights and encoded values."""

    __slots__ = ("ids", "weights", "values")

    def __init__(self, ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]):
        self.ids = ids
        self.weights = weights
        self.values = values


NO_POSTINGS = Postings((), (), ())


class Arrays:
    """A term's postings in one segment as numpy arrays: docnums (ascending, int64) and
    weights (float64), and the positions of chosen postings (``rows`` into ``ids``)."""

    __slots__ = ("ids", "weights", "positions")

    def __init__(self, ids, weights,
                 positions: Callable[[object], tuple[object, object]]) -> None:
        self.ids = ids
        self.weights = weights
        #: rows -> (how many positions each posting has, all of them one after another)
        self.positions = positions


@lru_cache(maxsize=1024)
def _hot_file(path: str) -> HotFile | None:
    # A build's files never change once it is complete (an update writes a new build),
    # so a segment's file is opened once per process.
    try:
        return HotFile(Path(path))
    except (OSError, ValueError, hot_postings.Damaged):
        return None  # no file (an older build), or one not readable: read through whoosh


class Segment:
    """One leaf searcher: reads postings and field lengths, scores terms."""

    def __init__(self, searcher: WhooshSearcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        #: Passages an update deleted: their postings stay in the segment until it is merged.
        self.deleted: frozenset[int] = \
            self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self.doccount = self.reader.doc_count_all()
        self._postings: dict[tuple[str, bytes], Postings] = {}
        self._lengths: dict[str, bytes] = {}
        self.hot = _hot_for(self.reader)
        self._hot_terms: dict[tuple[str, str], Arrays | None] = {}
        self._deleted_array = None

    def is_hot(self, fieldname: str, text: str) -> bool:
        """Return whether the segment's hot postings file holds the term."""
        if self.hot is None:
            return False
        try:
            return (fieldname, self.searcher.schema[fieldname].to_bytes(text)) in self.hot
        except ValueError:
            return False

    def hot_term(self, fieldname: str, text: str) -> Arrays | None:
        """Return a common term's postings as arrays from the segment's hot postings file,
        or None when the term is not in it (or the segment has none)."""
        if self.hot is None:
            return None
        key = (fieldname, text)
        if key not in self._hot_terms:
            self._hot_terms[key] = self._hot_term(fieldname, text)
        return self._hot_terms[key]

    def _hot_term(self, fieldname: str, text: str) -> Arrays | None:
        try:
            term = self.hot.get(fieldname, self.searcher.schema[fieldname].to_bytes(text))
        except ValueError:  # not a term of the field, or a table that points outside the file
            return None
        if term is None:
            return None
        import numpy as np

        ids, weights, rows = term.ids, term.weights(), None
        if self.deleted:
            if self._deleted_array is None:
                self._deleted_array = np.fromiter(self.deleted, np.int64, len(self.deleted))
            kept = ~np.isin(ids, self._deleted_array, assume_unique=True)
            if not kept.all():
                rows = np.flatnonzero(kept)
                ids, weights = ids[rows], weights[rows]
        if rows is None:
            return Arrays(ids, weights, term.positions)
        return Arrays(ids, weights, lambda chosen: term.positions(rows[chosen]))

    def arrays(self, fieldname: str, text: str) -> Arrays:
        """Return a term's postings as arrays: from the hot postings file when it holds
        the term, else read through whoosh."""
        hot = self.hot_term(fieldname, text)
        if hot is not None:
            return hot
        import numpy as np

        postings = self.postings(fieldname, text)
        ids = np.array(postings.ids, dtype=np.int64)
        weights = np.array(postings.weights, dtype=np.float64)
        decode = position_deltas(self.searcher.schema[fieldname].format)

        def positions(rows):
            deltas = decode([postings.values[row] for row in rows.tolist()])
            lengths = np.fromiter(map(len, deltas), np.int64, len(deltas))
            flat = np.fromiter(chain.from_iterable(map(accumulate, deltas)), np.int64,
                               int(lengths.sum()))
            return lengths, flat

        return Arrays(ids, weights, positions)

    def postings(self, fieldname: str, text: str) -> Postings:
        field = self.searcher.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return NO_POSTINGS
        key = (fieldname, btext)
        if key not in self._postings:
            self._postings[key] = self._live(fieldname, btext) if key in self.reader else NO_POSTINGS
        return self._postings[key]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Return how many passages hold a term, deleted ones included (no postings read)."""
        try:
            btext = self.searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return 0
        return self.reader.doc_frequency(fieldname, btext)

    def _live(self, fieldname: str, btext: bytes) -> Postings:
        matcher = self.reader.postings(fieldname, btext)
        if not self.deleted:
            return _read(matcher)
        # whoosh wraps the postings of a segment with deletions in a FilterMatcher, which
        # reads one posting at a time: read its child a block at a time and filter here.
        read = _read(matcher.child)
        if self.deleted.isdisjoint(read.ids):  # most terms of an updated index
            return read
        keep = [docnum not in self.deleted for docnum in read.ids]
        return Postings(list(compress(read.ids, keep)), list(compress(read.weights, keep)),
                        list(compress(read.values, keep)) if read.values else [])

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
        """Score every posting of a term (as arrays for a common term)."""
        hot = self.hot_term(fieldname, text)
        if hot is not None:
            return self.array_scores(fieldname, text, hot.ids, hot.weights)
        postings = self.postings(fieldname, text)
        if len(postings.ids) < matches.NUMPY_FROM:
            return dict(zip(postings.ids,
                            self.scores(fieldname, text, postings.ids, postings.weights)))
        import numpy as np

        count = len(postings.ids)
        return self.array_scores(fieldname, text, np.fromiter(postings.ids, np.int64, count),
                                 np.fromiter(postings.weights, np.float64, count))

    def array_scores(self, fieldname: str, text: str, ids, weights) -> Scores:
        """Score a term in the docnums ``ids`` (an int64 array, ascending) with their
        ``weights``."""
        return matches.from_arrays(ids, self.score_array(fieldname, text, ids, weights))

    def score_array(self, fieldname: str, text: str, ids, weights):
        """Return the scores of a term in the docnums ``ids`` (an int64 array) with their
        ``weights``: the operations of scores() below, elementwise on float64, so the same
        floats."""
        import numpy as np

        idf, part, k1_plus_1 = self._bm25(fieldname, text)
        lengths = np.frombuffer(self.length_bytes(fieldname), np.uint8)
        return idf * ((weights * k1_plus_1) / (weights + np.array(part)[lengths[ids]]))

    def scores(self, fieldname: str, text: str, docs: Sequence[int],
               weights: Sequence[float] | None = None) -> list[float]:
        """Score a term in ``docs`` (which hold it) exactly as whoosh's BM25F scorer does."""
        if not docs:
            return []
        if weights is None:
            postings = self.postings(fieldname, text)
            weights = list(map(dict(zip(postings.ids, postings.weights)).__getitem__, docs))
        idf, part, k1_plus_1 = self._bm25(fieldname, text)
        lengths = self.length_bytes(fieldname)
        return [idf * ((w * k1_plus_1) / (w + part[lengths[d]])) for d, w in zip(docs, weights)]

    def _bm25(self, fieldname: str, text: str) -> tuple[float, list[float], float]:
        """Return a term's idf, the length part of bm25() per length byte, and K1 + 1."""
        field = self.searcher.schema[fieldname]
        scorer = self.searcher.weighting.scorer(self.searcher, fieldname, field.to_bytes(text))
        if not isinstance(scorer, BM25FScorer):
            raise Unsupported(f"scorer {type(scorer).__name__}")
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # bm25() evaluates idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))):
        # the same operations in the same order, with the length part looked up per byte.
        return idf, [K1 * ((1 - B) + B * fl / avgfl) for fl in _LENGTHS], K1 + 1


def _hot_for(reader) -> HotFile | None:
    """Return the hot postings file of a segment reader's segment, if it has one."""
    storage = reader._storage
    # A compound segment is read through an OverlayStorage: the compound file over the
    # index's folder (its ``b``), where the hot postings file is.
    folder = getattr(getattr(storage, "b", storage), "folder", None)
    segment = getattr(reader, "segment", None)
    if folder is None or segment is None:
        return None
    return _hot_file(str(Path(folder) / segment().make_filename(hot_postings.SUFFIX)))


def _read(matcher) -> Postings:
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
        return Postings(ids, weights, values)
    # A block at a time: W3LeafMatcher._read_ids() decodes the id deltas in a Python
    # generator; accumulate() does the same sum in C.
    # Only positions are ever read back from the values.
    with_values = matcher.format.supports("positions")
    ids, weights, values = [], [], []
    while matcher.is_active():
        matcher._read_data()
        ids.extend(accumulate(matcher._data[0]))
        # A block whose weights are all equal stores one float, or None for 1.0:
        # _read_weights() repeats it into a float32 array through a generator.
        stored = matcher._data[1]
        if stored is None or isinstance(stored, float):
            weight = array("f", [1.0 if stored is None else stored])[0]
            weights.extend(repeat(weight, matcher._blocklength))
        else:
            weights.extend(stored)
        if with_values:
            matcher._read_values()
            values.extend(matcher._values)
        matcher._next_block()
    return Postings(ids, weights, values)


def term_ids(reader, fieldname: str, btext: bytes) -> list[int]:
    """Return the docnums of a term's postings in a segment, deleted ones included."""
    matcher = reader.postings(fieldname, btext)
    if reader.has_deletions():
        matcher = matcher.child  # whoosh's FilterMatcher over the segment's postings
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        matcher._read_data()
        ids.extend(accumulate(matcher._data[0]))
        matcher._next_block()
    return ids


def _length_byte(reader, docnum: int, fieldname: str) -> int:
    return length_to_byte(reader.doc_field_length(docnum, fieldname, 0) or 0)


def position_deltas(fmt: Format) -> Callable[[Sequence[bytes]], Sequence[list[int]]]:
    """Return a decoder of many postings' positions at once: each posting's list of
    deltas (the first from 0), which Positions.decode_positions would sum."""
    if type(fmt) is not Positions:
        return lambda values: [_deltas(fmt.decode_positions(value)) for value in values]
    return _positions_deltas


#: How Positions pickles a posting's deltas: ``dumps(deltas, 2)``, after a 4-byte count.
_PROTOCOL_2 = b"\x80\x02"


def _positions_deltas(values: Sequence[bytes]) -> Sequence[list[int]]:
    # Every value is a 4-byte count, then a protocol-2 pickle of a list: a header, the
    # list's body, ".". The bodies joined between a mark and a tuple opcode make one pickle
    # of a tuple of the lists: one loads() call in C instead of one per posting. A value
    # written otherwise fails to load or changes the count: then each is read on its own.
    try:
        lists = loads(b"".join([_PROTOCOL_2, b"(", *[value[6:-1] for value in values], b"t."]))
    except Exception:  # noqa: BLE001 - any value not written as Positions.encode writes
        lists = ()
    if len(lists) == len(values):
        return lists
    return [loads(value[4:] if value.endswith(b".") else value[4:] + b".") for value in values]


def _deltas(positions: Iterable[int]) -> list[int]:
    deltas, base = [], 0
    for position in positions:
        deltas.append(position - base)
        base = position
    return deltas
