"""A question asked again: it loads only what answers it, and answers as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from incidents import countries
from incidents.model import Incident
from incidents.query import Filters

from .conftest import SEED_STORE, index_of

Run = Callable[..., Result]

# What a question over a fresh index never needs: building or refreshing an
# index (msgspec, the row builders), the model, the terminal's tables, and
# pycountry's own code (its data files are read as they are).
NOT_FOR_A_WARM_QUESTION = (
    "msgspec",
    "incidents.index.build",
    "incidents.index.rows",
    "incidents.index.refresh",
    "incidents.index.sqlite_store",
    "pydantic",
    "incidents.model",
    "rich",
    "dateutil",
    "pycountry",
    "importlib.metadata",
    "secrets",
    "difflib",
)

WARM_QUESTIONS = [
    ["total", "--by", "year", "--location", "Afghanistan", "--format", "json"],
    ["total", "--target-type", "police", "--since", "2015", "--format", "json"],
    ["list", "--location", "Kabul", "--sort", "killed", "--limit", "2", "--format", "json"],
    ["export", "--location", "AFG", "--format", "csv"],
]


@pytest.mark.parametrize("args", WARM_QUESTIONS, ids=lambda args: " ".join(args[:3]))
def test_a_warm_question_loads_only_what_answers_it(tmp_path: Path, args: list[str]) -> None:
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def ask(*options: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *options, "-m", "incidents", "--store", str(SEED_STORE), *args]
        return subprocess.run(command, capture_output=True, text=True, env=environment)

    cold = ask()
    assert cold.returncode == 0, cold.stderr
    warm = ask("-X", "importtime")
    assert warm.returncode == 0, warm.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in warm.stderr.splitlines() if "|" in line}
    assert "incidents.index.queries" in imported  # the question was asked of the index
    assert sorted(imported & set(NOT_FOR_A_WARM_QUESTION)) == []
    # Only the module of the command asked for builds its options.
    commands = {name for name in imported if name.startswith("incidents.cli.")}
    assert commands & OTHER_COMMANDS == set()
    assert warm.stdout == cold.stdout


OTHER_COMMANDS = {
    f"incidents.cli.{module}"
    for module in ("changing", "importing", "keeping", "matching", "converting", "shells")
}


def test_each_command_is_found_in_the_module_that_adds_it() -> None:
    from incidents.cli import cli
    from incidents.cli.app import COMMAND_MODULES

    added = {name: command.callback.__module__ for name, command in cli.commands.items()}
    assert added == {name: f"incidents.cli.{module}" for name, module in COMMAND_MODULES.items()}


def test_the_country_table_from_pycountrys_files_is_the_one_its_api_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = countries._table.__wrapped__()
    monkeypatch.setattr(countries, "_iso_records", countries._iso_records_of_pycountry)
    asked = countries._table.__wrapped__()
    assert read == asked
    assert asked.codes["iraq"] == "IRQ" and asked.codes["zaire"] == "COD"
    assert {"SUN", "YUG", "XKX"} <= asked.known_codes


def test_whether_any_incident_matches_is_what_the_total_says(seed: list[Incident]) -> None:
    index = index_of(seed)
    asked = [
        Filters(),
        Filters(locations=("Afghanistan",)),
        Filters(locations=("AFG",)),
        Filters(locations=("Atlantis",)),
        Filters(locations=("Kabul, Pakistan",)),
        Filters(perpetrators=("ISKP",)),
        Filters(perpetrators=("unknown",)),
        Filters(perpetrators=("nobody at all",)),
    ]
    answers = [index.matches_any(filters) for filters in asked]
    assert answers == [index.totals(filters).overall.incidents > 0 for filters in asked]
    assert True in answers and False in answers


def test_a_place_not_in_the_store_is_still_said_with_the_closest(run: Run) -> None:
    found = run("total", "--location", "Afghanistn", "--format", "json")
    assert found.exit_code == 0
    assert "no place called 'Afghanistn' in the store; did you mean Afghanistan?" in found.stderr
    assert json.loads(found.stdout)["total"]["incidents"] == 0


def test_csv_lines_are_written_in_blocks_as_they_were_one_by_one() -> None:
    import io

    from incidents.formats import csv as csv_format
    from incidents.records import FLAT_COLUMNS

    header = ",".join(FLAT_COLUMNS) + "\r\n"
    for count in (0, 1, csv_format.BLOCK, csv_format.BLOCK + 1, 2 * csv_format.BLOCK + 5):
        lines = [f'{number},"a cell\r\nover two lines",x' for number in range(count)]
        stream = io.StringIO(newline="")
        csv_format.write_lines(iter(lines), stream)
        assert stream.getvalue() == header + "".join(line + "\r\n" for line in lines)


def test_an_export_of_a_thousand_incidents_is_the_same_to_a_file_a_pipe_and_without_the_index(
    tmp_path: Path,
) -> None:
    from .conftest import bench_generator

    store = tmp_path / "store.json"
    bench_generator().write_store(2500, store)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def export(*args: str, index: bool = True) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "incidents", "--store", str(store)]
        command += [*([] if index else ["--no-index"]), "export", *args]
        return subprocess.run(command, capture_output=True, env=environment, check=True)

    piped = export("--format", "csv").stdout
    assert piped.count(b"\r\n") > 2500  # more lines than two blocks, and the header
    assert export("--format", "csv", index=False).stdout == piped
    written = tmp_path / "out.csv"
    said = export("-o", str(written)).stderr.decode()
    assert written.read_bytes() == piped
    assert f"Wrote 2,500 incidents to {written} (csv)." in said


def test_an_export_asks_the_store_again_only_when_dates_were_asked_for(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from incidents.index.queries import StoreIndex

    asked: list[Filters] = []
    tally = StoreIndex.tally

    def counted_tally(self: StoreIndex, filters: Filters, *args: Any) -> Any:
        asked.append(filters)
        return tally(self, filters, *args)

    monkeypatch.setattr(StoreIndex, "tally", counted_tally)
    out = tmp_path / "kabul.csv"
    plain = run("export", "--location", "Afghanistan", "-o", str(out))
    assert plain.exit_code == 0
    rows = out.read_bytes().count(b"\r\n") - 1
    assert f"Wrote {rows} incidents to {out} (csv)." in plain.stderr
    assert asked == []

    dated = run("export", "--since", "2022-09-05", "--format", "csv")
    assert dated.exit_code == 0
    assert len(asked) == 1
    assert "1 of them may fall outside the dates asked for" in dated.stderr
    unasked = run("--no-index", "export", "--since", "2022-09-05", "--format", "csv")
    assert (dated.stdout, dated.stderr) == (unasked.stdout, unasked.stderr)


@pytest.mark.parametrize("ending", [".json", ".sqlite"])
def test_lines_made_for_an_export_in_part_are_the_lines_of_the_whole_and_kept(
    tmp_path: Path, ending: str
) -> None:
    """Lines kept by an earlier export mixed with lines not made yet, across
    the blocks in which missing lines are made: the export is the one
    made without the index, and every line is kept for the next one."""
    from .conftest import bench_generator

    source = tmp_path / "source.json"
    bench_generator().write_store(2500, source)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def incidents(*args: str | Path) -> bytes:
        command = [sys.executable, "-m", "incidents", *map(str, args)]
        return subprocess.run(command, capture_output=True, env=environment, check=True).stdout

    store = source if ending == ".json" else tmp_path / f"store{ending}"
    if store != source:
        incidents("convert", source, store)
        assert lines_missing(store, "frames") == 0  # made as it was written
    part = incidents("--store", store, "export", "--format", "csv", "--location", "Afghanistan")
    assert part.count(b"\r\n") > 100
    whole = incidents("--store", store, "export", "--format", "csv")
    assert whole == incidents("--store", source, "--no-index", "export", "--format", "csv")
    assert incidents("--store", store, "export", "--format", "csv") == whole
    if ending == ".json":
        (index,) = (tmp_path / "cache" / "incidents").glob("*.sqlite")
        assert lines_missing(index, "texts") == 0
    else:
        assert lines_missing(store, "frames") == 0


def lines_missing(database: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(database) as connection:
        left = connection.execute(f"SELECT count(*) FROM {table} WHERE csv IS NULL").fetchone()
    connection.close()
    return int(left[0])
