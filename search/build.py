"""Write a build of the index beside the live one and swap it in.

A full build reads every seed file; an update only the changed ones (search/update.py).
Either writes a new build folder (search/schema.py lists what it holds), marked as in
progress until it is complete, then swaps CURRENT (search/lifecycle.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from search import catalogue_file, dictionary_file, lifecycle, manifest, pinyin
from search._whoosh import mapped, writer
from search._whoosh.codec import Codec
from search.lifecycle import IndexUnavailable
from search.livestats import DeletedTerms
from search.segment import Segmenter
from search.spill import Rows, SpillFile
from search.schema import (
    DICTIONARY, DOCUMENTS, F_DATE, F_DOC, F_HEADING, F_ID, F_KEY, F_META, F_ORDER, F_PATH,
    F_SECTION, F_TEXT, F_TITLE, META_KEYS, ORDER_GAP, PINYIN, STATE, VOCABULARY, WORD_FIELDS,
    indexed_fields, order_of, schema,
)

#: The file that holds a full build's documents until they are indexed (search/spill.py).
SPILL = "documents.spill"
#: Passages below which a single process indexes faster than forking workers.
PARALLEL_THRESHOLD = 2000

mapped.install()  # an update reads the live build's segments: through views, not copies


@dataclass
class BuildReport:
    """What a build did: counts, the files that failed, and time taken."""

    documents: int = 0
    passages: int = 0
    characters: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    build: str = ""
    #: Documents by format (txt, md, html, pdf, docx) and by 文种.
    formats: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    #: "full" (every seed file read), "update" (only the changed ones) or "current"
    #: (nothing changed: no new build written).
    mode: str = "full"
    #: An update's seed files added, changed and removed, and the passages it indexed.
    added: int = 0
    changed: int = 0
    removed: int = 0
    reindexed: int = 0


def build(
    seeds: Path, root: Path, progress: Callable[[int, int], None] | None = None,
    if_stale: bool = False, full: bool = False,
) -> BuildReport | None:
    """Bring the index up to date with the seeds in a new build beside the live one, then
    swap it in: only the seed files added, changed or removed since the live build are
    read (search/update.py), unless ``full`` or the analyzer or dictionary changed.

    With ``if_stale``, return None without building when, once this process holds the
    build lock, the index matches the seeds (another process has just rebuilt it).
    """
    from search import update

    started = time.perf_counter()
    if not seeds.is_dir():
        raise IndexUnavailable(f"seed folder {seeds} does not exist")
    with lifecycle.locked(root):
        if if_stale and manifest.staleness(seeds, root) is None:
            return None
        live = lifecycle.pointer(root)[0]
        lifecycle.tidy(root, live)  # what killed builders left behind
        change = None if full else update.plan(seeds, root)
        if change is not None and change.nothing:  # a new build would be the same
            report = update.current(change)
            report.seconds = time.perf_counter() - started
            report.build = change.live.name
            return report
        # Unique even for two builds within one second in one process.
        name = f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.time_ns() % 10**9:09d}"
        target = root / name
        lifecycle.start(target)
        try:
            if change is None:
                report, records, reused = _write_full(seeds, target, progress), None, {}
            else:
                report, records, reused = update.apply(change, target, progress)
            manifest.write(target, seeds, {
                "documents": report.documents, "passages": report.passages,
                "characters": report.characters, "errors": report.errors}, records, reused)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        lifecycle.finish(target)
        lifecycle.swap(root, name)
    report.seconds = time.perf_counter() - started
    report.build = name
    return report


def _write_full(seeds: Path, target: Path, progress: Callable[[int, int], None] | None
                ) -> BuildReport:
    """Read every seed file and index it into ``target``, holding in memory only the
    documents' metadata (search/spill.py keeps their text on disk meanwhile)."""
    # The corpus and jieba's full dictionary are needed only here, not for queries.
    from search.analysis import use_segmenter
    from search.documents import documents as read_documents
    from search.documents.versions import linked
    from search.dictionary import corpus_terms, index_segmenter

    errors: list = []
    terms: dict[str, list[str]] = {}  # each document's “” and 《》 terms
    spill_path = target / SPILL
    try:
        with SpillFile(spill_path) as spill:
            spilled = []
            for document in read_documents(seeds, errors.append):
                terms[document.id] = corpus_terms([document.text])
                spilled.append(spill.add(document))
        shells = {d.id: d for d in linked([s.shell for s in spilled])}
        spilled = [dataclasses.replace(s, shell=shells[s.shell.id]) for s in spilled]
        dictionary = list(dict.fromkeys(term for each in terms.values() for term in each))
        characters = sum(s.characters for s in spilled)
        segmenter = index_segmenter(dictionary, characters)
        if characters >= dictionary_file.WRITE_FROM:  # for this library's updates
            dictionary_file.write(target / DICTIONARY, segmenter.freq, segmenter.total)
        use_segmenter(segmenter)
        try:
            ranked = sorted(spilled, key=lambda s: superseded(s.shell))
            rows = Rows(spill_path, ranked, lambda d, number: document_rows(d, slot(number)))
            ix = whoosh_index.create_in(str(target), schema())
            total = len(rows)
            procs = min(2, os.cpu_count() or 1) if total >= PARALLEL_THRESHOLD else 1
            writer.write(ix, rows, procs, Codec(),
                         (lambda done: progress(done, total)) if progress else None)
            write_side_files(target, ix, [catalogue_entry(s.shell, s.keys) for s in spilled], {
                "dictionary": dictionary, "documents": terms,
                "slots": {s.shell.id: slot(number) for number, s in enumerate(ranked)}})
        finally:
            use_segmenter(None)
    finally:
        spill_path.unlink(missing_ok=True)
    return BuildReport(documents=len(spilled), passages=total, characters=characters,
                       errors=[str(e) for e in errors], mode="full",
                       formats=dict(Counter(s.shell.format for s in spilled)),
                       types=dict(Counter(s.shell.meta.doc_type or "其他" for s in spilled)))


