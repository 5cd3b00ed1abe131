"""Keep the live index build open across requests; a Searcher per request on ``g``, over a
reader that each server thread keeps for the build."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from flask import Flask, current_app, g

from search.dictionary import shipped_terms
from search.engine import Searcher
from search.index import Index, IndexUnavailable
from search.lifecycle import usable_build
from search.outline import Heading, document_outline
from search.suggest import Suggester

EXTENSION = "policy_search"
#: Example queries shown on the home page.
EXAMPLES = 6


class Build:
    """One opened index build and the facts the pages derive from it once."""

    def __init__(self, index: Index) -> None:
        self.index = index
        # Load the catalogue and the query vocabulary now, not in the first requests' threads.
        _ = index.manifest, index.documents.summaries, index.segmenter
        self._outlines: dict[str, list[Heading]] = {}
        self._thread = threading.local()

    def searcher(self) -> Searcher:
        """Return a new Searcher over this thread's reader of the build.

        Opening whoosh's readers (each segment's term table, stored-fields offsets) was
        about 15% of a request on the seed corpus and 6-18 ms at a million passages.
        Each thread keeps its own: a reader is not safe to share between threads. They go
        when the build does (a swap or damage opens another).
        """
        reader = getattr(self._thread, "reader", None)
        if reader is None:
            reader = self._thread.reader = self.index.whoosh.reader()
        return Searcher(self.index, reader=reader)

    @cached_property
    def examples(self) -> tuple[str, ...]:
        """Return a few dictionary terms of the corpus, the most frequent first, none nested."""
        # Counted as dictionary words, from the term index: searching each term verbatim
        # read their postings and made the first page of a 30k-passage index take 2.6 s.
        with Searcher(self.index) as searcher:
            counted = [(searcher.word_frequency(term), term) for term in shipped_terms()]
        chosen: list[str] = []
        for total, term in sorted(counted, key=lambda pair: -pair[0]):
            # 知识产权局 after 知识产权 would be a near-duplicate suggestion.
            if total and not any(term in other or other in term for other in chosen):
                chosen.append(term)
        return tuple(chosen[:EXAMPLES])

    def outline(self, doc_id: str) -> list[Heading]:
        """Return a document's table of contents, made on its first page view (0.08 s for
        650 articles) and kept: every page of a long document shows the whole of it."""
        found = self._outlines.get(doc_id)
        if found is None:
            with Searcher(self.index) as searcher:
                found = self._outlines.setdefault(doc_id, document_outline(searcher, doc_id))
        return found

    @cached_property
    def suggester(self) -> Suggester:
        """Return the completions of this build's titles, 文号 and words."""
        return Suggester.from_index(self.index.documents.summaries, self.index.pinyin,
                                    self.index.segmenter.freq)

    @cached_property
    def chapters(self) -> dict[str, dict[str, str]]:
        """Return each document's chapter lines by number: {doc_id: {"3": "三、…"}}."""
        found: dict[str, dict[str, str]] = {}
        with Searcher(self.index) as searcher:
            for doc_id, meta in self.index.documents.items():
                found[doc_id] = {key: searcher.passage(f"{doc_id}/{key}").path[0]
                                 for key in meta["passages"] if key.isdigit()}
        return found


class Rebuilding(IndexUnavailable):
    """No build can be served, and one is being rebuilt from the seeds."""


class LiveIndex:
    """The build that the index folder's CURRENT points at, reopened after a rebuild or when
    its files are damaged; ``rebuild`` (from serve) starts rebuilding a damaged index."""

    def __init__(self, root: Path, rebuild: Callable[[], None] | None = None) -> None:
        self.root = root
        self.rebuild = rebuild
        self._build: Build | None = None
        self._lock = threading.Lock()

    def _servable(self) -> Build | None:
        build = self._build
        if build is not None and build.index.is_live() and build.index.damage() is None:
            return build
        return None

    def current(self) -> Build:
        """Return the live build; raise IndexUnavailable when there is none (Rebuilding when
        one is being built)."""
        build = self._servable()
        if build is not None:
            return build
        with self._lock:
            build = self._servable()
            if build is None:
                # Requests still holding the old build finish with it; whoosh needs no close.
                self._build = None
                try:
                    build = self._build = Build(Index(self.root))
                except IndexUnavailable as error:
                    if self.rebuild is None:
                        raise
                    self.rebuild()
                    damage = usable_build(self.root)[1] or [f"no index in {self.root}"]
                    raise Rebuilding(f"the index is being rebuilt from the seeds "
                                     f"({damage[-1]}); try again in a moment") from error
                if build.index.problems and self.rebuild is not None:
                    self.rebuild()  # serve the previous good build meanwhile, as the CLI does
            return build


def get_build() -> Build:
    """Return the build this request uses (the same one for the whole request)."""
    if "build" not in g:
        g.build = current_app.extensions[EXTENSION].current()
    return g.build


def get_searcher() -> Searcher:
    """Return this request's searcher, opening it on first use."""
    if "searcher" not in g:
        g.searcher = get_build().searcher()
    return g.searcher


def close_searcher(exception: BaseException | None = None) -> None:
    """Close the request's searcher, if it opened one."""
    searcher = g.pop("searcher", None)
    if searcher is not None:
        searcher.close()


def init_app(app: Flask) -> None:
    """Register the live index and the per-request searcher's teardown with the app."""
    app.extensions[EXTENSION] = LiveIndex(Path(app.config["INDEX"]), app.config["REBUILD"])
    app.teardown_appcontext(close_searcher)
