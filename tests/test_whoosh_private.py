"""search/_whoosh/ against the installed whoosh: the private names it uses still exist, and
the same queries and builds give through it what they give through whoosh's own paths."""

from __future__ import annotations

import importlib
import inspect
import re
from importlib import metadata
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.fields import NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb import structfile
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F

from search import _whoosh, evaluate, facets
from search._whoosh import mapped
from search._whoosh.codec import Codec, LengthsReader
from search._whoosh.columns import signed_column
from search._whoosh.scoring import LiveBM25F
from search.analysis import TermText, use_segmenter
from search.build import document_rows, ranked_documents
from search.dictionary import corpus_terms, index_segmenter
from search.documents import read_corpus
from search.engine import open_searcher
from search.index import F_DOC, F_ORDER, F_SECTION, Index, build
from search.query import compile_query, parse
from search.schema import ORDER_GAP, schema
from tests.conftest import SEEDS, run_cli

#: Single words, common and rare, several words, OR, NOT, grouping, phrases over the
#: character grams, a substring across words, Traditional script, numbers, absent words.
QUERIES = [
    "知识产权", "专利", "专利 质押 贷款", '"专利权质押"', '"知识产权强市"', "权质押", "识产权强",
    "知識產權", "專利質押", "2017", "12330", "25.37亿元", "1+7+N", "量子引力", "知识产权 -专利",
    "专利 OR 商标", "(特色小镇 OR 运营中心) 天津", "知识产权 OR -专利 质押", "知识知识", "的", "权",
    "国家 知识产权局 专利局", "-专利 知识", "xyz 知识产权", "(专利 OR 商标) -质押 天津",
    # Phrases whose grams recur, and a long verbatim quote: read rarest gram first.
    '"知识产权知识产权"', '"专利专利专利专利"', '"知识产权局2017年工作总结》印发给你们"',
    '"天津市知识产权局2017年工作总结天津市知识产权局"',
]
#: Enough to rank every match.
EVERY = 10**9


def test_the_installed_whoosh_is_the_one_search_whoosh_is_written_for() -> None:
    name, version = _whoosh.WHOOSH
    assert metadata.version(name) == version, \
        f"search/_whoosh/ is written against {name} {version}: check PRIVATE_NAMES and this module"
    assert [d.lower() for d in metadata.packages_distributions()["whoosh"]] == [name]


@pytest.fixture(scope="module")
def live_objects(seed_index: Path) -> dict[str, object]:
    """One live instance of each whoosh class whose instance attributes PRIVATE_NAMES names."""
    ix = whoosh_index.open_dir(str(Index(seed_index).path))
    segment = ix._segments()[0]
    reader = SegmentReader(ix.storage, ix.schema, segment)
    plain = W3PerDocReader(reader._storage, segment)
    writer = ix.writer()
    writer.cancel()  # its attributes stay; the shared index's write lock goes
    with ix.searcher() as searcher:
        found = {
            "whoosh.codec.whoosh3.W3PerDocReader": plain,
            "whoosh.columns.NumericColumn.Reader": plain._cached_reader("_grams_len", LENGTHS_COLUMN),
            "whoosh.reading.SegmentReader": reader,
            "whoosh.codec.whoosh3.W3LeafMatcher": reader.postings("grams", "知".encode()),
            "whoosh.scoring.BM25FScorer": BM25F().scorer(searcher, "grams", "知"),
            "whoosh.scoring.BM25F": BM25F(),
            "whoosh.codec.whoosh3.W3Segment": segment,
            "whoosh.writing.SegmentWriter": writer,
        }
        yield found
    reader.close()


def _resolve(name: str, live_objects: dict[str, object]) -> None:
    """Look ``name`` up in the installed whoosh; raise LookupError naming what is missing."""
    path, keyword = re.fullmatch(r"([\w.]+)(?:\((\w+)\))?", name).groups()
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    else:
        raise LookupError(f"{name}: no such module")
    for depth in range(cut, len(parts)):
        owner = ".".join(parts[:depth])
        if hasattr(found, parts[depth]):
            found = getattr(found, parts[depth])
        elif depth == len(parts) - 1 and hasattr(live_objects.get(owner), parts[depth]):
            found = getattr(live_objects[owner], parts[depth])  # set on instances only
        else:
            raise LookupError(f"{name}: {owner} has no {parts[depth]}")
    if keyword and keyword not in inspect.signature(found).parameters:
        raise LookupError(f"{name}: {path} takes no {keyword} argument")


