"""Keep a full build's documents on disk between reading them and indexing them.

A build needs every document's metadata before it writes the first passage (the versions
of a law, the rank that breaks score ties, the corpus dictionary), but not their text.
Holding a million passages' text and field dicts in memory took gigabytes; instead each
parsed document is pickled into a spill file as it is read, the build keeps a small shell
of it (metadata, passage keys, where it lies in the file), and the indexing processes make
the passages' fields from the file one document at a time, in rank order.
"""

from __future__ import annotations

import bisect
import dataclasses
import marshal
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

from search.documents.model import Document


@dataclass(frozen=True)
class Spilled:
    """What a build keeps in memory of a document while its text waits in the spill file."""

    shell: Document  # the document without its text and passages (versions linked later)
    # Its passages' keys, in order, marshalled: as a tuple of strings a million keys took
    # 100 MiB of a build's parent, which the indexing processes share (18 MiB as bytes).
    packed_keys: bytes
    passages: int  # how many
    characters: int  # its passages' characters
    offset: int  # where its pickle starts in the spill file

    @property
    def keys(self) -> tuple[str, ...]:
        """Its passages' keys, in order."""
        return marshal.loads(self.packed_keys)


class SpillFile:
    """Pickles documents into ``path`` as they are read; a context manager that keeps the file
    open for writing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None

    def __enter__(self) -> SpillFile:
        self._file = open(self.path, "wb")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._file is not None
        self._file.close()

    def add(self, document: Document) -> Spilled:
        """Write ``document`` to the file and return its shell."""
        assert self._file is not None
        offset = self._file.tell()
        pickle.dump(document, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        shell = dataclasses.replace(document, text="", passages=())
        return Spilled(shell, marshal.dumps(tuple(p.key for p in document.passages)),
                       len(document.passages),
                       sum(len(p.text) for p in document.passages), offset)


class Rows(Sequence):
    """The rows (fields to index) of every passage of ``documents`` in order, made from the
    spill file when iterated. A slice is a Rows over a range of passages: each indexing
    process iterates its own, with its own file handle."""

    def __init__(self, path: Path, documents: Sequence[Spilled],
                 rows: Callable[[Document, int], list[dict]],
                 ends: list[int] | None = None, start: int = 0, stop: int | None = None) -> None:
        self.path, self.documents, self.rows = path, documents, rows
        # ends[i]: the passages of documents[0..i], so that a slice finds its documents.
        self.ends = ends if ends is not None else list(accumulate(d.passages for d in documents))
        self.start = start
        self.stop = (self.ends[-1] if self.ends else 0) if stop is None else stop

    def __len__(self) -> int:
        return self.stop - self.start

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            raise TypeError("Rows can only be sliced")
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("Rows slices are contiguous")
        return Rows(self.path, self.documents, self.rows, self.ends,
                    self.start + start, self.start + max(start, stop))

    def __iter__(self) -> Iterator[dict]:
        if self.start >= self.stop:
            return
        first = bisect.bisect_right(self.ends, self.start)
        with open(self.path, "rb") as file:
            for number in range(first, len(self.documents)):
                begin = self.ends[number] - self.documents[number].passages
                if begin >= self.stop:
                    break
                spilled = self.documents[number]
                file.seek(spilled.offset)
                document = dataclasses.replace(pickle.load(file), versions=spilled.shell.versions)
                rows = self.rows(document, number)
                yield from rows[max(self.start - begin, 0) : self.stop - begin]
