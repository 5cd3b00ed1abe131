"""Each failure of issue 8, reproduced as a hostile user or a careless operator meets it.

Bounded work per request, linear rendering, a build lifecycle that survives killed builds,
damaged indexes, full disks and concurrent rebuilds, valid output for invalid input, and
security headers and canonical links that a request cannot change.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from search._whoosh.postings import Segment
from search.engine import Searcher
from search import lifecycle
from search.index import CURRENT, Index, build, current_build
from search.query import QueryError
from search.settings import (
    MAX_RESULTS, MAX_WORDS, REBUILD_RETRY_AFTER, WATCH_QUIET_SECONDS,
)
from tests.conftest import SEED_DOC, SEEDS, run_cli
from web import create_app
from web.security import HEADERS


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Flask:
    return create_app({"TESTING": True, "INDEX": seed_index, "SEEDS": SEEDS,
                       "BASE_URL": "https://policy.example"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_index: Path) -> Iterator[int]:
    """A real `policy-search serve` over the seed index; yields its port."""
    port = _free_port()
    env = {**os.environ, "POLICY_SEARCH_INDEX": str(seed_index), "POLICY_SEARCH_SEEDS": str(SEEDS)}
    # Nobody reads its stderr: an access log there would fill the pipe and stall the server.
    process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port),
                                "--access-log", os.devnull],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "serving" in process.stdout.readline()
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str]]:
    """Send raw bytes to the server; return the response's status and headers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            connection.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before it has read everything
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return status, headers


# Bounded work per query


def _postings_read(monkeypatch: pytest.MonkeyPatch, root: Path, text: str):
    """Run a query on a freshly opened index; return its result and the postings it read."""
    from whoosh.reading import SegmentReader

    reads = []
    original = SegmentReader.postings

    def counting(self, fieldname, text, *args, **kwargs):
        reads.append((fieldname, text))
        return original(self, fieldname, text, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "postings", counting)
    with Searcher(Index(root)) as searcher:
        result = searcher.search(text)
    monkeypatch.undo()
    return result, len(reads)


def test_a_word_typed_39_times_costs_what_it_costs_once(monkeypatch, seed_index: Path) -> None:
    # 198 characters: each repeat used to run a whole search of its own (28 s on 10k passages).
    hostile = " ".join(["知识产权"] * 39) + " 区块链"
    assert len(hostile) == 198
    once, reads_once = _postings_read(monkeypatch, seed_index, "知识产权 区块链")
    repeated, reads_repeated = _postings_read(monkeypatch, seed_index, hostile)
    assert repeated.relaxed and repeated.unmatched == ("区块链",)
    assert [hit.id for hit in repeated.hits] == [hit.id for hit in once.hits]
    assert reads_repeated == reads_once


def test_naming_the_words_found_nowhere_reads_nothing_more(monkeypatch, seed_index: Path) -> None:
    relaxed, reads = _postings_read(monkeypatch, seed_index, "专利质押 区块链 元宇宙")
    assert relaxed.unmatched == ("区块链", "元宇宙")
    _, reads_loose = _postings_read(monkeypatch, seed_index, "专利质押 OR 区块链 OR 元宇宙")
    assert reads <= reads_loose


def test_a_far_page_reads_no_passage_and_pages_end_at_the_result_window(seed_index: Path,
                                                                         monkeypatch) -> None:
    with Searcher(Index(seed_index)) as searcher:
        reads = []
        original = searcher._searcher.stored_fields
        monkeypatch.setattr(searcher._searcher, "stored_fields",
                            lambda docnum: reads.append(docnum) or original(docnum))
        first = searcher.search("知识产权", limit=1)
        assert len(reads) == 1  # the one hit shown, not every match ranked above it
        far = searcher.search("知识产权", limit=1, page=999_999_999)
        assert (far.total, far.hits, len(reads)) == (first.total, (), 1)
    assert first.pages == min(first.total, MAX_RESULTS)


def test_too_many_different_words_is_a_one_line_error(seed_index: Path) -> None:
    words = " ".join("专利商标版权质押融资担保企业银行服务中心试点小镇园区科技"[:MAX_WORDS + 1])
    with Searcher(Index(seed_index)) as searcher, pytest.raises(QueryError, match="too many"):
        searcher.search(words)


