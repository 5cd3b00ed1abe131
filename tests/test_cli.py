"""End to end: the policy-search command as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search.index import CURRENT, current_build
from search.settings import MAX_QUERY_LENGTH
from tests.conftest import SEED_DOC, SEEDS, run_cli

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TITLE = "关于印发天津市知识产权局2017年工作总结的通知"
HIT_KEYS = {"id", "doc_id", "doc_title", "date", "path", "heading", "url", "score", "text",
            "highlights", "office", "number", "doc_type", "published", "source_url", "matched",
            "current_version", "citation"}


@pytest.fixture(scope="module")
def indexing(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """An index of the real seeds, built by the command itself, and what the command said."""
    root = tmp_path_factory.mktemp("cli") / "index"
    return root, run_cli("index", index=root)


@pytest.fixture(scope="module")
def index_dir(indexing) -> Path:
    root, done = indexing
    assert done.returncode == 0, done.stderr
    return root


def cli(*args: str, index: Path, **kwargs) -> subprocess.CompletedProcess:
    done = run_cli(*args, index=index, **kwargs)
    assert "Traceback" not in done.stderr
    return done


def one_error_line(done: subprocess.CompletedProcess) -> str:
    """The single line a failed command prints on stderr."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("policy-search: error: ")
    return lines[0]


def run_on_terminal(*args: str, index: Path, env: dict | None = None) -> str:
    """Run the command with stdout on a pseudo-terminal, as in an interactive shell."""
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(POLICY_SEARCH_SEEDS=str(SEEDS), POLICY_SEARCH_INDEX=str(index), **(env or {}))
    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "search", *args], stdout=secondary,
                               stderr=subprocess.PIPE, env=environment)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed when the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    process.stderr.close()
    assert process.wait(timeout=60) == 0
    return output.decode("utf-8")


# --- index --------------------------------------------------------------------------------

def test_index_builds_and_reports(indexing):
    root, done = indexing
    assert (done.returncode, done.stderr) == (0, "")
    assert re.fullmatch(r"indexed 1 document, 31 passages, \d+ characters in [\d.]+ s -> .*\n",
                        done.stdout)
    assert current_build(root) is not None


