"""Write passages into a whoosh index: segments per process, postings grouped by term.

whoosh's PostingPool keeps every posting as a tuple, sorts them all, and beyond its
memory limit dumps sorted runs to disk and merges them back one pickle at a time:
at 30k passages that was a third of the build. A writer adds a passage's postings
with increasing document numbers, so grouping them by term keeps each term's
postings in order and only the terms need sorting; packed in arrays they take a
fraction of the memory and never spill. A writer whose pool reaches SEGMENT_POSTINGS
writes out its segment and starts another, which bounds the memory.

With several processes each writes a contiguous share of the passages into its own
segments (in passage order, so document numbers follow passage order), and the
parent commits them together, as whoosh's multisegment writer does.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

Progress = Callable[[int], None]
_REPORT_EVERY = 100
#: Postings a writer keeps in memory (about 30 bytes each) before it writes out a segment.
SEGMENT_POSTINGS = 20_000_000


class TermPool:
    """Postings grouped by (field, term), in the order they were added (whoosh's pool API)."""

    def __init__(self) -> None:
        # (fieldname, term bytes) -> [docnums, weights, values, value ends, in order]
        self._terms: dict[tuple[str, bytes], list] = {}
        self.fieldnames: set[str] = set()
        self.postings = 0

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        key = (fieldname, btext)
        postings = self._terms.get(key)
        if postings is None:
            self.fieldnames.add(fieldname)
            postings = self._terms[key] = [array("I"), array("d"), bytearray(), array("I"), True]
        elif docnum <= postings[0][-1]:
            postings[4] = False
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2] += value or b""
        postings[3].append(len(postings[2]))
        self.postings += 1

    def iter_postings(self) -> Iterator[tuple]:
        """Yield (fieldname, term, docnum, weight, value) sorted as whoosh's pool yields them."""
        for key in sorted(self._terms):
            fieldname, btext = key
            docnums, weights, values, ends, in_order = self._terms.pop(key)
            values = bytes(values)
            starts = [0, *ends[:-1]]
            postings = zip(docnums, weights, starts, ends)
            if not in_order:
                postings = sorted(postings)
            for docnum, weight, start, end in postings:
                yield fieldname, btext, docnum, weight, values[start:end]

    def save(self) -> None:
        """Nothing to save: the postings stay in memory."""

    def cleanup(self) -> None:
        self._terms.clear()
        self.postings = 0


class _Writer(SegmentWriter):
    """whoosh's segment writer, with postings grouped by term."""

    def __init__(self, ix: FileIndex, **kwargs: object) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermPool()
        #: Exact field length totals of the segment it writes, when it merges others:
        #: whoosh would sum their lengths as stored, rounded to a byte each.
        self.field_totals: dict[str, int] | None = None

    def _finalize_segment(self):
        segment = super()._finalize_segment()
        if self.field_totals is not None:
            segment._fieldlengths = defaultdict(int, self.field_totals)
        return segment


def _write_segments(ix: FileIndex, documents: Sequence[dict], codec: object,
                    done: Callable[[int], None]) -> list:
    """Write ``documents`` into new segments, a new one whenever a pool holds
    SEGMENT_POSTINGS postings; return the segments in order."""
    segments = []
    writer, added = _Writer(ix, _lk=False, codec=codec), 0
    for count, fields in enumerate(documents, 1):
        writer.add_document(**fields)
        added += 1
        if count % _REPORT_EVERY == 0:
            done(_REPORT_EVERY)
        if writer.pool.postings >= SEGMENT_POSTINGS:
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
    for child in children:
        child.start()
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
