"""A build's word dictionary in an SQLite file, read a word at a time.

An update cuts its new documents with the dictionary the build was cut with: jieba's
dictionary plus the shipped and corpus terms. Loading it whole takes 0.6-0.7 s (500,000
words and prefixes, unmarshalled), a third of what changing one document of a million
passages cost. So a build large enough to want fast updates writes its final
dictionary here, and an update of a few documents reads only the words and prefixes its
new text asks for: cutting a sentence only ever looks up its own substrings, so the
words come out as with the dictionary loaded whole.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from search.lifecycle import read_only_uri

#: Characters a full build indexes from which it writes its dictionary file (9 MB, 0.6 s
#: to write; a small library's updates take about a second anyway).
WRITE_FROM = 300_000
#: New characters an update cuts below which it reads the dictionary file word by word.
#: Cutting 200,000 characters of laws took 0.7 s so, 0.5 s with the dictionary loaded whole
#: after 1.2 s of loading; text with more distinct words reads more of the file.
READ_BELOW = 200_000


def write(path: Path, freq: Mapping[str, int], total: int) -> None:
    """Write the dictionary ``freq`` (word or prefix -> frequency, 0 for a prefix that is
    no word) and its ``total`` as the file at ``path``."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as db:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) "
                   "WITHOUT ROWID")
        db.execute("CREATE TABLE total (total INTEGER NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", sorted(freq.items()))
        db.execute("INSERT INTO total VALUES (?)", (total,))
    db.close()
    os.replace(partial, path)


class DictionaryFile(Mapping[str, int]):
    """A dictionary file as a read-only mapping of word -> frequency, with its ``total``.

    Each word is read once and remembered, found or not."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        try:
            self.total: int = self._db.execute("SELECT total FROM total").fetchone()[0]
        except (sqlite3.Error, TypeError) as error:
            self._db.close()
            raise ValueError(f"{path} is not a dictionary file: {error}") from error
        self._known: dict[str, int | None] = {}

    def get(self, word: str, default=None):
        try:
            freq = self._known[word]
        except KeyError:
            with self._lock:
                row = self._db.execute("SELECT freq FROM words WHERE word = ?",
                                       (word,)).fetchone()
            freq = self._known[word] = None if row is None else row[0]
        return default if freq is None else freq

    def __getitem__(self, word: str) -> int:
        freq = self.get(word)
        if freq is None:
            raise KeyError(word)
        return freq

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            words = [word for (word,) in self._db.execute("SELECT word FROM words ORDER BY word")]
        return iter(words)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM words").fetchone()[0]

    def close(self) -> None:
        self._db.close()
