"""Update the index from the seed files that changed, instead of reading every one.

plan() compares the seed folder with the live build and returns what to re-read, or None
when only a full build gives the right index. apply() writes the new build: the live
build's segment files are hard-linked into it (the live build is never written, and a
reader of it sees the old state until CURRENT is swapped), the passages of the changed
and removed documents are deleted, the changed and added documents are written into a new
segment, and segments under MERGE_BELOW passages are merged.

Ids and ranking are those of a full build of the same seeds. A full build is needed when:
the analyzer or the shipped dictionary changed; the live build is damaged or predates
updates; a file that did not change would get another id (a new file's name clashes with
it and the -2, -3 suffixes move); or two documents' tie-break slots leave no room for the
documents inserted between them.

The corpus dictionary (“” terms, 《》 titles) changes only with a full build, so every
passage is cut into words with the dictionary that the queries are cut with. A document's
new terms are found at once through the character grams (verbatim), and join the word
field at the next full build; stats counts them as pending. A large library's build keeps
that dictionary in a file (search/dictionary_file.py), from which an update of a few
documents reads only the words its new text needs instead of loading jieba's whole.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from whoosh import index as whoosh_index

from search import build as builder
from search import dictionary_file, gaps, lifecycle, pinyin
from search import manifest as manifest_module
from search._whoosh import writer
from search._whoosh.codec import Codec
from search.catalogue_file import CatalogueFile
from search.dictionary_file import DictionaryFile
from search.documents.model import CorpusError, Document
from search.integrity import UNLISTED
from search.livestats import DELETED, DeletedTerms
from search.segment import Segmenter
from search.schema import (
    DICTIONARY, DOCUMENTS, F_DOC, F_TEXT, ORDER_GAP, PASSAGE_BITS, PINYIN, STATE, VOCABULARY,
    WORD_FIELDS, indexed_fields,
)

#: Segments with fewer live passages than this are merged into the update's segment.
MERGE_BELOW = 5000
#: The files a build writes beside its segments: never linked, always written anew.
_REWRITTEN = {DOCUMENTS, VOCABULARY, PINYIN, STATE,
              DELETED, *UNLISTED}


@dataclass
class Change:
    """What an update re-reads and deletes, and what it keeps from the live build."""

    live: Path
    seeds: Path
    manifest: dict
    records: dict[str, dict]  # the seed files' new manifest records, by name
    documents: list[Document]  # the documents re-read, in seed order
    errors: list[str]  # every file that cannot be indexed, as a full build names them
    catalogue: list[dict]  # the new catalogue, in seed order (the kept entries as Briefs)
    slots: dict[str, int]  # every document's tie-break slot
    dictionary: list[str]
    terms: dict[str, list[str]]  # each document's “” and 《》 terms
    spellings: dict[str, list[str]]  # the pinyin of the live build's terms and titles
    new_spellings: Callable[[], dict[str, list[str]]]  # the re-read titles' (a child's)
    deleted_ids: set[str]  # documents whose passages in the live build are deleted
    counts: Counter = field(default_factory=Counter)  # added, changed, removed seed files

    @property
    def nothing(self) -> bool:
        """Tell whether the live build already matches the seeds."""
        return not (self.documents or self.deleted_ids or any(self.counts.values()))


def plan(seeds: Path, root: Path) -> Change | None:
    """Return the update that brings the live build up to date, or None for a full build."""
    from search.dictionary import corpus_terms
    from search.documents import walk
    from search.documents.corpus import SeedFile
    from search.documents.identity import updated_ids

    live, problems = lifecycle.usable_build(root)
    if live is None or problems or not (live / STATE).is_file():
        return None
    manifest = lifecycle.read_manifest(live)
    if manifest_module.analysis_changed(manifest):
        return None
    state = json.loads((live / STATE).read_text(encoding="utf-8"))
    old_catalogue = CatalogueFile(live / DOCUMENTS)
    try:  # the kept documents' rows are copied, not decoded: only their BRIEF columns
        old_by_source = {entry["source_path"]: entry for entry in old_catalogue.briefs()}
    finally:
        old_catalogue.close()
    files, walk_errors = walk(seeds)
    stems = {f.name: f.stem for f in files}
    ids = updated_ids(stems, {name: entry["id"] for name, entry in old_by_source.items()
                              if name in stems},
                      [SeedFile("", name).stem for name in manifest.get("seeds", {})
                       if name not in stems])
    records, counts = _records(seeds, files, manifest.get("seeds", {}))
    reread = {f.name for f in files
              if f.name not in records or records[f.name] is not manifest["seeds"].get(f.name)}
    for name, entry in old_by_source.items():
        if name not in reread and name in ids and ids[name] != entry["id"]:
            return None  # a clash moved the id of a file that did not change
    documents, errors = _parse(seeds, [f for f in files if f.name in reread], ids)
    spelled = pinyin.spelled_apart([d.title for d in documents], state.get("spellings", {}))
    kept = [old_by_source[f.name] for f in files
            if f.name not in reread and f.name in old_by_source]
    deleted_ids = {entry["id"] for name, entry in old_by_source.items()
                   if name in reread or name not in ids}
    catalogue, documents = _linked(files, kept, documents, old_by_source, deleted_ids, seeds, ids)
    slots = _slots(catalogue, {d.id for d in documents}, state["slots"])
    if slots is None:
        spelled()  # ends the child
        return None
    unchanged = {f.location for f in files if f.name not in reread}
    carried = [e for e in manifest.get("errors", []) if e.partition(": ")[0] in unchanged]
    terms = {d["id"]: state["documents"].get(d["id"], []) for d in catalogue}
    terms.update({d.id: corpus_terms([d.text]) for d in documents})
    return Change(live, seeds, manifest, records, documents,
                  [*(str(e) for e in walk_errors), *carried, *errors], catalogue, slots,
                  state["dictionary"], terms, state.get("spellings", {}), spelled,
                  deleted_ids, counts)


def _records(seeds: Path, files: list, recorded: dict[str, dict]
             ) -> tuple[dict[str, dict], Counter]:
    """Return the seed files' manifest records (the recorded one itself when the file has
    not changed) and how many were added, changed and removed."""
    records: dict[str, dict] = {}
    counts: Counter = Counter()
    for name, (seed, stat) in manifest_module.seed_stats(seeds, files).items():
        old = recorded.get(name)
        if old and (stat.st_size, stat.st_mtime_ns) == (old["size"], old["mtime_ns"]):
            records[name] = old
            continue
        new = manifest_module.file_record(seed.path)
        if old and new["sha256"] == old["sha256"]:
            records[name] = old
            continue
        records[name] = new
        counts["changed" if old else "added"] += 1
    counts["removed"] = len(set(recorded) - set(records))
    return records, counts


def _parse(seeds: Path, files: list, ids: dict[str, str]) -> tuple[list[Document], list[str]]:
    from search.documents import parse_document

    documents, errors = [], []
    for seed in files:
        try:
            documents.append(parse_document(seed.path, seeds, ids[seed.name]))
        except CorpusError as error:
            errors.append(str(error))
    return documents, errors


def _linked(files: list, kept: list[dict], documents: list[Document], old_by_source: dict,
            deleted_ids: set[str], seeds: Path, ids: dict[str, str]
            ) -> tuple[list[dict], list[Document]]:
    """Link the versions of each law across kept and re-read documents; re-read a kept one
    whose versions changed (its passages name the current version). Return the catalogue
    in seed order and the documents to index."""
    from search.documents import versions

    while True:
        by_id = {entry["id"]: entry for entry in kept}
        stand_ins = [*(_StandIn(e["id"], e["title"], e["date"]) for e in kept), *documents]
        linked = versions.version_lists(stand_ins)
        moved = [e for e in kept
                 if tuple((v["id"], v["date"]) for v in e["versions"]) != linked.get(e["id"], ())]
        if not moved:
            break
        names = {e["source_path"] for e in moved}
        kept = [e for e in kept if e["id"] not in {m["id"] for m in moved}]
        deleted_ids |= {m["id"] for m in moved}
        more, _ = _parse(seeds, [f for f in files if f.name in names], ids)
        documents = [*documents, *more]
    documents = [dataclasses.replace(d, versions=linked.get(d.id, ())) for d in documents]
    entries = {**by_id, **{d.id: builder.catalogue_entry(d) for d in documents}}
    catalogue = [entries[ids[f.name]] for f in files if ids[f.name] in entries]
    order = {f.name: n for n, f in enumerate(files)}
    documents.sort(key=lambda d: order[d.source_path])
    return catalogue, documents


class _StandIn(NamedTuple):
    """A kept document's id, title and date: all that linking versions reads (a tuple: an
    update makes one per kept document)."""

    id: str
    title: str
    date: str | None


def _slots(catalogue: list[dict], new: set[str], old: dict[str, int]) -> dict[str, int] | None:
    """Return every document's tie-break slot: the kept ones keep theirs, the new ones go
    between their neighbours in full-build order; None when there is no room."""
    # As ranked_documents() ranks a full build's: an older version of a law after the rest.
    ranked = sorted(catalogue, key=lambda e: bool(e["versions"]) and e["versions"][0]["id"] != e["id"])
    slots = gaps.between([e["id"] for e in ranked],
                         {e["id"]: old[e["id"]] for e in ranked if e["id"] not in new}, ORDER_GAP)
    if slots is None or max(slots.values(), default=0) >= 1 << (63 - PASSAGE_BITS):
        return None
    return slots


def apply(change: Change, target: Path, progress: Callable[[int, int], None] | None
          ) -> tuple["builder.BuildReport", dict, dict]:
    """Write the updated build into ``target``; return its report, the seed records and
    the checksums of the files reused from the live build."""
    from search.analysis import use_segmenter

    reused = _link(change.live, target, change.manifest.get("files", {}))
    segmenter = _segmenter(change)
    use_segmenter(segmenter)
    try:
        ix = whoosh_index.open_dir(str(target))
        reused_segments = writer.segment_ids(ix)
        rows = [row for d in change.documents
                for row in builder.document_rows(d, change.slots[d.id])]
        deleted = DeletedTerms.load(change.live)
        removed: list[dict] = []

        def prepare(committing):
            searcher = committing.searcher()
            docnums = [n for doc_id in sorted(change.deleted_ids)
                       for n in searcher.document_numbers(**{F_DOC: doc_id})]
            removed.extend(writer.delete(committing, docnums, indexed_fields, deleted))
            return lambda w, segments: writer.merge_small(w, segments, MERGE_BELOW)

        total = len(rows)
        procs = min(2, os.cpu_count() or 1) if total >= builder.PARALLEL_THRESHOLD else 1
        writer.write(ix, rows, procs, Codec(),
                     (lambda done: progress(done, total)) if progress else None, prepare)
        ix = whoosh_index.open_dir(str(target))
        segments = writer.segment_ids(ix)
        # Before keep(): a passage deleted now in a segment merged away held terms too.
        vocabulary = builder.KnownVocabulary(Segmenter.load(change.live / VOCABULARY),
                                             deleted.terms(WORD_FIELDS),
                                             segments - reused_segments)
        deleted.keep(segments)
        deleted.save(target)
        builder.write_side_files(target, ix, change.catalogue, {
            "dictionary": change.dictionary, "documents": change.terms, "slots": change.slots},
            kept_from=change.live / DOCUMENTS,
            known_spellings=lambda: {**change.spellings, **change.new_spellings()},
            known_vocabulary=vocabulary)
    finally:
        use_segmenter(None)
        if isinstance(segmenter.freq, DictionaryFile):
            segmenter.freq.close()
    return _report(change, total, removed), change.records, reused


def _segmenter(change: Change) -> Segmenter:
    """Return a segmenter over the live build's dictionary: read from its dictionary file a
    word at a time for a few new documents, else loaded whole."""
    from search.dictionary import index_segmenter

    characters = sum(len(d.text) for d in change.documents)
    stored = change.live / DICTIONARY
    if characters < dictionary_file.READ_BELOW and stored.exists():
        try:
            words = DictionaryFile(stored)
        except (OSError, ValueError, sqlite3.Error):
            pass  # damaged: the dictionary loaded whole is the same
        else:
            return Segmenter(words, words.total)
    return index_segmenter(change.dictionary, characters)


def _link(live: Path, target: Path, files: dict[str, dict]) -> dict[str, dict]:
    """Hard-link the live build's segment files into ``target`` (copy them where links are
    not possible); return their checksums."""
    reused = {}
    for path in live.iterdir():
        # whoosh's write lock is the new build's own: a link would share it with the live one.
        if path.is_file() and path.name not in _REWRITTEN and not path.name.endswith("WRITELOCK"):
            try:
                os.link(path, target / path.name)
            except OSError:  # a file system without hard links: copy (whoosh never
                shutil.copy2(path, target / path.name)  # writes a segment file again)
            if path.name in files:
                reused[path.name] = files[path.name]
    return reused


def current(change: Change) -> "builder.BuildReport":
    """Return the report of the live build, which ``change`` finds up to date."""
    return _report(change, 0, [], mode="current")


def _report(change: Change, reindexed: int, removed: list[dict], mode: str = "update"
            ) -> "builder.BuildReport":
    before = change.manifest
    added = sum(len(p.text) for d in change.documents for p in d.passages)
    return builder.BuildReport(
        documents=len(change.catalogue),
        passages=before["passages"] - len(removed) + reindexed,
        characters=before["characters"] - sum(len(s[F_TEXT]) for s in removed) + added,
        errors=change.errors, mode=mode, reindexed=reindexed,
        formats=dict(Counter(e["format"] for e in change.catalogue)),
        types=dict(Counter(e.get("doc_type") or "其他" for e in change.catalogue)),
        added=change.counts["added"], changed=change.counts["changed"],
        removed=change.counts["removed"])
