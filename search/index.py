"""Open a build of the index for reading: whoosh's index, the catalogue, the vocabulary.

Layout of the index folder::

    index/CURRENT          name of the live build (replaced atomically)
    index/build-<stamp>/   one build (search/schema.py lists its files)

Building is search/build.py (and search/update.py); the manifest and staleness are
search/manifest.py; how builds are marked, swapped, kept and deleted is
search/lifecycle.py. The names the CLI, the web app and the tests use are importable
from here too.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

from whoosh import index as whoosh_index

from search import lifecycle, pinyin
from search._whoosh import mapped
from search.build import BuildReport, build  # noqa: F401 (importable from here)
from search.catalogue_file import CatalogueFile
from search.integrity import Damaged, verify_sizes
from search.lifecycle import (  # noqa: F401 (importable from here)
    CURRENT, LOCK, MANIFEST, IndexUnavailable,
)
from search.livestats import DeletedTerms
from search.manifest import staleness  # noqa: F401 (importable from here)
from search.schema import (  # noqa: F401 (importable from here)
    DOCUMENTS, F_CONTEXT, F_DATE, F_DOC, F_GRAMS, F_HEADING, F_ID, F_KEY, F_META, F_ORDER,
    F_PATH, F_SECTION, F_TEXT, F_TITLE, F_TITLE_WORDS, F_WORDS, META_KEYS, PINYIN, STATE,
    VOCABULARY, schema,
)
from search.segment import Segmenter

mapped.install()  # searchers read the mapped index files, never copies of them


def current_build(root: Path) -> Path | None:
    """Return the build to read: the live one, else the newest sound one; None if none."""
    return lifecycle.usable_build(root)[0]


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

    def damage(self) -> str | None:
        """Return what is wrong with this build's files now, or None (a stat per file, 0.05 ms
        for the seed index): a file truncated under a reader would crash it on the next read."""
        try:
            verify_sizes(self.path, self.manifest)
        except Damaged as damage:
            return str(damage)
        return None

    @cached_property
    def manifest(self) -> dict:
        return lifecycle.read_manifest(self.path)

    @cached_property
    def documents(self) -> CatalogueFile:
        """Document metadata by id, each with its ordered passage keys (read by the row)."""
        return CatalogueFile(self.path / DOCUMENTS)

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
        if "documents" in self.__dict__:
            self.documents.close()