def slot(number: int) -> int:
    """Return the tie-break slot of the document ranked ``number`` (from 0) in a full build."""
    return (number + 1) * ORDER_GAP


def ranked_documents(documents: list) -> list:
    """Return documents in the order their passages rank when scores tie: an older version
    of a law after every current document, so the current version of a law comes first."""
    return sorted(documents, key=superseded)


def superseded(document) -> bool:
    """Tell whether a newer version of ``document`` replaces it (it ranks after the rest)."""
    return current_version(document) is not None


def document_rows(document, slot: int) -> list[dict]:
    """Return the fields to index for each passage of ``document``, ranked at ``slot``."""
    meta = {key: getattr(document.meta, key, None) for key in META_KEYS}
    meta["current_version"] = current_version(document)
    return [indexed_fields({
        F_ID: passage.id, F_DOC: passage.doc_id, F_SECTION: str(passage.section or ""),
        F_ORDER: order_of(slot, number), F_HEADING: passage.heading, F_TEXT: passage.text,
        F_PATH: list(passage.path), F_KEY: passage.key, F_TITLE: document.title,
        F_DATE: document.date, F_META: meta,
    }) for number, passage in enumerate(document.passages)]


def write_side_files(target: Path, ix, catalogue: list[dict], state: dict,
                     kept_from: Path | None = None,
                     known_spellings: Callable[[], dict[str, list[str]]] | None = None,
                     known_vocabulary: "KnownVocabulary | None" = None) -> None:
    """Write what a build keeps beside its segments: the query vocabulary (an update's
    from ``known_vocabulary``), the catalogue (its kept entries' rows copied from the
    catalogue file ``kept_from``), the pinyin of the dictionary terms and titles (a term's
    spellings taken from what ``known_spellings()`` gives, called last), and what an update
    starts from."""
    from search.analysis import installed_segmenter
    from search.dictionary import query_segmenter, shipped_terms

    segmenter = installed_segmenter()

    deleted = DeletedTerms.load(target)
    with ix.reader() as reader:
        if known_vocabulary is None:
            vocabulary = query_segmenter(_live_terms(reader, deleted), segmenter)
        else:
            vocabulary = known_vocabulary.updated(reader, deleted, segmenter)
    vocabulary.save(target / VOCABULARY)
    catalogue_file.write(target / DOCUMENTS, catalogue, state["slots"], kept_from)
    spelled = pinyin.spelled_terms([*shipped_terms(), *state["dictionary"],
                                    *(d["title"] for d in catalogue)],
                                   known_spellings() if known_spellings else None)
    pinyin.save(pinyin.table(spelled), target / PINYIN)
    (target / STATE).write_text(json.dumps({**state, "spellings": spelled}, ensure_ascii=False),
                                encoding="utf-8")


