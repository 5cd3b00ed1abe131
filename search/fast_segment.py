"""The build's fast path for segmentation: jieba-rs (rjieba) over our own dictionary.

A build cuts every CJK run of the corpus; :class:`search.segment.Segmenter` does it in
Python, jieba-rs about ten times faster, with the same dictionary, frequencies and total,
so the same words (tests/test_fast_segment.py compares both on real and random text).
Queries keep the Python segmenter: it loads the index's small vocabulary in milliseconds,
where importing rjieba alone takes 0.2 s.
"""

from __future__ import annotations

from search.segment import Segmenter

#: Characters to index below which the Python segmenter finishes before jieba-rs has
#: loaded the dictionary (0.4-0.6 s; it saves about 1.5 s per million characters).
FAST_SEGMENTER_CHARACTERS = 300_000

#: A dictionary word that no CJK run contains: it carries the part of the total that no
#: word's frequency accounts for (see FastSegmenter.__init__).
_SURPLUS_WORD = "\x00"


class FastSegmenter(Segmenter):
    """Cut CJK runs with jieba-rs: the same cut as :class:`Segmenter` over the same dictionary."""

    def __init__(self, freq: dict[str, int], total: int) -> None:
        import rjieba  # 0.2 s (it loads its own dictionary too): only a build that cuts pays it

        super().__init__(freq, total)
        self._jieba = rjieba.Jieba.empty()
        for word, count in freq.items():
            if count:  # a prefix of a word, not a word
                self._jieba.add_word(word, count, None)
        # jieba's total also counts dict.txt's duplicate lines and the old frequency of each
        # word add_word() replaced; jieba-rs divides by the sum of the frequencies it holds.
        surplus = total - sum(freq.values())
        if surplus < 0:
            raise ValueError(f"total {total} is below the sum of the frequencies")
        if surplus:
            self._jieba.add_word(_SURPLUS_WORD, surplus, None)
        # Keyed by words of 3+ characters that cut() returned: dictionary words, so bounded.
        self._subwords: dict[str, list[tuple[int, str]]] = {}

    def cut(self, sentence: str) -> list[str]:
        """Return the most probable segmentation of a CJK run (precise mode, no HMM)."""
        return self._jieba.cut(sentence, False)

    def subwords(self, word: str) -> list[tuple[int, str]]:
        """Return (offset, word) for every dictionary word of 2+ characters inside ``word``."""
        if len(word) < 3:
            return []
        found = self._subwords.get(word)
        if found is None:
            found = self._subwords[word] = super().subwords(word)
        return found
