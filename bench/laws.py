"""The real-law corpus: the shared corpus's laws, replicated with new ids to any size.

Copy 0 is every law as it is (same file names, so the same passage ids as a user's library);
copy n > 0 of ``劳动法(2018-12-29).md`` is ``劳动法(2018-12-29)-r{n}.md`` in the same folder
(the folder names the 文种), its title line prefixed ``（副本n）`` so that copies are not taken
for versions of one law (versions share a title). Files that policy-search cannot index
(an empty one) are left out, so every side indexes the same passages without errors.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from search.documents import CorpusError, parse_document

#: The laws of the team's shared corpus, beside the repository (see its README).
LAWS_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "laws"
#: Bump when the replicas' names or text change: corpora on disk are then regenerated.
LAWS_VERSION = 1
_TITLE_RE = re.compile(r"^# (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Law:
    """One law of the source folder and the passages policy-search reads from it."""

    relative: Path
    text: str
    passages: int


@cache
def laws(source: Path = LAWS_SOURCE) -> tuple[Law, ...]:
    """Read every law under ``source`` that has passages, in a fixed order."""
    if not source.is_dir():
        raise FileNotFoundError(f"the real laws are not at {source} (the shared corpus's laws/)")
    found = []
    for path in sorted(source.rglob("*.md")):
        if path.name == "PROVENANCE.md":
            continue
        try:
            passages = len(parse_document(path, source).passages)
        except CorpusError:  # nothing to index: policy-search would report it, not index it
            continue
        if passages:
            found.append(Law(path.relative_to(source), path.read_text(encoding="utf-8"), passages))
    if not found:
        raise FileNotFoundError(f"no law with passages under {source}")
    return tuple(found)


def replica(law: Law, copy: int) -> tuple[str, str]:
    """Return the file name (relative) and the text of copy ``copy`` of ``law``."""
    if copy == 0:
        return law.relative.as_posix(), law.text
    name = law.relative.with_name(f"{law.relative.stem}-r{copy}{law.relative.suffix}")
    return name.as_posix(), _TITLE_RE.sub(lambda m: f"# （副本{copy}）{m.group(1)}", law.text, count=1)


def law_documents(source: Path = LAWS_SOURCE) -> Iterator[tuple[str, str, int]]:
    """Yield (file name, text, passages) of copy 0 of every law, then copy 1, and so on."""
    for copy in itertools.count():
        for law in laws(source):
            yield (*replica(law, copy), law.passages)
