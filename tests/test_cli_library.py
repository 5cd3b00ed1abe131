"""The library on the command line: query from stdin, filters, sort, --count, --jsonl, docs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_DOC, run_cli

OPINION = "国发〔2019〕5号"
PATENT_LAW = "专利代理条例-2018-11-06"


@pytest.fixture(scope="module")
def cli(library):
    """Run the real command over the library's index."""
    seeds, index = library
    return lambda *args, input=None: run_cli(*args, seeds=seeds, index=index, input=input)


def hits_json(done) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_dash_reads_the_query_from_stdin(cli):
    piped = cli("query", "-", "--json", input="专利\n")
    typed = cli("query", "专利", "--json")
    assert hits_json(piped)["query"] == "专利"
    assert [hit["id"] for hit in hits_json(piped)["hits"]] == \
        [hit["id"] for hit in hits_json(typed)["hits"]]


def test_stdin_lines_are_the_words_of_one_query(cli):
    assert hits_json(cli("query", "-", "--json", input="监管\n国务院办公厅\n"))["query"] == \
        "监管 国务院办公厅"


def test_an_empty_stdin_is_a_one_line_error(cli):
    done = cli("query", "-", input="  \n")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("policy-search: error: empty query on stdin")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("flags, documents", [
    (["--office", "国务院办公厅"], {"国办发〔2018〕128号", "国办发〔2018〕129号"}),
    (["--type", "意见"], {"国办发〔2018〕129号", OPINION}),
    (["--year", "2019"], {OPINION}),
    (["--after", "2019-01", "--before", "2019-12-31"], {OPINION}),
    (["--before", "2018-12-29", "--office", "国务院办公厅"], {"国办发〔2018〕128号"}),
])
def test_filter_flags_keep_only_their_documents(cli, flags, documents):
    result = hits_json(cli("query", "监管", "--json", "-n", "100", *flags))
    assert {hit["doc_id"] for hit in result["hits"]} == documents


def test_sort_date_lists_the_newest_first(cli):
    dates = [hit["date"] for hit in hits_json(cli("query", "监管 OR 专利", "--sort", "date",
                                                   "--json", "-n", "100"))["hits"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2019-01-27"


def test_count_prints_only_the_number(cli):
    done = cli("query", "监管", "--count")
    assert done.returncode == 0 and done.stdout == "24\n"
    assert cli("query", "监管", "--count", "--type", "通知").stdout == "8\n"


def test_jsonl_prints_one_hit_per_line(cli):
    done = cli("query", "监管", "--jsonl", "-n", "3")
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["doc_id"] for line in lines)
    assert json.loads(lines[0]) == hits_json(cli("query", "监管", "--json", "-n", "3"))["hits"][0]


def test_query_json_has_the_api_shape_with_facets(cli):
    result = hits_json(cli("query", "监管", "--json", "--office", "国务院"))
    assert {"page", "pages", "limit", "sort", "filters", "facets"} <= set(result)
    assert result["filters"] == {"office": "国务院"}
    assert result["facets"]["type"] == {"意见": 13}


@pytest.mark.parametrize("args, message", [
    (["query", "专利", "--type", "公告"], "no document of type '公告'; types: 行政法规"),
    (["query", "专利 office:教育部"], "no document from office '教育部'"),
    (["query", "专利", "--doc", "nope"], "no document with id 'nope'"),
    (["query", "专利", "--year", "九"], "is not a year"),
    (["docs", "--after", "2019-02-30"], "is not a date"),
])
def test_a_filter_that_names_nothing_is_a_one_line_error(cli, args, message):
    done = cli(*args)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("policy-search: error: ") and message in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_typed_number_finds_its_document_first(cli):
    result = hits_json(cli("query", "国发[2019]5号", "--json"))
    assert result["hits"][0]["doc_id"] == OPINION


def test_docs_lists_documents_newest_first(cli):
    done = cli("docs")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "7 documents, showing 1-7"
    assert lines[2] == "1. 中国公民收养子女登记办法"
    assert lines[3].split()[:3] == ["中国公民收养子女登记办法-2023-07-20", "2023-07-20", "国务院"]
    assert lines[-1].split()[:2] == [SEED_DOC, "2018-04-02"]


def test_docs_filters_and_sorts_like_the_api(cli):
    listing = hits_json(cli("docs", "--office", "国务院", "--sort", "title", "--json"))
    assert listing["total"] == 4 and listing["filters"] == {"office": "国务院"}
    titles = [d["title"] for d in listing["documents"]]
    assert titles == sorted(titles)
    assert {d["id"] for d in hits_json(cli("docs", "--title", "专利", "--json"))["documents"]} \
        == {PATENT_LAW}


def test_an_unknown_office_lists_each_body_of_a_joint_document_once() -> None:
    from search.filters import FilterError, Filters

    catalogue = {"a": {"office": "最高人民法院、最高人民检察院"}, "b": {"office": "最高人民法院"}}
    with pytest.raises(FilterError) as raised:
        Filters(office="教育部").check_known(catalogue)
    assert str(raised.value).endswith("offices: 最高人民法院、最高人民检察院")
