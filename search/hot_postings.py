"""The postings of a segment's most common terms as plain arrays, read without unpickling.

whoosh keeps a posting list as pickled, compressed blocks of 128 postings; reading one
costs about 40 µs a block in Python, and a phrase of common characters (县级以上人民政府,
第19条) reads tens of thousands of blocks the first time it is asked: most of a first
query's second. A term with at least HOT_FROM postings in a segment is also written
here, when the segment is written, as arrays that numpy maps from the file as they are:
its docnums, each posting's count (its weight is the count times the field's boost) and,
for a field with positions, every position. whoosh's copy stays the reference (its
matchers, term statistics and the parity tests read it); this is a second, faster way
to the same postings, and a segment without its file is read through whoosh as before.

File layout (``<segment id>.hot`` beside the segment, so whoosh deletes it with the
segment): MAGIC, the arrays, each 8-byte aligned, the table as JSON, and where the table
starts (8 bytes, little-endian). The table lists each term as
``[fieldname, term bytes as hex, postings, factor, gaps at, gaps dtype, counts at,
counts dtype, positions at, positions, positions dtype]``: the docnums are stored as the
gaps between them (the first from 0), each array in the smallest unsigned type that
holds it, and positions at is -1 for a term without positions.
"""

from __future__ import annotations

import io
import json
import mmap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple


MAGIC = b"PSHOT\x00\x00\x01"
#: A term's postings in one segment from which it is written here as well (8 of whoosh's
#: blocks). At laws-1M (18 segments of about 55,000 passages) the terms from 1,024
#: postings hold 67% of the postings, and their files add 0.7 GiB to a 2.8 GiB index;
#: first runs of the law queries, p50 / p95: 350 / 1,043 ms without the files, 192 / 536
#: ms from 4,096 postings (44% of them, +0.55 GiB), 149 / 354 ms from 1,024.
HOT_FROM = 1024
SUFFIX = ".hot"
_ALIGN = 8


class HotTerm(NamedTuple):
    """What the writer gives for one term: postings in docnum order."""

    fieldname: str
    btext: bytes
    ids: Sequence[int]  # docnums, ascending
    counts: Sequence[int]  # occurrences in each posting
    factor: float  # weight = count * factor
    positions: Sequence[int] | None  # every posting's positions, absolute, one after another


def _smallest(values):
    import numpy as np

    top = int(values.max()) if len(values) else 0
    return next(dtype for dtype in map(np.dtype, ("u1", "u2", "u4", "u8"))
                if top < 1 << (8 * dtype.itemsize))


class Writer:
    """Writes a hot postings file to a binary stream, a term at a time (the table last)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._table: list[list] = []
        self._at = 0
        stream.write(MAGIC)

    def _put(self, array) -> int:
        start = self._at
        data = array.tobytes()
        self._stream.write(data + bytes(-len(data) % _ALIGN))
        self._at += len(data) + -len(data) % _ALIGN
        return start

    def add(self, term: HotTerm) -> None:
        import numpy as np

        gaps = np.diff(np.asarray(term.ids, dtype=np.int64), prepend=0)
        gaps = gaps.astype(_smallest(gaps))
        counts = np.asarray(term.counts)
        counts = counts.astype(_smallest(counts))
        row = [term.fieldname, term.btext.hex(), len(gaps), term.factor, self._put(gaps),
               gaps.dtype.str, self._put(counts), counts.dtype.str]
        if term.positions is None:
            row += [-1, 0, ""]
        else:
            positions = np.asarray(term.positions)
            positions = positions.astype(_smallest(positions))
            row += [self._put(positions), len(positions), positions.dtype.str]
        self._table.append(row)

    def close(self) -> None:
        """Write the table and where it starts."""
        table = json.dumps({"terms": self._table}, separators=(",", ":")).encode()
        self._stream.write(table + (len(MAGIC) + self._at).to_bytes(8, "little"))


def encode(terms: Iterable[HotTerm]) -> bytes:
    """Return the file holding ``terms``."""
    stream = io.BytesIO()
    writer = Writer(stream)
    for term in terms:
        writer.add(term)
    writer.close()
    return stream.getvalue()


class Damaged(Exception):
    """A hot postings file that is not what encode() writes."""


class Term:
    """One term's postings as read from a file: arrays over the mapped file."""

    __slots__ = ("ids", "counts", "factor", "_positions", "_ends")

    def __init__(self, ids, counts, factor: float, positions) -> None:
        self.ids = ids
        self.counts = counts
        self.factor = factor
        self._positions = positions
        self._ends = None

    def __len__(self) -> int:
        return len(self.ids)

    def weights(self):
        """Return each posting's weight as whoosh reads it (count times the field's boost)."""
        import numpy as np

        return self.counts.astype(np.float64) * self.factor

    def positions(self, rows):
        """Return the positions of the postings at ``rows`` (an array): how many each has,
        and all of them one posting after another."""
        import numpy as np

        if self._positions is None:
            raise ValueError("this term has no positions")
        if self._ends is None:
            self._ends = np.cumsum(self.counts, dtype=np.int64)
        lengths = self.counts[rows].astype(np.int64)
        return lengths, self._positions[spans(self._ends[rows] - lengths, lengths)].astype(np.int64)


def spans(starts, lengths):
    """Return the indexes start, start + 1, ... start + length - 1 of each span, in order."""
    import numpy as np

    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


class HotFile:
    """A segment's hot postings file, mapped."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as stream:
            self._map = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            if self._map[: len(MAGIC)] != MAGIC or len(self._map) < len(MAGIC) + 8:
                raise Damaged(f"{path.name}: not a hot postings file")
            start = int.from_bytes(self._map[-8:], "little")
            table = json.loads(self._map[start:-8])["terms"]
            self._data = len(MAGIC)
            self._terms = {(row[0], bytes.fromhex(row[1])): row for row in table}
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise Damaged(f"{path.name}: {error}") from None

    def __contains__(self, key: tuple[str, bytes]) -> bool:
        return key in self._terms

    def get(self, fieldname: str, btext: bytes) -> Term | None:
        row = self._terms.get((fieldname, btext))
        if row is None:
            return None
        _, _, count, factor, gaps_at, gaps_type, counts_at, counts_type, positions_at, \
            positions, positions_type = row
        import numpy as np

        ids = np.cumsum(self._array(gaps_at, gaps_type, count), dtype=np.int64)
        counts = self._array(counts_at, counts_type, count)
        found = None if positions_at < 0 else self._array(positions_at, positions_type, positions)
        return Term(ids, counts, factor, found)

    def _array(self, at: int, dtype: str, count: int):
        import numpy as np

        return np.frombuffer(self._map, dtype=np.dtype(dtype), count=count, offset=self._data + at)
