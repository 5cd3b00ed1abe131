"""Parse what a user types into a query tree, and compile it to a whoosh query.

Syntax: space = AND, ``OR`` or ``|`` = or, ``-word`` = exclude, ``"..."`` (or “...”)
= exact phrase, ``( )`` groups; ``office:``, ``year:``, ``after:``, ``before:``, ``type:``,
``doc:``, ``section:`` and ``title:`` filter (search/filters.py). There is no
wildcard, range, regex or fuzzy syntax: every query costs a bounded amount of work.
Unbalanced quotes and parentheses are taken literally.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from whoosh import query as wq

from search.analysis import QUERY, query_grams, word_terms
from search.errors import QueryError
from search.filters import NAMES, Filters
from search.schema import F_CONTEXT, F_GRAMS, F_HEADING, F_WORDS
from search.normalize import fold
from search.segment import Segmenter
from search.settings import MAX_QUERY_LENGTH, MAX_WORD_TERMS


@dataclass(frozen=True)
class Word:
    """Unquoted text: matched by its words, or verbatim."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """Quoted text: matched verbatim only."""

    text: str


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class AllOf:
    nodes: tuple["Node", ...]


Node = Word | Phrase | Not | AnyOf | AllOf


@dataclass(frozen=True)
class ParsedQuery:
    """The query tree plus its filters."""

    root: Node | None
    filters: Filters = Filters()
    raw: str = field(default="", compare=False)
    #: The user typed AND: every word must match, nothing is ranked by how many match.
    explicit_and: bool = False

    def with_root(self, root: Node | None) -> "ParsedQuery":
        """Return the same query with another tree (the filters and the text kept)."""
        return replace(self, root=root)


_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FILTER_RE = re.compile(rf"^({'|'.join(NAMES)}):(.+)$", re.IGNORECASE)
_OR = "\0OR"


def _lex(text: str) -> list[str | tuple[str, str]]:
    """Split the query into words, ("phrase", text) pairs, parentheses and OR markers."""
    balanced = _parentheses_balanced(text)
    tokens: list[str | tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _QUOTES and text.find(_QUOTES[char], i + 1) > i:
            end = text.find(_QUOTES[char], i + 1)
            tokens.append(("phrase", text[i + 1 : end]))
            i = end + 1
        elif char in "()" and balanced:
            tokens.append(char)
            i += 1
        elif char == "|":
            tokens.append(_OR)
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] != "|" \
                    and not (balanced and text[i] in "()") \
                    and not (text[i] in _QUOTES and text.find(_QUOTES[text[i]], i + 1) > i):
                i += 1
            word = text[start:i]
            tokens.append(_OR if word == "OR" else word)
    return tokens


def _parentheses_balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and "(" in text


class _Parser:
    def __init__(self, tokens: list[str | tuple[str, str]], grouping: bool) -> None:
        self.tokens = tokens
        self.grouping = grouping  # False: a "(" token is a literal character, not a group
        self.pos = 0
        #: Filters typed in the query, by public name (office:, year:, ...).
        self.filters: dict[str, str] = {}
        self.explicit_and = False

    def peek(self) -> str | tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def all_of(self, closing: str | None = None) -> Node | None:
        nodes = []
        while (token := self.peek()) is not None and token != closing:
            node = self.any_of()
            if node is not None:
                nodes.append(node)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    def any_of(self) -> Node | None:
        nodes = [self.unary()]
        while self.peek() == _OR:
            while self.peek() == _OR:  # "a | | b" means "a | b"
                self.pos += 1
            if self.peek() in (None, ")"):
                break
            nodes.append(self.unary())
        present = tuple(n for n in nodes if n is not None)
        if not present:
            return None
        return present[0] if len(present) == 1 else AnyOf(present)

    def unary(self) -> Node | None:
        token = self.peek()
        self.pos += 1
        if token == "AND":
            self.explicit_and = True  # every word must match: no ranking by how many do
            return None
        if token == _OR:
            return None  # an OR with nothing to join
        if token == "(" and self.grouping:
            inner = self.all_of(closing=")")
            self.pos += 1
            return inner
        if isinstance(token, tuple):
            return Phrase(token[1]) if token[1].strip() else None
        assert isinstance(token, str)
        if token == "-" and isinstance(self.peek(), tuple):  # -"exact phrase"
            inner = self.unary()
            return Not(inner) if inner is not None else None
        if token.startswith("-") and len(token) > 1:
            inner = self._word(token[1:])
            return Not(inner) if inner is not None else None
        return self._word(token)

    def _word(self, token: str) -> Node | None:
        match = _FILTER_RE.match(token)
        if match:
            self.filters[match.group(1).lower()] = match.group(2)
            return None
        return Word(token)


def parse(text: str) -> ParsedQuery:
    """Parse a query; raise QueryError for an empty, overlong or unreadable one."""
    if _CONTROL_RE.search(text):
        raise QueryError("the query contains control characters")
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise QueryError("empty query: type the words to look for")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long: {len(text)} characters, the limit is {MAX_QUERY_LENGTH}")
    parser = _Parser(_lex(text), grouping=_parentheses_balanced(text))
    root = parser.all_of()
    filters = Filters.read(parser.filters)
    if root is None and not filters:
        raise QueryError("empty query: type the words to look for")
    if root is not None and not positive_texts(root):
        raise QueryError("the query only excludes words: add a word to look for")
    return ParsedQuery(root, filters, text, parser.explicit_and)



def positive_texts(node: Node | None) -> list[str]:
    """Return the texts the user is looking for (not the excluded ones), for highlighting."""
    if isinstance(node, (Word, Phrase)):
        return [node.text]
    if isinstance(node, (AnyOf, AllOf)):
        return [text for child in node.nodes for text in positive_texts(child)]
    return []


def needles(parsed: ParsedQuery, segmenter: Segmenter) -> list[str]:
    """Return the normalized strings to mark in a hit: whole terms and their words."""
    found: dict[str, None] = {}
    for text in positive_texts(parsed.root):
        whole = "".join(fold(text).split())
        found.setdefault(whole, None)
        found.setdefault("".join(fold(text, numbers=False).split()), None)
        for term in word_terms(text, segmenter, QUERY):
            # A lone character split off a longer term (权 of 权质押) would mark noise everywhere.
            if len(term.text) > 1 or len(whole) == 1:
                found.setdefault(term.text, None)
    return [needle for needle in found if needle]


def verbatim(text: str) -> wq.Query | None:
    grams = query_grams(text)
    if not grams or not grams[0]:
        return None
    if len(grams) == 1:
        return wq.Term(F_GRAMS, grams[0])
    return wq.Phrase(F_GRAMS, grams)


def compile_query(node: Node, segmenter: Segmenter) -> wq.Query:
    """Compile a query tree to whoosh."""
    if isinstance(node, Phrase):
        return verbatim(node.text) or wq.NullQuery
    if isinstance(node, Word):
        words = list(dict.fromkeys(t.text for t in word_terms(node.text, segmenter, QUERY)))
        if len(words) > MAX_WORD_TERMS:  # a pasted sentence: its verbatim text is bound enough
            words = []
        by_words = wq.And([wq.Or([wq.Term(F_WORDS, w), wq.Term(F_HEADING, w), wq.Term(F_CONTEXT, w)])
                           for w in words])
        exact = verbatim(node.text)
        # Or adds the scores: a passage with the words and the verbatim text ranks above one
        # with the words alone; a verbatim-only match (权质押 in 专利权质押) is still found.
        parts = [q for q in (by_words if words else None, exact) if q is not None]
        return wq.Or(parts) if parts else wq.NullQuery
    if isinstance(node, Not):
        return wq.Not(compile_query(node.node, segmenter))
    if isinstance(node, AnyOf):
        return wq.Or([compile_query(n, segmenter) for n in node.nodes])
    # And + Not rather than whoosh's AndNot, whose count is wrong when nothing is left.
    return wq.And([compile_query(n, segmenter) for n in node.nodes])
