"""The domain dictionary: jieba's dictionary plus shipped and corpus-derived terms."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from importlib import resources

from search.segment import Segmenter

#: Terms in “” and titles in 《》 become dictionary words when they are pure CJK.
_QUOTED_RE = re.compile(r"“([^“”\n]{2,16})”|《([^《》\n]{2,30})》")
_CJK_ONLY_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def shipped_terms() -> list[str]:
    """Return the terms of the user dictionary shipped with the engine."""
    text = resources.files("search").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


def corpus_terms(texts: Iterable[str]) -> list[str]:
    """Return the quoted terms and titles found in the corpus, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _QUOTED_RE.finditer(text):
            term = match.group(1) or match.group(2)
            if _CJK_ONLY_RE.match(term):
                seen.setdefault(term, None)
    return list(seen)


def fingerprint() -> str:
    """Return a hash of the shipped dictionary (jieba itself is pinned in pyproject.toml)."""
    return hashlib.sha256("\n".join(shipped_terms()).encode()).hexdigest()[:16]


def index_segmenter(terms: Iterable[str], characters: int = 0) -> Segmenter:
    """Return a segmenter over jieba's full dictionary plus ``terms``, for cutting about
    ``characters`` of text: jieba-rs's when that repays loading it, else the Python one."""
    import jieba

    from search.fast_segment import FAST_SEGMENTER_CHARACTERS, FastSegmenter

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for term in [*shipped_terms(), *terms]:
        tokenizer.add_word(term)
    kind = FastSegmenter if characters >= FAST_SEGMENTER_CHARACTERS else Segmenter
    return kind(tokenizer.FREQ, tokenizer.total)


def query_segmenter(vocabulary: Iterable[str], full: Segmenter) -> Segmenter:
    """Return a small segmenter that knows only the words in the index."""
    words = {word: full.freq.get(word) or 1 for word in vocabulary if _CJK_ONLY_RE.match(word)}
    return Segmenter.from_words(words, full.total)
