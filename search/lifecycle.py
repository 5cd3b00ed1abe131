"""The life of an index build: in progress, live, retired, deleted; and which one to open.

Layout of the index folder::

    index/.lock                    flock held by the one process that builds (released if it dies)
    index/CURRENT                  name of the live build (replaced atomically)
    index/build-<stamp>/BUILDING   the builder's pid, until the build is complete
    index/build-<stamp>/RETIRED    written when a newer build replaced it as the live one

A build that was live a moment ago may still be read (a server request, a CLI query that
opened it): it is kept as the fallback, and older retired builds are deleted only when
they have been retired for GRACE_SECONDS. Only the builder, holding the lock, deletes,
so any unfinished build it finds belongs to a process that died.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from search.integrity import Damaged, verify_sizes

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
LOCK = ".lock"
BUILDING = "BUILDING"
RETIRED = "RETIRED"
#: How long a replaced build stays on disk for the readers that still hold it.
GRACE_SECONDS = 120.0

_NAME_RE = re.compile(r"^build-[\w.-]+$")


class IndexUnavailable(Exception):
    """The index is missing or unreadable; the message says how to fix it."""


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Let one process build at a time."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def building(root: Path) -> bool:
    """Tell whether another process is building an index in ``root`` right now."""
    try:
        with open(root / LOCK, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def start(target: Path) -> None:
    """Create a build folder marked as in progress by this process."""
    target.mkdir(parents=True)
    (target / BUILDING).write_text(f"{os.getpid()}\n", encoding="utf-8")


def finish(target: Path) -> None:
    """Mark a build complete: from now on it may be opened."""
    (target / BUILDING).unlink()


def is_complete(build_dir: Path) -> bool:
    return (build_dir / MANIFEST).is_file() and not (build_dir / BUILDING).exists()


def pointer(root: Path) -> tuple[str | None, str | None]:
    """Return (the build CURRENT names, None) or (None, what is wrong with CURRENT)."""
    try:
        raw = (root / CURRENT).read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"{root / CURRENT} cannot be read: {error.strerror}"
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None, f"{root / CURRENT} is not a build name (binary content)"
    if not _NAME_RE.match(name):
        return None, f"{root / CURRENT} is not a build name ({name[:40]!r})"
    return name, None


def pointer_stamp(root: Path) -> tuple[int, int, int] | None:
    """Return what changes when CURRENT is replaced (inode, mtime, size), or None."""
    try:
        stat = (root / CURRENT).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def swap(root: Path, name: str) -> None:
    """Point CURRENT at the complete build ``name`` atomically, retire the one it replaces."""
    previous, _ = pointer(root)
    temporary = root / f"{CURRENT}.{os.getpid()}.tmp"
    temporary.write_text(name + "\n", encoding="utf-8")
    os.replace(temporary, root / CURRENT)
    if previous and previous != name and (root / previous).is_dir():
        (root / previous / RETIRED).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z\n"), "utf-8")
    tidy(root, name)


def _retired_at(build_dir: Path) -> float:
    try:
        return (build_dir / RETIRED).stat().st_mtime
    except OSError:
        return build_dir.stat().st_mtime


def _others(root: Path, live: str | None) -> list[Path]:
    """Return the complete builds other than ``live``, the most recently retired first."""
    builds = [p for p in root.glob("build-*") if p.is_dir() and p.name != live and is_complete(p)]
    return sorted(builds, key=_retired_at, reverse=True)


def tidy(root: Path, live: str | None) -> None:
    """Delete unfinished builds and builds retired over GRACE_SECONDS ago; call under the lock.

    The live build and the most recently retired one (the fallback) are always kept.
    """
    for path in root.glob("build-*"):
        if path.is_dir() and path.name != live and not is_complete(path):
            shutil.rmtree(path, ignore_errors=True)  # the builder died: we hold its lock
    for path in _others(root, live)[1:]:
        if time.time() - _retired_at(path) > GRACE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
    for path in root.glob(f"{CURRENT}.*.tmp"):
        path.unlink(missing_ok=True)


def read_manifest(build_dir: Path) -> dict:
    """Return a build's manifest, parsed once per process for each version of the file
    (6 MB at 1M passages: a query asks for it four times). The caller must not change it.
    Raise OSError or ValueError when it cannot be read."""
    path = build_dir / MANIFEST
    with path.open("rb") as file:
        stat = os.fstat(file.fileno())
        key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        found = _manifests.get(key)
        if found is None:
            found = json.loads(file.read().decode("utf-8"))
            _manifests.clear()  # one build is read at a time; the last one is enough
            _manifests[key] = found
    return found


_manifests: dict[tuple, dict] = {}


def read_only_uri(path: Path) -> str:
    """Return the URI that opens a build's SQLite file read-only and immutable: a build's
    files never change, so SQLite takes no locks and reads no journal."""
    return f"file:{quote(str(path))}?mode=ro&immutable=1"


def check(build_dir: Path) -> dict:
    """Return a build's manifest; raise Damaged when it is unfinished or its files are not
    the size the manifest recorded."""
    if (build_dir / BUILDING).exists():
        raise Damaged(f"{build_dir} is an unfinished build")
    try:
        manifest = read_manifest(build_dir)
    except FileNotFoundError:
        raise Damaged(f"{build_dir}: the manifest is missing") from None
    except (OSError, ValueError):
        raise Damaged(f"{build_dir}: the manifest is unreadable") from None
    verify_sizes(build_dir, manifest)
    return manifest


def usable_build(root: Path) -> tuple[Path | None, list[str]]:
    """Return the build to open (the live one, else the newest sound one) and the damage
    found on the way, one line per problem naming the build and file."""
    problems: list[str] = []
    name, wrong = pointer(root)
    if wrong:
        problems.append(wrong)
    elif name is None and any(root.glob("build-*")):
        problems.append(f"{root / CURRENT} is missing")
    candidates = [root / name] if name else []
    if name and not (root / name).is_dir():
        problems.append(f"{root / CURRENT} names {name}, which does not exist")
        candidates = []
    for build_dir in [*candidates, *_others(root, name)]:
        try:
            check(build_dir)
        except Damaged as damage:
            problems.append(str(damage))
            continue
        return build_dir, problems
    return None, problems
