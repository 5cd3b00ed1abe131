"""Suggestions as a person types: titles, 文号 and dictionary terms that fit the typed text.

Built once per index build from its catalogue and its pinyin table (the terms of the user
dictionary, the corpus's “” terms and 《》 titles); each lookup is a binary search for
the prefix plus a scan for the middle of a word that stops after a bounded number of
candidates, so what is typed never costs more than that.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from search.normalize import fold

#: Suggestions returned for one typed text.
MAX_SUGGESTIONS = 8
#: Typed text longer than this gets no suggestions (a sentence is not completed).
MAX_TYPED = 40
#: Words of the index's vocabulary that are offered: not single characters nor phrases.
MIN_WORD, MAX_WORD = 2, 8
#: Entries a "contains" scan looks at, at most, for one typed text.
MAX_SCANNED = 20000
#: 〔2019〕, [2019], 【2019】, (2019) and 2019年 are one 文号 to a person typing it.
_NUMBER_MARKS = str.maketrans("", "", "〔〕[]【】()（）［］﹝﹞年号 ")


@dataclass(frozen=True)
class Suggestion:
    """A completion of the typed text and what it is (标题, 文号 or 词语)."""

    text: str
    kind: str


def _number_key(text: str) -> str:
    return fold(text).translate(_NUMBER_MARKS)


class Suggester:
    """The completions of one index build, sorted for prefix lookups."""

    def __init__(self, titles: list[str], numbers: list[str], terms: list[str],
                 spellings: dict[str, list[str]], words: list[str] = ()) -> None:
        """``words`` are the index's own, already folded as the index folds its text."""
        # Titles first, then 文号, then terms: a person typing 劳动合同 wants the law first.
        entries: dict[str, Suggestion] = {}
        for kind, texts in (("标题", titles), ("文号", numbers), ("词语", terms)):
            for text in texts:
                entries.setdefault(text, Suggestion(text, kind))
        folded = len(entries)  # the index's words need no folding: 1.35 s -> 1.13 s for 60,000
        for text in words:
            entries.setdefault(text, Suggestion(text, "词语"))
        self._rank = {text: n for n, text in enumerate(entries)}
        self._entries = list(entries.values())
        keyed = [(fold(s.text) if n < folded else s.text, n) for n, s in enumerate(self._entries)]
        keyed += [(_number_key(s.text), n) for n, s in enumerate(self._entries) if s.kind == "文号"]
        self._keys = sorted(keyed)
        self._documents = [(k, n) for k, n in self._keys if self._entries[n].kind != "词语"]
        self._spellings = sorted(spellings.items())

    @classmethod
    def from_index(cls, documents: dict[str, dict], spellings: dict[str, list[str]],
                   vocabulary: dict[str, int]) -> "Suggester":
        """Build from an index's catalogue, pinyin table and query vocabulary (word: frequency)."""
        titles = sorted({d["title"] for d in documents.values() if d.get("title")})
        numbers = sorted({d["number"] for d in documents.values() if d.get("number")})
        # The domain's terms before the other words of the index, the commonest first.
        terms = sorted({term for spelled in spellings.values() for term in spelled},
                       key=lambda term: (len(term), term))
        words = sorted((word for word, count in vocabulary.items()
                        if count and MIN_WORD <= len(word) <= MAX_WORD),
                       key=lambda word: (-vocabulary[word], word))
        return cls(titles, numbers, terms, spellings, words)

    def suggest(self, typed: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        """Return up to ``limit`` completions of the last word of ``typed``, best first."""
        head, _, word = typed.rstrip().rpartition(" ") if " " in typed.strip() else ("", "", typed)
        word = word.strip()
        if not word or len(typed) > MAX_TYPED:
            return []
        key = fold(word)
        if head.strip():  # 专利 质 -> 专利 质押: the last word is completed with words only
            return self._words(head.strip(), key, limit)
        # Entries are numbered titles, then 文号, then terms: sorting by number ranks them so.
        starting = sorted({*self._starting(key), *self._starting(_number_key(word))})
        documents = [n for n in starting if self._entries[n].kind != "词语"]
        # A title that holds the words (劳动合同 -> 上海市劳动合同条例) before other words.
        documents += [n for n in self._containing(key, self._documents) if n not in documents]
        found = [*documents[: limit // 2], *starting, *self._spelled(key.lower())]
        if len(set(found)) < limit and len(key) >= 2:  # one character is in too many entries
            found += self._containing(key, self._keys)
        found = [n for n in dict.fromkeys(found) if fold(self._entries[n].text) != key]
        return [self._entries[n] for n in found[:limit]]

    def _words(self, head: str, key: str, limit: int) -> list[Suggestion]:
        found = [n for n in sorted(self._starting(key)) if self._entries[n].kind == "词语"]
        return [Suggestion(f"{head} {self._entries[n].text}", "词语") for n in found[:limit]]

    def _starting(self, key: str) -> list[int]:
        if not key:
            return []
        start = bisect.bisect_left(self._keys, (key, -1))
        found = []
        for folded, n in self._keys[start:start + MAX_SCANNED]:
            if not folded.startswith(key):
                break
            found.append(n)
        return found

    def _spelled(self, key: str) -> list[int]:
        """Return the terms whose pinyin or initials start with a word typed in Latin letters."""
        if not re.fullmatch("[a-z]{2,40}", key):
            return []
        start = bisect.bisect_left(self._spellings, (key, []))
        found = []
        for spelling, terms in self._spellings[start:start + MAX_SCANNED]:
            if not spelling.startswith(key):
                break
            found += [self._rank[term] for term in terms if term in self._rank]
        return found

    @staticmethod
    def _containing(key: str, keys: list[tuple[str, int]]) -> list[int]:
        return [n for folded, n in keys[:MAX_SCANNED] if key in folded]
