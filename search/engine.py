"""Run queries against an index and shape the results (the JSON shape lives here)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from search import evaluate, highlight, selection
from search import facets as search_facets
from search.analysis import QUERY, word_terms
from search.budget import Work, bounded
from search.filters import Filters, sort_order
from search.citation import citation as cite
from search.highlight import Segment
from search._whoosh.scoring import LiveBM25F
from search.index import (
    F_DOC, F_ID, F_META, F_WORDS, META_KEYS, Index, IndexUnavailable,
)
from search.documents.identity import article_key, split_passage_id
from search.documents.identity import passage_id as passage_id_of
from search.library import catalogue_for
from search.normalize import fold
from search.plan import Plan, plan
from search.query import needles, parse, positive_texts
from search.settings import (
    DEFAULT_LIMIT, MAX_LIMIT, MAX_RESULTS, QUERY_DEADLINE_SECONDS, absolute_url, document_url,
    permalink,
)

__all__ = ["Searcher", "SearchResult", "Hit", "PassageView", "NotFound", "IndexUnavailable"]


class NotFound(LookupError):
    """An unknown passage or document id; the message names it."""


@dataclass(frozen=True)
class _Passage:
    """What a hit and a passage view share: the passage's identity, place and text."""

    id: str
    key: str
    doc_id: str
    doc_title: str
    date: str | None
    path: tuple[str, ...]
    heading: str
    text: str
    #: The document's office, number, doc_type, published and source_url (None when unknown).
    meta: tuple[tuple[str, str | None], ...] = ()

    @property
    def url(self) -> str:
        return permalink(self.id)

    @property
    def document_url(self) -> str:
        """The passage's place in its whole document."""
        return document_url(self.doc_id, self.key)

    @property
    def office(self) -> str | None:
        return dict(self.meta).get("office")

    @property
    def number(self) -> str | None:
        return dict(self.meta).get("number")

    @property
    def doc_type(self) -> str | None:
        return dict(self.meta).get("doc_type")

    @property
    def source_url(self) -> str | None:
        return dict(self.meta).get("source_url")

    def citation(self, base_url: str | None = None) -> str:
        """Return how a person cites the passage, with its permalink under ``base_url``."""
        return cite(self.doc_title, self.key, self.path, absolute_url(self.url, base_url))

    def _place_json(self, base_url: str | None) -> dict:
        return {"id": self.id, "doc_id": self.doc_id, "doc_title": self.doc_title,
                "date": self.date, "path": list(self.path), "heading": self.heading, "url": self.url,
                **dict(self.meta), "citation": self.citation(base_url)}

    @classmethod
    def _from_stored(cls, fields: dict, **extra: object) -> "_Passage":
        stored = fields.get(F_META) or {}
        meta = tuple((key, stored.get(key)) for key in META_KEYS)
        return cls(fields[F_ID], fields["key"], fields[F_DOC], fields["doc_title"],
                   fields.get("date"), tuple(fields["path"]), fields["heading"], fields["text"],
                   meta, **extra)


@dataclass(frozen=True)
class Hit(_Passage):
    """One ranked passage with its highlighted fragments."""

    score: float = 0.0
    fragments: tuple[tuple[Segment, ...], ...] = ()
    #: The query's words (ranking units) that this passage matches.
    matched: tuple[str, ...] = ()

    @property
    def highlights(self) -> list[str]:
        return [highlight.to_html(fragment) for fragment in self.fragments]

    def to_json(self, base_url: str | None = None) -> dict:
        """Return the hit as in the CLI's --json and the web API."""
        return {**self._place_json(base_url), "score": round(self.score, 3), "matched": list(self.matched),
                "text": self.text, "highlights": self.highlights}


