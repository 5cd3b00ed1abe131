"""The query language: what a user types -> a query tree and filters."""

from __future__ import annotations

import pytest

from search.query import (
    AllOf, AnyOf, Not, Phrase, QueryError, Word, needles, parse, positive_texts,
)
from search.settings import MAX_QUERY_LENGTH

W, P = Word, Phrase


@pytest.mark.parametrize("typed, tree", [
    ("专利", W("专利")),
    # Space = AND.
    ("专利 质押", AllOf((W("专利"), W("质押")))),
    ("专利\u3000质押", AllOf((W("专利"), W("质押")))),     # an ideographic space too
    # OR and | = or; or in lower case is a word.
    ("专利 OR 商标", AnyOf((W("专利"), W("商标")))),
    ("专利|商标", AnyOf((W("专利"), W("商标")))),
    ("专利 | 商标 | 版权", AnyOf((W("专利"), W("商标"), W("版权")))),
    ("专利 or 商标", AllOf((W("专利"), W("or"), W("商标")))),
    ("智保贷 融知贷 OR 专利保险", AllOf((W("智保贷"), AnyOf((W("融知贷"), W("专利保险")))))),
    # -word excludes, also a quoted phrase.
    ("专利 -质押", AllOf((W("专利"), Not(W("质押"))))),
    ('专利 -"专利质押"', AllOf((W("专利"), Not(P("专利质押"))))),
    # Quotes make an exact phrase: ASCII, Chinese curly quotes, corner brackets.
    ('"知识产权强市"', P("知识产权强市")),
    ("“知识产权强市”", P("知识产权强市")),
    ("「知识产权强市」", P("知识产权强市")),
    ('"专利 质押"', P("专利 质押")),
    ('专利"质押"', AllOf((W("专利"), P("质押")))),
    # Parentheses group.
    ("(专利 OR 商标) 质押", AllOf((AnyOf((W("专利"), W("商标"))), W("质押")))),
    # Full-width input is folded before parsing.
    ("专利　ＯＲ　商标", AnyOf((W("专利"), W("商标")))),
    ("＂知识产权强市＂", P("知识产权强市")),
])
def test_parse(typed, tree):
    assert parse(typed).root == tree


@pytest.mark.parametrize("typed, tree", [
    # Unbalanced quotes and parentheses are taken literally.
    ('"专利', W('"专利')),
    ("“专利", W("“专利")),
    ("(专利", W("(专利")),
    ("专利)", W("专利)")),
    ("(专利 商标", AllOf((W("(专利"), W("商标")))),
    ("(", W("(")),
    ("（", W("(")),
    ("专利 ( 质押", AllOf((W("专利"), W("("), W("质押")))),
    # No wildcard, fuzzy, range, regex or boost syntax: it is all text.
    ("专利*", W("专利*")),
    ("专?利", W("专?利")),
    ("知识~", W("知识~")),
    ("知识~2", W("知识~2")),
    ("[a TO b]", AllOf((W("[a"), W("TO"), W("b]")))),
    ("{2016 TO 2020}", AllOf((W("{2016"), W("TO"), W("2020}")))),
    ("/专.*利/", W("/专.*利/")),
    ("专利^5", W("专利^5")),
    ("author:专利", W("author:专利")),
    # AND is what a space means already.
    ("专利 AND 商标", AllOf((W("专利"), W("商标")))),
    ("NOT 专利", AllOf((W("NOT"), W("专利")))),
    # An OR with nothing to join is ignored; a lone dash is a character.
    ("专利 OR", W("专利")),
    ("专利 | | 商标", AnyOf((W("专利"), W("商标")))),
    ("OR 专利", W("专利")),
    ("专利 - 质押", AllOf((W("专利"), W("-"), W("质押")))),
])
def test_odd_input_is_taken_literally(typed, tree):
    assert parse(typed).root == tree


@pytest.mark.parametrize("typed, doc, section, tree", [
    ("doc:tianjin-ip-2017 智保贷", "tianjin-ip-2017", None, W("智保贷")),
    ("DOC:tianjin-ip-2017 智保贷", "tianjin-ip-2017", None, W("智保贷")),
    ("section:3 专利", None, 3, W("专利")),
    ("section:三 专利", None, 3, W("专利")),
    ("专利 section:十二", None, 12, W("专利")),
    ("section:3", None, 3, None),
    ("doc:a section:2", "a", 2, None),
    ("doc:", None, None, W("doc:")),
])
def test_filters(typed, doc, section, tree):
    parsed = parse(typed)
    assert (parsed.filters.doc, parsed.filters.section, parsed.root) == (doc, section, tree)


@pytest.mark.parametrize("typed, message", [
    ("", "empty query"),
    ("   \u3000 ", "empty query"),
    ('""', "empty query"),
    ("“”", "empty query"),
    ("()", "empty query"),
    ("专" * (MAX_QUERY_LENGTH + 1), f"too long: {MAX_QUERY_LENGTH + 1} characters"),
    ("专利\x00", "control characters"),
    ("专利\x1b[31m", "control characters"),
    ("专利\x7f", "control characters"),
    ("-专利", "only excludes"),
    ("-专利 -商标", "only excludes"),
    ('-"专利质押"', "only excludes"),
    ("section:abc 专利", "not a chapter"),
])
def test_queries_that_cannot_run_raise_query_error(typed, message):
    with pytest.raises(QueryError, match=message):
        parse(typed)


def test_a_query_of_exactly_the_maximum_length_is_accepted():
    assert parse("专" * MAX_QUERY_LENGTH).root == W("专" * MAX_QUERY_LENGTH)


def test_tabs_and_newlines_are_spaces_not_control_characters():
    assert parse("专利\t质押\n融资").root == AllOf((W("专利"), W("质押"), W("融资")))


def test_query_error_is_a_value_error_with_a_one_line_message():
    with pytest.raises(ValueError) as raised:
        parse("-专利")
    assert "\n" not in str(raised.value)


def test_an_explicit_and_is_remembered_and_costs_nothing_else():
    assert parse("专利 AND 质押").root == parse("专利 质押").root
    assert parse("专利 AND 质押").explicit_and
    assert not parse("专利 质押").explicit_and


@pytest.mark.parametrize("typed, texts", [
    ("专利 -质押", ["专利"]),
    ('(专利 OR 商标) -"知识产权局" 版权', ["专利", "商标", "版权"]),
])
def test_positive_texts_are_what_the_user_looks_for(typed, texts):
    assert positive_texts(parse(typed).root) == texts


def test_needles_are_the_whole_terms_and_their_words(seed_index):
    from search.index import Index

    segmenter = Index(seed_index).segmenter
    assert needles(parse("专利权质押"), segmenter) == ["专利权质押"]
    assert needles(parse("专利 -质押"), segmenter) == ["专利"]
    assert needles(parse("授权专利 同比增长"), segmenter) == ["授权专利", "授权", "专利", "同比增长",
                                                             "同比", "增长"]
    # A lone character split off a longer term would mark noise everywhere.
    assert "权" not in needles(parse("权质押"), segmenter)
    assert needles(parse("專利 ２５．３７"), segmenter) == ["专利", "25.37"]


def test_parsed_queries_compare_by_meaning_not_by_spelling():
    assert parse("专利  质押") == parse("专利 质押")
