"""whoosh's W3 codec, with each field's lengths read a whole column at a time.

whoosh looks up a passage's field length once per posting, when it writes postings
(each block records its shortest and longest field) and when BM25F scores a match:
each lookup seeks into the lengths column and unpacks one byte. Reading the column
once per field and indexing the bytes gives the same lengths for a fraction of the cost.
Segments remember their codec, so an index built with this one is read with it too.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader
from whoosh.util.numeric import byte_to_length


class Codec(W3Codec):
    """The W3 codec whose per-document readers keep each lengths column in memory."""

    def per_document_reader(self, storage, segment):
        return LengthsReader(storage, segment)


class LengthsReader(W3PerDocReader):
    """A W3 per-document reader that reads each field's lengths column once."""

    def __init__(self, storage, segment) -> None:
        super().__init__(storage, segment)
        self._length_bytes: dict[str, bytes | None] = {}

    def _lengths(self, fieldname: str) -> bytes | None:
        if fieldname not in self._length_bytes:
            column = self._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if column is None:
                data = None
            else:
                try:
                    data = bytes(column._dbfile.get(column._basepos, column._count))
                except AttributeError:  # not the fixed-width column whoosh 2.7 writes
                    data = bytes(column[docnum] for docnum in range(self._doccount))
            self._length_bytes[fieldname] = data
        return self._length_bytes[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        # Same answers as W3PerDocReader.doc_field_length, including None for a zero byte.
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        data = self._lengths(fieldname)
        if data is None:
            return default
        lbyte = data[docnum] if docnum < len(data) else 0
        if lbyte:
            return byte_to_length(lbyte)
        return None