def test_index_names_a_bad_file_exits_1_and_still_indexes_the_others(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x01\x02")
    (seeds / "gbk-notice.txt").write_bytes("通知\n推进商标品牌建设。\n".encode("gb18030"))
    shutil.copy(SEEDS / f"{SEED_DOC}.txt", seeds)
    done = cli("index", seeds=seeds, index=tmp_path / "index")
    assert done.returncode == 1
    assert "indexed 2 documents, 32 passages" in done.stdout
    errors = done.stderr.splitlines()
    assert all(line.startswith("policy-search: error: ") for line in errors)
    assert "binary.txt" in errors[0] and "binary" in errors[0].split("binary.txt", 1)[1]
    assert "1 file(s) could not be indexed" in errors[-1]
    found = cli("query", "商标品牌", "--json", seeds=seeds, index=tmp_path / "index")
    assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["gbk-notice/p1"]


def test_index_summarises_a_library_by_format_and_type(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "行政法规").mkdir(parents=True)
    fixtures = Path(__file__).parent / "fixtures"
    shutil.copy(fixtures / "html" / "01_国发〔2019〕5号.html", seeds)
    shutil.copy(fixtures / "metadata" / "laws" / "商用密码管理条例(2023-04-27).md", seeds / "行政法规")
    shutil.copy(SEEDS / f"{SEED_DOC}.txt", seeds)
    (seeds / "旧稿.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    done = cli("index", seeds=seeds, index=tmp_path / "index")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("indexed 3 documents, ")
    assert lines[1:] == ["  by format: html 1, md 1, txt 1", "  by type:   意见 1, 行政法规 1, 通知 1"]
    assert done.stderr.splitlines()[0] == \
        f"policy-search: error: {seeds / '旧稿.doc'}: old Word .doc is not supported: " \
        "save it as .docx or PDF"


def test_index_without_a_seed_folder_is_a_user_error(tmp_path):
    done = cli("index", seeds=tmp_path / "nowhere", index=tmp_path / "index")
    assert done.returncode == 1
    assert "nowhere" in one_error_line(done)


# --- query: human output ------------------------------------------------------------------

def test_query_prints_rank_breadcrumb_id_permalink_facts_and_snippet(index_dir):
    done = cli("query", "智保贷", index=index_dir)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"1 passage for '智保贷' \([\d.]+ ms\), showing 1-1", lines[0])
    assert lines[1] == ""
    assert lines[2] == f"1. {TITLE} › 三、服务实体经济发展取得新成效 › (二)深化知识产权金融创新"
    assert lines[3] == f"   {SEED_DOC}/3.2  /p/{SEED_DOC}/3.2"
    assert lines[4] == "   2018-04-02  办公室  通知"  # date, office, 文号 (none here), type
    assert lines[5:] == [
        "   突破传统的“企业+银行”两方模式,指导知识产权服务机构与天津中小企业信用担保中心合作,"
        "研发“担保+回购”模式的专利权质押担保产品—“智保贷”,形成“企业+银行+担保+回购”四方模式,"
        "为企业解决资金缺口和融资难题。",
        "   天津光电安辰信息技术股份有限公司获得首笔利用“智保贷”产品以“担保+回购”的模式发放的"
        "专利质押贷款300万元。",
    ]


def test_query_words_may_be_separate_arguments(index_dir):
    separate = cli("query", "专利质押", "智保贷", "--json", index=index_dir)
    quoted = cli("query", "专利质押 智保贷", "--json", index=index_dir)
    assert json.loads(separate.stdout)["hits"] == json.loads(quoted.stdout)["hits"]


def test_query_ranks_and_pages(index_dir):
    first = cli("query", "知识产权", "--limit", "3", index=index_dir).stdout
    second = cli("query", "知识产权", "-n", "3", "--page", "2", index=index_dir).stdout
    assert "showing 1-3" in first and "showing 4-6" in second
    assert [line[:3] for line in first.splitlines() if re.match(r"\d+\. ", line)] == \
        ["1. ", "2. ", "3. "]
    assert [line[:3] for line in second.splitlines() if re.match(r"\d+\. ", line)] == \
        ["4. ", "5. ", "6. "]


def test_query_with_no_hits_exits_0_and_says_so(index_dir):
    done = cli("query", "区块链", index=index_dir)
    assert done.returncode == 0
    assert done.stdout.startswith("no passage matches '区块链'")


def test_a_relaxed_query_says_which_word_is_found_nowhere(index_dir):
    done = cli("query", "专利质押 区块链", index=index_dir)
    assert done.returncode == 0
    assert "No passage contains all the words (区块链 found nowhere)" in done.stdout
    assert f"{SEED_DOC}/3.2" in done.stdout


@pytest.mark.parametrize("args, expected", [
    (["专利保险", "-智保贷"], {"6.2"}),                # -word needs no '--'
    (["-智保贷", "专利保险"], {"6.2"}),
    (["专利保险", '-"智保贷"'], {"6.2"}),
    (["专利保险"], {"3.2", "6.2"}),
    (["智保贷 OR 12330"], {"3.2", "5.1"}),
    (["专利", "--section", "3"], {"3.1", "3.2", "3.3"}),
    (["专利", "--section", "三"], {"3.1", "3.2", "3.3"}),
    (["section:三", "专利"], {"3.1", "3.2", "3.3"}),
    (["智保贷", "--doc", SEED_DOC], {"3.2"}),
    (["专利", "--section", "9"], set()),
])
def test_query_options_and_syntax(index_dir, args, expected):
    done = cli("query", *args, "--json", "--limit", "100", index=index_dir)
    assert done.returncode == 0, done.stderr
    assert {hit["id"].split("/")[1] for hit in json.loads(done.stdout)["hits"]} == expected


# --- query --json ------------------------------------------------------------------------

def test_query_json_has_exactly_the_documented_shape(index_dir):
    done = cli("query", "专利质押", "--json", index=index_dir)
    result = json.loads(done.stdout)
    assert set(result) == {"query", "total", "page", "pages", "limit", "sort", "filters",
                           "relaxed", "partial", "took_ms", "all_words", "unmatched", "expanded",
                           "facets", "hits"}
    assert (result["query"], result["relaxed"]) == ("专利质押", False)
    assert isinstance(result["total"], int) and isinstance(result["took_ms"], (int, float))
    assert result["total"] == len(result["hits"]) >= 1
    for hit in result["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["url"] == "/p/" + hit["id"]
        assert hit["id"] == f"{hit['doc_id']}/" + hit["id"].split("/", 1)[1]
        assert (hit["doc_title"], hit["date"]) == (TITLE, "2018-04-02")
        assert isinstance(hit["path"], list) and all(isinstance(p, str) for p in hit["path"])
        assert isinstance(hit["score"], float) and isinstance(hit["text"], str)
        assert hit["highlights"] and any("<mark>" in h for h in hit["highlights"])


def test_query_json_relaxed_and_empty(index_dir):
    relaxed = json.loads(cli("query", "专利质押 区块链", "--json", index=index_dir).stdout)
    assert relaxed["relaxed"] is True and relaxed["hits"]
    empty = json.loads(cli("query", "区块链", "--json", index=index_dir).stdout)
    assert (empty["total"], empty["relaxed"], empty["hits"]) == (0, False, [])


def test_query_json_is_utf8_not_escaped(index_dir):
    assert "智保贷" in cli("query", "智保贷", "--json", index=index_dir).stdout


# --- Colour ---------------------------------------------------------------------------------

def test_no_colour_when_piped(index_dir):
    assert not ANSI.search(cli("query", "智保贷", index=index_dir).stdout)
    assert not ANSI.search(cli("show", f"{SEED_DOC}/3.2", "-q", "智保贷", index=index_dir).stdout)


def test_colour_on_a_terminal(index_dir):
    output = run_on_terminal("query", "智保贷", index=index_dir)
    assert "\x1b[1;33m智保贷\x1b[0m" in output


def test_no_colour_on_a_terminal_with_no_color(index_dir):
    output = run_on_terminal("query", "智保贷", index=index_dir, env={"NO_COLOR": "1"})
    assert "智保贷" in output and not ANSI.search(output)


# --- show -----------------------------------------------------------------------------------

def test_show_prints_the_passage_with_its_place(index_dir):
    done = cli("show", f"{SEED_DOC}/3.2", index=index_dir)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == f"{TITLE} › 三、服务实体经济发展取得新成效 › (二)深化知识产权金融创新"
    assert lines[1] == f"{SEED_DOC}/3.2  /p/{SEED_DOC}/3.2  (2018-04-02)"
    assert lines[3].startswith("(二)深化知识产权金融创新。突破传统的")
    assert lines[3].endswith("贷款金额25.37亿元。")
    assert lines[-2] == f"previous: {SEED_DOC}/3.1  next: {SEED_DOC}/3.3"
    assert lines[-1] == f"cite: 《{TITLE}》三、（二） http://127.0.0.1:8000/p/{SEED_DOC}/3.2"


def test_show_cites_under_the_configured_base_url(index_dir):
    done = cli("show", f"{SEED_DOC}/3.2", "--json", index=index_dir,
               env={"POLICY_SEARCH_BASE_URL": "https://policy.example/"})
    assert json.loads(done.stdout)["citation"] == (
        f"《{TITLE}》三、（二） https://policy.example/p/{SEED_DOC}/3.2")


def test_show_highlights_a_query_on_a_terminal(index_dir):
    output = run_on_terminal("show", f"{SEED_DOC}/3.2", "-q", "专利权质押", index=index_dir)
    assert output.count("\x1b[1;33m专利权质押\x1b[0m") == 4


def test_show_json(index_dir):
    passage = json.loads(cli("show", f"{SEED_DOC}/notice", "--json", index=index_dir).stdout)
    assert set(passage) == {"id", "doc_id", "doc_title", "date", "path", "heading", "url",
                            "document_url", "text", "previous", "next", "office", "number",
                            "doc_type", "published", "source_url", "current_version",
                            "citation"}
    assert (passage["url"], passage["previous"], passage["next"]) == (
        f"/p/{SEED_DOC}/notice", None, f"{SEED_DOC}/intro")
    assert passage["text"].endswith("(此件主动公开)")


def test_show_an_unknown_passage_is_a_user_error(index_dir):
    done = cli("show", f"{SEED_DOC}/9.9", index=index_dir)
    assert done.returncode == 1 and done.stdout == ""
    assert f"'{SEED_DOC}/9.9'" in one_error_line(done)


# --- stats ----------------------------------------------------------------------------------

def test_stats(index_dir):
    human = cli("stats", index=index_dir).stdout
    assert human.startswith("1 document, 31 passages, ")
    assert f"{SEED_DOC}  31 passages  2018-04-02  通知  {TITLE}" in human
    figures = json.loads(cli("stats", "--json", index=index_dir).stdout)
    assert (figures["documents"], figures["passages"]) == (1, 31)
    (document,) = figures["by_document"]
    assert document == {
        "id": SEED_DOC, "title": TITLE, "date": "2018-04-02", "office": "办公室", "number": None,
        "written": None, "published": "2018-04-02", "doc_type": "通知", "topic": None,
        "source_url": None, "history": [], "format": "txt", "source_path": f"{SEED_DOC}.txt",
        "versions": [], "passages": 31}


# --- Errors and exit codes ----------------------------------------------------------------

@pytest.mark.parametrize("args, code, message", [
    (["query", "--", "-专利"], 1, "only excludes"),
    (["query", "专" * (MAX_QUERY_LENGTH + 1)], 1, "too long"),
    (["query", "专利\x01"], 1, "control characters"),
    (["query", '""'], 1, "empty query"),
    (["query", "section:abc"], 1, "not a chapter"),
    (["query", "智保贷", "--doc", "no-such-doc"], 1, "no document with id 'no-such-doc'"),
    (["query", "智保贷", "--sort", "newest"], 2, "--sort"),
    (["show", "nope"], 1, "no passage with id 'nope'"),
    (["query"], 2, "Missing argument"),
    (["show"], 2, "Missing argument"),
    (["query", "专利", "--limit", "0"], 2, "--limit"),
    (["query", "专利", "--limit", "many"], 2, "--limit"),
    (["query", "专利", "--page", "0"], 2, "--page"),
    (["query", "专利", "--section", "abc"], 2, "--section"),
    (["query", "专利", "--bogus"], 2, "No such option"),
    (["query", "专利", "-x"], 2, "No such option"),
    (["frobnicate"], 2, "No such command"),
])
def test_errors_are_one_line_on_stderr_with_an_exit_code(index_dir, args, code, message):
    done = cli(*args, index=index_dir)
    assert done.returncode == code
    assert message in one_error_line(done)
    assert done.stdout == ""


def test_help_and_version_exit_0(index_dir):
    assert cli("--help", index=index_dir).returncode == 0
    assert "QUERY..." in cli("query", "--help", index=index_dir).stdout
    version = cli("--version", index=index_dir)
    assert (version.returncode, version.stdout) == (0, "policy-search, version 0.1.0\n")


# --- Automatic rebuilds ---------------------------------------------------------------------

@pytest.fixture()
def own_seeds(tmp_path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{SEED_DOC}.txt", seeds)
    return seeds


@pytest.fixture()
def own_index(index_dir, own_seeds, tmp_path) -> Path:
    """A fresh index of ``own_seeds`` (a copy of the module's index: same content)."""
    shutil.copytree(index_dir, tmp_path / "index")
    return tmp_path / "index"


def test_query_builds_a_missing_index_and_says_so(own_seeds, tmp_path):
    done = cli("query", "智保贷", "--json", seeds=own_seeds, index=tmp_path / "index")
    assert done.returncode == 0
    assert done.stderr == f"policy-search: rebuilding the index: no index in {tmp_path / 'index'}\n"
    assert json.loads(done.stdout)["total"] == 1


def test_query_rebuilds_a_stale_index_and_says_why(own_seeds, own_index):
    fresh = cli("query", "区块链", "--json", seeds=own_seeds, index=own_index)
    assert fresh.stderr == ""
    (own_seeds / "blockchain.txt").write_text("区块链简报\n推进区块链存证。\n", encoding="utf-8")
    stale = cli("query", "区块链", "--json", seeds=own_seeds, index=own_index)
    assert stale.returncode == 0
    assert stale.stderr == "policy-search: rebuilding the index: seed files added blockchain.txt\n"
    assert [hit["id"] for hit in json.loads(stale.stdout)["hits"]] == ["blockchain/p1"]


@pytest.mark.parametrize("failure", ["no fork", "the child dies"])
def test_query_checks_the_index_itself_when_its_child_cannot(own_seeds, own_index,
                                                             monkeypatch, failure):
    from click.testing import CliRunner

    from search import manifest
    from search.cli import cli as command

    (own_seeds / "blockchain.txt").write_text("区块链简报\n推进区块链存证。\n", encoding="utf-8")
    if failure == "no fork":
        def no_fork():
            raise OSError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", no_fork)
    else:
        parent, staleness = os.getpid(), manifest.staleness
        monkeypatch.setattr(manifest, "staleness", lambda seeds, root: staleness(seeds, root)
                            if os.getpid() == parent else os._exit(1))
    done = CliRunner().invoke(command, ["--seeds", str(own_seeds), "--index", str(own_index),
                                        "query", "区块链", "--json"])
    assert done.exit_code == 0, done.output
    assert "rebuilding the index: seed files added blockchain.txt" in done.output
    assert '"id": "blockchain/p1"' in done.output


def test_query_rebuilds_a_broken_index(own_seeds, own_index):
    (own_index / CURRENT).write_text("build-gone\n")
    done = cli("query", "智保贷", seeds=own_seeds, index=own_index)
    assert done.returncode == 0
    assert "rebuilding the index" in done.stderr
    assert f"{SEED_DOC}/3.2" in done.stdout


def test_a_bad_seed_file_during_an_automatic_rebuild_does_not_stop_the_query(own_seeds, tmp_path):
    (own_seeds / "broken.txt").write_bytes(b"")
    done = cli("query", "智保贷", seeds=own_seeds, index=tmp_path / "index")
    assert done.returncode == 0
    assert "broken.txt: empty file" in done.stderr
    assert f"{SEED_DOC}/3.2" in done.stdout
    again = cli("query", "智保贷", seeds=own_seeds, index=tmp_path / "index")
    assert (again.returncode, again.stderr) == (0, "")   # the bad file is known: no rebuild


def test_no_index_and_no_seeds_is_a_user_error(tmp_path):
    done = cli("query", "专利", seeds=tmp_path / "no-seeds", index=tmp_path / "no-index")
    assert done.returncode == 1
    assert "no-index" in one_error_line(done)


def test_without_seeds_an_existing_index_still_answers(index_dir, tmp_path):
    done = cli("query", "智保贷", seeds=tmp_path / "no-seeds", index=index_dir)
    assert done.returncode == 0 and f"{SEED_DOC}/3.2" in done.stdout


def test_serve_with_an_access_log_it_cannot_write_is_a_one_line_error(index_dir, tmp_path):
    done = cli("serve", "--access-log", str(tmp_path / "missing" / "access.log"), index=index_dir)
    assert done.returncode == 1
    assert "cannot write the access log" in one_error_line(done)
