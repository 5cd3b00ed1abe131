"""Relevance on real documents: policy-search beside plain jieba + BM25 on the same passages.

    .venv/bin/python -m bench.relevance                  # the set in tests/fixtures/relevance
    .venv/bin/python -m bench.relevance --json out.json  # also every number and ranking, as JSON

Each line of queries.jsonl names the passage that must come back in the top 3 by its file (under
the seed folder) and a verbatim snippet of it; ``also`` lists equally right passages. Both
systems rank the passages that ``search.documents.read_corpus`` makes of the seed folder:
policy-search through its own index (built in a temporary folder), the reference through
bm25s over ``jieba.lcut`` of each passage's text, punctuation and whitespace tokens dropped, the
query cut the same way. Reported per kind and overall: success@3 (an expected passage in the
top 3) and MRR@10 (1 / rank of the first expected passage in the top 10, else 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "relevance"
KINDS = ("keyword", "phrase", "number", "traditional", "lay", "question")
TOP = 3
DEPTH = 10
SYSTEMS = ("policy-search", "jieba+bm25")

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Expectation:
    """A passage that answers a query: its file (under the seed folder) and a verbatim snippet."""

    file: str
    snippet: str


@dataclass(frozen=True)
class Query:
    """One line of queries.jsonl."""

    text: str
    kind: str
    expected: tuple[Expectation, ...]  # the passage the author chose, then its equals
    note: str = ""


@dataclass(frozen=True)
class Score:
    """Where a system put the first expected passage for one query."""

    rank: int | None  # 1-based, within the top DEPTH

    @property
    def success(self) -> bool:
        return self.rank is not None and self.rank <= TOP

    @property
    def reciprocal_rank(self) -> float:
        return 1 / self.rank if self.rank else 0.0


def collapse(text: str) -> str:
    """Remove whitespace, so that a snippet matches across line breaks and indentation."""
    return _SPACE_RE.sub("", text)


def load_queries(path: Path) -> list[Query]:
    """Read queries.jsonl (one JSON object per line)."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expected = [Expectation(row["file"], row["snippet"])]
        expected += [Expectation(a["file"], a["snippet"]) for a in row.get("also", ())]
        queries.append(Query(row["query"], row["kind"], tuple(expected), row.get("note", "")))
    return queries


def map_expectations(queries: Sequence[Query], documents: Iterable,
                     ) -> tuple[list[frozenset[str]], list[str]]:
    """Return the passage ids each query expects, and a line for each expectation that maps to
    no passage or to several (all of several are accepted)."""
    by_file = {d.source_path: [(p.id, collapse(p.text)) for p in d.passages] for d in documents}
    targets, problems = [], []
    for query in queries:
        ids: set[str] = set()
        for expectation in query.expected:
            passages = by_file.get(expectation.file)
            if passages is None:
                problems.append(f"{query.text!r}: no document has source_path {expectation.file}")
                continue
            snippet = collapse(expectation.snippet)
            found = [pid for pid, text in passages if snippet in text]
            if len(found) != 1:
                where = ", ".join(found) if found else "no passage"
                problems.append(
                    f"{query.text!r}: {expectation.snippet!r} in {expectation.file} -> {where}")
            ids.update(found)
        targets.append(frozenset(ids))
    return targets, problems


def score(ranking: Sequence[str], expected: frozenset[str]) -> Score:
    """Score one ranking against the expected passage ids."""
    for rank, pid in enumerate(ranking[:DEPTH], 1):
        if pid in expected:
            return Score(rank)
    return Score(None)


def summary(scores: Sequence[Score]) -> dict:
    """Return n, success@3 and MRR@10 of a list of scores."""
    n = len(scores)
    return {"n": n,
            "success@3": sum(s.success for s in scores) / n if n else 0.0,
            "mrr@10": sum(s.reciprocal_rank for s in scores) / n if n else 0.0}


def by_kind(queries: Sequence[Query], scores: Sequence[Score]) -> dict:
    """Return the summary per kind, overall (each query counts once), macro (each kind once)."""
    kinds = {k: summary([s for q, s in zip(queries, scores) if q.kind == k]) for k in KINDS}
    kinds = {k: v for k, v in kinds.items() if v["n"]}
    macro = {m: sum(v[m] for v in kinds.values()) / len(kinds) if kinds else 0.0
             for m in ("success@3", "mrr@10")}
    return {"by_kind": kinds, "overall": summary(scores), "macro": {"n": len(kinds), **macro}}


def _is_word(token: str) -> bool:
    return any(not unicodedata.category(c).startswith(("P", "Z", "C")) and not c.isspace()
               for c in token)


def jieba_words(cut: Callable[[str], list[str]], text: str) -> list[str]:
    """Cut text with jieba and drop the punctuation and whitespace tokens."""
    return [t for t in cut(text) if _is_word(t)]


def bm25_rankings(passages: Sequence[tuple[str, str]], queries: Sequence[str]) -> list[list[str]]:
    """Rank (id, text) passages for each query with bm25s over jieba words (the reference)."""
    import logging

    import bm25s
    import jieba
    import numpy

    jieba.setLogLevel(logging.WARNING)
    cut = jieba.Tokenizer().lcut  # jieba's own dictionary, untouched by anything the engine adds
    retriever = bm25s.BM25()
    retriever.index([jieba_words(cut, text) for _, text in passages], show_progress=False)
    rankings = []
    for query in queries:
        words = jieba_words(cut, query)
        if not words:  # bm25s cannot score an empty query
            rankings.append([])
            continue
        scores = retriever.get_scores(words)
        order = numpy.argsort(-scores, kind="stable")[:DEPTH]
        rankings.append([passages[i][0] for i in order if scores[i] > 0])
    return rankings


