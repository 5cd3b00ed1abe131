"""Incremental updates: only the changed seed files are read, and the index is the one a
full build of the same seeds gives (ids, hits, scores, ranking, catalogue, pinyin)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import jieba
import pytest

from search import manifest
from search import dictionary_file, lifecycle, update
from search.engine import Searcher, open_searcher
from search.index import Index, build, current_build, staleness
from search.integrity import verify_checksums
from search.schema import DICTIONARY
from tests.conftest import SEEDS, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
ADOPTION = FIXTURES / "relevance/seeds/laws/行政法规"
OLD_LAW, NEW_LAW = "中国公民收养子女登记办法(2019-03-02).md", "中国公民收养子女登记办法(2023-07-20).md"
DOC_A = "甲方简报\n专利质押融资增长，商标注册便利化。\n"
DOC_B = "乙方简报\n一、总体情况\n商标注册申请量上升。\n二、融资\n专利质押融资余额下降。\n"
DOC_C = "丙方简报\n知识产权保护工作取得进展，专利质押贷款增长。\n"
QUERIES = ["专利质押", "知识产权", "商标 注册", "融资", "收养登记 办理", "智保贷", "第三条",
           "简报", "专利 -商标"]


def _state(root: Path, same_dictionary: bool = True) -> dict:
    """Return what a user sees of an index: every query's hits (with their scores), the
    catalogue (documents, metadata, versions, passage ids) and the pinyin table; with
    terms pending a full build (not ``same_dictionary``), the hits without their scores."""
    with open_searcher(root) as searcher:
        hits = {}
        for text in QUERIES:
            result = searcher.search(text, limit=100, facets=True)
            hits[text] = (result.total, result.relaxed, result.facets,
                          [(hit.id, round(hit.score, 9) if same_dictionary else None,
                            hit.matched)
                           for hit in result.hits])
        # In seed order: an update copies the kept documents' rows and writes the rest.
        return {"hits": hits, "catalogue": searcher.index.documents.values(),
                "pinyin": searcher.index.pinyin if same_dictionary else None,
                # The words a query is cut into: an update's are a full walk's.
                "vocabulary": searcher.index.segmenter.freq if same_dictionary else None}


def _seeds(folder: Path, files: dict[str, str | Path]) -> Path:
    seeds = folder / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy(content, seeds / name)
        else:
            (seeds / name).write_text(content, encoding="utf-8")
    return seeds


def _same_as_full(seeds: Path, root: Path, tmp_path: Path, same_dictionary: bool = True
                  ) -> None:
    full = tmp_path / "full-index"
    build(seeds, full, full=True)
    assert _state(root, same_dictionary) == _state(full, same_dictionary)


def _add(seeds: Path) -> None:
    (seeds / "c.txt").write_text(DOC_C, encoding="utf-8")


def _change(seeds: Path) -> None:
    (seeds / "b.txt").write_text(DOC_B.replace("下降", "回升").replace("上升", "持平"), "utf-8")


def _remove(seeds: Path) -> None:
    (seeds / "a.txt").unlink()


def _rename(seeds: Path) -> None:
    (seeds / "b.txt").rename(seeds / "0-乙方.txt")


def _add_into_a_folder(seeds: Path) -> None:
    (seeds / "sub").mkdir()
    (seeds / "sub" / "a.txt").write_text(DOC_C, encoding="utf-8")  # id a-2: after a.txt


def _all_at_once(seeds: Path) -> None:
    _add(seeds)
    _change(seeds)
    _remove(seeds)


CHANGES: dict[str, Callable[[Path], None]] = {
    "add": _add, "change": _change, "remove": _remove, "rename": _rename,
    "add a clashing name that sorts after": _add_into_a_folder, "all at once": _all_at_once,
}


@pytest.fixture(params=["merged", "deletions kept"])
def library(request, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """Seeds with the real notice and two small documents, indexed by a full build; updates
    merge the small segments (as by default), or keep the deleted passages in them."""
    if request.param == "deletions kept":
        monkeypatch.setattr(update, "MERGE_BELOW", 0)
    seeds = _seeds(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B,
                              "tianjin-ip-2017.txt": SEEDS / "tianjin-ip-2017.txt"})
    root = tmp_path / "index"
    assert build(seeds, root).mode == "full"
    return seeds, root


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_update_gives_what_a_full_build_gives(library, tmp_path, change):
    seeds, root = library
    change(seeds)
    report = build(seeds, root)
    assert report.mode == "update"
    assert report.reindexed < report.passages  # the notice was not indexed again
    assert staleness(seeds, root) is None
    _same_as_full(seeds, root, tmp_path)


@pytest.mark.parametrize("change", [_add, _all_at_once], ids=["add", "all at once"])
def test_an_update_that_reads_the_dictionary_file_gives_what_a_full_build_gives(
        tmp_path, monkeypatch, change):
    """A large build writes its dictionary to a file; an update of a few documents reads
    only the words it needs from it, never jieba's whole dictionary, and cuts the same."""
    monkeypatch.setattr(dictionary_file, "WRITE_FROM", 0)  # as a large library's build
    seeds = _seeds(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B,
                              "tianjin-ip-2017.txt": SEEDS / "tianjin-ip-2017.txt"})
    root = tmp_path / "index"
    build(seeds, root)
    assert (current_build(root) / DICTIONARY).is_file()
    loaded = []
    initialize = jieba.Tokenizer.initialize
    monkeypatch.setattr(jieba.Tokenizer, "initialize",
                        lambda self, *args: loaded.append(self) or initialize(self, *args))
    change(seeds)
    assert build(seeds, root).mode == "update"
    assert not loaded, "the update loaded jieba's dictionary whole"
    assert (current_build(root) / DICTIONARY).is_file()  # for the next update
    _same_as_full(seeds, root, tmp_path)
    assert loaded  # the full build, for the comparison


