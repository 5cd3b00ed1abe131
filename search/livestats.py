"""The terms of the passages an update deleted but whose segments still hold them.

An update deletes a changed document's passages from the segments it reuses instead of
rewriting them, and whoosh still counts deleted passages in a term's document frequency
and in the number of documents. The update records what the deleted passages held (how
many held each term, per segment) and takes their lengths off the segments' totals, so
the idf and average field lengths that search/_whoosh/scoring.py computes are those of
a full build of the same seeds: the same scores and the same ranking.
"""

from __future__ import annotations

import marshal
from collections import Counter
from pathlib import Path

#: (field name, term bytes) -> how many deleted passages hold the term, per segment id.
DELETED = "deleted.marshal"


class DeletedTerms:
    """The terms of the deleted passages still inside an index's segments."""

    def __init__(self, by_segment: dict[str, dict[tuple[str, bytes], int]] | None = None) -> None:
        self.by_segment = by_segment or {}
        self._total = _summed(self.by_segment)

    @classmethod
    def load(cls, build_dir: Path) -> "DeletedTerms":
        """Read a build's deleted terms (none when no update deleted anything)."""
        try:
            return cls(marshal.loads((build_dir / DELETED).read_bytes()))
        except FileNotFoundError:
            return cls()

    def save(self, build_dir: Path) -> None:
        """Write the deleted terms beside the segments (nothing when there are none)."""
        if self.by_segment:
            (build_dir / DELETED).write_bytes(marshal.dumps(self.by_segment))

    def add(self, segment_id: str, fieldname: str, btext: bytes) -> None:
        """Count one deleted passage of a segment that holds a term."""
        counts = self.by_segment.setdefault(segment_id, {})
        counts[fieldname, btext] = counts.get((fieldname, btext), 0) + 1
        self._total[fieldname, btext] += 1

    def keep(self, segment_ids: set[str]) -> None:
        """Forget the segments not in ``segment_ids`` (merged away with their deletions)."""
        self.by_segment = {s: c for s, c in self.by_segment.items() if s in segment_ids}
        self._total = _summed(self.by_segment)

    def terms(self, fieldnames: tuple[str, ...]) -> set[bytes]:
        """Return the terms of ``fieldnames`` that a deleted passage holds."""
        return {btext for fieldname, btext in self._total if fieldname in fieldnames}

    def count(self, fieldname: str, btext: bytes) -> int:
        """Return how many deleted passages hold a term."""
        return self._total.get((fieldname, btext), 0)

    def is_live(self, reader, fieldname: str, btext: bytes) -> bool:
        """Tell whether a term of the lexicon is in a passage that is not deleted."""
        deleted = self.count(fieldname, btext)
        return not deleted or reader.doc_frequency(fieldname, btext) > deleted


def _summed(by_segment: dict[str, dict[tuple[str, bytes], int]]) -> Counter:
    total: Counter = Counter()
    for counts in by_segment.values():
        total.update(counts)
    return total
