"""Smoke test: the benchmark runs end to end on a tiny corpus (the real run is `make bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.generate import document_text, ensure_corpus
from search.documents import parse_document

REPO = Path(__file__).resolve().parent.parent


def test_generated_documents_parse_into_the_passages_they_promise(tmp_path: Path) -> None:
    for index in range(5):
        text, passages = document_text(seed=7, index=index)
        assert text == document_text(seed=7, index=index)[0]
        path = tmp_path / f"doc-{index}.txt"
        path.write_text(text, encoding="utf-8")
        document = parse_document(path)
        assert len(document.passages) == passages
        assert document.title.startswith("关于印发") and document.date and document.meta.office


def test_a_generated_corpus_is_reused(tmp_path: Path) -> None:
    docs, info = ensure_corpus(tmp_path, 80)
    assert info.passages >= 80 and len(list(docs.iterdir())) == info.documents
    stamp = (docs / "policy-00000.txt").stat().st_mtime_ns
    assert ensure_corpus(tmp_path, 80) == (docs, info)
    assert (docs / "policy-00000.txt").stat().st_mtime_ns == stamp


def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "60", "--repeat", "1", "--cold-runs", "1",
         "--web-requests", "24", "--web-clients", "2", "--out", str(out),
         "--corpora", str(tmp_path / "corpora")],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    (size,) = results["sizes"]
    for side in ("ours", "naive"):
        assert size[side]["build"]["passages"] == size["passages"]
        assert size[side]["query"]["p50_ms"] > 0
    assert size["serve"]["idle_warm_bytes"] > size["serve"]["idle_started_bytes"] / 2 > 0
    assert results["web"]["errors"] == 0
    assert {t["target"].split(" ")[0] for t in results["targets"]} >= {"query", "build", "web:"}
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "| query p50 (ms) |" in table and "| build throughput (chars/s) |" in table
    assert "serve idle RSS" in table
    assert (out / "chart.png").read_bytes().startswith(b"\x89PNG")
