"""Read an index's files through views of the memory-mapped file, never copies.

whoosh maps a segment's compound file and hands each sub-file out as a BufferFile over a
memoryview of the map; BufferFile wraps the view in ``BytesIO(view)`` for its
seek/read methods, and BytesIO copies a memoryview whole. Every searcher opened the
terms and postings files again, so every request copied the index into memory: 280 ms
and about 100 MiB per request at 30k passages, more with each concurrent request.
:class:`ViewFile` gives the same file methods over the view itself.

This relies on whoosh's private ``whoosh.filedb.structfile.BufferFile`` (its ``_buf``,
``file``, ``_name``, ``onclose``, ``is_real`` and ``is_closed`` attributes, whoosh 2.7.5);
:func:`install` is called once, when the index module is imported.
"""

from __future__ import annotations

import io

from whoosh.filedb import structfile


#: whoosh's own constructor, which install() replaces (a test compares what each sets).
WHOOSH_BUFFER_FILE_INIT = structfile.BufferFile.__init__

#: Bytes readline() looks at a time.
_LINE_CHUNK = 4096


class ViewFile(io.RawIOBase):
    """A read-only, seekable file over a memoryview (no copy)."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        start = self._position
        data = self._view[start:start + len(buffer)]
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._position = max(start, end)
        return bytes(self._view[start:end])

    def peek(self, size: int = 0) -> memoryview:
        """Return the bytes ahead without moving (a view, no copy).

        pickle.load() peeks at what follows and then reads only what it used: without
        peek it reads a pickle a few bytes at a time, 20 calls for a posting block's
        header, 0.8 s of a cold query at a million passages.
        """
        start = self._position
        return self._view[start:start + max(size, 1)]

    def readline(self, size: int = -1) -> bytes:
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        stop = end
        for chunk in range(start, end, _LINE_CHUNK):  # look a piece at a time: no copy
            found = bytes(self._view[chunk:min(chunk + _LINE_CHUNK, end)]).find(b"\n")
            if found >= 0:
                stop = chunk + found + 1
                break
        return self.read(stop - start)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewFile(memoryview(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make whoosh's BufferFile read through a view instead of a copy."""
    structfile.BufferFile.__init__ = _buffer_file_init