@dataclass(frozen=True)
class SearchResult:
    """A page of hits for a query."""

    query: str
    total: int
    relaxed: bool
    took_ms: float
    hits: tuple[Hit, ...]
    page: int = 1
    limit: int = DEFAULT_LIMIT
    #: Hits per office, year, type and document, each under every filter but its own; and
    #: per chapter ("3") when one document is chosen.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: When relaxed: the words that no passage contains (to tell the user).
    unmatched: tuple[str, ...] = ()
    #: Scoring stopped at the deadline: the best passages found so far, the total a floor.
    partial: bool = False
    #: How many passages contain every word (the total counts those with some of them).
    complete: int | None = None
    #: Lay terms also searched as the texts' words: (term, text words).
    expanded: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The filters applied (typed in the query and given as parameters) and the order.
    filters: Filters = Filters()
    sort: str = "relevance"

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_RESULTS) // self.limit))  # pages end at MAX_RESULTS

    def to_json(self, base_url: str | None = None) -> dict:
        """Return exactly the object that ``query --json`` prints and /api/search returns;
        citations link under ``base_url`` (by default settings.base_url())."""
        return {
            "query": self.query, "total": self.total, "page": self.page, "pages": self.pages,
            "limit": self.limit, "sort": self.sort, "filters": dict(self.filters.active()),
            "relaxed": self.relaxed, "partial": self.partial, "took_ms": self.took_ms,
            "all_words": self.total if self.complete is None else self.complete,
            "unmatched": list(self.unmatched),
            "expanded": {term: list(words) for term, words in self.expanded},
            "facets": self.facets,
            "hits": [hit.to_json(base_url) for hit in self.hits],
        }


@dataclass(frozen=True)
class PassageView(_Passage):
    """One passage with its place in the document, for show, permalinks and the API."""

    previous: str | None = None
    next: str | None = None

    def to_json(self, base_url: str | None = None) -> dict:
        """Return the passage as ``show --json`` prints it and /api/passages returns it."""
        return {**self._place_json(base_url), "document_url": self.document_url, "text": self.text,
                "previous": self.previous, "next": self.next}


