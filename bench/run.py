"""Run the whole benchmark once and write results.json, results.md and chart.png."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import psutil

from bench import measure, report, targets
from bench.generate import LAWS, SYNTHETIC, CorpusInfo, ensure_corpus, size_label
from bench.queries import QUERIES, QUERY_SETS, BenchQuery
from bench.updates import update_latency

BENCH = Path(__file__).resolve().parent
SEEDS = BENCH.parent / "seeds"
RESULT_FILES = ("results.md", "results.json", "chart.png")


class CorpusSize(NamedTuple):
    """One corpus to measure: its kind (synthetic or the real laws) and its passages."""

    kind: str
    passages: int

    @property
    def label(self) -> str:
        """Name it in tables and folders: 30k for the synthetic corpus, laws-30k for the laws."""
        size = size_label(self.passages)
        return size if self.kind == SYNTHETIC else f"{self.kind}-{size}"


@dataclass(frozen=True)
class Options:
    """What to run and where to put it."""

    sizes: tuple[CorpusSize, ...]
    sides: tuple[str, ...]
    naive_up_to: int | None  # the naive recipe only on corpora of at most this many passages
    updates: bool  # time add / change / remove one document on the real-law corpora
    repeat: int
    out: Path
    corpora: Path
    laws_source: Path  # the laws that the real-law corpora replicate
    cold_runs: int
    web_requests: int
    web_clients: int
    publish: bool
    command: str


def machine() -> dict:
    """Describe the machine: CPU model, cores, RAM, Python."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": psutil.virtual_memory().total / 2**30,
            "python": platform.python_version(), "system": f"{platform.system()} {platform.machine()}"}


def _ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


def _described(queries: tuple[BenchQuery, ...]) -> list[dict]:
    return [{"kind": q.kind, "text": q.text} for q in queries]


def _query_figures(timed: dict) -> dict:
    everything = _ms([t for per_query in timed["timings"] for t in per_query])
    first = _ms(timed["first"])
    return {
        "p50_ms": measure.percentile(everything, 50), "p95_ms": measure.percentile(everything, 95),
        "p99_ms": measure.percentile(everything, 99), "first_p50_ms": measure.percentile(first, 50),
        "first_p95_ms": measure.percentile(first, 95), "open_seconds": timed["open_seconds"],
        "timings": len(everything),
        "per_query": [{"total": total, "all_words": complete,
                       "p50_ms": statistics.median(_ms(per_query)), "first_ms": first_ms}
                      for total, complete, per_query, first_ms
                      in zip(timed["totals"], timed["complete"], timed["timings"], first)],
    }


def measure_side(side: str, seeds: Path, info: CorpusInfo, target: Path, repeat: int,
                 log: Callable[[str], None]) -> dict:
    """Build one side's index in a fresh process, then time the queries in another."""
    shutil.rmtree(target, ignore_errors=True)
    log(f"building {side} index")
    built, peak = measure.run_worker(["build", side, str(seeds), str(target)])
    index_bytes = measure.dir_size(target)
    log(f"  {built['seconds']:.1f} s, peak {peak / report.MIB:.0f} MiB, "
        f"index {index_bytes / report.MIB:.1f} MiB; timing {len(QUERY_SETS[info.kind])} "
        f"queries x {repeat}")
    timed, _ = measure.run_worker(["query", side, str(target), str(repeat), info.kind])
    build = {**built, "chars_per_second": built["characters"] / built["seconds"],
             "peak_bytes": peak, "index_bytes": index_bytes,
             "index_ratio": index_bytes / info.raw_bytes}
    return {"build": build, "query": _query_figures(timed)}


def measure_size(size: CorpusSize, options: Options, log: Callable[[str], None]) -> dict:
    """Write (or reuse) one corpus and measure every side on it, then serve and updates."""
    label = size.label
    seeds, info = ensure_corpus(options.corpora, size.passages, kind=size.kind,
                                source=options.laws_source)
    log(f"{label}: {info.documents} documents, {info.passages} passages, {info.characters} characters")
    out = options.out / label
    sides = {side: measure_side(side, seeds, info, out / f"{side}-index", options.repeat,
                                lambda line: log(f"{label}: {line}"))
             for side in options.sides
             if side != "naive" or options.naive_up_to is None or size.passages <= options.naive_up_to}
    queries = QUERY_SETS[size.kind]
    serve = measure.serve_memory(seeds, out / "ours-index", queries)
    log(f"{label}: serve idle {serve['idle_started_bytes'] / report.MIB:.0f} MiB, "
        f"after the query set {serve['idle_warm_bytes'] / report.MIB:.0f} MiB")
    measured = {"label": label, "requested": size.passages, **info.to_json(),
                "queries": _described(queries), **sides, "serve": serve}
    if options.updates and size.kind == LAWS:
        log(f"{label}: add, change and remove one document (policy-search index, then query)")
        measured["updates"] = update_latency(seeds, out / "ours-index", out / "update-seeds")
        log(f"{label}: " + ", ".join(f"{step} {measured['updates'][step]['seconds']:.1f} s"
                                     for step in targets.UPDATE_STEPS))
    return measured


def run(options: Options, log: Callable[[str], None]) -> dict:
    """Measure everything and write the result files into ``options.out``."""
    started = time.perf_counter()
    options.out.mkdir(parents=True, exist_ok=True)
    measure.compile_package()
    sizes = [measure_size(size, options, log) for size in options.sizes]
    seed_index = options.out / "seed-index"
    shutil.rmtree(seed_index, ignore_errors=True)
    measure.build_seed_index(SEEDS, seed_index)
    log(f"cold start: {options.cold_runs} x policy-search query on the seed corpus")
    cold = measure.cold_start(SEEDS, seed_index, QUERIES[0].text, options.cold_runs)
    log(f"web: {options.web_requests} requests from {options.web_clients} clients on {measure.LOOPBACK}")
    web = measure.web_load(SEEDS, seed_index, options.web_requests, options.web_clients)
    results = {
        "command": options.command, "machine": machine(),
        "queries": _described(QUERIES), "repeat": options.repeat,
        "sides": list(options.sides), "sizes": sizes, "cold_start": cold, "web": web,
    }
    results["targets"] = targets.judge(results)
    results["seconds"] = time.perf_counter() - started
    results["finished"] = time.strftime("%Y-%m-%d")
    write(results, options.out)
    if options.publish:
        for name in RESULT_FILES:
            shutil.copyfile(options.out / name, BENCH / name)
    log(f"done in {results['seconds'] / 60:.1f} minutes: {options.out}/results.md")
    return results


def write(results: dict, out: Path) -> None:
    """Write results.json, results.md and chart.png into ``out``."""
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    (out / "results.md").write_text(report.markdown(results), encoding="utf-8")
    report.chart(results, out / "chart.png")


def log_to_stderr(line: str) -> None:
    print(f"bench: {line}", file=sys.stderr, flush=True)
