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

from conftest import REPO, SEEDS

README = (REPO / "README.md").read_text(encoding="utf-8")
# Figures that change from run to run: timings.
_VOLATILE = [(re.compile(r"\(\d+(?:\.\d+)? ms\)"), "(N ms)"), (re.compile(r"in \d+\.\d+ s"), "in N s")]


def _sessions() -> list[tuple[str, str]]:
    """Return (command, expected output) for each `$ ` line of the console blocks."""
    steps = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
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


@pytest.mark.parametrize("command, expected", _sessions(), ids=[c for c, _ in _sessions()])
def test_readme_session(command: str, expected: str, workdir: Path) -> None:
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
