"""Which passages a search may return, and in what order: by docnum, per index build.

A filter keeps whole documents (search/filters.py); here that becomes the set of their
passages' docnums. Ties rank in document order and sort=date orders by each passage's
document date, then document order: all read once per build into lists by docnum,
because reading a whoosh column a passage at a time costs microseconds each.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from search import evaluate
from search._whoosh.columns import signed_column
from search.budget import Work
from search.index import F_DOC, F_ID, F_ORDER, F_SECTION, Index
from search.library import catalogue_for
from search.per_build import shared


def document_order(searcher: WhooshSearcher, index: Index) -> list[int]:
    """Return each passage's place in document order, by docnum."""
    # Read through the searcher's open reader: the build's folder may be gone by now.
    return shared(index, F_ORDER, lambda: signed_column(searcher.reader(), F_ORDER))


def passage_dates(searcher: WhooshSearcher, index: Index) -> list[str]:
    """Return each passage's document date ("" when unknown), by docnum."""
    return shared(index, passage_dates, lambda: _passage_dates(searcher, index))


def _passage_dates(searcher: WhooshSearcher, index: Index) -> list[str]:
    docs = evaluate.field_values(searcher, F_DOC, evaluate.cache_for(index))
    catalogue = catalogue_for(index)
    return [catalogue.date(doc_id) for doc_id in docs]


def newest_first(searcher: WhooshSearcher, index: Index, docnums: list[int] | set[int]
                 ) -> list[int]:
    """Order passages by their document's date, newest first, in document order within a date."""
    ranks = shared(index, newest_first, lambda: _date_ranks(searcher, index))
    return sorted(docnums, key=ranks.__getitem__)


def _date_ranks(searcher: WhooshSearcher, index: Index) -> list[int]:
    """Return each passage's place in (date newest first, document order), by docnum."""
    dates, order = passage_dates(searcher, index), document_order(searcher, index)
    ranked = sorted(range(len(dates)), key=order.__getitem__)
    ranked.sort(key=dates.__getitem__, reverse=True)  # stable: document order within a date
    ranks = [0] * len(ranked)
    for rank, docnum in enumerate(ranked):
        ranks[docnum] = rank
    return ranks


def allowed(searcher: WhooshSearcher, index: Index, kept: set[str] | None,
            section: int | None) -> set[int] | None:
    """Return the passages of the documents ``kept`` (and of chapter ``section``); None when
    nothing is filtered."""
    if kept is None and section is None:
        return None
    cache = evaluate.cache_for(index)
    docs = evaluate.field_values(searcher, F_DOC, cache)
    chapters = evaluate.field_values(searcher, F_SECTION, cache) if section else None
    wanted = str(section)
    return {docnum for docnum, doc_id in enumerate(docs)
            if (kept is None or doc_id in kept)
            and (chapters is None or chapters[docnum] == wanted)}


def in_document_order(searcher: WhooshSearcher, index: Index, docnums: set[int] | None
                      ) -> list[int]:
    """Return the live passages among ``docnums`` in document order."""
    reader = searcher.reader()
    order = document_order(searcher, index)
    return sorted((d for d in docnums or () if not reader.is_deleted(d)), key=order.__getitem__)


def newest_matches(searcher: WhooshSearcher, index: Index, q: wq.Query,
                   allowed: set[int] | None, pinned: set[int], work: Work) -> list[int]:
    """Return every passage that matches ``q`` (less ``pinned``), newest document first, in
    document order within a date: unscored, so no ranking of every match."""
    found = evaluate.matching(searcher, q, evaluate.cache_for(index), work)
    if found is None:
        found = set(searcher.docs_for_query(q))
    if allowed is not None:
        found &= allowed
    return newest_first(searcher, index, found - pinned)


def first_passages(searcher: WhooshSearcher, index: Index, doc_ids: list[str],
                   allowed: set[int] | None) -> list[int]:
    """Return the first passage of each of ``doc_ids`` that the filters keep (a document
    found by its 文号 is shown by its first passage)."""
    catalogue = catalogue_for(index)
    found = []
    for doc_id in doc_ids:
        first = catalogue.first_passage(doc_id)
        docnum = searcher.document_number(**{F_ID: first}) if first else None
        if docnum is not None and (allowed is None or docnum in allowed):
            found.append(docnum)
    return found
