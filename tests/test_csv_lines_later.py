"""A .sqlite store's CSV lines are made by the first export that needs them,
not by an import, convert, add or edit (which leave them to it), and kept
for the next export: every export is the same before and after, and the
same as a JSON store's; a write never leaves a line of an incident as it
was; a store that cannot be written (read-only, or another process writing
it) is exported all the same, its lines made again each time."""

from __future__ import annotations

import shutil
import subprocess
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
def test_an_import_leaves_the_lines_to_the_first_export_which_keeps_them(
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
    assert lines_missing(store) == 60
    first = exports(store)
    assert lines_missing(store) == 0
    assert exports(store) == first == exports(plain)
    converted = tmp_path / "converted.sqlite"
    invoke(plain, "convert", plain, converted)
    assert lines_missing(converted) == 60
    assert exports(converted) == first


def test_a_write_leaves_no_line_of_an_incident_as_it_was(tmp_path: Path) -> None:
    """Add, edit, remove and a newer export re-imported, after the lines were
    kept: the lines of the incidents they touch are made again."""
    rows = [gtd_good_row(f"20200504{n:04d}") for n in range(1, 6)]
    old = write_csv(tmp_path / "old.csv", GTD_HEADER, rows)
    rows[1] = gtd_good_row("202005040002", nkill="5", gname="Taliban", claimed="1")
    new = write_csv(tmp_path / "new.csv", GTD_HEADER, rows)
    store, plain = tmp_path / "store.sqlite", tmp_path / "store.json"
    for each in (store, plain):
        invoke(each, "import", "gtd", old)
    invoke(store, "export", "--format", "csv")
    for write, touched in [
        (("edit", "gtd-202005040003", "--set", "killed=at least 7", "--yes"), 1),
        ((*ADD, "--yes"), 1),
        (("remove", "gtd-202005040004", "--yes"), 0),
        # One incident changed in the newer export, one the user changed, one removed.
        (("import", "gtd", new), 3),
    ]:
        assert lines_missing(store) == 0
        for each in (store, plain):
            invoke(each, *write)
        assert lines_missing(store) == touched, write
        assert exports(store) == exports(plain), write


def test_a_store_another_user_may_only_read_is_exported_its_lines_made_each_time(
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
        assert lines_missing(store) == 60


def test_an_export_while_another_process_imports_neither_waits_nor_fails(
    tmp_path: Path, gtd_export: Path
) -> None:
    """The importer holds the store's write lock, its new rows written but
    not committed: the export reads the store as it was, at once, and keeps
    none of its lines (waiting for the lock would take 30 seconds)."""
    store = tmp_path / "store.sqlite"
    invoke(store, "import", "gtd", gtd_export)
    expected = exports(store)["csv"]
    store.unlink()
    invoke(store, "import", "gtd", gtd_export)
    newer = tmp_path / "newer.csv"
    bench_generator().write_gtd_csv(80, newer, real_text=True)  # the same 60, and 20 more
    importer = Paused(
        "incidents.index.sqlite_store:create_indexes", "--store", store, "import", "gtd", newer
    )
    try:
        exported = run_incidents("--store", store, "export", "--format", "csv", timeout=20)
    except subprocess.TimeoutExpired:
        importer.process.kill()
        importer.process.communicate()
        raise
    missing = lines_missing(store)
    code, said = importer.resume()
    assert (code, "added 20, updated 0, 60 unchanged" in said) == (0, True), said
    assert (exported.returncode, exported.stderr) == (0, "")
    assert exported.stdout == expected
    assert missing == 60
    assert lines_missing(store) == 80
    plain = tmp_path / "store.json"
    for export in (gtd_export, newer):
        invoke(plain, "import", "gtd", export)
    assert invoke(store, "export", "--format", "csv") == invoke(plain, "export", "--format", "csv")
    assert lines_missing(store) == 0


def test_lines_made_from_incidents_written_since_are_not_kept(
    tmp_path: Path, gtd_export: Path
) -> None:
    """An export that read the store before another process edited it makes
    the lines of the store as it read it, and keeps none of them: the next
    export makes them from the store as it is."""
    store, plain = tmp_path / "store.sqlite", tmp_path / "store.json"
    for each in (store, plain, tmp_path / "before.json"):
        invoke(each, "import", "gtd", gtd_export)
    first_id = invoke(plain, "list", "--format", "csv").splitlines()[1].split(",")[0]
    edit = ("edit", first_id, "--set", "killed=at least 77", "--yes")
    out = tmp_path / "out.csv"
    exporter = Paused("incidents.index.queries:csv_line", "--store", store, "export", "-o", out)
    edited = run_incidents("--store", store, *edit)
    # The exporter still holds its locks on the store: its log is not removed from under it.
    assert store.with_name(store.name + "-wal").exists()
    code, said = exporter.resume()
    assert (edited.returncode, code) == (0, 0), edited.stderr + said
    assert out.read_text(encoding="utf-8") == exports(tmp_path / "before.json")["csv"]
    assert lines_missing(store) == 60
    invoke(plain, *edit)
    assert invoke(store, "export", "--format", "csv") == invoke(plain, "export", "--format", "csv")
    assert lines_missing(store) == 0
