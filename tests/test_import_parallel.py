"""Rows mapped on both cores: an import whose rows a forked process maps (all,
some, or none of them; with what the store makes of them, or without)
reports, counts, refuses and stores exactly what an import that maps every
row itself does, to the last row of every table of the store or its index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incidents.cli import cli

from .fixtures.datasets import GTD_HEADER, write_csv
from .importing import ACLED_CSV, GTD_CSV, UCDP_CSV, gtd_good_row


def _bad_rows_file(tmp_path: Path) -> Path:
    rows = [gtd_good_row(f"2020050400{n:02d}") for n in range(12)]
    rows[2]["iyear"] = "20x0"  # a cell that cannot be read
    rows[4]["eventid"] = rows[3]["eventid"]  # the same event twice
    rows[5]["latitude"], rows[5]["longitude"] = "95", "10"  # out of range
    rows[7]["attacktype1"] = ""  # a cell every row needs
    rows[8]["iday"] = "31"  # no 31 May... in April: imonth 4
    rows[8]["imonth"] = "4"
    rows[10]["gname"] = "Taliban"
    return write_csv(tmp_path / "bad.csv", GTD_HEADER, rows)


CASES = {
    "gtd": ["gtd", GTD_CSV],
    "acled": ["acled", ACLED_CSV],
    "ucdp": ["ucdp", UCDP_CSV],
    "filtered": ["gtd", GTD_CSV, "--since", "2016", "--country", "Afghanistan"],
    "bad rows": ["gtd", "BAD"],
    "at most two bad rows": ["gtd", "BAD", "--max-errors", "2"],
    "strict": ["gtd", "BAD", "--strict"],
}


@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
@pytest.mark.parametrize("args", list(CASES.values()), ids=list(CASES))
def test_rows_mapped_in_a_forked_process_import_as_rows_mapped_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str | Path], suffix: str
) -> None:
    import incidents.importers
    from incidents.importers import mapping

    bad = _bad_rows_file(tmp_path)
    given = [str(bad) if a == "BAD" else str(a) for a in args]
    outcomes = []
    for way, threshold, levels in WAYS:
        monkeypatch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", threshold)
        for name, level in zip(
            ("START_LEVEL", "LOWEST_LEVEL", "HIGHEST_LEVEL"), levels, strict=True
        ):
            monkeypatch.setattr(mapping, name, level)
        outcomes.append(_imported(tmp_path / way / f"store{suffix}", given))
    for outcome in outcomes[1:]:
        assert outcome == outcomes[0]


@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_a_forked_process_killed_midway_leaves_its_rows_to_the_importing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """SIGKILL of the forked process once it sent some rows: the importing
    process reads the file on from the first row it was not sent, and
    reports, stores and indexes what one process does."""
    import os
    import signal

    import incidents.importers
    from incidents.importers import mapping

    given = [str(_bad_rows_file(tmp_path))]
    monkeypatch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", 10**9)
    alone = _imported(tmp_path / "here" / f"store{suffix}", ["gtd", *given])
    monkeypatch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", 0)
    monkeypatch.setattr(mapping, "_BATCH", 2)  # lines 2 to 7 are sent, then it dies
    for name in ("START_LEVEL", "LOWEST_LEVEL", "HIGHEST_LEVEL"):
        monkeypatch.setattr(mapping, name, 0)
    killed = tmp_path / "killed"
    mapped = mapping._outcome

    def dying(to_incident: Any, row: Any, *rest: Any) -> Any:
        if row.line == 9:
            killed.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return mapped(to_incident, row, *rest)

    monkeypatch.setattr(mapping, "_outcome", dying)
    assert _imported(tmp_path / "killed there" / f"store{suffix}", ["gtd", *given]) == alone
    assert killed.exists()


def _imported(store: Path, args: list[str]) -> tuple[object, ...]:
    """What an import into a new store says, and what it stores and indexes."""
    store.parent.mkdir()
    result = CliRunner().invoke(cli, ["--store", str(store), "import", *args])
    shown = (result.stdout + result.stderr).replace(str(store.parent), "DIR")
    tables = _tables(_database_of(store)) if store.exists() else None
    exported = CliRunner().invoke(cli, ["--store", str(store), "export", "--format", "json"])
    return result.exit_code, shown, exported.stdout, tables


# Each row mapped here; in the forked process (its level held: ``mapping``),
# which leaves every row here, or maps them, or maps them and prepares what
# the store makes of them, or leaves some and prepares some; and as it comes
# out, the forked process deciding as it goes.
WAYS = [
    ("here", 10**9, (0, 0, 0)),
    ("left here", 0, (8, 8, 8)),
    ("mapped there", 0, (0, 0, 0)),
    ("prepared there", 0, (-8, -8, -8)),
    ("some left, some prepared", 0, (3, -3, 3)),
    ("as it comes", 0, (2, -8, 7)),
]


def _database_of(store: Path) -> Path:
    """A sqlite store itself; the index an import wrote beside a JSON store."""
    from incidents.index import index_path_for

    return store if store.suffix == ".sqlite" else index_path_for(store)


def _tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but ``meta`` (which names the store's path)."""
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        names = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta'"
        ).fetchall()
        return {
            name: connection.execute(f"SELECT * FROM {name} ORDER BY 1, 2").fetchall()
            for (name,) in names
        }
    finally:
        connection.close()


