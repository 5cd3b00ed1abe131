"""Checksums of an index build's files: recorded at build time, checked when it is opened.

The manifest lists every file of a build with its size and SHA-256. Opening a build
compares sizes (a stat per file: a truncated, emptied or deleted segment is caught
before whoosh reads it); ``policy-search check`` reads every byte and compares hashes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Files that the manifest cannot list: itself, and the lifecycle's markers.
UNLISTED = {"manifest.json", "BUILDING", "RETIRED"}


class Damaged(Exception):
    """A build whose files are not what its manifest recorded; the message names the file."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def record(build_dir: Path, reused: dict[str, dict] | None = None) -> dict[str, dict]:
    """Return {file name: {"size", "sha256"}} for every file of a build but the manifest.

    ``reused`` are records of files hard-linked from another build: the same bytes, so
    their checksums are carried over instead of read again.
    """
    reused = reused or {}
    return {
        path.name: reused.get(path.name) or {"size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(build_dir.iterdir())
        if path.is_file() and path.name not in UNLISTED
    }


def verify_sizes(build_dir: Path, manifest: dict) -> None:
    """Raise Damaged when a recorded file is missing or has another size (a stat each)."""
    for name, expected in manifest.get("files", {}).items():
        try:
            size = (build_dir / name).stat().st_size
        except OSError:
            raise Damaged(f"{build_dir}: file {name} is missing") from None
        if size != expected["size"]:
            raise Damaged(f"{build_dir}: file {name} has {size} bytes, "
                          f"the manifest recorded {expected['size']}")


def verify_checksums(build_dir: Path, manifest: dict) -> list[str]:
    """Return a line per damaged file of a build (missing, resized or changed); [] when sound."""
    if "files" not in manifest:
        return [f"{build_dir}: the manifest records no checksums (built by an older version)"]
    problems = []
    for name, expected in manifest["files"].items():
        path = build_dir / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{build_dir}: file {name} is missing")
            continue
        if size != expected["size"]:
            problems.append(f"{build_dir}: file {name} has {size} bytes, "
                            f"the manifest recorded {expected['size']}")
        elif _sha256(path) != expected["sha256"]:
            problems.append(f"{build_dir}: file {name} does not match its checksum")
    return problems
