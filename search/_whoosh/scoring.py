"""whoosh's BM25F over the live passages of an index whose update left deleted passages in it.

The idf and average field length count only the passages that are not deleted, from the
deleted passages' terms that the update recorded (search/livestats.py). LiveScorer sets
the attributes that whoosh's BM25FScorer scores with (idf, avgfl, B, K1, qf), and
search/_whoosh/postings.py reads them back to score a whole posting list at once.
"""

from __future__ import annotations

from math import log

from whoosh.scoring import BM25F, BM25FScorer

from search.livestats import DeletedTerms


class LiveBM25F(BM25F):
    """whoosh's BM25F, counting only the passages that are not deleted."""

    def __init__(self, deleted: DeletedTerms | None = None) -> None:
        super().__init__()
        self.deleted = deleted or DeletedTerms()

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        btext = text if isinstance(text, bytes) else parent.schema[fieldname].to_bytes(text)
        frequency = parent.doc_frequency(fieldname, text) - self.deleted.count(fieldname, btext)
        # whoosh's WeightingModel.idf, with the live passages in place of all of them.
        return log(parent.doc_count() / (frequency + 1)) + 1

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return LiveScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B),
                          self.K1, qf=qf)


class LiveScorer(BM25FScorer):
    """A BM25F scorer whose average field length is over the passages not deleted."""

    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        # whoosh's avg_field_length() divides by every passage, deleted ones too; the
        # segments' length totals hold only the live passages (an update subtracts the rest).
        self.avgfl = parent.field_length(fieldname) / (parent.doc_count() or 1) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)
