"""The catalogue file of a build (documents.sqlite): one row per document, in seed order.

A build writes it once and never changes it. A reader looks a document up by id, or by
its 文号, one row at a time: a command-line query at a million passages reads the few
documents its hits name, not the whole 35 MB catalogue. What a filter, a facet or a
listing needs of every document (id, title, date, office, type, 文号) is in columns of its
own, read together in one pass without decoding the rest of the entry.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from search import gaps
from search.documents.numbers import normalize_number
from search.lifecycle import read_only_uri

#: The columns every document's summary has; the whole entry is JSON in ``entry``.
SUMMARY = ("id", "title", "date", "office", "doc_type", "number")
#: What an update reads of a document it keeps: the summary, the format, the seed file and
#: the versions (as JSON), never the passages.
BRIEF = (*SUMMARY, "format", "source_path", "versions")
#: Whole entries kept after a lookup (a document page reads one entry per passage).
RECENT = 64
#: More documents than this, and summaries_of() reads (and keeps) every summary.
SOME = 2000
#: How far apart a full build puts its documents' ``ord``: an update inserts documents
#: between two kept ones without moving any (20 halvings of the gap at one place).
ORD_GAP = 1 << 20
#: Ids bound in one SQL statement (SQLite's limit is 32,766 since 3.32, 999 before).
_PARAMETERS = 500

_COLUMNS = ", ".join(BRIEF)
#: slot: the document's tie-break slot, the high bits of its passages' order (schema.py).
_TABLE = f"""CREATE TABLE documents (
    ord INTEGER PRIMARY KEY, {', '.join(f'{c} TEXT' for c in BRIEF)},
    number_key TEXT, slot INTEGER NOT NULL, entry TEXT NOT NULL)"""


class Brief(dict):
    """A document's BRIEF columns, read by an update for a document it keeps: written to
    the new catalogue file by copying its row from the old one, never decoded."""


def write(path: Path, entries: list[dict], slots: Mapping[str, int],
          kept_from: Path | None = None) -> None:
    """Write ``entries`` (catalogue entries, in seed order) and their documents' ``slots``
    as the catalogue file at ``path``; a Brief entry's row (and slot, which an update
    keeps) is the one in the catalogue file ``kept_from``.

    With ``kept_from``, that file is copied and only the documents that changed are deleted
    and inserted (27,000 documents: 0.07 s, against 0.3 s to write every row again); when
    the kept rows have no room between them for the new ones, every row is written anew.
    """
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    copied = [e for e in entries if isinstance(e, Brief)]
    if copied and kept_from is None:
        raise ValueError("a catalogue entry to copy, and no catalogue to copy it from")
    if not (copied and _updated(partial, kept_from, entries, slots)):
        partial.unlink(missing_ok=True)
        _written(partial, entries, slots, kept_from)
    os.replace(partial, path)


def _connect(path: Path) -> sqlite3.Connection:
    # Opened as a URI, so that ATTACH reads one too on an SQLite built without USE_URI.
    db = sqlite3.connect(f"file:{quote(str(path))}", uri=True)
    db.execute("PRAGMA journal_mode = OFF")  # a file being written is never read: redone
    return db


def _insert(db: sqlite3.Connection, rows: list[tuple[int, dict]], slots: Mapping[str, int]
            ) -> None:
    db.executemany(
        f"INSERT INTO documents VALUES (?, {', '.join('?' for _ in BRIEF)}, ?, ?, ?)",
        ((ord_, *_brief_values(e), number_key(e.get("number")), slots[e["id"]],
          json.dumps(e, ensure_ascii=False)) for ord_, e in rows))


def _written(path: Path, entries: list[dict], slots: Mapping[str, int],
             kept_from: Path | None) -> None:
    """Write every row: ORD_GAP apart, so that an update can insert between them."""
    with closing(_connect(path)) as db, db:
        db.execute(_TABLE)
        _insert(db, [(n * ORD_GAP, e) for n, e in enumerate(entries)
                     if not isinstance(e, Brief)], slots)
        copied = [(n * ORD_GAP, e["id"]) for n, e in enumerate(entries) if isinstance(e, Brief)]
        if copied:
            db.execute("ATTACH DATABASE ? AS kept", (read_only_uri(kept_from),))
            db.executemany(f"INSERT INTO documents SELECT ?, {_COLUMNS}, number_key, slot, "
                           "entry FROM kept.documents WHERE id = ?", copied)
        db.execute("CREATE UNIQUE INDEX documents_id ON documents (id)")
        db.execute("CREATE INDEX documents_slot ON documents (slot)")
        db.execute("CREATE INDEX documents_number ON documents (number_key)")


def _updated(path: Path, kept_from: Path, entries: list[dict], slots: Mapping[str, int]
             ) -> bool:
    """Copy ``kept_from`` to ``path`` and make it hold ``entries``: delete the rows of the
    documents not kept, insert the others between their kept neighbours. False when there
    is no room between them (or the kept rows are not in the order of ``entries``)."""
    shutil.copyfile(kept_from, path)
    with closing(_connect(path)) as db, db:
        old = dict(db.execute("SELECT id, ord FROM documents"))
        placed = _placed(entries, old)
        if placed is None:
            return False
        kept = {e["id"] for e in entries if isinstance(e, Brief)}
        db.executemany("DELETE FROM documents WHERE id = ?",
                       ((doc_id,) for doc_id in old if doc_id not in kept))
        _insert(db, placed, slots)
    return True


def _placed(entries: list[dict], old: dict[str, int]) -> list[tuple[int, dict]] | None:
    """Return the ``ord`` of each entry that is not a kept row, between the kept rows
    before and after it; None when two of them have no room between them."""
    kept = {e["id"]: old.get(e["id"]) for e in entries if isinstance(e, Brief)}
    if None in kept.values():
        return None
    ords = gaps.between([e["id"] for e in entries], kept, ORD_GAP, start=-ORD_GAP)
    if ords is None:
        return None
    return [(ords[e["id"]], e) for e in entries if not isinstance(e, Brief)]


def _brief_values(entry: dict) -> list[str | None]:
    return [*(_text(entry.get(c)) for c in BRIEF[:-1]),
            json.dumps(entry.get("versions") or [], ensure_ascii=False)]


def number_key(number: object) -> str | None:
    """Return the form a 文号 is looked up by (国发〔2019〕5号 typed any common way)."""
    if not number:
        return None
    return normalize_number(str(number)) or str(number)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class CatalogueFile(Mapping[str, dict]):
    """A build's catalogue entries by id, in seed order, read from its catalogue file.

    ``catalogue[doc_id]`` reads one row; iterating reads every entry (``stats``, an update);
    ``summaries`` reads every document's summary columns once and keeps them.
    """

    def __init__(self, path: Path) -> None:
        # The open file stays readable when a retired build is deleted under a reader.
        self._db = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, dict | None] = OrderedDict()
        self._summaries: dict[str, dict] | None = None
        self._slots: dict[int, str] | None = None
        self._count = self._one("SELECT count(*) FROM documents", ())[0]

    def _one(self, sql: str, parameters: tuple) -> tuple | None:
        with self._lock:
            return self._db.execute(sql, parameters).fetchone()

    def _all(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    def __getitem__(self, doc_id: str) -> dict:
        with self._lock:
            if doc_id in self._recent:
                self._recent.move_to_end(doc_id)
                entry = self._recent[doc_id]
            else:
                row = self._db.execute("SELECT entry FROM documents WHERE id = ?",
                                       (doc_id,)).fetchone()
                entry = self._recent[doc_id] = json.loads(row[0]) if row else None
                if len(self._recent) > RECENT:
                    self._recent.popitem(last=False)
        if entry is None:
            raise KeyError(doc_id)
        return entry

    def __contains__(self, doc_id: object) -> bool:
        if self._summaries is not None:
            return doc_id in self._summaries
        return isinstance(doc_id, str) and self._one(
            "SELECT 1 FROM documents WHERE id = ?", (doc_id,)) is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return iter(self.summaries)

    def values(self):  # type: ignore[override]  # one query, not one per document
        return [json.loads(entry) for (entry,) in
                self._all("SELECT entry FROM documents ORDER BY ord")]

    def items(self):  # type: ignore[override]
        return [(entry["id"], entry) for entry in self.values()]

    @property
    def summaries(self) -> dict[str, dict]:
        """Every document's id, title, date, office, doc_type and number, by id in seed order
        (read once: 27,000 documents in about 30 ms)."""
        if self._summaries is None:
            rows = self._all(f"SELECT {', '.join(SUMMARY)} FROM documents ORDER BY ord")
            self._summaries = {row[0]: dict(zip(SUMMARY, row)) for row in rows}
        return self._summaries

    def summaries_of(self, doc_ids: Collection[str]) -> dict[str, dict]:
        """The summaries of ``doc_ids`` (the known ones): read by id when they are few
        (135 documents at 1M passages in 2 ms, against 0.15 s for every summary)."""
        if self._summaries is not None or len(doc_ids) > SOME:
            return {doc_id: self.summaries[doc_id] for doc_id in doc_ids
                    if doc_id in self.summaries}
        rows = self._in(", ".join(SUMMARY), "id", list(doc_ids))
        return {row[0]: dict(zip(SUMMARY, row)) for row in rows}

    def ids_at(self, slots: Collection[int]) -> dict[int, str]:
        """The ids of the documents at ``slots`` (the known ones), by slot: read by slot
        when they are few, else every slot is read once and kept."""
        if self._slots is None and len(slots) > SOME:
            self._slots = dict(self._all("SELECT slot, id FROM documents"))
        if self._slots is not None:
            return {slot: self._slots[slot] for slot in slots if slot in self._slots}
        return dict(self._in("slot, id", "slot", list(slots)))

    def _in(self, columns: str, key: str, values: list) -> list[tuple]:
        """Return the rows whose ``key`` is one of ``values`` (bound _PARAMETERS at a time)."""
        return [row for start in range(0, len(values), _PARAMETERS)
                for row in self._all(
                    f"SELECT {columns} FROM documents WHERE {key} IN "
                    f"({', '.join('?' * len(values[start:start + _PARAMETERS]))})",
                    tuple(values[start:start + _PARAMETERS]))]

    def briefs(self) -> list[Brief]:
        """Every document's BRIEF columns, in seed order (what an update reads)."""
        rows = self._all(f"SELECT {_COLUMNS} FROM documents ORDER BY ord")
        # One JSON array of every document's versions: one decode, not one per document.
        versions = json.loads(f"[{','.join(row[-1] for row in rows)}]")
        return [Brief(zip(BRIEF, (*row[:-1], listed))) for row, listed in zip(rows, versions)]

    def numbered(self, number: str) -> list[str]:
        """Return the ids of the documents whose 文号 is ``number`` in any common form."""
        return [doc_id for (doc_id,) in self._all(
            "SELECT id FROM documents WHERE number_key = ? ORDER BY ord", (number_key(number),))]

    def close(self) -> None:
        self._db.close()