def test_a_search_past_its_deadline_answers_with_the_best_so_far(seed_index: Path) -> None:
    with Searcher(Index(seed_index), deadline=0.0) as searcher:
        result = searcher.search("知识产权 专利 质押")
    assert result.partial and result.to_json()["partial"] is True
    assert result.hits  # what the first word found, rather than nothing
    with Searcher(Index(seed_index)) as searcher:
        assert searcher.search("知识产权 专利 质押").to_json()["partial"] is False


def test_terms_read_past_the_deadline_are_kept_for_the_next_search(seed_index: Path,
                                                                   monkeypatch) -> None:
    # A query slower than the deadline must not read the same postings on every run.
    reads: list[tuple[str, str]] = []
    original = Segment.term_scores
    monkeypatch.setattr(Segment, "term_scores", lambda self, fieldname, text: (
        reads.append((fieldname, text)) or original(self, fieldname, text)))
    index = Index(seed_index)
    with Searcher(index, deadline=0.0) as searcher:
        assert searcher.search("知识产权 专利 质押 融资").partial
    first = list(reads)
    assert first
    with Searcher(index, deadline=0.0) as searcher:
        searcher.search("知识产权 专利 质押 融资")
    assert set(reads[len(first):]).isdisjoint(first)


# Rendering linear in what is rendered

PARAGRAPHS = 5_000  # 100,000 took 114 s to render; the figure for them is in the README