def policy_search_rankings(seeds: Path, queries: Sequence[str],
                           ) -> tuple[list[list[str]], list[str]]:
    """Build a policy-search index of the seeds in a temporary folder and run every query."""
    from search.engine import open_searcher
    from search.index import build

    rankings, errors = [], []
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        root = Path(tmp) / "index"
        build(seeds, root)
        with open_searcher(root) as searcher:
            for query in queries:
                try:
                    hits = searcher.search(query, limit=DEPTH).hits
                except ValueError as error:  # QueryError: the query cannot run at all
                    errors.append(f"{query!r}: {error}")
                    hits = []
                rankings.append([hit.id for hit in hits])
    return rankings, errors


def evaluate(seeds: Path, queries_path: Path, log: Callable[[str], None]) -> dict:
    """Run both systems over the relevance set and return every number (the JSON shape)."""
    from search.documents import read_corpus

    queries = load_queries(queries_path)
    documents, corpus_errors = read_corpus(seeds)
    for error in corpus_errors:
        log(f"unreadable seed file: {error}")
    targets, problems = map_expectations(queries, documents)
    scored = [i for i, t in enumerate(targets) if t]
    texts = [queries[i].text for i in scored]
    passages = [(p.id, p.text) for d in documents for p in d.passages]
    log(f"{len(documents)} documents, {len(passages)} passages, {len(queries)} queries "
        f"({len(queries) - len(scored)} with no passage to find)")

    rankings, seconds = {}, {}
    started = time.perf_counter()
    rankings["policy-search"], query_errors = policy_search_rankings(seeds, texts)
    seconds["policy-search"] = time.perf_counter() - started
    started = time.perf_counter()
    rankings["jieba+bm25"] = bm25_rankings(passages, texts)
    seconds["jieba+bm25"] = time.perf_counter() - started

    scores = {name: [score(ranking, targets[i]) for ranking, i in zip(rankings[name], scored)]
              for name in SYSTEMS}
    systems = {name: {**by_kind([queries[i] for i in scored], scores[name]),
                      "seconds": round(seconds[name], 2)} for name in SYSTEMS}
    per_query = [{"query": queries[i].text, "kind": queries[i].kind, "expected": sorted(targets[i]),
                  **{name: {"rank": scores[name][row].rank, "top": rankings[name][row]}
                     for name in SYSTEMS}}
                 for row, i in enumerate(scored)]
    return {"seeds": str(seeds), "queries": len(queries), "scored": len(scored),
            "documents": len(documents), "passages": len(passages), "mapping_problems": problems,
            "query_errors": query_errors, "systems": systems, "per_query": per_query}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def markdown(result: dict) -> str:
    """Render the result as a markdown table and the per-query misses."""
    systems = result["systems"]
    head = ["kind", "n"] + [f"{name} {m}" for name in SYSTEMS for m in ("success@3", "MRR@10")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(label: str, key: Callable[[dict], dict]) -> str:
        n = key(systems[SYSTEMS[0]])["n"]
        cells = [label, str(n)]
        for name in SYSTEMS:
            part = key(systems[name])
            cells += [_pct(part["success@3"]), f"{part['mrr@10']:.3f}"]
        return "| " + " | ".join(cells) + " |"

    for kind in systems[SYSTEMS[0]]["by_kind"]:
        lines.append(row(kind, lambda s, k=kind: s["by_kind"][k]))
    lines.append(row("**overall**", lambda s: s["overall"]))
    lines.append(row("macro (mean of kinds)", lambda s: s["macro"]))
    out = [f"Relevance: {result['scored']} queries over {result['documents']} documents, "
           f"{result['passages']} passages ({result['seeds']})", "", *lines, ""]
    if result["mapping_problems"]:
        out += ["Expectations that do not map to exactly one passage:", ""]
        out += [f"- {p}" for p in result["mapping_problems"]] + [""]
    if result["query_errors"]:
        out += ["Queries policy-search refused:", ""]
        out += [f"- {e}" for e in result["query_errors"]] + [""]
    for name in SYSTEMS:
        misses = [q for q in result["per_query"] if (q[name]["rank"] or DEPTH + 1) > TOP]
        out += [f"Misses of {name} (expected passage not in the top {TOP}): {len(misses)}", ""]
        for q in misses:
            rank = q[name]["rank"]
            out.append(f"- [{q['kind']}] {q['query']} -> expected {', '.join(q['expected'])}; "
                       f"{'rank ' + str(rank) if rank else 'not in top ' + str(DEPTH)}; "
                       f"top {TOP}: {', '.join(q[name]['top'][:TOP]) or '(no hits)'}")
        out.append("")
    return "\n".join(out)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=Path, default=FIXTURES / "seeds",
                   help="the seed folder [tests/fixtures/relevance/seeds]")
    p.add_argument("--queries", type=Path, default=None,
                   help="the relevance set [queries.jsonl beside the seed folder]")
    p.add_argument("--json", type=Path, default=None,
                   help="also write every number and ranking to this file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    queries = args.queries or args.seeds.parent / "queries.jsonl"
    for path in (args.seeds, queries):
        if not path.exists():
            print(f"bench.relevance: error: {path} does not exist", file=sys.stderr)
            return 1
    result = evaluate(args.seeds, queries,
                      lambda line: print(f"bench.relevance: {line}", file=sys.stderr))
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
