"""Count a search's hits by office, year, type and document, and by chapter in a document.

The hits are counted per document once (from the match set the search already read);
office, year and type are sums over the catalogue (search/filters.py), each under every
filter but its own, so that any value of a facet can still be chosen.
"""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Searcher as WhooshSearcher

from search import evaluate
from search.budget import Work
from search.catalogue_file import CatalogueFile
from search.filters import Filters
from search.index import F_DOC, F_SECTION, Index
from search.schema import slot_of
from search.selection import document_order


def count(searcher: WhooshSearcher, index: Index, q: wq.Query, chosen: Filters,
          documents: CatalogueFile, also: list[int], work: Work) -> dict[str, dict[str, int]]:
    """Count the passages matching ``q`` (and ``also``, a document found by its 文号) by office,
    year, type and document within the chosen chapter; by chapter only within one chosen
    document."""
    section = [wq.Term(F_SECTION, str(chosen.section))] if chosen.section else []
    by_document = _by_field(searcher, index, q, F_DOC, section, also, work, documents)
    counts = chosen.facets(documents.summaries_of(by_document), by_document)
    if chosen.doc:
        chapters = _by_field(searcher, index, q, F_SECTION, [wq.Term(F_DOC, chosen.doc)], also,
                             work)
        counts["section"] = dict(sorted(chapters.items(), key=lambda item: int(item[0])))
    return counts


def _by_field(searcher: WhooshSearcher, index: Index, q: wq.Query, fieldname: str,
              filters: list[wq.Query], also: list[int], work: Work | None,
              documents: CatalogueFile | None = None) -> dict[str, int]:
    """Count the passages matching ``q`` (and ``also``) within ``filters`` by their value of
    ``fieldname``; with the catalogue ``documents``, by document through their slots."""
    restrict = wq.And(filters) if filters else None
    # whoosh treats a filter that matches nothing as no filter at all.
    if restrict is not None and searcher.search(restrict, limit=1).is_empty():
        return {}
    cache = evaluate.cache_for(index)
    matched = evaluate.matching(searcher, q, cache, work)
    if matched is not None:
        matched = matched | set(also)
        if restrict is not None:
            matched &= set(searcher.docs_for_query(restrict))
        if documents is not None:
            # By the slot in each passage's order, a column the ranking reads anyway: the
            # doc_id of a million passages took 0.15-0.45 s of a command-line query.
            order = document_order(searcher, index)
            by_slot = Counter(slot_of(order[docnum]) for docnum in matched)
            ids = documents.ids_at(by_slot)
            counts = Counter({ids[slot]: n for slot, n in by_slot.items() if slot in ids})
        else:
            values = evaluate.field_values(searcher, fieldname, cache)
            counts = Counter(map(values.__getitem__, matched))
    else:
        group = sorting.FieldFacet(fieldname, maptype=sorting.Count)
        results = searcher.search(q, limit=1, filter=restrict, groupedby={fieldname: group})
        counts = results.groups(fieldname)
    return {str(k): v for k, v in counts.items() if k not in (None, "")}
