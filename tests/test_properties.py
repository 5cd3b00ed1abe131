"""Properties that must hold for any input, checked with hypothesis on the real seed."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from search.documents import parse_document
from search.plan import plan
from search.query import parse
from search.highlight import to_html
from search.analysis import QUERY, word_terms
from search.normalize import fold, normalize
from search.query import QueryError
from search.settings import MAX_LIMIT
from tests.conftest import SEED_DOC, SEEDS

SEED = parse_document(SEEDS / f"{SEED_DOC}.txt")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
#: (passage, CJK run) for every run of two or more CJK characters in the seed's passages.
BY_KEY = {p.key: p for p in SEED.passages}
RUNS = [(p, m.group()) for p in SEED.passages for m in CJK_RUN.finditer(p.text)]

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def verbatim_substrings(draw, min_size: int = 2, max_size: int = 8):
    """A passage and a run of CJK characters copied from its text."""
    passage, run = draw(st.sampled_from([(p, r) for p, r in RUNS if len(r) >= min_size]))
    size = draw(st.integers(min_size, min(max_size, len(run))))
    start = draw(st.integers(0, len(run) - size))
    return passage, run[start : start + size]


def found(searcher, query: str) -> list[str]:
    return [hit.id for hit in searcher.search(query, limit=MAX_LIMIT).hits]


@FAST
@given(verbatim_substrings())
@example((BY_KEY["3.2"], "权质押"))
@example((BY_KEY["1"], "强市建设"))
def test_every_verbatim_substring_finds_its_passage_unquoted(searcher, drawn):
    passage, text = drawn
    assert passage.id in found(searcher, text)


@FAST
@given(verbatim_substrings())
def test_every_verbatim_substring_finds_its_passage_quoted(searcher, drawn):
    passage, text = drawn
    assert passage.id in found(searcher, f'"{text}"')
    assert passage.id in found(searcher, f"“{text}”")


@st.composite
def any_substrings(draw):
    """A passage and 1-12 characters copied from its text: digits, Latin, punctuation and all."""
    passage = draw(st.sampled_from(SEED.passages))
    size = draw(st.integers(1, 12))
    start = draw(st.integers(0, len(passage.text) - size))
    text = passage.text[start : start + size]
    # Text that reads as exclusions only ("-2020)") is an error by design.
    assume(text.strip() and not text.lstrip().startswith("-"))
    return passage, text


@FAST
@given(any_substrings())
@example((BY_KEY["3.2"], "25.37亿元"))
@example((BY_KEY["3.1"], "“1+7+N”"))
@example((BY_KEY["1"], "("))
def test_any_copied_text_finds_its_passage(searcher, drawn):
    passage, text = drawn
    assert passage.id in found(searcher, text)


@FAST
@given(verbatim_substrings(min_size=3, max_size=12))
def test_a_quoted_substring_finds_only_passages_that_contain_it(searcher, drawn):
    _, text = drawn
    containing = {p.id for p in SEED.passages if text in p.text or text in p.heading}
    assert set(found(searcher, f'"{text}"')) == containing


def ranked(searcher, query: str) -> bool:
    """Tell whether a query is ranked by how many of its words a passage has (a sentence)."""
    found = plan(parse(query), searcher.index.segmenter)
    return found.units is not None and found.always_ranked


def every_hit(searcher, query: str) -> set[str]:
    result = searcher.search(query, limit=MAX_LIMIT)
    return set() if result.relaxed else {hit.id for hit in result.hits}


def all_words(searcher, query: str) -> set[str]:
    """The hits that contain every word: ranked first, as many as the result says."""
    result = searcher.search(query, limit=MAX_LIMIT)
    return {hit.id for hit in result.hits[: result.to_json()["all_words"]]}


@FAST
@given(verbatim_substrings(max_size=4), verbatim_substrings(max_size=4))
def test_and_or_and_exclusion_are_set_operations(searcher, first, second):
    a, b = first[1], second[1]
    # Words, not sentences: a typed sentence is ranked by its words (test_plan.py).
    assume(a != b and not ranked(searcher, a) and not ranked(searcher, b))
    hits_a, hits_b = every_hit(searcher, a), every_hit(searcher, b)
    assert every_hit(searcher, f"{a} OR {b}") == hits_a | hits_b
    assert every_hit(searcher, f"{a} | {b}") == hits_a | hits_b
    assert every_hit(searcher, f"{a} AND {b}") == hits_a & hits_b
    # Space-separated words are ranked: the passages with both come first, then the others;
    # a word of the document's title counts for a passage that has the other word itself.
    if plan(parse(f"{a} {b}"), searcher.index.segmenter).unit_texts == (a, b):
        both = all_words(searcher, f"{a} {b}")
        assert hits_a & hits_b <= both <= hits_a | hits_b
        title = fold(SEED.title)
        for passage_id in both - (hits_a & hits_b):
            missing = b if passage_id in hits_a else a
            assert all(term.text in title for term in word_terms(missing, searcher.index.segmenter,
                                                                  QUERY))
    assert every_hit(searcher, f"{a} -{b}") == hits_a - hits_b


def _strip(rendered: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", rendered))


@FAST
@given(verbatim_substrings(), st.sampled_from(SEED.passages))
def test_a_highlighted_passage_with_tags_removed_is_the_passage_text(searcher, drawn, passage):
    _, query = drawn
    view = searcher.passage(passage.id)
    rendered = to_html(searcher.highlight_passage(view, query))
    assert _strip(rendered) == passage.text


@FAST
@given(verbatim_substrings())
def test_every_hit_marks_the_query_and_its_snippets_come_from_its_text(searcher, drawn):
    passage, query = drawn
    result = searcher.search(query, limit=MAX_LIMIT)
    hit = next(hit for hit in result.hits if hit.id == passage.id)
    assert any("<mark>" in fragment for fragment in hit.highlights)
    for fragment in hit.highlights:
        assert _strip(fragment).strip("…") in hit.text


# Ways a reader's copy of the same text can differ: full-width, Traditional, invisible characters.
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789.%+"}
TRADITIONAL = {"专": "專", "利": "利", "质": "質", "权": "權", "识": "識", "产": "產", "国": "國",
               "贷": "貸", "发": "發", "区": "區", "务": "務", "业": "業", "经": "經", "济": "濟"}


@st.composite
def disguised(draw):
    """A seed passage's text, each character maybe written another way, and the original."""
    passage = draw(st.sampled_from(SEED.passages))
    start = draw(st.integers(0, len(passage.text) - 1))
    original = passage.text[start : start + draw(st.integers(1, 40))]
    pieces = []
    for char in original:
        way = draw(st.sampled_from(["same", "variant", "zero-width"]))
        if way == "variant":
            pieces.append(FULL_WIDTH.get(char, TRADITIONAL.get(char, char)))
        elif way == "zero-width":
            pieces.append(char + "\u200b")
        else:
            pieces.append(char)
    return "".join(pieces), original


