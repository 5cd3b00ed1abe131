"""Run queries against an index and shape the results (the JSON shape lives here)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh import scoring, sorting

from search import evaluate, highlight
from search.budget import Work, bounded
from search.highlight import Segment
from search.index import (
    F_DOC, F_ID, F_ORDER, F_SECTION, Index, IndexUnavailable,
)
from search.query import Not, ParsedQuery, compile_query, needles, parse, positive_texts
from search.settings import (
    DEFAULT_LIMIT, MAX_LIMIT, MAX_RESULTS, QUERY_DEADLINE_SECONDS, document_url, permalink,
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

    @property
    def url(self) -> str:
        return permalink(self.id)

    @property
    def document_url(self) -> str:
        """The passage's place in its whole document."""
        return f"{document_url(self.doc_id)}#{self.key}"

    def _place_json(self) -> dict:
        return {"id": self.id, "doc_id": self.doc_id, "doc_title": self.doc_title,
                "date": self.date, "path": list(self.path), "heading": self.heading, "url": self.url}

    @classmethod
    def _from_stored(cls, fields: dict, **extra: object) -> "_Passage":
        return cls(fields[F_ID], fields["key"], fields[F_DOC], fields["doc_title"],
                   fields.get("date"), tuple(fields["path"]), fields["heading"], fields["text"],
                   **extra)


@dataclass(frozen=True)
class Hit(_Passage):
    """One ranked passage with its highlighted fragments."""

    score: float = 0.0
    fragments: tuple[tuple[Segment, ...], ...] = ()

    @property
    def highlights(self) -> list[str]:
        return [highlight.to_html(fragment) for fragment in self.fragments]

    def to_json(self) -> dict:
        """Return the hit as in the CLI's --json and the web API."""
        return {**self._place_json(), "score": round(self.score, 3), "text": self.text,
                "highlights": self.highlights}


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
    #: {"doc": {doc_id: count}, "section": {"3": count}} over the query without filters.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: When relaxed: the words that no passage contains (to tell the user).
    unmatched: tuple[str, ...] = ()
    #: Scoring stopped at the deadline: the best passages found so far, the total a floor.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_RESULTS) // self.limit))  # pages end at MAX_RESULTS

    def to_json(self) -> dict:
        """Return exactly the object that ``query --json`` prints and /api/search returns."""
        return {
            "query": self.query, "total": self.total, "relaxed": self.relaxed,
            "partial": self.partial, "took_ms": self.took_ms,
            "hits": [hit.to_json() for hit in self.hits],
        }


@dataclass(frozen=True)
class PassageView(_Passage):
    """One passage with its place in the document, for show, permalinks and the API."""

    previous: str | None = None
    next: str | None = None

    def to_json(self) -> dict:
        return {**self._place_json(), "document_url": self.document_url, "text": self.text,
                "previous": self.previous, "next": self.next}


