"""Time incremental updates as a user makes them: edit the seed folder, ``policy-search index``,
then ``policy-search query`` until the change is seen.

Whatever ``index`` does (a full rebuild today, only the changed files once it is incremental)
is what is timed, in a subprocess, so the figures follow the CLI. The seed folder edited is
a copy of the corpus made of hard links (a few seconds even at 1M passages; the corpus
itself is never written), and the index is the one the benchmark built from that corpus,
which the copy leaves up to date (same names, sizes and modification times).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from bench.measure import cli_command, environment

#: Text found in no corpus: the document added says it, the document changed gains the other.
ADDED_MARKER = "桂花糕质押登记"
CHANGED_MARKER = "银杏叶担保回购"
ADDED_NAME = "bench-update-added.txt"
ADDED_TEXT = (f"关于开展{ADDED_MARKER}试点的通知\n\n各有关单位:\n\n"
              f"  为做好{ADDED_MARKER}试点工作,现将有关事项通知如下。\n")
#: No single step of a 1M-passage corpus should take longer, even rebuilding everything.
STEP_TIMEOUT_SECONDS = 4 * 3600


def working_copy(seeds: Path, work: Path) -> Path:
    """Return a copy of ``seeds`` in ``work`` made of hard links (of copies across devices)."""
    shutil.rmtree(work, ignore_errors=True)
    try:
        shutil.copytree(seeds, work, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(seeds, work)  # copy2 keeps modification times: the index stays current
    return work


def _run(args: list[str], seeds: Path, index: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    done = subprocess.run([*cli_command(), *args], env=environment(seeds, index),
                          capture_output=True, text=True, timeout=STEP_TIMEOUT_SECONDS)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"policy-search {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done, seconds


def _hits(marker: str, seeds: Path, index: Path) -> tuple[int, float, str]:
    """Return how many passages say ``marker``, the query's seconds and what it said on stderr."""
    done, seconds = _run(["query", f'"{marker}"', "--json"], seeds, index)
    return json.loads(done.stdout)["total"], seconds, done.stderr.strip()


def _step(seeds: Path, index: Path, marker: str, expect_hits: bool) -> dict:
    """Run ``policy-search index``, then query ``marker`` until it is (or is no longer) found."""
    built, index_seconds = _run(["index"], seeds, index)
    total, query_seconds, _ = _hits(marker, seeds, index)
    if (total > 0) != expect_hits:
        raise RuntimeError(f"after policy-search index, {marker!r} has {total} hits: "
                           f"the update was not seen")
    return {"index_seconds": index_seconds, "query_seconds": query_seconds,
            "seconds": index_seconds + query_seconds,
            "index_said": built.stdout.strip().splitlines()[0] if built.stdout.strip() else ""}


def _changed(text: str) -> str:
    """Return ``text`` with the marker in its last sentence (the body, not the header)."""
    end = text.rindex("。")
    return f"{text[:end]},并开展{CHANGED_MARKER}{text[end:]}"


def update_latency(seeds: Path, index: Path, work: Path) -> dict:
    """Add one document, change one, remove one: time each until a query sees it.

    ``index`` must hold policy-search's index of ``seeds``; it is updated in place.
    """
    copy = working_copy(seeds, work)
    before, _, said = _hits(ADDED_MARKER, copy, index)
    if before:
        raise RuntimeError(f"{ADDED_MARKER!r} is already in the corpus: choose another marker")
    added = copy / ADDED_NAME
    added.write_text(ADDED_TEXT, encoding="utf-8")
    steps = {"add": _step(copy, index, ADDED_MARKER, expect_hits=True)}
    changed = min(path for path in copy.rglob("*") if path.is_file() and path != added)
    text = _changed(changed.read_text(encoding="utf-8"))
    changed.unlink()  # a hard link: replace it, never write through to the corpus
    changed.write_text(text, encoding="utf-8")
    steps["change"] = _step(copy, index, CHANGED_MARKER, expect_hits=True)
    added.unlink()
    steps["remove"] = _step(copy, index, ADDED_MARKER, expect_hits=False)
    shutil.rmtree(copy, ignore_errors=True)
    return {**steps, "before": said,
            "changed_file": changed.relative_to(copy).as_posix()}