def test_an_update_reads_only_the_changed_files(library, monkeypatch):
    seeds, root = library
    from search.documents import corpus

    read = []
    parse = corpus.parse_document
    monkeypatch.setattr(corpus, "parse_document",
                        lambda path, *args: read.append(path.name) or parse(path, *args))
    _add(seeds)
    report = build(seeds, root)
    assert (report.added, report.changed, report.removed, read) == (1, 0, 0, ["c.txt"])


def test_an_update_spells_in_pinyin_only_the_titles_it_has_not_seen(library, monkeypatch,
                                                                    tmp_path):
    seeds, root = library
    from search import pinyin

    log = tmp_path / "spelled.txt"  # a file: the update spells in a child process
    spellings = pinyin.spellings

    def logged(term):
        with log.open("a", encoding="utf-8") as file:
            file.write(term + "\n")
        return spellings(term)

    monkeypatch.setattr(pinyin, "spellings", logged)
    _change(seeds)  # the same title
    assert build(seeds, root).mode == "update" and not log.exists()
    (seeds / "d.txt").write_text("桂花糕质押办法\n\n第一条 为了规范桂花糕质押，制定本办法。\n", "utf-8")
    assert build(seeds, root).mode == "update"
    assert log.read_text(encoding="utf-8").split() == ["桂花糕质押办法"]
    with open_searcher(root) as searcher:
        assert searcher.index.pinyin["ghgzybf"] == ["桂花糕质押办法"]


@pytest.mark.parametrize("failure", ["the child dies", "no fork"])
def test_an_update_spells_new_titles_itself_when_its_child_cannot(library, monkeypatch,
                                                                  failure):
    seeds, root = library
    from search import pinyin

    if failure == "the child dies":
        parent, spellings = os.getpid(), pinyin.spellings
        monkeypatch.setattr(pinyin, "spellings",
                            lambda term: spellings(term) if os.getpid() == parent else os._exit(1))
    else:
        def no_fork():
            raise OSError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", no_fork)
    (seeds / "d.txt").write_text("桂花糕质押办法\n\n第一条 为了规范桂花糕质押，制定本办法。\n", "utf-8")
    assert build(seeds, root).mode == "update"
    with open_searcher(root) as searcher:
        assert searcher.index.pinyin["guihuagaozhiyabanfa"] == ["桂花糕质押办法"]


def test_successive_updates_of_one_document_match_a_full_build(library, tmp_path):
    seeds, root = library
    for round_ in range(4):
        (seeds / "b.txt").write_text(DOC_B + f"第{round_}轮补充说明：专利质押。\n", "utf-8")
        assert build(seeds, root).mode == "update"
    _same_as_full(seeds, root, tmp_path)


def test_a_name_that_moves_an_unchanged_documents_id_makes_a_full_build(library, tmp_path):
    seeds, root = library
    (seeds / "A.txt").write_text(DOC_C, encoding="utf-8")  # sorts first: takes the id "a"
    report = build(seeds, root)
    assert report.mode == "full"
    assert {d["source_path"]: d["id"] for d in Index(root).documents.values()}["a.txt"] == "a-2"
    _same_as_full(seeds, root, tmp_path)


