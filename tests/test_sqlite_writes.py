"""A `.sqlite` store is a store like the others: add, edit, remove and
validate work on it, each change in one transaction that readers see whole,
and a store that only its owner may write can still be read, and searched,
by another user."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from incidents.index import write_sqlite_store
from incidents.store import load_store
from tests.conftest import SEED_STORE, changed_by_hand
from tests.processes import as_nobody, public_directory

Run = Callable[..., Result]

ADD = (
    "add",
    "--date",
    "2023-01-02",
    "--country",
    "Afghanistan",
    "--city",
    "Kabul",
    "--attack-type",
    "bombing",
    "--target-type",
    "police",
    "--target",
    "A checkpoint",
    "--summary",
    "A bombing at a checkpoint.",
    "--source",
    "Test Wire",
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    write_sqlite_store(path, load_store(SEED_STORE).incidents)
    return path


def exported(run: Run, store: Path) -> dict[str, dict[str, object]]:
    result = run("export", "--format", "json", store=store)
    assert result.exit_code == 0, result.output
    return {i["id"]: i for i in json.loads(result.stdout)["incidents"]}


def test_add_edit_and_remove_change_a_sqlite_store(run: Run, database: Path) -> None:
    added = run(*ADD, store=database)
    assert added.exit_code == 0, added.output
    assert added.stdout == "2023-01-02-kabul\n"
    edited = run("edit", "2022-09-herat", "--set", "killed=at least 3", store=database)
    assert edited.exit_code == 0, edited.output
    removed = run("remove", "2022-06-imam-sahib", "--yes", store=database)
    assert removed.exit_code == 0, removed.output
    incidents = exported(run, database)
    assert "2022-06-imam-sahib" not in incidents
    assert incidents["2022-09-herat"]["killed"] == {"min": 3}
    assert incidents["2023-01-02-kabul"]["target"] == "A checkpoint"
    assert list(incidents)[-1] == "2023-01-02-kabul"  # in the order they were stored
    listed = run("list", "--text", "checkpoint", store=database)
    assert "2023-01-02-kabul" in listed.stdout  # the full-text table was rebuilt
    checked = run("validate", store=database)
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == f"{database}: valid (0 errors, 0 warnings).\n"
    # The store file holds it all, without the log SQLite keeps beside it.
    alone = database.parent / "copy" / "store.sqlite"
    alone.parent.mkdir()
    alone.write_bytes(database.read_bytes())
    assert exported(run, alone) == incidents


def test_a_dry_run_on_a_sqlite_store_shows_the_change_and_writes_nothing(
    run: Run, database: Path
) -> None:
    before = database.read_bytes()
    result = run("edit", "2022-09-herat", "--set", "killed=3", "--dry-run", store=database)
    assert result.exit_code == 0, result.output
    assert '-      "killed": 18,\n+      "killed": 3,\n' in result.stdout
    assert database.read_bytes() == before


def test_validate_names_a_bad_incident_in_a_sqlite_store(run: Run, database: Path) -> None:
    with changed_by_hand(database) as connection:
        connection.execute("UPDATE details SET json = json_set(json, '$.killed', -4) WHERE pos = 2")
    result = run("validate", store=database)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{database}: incidents[2] (id '2022-05-kabul'), killed:")


def test_another_user_reads_and_searches_a_store_they_cannot_write(database: Path) -> None:
    # A store (in WAL mode) in a directory that user cannot write.
    with public_directory(0o755) as public:
        store = public / "store.sqlite"
        store.write_bytes(database.read_bytes())
        store.chmod(0o644)
        cache = {"XDG_CACHE_HOME": str(public / "no-cache")}
        total = as_nobody("--store", store, "total", env=cache)
        found = as_nobody("--store", store, "list", "--text", "embassy", env=cache)
        left = sorted(p.name for p in public.iterdir())
    assert total.returncode == 0, total.stderr
    assert total.stdout.startswith("Incidents  8\n")
    assert found.returncode == 0, found.stderr
    assert "2022-12-02-kabul" in found.stdout
    assert left == ["store.sqlite"]
