"""CSV lines kept for the next export: a .sqlite store's are made as its
incidents are written (an import, convert, add or edit), and every export
is the same as a JSON store's; a write never leaves a line of an incident
as it was; a store that cannot be written is exported all the same.  A
JSON store's index makes its lines at the first export that needs them,
and keeps none that were made from incidents another process has changed
since the export read them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.cli import cli

from .conftest import bench_generator
from .fixtures.datasets import GTD_HEADER, write_csv
from .importing import gtd_good_row
from .processes import Paused, as_nobody, public_directory, run_incidents
from .test_sqlite_writes import ADD
from .test_warm_questions import lines_missing as missing_in

FORMATS = [
    "json",
    "ndjson",
    "geojson",
    "markdown",
    "tsv",
    "csv",
]  # the CSV export last: it keeps lines


def invoke(store: Path, *args: str | Path) -> str:
    result = CliRunner().invoke(cli, ["--store", str(store), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def exports(store: Path) -> dict[str, str]:
    return {form: invoke(store, "export", "--format", form) for form in FORMATS}


def lines_missing(store: Path) -> int:
    """How many of the store's incidents have no CSV line kept."""
    return missing_in(store, "frames")


@pytest.fixture
def gtd_export(tmp_path: Path) -> Path:
    export = tmp_path / "gtd.csv"
    bench_generator().write_gtd_csv(60, export, real_text=True)
    return export


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "two processes"])
def test_an_import_and_a_convert_make_the_lines_of_the_csv_export(
    tmp_path: Path, gtd_export: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    import incidents.importers
    from incidents.importers import mapping

    if parallel:  # every row mapped in the forked process, its rows made there
        monkeypatch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", 0)
        for name in ("START_LEVEL", "LOWEST_LEVEL", "HIGHEST_LEVEL"):
            monkeypatch.setattr(mapping, name, 0)
    store, plain = tmp_path / "store.sqlite", tmp_path / "store.json"
    for each in (store, plain):
        invoke(each, "import", "gtd", gtd_export)
    assert lines_missing(store) == 0
    first = exports(store)
    assert exports(store) == first == exports(plain)
    converted = tmp_path / "converted.sqlite"
    invoke(plain, "convert", plain, converted)
    assert lines_missing(converted) == 0
    assert exports(converted) == first


def test_a_write_leaves_no_line_of_an_incident_as_it_was(tmp_path: Path) -> None:
    """Add, edit, remove and a newer export re-imported: the lines of the
    incidents they touch are made again as they are written."""
    rows = [gtd_good_row(f"20200504{n:04d}") for n in range(1, 6)]
    old = write_csv(tmp_path / "old.csv", GTD_HEADER, rows)
    rows[1] = gtd_good_row("202005040002", nkill="5", gname="Taliban", claimed="1")
    new = write_csv(tmp_path / "new.csv", GTD_HEADER, rows)
    store, plain = tmp_path / "store.sqlite", tmp_path / "store.json"
    for each in (store, plain):
        invoke(each, "import", "gtd", old)
    invoke(store, "export", "--format", "csv")
    for write in [
        ("edit", "gtd-202005040003", "--set", "killed=at least 7", "--yes"),
        (*ADD, "--yes"),
        ("remove", "gtd-202005040004", "--yes"),
        # One incident changed in the newer export, one the user changed, one removed.
        ("import", "gtd", new),
    ]:
        assert lines_missing(store) == 0
        for each in (store, plain):
            invoke(each, *write)
        assert lines_missing(store) == 0, write
        assert exports(store) == exports(plain), write


def test_a_store_another_user_may_only_read_is_exported_as_its_owner_exports_it(
    gtd_export: Path,
) -> None:
    with public_directory(0o755) as directory:
        store = directory / "store.sqlite"
        invoke(store, "import", "gtd", gtd_export)
        store.chmod(0o644)
        before = store.read_bytes()
        copy = directory / "copy.sqlite"
        shutil.copyfile(store, copy)
        for form in [*FORMATS, "csv"]:
            expected = run_incidents("--store", copy, "export", "--format", form)
            exported = as_nobody("--store", store, "export", "--format", form)
            assert exported.returncode == 0, exported.stderr
            assert (exported.stdout, exported.stderr) == (expected.stdout, expected.stderr), form
        assert store.read_bytes() == before


def test_lines_made_from_incidents_written_since_are_not_kept(
    tmp_path: Path, gtd_export: Path
) -> None:
    """An export that read a JSON store before another process edited it
    makes the lines of the store as it read it, and keeps none of them in the
    index: the next export makes them from the store as it is."""
    from incidents.index import index_path_for

    store, plain = tmp_path / "store.json", tmp_path / "plain.json"
    for each in (store, plain, tmp_path / "before.json"):
        invoke(each, "import", "gtd", gtd_export)
    index = index_path_for(store)
    first_id = invoke(plain, "list", "--format", "csv").splitlines()[1].split(",")[0]
    edit = ("edit", first_id, "--set", "killed=at least 77", "--yes")
    out = tmp_path / "out.csv"
    exporter = Paused("incidents.index.queries:csv_line", "--store", store, "export", "-o", out)
    edited = run_incidents("--store", store, *edit)
    code, said = exporter.resume()
    assert (edited.returncode, code) == (0, 0), edited.stderr + said
    assert out.read_text(encoding="utf-8") == exports(tmp_path / "before.json")["csv"]
    assert missing_in(index, "texts") == 60
    invoke(plain, *edit)
    assert invoke(store, "export", "--format", "csv") == invoke(plain, "export", "--format", "csv")
    assert missing_in(index, "texts") == 0


def test_an_export_of_a_sqlite_store_keeps_its_hold_on_it_while_another_process_writes(
    tmp_path: Path, gtd_export: Path
) -> None:
    """An export reads a .sqlite store through SQLite alone: a file of the
    store opened and closed beside it (to look for a "$schema") would drop
    every lock SQLite holds on it for the process, and a writer could then
    remove the log the export is still reading from."""
    import sqlite3

    store, before = tmp_path / "store.sqlite", tmp_path / "before.json"
    for each in (store, before):
        invoke(each, "import", "gtd", gtd_export)
    with sqlite3.connect(store) as connection:  # lines to make: the export reads on meanwhile
        connection.execute("UPDATE frames SET csv = NULL")
    connection.close()
    first_id = invoke(before, "list", "--format", "csv").splitlines()[1].split(",")[0]
    out = tmp_path / "out.csv"
    exporter = Paused("incidents.index.queries:csv_line", "--store", store, "export", "-o", out)
    edited = run_incidents("--store", store, "edit", first_id, "--set", "killed=77", "--yes")
    assert edited.returncode == 0, edited.stderr
    assert store.with_name(store.name + "-wal").exists()
    code, said = exporter.resume()
    assert code == 0, said
    assert out.read_text(encoding="utf-8") == exports(before)["csv"]
