"""The benchmark on tiny corpora: its corpora, its anchors, a run end to end (the real run is
`make bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import sqlite_trigram, tantivy_jieba
from bench.generate import document_text, ensure_corpus
from bench.sides import SIDES
from search.documents import parse_document, read_corpus

REPO = Path(__file__).resolve().parent.parent
#: Nine real laws, regulations, interpretations and a case (300 passages): the law corpus's source.
LAWS = REPO / "tests" / "fixtures" / "metadata" / "laws"


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


def test_the_law_corpus_replicates_real_laws_under_new_ids(tmp_path: Path) -> None:
    docs, info = ensure_corpus(tmp_path, 400, kind="laws", source=LAWS)
    documents, errors = read_corpus(docs)
    assert errors == [] and info.kind == "laws" and info.documents == len(documents)
    assert info.passages == sum(len(d.passages) for d in documents) >= 400
    ids = [d.id for d in documents]
    assert len(set(ids)) == len(ids)
    by_id = {d.id: d for d in documents}
    original, copy = by_id["上海市出版物发行管理条例-2021-08-25"], by_id["上海市出版物发行管理条例-2021-08-25-r1"]
    assert copy.title == f"（副本1）{original.title}"
    assert [p.text for p in copy.passages] == [p.text for p in original.passages]
    assert not copy.versions and not original.versions  # copies are not versions of one law
    stamp = (docs / copy.source_path).stat().st_mtime_ns
    assert ensure_corpus(tmp_path, 400, kind="laws", source=LAWS) == (docs, info)
    assert (docs / copy.source_path).stat().st_mtime_ns == stamp


def _containing(seeds: Path, *words: str) -> int:
    """Count the passages whose text holds every word verbatim (the truth for a substring index)."""
    documents, _ = read_corpus(seeds)
    return sum(all(word in p.text for word in words) for d in documents for p in d.passages)


def test_the_anchors_index_the_same_passages_and_differ_where_expected(tmp_path: Path) -> None:
    seeds, info = ensure_corpus(tmp_path / "corpora", 60)
    for anchor in (tantivy_jieba, sqlite_trigram):
        assert anchor.build(seeds, tmp_path / anchor.__name__).passages == info.passages
    tantivy = tantivy_jieba.Searcher(tmp_path / tantivy_jieba.__name__)
    sqlite = sqlite_trigram.Searcher(tmp_path / sqlite_trigram.__name__)
    try:
        # FTS5's trigrams find any substring (LIKE for two characters), all words required.
        for query, words in (("权质押", ["权质押"]), ("专利", ["专利"]), ("专利 质押", ["专利", "质押"])):
            total, highlights = sqlite.search(query)
            assert total == _containing(seeds, *words) > 0
            assert len(highlights) == min(total, 10)
        assert "<mark>权质押</mark>" in sqlite.search("权质押")[1][0]
        # tantivy over jieba's words finds words and phrases of words, not a part of a word.
        total, highlights = tantivy.search('"专利权质押"')
        assert total > 0 and all("<b>" in h for h in highlights)
        assert any("<b>专利权</b> <b>质押</b>" in h for h in highlights)
        assert tantivy.search("权质押") == (0, [])
        assert 0 < tantivy.search("专利 质押")[0] <= _containing(seeds, "专利", "质押")
        for searcher in (tantivy, sqlite):
            assert searcher.search("xyzzy") == (0, [])
            assert searcher.search("專利")[0] == 0  # neither folds Traditional script
    finally:
        tantivy.close()
        sqlite.close()


def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "60", "--laws", "40", "--laws-source", str(LAWS),
         "--repeat", "1", "--cold-runs", "1", "--web-requests", "24", "--web-clients", "2",
         "--out", str(out), "--corpora", str(tmp_path / "corpora")],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    synthetic, laws = results["sizes"]
    assert (synthetic["label"], laws["label"]) == ("60", "laws-40")
    for size in (synthetic, laws):
        for side in SIDES:
            assert size[side]["build"]["passages"] == size["passages"]
            assert size[side]["query"]["p50_ms"] > 0
            assert len(size[side]["query"]["per_query"]) == len(size["queries"])
        assert size["serve"]["idle_warm_bytes"] > size["serve"]["idle_started_bytes"] / 2 > 0
    assert synthetic["queries"] != laws["queries"]  # each corpus is asked about what it holds
    for step in ("add", "change", "remove"):  # one document, until a query sees it
        assert laws["updates"][step]["seconds"] >= laws["updates"][step]["index_seconds"] > 0
    assert results["web"]["errors"] == 0
    assert {t["target"].split(" ")[0] for t in results["targets"]} >= {"query", "build", "web:"}
    assert any("tantivy" in t["target"] for t in results["targets"])
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "| query p50 (ms) |" in table and "| build throughput (chars/s) |" in table
    assert "serve idle RSS" in table and "## Incremental updates" in table
    assert "| figure | policy-search | naive recipe | tantivy + jieba | SQLite FTS5 trigram |" in table
    assert "## Each query at laws-40" in table and "`劳动合同`" in table
    assert (out / "chart.png").read_bytes().startswith(b"\x89PNG")
