"""Build the index from seeds/ atomically, record a manifest, open it for reading.

Layout of the index folder::

    index/CURRENT          name of the live build (replaced atomically)
    index/build-<stamp>/   whoosh segments, manifest.json, documents.json, vocabulary.marshal

How builds are marked, swapped, kept and deleted is search/lifecycle.py; the checksums
in the manifest are search/integrity.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, Schema

from search import integrity, lifecycle, pinyin, writer
from search.analysis import GramTokenizer, TermText, WordTokenizer
from search.codec import Codec
from search.dictionary import fingerprint
from search.lifecycle import CURRENT, LOCK, MANIFEST  # noqa: F401 (the names tests and tools use)
from search.livestats import DeletedTerms
from search.segment import Segmenter
from search.settings import ANALYZER_VERSION

# Field names: the one place they are spelled.
F_ID, F_DOC, F_SECTION, F_ORDER = "id", "doc_id", "section", "order"
F_HEADING, F_WORDS, F_GRAMS = "heading", "words", "grams"
F_TEXT, F_PATH, F_KEY, F_TITLE, F_DATE = "text", "path", "key", "doc_title", "date"
#: The words of a passage's heading path (章 / 节 titles, the 一、 line above a （一）).
F_CONTEXT = "context"
#: The words of the passage's document title: they add to a passage that matches the query
#: (劳动合同法 加班 puts 劳动合同法's articles on 加班 first) and never match on their own.
F_TITLE_WORDS = "title_words"
#: The document's metadata a hit shows: office, number, doc_type, published, source_url.
F_META = "meta"
META_KEYS = ("office", "number", "doc_type", "published", "source_url", "current_version")

HEADING_BOOST = 2.0
#: A word found only in the headings above a passage counts for it, less than its own words.
CONTEXT_BOOST = 0.5

DOCUMENTS = "documents.json"
VOCABULARY = "vocabulary.marshal"
PINYIN = "pinyin.json"
#: What an update starts from: the corpus dictionary the build was cut with, each
#: document's “” and 《》 terms, and each document's tie-break slot (search/update.py).
STATE = "update.json"
#: The fields cut into words with the dictionary: their terms are the query vocabulary.
WORD_FIELDS = (F_WORDS, F_HEADING, F_CONTEXT, F_TITLE_WORDS)
#: A passage's tie-break order is its document's slot, then its place in the document
#: (order_of). A full build spaces the slots ORDER_GAP apart, so an update can rank a new
#: document between two others without renumbering them (16 halvings of a gap).
PASSAGE_BITS = 20
ORDER_GAP = 1 << 16
#: Passages below which a single process indexes faster than forking workers.
PARALLEL_THRESHOLD = 2000


def schema() -> Schema:
    """Return the whoosh schema of a passage."""
    return Schema(
        **{
            F_ID: ID(stored=True, unique=True),
            F_DOC: ID(stored=True),
            F_SECTION: ID(stored=True),
            # 64 bits: room between documents for the ones an update inserts (see order_of).
            F_ORDER: NUMERIC(numtype=int, bits=64, stored=True, sortable=True),
            # Only the grams are searched by phrase: the word fields need no positions.
            F_HEADING: TermText(analyzer=WordTokenizer(), field_boost=HEADING_BOOST, stored=True,
                                phrase=False),
            F_WORDS: TermText(analyzer=WordTokenizer(), phrase=False),
            F_CONTEXT: TermText(analyzer=WordTokenizer(), field_boost=CONTEXT_BOOST, phrase=False),
            F_TITLE_WORDS: TermText(analyzer=WordTokenizer(), field_boost=CONTEXT_BOOST,
                                    phrase=False),
            F_GRAMS: TermText(analyzer=GramTokenizer(), phrase=True),
            F_TEXT: STORED(),
            F_PATH: STORED(),
            F_KEY: STORED(),
            F_TITLE: STORED(),
            F_DATE: STORED(),
            F_META: STORED(),
        }
    )


class IndexUnavailable(Exception):
    """The index is missing or unreadable; the message says how to fix it."""


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
    #: "full" (every seed file read) or "update" (only the changed ones).
    mode: str = "full"
    #: An update's seed files added, changed and removed, and the passages it indexed.
    added: int = 0
    changed: int = 0
    removed: int = 0
    reindexed: int = 0


def file_record(path: Path) -> dict:
    """Return what the manifest records of a seed file: its hash, size and mtime."""
    stat = path.stat()
    return {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def seed_paths(seeds: Path) -> dict[str, Path]:
    """Return the seed files that can be hashed, by their name under the seed folder."""
    from search.documents import walk

    if not seeds.is_dir():
        return {}
    return {seed.name: seed.path for seed in walk(seeds)[0] if _readable(seed.path)}


def _readable(path: Path) -> bool:
    """Tell whether a seed file can be hashed (a dangling symlink cannot: it is reported)."""
    try:
        path.stat()
    except OSError:
        return False
    return True


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
        if if_stale and staleness(seeds, root) is None:
            return None
        live = lifecycle.pointer(root)[0]
        lifecycle.tidy(root, live)  # what killed builders left behind
        change = None if full else update.plan(seeds, root)
        # Unique even for two builds within one second in one process.
        name = f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.time_ns() % 10**9:09d}"
        target = root / name
        lifecycle.start(target)
        try:
            if change is None:
                report, records, reused = _write_full(seeds, target, progress), None, {}
            else:
                report, records, reused = update.apply(change, target, progress)
            _write_manifest(target, seeds, report, records, reused)
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
    """Read every seed file and index it into ``target``."""
    # The corpus and jieba's full dictionary are needed only here, not for queries.
    from search.analysis import use_segmenter
    from search.documents import read_corpus
    from search.dictionary import corpus_terms, index_segmenter

    documents, errors = read_corpus(seeds)
    dictionary = corpus_terms(d.text for d in documents)
    segmenter = index_segmenter(dictionary)
    use_segmenter(segmenter)
    try:
        ranked = ranked_documents(documents)
        rows = [row for rank, document in enumerate(ranked, 1)
                for row in document_rows(document, rank * ORDER_GAP)]
        ix = whoosh_index.create_in(str(target), schema())
        total = len(rows)
        procs = min(2, os.cpu_count() or 1) if total >= PARALLEL_THRESHOLD else 1
        writer.write(ix, rows, procs, Codec(),
                     (lambda done: progress(done, total)) if progress else None)
        write_side_files(target, ix, [catalogue_entry(d) for d in documents], {
            "dictionary": dictionary, "documents": {d.id: corpus_terms([d.text]) for d in documents},
            "slots": {d.id: rank * ORDER_GAP for rank, d in enumerate(ranked, 1)}})
    finally:
        use_segmenter(None)
    return BuildReport(documents=len(documents), passages=total,
                       characters=sum(len(row[F_TEXT]) for row in rows),
                       errors=[str(e) for e in errors], mode="full",
                       formats=dict(Counter(d.format for d in documents)),
                       types=dict(Counter(d.meta.doc_type or "其他" for d in documents)))


def ranked_documents(documents: list) -> list:
    """Return documents in the order their passages rank when scores tie: an older version
    of a law after every current document, so the current version of a law comes first."""
    return sorted(documents, key=lambda d: current_version(d) is not None)


def order_of(slot: int, number: int) -> int:
    """Return the tie-break order of the ``number``-th passage of the document at ``slot``."""
    # Past 2**PASSAGE_BITS passages of one document, its last ones tie among themselves.
    return (slot << PASSAGE_BITS) + min(number, (1 << PASSAGE_BITS) - 1)


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


def indexed_fields(stored: dict) -> dict:
    """Return a passage's fields to index, from its stored fields (an update re-reads a
    deleted passage's from the index this way)."""
    heading, text, path = stored[F_HEADING], stored[F_TEXT], stored[F_PATH]
    # A section lead's heading stands on its own line: make it verbatim-findable too.
    heading_in_text = heading in text[: len(heading) + 4]
    return {**stored, F_WORDS: text, F_GRAMS: text if heading_in_text else f"{heading}\n{text}",
            F_CONTEXT: " ".join(path[:-1]) if len(path) > 1 else "",
            F_TITLE_WORDS: stored[F_TITLE]}