@pytest.fixture(scope="module")
def long_document(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app over one document cut into thousands of short paragraphs."""
    folder = tmp_path_factory.mktemp("long")
    (folder / "seeds").mkdir()
    paragraphs = [f"第{n}段：知识产权质押。" for n in range(1, PARAGRAPHS + 1)]
    (folder / "seeds" / "long.txt").write_text("一份很长的文件\n\n" + "\n\n".join(paragraphs),
                                              encoding="utf-8")
    build(folder / "seeds", folder / "index")
    return create_app({"TESTING": True, "INDEX": folder / "index", "SEEDS": folder / "seeds"})


def test_a_very_long_document_is_shown_a_page_at_a_time(long_document: Flask) -> None:
    from web.views import DOCUMENT_PAGE

    client = long_document.test_client()
    html = client.get("/doc/long").get_data(as_text=True)
    assert html.count('class="passage"') == DOCUMENT_PAGE
    pages = -(-PARAGRAPHS // DOCUMENT_PAGE)
    assert f"共 {PARAGRAPHS} 段" in html and f"第 1/{pages} 页" in html
    assert f'href="/doc/long?page={pages}"' in html and 'rel="next" href="/doc/long?page=2"' in html
    last = client.get(f"/doc/long?page={pages}").get_data(as_text=True)
    assert f'id="p{PARAGRAPHS}"' in last and 'id="p1"' not in last
    assert client.get(f"/doc/long?page={pages + 1}").status_code == 404


def test_a_passage_anchor_reaches_the_page_that_holds_it(long_document: Flask) -> None:
    from web.views import DOCUMENT_PAGE

    client = long_document.test_client()
    response = client.get(f"/doc/long?at=p{PARAGRAPHS}&q=质押")
    assert response.status_code == 302
    pages = -(-PARAGRAPHS // DOCUMENT_PAGE)
    assert response.headers["Location"] == (f"/doc/long?q=%E8%B4%A8%E6%8A%BC&page={pages}"
                                            f"#p{PARAGRAPHS}")
    assert client.get("/doc/long?at=p0").status_code == 404
    permalink = client.get(f"/p/long/p{PARAGRAPHS}").get_data(as_text=True)
    assert f'href="/doc/long?page={pages}#p{PARAGRAPHS}"' in permalink


def test_neighbours_of_the_last_paragraph(long_document: Flask) -> None:
    passage = long_document.test_client().get(f"/api/passages/long/p{PARAGRAPHS}").get_json()
    assert (passage["previous"], passage["next"]) == (f"long/p{PARAGRAPHS - 1}", None)


# The build lifecycle


def _seed_copies(folder: Path, copies: int = 1) -> Path:
    """Return a seed folder with ``copies`` of the seed document (31 passages each)."""
    folder.mkdir()
    for number in range(copies):
        shutil.copy(SEEDS / f"{SEED_DOC}.txt", folder / f"copy-{number:02d}.txt")
    return folder


def _cli_env(seeds: Path, root: Path) -> dict[str, str]:
    return {**os.environ, "POLICY_SEARCH_SEEDS": str(seeds), "POLICY_SEARCH_INDEX": str(root)}


def test_a_build_killed_midway_costs_neither_the_live_index_nor_a_reader(tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds", 20), tmp_path / "index"
    build(seeds, root)
    live = current_build(root)
    reader = Searcher(Index(root))
    try:
        killed = subprocess.Popen([sys.executable, "-m", "search", "index", "--full"],
                                  env=_cli_env(seeds, root), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        while not any((p / lifecycle.BUILDING).exists() for p in root.glob("build-*")):
            assert killed.poll() is None, "the build finished before it could be killed"
            time.sleep(0.005)
        killed.kill()
        killed.wait()
        partial = [p for p in root.glob("build-*") if (p / lifecycle.BUILDING).exists()]
        assert partial and current_build(root) == live
        assert Index(root).path == live  # an unfinished build is never opened

        report = build(seeds, root, full=True)  # the next good build
        assert current_build(root).name == report.build
        assert not any(p.exists() for p in partial)  # the dead process's leftovers are gone
        assert live.is_dir()  # the build that was live a moment ago stays for its readers
        assert reader.search("智保贷").total == 20
        assert reader.passage("copy-19/3.2").text.startswith("(二)深化知识产权金融创新")
    finally:
        reader.close()


def test_a_replaced_build_is_deleted_only_after_the_grace_period(tmp_path: Path, monkeypatch
                                                                 ) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    first = build(seeds, root).build
    second = build(seeds, root).build
    third = build(seeds, root).build
    assert {p.name for p in root.glob("build-*")} == {first, second, third}
    monkeypatch.setattr(lifecycle, "GRACE_SECONDS", 0.0)
    fourth = build(seeds, root).build
    # The live build and the one it replaced (the fallback) are kept.
    assert {p.name for p in root.glob("build-*")} == {third, fourth}


# A damaged index


def _damage_segment(how: str):
    def damage(build_dir: Path) -> str:
        segment = max(build_dir.glob("*.seg"), key=lambda p: p.stat().st_size)
        if how == "truncated":
            os.truncate(segment, segment.stat().st_size // 2)
        elif how == "empty":
            os.truncate(segment, 0)
        else:
            segment.unlink()
        return segment.name
    return damage


DAMAGE = ["truncated", "empty", "deleted"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_build_is_named_and_the_previous_good_one_answers(tmp_path: Path, how: str
                                                                    ) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    build(seeds, root, full=True)  # an update would share the damaged segment's file
    damaged = current_build(root)
    name = _damage_segment(how)(damaged)
    done = run_cli("query", "智保贷", "--json", seeds=tmp_path / "no-seeds", index=root)
    assert done.returncode == 0, done.stderr
    assert f"warning: {damaged}: file {name}" in done.stderr
    assert json.loads(done.stdout)["total"] == 1


def test_the_web_serves_the_previous_good_build_and_names_the_damage(tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    build(seeds, root, full=True)  # an update would share the damaged segment's file
    damaged = current_build(root)
    name = _damage_segment("truncated")(damaged)
    client = create_app({"TESTING": True, "INDEX": root, "SEEDS": seeds}).test_client()
    page = client.get("/?q=智保贷")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "copy-00/3.2" in html and f"{damaged.name}: file {name}" in html


@pytest.mark.parametrize("how", [*DAMAGE, "binary CURRENT"])
def test_a_damaged_index_without_a_good_build_is_rebuilt_from_the_seeds(tmp_path: Path, how: str
                                                                        ) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    if how == "binary CURRENT":
        (root / CURRENT).write_bytes(b"\x00\xff\xfe\x89PNG")
        shutil.rmtree(current_build(root))
        named = "CURRENT is not a build name"
    else:
        named = _damage_segment(how)(current_build(root))
    done = run_cli("query", "智保贷", "--json", seeds=seeds, index=root)
    assert done.returncode == 0, done.stderr
    assert named in done.stderr and "rebuilding the index: no usable index" in done.stderr
    assert "unexpected" not in done.stderr
    assert json.loads(done.stdout)["total"] == 1
    assert run_cli("check", seeds=seeds, index=root).returncode == 0


@pytest.mark.parametrize("how", [*DAMAGE, "binary CURRENT"])
def test_the_web_answers_503_while_no_index_can_be_served(tmp_path: Path, how: str) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    if how == "binary CURRENT":
        (root / CURRENT).write_bytes(b"\x00\xff\xfe")
        shutil.rmtree(current_build(root))
    else:
        _damage_segment(how)(current_build(root))
    client = create_app({"TESTING": True, "INDEX": root, "SEEDS": seeds}).test_client()
    page = client.get("/?q=专利")
    assert page.status_code == 503
    assert "policy-search index" in page.get_data(as_text=True)
    api = client.get("/api/search?q=专利")
    assert api.status_code == 503 and "no usable index" in api.get_json()["error"]


def test_the_web_asks_for_a_rebuild_and_says_so_while_no_index_can_be_served(tmp_path: Path
                                                                              ) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    asked: list[bool] = []
    client = create_app({"TESTING": True, "INDEX": root, "SEEDS": seeds,
                         "REBUILD": lambda: asked.append(True)}).test_client()
    assert client.get("/?q=专利").status_code == 200 and asked == []
    name = _damage_segment("truncated")(current_build(root))
    page = client.get("/?q=专利")
    assert page.status_code == 503 and asked == [True]
    assert page.headers["Retry-After"] == str(REBUILD_RETRY_AFTER)
    html = page.get_data(as_text=True)
    assert "正在重建索引…" in html and name in html and "policy-search index" not in html
    assert f'<meta http-equiv="refresh" content="{REBUILD_RETRY_AFTER}">' in html
    api = client.get("/api/search?q=专利")
    assert api.status_code == 503 and "being rebuilt from the seeds" in api.get_json()["error"]


def test_a_running_app_serves_the_previous_good_build_while_it_asks_for_a_rebuild(
        tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    build(seeds, root, full=True)  # an update would share the damaged segment's file
    asked: list[bool] = []
    client = create_app({"TESTING": True, "INDEX": root, "SEEDS": seeds,
                         "REBUILD": lambda: asked.append(True)}).test_client()
    assert client.get("/?q=智保贷").status_code == 200
    name = _damage_segment("truncated")(current_build(root))
    for _ in range(2):
        page = client.get("/?q=智保贷")
        assert page.status_code == 200 and "copy-00/3.2" in page.get_data(as_text=True)
        assert name in page.get_data(as_text=True)  # named in the footer
    assert asked == [True]  # once, not once per request


def _http_get(port: int, path: str) -> tuple[int, str]:
    """GET a path of a local server; return its status and body, also for an error status."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.mark.parametrize("watch, workers", [("--watch", "1"), ("--no-watch", "1"),
                                            ("--no-watch", "2")])
