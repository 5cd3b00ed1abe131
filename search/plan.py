"""One plan per search: what to match strictly, which words to rank by, what to mark.

A query typed as keywords or as a sentence is ranked, not filtered:

* Space-separated words are ranking units: passages that contain all of them come
  first, then those that contain most of them, their BM25F scores weighted by the share
  of the query's weight they cover, rarer words weighing more (Meilisearch's "last"
  matching strategy, with idf weights).
* A word typed as a sentence or question (punctuation, or function and question words
  such as 的 / 吗 / 可以 / 如何, see ``data/stopwords.txt``) is cut into its words; the
  function words need not match; each remaining word is a unit; the sentence's clauses,
  found verbatim, add to a passage's score.
* A single compound word (专利质押融资), or a short phrase with one word that carries
  meaning (社保怎么交), stays strict; only when no passage contains it is it ranked by its
  words like a sentence.
* A lay term or abbreviation (社保, 个税, 公积金; ``data/synonyms.txt``) is also searched
  as the words of the texts (社会保险, 个人所得税, 住房公积金), at half weight, so a
  passage that has the term itself ranks above one that has only the text word.
* A word typed in pinyin or its initials (zhibaodai, zbd) is also searched as the index's
  dictionary terms and titles it spells (智保贷), shown like a lay term's expansion.
* A word of a passage's document title counts for it, at half weight, once the passage
  matches some word itself: 劳动合同法 加班 puts 劳动合同法's articles on 加班 first.
* Quoted phrases, -exclusions and an explicit ``AND`` stay strict.

The engine evaluates the plan's units once; ranking, relaxation, the words found nowhere
and facet counts come from those same postings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from whoosh import query as wq

from search.analysis import QUERY, word_terms
from search.query import (
    AllOf, AnyOf, Node, Not, ParsedQuery, Phrase, Word, compile_query, verbatim,
)
from search.schema import F_TITLE_WORDS
from search.segment import Segmenter
from search.pinyin import spelled
from search.synonyms import expansions, terms_in

#: Punctuation that splits a typed sentence into clauses.
_CLAUSE_RE = re.compile(r"(?:[，。？！；：、?!;…\s]|(?<![0-9])[.,:]|[.,:](?![0-9]))+")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the function and question words a sentence query need not match."""
    text = resources.files("search").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Plan:
    """A parsed query turned into what the engine evaluates."""

    parsed: ParsedQuery
    #: The whole query, strict (every word), as whoosh compiles it.
    strict: wq.Query
    #: Ranking units (None: the query is strict only), their texts, what every hit must
    #: match (phrases, exclusions), and verbatim clauses that only add to the score.
    units: tuple[wq.Query, ...] | None = None
    unit_texts: tuple[str, ...] = ()
    required: wq.Query | None = None
    bonus: tuple[wq.Query, ...] = ()
    #: Ranked even when every word is found together (keywords, questions), or only as
    #: the fallback of a compound word that is found nowhere whole.
    always_ranked: bool = True
    #: Per unit, what its lay term also means in the texts (None: nothing), and for the
    #: user: (term, text words) of each expansion.
    expansions: tuple[wq.Query | None, ...] = ()
    expanded: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Per unit, the query that finds it in a passage's document title (None: none).
    titles: tuple[wq.Query | None, ...] = ()


#: Anything but Chinese characters: no pairs across it (拿1份 gives none).
_NOT_HAN_RE = re.compile(r"[^\u3400-\u9fff]+")
#: Character pairs a sentence's unknown words add at most (each is a ranking unit).
MAX_PAIRS = 6


def _clause_words(text: str, segmenter: Segmenter) -> tuple[tuple[str, ...], ...]:
    """Return the words of each clause of a typed text (cut once for every use in a plan)."""
    return tuple(tuple(term.text for term in word_terms(clause, segmenter, QUERY))
                 for clause in _CLAUSE_RE.split(text))


def _content_words(clauses: tuple[tuple[str, ...], ...]) -> list[str]:
    """Return the words of a typed sentence that carry its meaning, in order, once each."""
    found: dict[str, None] = {}
    for clause in clauses:
        for word in clause:
            if word not in stopwords():
                found.setdefault(word, None)
    # Single characters are mostly what is left of a word the index does not know (区块链
    # -> 区 块 链): ranking by them finds noise (see _unknown_pairs).
    return [word for word in found if len(word) > 1]


def _unknown_pairs(clauses: tuple[tuple[str, ...], ...], words: list[str]) -> list[str]:
    """Return the neighbouring character pairs of the words of a sentence that the index
    does not know as one (邻居 cut as 邻 居): found verbatim, as a CJK bigram analyzer finds
    them, a few at most."""
    pairs: dict[str, None] = {}
    for clause in clauses:
        run = ""
        for word in [*clause, None]:
            if word is not None and len(word) == 1 and word not in stopwords():
                run += word
            else:
                pairs.update(dict.fromkeys(_pairs(run)))
                run = ""
    return [pair for pair in pairs if pair not in words][:MAX_PAIRS]


def _pairs(run: str) -> list[str]:
    """Return the neighbouring character pairs of a run of unknown characters, with the
    function words in it (什么 cut as 什 么) taken out."""
    for word in sorted((w for w in stopwords() if len(w) > 1 and w in run), key=len,
                       reverse=True):
        run = run.replace(word, " ")
    return [piece[at:at + 2] for piece in _NOT_HAN_RE.split(run) for at in range(len(piece) - 1)]