def _live_terms(reader, deleted: DeletedTerms) -> list[str]:
    """Return every term of the word fields that a live passage holds (with repeats)."""
    vocabulary = []
    for fieldname in WORD_FIELDS:
        if fieldname not in reader.schema:
            continue
        # The segments' lexicons unioned: whoosh's merged lexicon walks a heap per term.
        terms: set[bytes] = set()
        for leaf, _ in reader.leaf_readers():
            terms.update(leaf.lexicon(fieldname))
        vocabulary += [term.decode("utf-8") for term in sorted(terms)
                       if deleted.is_live(reader, fieldname, term)]
    return vocabulary


@dataclass(frozen=True)
class KnownVocabulary:
    """What an update knows of the live build's query vocabulary, so that it need not walk
    every segment's lexicon again (0.4 s at 1M passages): the live build's query segmenter,
    the terms of the deleted passages (only they can die), and the segments the update
    wrote (only their terms can be new)."""

    live: Segmenter
    dying: set[bytes]
    new_segments: set[str]

    def updated(self, reader, deleted: DeletedTerms, full: Segmenter) -> Segmenter:
        """Return the query segmenter that a full walk of ``reader``'s lexicons gives."""
        from search.dictionary import query_segmenter

        words = {word: count for word, count in self.live.freq.items() if count}
        changed = set(self.dying)
        for leaf, _ in reader.leaf_readers():
            segment = getattr(leaf, "segment", None)
            if segment is None or segment().segment_id() in self.new_segments:
                for fieldname in WORD_FIELDS:
                    if fieldname in reader.schema:
                        changed.update(leaf.lexicon(fieldname))
        for term in changed:
            word = term.decode("utf-8")
            if any(fieldname in reader.schema and reader.doc_frequency(fieldname, term)
                   > deleted.count(fieldname, term) for fieldname in WORD_FIELDS):
                words.setdefault(word, 0)
            else:
                words.pop(word, None)
        # A word the live build knew keeps its frequency (the dictionary is the same); a
        # new one gets the dictionary's, as a full build gives it.
        fresh = query_segmenter([word for word, count in words.items() if not count], full)
        words = {word: count for word, count in words.items() if count}
        words.update((word, count) for word, count in fresh.freq.items() if count)
        return Segmenter.from_words(words, full.total)


def current_version(document) -> str | None:
    """Return the id of the newer version that replaces ``document``, if there is one."""
    newest = document.versions[0][0] if document.versions else None
    return newest if newest not in (None, document.id) else None


def catalogue_entry(document, keys: tuple[str, ...] | None = None) -> dict:
    """Return what the index keeps about a document: its metadata and its passage keys
    (``keys`` when the document is a shell without its passages)."""
    return {
        "id": document.id, "title": document.title, "date": document.date,
        **{k: v for k, v in asdict(document.meta).items() if k != "title"},
        "history": list(document.meta.history), "format": document.format,
        "source_path": document.source_path,
        "versions": [{"id": v, "date": date} for v, date in document.versions],
        "passages": list(keys) if keys is not None else [p.key for p in document.passages],
    }
