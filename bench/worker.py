"""One measurement in a fresh process, so that each side's memory and imports are its own.

    python -m bench.worker build SIDE SEEDS INDEX
    python -m bench.worker query SIDE INDEX REPEAT KIND

SIDE is one of bench.sides.SIDES, KIND a kind of corpus (its query set, bench.queries).
Prints one JSON object on stdout.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.queries import QUERY_SETS, BenchQuery
from bench.sides import MODULES, SIDES, TOP


def build(side: str, seeds: Path, target: Path) -> dict:
    """Build one side's index of ``seeds`` into ``target``; return what it indexed and how fast."""
    started = time.perf_counter()
    if side == "ours":
        from search.index import build as build_ours

        report = build_ours(seeds, target)
        figures = {"documents": report.documents, "passages": report.passages,
                   "characters": report.characters, "errors": len(report.errors)}
    else:
        built = importlib.import_module(MODULES[side]).build(seeds, target)
        figures = {"documents": built.documents, "passages": built.passages,
                   "characters": built.characters, "errors": 0}
    return {**figures, "seconds": time.perf_counter() - started}


Run = Callable[[str], tuple[int, int, list]]


def _searcher(side: str, target: Path) -> tuple[Run, Callable[[], None]]:
    """Open a side's index; return (run a query, close). A query returns its total, how many
    passages have all its words, and the top 10's HTML highlights. What a side loads once per
    process or per index is loaded here, untimed."""
    if side == "ours":
        from search.engine import open_searcher

        searcher = open_searcher(target)
        _ = searcher.index.segmenter  # the query vocabulary, read once per opened index

        def run(text: str) -> tuple[int, int, list]:
            result = searcher.search(text, limit=TOP)
            complete = result.total if result.complete is None else result.complete
            return result.total, complete, [hit.highlights for hit in result.hits]

        return run, searcher.close
    other = importlib.import_module(MODULES[side]).Searcher(target)

    def run_other(text: str) -> tuple[int, int, list]:
        total, highlights = other.search(text)
        return total, total, highlights  # every word is required: each hit has them all

    return run_other, other.close


def query(side: str, target: Path, repeat: int, queries: tuple[BenchQuery, ...]) -> dict:
    """Time every query: once on a freshly opened index, then ``repeat`` times on one index."""
    first: list[float] = []
    totals: list[int] = []
    complete: list[int] = []
    for bench_query in queries:
        run, close = _searcher(side, target)  # nothing cached from the queries before
        started = time.perf_counter()
        total, all_words, _ = run(bench_query.text)
        first.append(time.perf_counter() - started)
        totals.append(total)
        complete.append(all_words)
        close()
    opened = time.perf_counter()
    run, close = _searcher(side, target)
    open_seconds = time.perf_counter() - opened
    for bench_query in queries:
        run(bench_query.text)  # warm up once
    timings: list[list[float]] = [[] for _ in queries]
    for _ in range(repeat):
        for index, bench_query in enumerate(queries):
            started = time.perf_counter()
            run(bench_query.text)
            timings[index].append(time.perf_counter() - started)
    close()
    return {"open_seconds": open_seconds, "first": first, "timings": timings, "totals": totals,
            "complete": complete}


def main(argv: list[str]) -> None:
    command, side, *rest = argv
    if side not in SIDES:
        raise SystemExit(f"bench.worker: unknown side {side!r}")
    if command == "build":
        result = build(side, Path(rest[0]), Path(rest[1]))
    elif command == "query":
        result = query(side, Path(rest[0]), int(rest[1]), QUERY_SETS[rest[2]])
    else:
        raise SystemExit(f"bench.worker: unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