def _lay_terms(text: str, words: list[str]) -> list[str]:
    """Return the lay terms of a sentence that none of its words already holds."""
    return [term for term in terms_in(text) if not any(term in word for word in words)]


#: A run of text shorter than this with a function word in it (在全国, 及知识) is a phrase
#: to match as typed, not a sentence to cut into words.
SENTENCE_MIN = 6


def _is_sentence(text: str, segmenter: Segmenter) -> bool:
    """Tell a sentence or question from a compound word: punctuation or function words."""
    if _CLAUSE_RE.search(text.strip()):
        return True
    return len(text) >= SENTENCE_MIN and any(term.text in stopwords()
                                             for term in word_terms(text, segmenter, QUERY))


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE_RE.split(text) if len(clause) >= 4]


def plan(parsed: ParsedQuery, segmenter: Segmenter,
         spellings: dict[str, list[str]] | None = None) -> Plan:
    """Return the search plan of a parsed query (``spellings``: the index's pinyin)."""
    meaning = functools.partial(_meaning, spellings=spellings or {})
    root = parsed.root
    strict = compile_query(root, segmenter) if root is not None else wq.Every()
    if root is None or parsed.explicit_and:
        return Plan(parsed, strict)
    nodes = root.nodes if isinstance(root, AllOf) else (root,)
    units: list[Node] = []
    required: list[Node] = []
    bonus: list[str] = []
    sentence = False
    for node in nodes:
        if isinstance(node, (Phrase, Not)):
            required.append(node)
        elif isinstance(node, Word) and (
                (terms := _lay_terms(node.text, words := _content_words(
                    clauses := _clause_words(node.text, segmenter))))
                or (_is_sentence(node.text, segmenter)
                    and (words := words + _unknown_pairs(clauses, words))
                    and (len(words) > 1 or len(nodes) > 1))):
            sentence = True
            units.extend(Word(word) for word in words)
            # 失业金 in 失业金能领多久: a lay term the index may not know as one word.
            units.extend(Word(term) for term in terms)
            bonus.extend(_clauses(node.text))
        elif isinstance(node, Word) and len(nodes) == 1:
            words = _content_words(clauses)
            # Ranked by its words only when found nowhere whole, and only when what it drops
            # is function words (社保怎么交) or it has several words (专利质押融资): abc*
            # does not become abc.
            if meaning(node.text):  # 社保: ranked with 社会保险, below the literal term
                return _ranked(parsed, strict, [node], required, [], segmenter, meaning,
                               always=True)
            if not words or words == [node.text] or (
                    len(words) < 2 and not _is_sentence(node.text, segmenter)):
                return Plan(parsed, strict)
            # A compound word: strict first; its words only if it is found nowhere whole.
            return _ranked(parsed, strict, [Word(w) for w in words], required, [node.text],
                           segmenter, meaning, always=False)
        else:
            units.append(node)  # a word, or an OR group
    units = list(dict.fromkeys(units))
    expanding = any(isinstance(unit, Word) and meaning(unit.text) for unit in units)
    if not units or (len(units) < 2 and not sentence and not expanding):
        return Plan(parsed, strict)
    return _ranked(parsed, strict, units, required, bonus, segmenter, meaning, always=True)


def _meaning(word: str, spellings: dict[str, list[str]]) -> tuple[str, ...]:
    """Return what a typed word also means: a lay term's text words, a pinyin's terms."""
    return expansions(word) or spelled(word, spellings)


def _ranked(parsed: ParsedQuery, strict: wq.Query, units: list[Node], required: list[Node],
            bonus: list[str], segmenter: Segmenter, meaning: Callable[[str], tuple[str, ...]],
            always: bool) -> Plan:
    compiled = tuple(compile_query(unit, segmenter) for unit in units)
    texts = tuple(_unit_text(unit) for unit in units)
    need = wq.And([compile_query(node, segmenter) for node in required]) if required else None
    extra = tuple(q for q in (verbatim(text) for text in dict.fromkeys(bonus)) if q is not None)
    meant = [meaning(unit.text) if isinstance(unit, Word) else () for unit in units]
    wider = tuple(wq.Or([compile_query(Word(word), segmenter) for word in words]) if words
                  else None for words in meant)
    expanded = tuple((text, words) for text, words in zip(texts, meant) if words)
    titles = tuple(_in_title(unit, segmenter) for unit in units)
    return Plan(parsed, strict, compiled, texts, need, extra, always, wider, expanded, titles)


def _in_title(unit: Node, segmenter: Segmenter) -> wq.Query | None:
    """Return the query that finds a word unit in a passage's document title."""
    if not isinstance(unit, Word):
        return None
    words = [term.text for term in word_terms(unit.text, segmenter, QUERY)]
    return wq.And([wq.Term(F_TITLE_WORDS, word) for word in words]) if words else None


def _unit_text(node: Node) -> str:
    if isinstance(node, (Word, Phrase)):
        return node.text
    if isinstance(node, AnyOf):
        return " OR ".join(_unit_text(child) for child in node.nodes)
    if isinstance(node, AllOf):
        return " ".join(_unit_text(child) for child in node.nodes)
    return ""
