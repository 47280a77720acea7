"""Stores that keep this tool's layout but not its types, figures too large
for any total, and a store that is a loop of links: one clear message each,
never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import SEED_STORE

Run = Callable[..., Result]

READING = [["list"], ["total"], ["--no-index", "total"], ["export"], ["show", "2022-09-herat"]]


def own_layout(change: Callable[[list[dict[str, Any]]], None], path: Path) -> Path:
    """The seed store changed by hand, written in the layout this tool writes
    (which its index reads without parsing the whole file first)."""
    document = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    change(document["incidents"])
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _set(index: int, *path_and_value: Any) -> Callable[[list[dict[str, Any]]], None]:
    *keys, value = path_and_value

    def change(incidents: list[dict[str, Any]]) -> None:
        target = incidents[index]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _both(*changes: Callable[[list[dict[str, Any]]], None]) -> Callable[..., None]:
    def change(incidents: list[dict[str, Any]]) -> None:
        for one in changes:
            one(incidents)

    return change


FIRST = "incidents[0] (id '2021-10-kunduz'), "
HUGE = 10**19
HALF_OF_TOO_MUCH = 6 * 10**18  # two of them sum above 2**63
CASES = [
    (
        "a perpetrator as a string",
        _set(0, "perpetrator", "ISKP"),
        FIRST + 'perpetrator: input should be an object, got "ISKP"',
    ),
    (
        "a city as a number",
        _set(0, "location", "city", 5),
        FIRST + "location.city: input should be a valid string, got 5",
    ),
    (
        "a figure above 2**63",
        _set(0, "killed", HUGE),
        FIRST + "killed: a figure is at most 10,000,000,000 (more people than live on Earth), "
        f"got {HUGE}",
    ),
    (
        "figures that sum above 2**63",
        _both(_set(0, "killed", HALF_OF_TOO_MUCH), _set(1, "wounded", HALF_OF_TOO_MUCH)),
        FIRST + "killed: a figure is at most 10,000,000,000",
    ),
    (
        "a range bound above 2**63",
        _set(0, "wounded", {"min": 1, "max": HUGE}),
        FIRST + "wounded.max: a figure is at most 10,000,000,000",
    ),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_hand_edited_store_of_this_layout_is_refused_by_field(
    run: Run, tmp_path: Path, change: Callable[..., None], message: str
) -> None:
    store = own_layout(change, tmp_path / "store.json")
    for command in READING:
        result = run(*command, store=store)  # a traceback would raise here
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith(f"Error: {store}: {message}"), (command, result.stderr)
    checked = run("validate", store=store)
    assert checked.exit_code == 1
    assert f"{store}: {message}" in checked.stdout


COMMANDS_ON_A_LOOP = [
    (["where"], 1),
    (["list"], 1),
    (["total"], 1),
    (["--no-index", "total"], 1),
    (["validate"], 1),
    (["edit", "2022-09-herat", "--set", "killed=3"], 1),
    (["remove", "2022-09-herat", "--yes"], 1),
    (["add", "--date", "2023", "--country", "Afghanistan"], 1),
    (["import", "gtd", "nothing.csv"], 1),
    (["export", "-o", "out.csv"], 1),
]


@pytest.mark.parametrize(
    ("command", "code"), COMMANDS_ON_A_LOOP, ids=[" ".join(c[0]) for c in COMMANDS_ON_A_LOOP]
)
def test_a_store_that_is_a_loop_of_links_is_one_clear_error(
    run: Run, tmp_path: Path, command: list[str], code: int
) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    (tmp_path / "nothing.csv").write_text("")
    result = run(*command, store=loop)
    assert result.exit_code == code, result.output
    assert "loop of symbolic links" in result.output or "Too many levels" in result.output
