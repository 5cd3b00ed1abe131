"""Both ways of combining a query's words give the same ranking, to the last bit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.combine import combine_numpy, combine_python

scores = st.dictionaries(st.integers(0, 60), st.floats(0.01, 30.0), max_size=40)


@settings(max_examples=300, deadline=None)
@given(scored=st.lists(scores, min_size=1, max_size=6), data=st.data(),
       top=st.integers(1, 12))
def test_numpy_and_python_combine_alike(scored, data, top: int) -> None:
    named = data.draw(st.lists(scores, min_size=len(scored), max_size=len(scored)))
    extra = data.draw(st.lists(scores, max_size=2))
    weights = data.draw(st.lists(st.floats(0.0, 5.0), min_size=len(scored),
                                 max_size=len(scored)))
    assert combine_numpy(scored, extra, named, weights, top) == \
        combine_python(scored, extra, named, weights, top)


def test_words_in_every_passage_rank_first_then_the_better_score() -> None:
    # passage 1 has both words; 2 and 3 one each, 3 with the rarer (heavier) one.
    scored = [{1: 1.0, 2: 5.0}, {1: 1.0, 3: 2.0}]
    for combine in (combine_python, combine_numpy):
        matched, complete, rows = combine(scored, [], [{}, {}], [0.5, 2.0], 3)
        assert (matched, complete) == (3, 1)
        assert [docnum for _, _, docnum, _ in rows] == [1, 3, 2]
        assert [mask for *_, mask in rows] == [0b11, 0b10, 0b01]


def test_a_title_word_covers_a_passage_that_matched_another_word() -> None:
    scored = [{1: 1.0, 2: 1.0}, {3: 1.0}]
    named = [{}, {2: 0.5}]  # word 2 is in the title of passage 2's document
    for combine in (combine_python, combine_numpy):
        matched, complete, rows = combine(scored, [], named, [1.0, 1.0], 3)
        assert (matched, complete) == (3, 1)
        assert rows[0][2] == 2 and rows[0][0]