@settings(max_examples=300, deadline=None)
@given(disguised(), st.data())
def test_normalized_spans_map_back_to_what_the_reader_sees(drawn, data):
    text, original = drawn
    assert normalize(text).text == normalize(original).text
    # Character by character (a numeral becomes digits only in context: 四个 -> 4个, but 四
    # alone stays 四, so a slice is compared as written).
    norm = normalize(text, numbers=False)
    start = data.draw(st.integers(0, len(norm.text) - 1))
    end = data.draw(st.integers(start + 1, len(norm.text)))
    begin, stop = norm.span(start, end)
    assert normalize(text[begin:stop], numbers=False).text == norm.text[start:end]


QUERY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(['"', "“", "”", "(", ")", "|", "-", "OR", " ", "doc:", "section:", "*", "~",
                         "[", "]", "TO", "/", "\\", "^", ":", "\u3000", "\u200b", "。"]),
        st.sampled_from(["专利", "质押", "知识产权", "智保贷", "12330", "25.37", "三", "3", "x"]),
        st.text(max_size=3),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY_TEXT)
def test_any_input_gives_a_result_or_a_query_error(searcher, typed):
    try:
        result = searcher.search(typed)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert result.total >= len(result.hits)
    assume(result.hits)
    assert all(hit.id.startswith(f"{SEED_DOC}/") for hit in result.hits)
