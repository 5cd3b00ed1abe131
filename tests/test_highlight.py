"""Highlighting: mark matches in the original text, cut sentence snippets, render safely."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.highlight import (
    ELLIPSIS, FRAGMENT_CHARS, MAX_FRAGMENTS, Segment, match_spans, merge, plain, segments, snippets,
    to_html, to_terminal,
)


def marked(pieces) -> str:
    """Render segments with [brackets] around matches, so assertions read like the output."""
    return "".join(f"[{p.text}]" if p.is_match else p.text for p in pieces)


def strip_tags(rendered: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", rendered))


# --- Finding spans -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, needles, expected", [
    ("研发专利权质押担保产品", ["专利权质押"], "研发[专利权质押]担保产品"),
    # Adjacent and overlapping needles merge into one mark.
    ("研发专利权质押担保产品", ["专利", "权质押"], "研发[专利权质押]担保产品"),
    ("研发专利权质押担保产品", ["专利权", "权质押"], "研发[专利权质押]担保产品"),
    ("研发专利权质押担保产品", ["质押", "专利权质押"], "研发[专利权质押]担保产品"),
    # Every occurrence is marked.
    ("专利、专利、专利", ["专利"], "[专利]、[专利]、[专利]"),
    ("专利专利", ["专利"], "[专利专利]"),
    ("专专专", ["专专"], "[专专专]"),
    # Matching is on normalized text; the mark covers the original characters.
    ("办理專利質押贷款", ["专利质押"], "办理[專利質押]贷款"),
    ("贷款金额２５．３７亿元", ["25.37亿元"], "贷款金额[２５．３７亿元]"),
    ("专\u200b利质押", ["专利"], "[专\u200b利]质押"),
    ("IPC分类", ["ipc"], "[IPC]分类"),
    ("无关的句子", ["专利"], "无关的句子"),
])
def test_match_spans(text, needles, expected):
    assert marked(segments(text, match_spans(text, needles))) == expected


@pytest.mark.parametrize("spans, merged", [
    ([], []),
    ([(5, 8), (0, 2)], [(0, 2), (5, 8)]),
    ([(0, 2), (2, 5)], [(0, 5)]),          # touching
    ([(0, 4), (2, 6)], [(0, 6)]),          # overlapping
    ([(0, 9), (2, 4)], [(0, 9)]),          # contained
    ([(0, 2), (3, 5)], [(0, 2), (3, 5)]),  # one character apart
])
def test_merge(spans, merged):
    assert merge(spans) == merged


# --- Snippets ----------------------------------------------------------------------------------

PASSAGE = ("(二)深化知识产权金融创新。研发专利权质押担保产品—“智保贷”。天津光电获得专利质押贷款300万元；"
           "引进评估公司。鑫融资租赁开办业务！海鸥表业获得首单保险？滨海新区开展投融资试点。")


def fragments(text: str, needles: list[str]) -> list[str]:
    return [marked(f) for f in snippets(text, match_spans(text, needles))]


def test_snippets_are_whole_sentences_cut_at_sentence_ends():
    assert fragments(PASSAGE, ["智保贷"]) == ["研发专利权质押担保产品—“[智保贷]”。"]
    assert fragments(PASSAGE, ["鑫融资租赁"]) == ["[鑫融资租赁]开办业务！"]
    assert fragments(PASSAGE, ["海鸥"]) == ["[海鸥]表业获得首单保险？"]
    assert fragments(PASSAGE, ["天津光电"]) == ["[天津光电]获得专利质押贷款300万元；"]


def test_snippets_pick_a_few_sentences_with_matches_in_text_order():
    assert fragments(PASSAGE, ["质押"]) == [
        "研发专利权[质押]担保产品—“智保贷”。",
        "天津光电获得专利[质押]贷款300万元；",
    ]
    many = "。".join(f"第{n}句讲专利" for n in range(10)) + "。"
    found = fragments(many, ["专利"])
    assert len(found) == MAX_FRAGMENTS
    assert found == ["第0句讲[专利]。", "第1句讲[专利]。", "第2句讲[专利]。"]


def test_the_sentence_with_most_matches_wins():
    text = "专利一次。没有。专利专利又专利。专利。"
    assert fragments(text, ["专利"])[0:2] == ["[专利]一次。", "[专利专利]又[专利]。"]
    assert [marked(f) for f in snippets(text, match_spans(text, ["专利"]), fragments=1)] == \
        ["[专利专利]又[专利]。"]


def test_without_a_match_the_snippet_is_the_opening_sentence():
    assert fragments(PASSAGE, []) == ["(二)深化知识产权金融创新。"]


def test_a_long_sentence_is_trimmed_around_its_match_with_ellipses():
    text = "甲" * 300 + "专利" + "乙" * 300 + "。下一句。"
    (only,) = fragments(text, ["专利"])
    assert only.startswith(ELLIPSIS) and only.endswith(ELLIPSIS)
    assert "[专利]" in only
    assert len(only.replace("[", "").replace("]", "")) <= FRAGMENT_CHARS + 2


def test_layout_whitespace_at_fragment_edges_is_dropped_but_inner_spaces_kept():
    text = "第一段讲 专利 质押。\n  第二段讲专利。"
    assert fragments(text, ["专利"]) == ["第一段讲 [专利] 质押。", "第二段讲[专利]。"]


# --- Rendering ---------------------------------------------------------------------------------

def test_to_html_marks_matches_and_escapes_everything():
    pieces = [Segment("<script>alert('x')</script>", False), Segment("专利&质押", True),
              Segment('"引号"', False)]
    assert to_html(pieces) == ("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
                               "<mark>专利&amp;质押</mark>&quot;引号&quot;")


def test_a_script_in_a_document_comes_out_escaped():
    text = "通知<script>steal()</script>专利质押。"
    rendered = to_html(segments(text, match_spans(text, ["专利质押"])))
    assert "<script>" not in rendered
    assert rendered == "通知&lt;script&gt;steal()&lt;/script&gt;<mark>专利质押</mark>。"


def test_to_terminal_colours_only_when_asked():
    pieces = [Segment("研发", False), Segment("智保贷", True)]
    assert to_terminal(pieces, color=False) == "研发智保贷"
    assert to_terminal(pieces, color=True) == "研发\x1b[1;33m智保贷\x1b[0m"
    assert plain(pieces) == "研发智保贷"


# --- Properties --------------------------------------------------------------------------------

TEXT = st.text(st.sampled_from("专利权质押专利<>&\"'。！？；\n 專利ＡＢa\u200b"), max_size=60)
NEEDLES = st.lists(st.sampled_from(["专利", "权质押", "质押", "<", "&", "ab", "专利权质押", "。"]),
                   max_size=4)


@given(TEXT, NEEDLES)
def test_html_with_tags_removed_is_the_original_text(text, needles):
    rendered = to_html(segments(text, match_spans(text, needles)))
    assert strip_tags(rendered) == text


@given(TEXT, NEEDLES)
def test_marks_never_touch_or_overlap(text, needles):
    spans = match_spans(text, needles)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(e < s2 for (_, e), (s2, _) in zip(spans, spans[1:]))


@given(TEXT, NEEDLES)
def test_every_snippet_is_a_piece_of_the_original_text(text, needles):
    for fragment in snippets(text, match_spans(text, needles)):
        body = strip_tags(to_html(fragment)).strip(ELLIPSIS)
        assert body in text
