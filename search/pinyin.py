"""Pinyin and initials of the terms people look up: zhibaodai and zbd find 智保贷.

The index build spells out its dictionary terms (the shipped user dictionary, the corpus's
“” terms and 《》 titles) and its documents' short titles with pypinyin, and keeps the
spellings beside the index; a query word typed in Latin letters that is such a spelling is
also searched as the terms it spells (shown to the user like a lay term's expansion).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from search.apart import FAILED, Apart

#: A spelling that fits more terms than this (initials such as zs) is too vague to search.
MAX_TERMS = 5
#: How long an update waits for the child spelling its new terms before it spells them itself.
CHILD_SECONDS = 60
_SPELLING_RE = re.compile("^[a-z]{2,40}$")
_CJK_RE = re.compile(r"^[\u3400-\u9fff]{2,20}$")


def spellings(term: str) -> tuple[str, str]:
    """Return a term's full pinyin without tones and its initials (智保贷 -> zhibaodai, zbd)."""
    from pypinyin import lazy_pinyin  # 0.15 s to import: only while building

    # The initials are the syllables' first letters: what Style.FIRST_LETTER gives (0 of
    # 19,347 jieba words differ), for half the time of a second lazy_pinyin() call.
    syllables = lazy_pinyin(term)
    return "".join(syllables), "".join(syllable[:1] for syllable in syllables)


def spelled_terms(terms: Iterable[str], known: dict[str, list[str]] | None = None
                  ) -> dict[str, list[str]]:
    """Return each CJK term of 2-20 characters with its spellings (full, then initials),
    those of a term in ``known`` (what the build before spelled) taken from there: an
    update imports pypinyin only for a term it has not seen."""
    known = known or {}
    return {term: known.get(term) or list(dict.fromkeys(spellings(term)))
            for term in dict.fromkeys(terms) if _CJK_RE.match(term)}


def spelled_apart(terms: Iterable[str], known: dict[str, list[str]]
                  ) -> Callable[[], dict[str, list[str]]]:
    """Start spelling the ``terms`` not in ``known`` in a child process, and return what
    gives their spellings when they are needed: importing pypinyin takes an update 0.15 s,
    which the child spends while the update writes its segment and catalogue (2 cores).
    What the child could not spell is missing: spelled_terms() spells it then."""
    new = [term for term in dict.fromkeys(terms) if term not in known and _CJK_RE.match(term)]
    if not new:
        return lambda: {}
    child = Apart(spelled_terms, new, seconds=CHILD_SECONDS)
    return lambda: {} if (found := child.result()) is FAILED else found


def table(spelled: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return each spelling with the terms it spells, from ``spelled_terms()``."""
    found: dict[str, list[str]] = {}
    for term, spelled_as in spelled.items():
        for spelling in spelled_as:
            found.setdefault(spelling, []).append(term)
    return {spelling: terms for spelling, terms in found.items() if len(terms) <= MAX_TERMS}


def save(spelled: dict[str, list[str]], path: Path) -> None:
    """Write the spellings beside the index."""
    path.write_text(json.dumps(spelled, ensure_ascii=False), encoding="utf-8")


def load(path: Path) -> dict[str, list[str]]:
    """Read the spellings of an index (none for an index built before they were kept)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def spelled(word: str, spellings_of_index: dict[str, list[str]]) -> tuple[str, ...]:
    """Return the terms a word typed in Latin letters spells, if it is such a spelling."""
    word = word.lower()
    return tuple(spellings_of_index.get(word, ())) if _SPELLING_RE.match(word) else ()
