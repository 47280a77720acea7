"""Writers in real processes take turns: every writer holds the store's lock
from its reading of the store to its writing, JSON or sqlite, so that no
change is lost; readers of a sqlite store see it whole while it is written."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_incident
from tests.processes import Paused, finish, first_error_line, incidents, run_incidents
from tests.test_import_command import good_row, gtd_file
from tests.test_nothing_lost import add_command

IMPORT_PAUSED = "incidents.importers:import_file"


def gtd_rows(path: Path, first: int, count: int) -> Path:
    """A GTD file of ``count`` rows with event ids from ``first`` on."""
    return gtd_file(path, [good_row(f"2020050{n:05d}") for n in range(first, first + count)])


def sqlite_ids(store: Path) -> set[str]:
    with sqlite3.connect(store) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM facts")}


def test_an_add_during_an_import_into_json_waits_and_both_land(
    seed_copy: Path, tmp_path: Path
) -> None:
    source = gtd_rows(tmp_path / "gtd.csv", 0, 50)
    importer = Paused(IMPORT_PAUSED, "--store", seed_copy, "import", "gtd", source)
    adder = subprocess.Popen(
        add_command(seed_copy, 1), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    said = first_error_line(adder)  # the add has read the store, or waits for the lock
    code, err = importer.resume()
    assert code == 0, err
    added = finish(adder)
    assert added[0] == 0, added
    listed = run_incidents("--store", seed_copy, "export", "--format", "csv").stdout
    assert "2023-03-02-town-1" in listed, "the add was lost"
    assert listed.count("gtd-2020050") == 50, "the import was lost"
    assert said == f"Waiting for process {importer.pid}, which is writing {seed_copy}...\n"


@pytest.mark.parametrize("existing", [False, True], ids=["new store", "existing store"])
def test_two_imports_into_one_sqlite_store_take_turns(tmp_path: Path, existing: bool) -> None:
    store = tmp_path / "s.sqlite"
    if existing:
        made = run_incidents("--store", store, "import", "gtd", gtd_rows(tmp_path / "c.csv", 0, 5))
        assert made.returncode == 0, made.stderr
    first = Paused(
        IMPORT_PAUSED, "--store", store, "import", "gtd", gtd_rows(tmp_path / "a.csv", 100, 40)
    )
    second = subprocess.Popen(
        incidents("--store", store, "import", "gtd", gtd_rows(tmp_path / "b.csv", 200, 30)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = first_error_line(second)
    first_code, first_err = first.resume()
    second_code, _, second_err = finish(second)
    assert (first_code, second_code) == (0, 0), first_err + said + second_err
    assert len(sqlite_ids(store)) == (5 if existing else 0) + 40 + 30
    assert said.startswith(f"Waiting for process {first.pid}, which is writing")
    checked = run_incidents("--store", store, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_readers_see_a_sqlite_store_whole_while_an_import_writes_it(tmp_path: Path) -> None:
    from incidents.index import SqliteStoreImport

    store = tmp_path / "s.sqlite"
    made = run_incidents("--store", store, "import", "gtd", gtd_rows(tmp_path / "c.csv", 0, 3))
    assert made.returncode == 0, made.stderr
    writer = SqliteStoreImport(store, "gtd")
    # Enough for SQLite to spill the change into the file before it commits.
    for number in range(3000):
        origin = {"dataset": "gtd", "id": f"2021{number:08d}"}
        writer.add(make_incident(id=f"gtd-2021{number:08d}", origin=origin))
    writer._flush()
    during = run_incidents("--store", store, "total", timeout=20)
    assert during.returncode == 0, during.stderr
    assert during.stdout.startswith("Incidents  3\n")
    writer.commit()
    after = run_incidents("--store", store, "total")
    assert after.stdout.startswith("Incidents  3003\n"), after.stdout
