"""How a person cites a passage: 《中华人民共和国劳动合同法》第十九条 and its permalink.

The one place that words a citation: the JSON of hits and passages, ``policy-search show``
and the 复制引用 buttons of the web pages all take it from here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.documents.numbering import attachment, legal_heading, notice_marker

#: Keys of passages that a person cites by the document alone.
_UNNUMBERED_RE = re.compile(r"^(?:intro|notice|trailer|p\d+)$")
#: An article (第十九条, 第十九条之一) or a chapter's own text (第三章) is cited by its key.
_LEGAL_KEY_RE = re.compile(r"^第.+(?:条(?:之.+)?|编|分编|章|节)$")
_HALF_WIDTH = str.maketrans("()", "（）")
#: A title inside the cited title takes the inner marks: 《关于适用〈刑事诉讼法〉的解释》.
_INNER_TITLE = str.maketrans("《》", "〈〉")


def _outline(path: Sequence[str]) -> str:
    """Return the numbering of a notice's heading path as cited: 三、（二）."""
    labels = []
    for heading in path:
        marker = notice_marker(heading)
        if marker is None or legal_heading(heading) is not None:
            continue
        if marker.level.startswith("O") and labels and labels[-1][0].isdigit():
            labels.pop()  # an outline number 1.1 already holds its parent's 1
        labels.append(marker.label.translate(_HALF_WIDTH))
    return "".join(labels)


def label(key: str, path: Sequence[str]) -> str:
    """Return where a passage is in its document as cited: 第十九条, 三、（二）, 附件1第三条."""
    *parts, last = key.split("/")
    # 附件1/第三条: the attachment, then the place inside it.
    prefix = "".join(parts)
    if _LEGAL_KEY_RE.match(last):
        return prefix + last
    if _UNNUMBERED_RE.match(last):
        return prefix
    numbered = _outline(path)
    if numbered:
        return prefix + numbered
    marker = attachment(path[-1]) if path else None
    if marker is not None and not parts:
        return marker.label
    # A case's 基本案情, a page's own heading: the heading is how it is cited.
    return prefix + (path[-1] if path else "")


def citation(doc_title: str, key: str, path: Sequence[str], url: str) -> str:
    """Return the citation of a passage: 《title》label, then its absolute permalink."""
    title = doc_title.strip().removeprefix("《").removesuffix("》").translate(_INNER_TITLE)
    return f"《{title}》{label(key, path)} {url}"