def test_a_running_serve_rebuilds_an_index_damaged_under_it(tmp_path: Path, watch: str,
                                                            workers: str) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    port, log = _free_port(), tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port),
                                    watch, "--workers", workers, "--access-log", os.devnull],
                                   stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   env=_cli_env(seeds, root))
    try:
        assert "serving" in process.stdout.readline()
        query = "/api/search?q=%E6%99%BA%E4%BF%9D%E8%B4%B7"  # 智保贷
        assert _http_get(port, query)[0] == 200
        time.sleep(WATCH_QUIET_SECONDS + 1)  # the watcher's start-up check, before the damage
        damaged = current_build(root)
        name = _damage_segment("truncated")(damaged)
        for other in root.glob("build-*"):
            if other != damaged:
                shutil.rmtree(other)  # no previous good build to fall back on
        status, html = _http_get(port, "/?q=%E6%99%BA%E4%BF%9D%E8%B4%B7")
        assert status == 503 and "正在重建索引…" in html
        deadline = time.monotonic() + 60
        while (answer := _http_get(port, query))[0] != 200:
            assert answer[0] == 503, answer
            assert time.monotonic() < deadline, "serve did not rebuild the index within 60 s"
            time.sleep(0.2)
        assert json.loads(answer[1])["total"] == 1
        assert current_build(root) != damaged
        # serve says what it rebuilt (once the build's process has ended).
        while "policy-search: indexed 1 document" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "serve did not say what it rebuilt"
            time.sleep(0.2)
    finally:
        process.terminate()
        process.communicate(timeout=20)
    said = log.read_text(encoding="utf-8")
    assert f"policy-search: rebuilding the index: no usable index in {root}: " in said
    assert f"{damaged}: file {name} has" in said


