"""The README's example outputs are what the tool prints today.

Every ```console block in README.md whose first line is ``$ incidents ...``
is run as a user would run it (a shell in a terminal of 80 columns,
NO_COLOR, the bundled store) and what the terminal shows, standard error
included, must be the block's text.  A real pseudo-terminal, because the
tool prints differently when piped (one tab-separated line per incident).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, SEED_STORE
from .terminal import in_terminal

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


# What the terminal shows of styles (bold, dim) that NO_COLOR keeps.
STYLE = re.compile(r"\x1b\[[0-9;]*m")


def run_in_shell(command: str, cwd: Path) -> list[str]:
    """What a terminal of 80 columns shows for the command: stdout and stderr, in order."""
    shown = in_terminal(
        command,
        cwd,
        columns=80,
        env={"NO_COLOR": "1", "INCIDENTS_STORE": str(SEED_STORE)},  # the bundled copy's twin
    )
    lines = [line.rstrip() for line in STYLE.sub("", shown).splitlines()]
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
