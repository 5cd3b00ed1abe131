"""The index on disk: atomic builds, the manifest, staleness, and opening it for reading."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from search import manifest
from search import lifecycle
from search.engine import open_searcher
from search.index import (
    CURRENT, MANIFEST, Index, IndexUnavailable, build, current_build, staleness,
)
from search.settings import ANALYZER_VERSION
from tests.conftest import SEED_DOC, SEEDS

DOC_A = "甲方简报\n专利质押融资增长。\n"
DOC_B = "乙方简报\n商标注册便利化。\n"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-documents")
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(DOC_A, encoding="utf-8")
    (seeds / "b.txt").write_text(DOC_B, encoding="utf-8")
    build(seeds, folder / "index")
    return folder


@pytest.fixture()
def folder(built_once, tmp_path):
    """A seed folder with two documents and an index built from it (a fresh copy per test)."""
    shutil.copytree(built_once, tmp_path, dirs_exist_ok=True)
    return tmp_path / "seeds", tmp_path / "index"


# --- Building ------------------------------------------------------------------------------

def test_a_build_reports_what_it_indexed(tmp_path):
    report = build(SEEDS, tmp_path / "index")
    assert (report.documents, report.passages, report.errors) == (1, 31, [])
    assert report.characters > 8000
    assert current_build(tmp_path / "index").name == report.build


def test_the_manifest_records_seed_hashes_and_analyzer_version(folder):
    seeds, root = folder
    manifest = json.loads((current_build(root) / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["analyzer_version"] == ANALYZER_VERSION
    assert set(manifest["seeds"]) == {"a.txt", "b.txt"}
    assert manifest["seeds"]["a.txt"]["sha256"] == \
        hashlib.sha256((seeds / "a.txt").read_bytes()).hexdigest()
    assert (manifest["documents"], manifest["passages"], manifest["errors"]) == (2, 2, [])


def test_a_bad_file_is_reported_and_the_others_are_indexed(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(DOC_A, encoding="utf-8")
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02")
    (seeds / "gbk.txt").write_bytes(DOC_B.encode("gb18030"))
    report = build(seeds, tmp_path / "index")
    assert report.documents == 2
    assert len(report.errors) == 1 and "binary.txt" in report.errors[0]
    with open_searcher(tmp_path / "index") as searcher:
        assert searcher.search("商标注册").hits[0].id == "gbk/p1"
        assert searcher.search("专利质押").hits[0].id == "good/p1"


def test_building_from_a_missing_seed_folder_is_index_unavailable(tmp_path):
    with pytest.raises(IndexUnavailable, match="does not exist"):
        build(tmp_path / "nowhere", tmp_path / "index")


def test_the_seed_folder_is_never_written(folder):
    seeds, root = folder
    before = sorted(p.name for p in seeds.iterdir())
    build(seeds, root)
    assert sorted(p.name for p in seeds.iterdir()) == before


def test_rebuilding_swaps_current_and_keeps_the_previous_build_past_the_grace_period(
        folder, monkeypatch):
    monkeypatch.setattr(lifecycle, "GRACE_SECONDS", 0.0)
    seeds, root = folder
    first = current_build(root)
    for _ in range(2):
        build(seeds, root, full=True)  # with nothing changed, an update writes no build
    assert current_build(root) != first
    assert len(list(root.glob("build-*"))) == 2
    assert not list(root.glob(f"{CURRENT}.*.tmp"))


def test_ids_are_stable_across_rebuilds(folder):
    seeds, root = folder
    with open_searcher(root) as searcher:
        before = [h.id for h in searcher.search("简报 OR 专利 OR 商标", limit=100).hits]
    build(seeds, root)
    with open_searcher(root) as searcher:
        after = [h.id for h in searcher.search("简报 OR 专利 OR 商标", limit=100).hits]
    assert sorted(before) == sorted(after) == ["a/p1", "b/p1"]


def test_a_reader_keeps_working_on_its_build_while_the_index_is_rebuilt(folder):
    seeds, root = folder
    with open_searcher(root) as reader:
        (seeds / "a.txt").write_text("甲方简报\n区块链应用。\n", encoding="utf-8")
        build(seeds, root)
        assert not reader.index.is_live()
        assert [h.id for h in reader.search("专利质押").hits] == ["a/p1"]
        with open_searcher(root) as fresh:
            assert fresh.index.is_live()
            assert fresh.search("专利质押").total == 0
            assert [h.id for h in fresh.search("区块链").hits] == ["a/p1"]


def test_a_reader_keeps_working_after_its_build_folder_is_deleted(folder, monkeypatch):
    monkeypatch.setattr(lifecycle, "GRACE_SECONDS", 0.0)
    seeds, root = folder
    reader = open_searcher(root)
    try:
        for _ in range(2):
            build(seeds, root, full=True)
        assert not reader.index.path.exists()
        assert [h.id for h in reader.search("专利质押").hits] == ["a/p1"]
        assert reader.passage("b/p1").text == "商标注册便利化。"
        assert reader.document("a")[0]["title"] == "甲方简报"
    finally:
        reader.close()


def test_a_failed_build_leaves_the_live_index_alone(folder, monkeypatch):
    seeds, root = folder
    live = current_build(root)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(manifest, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build(seeds, root, full=True)
    assert current_build(root) == live
    assert sorted(root.glob("build-*")) == [live]
    with open_searcher(root) as searcher:
        assert searcher.search("专利质押").total == 1


# --- Staleness -----------------------------------------------------------------------------

def test_a_fresh_index_is_not_stale(folder):
    assert staleness(*folder) is None


def test_touching_a_seed_without_changing_it_is_not_stale(folder):
    seeds, root = folder
    stat = (seeds / "a.txt").stat()
    os.utime(seeds / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert staleness(seeds, root) is None
    (seeds / "b.txt").write_text(DOC_B, encoding="utf-8")   # saved again, same content
    assert staleness(seeds, root) is None


@pytest.mark.parametrize("change, reason", [
    (lambda seeds: (seeds / "a.txt").write_text(DOC_A + "新增一段。\n", encoding="utf-8"),
     "seed file a.txt changed"),
    (lambda seeds: (seeds / "c.txt").write_text(DOC_B, encoding="utf-8"),
     "seed files added c.txt"),
    (lambda seeds: (seeds / "b.txt").unlink(), "seed files removed b.txt"),
    (lambda seeds: (seeds / "b.txt").rename(seeds / "b2.md"), "added b2.md, removed b.txt"),
    (lambda seeds: shutil.rmtree(seeds), "removed a.txt, b.txt"),
    # A thousand new files are counted, not listed, so the message stays one short line.
    (lambda seeds: [(seeds / f"new-{n:04d}.txt").write_text(DOC_B, encoding="utf-8")
                    for n in range(1000)],
     "seed files added new-0000.txt, new-0001.txt, new-0002.txt and 997 more"),
])
def test_a_changed_seed_folder_is_stale_and_says_why(folder, change, reason):
    seeds, root = folder
    change(seeds)
    assert reason in staleness(seeds, root)


def test_a_file_the_reader_ignores_does_not_make_the_index_stale(folder):
    seeds, root = folder
    (seeds / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (seeds / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (seeds / ".DS_Store").write_bytes(b"\x00")
    assert staleness(seeds, root) is None


def test_a_new_analyzer_version_makes_the_index_stale(folder, monkeypatch):
    monkeypatch.setattr(manifest, "ANALYZER_VERSION", ANALYZER_VERSION + "-next")
    assert staleness(*folder) == "the analyzer changed"


def test_an_index_of_an_older_format_is_stale(folder):
    seeds, root = folder
    path = current_build(root) / MANIFEST
    manifest_json = json.loads(path.read_text(encoding="utf-8"))
    del manifest_json["index_format"]  # as every build before the SQLite catalogue
    path.write_text(json.dumps(manifest_json), encoding="utf-8")
    assert staleness(seeds, root) == "the index format changed"


def test_a_changed_dictionary_makes_the_index_stale(folder, monkeypatch):
    monkeypatch.setattr(manifest, "fingerprint", lambda: "0" * 16)
    assert staleness(*folder) == "the dictionary changed"


def test_a_missing_index_is_stale(tmp_path):
    assert staleness(SEEDS, tmp_path / "index") == f"no index in {tmp_path / 'index'}"


def test_an_unreadable_manifest_is_stale(folder):
    seeds, root = folder
    (current_build(root) / MANIFEST).write_text("{truncated", encoding="utf-8")
    assert "unreadable" in staleness(seeds, root)


# --- Opening a missing or broken index ------------------------------------------------------

def test_opening_a_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexUnavailable, match="policy-search index"):
        Index(tmp_path / "index")


@pytest.mark.parametrize("breakage, problem", [
    (lambda root: (root / CURRENT).write_text("build-gone\n"), "names build-gone"),
    (lambda root: (root / CURRENT).write_text(""), "is not a build name"),
    (lambda root: (root / CURRENT).write_bytes(b"\xff\xfe\x00\x01"), "binary"),
    (lambda root: (root / CURRENT).unlink(), "CURRENT is missing"),
], ids=["CURRENT dangling", "CURRENT empty", "CURRENT binary", "CURRENT missing"])
def test_a_bad_current_opens_the_sound_build_and_names_the_problem(folder, breakage, problem):
    seeds, root = folder
    sound = current_build(root)
    breakage(root)
    opened = Index(root)
    assert opened.path == sound
    assert problem in opened.problems[0]


@pytest.mark.parametrize("breakage", [
    pytest.param(lambda root, live: ((root / CURRENT).write_text("build-gone\n"), shutil.rmtree(live)),
                 id="CURRENT dangling, no other build"),
    pytest.param(lambda root, live: (live / MANIFEST).unlink(), id="manifest missing"),
    pytest.param(lambda root, live: [p.unlink() for p in live.glob("*.toc")], id="whoosh TOC missing"),
    pytest.param(lambda root, live: [p.write_bytes(b"garbage") for p in live.glob("*.toc")],
                 id="whoosh TOC corrupt",
                 # whoosh leaves the TOC file open when it cannot parse it.
                 marks=pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")),
    pytest.param(lambda root, live: (live / "documents.sqlite").write_text("{"), id="catalogue corrupt"),
    pytest.param(lambda root, live: (live / "documents.sqlite").unlink(), id="catalogue missing"),
    pytest.param(lambda root, live: (live / "vocabulary.marshal").write_bytes(b"\x00"),
                 id="vocabulary corrupt"),
])
def test_a_broken_index_is_index_unavailable_with_a_hint(folder, breakage):
    seeds, root = folder
    breakage(root, current_build(root))
    with pytest.raises(IndexUnavailable, match="policy-search index"):
        Index(root)


def test_a_broken_index_is_rebuilt_by_the_next_build(folder):
    seeds, root = folder
    (root / CURRENT).write_text("build-gone\n")
    assert staleness(seeds, root) is not None
    build(seeds, root)
    assert staleness(seeds, root) is None
    with open_searcher(root) as searcher:
        assert searcher.search("商标").total == 1


def test_the_seed_index_fixture_is_fresh(seed_index: Path):
    assert staleness(SEEDS, seed_index) is None
    assert Index(seed_index).documents[SEED_DOC]["passages"][:3] == ["notice", "intro", "1"]
