"""A segment's hot postings file: what it holds is whoosh's postings, and a search reads
the same answers through it as through whoosh (tests/conftest.py lowers HOT_FROM so
that the test libraries have hot terms; the rankings against whoosh's own matchers are
tests/test_whoosh_private.py's)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from search import evaluate, hot_postings
from search._whoosh import postings
from search.engine import open_searcher
from search.hot_postings import HotFile, HotTerm
from search.index import F_GRAMS, Index
from search.query import compile_query, parse


def _random_terms(rng: random.Random, count: int) -> list[HotTerm]:
    terms = []
    for number in range(count):
        ids = sorted(rng.sample(range(1 << rng.choice((9, 20, 32))), rng.randint(1, 300)))
        counts = [rng.randint(1, rng.choice((3, 255))) for _ in ids]
        with_positions = number % 3 != 0
        top = rng.choice((300, 70_000))
        positions = [p for c in counts for p in sorted(rng.sample(range(top), c))] \
            if with_positions else None
        terms.append(HotTerm(rng.choice(("grams", "words")), f"词{number}".encode(), ids,
                             counts, rng.choice((1.0, 2.0, 0.5)), positions))
    return terms


def test_a_file_gives_back_every_term_it_was_given(tmp_path: Path) -> None:
    terms = _random_terms(random.Random(7), 60)
    path = tmp_path / "x.hot"
    path.write_bytes(hot_postings.encode(terms))
    hot = HotFile(path)
    for term in terms:
        read = hot.get(term.fieldname, term.btext)
        assert read.ids.tolist() == list(term.ids)
        assert read.weights().tolist() == [c * term.factor for c in term.counts]
        if term.positions is None:
            with pytest.raises(ValueError):
                read.positions(np.arange(1))
            continue
        rows = np.array(sorted(random.Random(1).sample(range(len(term.ids)),
                                                       min(5, len(term.ids)))))
        lengths, flat = read.positions(rows)
        ends = np.cumsum(term.counts)
        expected = [p for r in rows.tolist()
                    for p in term.positions[ends[r] - term.counts[r]: ends[r]]]
        assert lengths.tolist() == [term.counts[r] for r in rows.tolist()]
        assert flat.tolist() == expected
    assert hot.get("grams", "没有".encode()) is None


@pytest.mark.parametrize("damage", [b"", b"PSHOT", b"not a hot file at all, no",
                                    hot_postings.MAGIC + b"{]" + bytes(8)])
def test_a_damaged_file_says_so(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "x.hot"
    path.write_bytes(damage)
    with pytest.raises((hot_postings.Damaged, ValueError)):
        HotFile(path)


def _hot_files(root: Path) -> list[Path]:
    return sorted(Index(root).path.glob(f"*{hot_postings.SUFFIX}"))


@pytest.mark.parametrize("which", ["segmented_index", "updated_index"])
def test_each_segment_has_its_file_and_it_holds_whoosh_s_postings(
        request: pytest.FixtureRequest, which: str) -> None:
    root = request.getfixturevalue(which)
    with open_searcher(root) as searcher:
        leaves = searcher._searcher.leaf_searchers()
        # One file per live segment: whoosh deleted those of the segments an update merged.
        assert {p.name for p in _hot_files(root)} == \
            {sub.reader().segment().make_filename(hot_postings.SUFFIX) for sub, _ in leaves}
        checked = deleted = 0
        for sub, _ in leaves:
            reader = sub.reader()
            segment = postings.Segment(sub)
            for fieldname in reader.schema.names():
                if not reader.schema[fieldname].scorable:  # ids and numbers: never in the file
                    continue
                for btext, info in reader.iter_field(fieldname):
                    text = btext.decode("utf-8")
                    term = segment.hot.get(fieldname, btext)
                    # The file holds every posting, the deleted ones too, like whoosh's.
                    assert (term is not None) == (info.doc_frequency() >= hot_postings.HOT_FROM)
                    if term is None:
                        continue
                    assert len(term) == info.doc_frequency()
                    # What a search reads: the live postings, as whoosh's matcher gives them.
                    live = segment.hot_term(fieldname, text)
                    matcher = reader.postings(fieldname, btext)
                    ids, weights, positions = [], [], []
                    while matcher.is_active():
                        ids.append(matcher.id())
                        weights.append(matcher.weight())
                        if fieldname == F_GRAMS:
                            positions.extend(matcher.value_as("positions"))
                        matcher.next()
                    assert live.ids.tolist() == ids, (fieldname, text)
                    assert live.weights.tolist() == weights
                    if fieldname == F_GRAMS:
                        assert live.positions(np.arange(len(ids)))[1].tolist() == positions
                    checked += 1
                    deleted += len(term) - len(ids)
    assert checked > 50
    assert (deleted > 0) == (which == "updated_index")


QUERIES = ["知识产权", "的", '"专利权质押"', '"知识产权局"', "识产权强", "知识产权 -专利",
           '"的的"', "专利 质押 区块链", "2017年", "二〇一七年", "公司不给交社保，员工可以解除劳动合同吗？",
           '"天津市知识产权局"', "知識產權", '"工作"', "第3条"]


def _answers(root: Path, texts: list[str]) -> list[tuple]:
    answers = []
    with open_searcher(root) as searcher:
        for text in texts:
            q = compile_query(parse(text).root, searcher.index.segmenter)
            result = searcher.search(text, limit=30, facets=True)
            answers.append((evaluate.ranked(searcher._searcher, q, 10_000), result.total,
                            result.facets, [(hit.id, hit.score) for hit in result.hits]))
    return answers


@pytest.mark.parametrize("which", ["segmented_index", "updated_index"])
def test_searches_answer_alike_without_the_files(request: pytest.FixtureRequest, which: str,
                                                monkeypatch: pytest.MonkeyPatch,
                                                match_form: str) -> None:
    root = request.getfixturevalue(which)
    with_files = _answers(root, QUERIES)
    monkeypatch.setattr(postings, "_hot_for", lambda reader: None)
    assert _answers(root, QUERIES) == with_files


def test_a_phrase_with_a_hot_gram_is_read_from_the_file(segmented_index: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    read = []
    original = postings.Segment.hot_term

    def spy(self, fieldname: str, text: str):
        found = original(self, fieldname, text)
        read.append((fieldname, text, found is not None))
        return found

    monkeypatch.setattr(postings.Segment, "hot_term", spy)
    monkeypatch.setattr(evaluate, "cache_for", lambda build: evaluate.LeafCache())
    _answers(segmented_index, ['"天津市知识产权局"'])
    assert (F_GRAMS, "知识", True) in read


def test_a_damaged_file_is_read_through_whoosh(segmented_index: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(segmented_index, copy)
    expected = _answers(copy, QUERIES[:6])
    postings._hot_file.cache_clear()
    for path in _hot_files(copy):
        path.write_bytes(bytes(path.stat().st_size))  # the same size: opening checks sizes
    assert _answers(copy, QUERIES[:6]) == expected
    postings._hot_file.cache_clear()
