"""The catalogue file: a document read by id or 文号 one row at a time, never all at once
for one query, and still readable by a reader whose build was deleted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search import catalogue_file
from search.catalogue_file import CatalogueFile
from search.engine import Searcher
from search.filters import Filters
from search.index import Index


def test_entries_come_back_as_written_in_seed_order(tmp_path):
    entries = [{"id": "b", "title": "乙", "date": None, "number": "国发〔2019〕5号",
                "passages": ["1", "2"]},
               {"id": "a", "title": "甲", "date": "2020-01-02", "office": "国务院",
                "passages": []}]
    path = tmp_path / "documents.sqlite"
    catalogue_file.write(path, entries, {"a": 2, "b": 1})
    catalogue_file.write(path, entries[::-1], {"a": 1, "b": 2})  # the file is replaced whole
    catalogue = CatalogueFile(path)
    assert catalogue.values() == entries[::-1]
    assert list(catalogue) == ["a", "b"] and len(catalogue) == 2
    assert catalogue["b"] == entries[0]
    assert catalogue.get("c") is None and "c" not in catalogue and "a" in catalogue
    assert catalogue.summaries["a"] == {"id": "a", "title": "甲", "date": "2020-01-02",
                                        "office": "国务院", "doc_type": None, "number": None}
    assert catalogue.summaries_of(["b", "c"]) == {"b": catalogue.summaries["b"]}
    assert catalogue.ids_at([2, 3]) == {2: "b"}
    assert catalogue.numbered("国发[2019]5号") == ["b"]
    assert catalogue.numbered("国发〔2019〕6号") == []
    catalogue.close()


def test_many_documents_are_read_in_batches_or_all_at_once(tmp_path, monkeypatch):
    path = tmp_path / "documents.sqlite"
    catalogue_file.write(path, [{"id": f"d{n}", "title": f"文件{n}", "passages": []}
                                for n in range(1200)], {f"d{n}": n for n in range(1200)})
    asked = [f"d{n}" for n in range(0, 1200, 2)] + ["nosuch"]
    few = CatalogueFile(path).summaries_of(asked)  # two statements of 500 ids, one of 101
    monkeypatch.setattr(catalogue_file, "SOME", 10)
    every = CatalogueFile(path).summaries_of(asked)  # every summary read, then picked
    assert few == every and len(few) == 600 and few["d1198"]["title"] == "文件1198"
    slots = [*range(0, 1200, 3), 5000]
    assert CatalogueFile(path).ids_at(slots) == {n: f"d{n}" for n in range(0, 1200, 3)}
    monkeypatch.setattr(catalogue_file, "SOME", 100_000)
    assert CatalogueFile(path).ids_at(slots) == {n: f"d{n}" for n in range(0, 1200, 3)}


def test_one_query_reads_only_the_documents_it_shows(library, monkeypatch):
    def every_document(_):
        raise AssertionError("the whole catalogue was read")

    monkeypatch.setattr(CatalogueFile, "summaries", property(every_document))
    monkeypatch.setattr(CatalogueFile, "values", every_document)
    index = Index(library[1])
    searcher = Searcher(index)
    try:
        found = searcher.search("专利代理")
        assert found.total > 0 and found.hits[0].doc_title
        numbered = searcher.search("国发〔2019〕5号")
        assert numbered.hits[0].doc_id == searcher.index.documents.numbered("国发〔2019〕5号")[0]
        passage = searcher.passage(found.hits[0].id)
        assert passage.next or passage.previous
        faceted = searcher.search("专利代理", facets=True)  # the counted documents only
        assert sum(faceted.facets["doc"].values()) == faceted.total
        # A filter reads every document's summary: which documents does it keep?
        with pytest.raises(AssertionError, match="whole catalogue"):
            searcher.search("专利代理", filters=Filters(year=2018))
    finally:
        searcher.close()
        index.close()


def test_a_reader_keeps_its_catalogue_when_its_build_is_deleted(library, tmp_path):
    root = tmp_path / "index"
    shutil.copytree(library[1], root)
    index = Index(root)
    try:
        listing = CatalogueFile(index.path / "documents.sqlite")
        ids = [entry["id"] for entry in listing.values()]
        listing.close()
        shutil.rmtree(index.path)  # a retired build, deleted after its grace period
        assert not Path(index.path).exists()
        assert [index.documents[doc_id]["id"] for doc_id in ids] == ids
        assert set(index.documents.summaries) == set(ids)
    finally:
        index.close()


@pytest.mark.parametrize("text", ["专利", "收养 登记", "工作", "国务院"])
def test_documents_counted_by_slot_are_those_counted_by_id(library, text):
    from whoosh import query as wq

    from search import facets
    from search.budget import Work
    from search.schema import F_DOC, F_WORDS

    index = Index(library[1])
    searcher = Searcher(index)
    try:
        q = wq.And([wq.Term(F_WORDS, word) for word in text.split()])
        by_slot = facets._by_field(searcher._searcher, index, q, F_DOC, [], [], Work.starting_now(),
                                   index.documents)
        by_id = facets._by_field(searcher._searcher, index, q, F_DOC, [], [], Work.starting_now())
        assert by_slot == by_id and len(by_id) >= 2
    finally:
        searcher.close()
        index.close()


@pytest.mark.parametrize("gap", [catalogue_file.ORD_GAP, 1])
def test_kept_rows_are_copied_in_a_folder_named_like_a_uri(tmp_path, monkeypatch, gap):
    folder = tmp_path / "索引 #1?%20"  # characters that mean something in a file: URI
    folder.mkdir()
    old, new = folder / "old.sqlite", folder / "new.sqlite"
    kept = [{"id": "a", "title": "甲", "versions": [], "passages": ["1"]},
            {"id": "c", "title": "丙", "versions": [], "passages": []}]
    monkeypatch.setattr(catalogue_file, "ORD_GAP", gap)  # 1: no room between a and c
    catalogue_file.write(old, kept, {"a": 7, "c": 9})
    a, c = CatalogueFile(old).briefs()
    added = {"id": "b", "title": "乙", "passages": []}
    catalogue_file.write(new, [a, added, c], {"b": 8}, kept_from=old)
    assert CatalogueFile(new).values() == [kept[0], added, kept[1]]
    assert CatalogueFile(new).ids_at([7, 8, 9]) == {7: "a", 8: "b", 9: "c"}
    catalogue_file.write(new, [c, added, a], {"b": 8}, kept_from=old)  # kept rows reordered
    assert CatalogueFile(new).values() == [kept[1], added, kept[0]]
    catalogue_file.write(new, [c, a], {}, kept_from=old)
    assert CatalogueFile(new).values() == kept[::-1]
    assert sorted(p.name for p in folder.iterdir()) == ["new.sqlite", "old.sqlite"]


def _entry(n: int, version: int) -> dict:
    return {"id": f"d{n}", "title": f"文件{n}", "date": f"20{n % 30:02d}-01-01",
            "number": f"国发〔2019〕{n}号", "versions": [], "passages": [f"{n}.{version}"]}


@pytest.mark.parametrize("seed", range(4))
def test_an_update_gives_the_catalogue_a_full_write_gives(tmp_path, monkeypatch, seed):
    """Documents kept, removed, changed and added anywhere, update after update (with a
    gap so small that some updates find no room and write every row)."""
    import random

    rng = random.Random(seed)
    monkeypatch.setattr(catalogue_file, "ORD_GAP", 4)
    live, written = tmp_path / "live.sqlite", {n: 0 for n in range(0, 60, 2)}
    slots = {f"d{n}": n for n in range(100)}
    catalogue_file.write(live, [_entry(n, 0) for n in written], slots)
    for version in range(1, 12):
        kept = {brief["id"]: brief for brief in CatalogueFile(live).briefs()}
        names = sorted({n for n in written if rng.random() > 0.2}
                       | {rng.randrange(100) for _ in range(rng.randrange(6))})
        written = {n: version if n not in written or rng.random() < 0.1 else written[n]
                   for n in names}
        wanted = [_entry(n, written[n]) for n in names]
        entries = [kept[e["id"]] if e["id"] in kept and written[n] < version else e
                   for n, e in zip(names, wanted)]
        updated = tmp_path / f"v{version}.sqlite"
        catalogue_file.write(updated, entries, slots, kept_from=live)
        catalogue = CatalogueFile(updated)
        assert catalogue.values() == wanted
        assert list(catalogue) == [e["id"] for e in wanted]
        assert catalogue.ids_at([slots[e["id"]] for e in wanted]) == {
            slots[e["id"]]: e["id"] for e in wanted}
        assert all(catalogue.numbered(e["number"]) == [e["id"]] for e in wanted)
        catalogue.close()
        live = updated
