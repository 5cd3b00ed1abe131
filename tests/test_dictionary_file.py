"""A build's dictionary read a word at a time (search/dictionary_file.py) cuts text into
the same words as the dictionary loaded whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.dictionary import corpus_terms, index_segmenter
from search.dictionary_file import DictionaryFile, write
from search.segment import Segmenter
from tests.conftest import SEEDS

LAWS = Path(__file__).parent / "fixtures/relevance/seeds/laws"
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _texts() -> list[str]:
    """The seed notice and the fixture laws: real text, with 《》 titles for the dictionary."""
    return [SEEDS.joinpath("tianjin-ip-2017.txt").read_text("utf-8"),
            *(path.read_text("utf-8") for path in sorted(LAWS.rglob("*.md")))]


@pytest.fixture(scope="module")
def segmenters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Segmenter, Segmenter]:
    """The index segmenter loaded whole, and the same dictionary read from its file."""
    full = index_segmenter(corpus_terms(_texts()))
    path = tmp_path_factory.mktemp("dictionary") / "dictionary.sqlite"
    write(path, full.freq, full.total)
    words = DictionaryFile(path)
    yield full, Segmenter(words, words.total)
    words.close()


def test_the_file_holds_every_word_and_prefix_and_the_total(segmenters) -> None:
    full, read = segmenters
    assert read.total == full.total
    assert len(read.freq) == len(full.freq)
    for word in ["知识产权", "知识产", "中华人民共和国", "的", "量子引力场", "xyz", ""]:
        assert (word in read.freq) == (word in full.freq)
        assert read.freq.get(word, -1) == full.freq.get(word, -1)
    assert any(count == 0 for count in map(read.freq.get, ["知识产", "中华人民共"]))  # prefixes


def test_text_is_cut_into_the_words_the_whole_dictionary_gives(segmenters) -> None:
    full, read = segmenters
    runs = [run for text in _texts() for run in _CJK_RUN.findall(text)]
    assert sum(map(len, runs)) > 20_000
    assert [read.cut(run) for run in runs] == [full.cut(run) for run in runs]
    words = {word for run in runs for word in full.cut(run)}
    assert [read.subwords(word) for word in sorted(words)] == \
        [full.subwords(word) for word in sorted(words)]


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.sqlite"
    path.write_bytes(b"not a dictionary" * 100)
    with pytest.raises(ValueError, match="not a dictionary file"):
        DictionaryFile(path)
