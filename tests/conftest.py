"""Fixtures shared by the engine, CLI, web and benchmark tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.engine import Searcher, open_searcher
from search.index import build

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
