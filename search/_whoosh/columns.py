"""A numeric field's column read whole, as whoosh stores it: fixed-width big-endian values.

whoosh's column reader unpacks one value per call (3 µs each: 3 s for the order of a
million passages, paid by the first query of every process); the bytes are read here in
one slice and decoded by the array module (numpy would cost more to import than it saves
below a few hundred thousand passages). The values are kept in an array too: a list of a
million ints took 75 ms to make and 36 bytes a passage to keep, the array 8.
"""

from __future__ import annotations

import sys
from array import array

from whoosh import columns
from whoosh.fields import NUMERIC
from whoosh.reading import IndexReader

#: Flips the top bit of a byte: in a big-endian value, the sign bit.
_FLIP_SIGN = bytes(byte ^ 0x80 for byte in range(256))


def signed_column(reader: IndexReader, fieldname: str) -> array:
    """Return each document's value of a 64-bit signed NUMERIC field, by docnum, as
    ``list(reader.column_reader(fieldname))`` would (deleted documents included)."""
    field = reader.schema[fieldname]
    if not (isinstance(field, NUMERIC) and field.bits == 64 and field.signed
            and field.numtype is int and not field.decimal_places):
        raise TypeError(f"{fieldname} is not a 64-bit signed integer field")
    values = array("q")
    for leaf, _ in reader.leaf_readers():
        column = leaf.column_reader(fieldname, translate=False)
        if not isinstance(column, columns.NumericColumn.Reader):  # a segment without the column
            values.extend(field.from_column_value(v) for v in column)
            continue
        # Stored as value + 2**63, big-endian: the same bits as the signed value but the top.
        raw = bytearray(column._dbfile.get(column._basepos, column._count * 8))
        raw[0::8] = raw[0::8].translate(_FLIP_SIGN)
        signed = array("q", raw)
        if sys.byteorder == "little":
            signed.byteswap()  # whoosh writes them big-endian
        values.extend(signed)
        missing = leaf.doc_count_all() - column._count  # written as the default (whoosh fills gaps)
        values.extend([field.from_column_value(column._default)] * missing)
    return values
