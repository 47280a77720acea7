"""The README's example outputs are what the tool prints today.

Every ```console block in README.md whose first line is ``$ incidents ...``
is run as a user would run it (a shell, 80 columns, NO_COLOR, the bundled
store) and its output, standard error included, must be the block's text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, SEED_STORE

README = REPO_ROOT / "README.md"
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
PROMPT = "$ "


def examples(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$ incidents`` command shown."""
    found: list[tuple[str, list[str]]] = []
    for block in CONSOLE_BLOCK.findall(text):
        if not block.startswith(PROMPT + "incidents "):
            continue
        for line in block.splitlines():
            if line.startswith(PROMPT):
                found.append((line[len(PROMPT) :], []))
            else:
                found[-1][1].append(line.rstrip())
    return found


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def run_in_shell(command: str, cwd: Path) -> list[str]:
    """What a terminal shows for the command: stdout and stderr, in order."""
    # `incidents` is this interpreter's package, whatever is on PATH.
    script = f'incidents() {{ "{sys.executable}" -m incidents "$@"; }}\n{command}'
    env = {
        **os.environ,
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "INCIDENTS_STORE": str(SEED_STORE),  # the same file as the bundled copy
    }
    env.pop("FORCE_COLOR", None)
    finished = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    lines = [line.rstrip() for line in finished.stdout.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_the_readme_has_examples():
    commands = [command for command, _ in EXAMPLES]
    assert "incidents list" in commands
    assert any(command.startswith("incidents timeline") for command in commands)


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_is_what_the_tool_prints(tmp_path, command, expected):
    while expected and not expected[-1]:
        expected.pop()
    assert run_in_shell(command, tmp_path) == expected


def test_drift_is_caught(tmp_path):
    text = "```console\n$ incidents total\nIncidents  9\n```\n"
    [(command, expected)] = examples(text)
    assert command == "incidents total"
    assert run_in_shell(command, tmp_path) != expected


def test_other_blocks_are_left_alone():
    text = "```sh\nincidents list\n```\n```console\n$ pip install .\nok\n```\n"
    assert examples(text) == []
