"""Every shell session in the README prints what the README says it prints."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, copy_library

README = (REPO / "README.md").read_text(encoding="utf-8")
# Figures that change from run to run: timings and build names (a time and a process id).
_VOLATILE = [(re.compile(r"\(\d+(?:\.\d+)? ms\)"), "(N ms)"), (re.compile(r"in \d+\.\d+ s"), "in N s"),
             (re.compile(r"build-\d{8}T\d{6}-\d+-\d{9}"), "build-N")]


#: Marks a console block that runs over the multi-document library (tests/conftest.py).
LIBRARY_BLOCK = "<!-- run over the library: the seed plus six real documents -->"


def _sessions(library: bool | None = None) -> list[tuple[str, str]]:
    """Return (command, expected output) for each `$ ` line of the console blocks: those over
    the seed folder, or with ``library`` those marked to run over the library (None: all)."""
    steps = []
    for marker, block in re.findall(rf"({re.escape(LIBRARY_BLOCK)}\n)?```console\n(.*?)```",
                                    README, re.S):
        if library is not None and bool(marker) != library:
            continue
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def _steady(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text.rstrip("\n")


def test_readme_has_sessions_of_every_command() -> None:
    commands = {shlex.split(command)[1] for command, _ in _sessions()}
    assert {"index", "query", "show"} <= commands


def test_readme_names_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    assert "make serve" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as a user's checkout: seeds/ and no index yet."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


@pytest.fixture(scope="module")
def library_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as a user's checkout whose seeds/ holds the library."""
    folder = tmp_path_factory.mktemp("readme-library")
    copy_library(folder / "seeds")
    return folder


@pytest.mark.parametrize("command, expected", _sessions(library=False),
                         ids=[c for c, _ in _sessions(library=False)])
def test_readme_session(command: str, expected: str, workdir: Path) -> None:
    _check_session(command, expected, workdir)


@pytest.mark.parametrize("command, expected", _sessions(library=True),
                         ids=[c for c, _ in _sessions(library=True)])
def test_readme_library_session(command: str, expected: str, library_workdir: Path) -> None:
    _check_session(command, expected, library_workdir)


def _check_session(command: str, expected: str, workdir: Path) -> None:
    argv = shlex.split(command)
    assert argv[0] == "policy-search"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_SEARCH_")}
    env["NO_COLOR"] = "1"
    if argv[1] != "index":  # sessions after the first one find the index built
        subprocess.run([sys.executable, "-m", "search", "stats"], cwd=workdir, env=env,
                       capture_output=True, check=False)
    done = subprocess.run([sys.executable, "-m", "search", *argv[1:]], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120)
    assert _steady(done.stdout + done.stderr) == _steady(expected)
