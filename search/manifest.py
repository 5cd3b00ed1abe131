"""A build's manifest: the seed files it was built from, how, and its files' checksums.

The manifest records each seed file's hash, size and mtime, the analyzer version and the
shipped dictionary's fingerprint: a build whose seeds or analysis changed is stale. The
checksums of the build's own files are search/integrity.py's.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from search import integrity, lifecycle
from search.dictionary import fingerprint
from search.lifecycle import MANIFEST
from search.settings import ANALYZER_VERSION, INDEX_FORMAT

if TYPE_CHECKING:
    from search.documents.corpus import SeedFile


def _analysis() -> dict[str, str]:
    """Return what decides how text is cut into terms: the analyzer and the dictionary."""
    return {"analyzer_version": ANALYZER_VERSION, "dictionary": fingerprint(),
            "index_format": INDEX_FORMAT}


def analysis_changed(manifest: dict) -> str | None:
    """Return why a build's terms or files are not what this version makes, or None."""
    if manifest.get("index_format", "1") != INDEX_FORMAT:
        return "the index format changed"
    if manifest.get("analyzer_version") != ANALYZER_VERSION:
        return "the analyzer changed"
    if manifest.get("dictionary") != fingerprint():
        return "the dictionary changed"
    return None


def file_record(path: Path) -> dict:
    """Return what the manifest records of a seed file: its hash, size and mtime."""
    stat = path.stat()
    return {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def seed_paths(seeds: Path, files: list | None = None) -> dict[str, Path]:
    """Return the seed files that can be hashed, by their name under the seed folder
    (among ``files``, the seed folder's walk when the caller has it)."""
    return {name: seed.path for name, (seed, _) in seed_stats(seeds, files).items()}


def seed_stats(seeds: Path, files: list | None = None
               ) -> dict[str, tuple["SeedFile", os.stat_result]]:
    """Return the seed files that can be hashed, with their stat, by their name under the
    seed folder: one stat per file (a dangling symlink has none: it is reported)."""
    from search.documents import walk

    if files is None:
        files = walk(seeds)[0] if seeds.is_dir() else []
    found = {}
    for seed in files:
        try:
            found[seed.name] = (seed, os.stat(seed.location))
        except OSError:
            continue
    return found


def write(target: Path, seeds: Path, counts: dict, records: dict | None,
          reused: dict[str, dict]) -> None:
    """Write a build's manifest: the seed files' records (hashed now when ``records`` is
    None), the ``counts`` (documents, passages, characters, errors), and every file's
    checksum (carried over for the ``reused`` files)."""
    manifest = {
        **_analysis(),
        "seeds": records if records is not None else
                 {name: file_record(path) for name, path in seed_paths(seeds).items()},
        **counts,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": integrity.record(target, reused),
    }
    # Not indented: json's C encoder then writes it (6 MB at 1M passages: 0.45 s -> 0.05 s).
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")


def staleness(seeds: Path, root: Path) -> str | None:
    """Return why the index must be (re)built, or None when it matches the seeds."""
    build_dir, problems = lifecycle.usable_build(root)
    if build_dir is None:
        return f"no usable index in {root}: {problems[-1]}" if problems else f"no index in {root}"
    if problems:
        return f"the index is damaged: {problems[0]}"
    try:
        manifest = lifecycle.read_manifest(build_dir)
    except (OSError, ValueError):
        return f"the manifest of {build_dir} is unreadable"
    if changed := analysis_changed(manifest):
        return changed
    recorded = manifest.get("seeds", {})
    current = seed_stats(seeds)
    if recorded.keys() != current.keys():
        added = sorted(set(current) - set(recorded))
        removed = sorted(set(recorded) - set(current))
        return "seed files " + ", ".join(
            part for part in (_some("added", added), _some("removed", removed)) if part)
    for name, (seed, stat) in current.items():
        record = recorded[name]
        if (stat.st_size, stat.st_mtime_ns) == (record["size"], record["mtime_ns"]):
            continue
        if file_record(seed.path)["sha256"] != record["sha256"]:
            return f"seed file {name} changed"
    return None


#: File names a message lists before it counts the rest.
NAMES_SHOWN = 3


def _some(change: str, names: list[str]) -> str:
    """Return "added a, b, c and 1,075 more" for a one-line message (or "")."""
    if not names:
        return ""
    more = f" and {len(names) - NAMES_SHOWN:,} more" if len(names) > NAMES_SHOWN else ""
    return f"{change} {', '.join(names[:NAMES_SHOWN])}{more}"
