"""Fixtures shared by the engine, CLI, web and benchmark tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import build as build_module
from search import hot_postings, matches
from search import update
from search.engine import Searcher, open_searcher
from search.index import build

#: The test libraries are small: with this, a term of 16 postings in a segment is written to
#: the segment's hot postings file as a large library's common terms are, so the parity
#: tests (tests/test_whoosh_private.py) read both ways to postings, and phrases that mix
#: them. Indexes built by a command-line process keep the product's threshold.
hot_postings.HOT_FROM = 16

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_DOC = "tianjin-ip-2017"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built from the real seeds/ folder, once per test session."""
    root = tmp_path_factory.mktemp("seed-index")
    report = build(SEEDS, root)
    assert report.errors == []
    return root


FIXTURES = REPO / "tests" / "fixtures"
#: A small policy library: the seed plus real documents of other offices, types and years,
#: all existing fixtures (tests/fixtures/PROVENANCE.md says where each comes from).
LIBRARY = {
    "tianjin-ip-2017.txt": SEEDS / "tianjin-ip-2017.txt",
    "01_国发〔2019〕5号.html": FIXTURES / "html/01_国发〔2019〕5号.html",
    "07_国办发〔2018〕128号.html": FIXTURES / "html/07_国办发〔2018〕128号.html",
    "09_国办发〔2018〕129号.html": FIXTURES / "html/09_国办发〔2018〕129号.html",
    **{f"行政法规/{name}": FIXTURES / "relevance/seeds/laws/行政法规" / name for name in (
        "专利代理条例(2018-11-06).md", "中国公民收养子女登记办法(2019-03-02).md",
        "中国公民收养子女登记办法(2023-07-20).md")},
}


def copy_library(seeds: Path) -> Path:
    """Copy the library's documents into ``seeds`` and return it."""
    for name, source in LIBRARY.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_bytes(source.read_bytes())
    return seeds


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds folder and index of the multi-document library, built once per session."""
    root = tmp_path_factory.mktemp("library")
    seeds = copy_library(root / "seeds")
    report = build(seeds, root / "index")
    assert report.errors == []
    return seeds, root / "index"


TITLE = "关于印发天津市知识产权局2017年工作总结的通知"


def _copies_in_segments(tmp_path_factory: pytest.TempPathFactory, name: str,
                        titled: bool = False) -> tuple[Path, Path]:
    """Twenty copies of the seed document, indexed by two processes into several segments;
    ``titled``, each with a title of its own (not versions of one document)."""
    seeds = tmp_path_factory.mktemp(f"{name}-copies")
    seed = (SEEDS / "tianjin-ip-2017.txt").read_text("utf-8")
    for number in range(20):
        text = seed.replace(TITLE, f"{TITLE}（副本{number}）") if titled else seed
        (seeds / f"copy-{number:02d}.txt").write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp(f"{name}-index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "PARALLEL_THRESHOLD", 100)
        build(seeds, root)
    return seeds, root


@pytest.fixture(scope="session")
def segmented_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds folder and index of twenty copies of the seed document in several segments."""
    return _copies_in_segments(tmp_path_factory, "segmented")


@pytest.fixture(scope="session")
def segmented_index(segmented_library: tuple[Path, Path]) -> Path:
    """Twenty copies of the seed document in several segments."""
    return segmented_library[1]


@pytest.fixture(scope="session")
def updated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty copies of the seed document in segments, then an update that changed three
    copies, removed two and added one: the segments it reused hold deleted passages."""
    seeds, root = _copies_in_segments(tmp_path_factory, "updated", titled=True)
    for number in (3, 9, 15):
        path = seeds / f"copy-{number:02d}.txt"
        path.write_text(path.read_text("utf-8").replace("专利", "专利权"), "utf-8")
    for number in (4, 5):
        (seeds / f"copy-{number:02d}.txt").unlink()
    (seeds / "copy-99.txt").write_text(
        (seeds / "copy-00.txt").read_text("utf-8").replace("天津", "北京"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(update, "MERGE_BELOW", 0)  # keep the deletions in the reused segments
        assert build(seeds, root).mode == "update"
    return root


@pytest.fixture(params=["dicts", "arrays"])
def match_form(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with match sets in both forms: as dicts (below matches.NUMPY_FROM, where
    the test corpora are) and as numpy arrays (every set, however small)."""
    if request.param == "arrays":
        monkeypatch.setattr(matches, "NUMPY_FROM", 1)
    return request.param


@pytest.fixture(scope="session")
def searcher(seed_index: Path) -> Searcher:
    """A searcher over the real seed corpus."""
    opened = open_searcher(seed_index)
    yield opened
    opened.close()


@pytest.fixture()
def corpus(tmp_path: Path):
    """Write seed files into a fresh folder and build an index of them.

    Usage: ``seeds, index = corpus({"a.txt": "text", "b.txt": b"bytes"})``.
    """

    def make(files: dict[str, str | bytes], build_index: bool = True) -> tuple[Path, Path]:
        seeds = tmp_path / "seeds"
        seeds.mkdir(exist_ok=True)
        for name, content in files.items():
            path = seeds / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root = tmp_path / "index"
        if build_index:
            build(seeds, root)
        return seeds, root

    return make


def run_cli(*args: str, seeds: Path = SEEDS, index: Path, env: dict | None = None,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real policy-search command in a subprocess (as a user types it)."""
    environment = {**os.environ, "POLICY_SEARCH_SEEDS": str(seeds),
                   "POLICY_SEARCH_INDEX": str(index), **(env or {})}
    return subprocess.run([sys.executable, "-m", "search", *args], capture_output=True,
                          text=True, env=environment, input=input, timeout=120)


def long_law(articles: int = 3000) -> str:
    """Return a law as long as the 民法典 or longer: 编 / 章 / 节 headings over ``articles``
    articles (written out in Chinese numerals, as a real law numbers them)."""
    import cn2an

    lines = ["# 中华人民共和国长法典", ""]
    per_part, per_chapter, per_section = articles // 5, articles // 25, articles // 50
    for number in range(1, articles + 1):
        index = number - 1
        if index % per_part == 0:
            lines += [f"## 第{cn2an.an2cn(index // per_part + 1)}编 第{index // per_part + 1}编的事项", ""]
        if index % per_chapter == 0:
            lines += [f"### 第{cn2an.an2cn(index // per_chapter + 1)}章 第{index // per_chapter + 1}章的事项", ""]
        if index % per_section == 0:
            lines += [f"#### 第{cn2an.an2cn(index % per_chapter // per_section + 1)}节 "
                      f"第{index // per_section + 1}节的事项", ""]
        lines += [f"第{cn2an.an2cn(number)}条 本条规定第{number}项事务的办理程序和时限。", ""]
    return "\n".join(lines)