def test_a_new_version_of_a_law_updates_the_old_one_it_replaces(tmp_path):
    seeds = _seeds(tmp_path, {"a.txt": DOC_A, f"laws/{OLD_LAW}": ADOPTION / OLD_LAW})
    root = tmp_path / "index"
    build(seeds, root)
    _seeds(tmp_path, {f"laws/{NEW_LAW}": ADOPTION / NEW_LAW})
    assert build(seeds, root).mode == "update"
    hits = {hit.doc_id: hit.to_json()["current_version"]
            for hit in open_searcher(root).search("收养登记 办理", limit=50).hits}
    old_id, new_id = (name.removesuffix(".md").replace("(", "-").rstrip(")")
                      for name in (OLD_LAW, NEW_LAW))
    assert hits[old_id] == new_id and hits[new_id] is None
    # The new version's 《》 titles wait for a full build to join the dictionary (and the
    # word field's lengths, and the pinyin), so the scores differ from a full build's, not
    # the ranking.
    assert Index(root).pending_terms()
    _same_as_full(seeds, root, tmp_path, same_dictionary=False)


def test_full_rebuilds_every_file(library):
    seeds, root = library
    assert build(seeds, root, full=True).mode == "full"
    result = run_cli("index", "--full", seeds=seeds, index=root)
    assert result.returncode == 0 and result.stdout.startswith("indexed 3 documents")
    _add(seeds)
    result = run_cli("index", seeds=seeds, index=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("updated 1 added, 0 changed, 0 removed seed file ")
    assert "index: 4 documents" in result.stdout


def test_an_index_with_nothing_changed_writes_no_new_build(library):
    seeds, root = library
    live = current_build(root)
    os.utime(seeds / "a.txt")  # touched, not changed: the same bytes
    result = run_cli("index", seeds=seeds, index=root)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first == f"up to date: no seed file added, changed or removed since {live.name}"
    assert second.startswith("index: 3 documents, ")
    assert current_build(root) == live and sorted(root.glob("build-*")) == [live]
    _add(seeds)
    assert build(seeds, root).mode == "update" and current_build(root) != live


def test_a_new_analyzer_makes_a_full_build(library):
    seeds, root = library
    manifest_path = current_build(root) / lifecycle.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "analyzer_version": "0"}), "utf-8")
    _add(seeds)
    assert build(seeds, root).mode == "full"


def test_a_new_shipped_dictionary_makes_a_full_build(library, monkeypatch):
    seeds, root = library
    monkeypatch.setattr(manifest, "fingerprint", lambda: "another dictionary")
    _add(seeds)
    assert build(seeds, root).mode == "full"


def test_new_terms_are_found_verbatim_and_wait_for_a_full_build(library):
    seeds, root = library
    (seeds / "c.txt").write_text("丙方简报\n推出“知易贷”产品，专利质押融资。\n", "utf-8")
    assert build(seeds, root).mode == "update"
    assert Index(root).pending_terms() == ["知易贷"]
    with open_searcher(root) as searcher:
        assert [hit.id for hit in searcher.search("知易贷").hits] == ["c/p1"]
    stats = run_cli("stats", seeds=seeds, index=root)
    assert "dictionary: 1 new “” or 《》 term found verbatim until the next " \
           "'policy-search index --full' (知易贷)" in stats.stdout
    build(seeds, root, full=True)
    assert Index(root).pending_terms() == []


def test_a_reader_open_during_an_update_keeps_its_state(library):
    seeds, root = library
    reader = Searcher(Index(root))
    try:
        before = reader.search("专利质押").total
        _add(seeds)
        _remove(seeds)
        build(seeds, root)
        assert reader.search("专利质押").total == before
        assert reader.passage("a/p1").text.startswith("专利质押融资增长")
        with open_searcher(root) as fresh:
            assert fresh.search("专利质押").total == before  # one removed, one added
            assert {hit.doc_id for hit in fresh.search("专利质押", limit=50).hits} >= {"c"}
    finally:
        reader.close()


