"""Code that relies on whoosh's private API, fenced in one place.

whoosh's public paths were too slow for this engine in several places, so these modules
reach inside it: the codec reads a field's lengths column whole (codec), and the order
column is read whole too (columns), a term's
postings are read and scored a block at a time (postings), index files are read through
views of the mapped file (mapped), a segment writer groups postings by term and writes
the common ones to the segment's hot postings file too (writer; the file's format is
search/hot_postings.py, read by postings), and BM25F counts only the passages an update
left live (scoring). They also depend on what
whoosh writes: the pickled block layout (ids as deltas, then weights, then values) and the
Positions value encoding (a 4-byte count and a protocol-2 pickle of the list of deltas,
which postings joins into one pickle per batch; tests/test_verbatim.py decodes it against
the installed whoosh's decode_positions). The writer's pool keeps only the varying bytes
of such values; any other value it keeps whole, so another encoding costs memory, not
correctness (tests/test_fast_indexing.py).

PRIVATE_NAMES lists every private name they use. tests/test_whoosh_private.py resolves
each one against the installed whoosh, checks that it is WHOOSH, and runs the same queries
and builds through these modules and through whoosh's own matchers and writer, so that a
whoosh upgrade fails there, by name, and not in a ranking somewhere else.
"""

#: The distribution and version these modules are written against.
WHOOSH = ("whoosh-reloaded", "2.7.5")

#: Each private name used here: a module-level name, a class attribute or method, or an
#: attribute whoosh sets on its instances (the test looks those up on live objects), or
#: ``callable(keyword)``: a keyword argument it accepts.
PRIVATE_NAMES = (
    # codec: a lengths column read whole.
    "whoosh.codec.whoosh3.LENGTHS_COLUMN",
    "whoosh.codec.whoosh3.W3PerDocReader._cached_reader",
    "whoosh.codec.whoosh3.W3PerDocReader._doccount",
    "whoosh.columns.NumericColumn.Reader._dbfile",
    "whoosh.columns.NumericColumn.Reader._basepos",
    "whoosh.columns.NumericColumn.Reader._count",
    # columns: a 64-bit numeric column read whole.
    "whoosh.columns.NumericColumn.Reader._default",
    # postings: a posting list read a block at a time, scored with the scorer's own figures.
    "whoosh.reading.SegmentReader._perdoc",
    "whoosh.codec.whoosh3.W3LeafMatcher._byteids",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_data",
    "whoosh.codec.whoosh3.W3LeafMatcher._data",
    "whoosh.codec.whoosh3.W3LeafMatcher._blocklength",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_values",
    "whoosh.codec.whoosh3.W3LeafMatcher._values",
    "whoosh.codec.whoosh3.W3LeafMatcher._next_block",
    "whoosh.scoring.BM25FScorer.idf",
    "whoosh.scoring.BM25FScorer.avgfl",
    "whoosh.scoring.BM25FScorer.B",
    "whoosh.scoring.BM25FScorer.K1",
    # postings: the folder of a segment's hot postings file, from its reader's storage.
    "whoosh.reading.SegmentReader._storage",
    # scoring: BM25F over the live passages.
    "whoosh.scoring.BM25F._field_B",
    "whoosh.scoring.BM25FScorer.qf",
    "whoosh.scoring.BM25FScorer.setup",
    # mapped: BufferFile's constructor replaced (the test compares the attributes it sets).
    "whoosh.filedb.structfile.BufferFile.__init__",
    # writer: segments written and committed by hand, deletions taken off the length totals.
    "whoosh.writing.SegmentWriter.__init__(_lk)",
    "whoosh.writing.SegmentWriter.pool",
    "whoosh.writing.SegmentWriter._finalize_segment",
    "whoosh.writing.SegmentWriter._close_segment",
    "whoosh.writing.SegmentWriter._segment_and_docnum",
    "whoosh.codec.whoosh3.W3Segment._fieldlengths",
    "whoosh.index.FileIndex._segments",
    # writer: a segment's hot postings file named after the segment being written.
    "whoosh.writing.SegmentWriter.newsegment",
)
