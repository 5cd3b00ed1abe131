"""Read a seed folder: find the files, read each with its format's reader, parse, name them.

One bad file never stops the rest: an unreadable file or folder, a file name that is not
valid UTF-8, a dangling symlink or a symlink loop, an unsupported format, a scanned PDF, an
empty document: each becomes a CorpusError naming the file and the reason.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from search.documents import formats, identity, structure, versions
from search.documents.model import CorpusError, Document, Extract


@dataclass(frozen=True)
class SeedFile:
    """A file under the seed folder that is meant to be read (or named as unreadable)."""

    path: Path
    name: str  # relative to the seed folder, '/'-separated


def walk(seeds: Path) -> tuple[list[SeedFile], list[CorpusError]]:
    """Return the seed files in a stable order, and the folders and names that cannot be read."""
    found: list[SeedFile] = []
    errors: list[CorpusError] = []

    def folder_error(error: OSError) -> None:
        errors.append(CorpusError(_shown(Path(error.filename or seeds)),
                                  f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(seeds, onerror=folder_error):
        dirs.sort()
        base = Path(folder)
        # Each file's name under the seed folder, without a relative_to() per file.
        prefix = base.relative_to(seeds).as_posix() + "/"
        prefix = "" if prefix == "./" else prefix
        for file_name in sorted(files):
            path = base / file_name
            if file_name.startswith(".") or not formats.is_seed(path):
                continue
            try:
                file_name.encode("utf-8")
            except UnicodeEncodeError:
                errors.append(CorpusError(_shown(path), "the file name is not valid UTF-8: rename it"))
                continue
            found.append(SeedFile(path, prefix + file_name))
    return found, errors


def _shown(path: Path) -> str:
    """Return a path as it can be printed, undecodable bytes escaped."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_bytes(path: Path) -> bytes:
    """Read a seed file; raise CorpusError for a dangling symlink, a loop or no permission."""
    try:
        return path.read_bytes()
    except OSError as error:
        if error.errno == errno.ENOENT and path.is_symlink():
            reason = "dangling symlink: its target does not exist"
        elif error.errno == errno.ELOOP:
            reason = "symlink loop"
        elif error.errno == errno.EISDIR:
            reason = "is a folder, not a file"
        else:
            reason = f"cannot read: {error.strerror}"
        raise CorpusError(path, reason) from error


def parse_document(path: Path, root: Path | None = None, doc_id: str | None = None) -> Document:
    """Read and parse one seed file; raise CorpusError when it cannot be read."""
    from search.documents.metadata import extract  # the metadata rules are read only to build

    reader = formats.reader_for(path)
    source: Extract = reader(read_bytes(path), path)
    name = path.relative_to(root).as_posix() if root else path.name
    folder = str(Path(name).parent) if root and "/" in name else None
    meta, body = extract(source, path, folder)
    doc_id = doc_id or identity.doc_id_for(path.stem)
    text, lines = structure.lines_of(body)
    passages = structure.passages(doc_id, meta.title, lines)
    if not passages:
        raise CorpusError(path, "empty after extraction: no text to index")
    return Document(doc_id, meta, formats.format_of(path), name, text, passages)


def documents(seeds: Path, on_error: Callable[[CorpusError], None] | None = None,
              ) -> Iterator[Document]:
    """Parse every seed file in order, one at a time; report the ones that fail."""
    files, errors = walk(seeds)
    for error in errors:
        if on_error:
            on_error(error)
    ids = identity.unique_ids(seed.path.stem for seed in files)
    for seed, doc_id in zip(files, ids):
        try:
            yield parse_document(seed.path, seeds, doc_id)
        except CorpusError as error:
            if on_error:
                on_error(error)


def read_corpus(seeds: Path) -> tuple[list[Document], list[CorpusError]]:
    """Parse every seed file; collect the ones that fail instead of stopping."""
    errors: list[CorpusError] = []
    found = list(documents(seeds, errors.append))
    return versions.linked(found), errors