def test_an_update_killed_midway_leaves_the_live_index_intact(library):
    seeds, root = library
    live = current_build(root)
    for number in range(30):  # enough to read that the update can be caught midway
        (seeds / f"copy-{number}.txt").write_bytes((SEEDS / "tianjin-ip-2017.txt").read_bytes())
    env = {**os.environ, "POLICY_SEARCH_SEEDS": str(seeds), "POLICY_SEARCH_INDEX": str(root)}
    killed = subprocess.Popen([sys.executable, "-m", "search", "index"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not any((p / lifecycle.BUILDING).exists() for p in root.glob("build-*")):
        assert killed.poll() is None, "the update finished before it could be killed"
        time.sleep(0.005)
    killed.kill()
    killed.wait()
    assert current_build(root) == live
    with open_searcher(root) as searcher:
        assert searcher.search("智保贷").total == 1
    report = build(seeds, root)
    assert (report.mode, report.added) == ("update", 30)
    assert open_searcher(root).search("智保贷").total == 31


def test_serve_indexes_a_new_seed_file_by_itself(library):
    seeds, root = library
    from tests.test_web import _free_port

    port = _free_port()
    env = {**os.environ, "POLICY_SEARCH_SEEDS": str(seeds), "POLICY_SEARCH_INDEX": str(root)}
    server = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = f"http://127.0.0.1:{port}/api/search?q=" + urllib.parse.quote("知识产权保护工作")

    def total() -> int:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)["total"]

    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(server.stderr), daemon=True)
    try:
        assert "serving" in server.stdout.readline()
        reader.start()
        before = total()
        _add(seeds)
        deadline = time.monotonic() + 60
        while total() == before:
            assert time.monotonic() < deadline, "serve did not index the new file within 60 s"
            time.sleep(0.2)
        hits = json.load(urllib.request.urlopen(url, timeout=10))["hits"]
        assert "c/p1" in [hit["id"] for hit in hits]
        # serve says what it updated (once the update's process has ended).
        while not any("policy-search: updated 1 added, 0 changed, 0 removed" in line
                      for line in said):
            assert time.monotonic() < deadline, f"serve did not say what it updated: {said}"
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)
        if reader.is_alive():
            reader.join(timeout=20)
        server.stdout.close()
        server.stderr.close()


def test_a_failed_update_in_serve_is_reported_and_the_index_stays(library):
    seeds, root = library
    from search.watch import Updater

    lines: list[str] = []
    live = current_build(root)
    (root / lifecycle.LOCK).unlink()
    (root / lifecycle.LOCK).mkdir()  # the update cannot take the build lock
    _add(seeds)
    assert not Updater(seeds, root, lines.append).update()
    assert current_build(root) == live
    assert lines[0] == "rebuilding the index: seed files added c.txt"
    assert lines[1].startswith(f"error: cannot write the index in {root}/")
    assert lines[-1] == ("error: the index was not updated (seed files added c.txt); "
                         "still serving the previous one")


def test_serve_keeps_updating_after_a_seed_file_vanished_while_it_compared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search import watch

    compared: list[str] = []

    def vanishing(seeds: Path, root: Path) -> str | None:
        compared.append("compared")
        if len(compared) == 1:  # an editor's temporary file, listed then deleted
            raise FileNotFoundError(2, "No such file or directory", str(seeds / ".a.txt.swp"))
        return None

    monkeypatch.setattr(watch, "staleness", vanishing)
    monkeypatch.setattr(watch, "REBUILD_RETRY_SECONDS", 0.0)
    lines: list[str] = []
    updater = watch.Updater(tmp_path, tmp_path, lines.append, quiet=0.0)
    updater.start()
    try:
        for expected in (1, 2):
            updater.ask_now()
            deadline = time.monotonic() + 10
            while len(compared) < expected:
                assert time.monotonic() < deadline, "the updater stopped updating"
                time.sleep(0.01)
    finally:
        updater.stop()
    assert lines == [f"error: cannot compare the seeds with the index: [Errno 2] "
                     f"No such file or directory: '{tmp_path / '.a.txt.swp'}'"]


def test_an_update_never_writes_the_build_it_starts_from(library):
    seeds, root = library
    live = current_build(root)
    _all_at_once(seeds)
    build(seeds, root)
    for build_dir in (live, current_build(root)):
        manifest_of = json.loads((build_dir / lifecycle.MANIFEST).read_text(encoding="utf-8"))
        assert verify_checksums(build_dir, manifest_of) == []
    assert run_cli("check", seeds=seeds, index=root).returncode == 0


def test_a_file_that_can_no_longer_be_read_is_named_and_its_passages_go(library):
    seeds, root = library
    (seeds / "a.txt").write_text("", encoding="utf-8")
    result = run_cli("index", seeds=seeds, index=root)
    assert result.returncode == 1
    assert "a.txt: empty file" in result.stderr
    with open_searcher(root) as searcher:
        assert "a" not in searcher.index.documents
        assert all(hit.doc_id != "a" for hit in searcher.search("专利质押", limit=50).hits)
    # Still named by the next update, though the file has not changed since.
    assert build(seeds, root).errors == [f"{seeds / 'a.txt'}: empty file"]
