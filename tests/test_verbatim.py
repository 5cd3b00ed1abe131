"""The positions check of a verbatim phrase: the batched decoder, the comparison and the
gram cover against the plain definition."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from search._whoosh.postings import position_deltas
from search.analysis import query_grams
from search.verbatim import covering, not_verbatim, verbatim

FORMAT = Positions()


def _encoded(positions: list[int]) -> bytes:
    return FORMAT.encode(positions)


@given(st.lists(st.lists(st.integers(0, 2 ** 31), min_size=1, max_size=40, unique=True)
                .map(sorted), max_size=30))
@settings(max_examples=150, deadline=None)
def test_many_postings_decode_as_whoosh_decodes_each(postings: list[list[int]]) -> None:
    decoded = position_deltas(FORMAT)([_encoded(positions) for positions in postings])
    assert [_summed(deltas) for deltas in decoded] == \
        [FORMAT.decode_positions(_encoded(positions)) for positions in postings]


def test_long_lists_and_unterminated_values_decode_too() -> None:
    long = list(range(0, 300_000, 7))  # pickled in several batches of 1,000 items
    values = [_encoded(long), _encoded([5]), _encoded([70_000, 70_001])[:-1]]  # no final "."
    decoded = position_deltas(FORMAT)(values)
    assert [_summed(deltas) for deltas in decoded] == [long, [5], [70_000, 70_001]]


def _summed(deltas: list[int]) -> list[int]:
    total, out = 0, []
    for delta in deltas:
        total += delta
        out.append(total)
    return out


def _grams(texts: dict[int, str], phrase: str) -> list[dict[int, tuple[float, bytes]]]:
    """Each bigram of ``phrase`` (in order) as postings over the passages ``texts``."""
    grams = query_grams(phrase)
    postings = {}
    for gram in set(grams):
        postings[gram] = {docnum: (1.0, _encoded([i for i in range(len(text) - 1)
                                                 if text[i:i + 2] == gram]))
                          for docnum, text in texts.items() if gram in text}
    return [postings[gram] for gram in grams]


def _random_texts(rng: random.Random, count: int, alphabet: str = "甲乙丙丁") -> dict[int, str]:
    return {docnum * 3 + 1: "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 200)))
            for docnum in range(count)}


@pytest.mark.parametrize("phrase", ["甲乙丙", "甲乙甲乙", "乙乙乙", "丁甲乙丙丁甲", "甲乙丙丁甲乙丙"])
@pytest.mark.parametrize("seed", range(5))
def test_the_check_finds_exactly_the_passages_that_hold_the_phrase(phrase: str, seed: int
                                                                  ) -> None:
    texts = _random_texts(random.Random(seed), 400)
    grams = _grams(texts, phrase)
    # Candidates: the passages that hold every gram at all (as the posting lists give them).
    candidates = sorted(set.intersection(*(set(gram) for gram in grams)))
    expected = [docnum for docnum in candidates if phrase in texts[docnum]]
    assert expected and len(expected) < len(candidates), "a case that tells them apart"
    decode = position_deltas(FORMAT)
    every = list(enumerate(grams))
    cover = [(offset, grams[offset]) for offset in covering(query_grams(phrase))]
    assert len(cover) < len(every) or len(every) <= 2
    for placed in (every, cover):
        assert verbatim(candidates, placed, decode) == expected
        assert not_verbatim(set(candidates), placed, decode) == set(candidates) - set(expected)


@pytest.mark.parametrize(("words", "offsets"), [
    (["甲乙"], [0]), (["甲乙", "乙丙"], [0, 1]), (["甲乙", "乙丙", "丙丁"], [0, 2]),
    (["县级", "级以", "以上", "上人", "人民", "民政", "政府"], [0, 2, 4, 6]),
    (["第1", "19", "9条", "条款"], [0, 2, 3]),
    (["甲"], [0]), (["甲乙", "乙"], [0, 1]),  # not all pairs: every word
    (["甲乙", "丙丁", "戊己"], [0, 1, 2]),  # pairs that do not overlap spell no one text
])
def test_every_other_pair_and_the_last_cover_the_phrase(words: list[str], offsets: list[int]
                                                       ) -> None:
    assert covering(words) == offsets


def test_past_the_deadline_the_unchecked_passages_count_as_not_verbatim() -> None:
    texts = {docnum: "甲乙丙" for docnum in range(200)}
    grams = _grams(texts, "甲乙丙")
    looks = []

    def expired() -> bool:
        looks.append(True)
        return len(looks) > 1  # after the first chunk

    missing = not_verbatim(set(texts), list(enumerate(grams)), position_deltas(FORMAT), expired)
    assert missing and missing < set(texts)
    assert missing == set(sorted(texts)[len(texts) - len(missing):])  # the last ones
