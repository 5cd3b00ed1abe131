"""Mark query matches in a passage's original text, cut snippets, render them.

A pipeline in stages that can be swapped: find spans -> merge -> cut fragments at
sentence ends -> render (HTML with escaping, or terminal). Rendering works from
structured segments, so no stored text reaches HTML unescaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import NamedTuple

from search.normalize import normalize

ELLIPSIS = "…"
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)")
MAX_FRAGMENTS = 3
FRAGMENT_CHARS = 120


class Segment(NamedTuple):
    """A piece of displayed text, marked or not."""

    text: str
    is_match: bool


Span = tuple[int, int]


def match_spans(text: str, needles: Iterable[str]) -> list[Span]:
    """Return the merged spans of ``text`` where any normalized needle occurs."""
    spans = []
    # Numerals as written (百二十三条 inside 第一百二十三条) and as numbers (三年 for 3年).
    as_written, as_numbers = normalize(text, numbers=False), normalize(text)
    for norm in (as_written, as_numbers) if as_numbers.text != as_written.text else (as_written,):
        for needle in needles:
            start = norm.text.find(needle)
            while start >= 0:
                spans.append(norm.span(start, start + len(needle)))
                start = norm.text.find(needle, start + 1)
    return merge(spans)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping and touching spans (专利 + 权质押 -> one span)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def segments(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> list[Segment]:
    """Cut ``text[start:end]`` into marked and unmarked segments."""
    end = len(text) if end is None else end
    out = []
    cursor = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > cursor:
            out.append(Segment(text[cursor:s], False))
        out.append(Segment(text[s:e], True))
        cursor = e
    if cursor < end:
        out.append(Segment(text[cursor:end], False))
    return out


def _sentences(text: str) -> list[Span]:
    return [m.span() for m in _SENTENCE_RE.finditer(text) if m.group().strip()]


def _trim(sentence: Span, spans: list[Span]) -> Span:
    """Keep a long sentence to FRAGMENT_CHARS around its first match."""
    start, end = sentence
    if end - start <= FRAGMENT_CHARS:
        return sentence
    first = next((s for s, e in spans if start <= s < end), start)
    begin = max(start, first - FRAGMENT_CHARS // 3)
    return begin, min(end, begin + FRAGMENT_CHARS)


def snippets(text: str, spans: list[Span], fragments: int = MAX_FRAGMENTS) -> list[list[Segment]]:
    """Return up to ``fragments`` sentence-bounded fragments, best first by matches, in text order."""
    sentences = _sentences(text) or [(0, len(text))]
    counted = [(sum(1 for s, e in spans if s < end and e > start), i)
               for i, (start, end) in enumerate(sentences)]
    chosen = sorted(i for count, i in sorted(counted, key=lambda c: (-c[0], c[1]))[:fragments]
                    if count) or [0]
    result = []
    for i in chosen:
        start, end = _trim(sentences[i], spans)
        pieces = segments(text, spans, start, end)
        # Whitespace at the outer edges of a fragment is layout, not content.
        if pieces:
            pieces[0] = Segment(pieces[0].text.lstrip("\n "), pieces[0].is_match)
            pieces[-1] = Segment(pieces[-1].text.rstrip("\n "), pieces[-1].is_match)
        if start > 0 and text[start - 1] not in "。！？；!?;\n":
            pieces.insert(0, Segment(ELLIPSIS, False))
        if end < len(text) and text[end - 1] not in "。！？；!?;\n":
            pieces.append(Segment(ELLIPSIS, False))
        result.append([p for p in pieces if p.text])
    return result


def to_html(pieces: Iterable[Segment]) -> str:
    """Render segments as escaped HTML with <mark> around matches."""
    return "".join(
        f"<mark>{html.escape(p.text)}</mark>" if p.is_match else html.escape(p.text) for p in pieces
    )


def to_terminal(pieces: Iterable[Segment], color: bool) -> str:
    """Render segments for a terminal: bold yellow matches, or plain text when not colouring."""
    if not color:
        return "".join(p.text for p in pieces)
    return "".join(f"\x1b[1;33m{p.text}\x1b[0m" if p.is_match else p.text for p in pieces)


def plain(pieces: Iterable[Segment]) -> str:
    """Return the text of segments without any marking."""
    return "".join(p.text for p in pieces)