@pytest.mark.parametrize("name", _whoosh.PRIVATE_NAMES)
def test_each_private_name_exists_in_the_installed_whoosh(name: str, live_objects: dict) -> None:
    try:
        _resolve(name, live_objects)
    except LookupError as missing:
        pytest.fail(f"whoosh changed under search/_whoosh/: {missing}")


@pytest.mark.parametrize("name", ["whoosh.scoring.BM25FScorer.nowhere",
                                  "whoosh.codec.whoosh4.W4Codec",
                                  "whoosh.writing.SegmentWriter.__init__(_nowhere)"])
def test_a_vanished_name_is_named(name: str, live_objects: dict) -> None:
    with pytest.raises(LookupError, match=re.escape(name)):
        _resolve(name, live_objects)


def test_the_mapped_buffer_file_sets_what_whoosh_s_own_constructor_sets() -> None:
    ours, theirs = (structfile.BufferFile.__new__(structfile.BufferFile) for _ in range(2))
    structfile.BufferFile.__init__(ours, memoryview(b"data"), "name")
    mapped.WHOOSH_BUFFER_FILE_INIT(theirs, memoryview(b"data"), "name")
    assert isinstance(ours.file, mapped.ViewFile)
    assert set(vars(ours)) == set(vars(theirs))
    assert {key: value for key, value in vars(ours).items() if key != "file"} == \
        {key: value for key, value in vars(theirs).items() if key != "file"}


def test_the_codec_reads_the_lengths_whoosh_reads(library: tuple[Path, Path]) -> None:
    ix = Index(library[1]).whoosh
    for segment in ix._segments():
        assert isinstance(segment.codec(), Codec)
        reader = SegmentReader(ix.storage, ix.schema, segment)  # opens the compound file
        fast, plain = reader._perdoc, W3PerDocReader(reader._storage, segment)
        assert isinstance(fast, LengthsReader)
        lengths = []
        for fieldname in ("words", "grams", "heading", "text"):
            for docnum in range(segment.doc_count_all() + 1):
                length = plain.doc_field_length(docnum, fieldname, 7)
                assert fast.doc_field_length(docnum, fieldname, 7) == length
                lengths.append(length)
        assert len(set(lengths)) > 10  # real lengths, not the default
        reader.close()
    ix.close()


def _codec_paths(root: Path) -> set[bytes]:
    """Return the module paths by which the live build's segments name their codec."""
    toc = next(Index(root).path.glob("_MAIN_*.toc")).read_bytes()
    return set(re.findall(rb"search[.\w]*codec", toc))


