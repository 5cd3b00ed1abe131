"""One measurement in a fresh process, so that each side's memory and imports are its own.

    python -m bench.worker build ours|naive SEEDS INDEX
    python -m bench.worker query ours|naive INDEX REPEAT

Prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.queries import QUERIES

SIDES = ("ours", "naive")


def build(side: str, seeds: Path, target: Path) -> dict:
    """Build one side's index of ``seeds`` into ``target``; return what it indexed and how fast."""
    started = time.perf_counter()
    if side == "ours":
        from search.index import build as build_ours

        report = build_ours(seeds, target)
        figures = {"documents": report.documents, "passages": report.passages,
                   "characters": report.characters, "errors": len(report.errors)}
    else:
        from bench.naive import build as build_naive

        report = build_naive(seeds, target)
        figures = {"documents": report.documents, "passages": report.passages,
                   "characters": report.characters, "errors": 0}
    return {**figures, "seconds": time.perf_counter() - started}


Run = Callable[[str], tuple[int, list]]


def _searcher(side: str, target: Path) -> tuple[Run, Callable[[], None]]:
    """Open a side's index; return (run a query: its total and the top 10's HTML highlights,
    close). What either side loads once per process or per index is loaded here, untimed."""
    if side == "ours":
        from search.engine import open_searcher

        searcher = open_searcher(target)
        _ = searcher.index.segmenter  # the query vocabulary, read once per opened index

        def run(text: str) -> tuple[int, list]:
            result = searcher.search(text, limit=10)
            return result.total, [hit.highlights for hit in result.hits]

        return run, searcher.close
    import jieba

    from bench.naive import NaiveSearcher

    jieba.initialize()  # jieba's dictionary, otherwise read by the first query of the process
    naive = NaiveSearcher(target)
    return (lambda text: naive.search(text, limit=10)), naive.close


def query(side: str, target: Path, repeat: int) -> dict:
    """Time every query: once on a freshly opened index, then ``repeat`` times on one index."""
    first: list[float] = []
    totals: list[int] = []
    for bench_query in QUERIES:
        run, close = _searcher(side, target)  # nothing cached from the queries before
        started = time.perf_counter()
        totals.append(run(bench_query.text)[0])
        first.append(time.perf_counter() - started)
        close()
    opened = time.perf_counter()
    run, close = _searcher(side, target)
    open_seconds = time.perf_counter() - opened
    for bench_query in QUERIES:
        run(bench_query.text)  # warm up once
    timings: list[list[float]] = [[] for _ in QUERIES]
    for _ in range(repeat):
        for index, bench_query in enumerate(QUERIES):
            started = time.perf_counter()
            run(bench_query.text)
            timings[index].append(time.perf_counter() - started)
    close()
    return {"open_seconds": open_seconds, "first": first, "timings": timings, "totals": totals}


def main(argv: list[str]) -> None:
    command, side, *rest = argv
    if side not in SIDES:
        raise SystemExit(f"bench.worker: unknown side {side!r}")
    if command == "build":
        result = build(side, Path(rest[0]), Path(rest[1]))
    elif command == "query":
        result = query(side, Path(rest[0]), int(rest[1]))
    else:
        raise SystemExit(f"bench.worker: unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