def test_check_finds_4kb_garbled_inside_a_segment(tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    sound = run_cli("check", seeds=seeds, index=root)
    assert sound.returncode == 0 and "files match their checksums" in sound.stdout
    segment = max(current_build(root).glob("*.seg"), key=lambda p: p.stat().st_size)
    with open(segment, "r+b") as stream:
        stream.seek(segment.stat().st_size // 2)
        stream.write(os.urandom(4096))
    garbled = run_cli("check", seeds=seeds, index=root)
    assert garbled.returncode == 1
    assert f"{segment.name} does not match its checksum" in garbled.stderr
    assert garbled.stderr.splitlines()[-1].endswith("rebuild it with 'policy-search index'")


# A full disk, concurrent rebuilds


def _full_disk() -> None:
    """Let the child write no file over 4 KiB: writes fail with EFBIG, as on a full disk."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("command", [["query", "智保贷", "--json"], ["stats", "--json"]])
def test_a_full_disk_answers_from_the_existing_index_with_a_warning(tmp_path: Path,
                                                                    command: list[str]) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    live = current_build(root)
    (seeds / "blockchain.txt").write_text("区块链简报\n推进区块链存证。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "search", *command], capture_output=True,
                          text=True, env=_cli_env(seeds, root), preexec_fn=_full_disk, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "warning: cannot write the index" in done.stderr
    assert "answering from the index built before (seed files added blockchain.txt)" in done.stderr
    assert json.loads(done.stdout)
    assert list(root.glob("build-*")) == [live]  # no half-written build left behind


def test_serve_on_a_full_disk_says_so_in_the_page_footer(tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds"), tmp_path / "index"
    build(seeds, root)
    (seeds / "blockchain.txt").write_text("区块链简报\n推进区块链存证。\n", encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=_cli_env(seeds, root), preexec_fn=_full_disk)
    try:
        assert "serving" in process.stdout.readline()
        status, _ = _raw_exchange(port, b"GET /?q=%E6%99%BA%E4%BF%9D%E8%B4%B7 HTTP/1.0\r\n\r\n")
        assert status == 200
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
            body = b""
            while chunk := connection.recv(65536):
                body += chunk
        assert 'class="index-warning"' in body.decode("utf-8")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "warning: cannot write the index" in stderr


def test_concurrent_queries_on_a_stale_index_rebuild_it_once(tmp_path: Path) -> None:
    seeds, root = _seed_copies(tmp_path / "seeds", 10), tmp_path / "index"
    build(seeds, root)
    (seeds / "blockchain.txt").write_text("区块链简报\n推进区块链存证。\n", encoding="utf-8")
    queries = [subprocess.Popen([sys.executable, "-m", "search", "query", "专利", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_cli_env(seeds, root)) for _ in range(4)]
    for query in queries:
        out, err = query.communicate(timeout=120)
        assert query.returncode == 0, err
        assert json.loads(out)["total"] > 0
    assert len(list(root.glob("build-*"))) == 2  # the old build and one new one


# Output and headers that a request cannot spoil


def test_query_json_is_valid_utf8_for_an_argument_that_is_not(tmp_path: Path, seed_index: Path
                                                              ) -> None:
    done = subprocess.run([sys.executable, "-m", "search", "query", b"\xff\xe4\xb8\x93\xe5\x88\xa9",
                           "--json"], capture_output=True, timeout=120,
                          env={**os.environ, "POLICY_SEARCH_INDEX": str(seed_index),
                               "POLICY_SEARCH_SEEDS": str(SEEDS)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert result["query"] == "\ufffd专利"


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431),
])
def test_the_servers_own_error_responses_carry_the_security_headers(
        server: int, request_bytes: bytes, status: int) -> None:
    got, headers = _raw_exchange(server, request_bytes)
    assert got == status
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name


def test_the_apps_own_responses_carry_the_security_headers_through_the_middleware(
        server: int) -> None:
    status, headers = _raw_exchange(server, b"GET /?q=x HTTP/1.0\r\n\r\n")
    assert status == 200
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name


@pytest.mark.parametrize("url", ["/p/tianjin-ip-2017/3.2", "/doc/tianjin-ip-2017",
                                 "/opensearch.xml"])
def test_canonical_links_come_from_the_base_url_not_the_host_header(app: Flask, url: str) -> None:
    html = app.test_client().get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html
    assert "https://policy.example/" in html


def test_serve_takes_its_base_url_from_the_bind_address_by_default(server: int) -> None:
    request = b"GET /p/tianjin-ip-2017/3.2 HTTP/1.0\r\nHost: evil.example\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(request)
        body = b""
        while chunk := connection.recv(65536):
            body += chunk
    html = body.decode("utf-8")
    assert "evil.example" not in html
    assert f'<link rel="canonical" href="http://127.0.0.1:{server}/p/tianjin-ip-2017/3.2">' in html
