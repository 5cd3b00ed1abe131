"""Normalization for matching, with a map back to the text the reader sees."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.normalize import fold, normalize


@pytest.mark.parametrize("original, normalized", [
    ("专利质押", "专利质押"),
    # Full-width letters, digits and punctuation fold to half-width (NFKC).
    ("ＡＢＣ１２３", "abc123"),
    ("２５．３７亿元", "25.37亿元"),
    ("（一）", "(一)"),
    ("１＋７＋Ｎ", "1+7+n"),
    # Traditional characters become Simplified.
    ("專利質押", "专利质押"),
    ("國家知識產權局", "国家知识产权局"),
    ("臺灣", "台湾"),
    ("薴麻", "苎麻"),  # a chain in OpenCC's table: 薴 -> 苧 -> 苎
    ("苧麻", "苎麻"),
    # Latin is lower-cased.
    ("Hello WORLD", "hello world"),
    ("IPC", "ipc"),
    # Zero-width characters and soft hyphens disappear.
    ("专\u200b利", "专利"),
    ("质\u200c押\u200d融\u2060资\ufeff", "质押融资"),
    ("co\u00adoperation", "cooperation"),
    # One character can fold to several.
    ("ﬁ", "fi"),
    ("Ⅷ", "viii"),
    ("㈠", "(一)"),
])
def test_normalize(original, normalized):
    assert normalize(original).text == normalized
    assert fold(original) == normalized


@pytest.mark.parametrize("original, start, end, mapped", [
    ("专利质押", 2, 4, (2, 4)),
    ("专\u200b利质押", 0, 2, (0, 3)),       # 专利 spans the zero-width space
    ("专\u200b利质押", 2, 4, (3, 5)),       # 质押 sits after it
    ("ﬁ专利", 2, 4, (1, 3)),                # fi is one character of the original
    ("ﬁ专利", 0, 1, (0, 1)),
    ("Ⅷ号文件", 0, 4, (0, 1)),
    ("專利質押", 0, 4, (0, 4)),
])
def test_span_maps_a_match_back_to_the_original_text(original, start, end, mapped):
    assert normalize(original).span(start, end) == mapped


def test_the_reader_sees_the_original_characters_of_a_match():
    original = "办理專利質\u200b押贷款"
    norm = normalize(original)
    start = norm.text.index("专利质押")
    begin, end = norm.span(start, start + 4)
    assert original[begin:end] == "專利質\u200b押"


def _aligned(origin: list[int], index: int) -> bool:
    """Tell whether a normalized index starts a whole original character's output."""
    return index in (0, len(origin)) or origin[index] != origin[index - 1]


TEXT = st.text(
    st.one_of(
        st.sampled_from("專利質押國家知識產權局专利质押ＡＢＣ１２３ＩＰabcİﬁⅧ㈠（）． \u200b\u200d\u00ad\ufeff"),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


@given(TEXT, st.data())
def test_every_normalized_slice_maps_back_to_an_original_slice_that_folds_to_it(text, data):
    norm = normalize(text)
    origin = norm.origin if norm.origin is not None else list(range(len(norm.text)))
    assert len(origin) == len(norm.text)
    if not norm.text:
        return
    start = data.draw(st.integers(0, len(norm.text) - 1))
    end = data.draw(st.integers(start + 1, len(norm.text)))
    if not (_aligned(origin, start) and _aligned(origin, end)):
        return
    begin, stop = norm.span(start, end)
    assert 0 <= begin < stop <= len(text)
    assert fold(text[begin:stop]) == norm.text[start:end]


@given(TEXT)
def test_normalizing_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once
