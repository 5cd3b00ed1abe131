"""Documents: read seed files of every format into their structure and metadata.

seeds/ -> a reader per format (text, markdown, html, pdf, docx) -> metadata -> structure
(passages) -> identity (readable ids) -> Documents.

The names below load on first use: a query needs only :mod:`search.documents.numbering`,
and should not pay for the readers and their libraries.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Block": "model", "CorpusError": "model", "Document": "model", "Extract": "model",
    "Metadata": "model", "Passage": "model",
    "documents": "corpus", "parse_document": "corpus", "read_corpus": "corpus", "walk": "corpus",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"search.documents.{_EXPORTS[name]}"), name)
