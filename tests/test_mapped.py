"""Index files are read through views of the mapped file: the same bytes as a copy gives."""

from __future__ import annotations

import io
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.structfile import BufferFile

from search import index  # noqa: F401 (installs the view)
from search.engine import open_searcher
from search._whoosh.mapped import ViewFile

operations = st.lists(st.one_of(
    st.tuples(st.just("read"), st.integers(-1, 40)),
    st.tuples(st.just("readline"), st.integers(-1, 40)),
    st.tuples(st.just("seek"), st.integers(0, 80)),
    st.tuples(st.just("seek_cur"), st.integers(-10, 30)),
    st.tuples(st.just("readinto"), st.integers(0, 40)),
), max_size=30)


@settings(max_examples=300)
@given(data=st.binary(max_size=100).map(lambda b: b.replace(b"\x07", b"\n")), ops=operations)
def test_a_view_reads_like_bytesio(data: bytes, ops) -> None:
    view, copy = ViewFile(memoryview(data)), io.BytesIO(data)
    for name, value in ops:
        if name == "seek_cur":
            value = max(0, copy.tell() + value) - copy.tell()
            assert view.seek(value, io.SEEK_CUR) == copy.seek(value, io.SEEK_CUR)
        elif name == "readinto":
            a, b = bytearray(value), bytearray(value)
            assert (view.readinto(a), a) == (copy.readinto(b), b)
        else:
            assert getattr(view, name)(value) == getattr(copy, name)(value)
        assert view.tell() == copy.tell()


def test_pickles_load_from_a_view() -> None:
    data = pickle.dumps({"ids": [1, 2, 3], "text": "知识产权"}) + b"tail"
    assert pickle.load(BufferFile(memoryview(data)).file) == {"ids": [1, 2, 3], "text": "知识产权"}


def test_an_open_index_reads_its_files_through_views(seed_index) -> None:
    with open_searcher(seed_index) as searcher:
        reader = searcher._searcher.reader()
        assert isinstance(reader._terms._dbfile.file, ViewFile)
        assert searcher.search("专利质押").total == 1