def test_an_index_built_before_the_move_opens_and_updates(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds made before search/_whoosh/ existed name their codec search.codec.Codec."""
    seeds, root = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "tianjin-ip-2017.txt").write_bytes((SEEDS / "tianjin-ip-2017.txt").read_bytes())
    with monkeypatch.context() as patch:
        patch.setattr(Codec, "__module__", "search.codec")
        build(seeds, root)
    assert _codec_paths(root) == {b"search.codec"}
    found = run_cli("query", "智保贷", "--count", seeds=seeds, index=root)
    assert (found.returncode, found.stdout, found.stderr) == (0, "1\n", "")
    (seeds / "beijing.txt").write_text(
        (SEEDS / "tianjin-ip-2017.txt").read_text("utf-8").replace("天津", "北京"), "utf-8")
    updated = run_cli("index", seeds=seeds, index=root)
    assert updated.returncode == 0 and updated.stdout.startswith("updated 1 added"), updated
    assert _codec_paths(root) == {b"search._whoosh.codec"}
    assert run_cli("query", "智保贷", "--count", seeds=seeds, index=root).stdout == "2\n"


def whoosh_scores(searcher, q: wq.Query) -> dict[int, float]:
    """Walk whoosh's matchers document by document: every match and its score."""
    found = {}
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = q.matcher(subsearcher, subsearcher.context())
        while matcher.is_active():
            found[offset + matcher.id()] = matcher.score()
            matcher.next()
    return found


def test_the_updated_index_holds_deleted_passages(updated_index: Path) -> None:
    with open_searcher(updated_index) as searcher:
        assert searcher._searcher.reader().has_deletions()


def test_segmented_index_has_several_segments(segmented_index: Path) -> None:
    with open_searcher(segmented_index) as searcher:
        assert len(searcher._searcher.leaf_searchers()) > 1


INDEXES = ["seed_index", "segmented_index", "updated_index"]


def test_a_signed_column_read_whole_keeps_negative_and_extreme_values() -> None:
    values = [0, -1, 1, -(2 ** 63), 2 ** 63 - 1, -123456789012, 987654321098]
    storage = RamStorage()
    ix = storage.create_index(Schema(n=NUMERIC(bits=64, signed=True, sortable=True)))
    with ix.writer() as writer:
        for value in values:
            writer.add_document(n=value)
    with ix.reader() as reader:
        assert list(reader.column_reader("n")) == values
        assert list(signed_column(reader, "n")) == values


@pytest.mark.parametrize("which", INDEXES)
def test_the_order_column_read_whole_is_whoosh_s(request: pytest.FixtureRequest, which: str
                                                 ) -> None:
    with open_searcher(request.getfixturevalue(which)) as searcher:
        reader = searcher._searcher.reader()
        theirs = list(reader.column_reader(F_ORDER))
        assert list(signed_column(reader, F_ORDER)) == theirs
        assert len(set(theirs)) > 30  # real values, not a default
        with pytest.raises(TypeError, match="not a 64-bit signed integer field"):
            signed_column(reader, F_DOC)


@pytest.mark.parametrize("which", INDEXES)
def test_field_values_are_whoosh_s_postings(request: pytest.FixtureRequest, which: str) -> None:
    with open_searcher(request.getfixturevalue(which)) as searcher:
        whoosh_searcher = searcher._searcher
        theirs: list[str | None] = [None] * whoosh_searcher.doc_count_all()
        for sub, offset in whoosh_searcher.leaf_searchers():
            reader = sub.reader()
            for btext in reader.lexicon(F_DOC):
                for docnum in reader.postings(F_DOC, btext).all_ids():  # live ones only
                    theirs[offset + docnum] = btext.decode("utf-8")
        assert evaluate.field_values(whoosh_searcher, F_DOC) == theirs
        if which == "updated_index":
            assert None in theirs  # the deleted passages


def _same_ranking(ours: tuple[int, list[tuple[float, int]]] | None, results) -> None:
    """Assert the evaluator's ranking is whoosh's: the same total, the same passages in the
    same order, the same scores."""
    assert ours is not None, "the evaluator left the query to whoosh"
    total, best = ours
    assert total == len(results) == len(best)
    assert [docnum for _, docnum in best] == [hit.docnum for hit in results]
    assert [score for score, _ in best] == pytest.approx([hit.score for hit in results],
                                                         rel=0, abs=1e-9)


@pytest.mark.parametrize("which", ["seed_index", "segmented_index", "updated_index"])
@pytest.mark.parametrize("text", QUERIES)
def test_ranked_equals_whoosh(request: pytest.FixtureRequest, which: str, text: str,
                              match_form: str) -> None:
    with open_searcher(request.getfixturevalue(which)) as searcher:
        whoosh_searcher = searcher._searcher
        q = compile_query(parse(text).root, searcher.index.segmenter)
        expected = whoosh_scores(whoosh_searcher, q)
        total, best = evaluate.ranked(whoosh_searcher, q, 25)
        # Every match, as whoosh's own Searcher.search ranks them.
        _same_ranking(evaluate.ranked(whoosh_searcher, q, EVERY),
                      whoosh_searcher.search(q, limit=None))
    assert total == len(expected)
    ranking = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:25]
    assert [score for score, _ in best[:25]] == \
        pytest.approx([score for _, score in ranking], rel=1e-12)
    # Past the 25th, only the passages that tie with it (ties are broken in document order).
    assert all(score == ranking[-1][1] for score, _ in best[25:])
    for score, docnum in best:
        assert expected[docnum] == pytest.approx(score, rel=1e-12)


@pytest.mark.parametrize("text", ["知识产权", "专利 质押", '"专利权质押"', "知识产权 -专利", "的"])
@pytest.mark.parametrize("restrict", [
    wq.Term(F_DOC, "copy-03"), wq.Term(F_SECTION, "3"),
    wq.Or([wq.Term(F_DOC, "copy-00"), wq.Term(F_DOC, "copy-99")]),
    wq.And([wq.Term(F_DOC, "copy-07"), wq.Term(F_SECTION, "1")]),
], ids=repr)
def test_filtered_ranking_equals_whoosh_search(updated_index: Path, text: str,
                                               restrict: wq.Query, match_form: str) -> None:
    with open_searcher(updated_index) as searcher:
        whoosh_searcher = searcher._searcher
        q = compile_query(parse(text).root, searcher.index.segmenter)
        allowed = set(whoosh_searcher.docs_for_query(restrict))
        assert allowed
        _same_ranking(evaluate.ranked(whoosh_searcher, q, EVERY, allowed),
                      whoosh_searcher.search(q, limit=None, filter=restrict))


