"""Write passages into a whoosh index: segments per process, postings grouped by term.

whoosh's PostingPool keeps every posting as a tuple, sorts them all, and beyond its
memory limit dumps sorted runs to disk and merges them back one pickle at a time:
at 30k passages that was a third of the build. A writer adds a passage's postings
with increasing document numbers, so grouping them by term keeps each term's
postings in order and only the terms need sorting; packed in arrays they take a
fraction of the memory and never spill. A writer whose pool reaches POOL_BYTES
writes out its segment and starts another, which bounds the memory.

With several processes each writes a contiguous share of the passages into its own
segments (in passage order, so document numbers follow passage order), and the
parent commits them together, as whoosh's multisegment writer does.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import traceback
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pickle import loads

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from search import hot_postings
from search.hot_postings import HotTerm

Progress = Callable[[int], None]
_REPORT_EVERY = 100
#: The memory a writer's postings may take before it writes them out as a segment. Two
#: indexing processes at this size, and what they share with the parent, keep a build's
#: peak under 1 GiB; a larger pool would mean fewer segments, which queries read one by one.
POOL_BYTES = 256 * 2**20
#: What a pool takes (TermPool.estimated_bytes), measured at finalization on the real laws:
#: 11.8 bytes per posting and about 550 per term (its containers and its key).
POSTING_BYTES, TERM_BYTES = 12, 550

#: How whoosh's Positions.encode writes a posting's value: a 4-byte big-endian count of
#: positions, a protocol-2 pickle of their deltas (this header, the items, STOP).
_COUNT_PAD = b"\0\0\0"
_PICKLE_HEAD = b"\x80\x02]q\x00"
_STOP_BYTE = b"."
_STOP = _STOP_BYTE[0]
_PICKLE_PROTOCOL_2 = _PICKLE_HEAD[:2]
#: The bytes a Positions value of each count (under 256) starts with.
_POSITIONS_PREFIX = [_COUNT_PAD + bytes([count]) + _PICKLE_HEAD for count in range(256)]
#: How a term keeps its postings' values (chosen by its first value, see TermPool.add).
_RAW, _POSITIONS, _COUNT = 0, 1, 2


class TermPool:
    """Postings grouped by (field, term), in the order they were added (whoosh's pool API).

    A pool holds up to POOL_BYTES, and the fewer bytes a posting takes, the more postings
    a segment holds, and the fewer segments a query reads. A value as
    whoosh's Positions or Frequency formats write it keeps only its variable bytes: its
    count (under 256) and the pickled deltas, 4 bytes for one position instead of 13. A
    weight that is the count times one factor for the whole term (a field boost, as it
    always is for our fields) is not kept at all. Anything else is kept as given, and
    iter_postings() restores exactly what was added.
    """

    def __init__(self) -> None:
        # (fieldname, term bytes) -> [docnum and value end pairs, values, in order, form,
        #                             weight per count (or None), weights (when no factor)]
        self._terms: dict[tuple[str, bytes], list] = {}
        self.fieldnames: set[str] = set()
        self.postings = 0

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        value = value or b""
        key = (fieldname, btext)
        term = self._terms.get(key)
        if term is None:
            self.fieldnames.add(fieldname)
            form = _form(value)
            factor = weight / value[3] if form != _RAW and value[3] else None
            if factor is not None and value[3] * factor != weight:
                factor = None
            term = self._terms[key] = [array("I"), bytearray(), True, form, factor,
                                       array("d") if factor is None else None]
        elif docnum <= term[0][-2]:
            term[2] = False
        pairs, values, _, form, factor, weights = term
        if (form == _POSITIONS and value[4:9] == _PICKLE_HEAD and value[:3] == _COUNT_PAD
                and value[-1] == _STOP) or (
                form == _COUNT and len(value) == 4 and value[:3] == _COUNT_PAD):
            if factor is not None and value[3] * factor != weight:
                weights = _keep_weights(term)
                factor = None
            values += value[3:4]
            if form == _POSITIONS:
                values += value[9:-1]
        else:
            if form != _RAW:  # a value of another shape: keep this term's as given
                weights = _keep_weights(term)
                factor = None
                values = _keep_values(term)
            values += value
        if factor is None:
            weights.append(weight)
        pairs.append(docnum)
        pairs.append(len(values))
        self.postings += 1

    def estimated_bytes(self) -> int:
        """Return about how much memory the postings take."""
        return self.postings * POSTING_BYTES + len(self._terms) * TERM_BYTES

    def iter_postings(self) -> Iterator[tuple]:
        """Yield (fieldname, term, docnum, weight, value) sorted as whoosh's pool yields them."""
        for key in sorted(self._terms):
            fieldname, btext = key
            term = self._terms.pop(key)
            found = zip(term[0][0::2], _weights(term), _values(term))
            if not term[2]:
                found = sorted(found)
            for docnum, weight, value in found:
                yield fieldname, btext, docnum, weight, value

    def hot_terms(self, least: int) -> Iterator[HotTerm]:
        """Yield the terms with at least ``least`` postings whose values are counts or
        Positions and whose weights are their counts times one factor, for hot_postings."""
        import numpy as np

        for (fieldname, btext), term in self._terms.items():
            pairs, values, in_order, form, factor, _ = term
            if len(pairs) < 2 * least or form == _RAW or factor is None or not in_order:
                continue
            ends = np.frombuffer(pairs, dtype=pairs.typecode)[1::2]
            starts = np.concatenate(([0], ends[:-1]))
            counts = np.frombuffer(values, dtype=np.uint8)[starts]
            positions = None
            if form == _POSITIONS:
                # Each value's pickled deltas, made lists again and joined into one pickle
                # of a tuple of lists (one loads() in C), as postings.py reads them.
                lists = loads(b"".join([_PICKLE_PROTOCOL_2, b"(", *[
                    b"]" + values[start + 1 : end]
                    for start, end in zip(starts.tolist(), ends.tolist())], b"t."]))
                positions = _absolute(lists)
            yield HotTerm(fieldname, btext, pairs[0::2], counts, factor, positions)

    def save(self) -> None:
        """Nothing to save: the postings stay in memory."""

    def cleanup(self) -> None:
        self._terms.clear()
        self.postings = 0


def _absolute(deltas: Sequence[list[int]]):
    """Return every list's positions (running sums of its deltas), one list after another."""
    import numpy as np

    lengths = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    sums = np.cumsum(np.fromiter(chain.from_iterable(deltas), dtype=np.int64,
                                 count=int(lengths.sum())))
    before = np.concatenate(([0], sums))[np.cumsum(lengths) - lengths]
    return sums - np.repeat(before, lengths)


def _form(value: bytes) -> int:
    """Return how a value can be kept: as Positions' pickle, as a one-byte count, or raw."""
    if value[:3] != _COUNT_PAD:
        return _RAW
    if len(value) == 4:
        return _COUNT
    if value[4:9] == _PICKLE_HEAD and value[-1] == _STOP:
        return _POSITIONS
    return _RAW


def _starts(term: list) -> list[int]:
    """Return where each of a term's values starts in its values."""
    return [0, *term[0][1:-1:2]]


def _weights(term: list) -> Sequence[float]:
    """Return a term's weights, in the order they were added."""
    _, values, _, _, factor, weights = term
    if factor is None:
        return weights
    return [values[start] * factor for start in _starts(term)]


def _values(term: list) -> list[bytes]:
    """Return a term's values as they were added."""
    values, form = bytes(term[1]), term[3]
    spans = zip(_starts(term), term[0][1::2])
    if form == _POSITIONS:
        return [_POSITIONS_PREFIX[values[start]] + values[start + 1 : end] + _STOP_BYTE
                for start, end in spans]
    if form == _COUNT:
        return [_COUNT_PAD + values[start:end] for start, end in spans]
    return [values[start:end] for start, end in spans]


def _keep_weights(term: list) -> array:
    """Keep a term's weights one by one from now on; return them."""
    if term[4] is not None:
        term[5] = array("d", _weights(term))
        term[4] = None
    return term[5]


def _keep_values(term: list) -> bytearray:
    """Keep a term's values as given from now on; return them."""
    restored = _values(term)
    pairs = term[0]
    end = 0
    for number, value in enumerate(restored):
        end += len(value)
        pairs[2 * number + 1] = end
    term[1] = bytearray(b"".join(restored))
    term[3] = _RAW
    return term[1]


class _Writer(SegmentWriter):
    """whoosh's segment writer, with postings grouped by term."""

    def __init__(self, ix: FileIndex, **kwargs: object) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermPool()
        #: Exact field length totals of the segment it writes, when it merges others:
        #: whoosh would sum their lengths as stored, rounded to a byte each.
        self.field_totals: dict[str, int] | None = None

    def _finalize_segment(self):
        # Before whoosh's own writing empties the pool: the segment's common terms as arrays.
        # Written under a name outside the segment's, or whoosh would pack it into the
        # segment's compound file, then given the segment's name.
        name = self.newsegment.make_filename(hot_postings.SUFFIX)
        interim = f"{hot_postings.SUFFIX[1:]}-{name}"
        stream = self.storage.create_file(interim)
        try:
            writer = hot_postings.Writer(stream)
            for term in self.pool.hot_terms(hot_postings.HOT_FROM):
                writer.add(term)
            writer.close()
        finally:
            stream.close()
        segment = super()._finalize_segment()
        self.storage.rename_file(interim, name)
        if self.field_totals is not None:
            segment._fieldlengths = defaultdict(int, self.field_totals)
        return segment


def _write_segments(ix: FileIndex, documents: Sequence[dict], codec: object,
                    done: Callable[[int], None]) -> list:
    """Write ``documents`` into new segments, a new one whenever a pool holds
    POOL_BYTES of postings; return the segments in order."""
    segments = []
    writer, added = _Writer(ix, _lk=False, codec=codec), 0
    for count, fields in enumerate(documents, 1):
        writer.add_document(**fields)
        added += 1
        if count % _REPORT_EVERY == 0:
            done(_REPORT_EVERY)
        if writer.pool.estimated_bytes() >= POOL_BYTES:
            # whoosh's own multiprocessing writer finishes its sub-segments the same way.
            segments.append(writer._finalize_segment())
            writer, added = _Writer(ix, _lk=False, codec=codec), 0
    done(len(documents) % _REPORT_EVERY)
    if added:
        segments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    return segments


def _segment_worker(ix: FileIndex, part: int, documents: Sequence[dict], codec: object,
                    results, counter) -> None:
    """In a child process: write ``documents`` into new segments and send them to the parent."""
    try:
        def done(count: int) -> None:
            with counter.get_lock():
                counter.value += count

        results.put((part, _write_segments(ix, documents, codec, done), None))
    except BaseException:
        results.put((part, None, traceback.format_exc()))
        raise


def write(ix: FileIndex, documents: Sequence[dict], procs: int, codec: object,
          progress: Progress | None = None,
          prepare: Callable[[SegmentWriter], Callable] | None = None) -> None:
    """Add ``documents`` (field dicts, in passage order) to ``ix`` with ``procs`` processes.

    ``prepare`` is called with the committing writer before the new segments are written
    (an update deletes passages there) and returns the merge policy for the existing segments.
    """
    writer = _Writer(ix, codec=codec)  # holds the index's write lock until it commits
    report = progress or (lambda count: None)
    try:
        policy = prepare(writer) if prepare else (lambda _writer, existing: existing)
        if procs <= 1 or len(documents) < procs:
            total = 0

            def done(count: int) -> None:
                nonlocal total
                total += count
                report(total)

            segments = _write_segments(ix, documents, codec, done)
        else:
            segments = _write_in_children(ix, documents, procs, codec, report)
    except BaseException:
        writer.cancel()
        raise
    # The committing writer adds only what the policy merges: the new segments follow.
    writer.commit(mergetype=lambda _writer, existing: [*policy(_writer, existing), *segments])


def _write_in_children(ix: FileIndex, documents: Sequence[dict], procs: int, codec: object,
                       report: Progress) -> list:
    context = multiprocessing.get_context("fork")  # the children inherit the installed segmenter
    results = context.Queue()
    counter = context.Value("l", 0)
    share = -(-len(documents) // procs)
    children = [context.Process(target=_segment_worker,
                                args=(ix, part, documents[start : start + share], codec, results,
                                      counter))
                for part, start in enumerate(range(0, len(documents), share))]
    # A forked child shares the parent's memory until it writes to a page; the garbage
    # collector's full passes would write to every object's header in every page. Frozen,
    # the parent's objects are left out of the children's collections (gc.freeze's purpose).
    gc.freeze()
    try:
        for child in children:
            child.start()
    finally:
        gc.unfreeze()
    segments: dict[int, list] = {}
    errors: list[str] = []
    try:
        while len(segments) + len(errors) < len(children):
            try:
                part, written, error = results.get(timeout=0.2)
            except queue.Empty:
                report(counter.value)
                if not any(child.is_alive() for child in children) and results.empty():
                    errors.append("an indexing process exited without a result")
                continue
            if error is None:
                segments[part] = written
            else:
                errors.append(error)
    finally:
        for child in children:
            child.join()
    if errors:
        raise RuntimeError("indexing failed in a child process:\n" + "\n".join(errors))
    report(len(documents))
    return [segment for part in sorted(segments) for segment in segments[part]]


def delete(writer: SegmentWriter, docnums: Sequence[int], indexed: Callable[[dict], dict],
           deleted) -> list[dict]:
    """Delete passages in the writer's segments and return their stored fields.

    Each deleted passage's terms are counted in ``deleted`` (a DeletedTerms) and its field
    lengths taken off its segment's totals, so scores count only the live passages.
    """
    searcher = writer.searcher()
    schema = writer.schema
    removed = []
    for docnum in docnums:
        stored = searcher.stored_fields(docnum)
        segment, _ = writer._segment_and_docnum(docnum)
        for fieldname, value in indexed(stored).items():
            field = schema[fieldname] if fieldname in schema else None
            if field is None or not field.indexed or value is None:
                continue
            length = 0
            for btext, frequency, _, _ in field.index(value):
                length += frequency
                deleted.add(segment.segment_id(), fieldname, btext)
            if field.scorable:
                segment._fieldlengths[fieldname] -= length
        writer.delete_document(docnum)
        removed.append(stored)
    return removed


def segment_ids(ix: FileIndex) -> set[str]:
    """Return the ids of the index's segments."""
    return {segment.segment_id() for segment in ix._segments()}


def merge_small(writer: _Writer, segments: list, below: int) -> list:
    """Merge the segments with fewer than ``below`` live passages, and those that are half
    deleted, into the writer's segment; drop those with none left; return the segments
    kept as they are."""
    from whoosh.reading import SegmentReader

    empty = [s for s in segments if s.doc_count() == 0]
    chosen = [s for s in segments if s.doc_count() and (
        s.doc_count() < below or s.deleted_count() * 2 > s.doc_count_all())]
    if len(chosen) < 2 and not any(s.deleted_count() for s in chosen):
        chosen = []
    totals: dict[str, int] = defaultdict(int)
    for segment in chosen:
        for fieldname, length in segment._fieldlengths.items():
            totals[fieldname] += length
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    if chosen:
        writer.field_totals = dict(totals)
    return [s for s in segments if s not in chosen and s not in empty]
