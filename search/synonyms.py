"""Lay terms and abbreviations, and the words the texts use for them (data/synonyms.txt).

社保 is searched as 社会保险 too, 个税 as 个人所得税: at query time only, shown to the
user, and a passage with the text word alone never outranks one with the term typed
(see search.evaluate.EXPANSION_WEIGHT).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from search.normalize import fold


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, ...]]:
    """Return each lay term (normalized) with the text words it also means."""
    text = resources.files("search").joinpath("data/synonyms.txt").read_text(encoding="utf-8")
    found: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        term, _, targets = line.partition("=")
        words = tuple(dict.fromkeys(w.strip() for w in targets.split(",") if w.strip()))
        term = fold(term.strip())
        found[term] = tuple(w for w in words if fold(w) != term)
    return found


def expansions(word: str) -> tuple[str, ...]:
    """Return the text words a typed word also means (none for most words)."""
    return table().get(fold(word), ())


def terms_in(text: str) -> list[str]:
    """Return the lay terms written in ``text`` (a sentence), longest first, not overlapping."""
    folded = fold(text)
    found: list[tuple[int, int, str]] = []
    for term in sorted(table(), key=len, reverse=True):
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, term))
            start = folded.find(term, start + 1)
    return [term for _, _, term in sorted(found)]
