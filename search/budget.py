"""The cost model of a query: work that does not grow with the number of words typed.

A query's cost is the postings it reads. It is bounded three ways:

- repeated words and phrases count once (``知识产权`` typed 39 times is one word);
- at most MAX_WORDS different words and phrases, and at most MAX_WORD_TERMS dictionary
  words per typed word (search.settings) (a longer run of text is matched verbatim only);
- scoring stops at a deadline with the best passages found so far, flagged partial.

One search shares one Work: every subquery is evaluated once per segment, so relaxing
the query and naming the words found nowhere reuse what the strict query read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from search.query import AllOf, AnyOf, Node, Not, ParsedQuery, QueryError, positive_texts
from search.settings import MAX_WORDS, QUERY_DEADLINE_SECONDS


def bounded(parsed: ParsedQuery) -> ParsedQuery:
    """Drop repeated words from the query tree; raise QueryError when too many remain."""
    root = _dedupe(parsed.root) if parsed.root is not None else None
    distinct = {text for text in positive_texts(root)}
    if len(distinct) > MAX_WORDS:
        raise QueryError(f"too many different words: {len(distinct)}, the limit is {MAX_WORDS}")
    return parsed.with_root(root)


def _dedupe(node: Node) -> Node:
    if isinstance(node, Not):
        return Not(_dedupe(node.node))
    if isinstance(node, (AllOf, AnyOf)):
        children = tuple(dict.fromkeys(_dedupe(child) for child in node.nodes))
        return children[0] if len(children) == 1 else type(node)(children)
    return node


@dataclass
class Work:
    """What one search has evaluated so far, and until when it may go on."""

    deadline: float
    #: (segment id, whoosh query) -> {docnum: score}
    memo: dict = field(default_factory=dict)
    partial: bool = False

    @classmethod
    def starting_now(cls, seconds: float = QUERY_DEADLINE_SECONDS) -> "Work":
        return cls(time.monotonic() + seconds)

    def expired(self) -> bool:
        """Tell whether the deadline has passed; from then on the answer is partial."""
        if time.monotonic() > self.deadline:
            self.partial = True
        return self.partial