def test_a_batch_the_forked_process_cannot_send_is_read_again_without_a_traceback(
    tmp_path: Path,
) -> None:
    """Whatever stops the forked process from sending a batch (here a row's
    outcome that cannot be pickled), it ends quietly: the importing process
    reads those rows itself, says nothing more than an import in one
    process, and stores the same."""
    _same_as_in_one_process(
        tmp_path, "return (lambda: None) if row.line == 9 else mapped(to_incident, row, *rest)"
    )


def test_ctrl_c_is_answered_by_the_importing_process_alone(tmp_path: Path) -> None:
    """Ctrl-C reaches both processes of an import (the terminal's process
    group): the importing process answers it ("Interrupted.", and ends the
    forked one), so the forked one lets it pass, and never prints a
    traceback of its own.  Here it reaches the forked process alone, at line
    5: the import goes on, and says what an import in one process says."""
    _same_as_in_one_process(
        tmp_path,
        "if row.line == 5:\n        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return mapped(to_incident, row, *rest)",
    )


_FORKED_IMPORT = """
import os, signal, sys
import incidents.importers
from incidents.importers import mapping
incidents.importers.PARALLEL_FROM_ROWS = 0
mapping._BATCH = 2
mapping.START_LEVEL = mapping.LOWEST_LEVEL = mapping.HIGHEST_LEVEL = 0
mapped = mapping._outcome
def outcome(to_incident, row, *rest):
    BODY
mapping._outcome = outcome
from incidents.cli.app import main
sys.argv = ["incidents", *sys.argv[1:]]
main()
"""


def _same_as_in_one_process(tmp_path: Path, outcome_body: str) -> None:
    """An import of the bad rows' file in a real process whose forked process
    maps every row through ``outcome_body`` (``mapped`` is the real one) says,
    exits and stores what an import in one process does."""
    import os
    import subprocess
    import sys

    import incidents.importers

    bad = _bad_rows_file(tmp_path)
    alone = tmp_path / "alone.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", 10**9)
        expected = CliRunner().invoke(cli, ["--store", str(alone), "import", "gtd", str(bad)])
    store = tmp_path / "forked.json"
    script = _FORKED_IMPORT.replace("BODY", outcome_body)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", script, "--store", str(store), "import", "gtd", str(bad)],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert result.returncode == expected.exit_code == 0
    assert result.stderr.replace(str(store), "S") == expected.stderr.replace(str(alone), "S")
    assert store.read_bytes() == alone.read_bytes()
