"""Chinese analysis: the word field's tokens and the character-gram field's tokens.

Both work on normalized text (see :mod:`search.normalize`) and report character
offsets in the original text, so highlighting marks what the reader sees.

* Word tokens: jieba-style precise segmentation with sequential positions. In index
  mode every dictionary word inside a longer word is emitted at the same position,
  so the query 知识产权 finds 国家知识产权局. Latin words and numbers stay whole
  (25.37, 12330, 1+7+n); in index mode their parts are emitted too.
* Character grams: every character (unigram) and every pair of neighbouring
  characters (bigram) at position = character index, whitespace skipped, so any
  verbatim substring is a phrase of bigrams.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from search.normalize import normalize
from search.segment import Segmenter

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_SEPARATORS = ".+\\-_/&"
_RUN_RE = re.compile(f"([{_CJK}]+)|([0-9a-z]+(?:[{_LATIN_SEPARATORS}][0-9a-z]+)*)")
_LATIN_PART_RE = re.compile("[0-9a-z]+")
_NON_SPACE_RE = re.compile(r"\S+")

INDEX, QUERY = "index", "query"


class Term(NamedTuple):
    """One token: its text, position and span in the original text."""

    text: str
    pos: int
    start: int
    end: int


def word_terms(text: str, segmenter: Segmenter, mode: str = INDEX) -> Iterator[Term]:
    """Yield the word tokens of ``text`` (``mode`` is INDEX or QUERY)."""
    norm = normalize(text)
    pos = 0
    for run in _RUN_RE.finditer(norm.text):
        cjk, latin = run.groups()
        if cjk:
            offset = run.start()
            for word in segmenter.cut(cjk):
                yield Term(word, pos, *norm.span(offset, offset + len(word)))
                if mode == INDEX:
                    for inner, sub in segmenter.subwords(word):
                        start = offset + inner
                        yield Term(sub, pos, *norm.span(start, start + len(sub)))
                pos += 1
                offset += len(word)
        else:
            yield Term(latin, pos, *norm.span(run.start(), run.end()))
            if mode == INDEX and _LATIN_PART_RE.fullmatch(latin) is None:
                for part in _LATIN_PART_RE.finditer(latin):
                    start = run.start() + part.start()
                    yield Term(part.group(), pos, *norm.span(start, start + len(part.group())))
            pos += 1


def gram_terms(text: str) -> Iterator[Term]:
    """Yield every character and every neighbouring pair of characters of ``text``."""
    norm = normalize(text, numbers=False)
    chars: list[tuple[int, str]] = []
    for run in _NON_SPACE_RE.finditer(norm.text):
        chars.extend(enumerate(run.group(), run.start()))
    for pos, (index, char) in enumerate(chars):
        start, end = norm.span(index, index + 1)
        yield Term(char, pos, start, end)
        if pos + 1 < len(chars):
            next_index, next_char = chars[pos + 1]
            yield Term(char + next_char, pos, start, norm.span(next_index, next_index + 1)[1])


def gram_positions(text: str) -> dict[str, list[int]]:
    """Return every gram of ``text`` with its positions: what gram_terms() yields, grouped."""
    chars = "".join(_NON_SPACE_RE.findall(normalize(text, numbers=False).text))
    found: dict[str, list[int]] = {}
    for grams in (chars, map(str.__add__, chars, chars[1:])):
        for pos, gram in enumerate(grams):
            positions = found.get(gram)
            if positions is None:
                found[gram] = [pos]
            else:
                positions.append(pos)
    return found


def query_grams(text: str) -> list[str]:
    """Return the gram terms whose consecutive positions spell ``text`` verbatim."""
    chars = "".join(_NON_SPACE_RE.findall(normalize(text, numbers=False).text))
    if len(chars) == 1:
        return [chars]
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


# The index build installs its segmenter here; whoosh's multiprocessing writer forks,
# so the workers inherit it (the schema itself is pickled without it).
_index_segmenter: Segmenter | None = None


def use_segmenter(segmenter: Segmenter | None) -> None:
    """Install the segmenter that the word field's analyzer uses while indexing."""
    global _index_segmenter
    _index_segmenter = segmenter


def installed_segmenter() -> Segmenter:
    """Return the segmenter installed for indexing; raise RuntimeError when there is none."""
    if _index_segmenter is None:
        raise RuntimeError("no segmenter installed: call search.analysis.use_segmenter() first")
    return _index_segmenter


class _TermTokenizer(Tokenizer):
    """Adapt a Term generator to whoosh's Token protocol."""

    def terms(self, value: str) -> Iterator[Term]:
        raise NotImplementedError

    def positions(self, value: str) -> dict[str, list[int]]:
        """Return each term's positions, in order, as whoosh's Format.word_values() collects them."""
        found: dict[str, list[int]] = {}
        for term in self.terms(value):
            positions = found.get(term.text)
            if positions is None:
                found[term.text] = [term.pos]
            else:
                positions.append(term.pos)
        return found

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term in self.terms(value):
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term.text
            if positions:
                token.pos = start_pos + term.pos
            if chars:
                token.startchar = start_char + term.start
                token.endchar = start_char + term.end
            yield token


class WordTokenizer(_TermTokenizer):
    """Index-mode word tokens, segmented with the installed domain dictionary."""

    def terms(self, value: str) -> Iterator[Term]:
        return word_terms(value, installed_segmenter(), INDEX)


class GramTokenizer(_TermTokenizer):
    """Character unigrams and bigrams."""

    def terms(self, value: str) -> Iterator[Term]:
        return gram_terms(value)

    def positions(self, value: str) -> dict[str, list[int]]:
        return gram_positions(value)


class TermText(TEXT):
    """A TEXT field that indexes its tokenizer's term positions without whoosh's Token objects.

    whoosh's Format.word_values() pulls every token through the analyzer one mutable Token
    at a time; grouping the positions directly gives the same postings in less time.
    """

    def index(self, value, **kwargs):
        fmt = self.format
        if not (isinstance(self.analyzer, _TermTokenizer) and isinstance(value, str)
                and type(fmt) in (Positions, Frequency)):
            yield from super().index(value, **kwargs)
            return
        boost = fmt.field_boost
        with_positions = type(fmt) is Positions
        for text, positions in self.analyzer.positions(value).items():
            count = len(positions)
            # The (bytes, frequency, weight, value) that Positions/Frequency.word_values() give.
            yield (text.encode("utf-8"), count, float(count) * boost,
                   fmt.encode(positions) if with_positions else pack_uint(count))