class Searcher:
    """A query session over one index build; close it when done."""

    def __init__(self, index: Index, deadline: float = QUERY_DEADLINE_SECONDS) -> None:
        self.index = index
        #: Seconds of scoring a search may take before it answers with what it has.
        self.deadline = deadline
        self._searcher = index.whoosh.searcher(weighting=scoring.BM25F())
        self._marks: dict[str, list[str]] = {}

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    def search(self, text: str, limit: int = DEFAULT_LIMIT, page: int = 1, doc: str | None = None,
               section: int | None = None, facets: bool = False) -> SearchResult:
        """Run a query; raise QueryError for one that cannot run."""
        started = time.perf_counter()
        limit = max(1, min(limit, MAX_LIMIT))
        page = max(1, page)
        parsed = bounded(parse(text))
        work = Work.starting_now(self.deadline)
        doc = doc or parsed.doc
        section = section or parsed.section
        filters = [wq.Term(F_DOC, doc)] if doc else []
        filters += [wq.Term(F_SECTION, str(section))] if section else []
        restrict = wq.And(filters) if filters else None

        relaxed, unmatched = False, ()
        # Pages end at MAX_RESULTS hits: a far page would rank (and read) every match.
        window = ((page - 1) * limit, min(page * limit, MAX_RESULTS))
        total, ranked = self._run(parsed, restrict, window, work)
        if total == 0 and (loose := parsed.relaxed()) is not None:
            total, ranked = self._run(loose, restrict, window, work)
            relaxed = total > 0
            unmatched = self._unmatched(parsed, restrict, work) if relaxed else ()
        marks = needles(parsed, self.index.segmenter)
        hits = tuple(self._hit(fields, score, marks) for score, fields in ranked)
        counts = self._facets(loose if relaxed else parsed, doc, section, work) if facets else {}
        took = round((time.perf_counter() - started) * 1000, 1)
        return SearchResult(parsed.raw, total, relaxed, took, hits, page, limit, counts, unmatched,
                            work.partial)

    def _unmatched(self, parsed: ParsedQuery, restrict: wq.Query | None,
                   work: Work) -> tuple[str, ...]:
        """Return the top-level terms of a relaxed query that match no passage.

        The relaxed query has just evaluated each of them: ``work`` remembers the answers.
        """
        if work.partial:
            return ()
        allowed = set(self._searcher.docs_for_query(restrict)) if restrict is not None else None
        cache = evaluate.cache_for(self.index)
        missing = []
        for node in getattr(parsed.root, "nodes", ()):
            if isinstance(node, Not):
                continue
            found = evaluate.matching(self._searcher, compile_query(node, self.index.segmenter),
                                      cache, work)
            if found is not None and not (found & allowed if allowed is not None else found):
                missing.append(" ".join(positive_texts(node)))
        return tuple(missing)

    def _query(self, parsed: ParsedQuery) -> wq.Query:
        if parsed.root is None:
            return wq.Every()
        return compile_query(parsed.root, self.index.segmenter)

    def _run(self, parsed: ParsedQuery, restrict: wq.Query | None, window: tuple[int, int],
             work: Work):
        """Return the match count and the (score, stored fields) of the hits ranked
        ``window[0]`` to ``window[1]``; only those hits' stored fields are read."""
        skip, top = window
        if skip >= top:
            top = 1  # a page past the last reachable one: the count, no hits
        # whoosh treats a filter that matches nothing as no filter at all.
        if restrict is not None and self._searcher.search(restrict, limit=1).is_empty():
            return 0, []
        q = self._query(parsed)
        allowed = set(self._searcher.docs_for_query(restrict)) if restrict is not None else None
        found = evaluate.ranked(self._searcher, q, top, allowed, evaluate.cache_for(self.index),
                                work)
        if found is None:
            results = self._searcher.search(q, limit=top, filter=restrict)
            found = len(results), [(hit.score, hit.docnum) for hit in results]
        total, best = found
        # Equal scores rank in document order, whatever segment a passage landed in.
        order = self._searcher.reader().column_reader(F_ORDER)
        best = sorted(best, key=lambda pair: (-pair[0], order[pair[1]]))
        stored = self._searcher.stored_fields
        return total, [(score, stored(docnum)) for score, docnum in best[skip:top]]

    def _facets(self, parsed: ParsedQuery, doc: str | None, section: int | None,
                work: Work) -> dict[str, dict[str, int]]:
        """Count hits by document (within the chosen chapter) and by chapter (within the document)."""
        return {
            "doc": self._facet(parsed, F_DOC, [wq.Term(F_SECTION, str(section))] if section else [],
                               work),
            "section": self._facet(parsed, F_SECTION, [wq.Term(F_DOC, doc)] if doc else [], work),
        }

    def _facet(self, parsed: ParsedQuery, fieldname: str, filters: list[wq.Query],
               work: Work | None = None) -> dict[str, int]:
        restrict = wq.And(filters) if filters else None
        # whoosh treats a filter that matches nothing as no filter at all.
        if restrict is not None and self._searcher.search(restrict, limit=1).is_empty():
            return {}
        q = self._query(parsed)
        cache = evaluate.cache_for(self.index)
        matched = evaluate.matching(self._searcher, q, cache, work)
        if matched is not None:
            if restrict is not None:
                matched &= set(self._searcher.docs_for_query(restrict))
            values = evaluate.field_values(self._searcher, fieldname, cache)
            counts = Counter(values[docnum] for docnum in matched)
        else:
            group = sorting.FieldFacet(fieldname, maptype=sorting.Count)
            results = self._searcher.search(q, limit=1, filter=restrict,
                                            groupedby={fieldname: group})
            counts = results.groups(fieldname)
        return {str(k): v for k, v in counts.items() if k not in (None, "")}

    def _hit(self, fields: dict, score: float, marks: list[str]) -> Hit:
        text = fields["text"]
        spans = highlight.match_spans(text, marks)
        fragments = tuple(tuple(f) for f in highlight.snippets(text, spans))
        return Hit._from_stored(fields, score=score, fragments=fragments)

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