def write_side_files(target: Path, ix, catalogue: list[dict], state: dict) -> None:
    """Write what a build keeps beside its segments: the query vocabulary, the pinyin of
    the dictionary terms and titles, the catalogue, and what an update starts from."""
    from search.analysis import installed_segmenter
    from search.dictionary import query_segmenter, shipped_terms

    segmenter = installed_segmenter()

    deleted = DeletedTerms.load(target)
    with ix.reader() as reader:
        vocabulary = [term.decode("utf-8")
                      for fieldname in WORD_FIELDS if fieldname in reader.schema
                      for term in reader.lexicon(fieldname)
                      if deleted.is_live(reader, fieldname, term)]
    query_segmenter(vocabulary, segmenter).save(target / VOCABULARY)
    pinyin.save(pinyin.table([*shipped_terms(), *state["dictionary"],
                              *(d["title"] for d in catalogue)]), target / PINYIN)
    (target / DOCUMENTS).write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    (target / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def current_version(document) -> str | None:
    """Return the id of the newer version that replaces ``document``, if there is one."""
    newest = document.versions[0][0] if document.versions else None
    return newest if newest not in (None, document.id) else None


def catalogue_entry(document) -> dict:
    """Return what the index keeps about a document: its metadata and its passage keys."""
    return {
        "id": document.id, "title": document.title, "date": document.date,
        **{k: v for k, v in asdict(document.meta).items() if k != "title"},
        "history": list(document.meta.history), "format": document.format,
        "source_path": document.source_path,
        "versions": [{"id": v, "date": date} for v, date in document.versions],
        "passages": [p.key for p in document.passages],
    }


def _write_manifest(target: Path, seeds: Path, report: BuildReport, records: dict | None,
                    reused: dict[str, dict]) -> None:
    """Write the manifest: the seed files' records (hashed now when ``records`` is None),
    the counts, and every file's checksum (carried over for the ``reused`` files)."""
    manifest = {
        "analyzer_version": ANALYZER_VERSION,
        "dictionary": fingerprint(),
        "seeds": records if records is not None else
                 {name: file_record(path) for name, path in seed_paths(seeds).items()},
        "documents": report.documents,
        "passages": report.passages,
        "characters": report.characters,
        "errors": report.errors,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": integrity.record(target, reused),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def current_build(root: Path) -> Path | None:
    """Return the build to read: the live one, else the newest sound one; None if none."""
    return lifecycle.usable_build(root)[0]


def staleness(seeds: Path, root: Path) -> str | None:
    """Return why the index must be (re)built, or None when it matches the seeds."""
    build_dir, problems = lifecycle.usable_build(root)
    if build_dir is None:
        return f"no usable index in {root}: {problems[-1]}" if problems else f"no index in {root}"
    if problems:
        return f"the index is damaged: {problems[0]}"
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the manifest of {build_dir} is unreadable"
    if manifest.get("analyzer_version") != ANALYZER_VERSION:
        return "the analyzer changed"
    if manifest.get("dictionary") != fingerprint():
        return "the dictionary changed"
    recorded = manifest.get("seeds", {})
    current = seed_paths(seeds)
    if set(recorded) != set(current):
        added = sorted(set(current) - set(recorded))
        removed = sorted(set(recorded) - set(current))
        return "seed files " + ", ".join(
            [*(f"added {n}" for n in added), *(f"removed {n}" for n in removed)])
    for name, path in current.items():
        stat = path.stat()
        record = recorded[name]
        if (stat.st_size, stat.st_mtime_ns) == (record["size"], record["mtime_ns"]):
            continue
        if file_record(path)["sha256"] != record["sha256"]:
            return f"seed file {name} changed"
    return None


class Index:
    """A read-only view of one build: whoosh index, catalogue and query vocabulary."""

    def __init__(self, root: Path) -> None:
        # Read before choosing the build: a swap in between makes this build look stale, not live.
        self._stamp = lifecycle.pointer_stamp(root)
        build_dir, problems = lifecycle.usable_build(root)
        if build_dir is None:
            found = f": {'; '.join(problems)}" if problems else ""
            raise IndexUnavailable(f"no usable index in {root}{found}; "
                                   "run 'policy-search index' to build it")
        self.root = root
        self.path = build_dir
        #: Damage found on the way to this build (a damaged live build, a bad CURRENT).
        self.problems = problems
        try:
            self.whoosh = whoosh_index.open_dir(str(build_dir))
            # Read the small files now: a retired build is deleted after a grace period.
            self.manifest, self.documents, self.segmenter, self.deleted  # noqa: B018
        except Exception as error:  # whoosh raises several unrelated types for a bad folder
            raise IndexUnavailable(f"cannot open the index in {build_dir}: {error}; "
                              "run 'policy-search index' to rebuild it") from error

    def is_live(self) -> bool:
        """Tell whether CURRENT is unchanged since this build was opened (a stat, no reads)."""
        return lifecycle.pointer_stamp(self.root) == self._stamp

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    @cached_property
    def documents(self) -> dict[str, dict]:
        """Document metadata by id, each with its ordered passage keys."""
        catalogue = json.loads((self.path / DOCUMENTS).read_text(encoding="utf-8"))
        return {d["id"]: d for d in catalogue}

    @cached_property
    def segmenter(self) -> Segmenter:
        return Segmenter.load(self.path / VOCABULARY)

    @cached_property
    def deleted(self) -> DeletedTerms:
        """The terms of the passages an update deleted but that its segments still hold."""
        return DeletedTerms.load(self.path)

    def pending_terms(self) -> list[str]:
        """Return the documents' “” and 《》 terms that wait for a full build to join the
        word field (none for a build older than updates)."""
        try:
            state = json.loads((self.path / STATE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        known = set(state["dictionary"])
        found = dict.fromkeys(t for terms in state["documents"].values() for t in terms)
        return [term for term in found if term not in known]

    @cached_property
    def pinyin(self) -> dict[str, list[str]]:
        """The pinyin and initials of the index's dictionary terms and titles."""
        return pinyin.load(self.path / PINYIN)

    def position(self, doc_id: str, key: str) -> int:
        """Return a passage's place in its document (from 0), or -1; O(1) after the first call."""
        positions = self._positions.get(doc_id)
        if positions is None:
            keys = self.documents.get(doc_id, {}).get("passages", [])
            positions = self._positions[doc_id] = {k: n for n, k in enumerate(keys)}
        return positions.get(key, -1)

    @cached_property
    def _positions(self) -> dict[str, dict[str, int]]:
        return {}

    def close(self) -> None:
        self.whoosh.close()