class Searcher:
    """A query session over one index build; close it when done."""

    def __init__(self, index: Index, deadline: float = QUERY_DEADLINE_SECONDS,
                 reader: IndexReader | None = None) -> None:
        self.index = index
        #: Seconds of scoring a search may take before it answers with what it has.
        self.deadline = deadline
        weighting = LiveBM25F(index.deleted)
        # A reader that the caller keeps open (serve: one per thread) is not closed here.
        self._searcher = (index.whoosh.searcher(weighting=weighting) if reader is None else
                          WhooshSearcher(reader, weighting=weighting, closereader=False))
        self._marks: dict[str, list[str]] = {}

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    def word_frequency(self, word: str) -> int:
        """Return how many passages hold ``word`` as a dictionary word (no postings read)."""
        terms = [term.text for term in word_terms(word, self.index.segmenter, QUERY)]
        return self._searcher.doc_frequency(F_WORDS, terms[0]) if len(terms) == 1 else 0

    def search(self, text: str, limit: int = DEFAULT_LIMIT, page: int = 1,
               filters: Filters | None = None, sort: str = "relevance", facets: bool = False,
               doc: str | None = None, section: int | None = None) -> SearchResult:
        """Run a query; raise QueryError (FilterError) for one that cannot run."""
        started = time.perf_counter()
        limit = max(1, min(limit, MAX_LIMIT))
        page = max(1, page)
        sort = sort_order(sort)
        parsed = bounded(parse(text))
        work = Work.starting_now(self.deadline)
        # Parameters win over what the query text says; both are checked the same way.
        chosen = parsed.filters.merged(filters or Filters()).merged(Filters(doc=doc,
                                                                            section=section))
        catalogue = catalogue_for(self.index)
        # Only a document-level filter reads every document's summary.
        kept = chosen.documents(catalogue.documents.summaries) if chosen.document_level() else None
        allowed = selection.allowed(self._searcher, self.index, kept, chosen.section)
        # A typed 文号 (国发[2019]5号) puts its document first.
        numbered, number_words = catalogue.typed_numbers(positive_texts(parsed.root))
        pinned = selection.first_passages(self._searcher, self.index, numbered, allowed)

        search_plan = plan(parsed, self.index.segmenter, self.index.pinyin)
        # Pages end at MAX_RESULTS hits: a far page would rank (and read) every match.
        window = ((page - 1) * limit, min(page * limit, MAX_RESULTS))
        top = window[1] + len(pinned)
        relaxed, unmatched, complete, masks = False, (), None, {}
        ranked_by_words = (search_plan.units is not None and search_plan.always_ranked
                           and not (pinned and len(search_plan.units) == 1))
        if parsed.root is None:  # filters only: the passages they keep, in document order
            kept_passages = selection.in_document_order(self._searcher, self.index, allowed)
            total, ranked = len(kept_passages), [(0.0, docnum) for docnum in kept_passages]
        elif not ranked_by_words:
            total, ranked = self._run(search_plan.strict, allowed, max(top, 1), work)
        if search_plan.units is not None and (ranked_by_words or (total == 0 and not pinned)):
            coverage = self._coverage(search_plan, allowed, max(top, 1), work)
            if coverage is not None:
                total, complete, ranked, masks = coverage[:4]
                unmatched = tuple(text for text, found in zip(search_plan.unit_texts, coverage[4])
                                  if not found)
                relaxed = complete == 0 and total > 0
        found = {docnum for _, docnum in ranked}
        total += sum(docnum not in found for docnum in pinned)
        order = [*pinned, *(docnum for _, docnum in ranked if docnum not in pinned)]
        loose = self._loose(search_plan) if complete is not None else search_plan.strict
        if sort == "date" and parsed.root is None:
            order = selection.newest_first(self._searcher, self.index, order)
        elif sort == "date":
            order = [*pinned, *selection.newest_matches(self._searcher, self.index, loose, allowed,
                                                        set(pinned), work)]
            if complete is not None:
                masks = self._masks(search_plan, order[window[0]:window[1]], masks, work)
        scores = dict((docnum, score) for score, docnum in ranked)
        marks = needles(parsed, self.index.segmenter)
        if complete is not None:  # mark what a lay term was also searched as
            marks += [fold(word) for _, words in search_plan.expanded for word in words]
        texts = search_plan.unit_texts
        # A strict hit matched every word; a ranked one the units of its mask.
        every = tuple(dict.fromkeys(positive_texts(parsed.root)))
        stored = self._searcher.stored_fields
        hits = tuple(
            self._hit(stored(docnum), scores.get(docnum, 0.0), marks,
                      tuple(t for i, t in enumerate(texts) if masks.get(docnum, 0) >> i & 1)
                      if complete is not None and docnum not in pinned else every)
            for docnum in order[window[0]:window[1]])
        if pinned:  # the typed 文号 found its document: its words are not found nowhere
            unmatched = tuple(t for t in unmatched if t not in number_words)
        counts = (search_facets.count(self._searcher, self.index, loose, chosen,
                                      catalogue.documents, pinned, work)
                  if facets else {})
        took = round((time.perf_counter() - started) * 1000, 1)
        return SearchResult(parsed.raw, total, relaxed, took, hits, page, limit, counts, unmatched,
                            work.partial, complete, search_plan.expanded if complete is not None
                            else (), chosen, sort)

    def _masks(self, search_plan: Plan, docnums: list[int], known: dict[int, int], work: Work
               ) -> dict[int, int]:
        """Return which units each passage matches (a bit mask), for passages shown out of
        their relevance order (by date), from the units' match sets."""
        missing = [docnum for docnum in docnums if docnum not in known]
        if not missing:
            return known
        cache = evaluate.cache_for(self.index)
        masks = dict(known)
        for index, unit in enumerate(search_plan.units or ()):
            wider = search_plan.expansions[index] if index < len(search_plan.expansions) else None
            found = evaluate.matching(self._searcher, wq.Or([unit, wider]) if wider else unit,
                                      cache, work) or set()
            for docnum in missing:
                masks[docnum] = masks.get(docnum, 0) | ((docnum in found) << index)
        return masks

    @staticmethod
    def _loose(search_plan: Plan) -> wq.Query:
        """Return what a ranked plan's hits match: any unit, and everything required."""
        anything = wq.Or([*(search_plan.units or ()), *(q for q in search_plan.expansions if q)])
        return wq.And([anything, search_plan.required]) if search_plan.required else anything

    def _coverage(self, search_plan: Plan, allowed: set[int] | None, top: int, work: Work):
        """Rank by how much of the query a passage covers; None when whoosh must search.

        Return (total, complete, [(score, docnum)] best first, {docnum: units mask},
        passages per unit)."""
        if allowed is not None and not allowed:
            return 0, 0, [], {}, [0] * len(search_plan.units or ())
        found = evaluate.by_coverage(self._searcher, search_plan.units or (), top,
                                     search_plan.required, search_plan.bonus, allowed,
                                     evaluate.cache_for(self.index), work,
                                     search_plan.expansions, search_plan.titles)
        if found is None:
            return None
        # Equal scores rank in document order, whatever segment a passage landed in.
        order = selection.document_order(self._searcher, self.index)
        best = sorted(found.best, key=lambda row: (not row[0], -row[1], order[row[2]]))[:top]
        masks = {docnum: mask for _, _, docnum, mask in best}
        return (found.total, found.complete, [(score, docnum) for _, score, docnum, _ in best],
                masks, found.frequencies)

    def _run(self, q: wq.Query, allowed: set[int] | None, top: int, work: Work):
        """Return the match count and the (score, docnum) of the ``top`` best hits."""
        if allowed is not None and not allowed:
            return 0, []
        found = evaluate.ranked(self._searcher, q, top, allowed, evaluate.cache_for(self.index),
                                work)
        if found is None:
            results = self._searcher.search(q, limit=top, filter=allowed)
            found = len(results), [(hit.score, hit.docnum) for hit in results]
        total, best = found
        # Equal scores rank in document order, whatever segment a passage landed in.
        order = selection.document_order(self._searcher, self.index)
        return total, sorted(best, key=lambda pair: (-pair[0], order[pair[1]]))[:top]

    def _hit(self, fields: dict, score: float, marks: list[str], matched: tuple[str, ...] = ()
             ) -> Hit:
        text = fields["text"]
        spans = highlight.match_spans(text, marks)
        fragments = tuple(tuple(f) for f in highlight.snippets(text, spans))
        return Hit._from_stored(fields, score=score, fragments=fragments, matched=matched)

    def resolve(self, passage_id: str) -> str:
        """Return the id a typed passage id means (an article alias such as a19 or 第19条
        becomes 第十九条); raise NotFound when it names no passage."""
        if self._searcher.document(**{F_ID: passage_id}) is not None:
            return passage_id
        doc_id, key = split_passage_id(passage_id)
        alias = article_key(key)
        if alias and self._searcher.document(**{F_ID: passage_id_of(doc_id, alias)}) is not None:
            return passage_id_of(doc_id, alias)
        raise NotFound(f"no passage with id {passage_id!r}")

    def passage(self, passage_id: str) -> PassageView:
        """Return one passage by id; raise NotFound for an unknown id."""
        fields = self._searcher.document(**{F_ID: passage_id})
        if fields is None:
            raise NotFound(f"no passage with id {passage_id!r}")
        keys = self.index.documents.get(fields[F_DOC], {}).get("passages", [])
        position = self.index.position(fields[F_DOC], fields["key"])
        previous = keys[position - 1] if position > 0 else None
        following = keys[position + 1] if 0 <= position < len(keys) - 1 else None
        prefix = fields[F_DOC] + "/"
        return PassageView._from_stored(
            fields, previous=prefix + previous if previous else None,
            next=prefix + following if following else None)

    def document(self, doc_id: str, start: int = 0, stop: int | None = None
                 ) -> tuple[dict, list[PassageView]]:
        """Return a document's metadata and its passages ``start:stop`` in order; NotFound if
        unknown."""
        meta = self.index.documents.get(doc_id)
        if meta is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return meta, [self.passage(f"{doc_id}/{key}") for key in meta["passages"][start:stop]]

    def highlight_passage(self, passage: PassageView, text: str) -> list[Segment]:
        """Return the whole passage text cut into segments marked for the query ``text``."""
        marks = self._marks.get(text)
        if marks is None:  # a document page highlights every passage for one query
            try:
                marks = needles(parse(text), self.index.segmenter)
            except ValueError:
                marks = []
            self._marks[text] = marks
        return highlight.segments(passage.text, highlight.match_spans(passage.text, marks))


def open_searcher(root: Path) -> Searcher:
    """Open the live index build under ``root`` for searching."""
    return Searcher(Index(root))
