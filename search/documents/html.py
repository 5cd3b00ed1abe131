"""Read an HTML page or content fragment: body paragraphs, title, metadata table, source URL."""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from search.documents.model import Block, Extract
from search.documents.text import clean

# Never rendered as text, or controls rather than content.
_SKIP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
              "select", "button", "input", "textarea", "head"]
# Tags that end the paragraph before them and start a new one; all others are inline.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
# A paragraph credits its text to the box that holds it; other blocks hold their own text.
_PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "pre", "blockquote", *_HEADING_TAGS})
# The body containers of the CMSs behind most Chinese government sites (gov.cn's UCAP, TRS WCM)
# and of microdata: trusted before any guessing.
_CONTENT_SELECTORS = ("#UCAP-CONTENT", ".TRS_Editor", ".TRS_UEDITOR", "#zoom",
                      "[itemprop=articleBody]")
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
# Matched against each word of a class, id or role (split at spaces, "-" and "_"), so that
# "pages-date" or "BreadcrumbNav" is chrome but "font14" or "content" is not.
_CHROME_WORD_RE = re.compile(
    r"nav\w*|menu\w*|\w*crumb\w*|header|footer|\w*sidebar|share\w*|toolbar|tools?|related|"
    r"print|date|time|source|font|editor|comments?|search\w*|logo|copyright|qr\w*|banner|"
    r"contentinfo|complementary",
    re.I,
)
_WORD_SPLIT_RE = re.compile(r"[\s_-]+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A browser collapses only ASCII whitespace (source line breaks too): the \u3000 between 第一条
# and its text stays; text.clean then treats &nbsp;, \u3000 and invisibles as every reader does.
_ASCII_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_LABEL_MAX = 12  # "索 引 号：", "发文字号：": a longer cell ending in a colon is a sentence
_COLONS = ("：", ":")
# Browsers write it right after the doctype: the first 4 KB are enough, and a body quoting one
# is not taken for it.
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
# "标题_栏目_中国政府网", "标题 - 中国政府网", "标题 | 站名": the title is the first part.
_TITLE_SUFFIX_RE = re.compile(r"\s*(?:_|\s[-–—|]\s|｜|\|).*$", re.S)


def read(raw_text: str, path: Path) -> Extract:
    """Read the body paragraphs, title, metadata fields and source URL of an HTML file."""
    tree = LexborHTMLParser(raw_text)
    title_node = tree.css_first("head > title")
    page_title = _clean(title_node.text()) if title_node is not None else ""
    source_url = _source_url(tree, raw_text)
    tree.strip_tags(_SKIP_TAGS)
    # ``path`` goes unused: a page without body text is zero blocks, not an error to name.
    fields: dict[str, str] = {}
    blocks: list[Block] = []
    heading = ""
    if tree.body is not None:  # None only for a <frameset> page, whose text is in other files
        fields = _take_fields(tree.body)
        container = _content_container(tree.body)
        if container is not None:
            blocks = _Walker(container).blocks()
            heading = _content_heading(container)
    title = fields.get("标题") or heading or _TITLE_SUFFIX_RE.sub("", page_title) or None
    return Extract(blocks=blocks, title=title, fields=fields, source_url=source_url)


def _clean(text: str) -> str:
    return clean(_ASCII_SPACE_RE.sub(" ", text))


def _source_url(tree: LexborHTMLParser, raw_text: str) -> str | None:
    for selector, attribute in (('link[rel="canonical"]', "href"),
                                ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        if node is not None and (node.attributes.get(attribute) or "").strip():
            return (node.attributes[attribute] or "").strip()
    saved = _SAVED_FROM_RE.search(raw_text, 0, 4096)
    return saved.group(1) if saved else None


def _take_fields(body: LexborNode) -> dict[str, str]:
    """Read and remove the tables made only of "标签：" / value cells (gov.cn's 索引号 table)."""
    tables = [(table, pairs) for table in body.css("table")
              if [node.tag for node in table.traverse()].count("table") == 1  # no inner table
              and (pairs := _label_pairs(table)) is not None]
    # One stray "备注：" row in a body table is no metadata table; gov.cn puts 主题词 in a
    # second one-row table beside the main one.
    if sum(len(pairs) for _, pairs in tables) < 2:
        return {}
    fields: dict[str, str] = {}
    for table, pairs in tables:
        fields.update(pairs)
        table.decompose()
    return fields


def _label_pairs(table: LexborNode) -> dict[str, str] | None:
    pairs: dict[str, str] = {}
    for row in table.css("tr"):
        cells = [_clean(cell.text()) for cell in row.iter() if cell.tag in ("td", "th")]
        index = 0
        while index < len(cells):
            label = "".join(cells[index].split())
            if not label:
                index += 1
                continue
            if not label.endswith(_COLONS) or len(label) > _LABEL_MAX:
                return None
            value = cells[index + 1] if index + 1 < len(cells) else ""
            pairs[label.rstrip("".join(_COLONS))] = value
            index += 2
    return pairs or None


def _content_container(body: LexborNode) -> LexborNode | None:
    """Find the element holding the body text: a known CMS container, else the best-scored box."""
    known = [node for selector in _CONTENT_SELECTORS for node in body.css(selector)]
    known = [node for node in known if node.text().strip()]
    if known:
        return max(known, key=lambda node: len(node.text()))
    # Readability's idea: each paragraph's text counts for the box holding it and half for the
    # box around that; links count for nothing, so menus, related links and footers lose.
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in body.traverse(include_text=False):
        if node.tag not in _BLOCK_TAGS:
            continue  # inline text counts for the block around it, links for nothing
        weight = _own_text_length(node)
        if not weight:
            continue
        box = node.parent if node.tag in _PARAGRAPH_TAGS else node
        for share, target in ((1.0, box), (0.5, box.parent if box is not None else None)):
            if target is not None and target.tag != "html":
                scores[target.mem_id] = scores.get(target.mem_id, 0.0) + share * weight
                nodes[target.mem_id] = target
    if not scores:
        return None
    return nodes[max(scores, key=lambda key: scores[key])]


def _own_text_length(node: LexborNode) -> int:
    """Count the text a block element holds itself (not in child blocks, not in links)."""
    length = 0
    for child in node.iter(include_text=True):
        if child.is_text_node:
            length += len(child.text(deep=False).strip())
        elif child.tag not in _BLOCK_TAGS and child.tag != "a":
            length += len(child.text().strip())
    return length


def _content_heading(container: LexborNode) -> str:
    # An article box often holds the <h1> beside the body element; the site's logo <h1> sits
    # in the header, outside that box, so the search never climbs to <body>.
    node = container
    for _ in range(3):
        heading = node.css_first("h1")
        if heading is not None and _clean(heading.text()):
            return _clean(heading.text())
        if node.parent is None or node.parent.tag in ("body", "html"):
            break
        node = node.parent
    return ""


class _Walker:
    """Turn a container's content into one Block per paragraph or <br>-separated line."""

    def __init__(self, container: LexborNode) -> None:
        self._container = container
        self._container_length = len(container.text())
        self._blocks: list[Block] = []
        self._line: list[str] = []
        self._heading = 0

    def blocks(self) -> list[Block]:
        # A loop over an explicit stack, not recursion: pages exported from Word can nest
        # thousands of unclosed <font> tags. An int on the stack closes a block element and
        # restores the heading level outside it.
        stack: list[LexborNode | int] = []
        stack.extend([*self._container.iter(include_text=True)][::-1])
        while stack:
            node = stack.pop()
            if isinstance(node, int):
                self._flush()
                self._heading = node
            elif node.is_text_node:
                self._line.append(node.text(deep=False))
            elif node.tag == "br":
                self._flush()
            elif node.is_element_node and not self._is_chrome(node):
                if node.tag in _BLOCK_TAGS:
                    self._flush()
                    stack.append(self._heading)
                    self._heading = _HEADING_TAGS.get(node.tag, self._heading)
                stack.extend([*node.iter(include_text=True)][::-1])
        self._flush()
        return self._blocks

    def _flush(self) -> None:
        text = _clean("".join(self._line))
        self._line = []
        if text:
            self._blocks.append(Block(text=text, heading=self._heading))

    def _is_chrome(self, element: LexborNode) -> bool:
        attributes = element.attributes
        if "hidden" in attributes or _HIDDEN_STYLE_RE.search(attributes.get("style") or ""):
            return True
        if element.tag not in _BLOCK_TAGS:
            return False  # an inline <span class="date"> inside a paragraph is the paragraph's
        names = " ".join(attributes.get(name) or "" for name in ("class", "id", "role"))
        named = element.tag in _CHROME_TAGS or any(
            _CHROME_WORD_RE.fullmatch(word) for word in _WORD_SPLIT_RE.split(names) if word)
        # A box that holds most of the body is the body, whatever its class says: the old
        # reader dropped whole pages whose wrapper was called "has-sidebar" or "page-header".
        return named and 2 * len(element.text()) < self._container_length
