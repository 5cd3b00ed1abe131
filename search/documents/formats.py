"""Which reader reads which file: one reader per format behind one interface."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from search.documents.decode import decode
from search.documents.model import CorpusError, Extract

Reader = Callable[[bytes, Path], Extract]

#: suffix -> format name
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".docx": "docx"}
#: Formats people have but that no maintained Python library reads well: say what to do.
UNSUPPORTED = {
    ".doc": "old Word .doc is not supported: save it as .docx or PDF",
    ".wps": "WPS .wps is not supported: save it as .docx or PDF",
    ".ofd": "OFD is not supported: export it as PDF (with a text layer) or .docx",
}


_SUFFIXES = frozenset(FORMATS) | frozenset(UNSUPPORTED)


def is_seed(path: Path | str) -> bool:
    """Tell whether a file in the seed folder is a document to read (or to name as unsupported)."""
    # The suffix as os.path.splitext() finds it, without its call (26,863 names: 17 -> 6 ms).
    name = os.fspath(path).rpartition("/")[2].lstrip(".")
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in _SUFFIXES


def format_of(path: Path) -> str:
    """Return the format name of a seed file (txt, md, html, pdf, docx)."""
    return FORMATS[path.suffix.lower()]


def _text_reader(read: Callable[[str, Path], Extract]) -> Reader:
    return lambda raw, path: read(decode(raw, path), path)


def reader_for(path: Path) -> Reader:
    """Return the reader of a seed file; raise CorpusError for an unsupported format."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise CorpusError(path, UNSUPPORTED[suffix])
    name = FORMATS.get(suffix)
    # Readers import their libraries only when a file of their format turns up.
    if name == "txt":
        from search.documents import text
        return _text_reader(text.read)
    if name == "md":
        from search.documents import markdown
        return _text_reader(markdown.read)
    if name == "html":
        from search.documents import html
        return _text_reader(html.read)
    if name == "pdf":
        from search.documents import pdf
        return pdf.read
    if name == "docx":
        from search.documents import docx
        return docx.read
    raise CorpusError(path, f"not a document format policy-search reads ({path.suffix or 'no suffix'})")