@pytest.mark.parametrize("text", ["知识产权", "专利 质押", '"专利权质押"', "知识产权 -专利", "区块链"])
@pytest.mark.parametrize("fieldname, filters", [
    ("doc_id", []), ("section", []), ("doc_id", [wq.Term("section", "3")]),
    ("section", [wq.Term("doc_id", "copy-03")]), ("section", [wq.Term("doc_id", "nowhere")]),
])
def test_facet_counts_equal_whoosh_grouping(segmented_index: Path, text: str, fieldname: str,
                                           filters: list, match_form: str) -> None:
    with open_searcher(segmented_index) as searcher:
        q = compile_query(parse(text).root, searcher.index.segmenter)
        restrict = wq.And(filters) if filters else None
        whoosh_searcher = searcher._searcher
        expected = {}
        if restrict is None or not whoosh_searcher.search(restrict, limit=1).is_empty():
            results = whoosh_searcher.search(
                q, limit=1, filter=restrict,
                groupedby={fieldname: sorting.FieldFacet(fieldname, maptype=sorting.Count)})
            expected = {str(k): v for k, v in results.groups(fieldname).items()
                        if k not in (None, "")}
        assert facets._by_field(whoosh_searcher, searcher.index, q, fieldname, filters, [],
                                None) == expected


def _whoosh_built(seeds: Path, target: Path) -> Path:
    """Index the passages a full build indexes, with whoosh's own writer, codec and fields."""
    documents, _ = read_corpus(seeds)
    use_segmenter(index_segmenter(corpus_terms(d.text for d in documents)))
    try:
        rows = [row for rank, document in enumerate(ranked_documents(documents), 1)
                for row in document_rows(document, rank * ORDER_GAP)]
        ix = whoosh_index.create_in(str(target), schema())
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TermText, "index", TEXT.index)  # whoosh's own Token path
            writer = ix.writer()
            for row in rows:
                writer.add_document(**row)
            writer.commit()
    finally:
        use_segmenter(None)
    return target


def _contents(ix) -> dict:
    """Every posting, field length, stored document and term statistic, by docnum."""
    found: dict = {}
    with ix.reader() as reader:
        for fieldname in ix.schema.names():
            if not ix.schema[fieldname].indexed:
                continue
            for term in reader.lexicon(fieldname):
                found[fieldname, term] = (reader.doc_frequency(fieldname, term),
                                          reader.frequency(fieldname, term),
                                          _postings(reader, fieldname, term))
            found[fieldname] = reader.field_length(fieldname)
        for docnum in range(reader.doc_count_all()):
            found[docnum] = (reader.stored_fields(docnum),
                             [reader.doc_field_length(docnum, f) for f in ("words", "grams")])
    return found


def _postings(reader, fieldname: str, term: bytes) -> list[tuple]:
    matcher = reader.postings(fieldname, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


@pytest.fixture(scope="module", params=["library", "segmented_library"])
def built_both_ways(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                    ) -> tuple[Path, Path]:
    """The index our writer wrote and a build folder that whoosh's own writer wrote, of the
    same seeds: the real library (one process), twenty copies (two processes, two segments)."""
    seeds, root = request.getfixturevalue(request.param)
    return root, _whoosh_built(seeds, tmp_path_factory.mktemp(f"whoosh-{request.param}"))


def test_our_writer_writes_what_whoosh_s_writer_writes(built_both_ways: tuple[Path, Path]
                                                       ) -> None:
    root, theirs_path = built_both_ways
    ours, theirs = Index(root).whoosh, whoosh_index.open_dir(str(theirs_path))
    assert {type(s.codec()) for s in ours._segments()} == {Codec}
    assert {type(s.codec()) for s in theirs._segments()} != {Codec}
    assert _contents(ours) == _contents(theirs)


@pytest.mark.parametrize("text", QUERIES)
def test_our_build_ranks_as_whoosh_s_build(built_both_ways: tuple[Path, Path], text: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root, theirs_path = built_both_ways
    index = Index(root)
    with index.whoosh.searcher(weighting=LiveBM25F(index.deleted)) as ours:
        q = compile_query(parse(text).root, index.segmenter)
        ranking = evaluate.ranked(ours, q, EVERY)
    # whoosh's own read path too: its BufferFile copies, not our views of the mapped file.
    monkeypatch.setattr(structfile.BufferFile, "__init__", mapped.WHOOSH_BUFFER_FILE_INIT)
    with whoosh_index.open_dir(str(theirs_path)).searcher(weighting=BM25F()) as theirs:
        _same_ranking(ranking, theirs.search(q, limit=None))
