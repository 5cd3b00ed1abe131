"""Normalize text for matching (never for display), keeping a map back to the original.

NFKC folds full-width letters, digits and punctuation; Latin is lower-cased;
Traditional characters become Simplified one character at a time (so offsets
survive); zero-width characters disappear; Chinese numerals that stand for a number
become Arabic digits (三年 -> 3年, see :mod:`search.numerals`).
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from search.numerals import replacements

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
_NUMERAL_RE = re.compile("[零〇○一二三四五六七八九十百千两]")


class Normalized(NamedTuple):
    """Normalized text and, per character, its index in the original text."""

    text: str
    origin: list[int] | None  # None: the identity map (the common case)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text back to the original text."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> dict[str, str]:
    """Read OpenCC's one-character Traditional->Simplified table."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the opencc-python-reimplemented package is not installed")
    table = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "TSCharacters.txt"
    mapping = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            mapping[source] = target
    # Follow chains (薴 -> 苧 -> 苎) so that folding twice changes nothing.
    return {source: mapping.get(target, target) for source, target in mapping.items()}


class _Table(dict):
    """A str.translate table that fills itself in on first sight of a character."""

    def __missing__(self, codepoint: int) -> int | str | None:
        char = chr(codepoint)
        if char in ZERO_WIDTH:
            value: int | str | None = None
        else:
            folded = unicodedata.normalize("NFKC", char).lower()
            t2s = _traditional_to_simplified()
            folded = "".join(t2s.get(c, c) for c in folded)
            value = ord(folded) if len(folded) == 1 else folded
        self[codepoint] = value
        return value


_TABLE = _Table()


def _folded(text: str) -> Normalized:
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and not _ZERO_WIDTH_RE.search(text):
        return Normalized(folded, None)
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = char.translate(_TABLE)
        out.append(piece)
        origin.extend([index] * len(piece))
    return Normalized("".join(out), origin)


def normalize(text: str, numbers: bool = True) -> Normalized:
    """Fold text for matching; the result maps each character back to ``text``.

    ``numbers``: also write numerals that stand for numbers in Arabic digits (the words
    field); the character grams keep them as written, so every substring stays findable.
    """
    norm = _folded(text)
    found = replacements(norm.text) if numbers and _NUMERAL_RE.search(norm.text) else []
    if not found:
        return norm
    origin = norm.origin if norm.origin is not None else list(range(len(norm.text)))
    out: list[str] = []
    mapped: list[int] = []
    cursor = 0
    for start, end, arabic in found:
        out.append(norm.text[cursor:start])
        mapped.extend(origin[cursor:start])
        out.append(arabic)
        # Every digit points at the numeral's start, the last at its end: a match of the
        # whole number marks the whole numeral as written.
        mapped.extend([origin[start]] * (len(arabic) - 1) + [origin[end - 1]])
        cursor = end
    out.append(norm.text[cursor:])
    mapped.extend(origin[cursor:])
    return Normalized("".join(out), mapped)


def fold(text: str, numbers: bool = True) -> str:
    """Return only the normalized text."""
    return normalize(text, numbers).text
