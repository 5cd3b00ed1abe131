"""python -m bench.hostile: hostile queries against a served corpus (the load proof of issue 8).

Generates queries as a hostile user types them (fixed random seed): a word repeated up to
the length limit, a long run of text, many different words, chains of OR, lone characters,
exclusions, unbalanced quotes and parentheses, control characters, over-long queries,
filters that match nothing, far pages and the largest page size. ``--clients`` clients send
them to `policy-search serve` over a generated corpus, half to /api/search and half to the
results page, while one more client sends an ordinary query every 0.2 s. Reports the 5xx
responses (there must be none), the hostile queries' latency and the ordinary query's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import measure
from bench.generate import ensure_corpus, parse_size
from bench.run import BENCH
from search.index import staleness
from search.settings import MAX_QUERY_LENGTH

#: The ordinary query timed while the hostile ones run.
ORDINARY = "专利 质押"
ORDINARY_EVERY_SECONDS = 0.2

_WORDS = ["知识产权", "专利", "质押", "融资", "企业", "服务", "发展", "建设", "工作", "管理",
          "创新", "国家", "天津", "保护", "执法", "商标", "版权", "担保", "银行", "试点", "小镇",
          "中心", "区块链", "的", "和", "2017", "12330", "xyzzy", "京津冀", "运营"]
_TEXT = "知识产权局深入实施知识产权战略行动计划推进知识产权强市建设取得新进展服务实体经济发展"


def _fit(text: str) -> str:
    return text[:MAX_QUERY_LENGTH]


def hostile_params(rng: random.Random) -> dict[str, str]:
    """Return the query-string parameters of one hostile request."""
    word, other = rng.choice(_WORDS), rng.choice(_WORDS)
    kind = rng.randrange(14)
    if kind == 0:  # a word repeated to the length limit, then another
        text = _fit(" ".join([word] * (MAX_QUERY_LENGTH // (len(word) + 1) - 2)) + " " + other)
    elif kind == 1:  # the same without spaces
        text = _fit(word * (MAX_QUERY_LENGTH // len(word)))
    elif kind == 2:  # a long run of real text
        start = rng.randrange(len(_TEXT) // 2)
        text = _fit((_TEXT * 5)[start:start + MAX_QUERY_LENGTH])
    elif kind == 3:  # many different words (over the limit: a 400)
        text = " ".join(rng.sample(_WORDS, rng.randrange(8, 25)))
    elif kind == 4:  # a chain of OR
        text = " OR ".join(rng.sample(_WORDS, rng.randrange(4, 16)))
    elif kind == 5:  # lone common characters
        text = " ".join(rng.sample(_TEXT, 15))
    elif kind == 6:  # exclusions
        text = word + " " + " ".join("-" + w for w in rng.sample(_WORDS, 10))
    elif kind == 7:  # unbalanced quotes and parentheses
        text = rng.choice(['"', "(", ")", "“"]) * rng.randrange(1, 60) + word
    elif kind == 8:  # control characters
        text = word + "\x00\x1b[31m"
    elif kind == 9:  # one character over the limit
        text = "专" * (MAX_QUERY_LENGTH + 1)
    elif kind == 10:  # a filter that matches nothing
        text = f"doc:nowhere-{rng.randrange(10**6)} {word} section:99"
    elif kind == 11:  # nested groups
        text = "(" * 20 + f"{word} OR {other}" + ")" * 20
    elif kind == 12:  # quoted repeats
        text = _fit('"' + word * (MAX_QUERY_LENGTH // len(word) - 1) + '"')
    else:  # a phrase of every word
        text = " ".join(f'"{w}"' for w in rng.sample(_WORDS, 12))
    params = {"q": text}
    if rng.random() < 0.2:
        params["page"] = str(rng.choice([2, 50, 999_999_999]))
    if rng.random() < 0.2:
        params["limit"] = "100"
    return params


def _send(port: int, paths: list[str], latencies: list[float], statuses: list[int]) -> None:
    connection = http.client.HTTPConnection(measure.LOOPBACK, port, timeout=60)
    for path in paths:
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(measure.LOOPBACK, port, timeout=60)
        except (OSError, http.client.HTTPException):
            statuses.append(0)
            connection.close()
            connection = http.client.HTTPConnection(measure.LOOPBACK, port, timeout=60)
        latencies.append(time.perf_counter() - started)
    connection.close()


def _ordinary(port: int, stop: threading.Event, latencies: list[float], statuses: list[int]
              ) -> None:
    path = "/api/search?" + urlencode({"q": ORDINARY})
    while not stop.is_set():
        _send(port, [path], latencies, statuses)
        stop.wait(ORDINARY_EVERY_SECONDS)


def run(passages: int, requests: int, clients: int, corpora: Path, index: Path,
        seed: int = 8, workers: int = 1) -> dict:
    """Serve the corpus of ``passages`` with ``workers`` processes and send it ``requests``
    hostile requests."""
    seeds, info = ensure_corpus(corpora, passages)
    if staleness(seeds, index):  # build first: serve would, but not within _wait_for's minute
        subprocess.run([*measure.cli_command(), "index"], env=measure.environment(seeds, index),
                       check=True, capture_output=True)
    rng = random.Random(seed)
    plan = []
    for _ in range(requests):
        route = rng.choice(["/api/search?", "/?"])
        plan.append(route + urlencode(hostile_params(rng)))
    with measure.serving(seeds, index, workers) as (port, process):
        quiet: list[float] = []
        _send(port, ["/api/search?" + urlencode({"q": ORDINARY})] * 20, quiet, [])
        latencies: list[list[float]] = [[] for _ in range(clients)]
        statuses: list[int] = []
        ordinary: list[float] = []
        ordinary_statuses: list[int] = []
        stop = threading.Event()
        timer = threading.Thread(target=_ordinary, args=(port, stop, ordinary, ordinary_statuses))
        threads = [threading.Thread(target=_send, args=(port, plan[n::clients], latencies[n],
                                                        statuses)) for n in range(clients)]
        started = time.perf_counter()
        timer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        stop.set()
        timer.join()
        memory = measure.tree_memory(process)
    flat = [latency for per_client in latencies for latency in per_client]
    counts: dict[str, int] = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    ms = lambda values, pct: round(measure.percentile(values, pct) * 1000, 1)  # noqa: E731
    return {
        "passages": info.passages, "requests": requests, "clients": clients, "workers": workers,
        "seconds": round(seconds, 1), "statuses": counts,
        "server_errors": sum(1 for s in statuses if s >= 500 or s == 0),
        "p50_ms": ms(flat, 50), "p99_ms": ms(flat, 99), "max_ms": ms(flat, 100),
        "ordinary_query": ORDINARY, "ordinary_alone_p50_ms": ms(quiet, 50),
        "ordinary_under_load": len(ordinary), "ordinary_p50_ms": ms(ordinary, 50),
        "ordinary_p99_ms": ms(ordinary, 99), "ordinary_max_ms": ms(ordinary, 100),
        "ordinary_errors": sum(1 for s in ordinary_statuses if s != 200),
        "memory_after_mib": round(memory / 2**20),
    }


def summary(result: dict) -> str:
    """Return the result as the README states it."""
    return (f"{result['requests']} hostile requests from {result['clients']} clients to "
            f"`policy-search serve --workers {result['workers']}` over {result['passages']} passages "
            f"in {result['seconds']} s: "
            f"{result['server_errors']} 5xx (statuses {result['statuses']}), p50 "
            f"{result['p50_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms. "
            f"Meanwhile `{result['ordinary_query']}` ({result['ordinary_under_load']} times): "
            f"p50 {result['ordinary_p50_ms']} ms, p99 {result['ordinary_p99_ms']} ms, max "
            f"{result['ordinary_max_ms']} ms (alone: p50 {result['ordinary_alone_p50_ms']} ms). "
            f"Server memory afterwards (PSS summed over its processes): "
            f"{result['memory_after_mib']} MiB.")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n")[0])
    p.add_argument("--size", type=parse_size, default=parse_size("30k"), help="passages [30k]")
    p.add_argument("--requests", type=int, default=10_000, help="hostile requests [10000]")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients [8]")
    p.add_argument("--workers", type=int, default=2, help="serve --workers [2]")
    p.add_argument("--corpora", type=Path, default=BENCH / "corpora")
    p.add_argument("--out", type=Path, default=BENCH / "out")
    args = p.parse_args(argv)
    index = args.out / "hostile-index"
    result = run(args.size, args.requests, args.clients, args.corpora, index,
                 workers=args.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "hostile.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    print(summary(result))
    sys.exit(1 if result["server_errors"] else 0)


if __name__ == "__main__":
    main()
