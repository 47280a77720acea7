"""Temporary files never outlive their writer: a writer told to stop
(SIGTERM, SIGINT, SIGHUP) removes its own, and the next write removes those
of writers that died (kill -9), never those of writers still at work."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.processes import Paused, run_incidents
from tests.test_import_command import good_row, gtd_file

# Called for each incident as a JSON store is written: the writer is paused
# with its temporary file half written.
WRITING_JSON = "incidents.store:stored_json"
# Called inside the index build, with its temporary database in the cache.
BUILDING_INDEX = "incidents.index.build:insert_texts"


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".tmp" in p.name)


@pytest.fixture
def gtd_csv(tmp_path: Path) -> Path:
    return gtd_file(tmp_path / "gtd.csv", [good_row(f"2020050{n:05d}") for n in range(20)])


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_writer_told_to_stop_removes_its_temporary_file(
    seed_copy: Path, gtd_csv: Path, number: signal.Signals
) -> None:
    before = seed_copy.read_bytes()
    writer = Paused(WRITING_JSON, "--store", seed_copy, "import", "gtd", gtd_csv)
    assert len(temporaries(seed_copy.parent)) == 1  # being written
    writer.process.send_signal(number)
    code, err = writer.resume()
    assert code == 128 + number, err
    assert "Traceback" not in err
    assert temporaries(seed_copy.parent) == []
    assert seed_copy.read_bytes() == before
    assert sorted(p.name for p in seed_copy.parent.iterdir() if p.name.startswith(".")) == []


def test_an_index_build_told_to_stop_leaves_nothing_in_the_cache(
    seed_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache" / "incidents"
    builder = Paused(BUILDING_INDEX, "--store", seed_copy, "list")
    assert len(temporaries(cache)) == 1
    builder.process.send_signal(signal.SIGTERM)
    code, err = builder.resume()
    assert code == 128 + signal.SIGTERM, err
    assert temporaries(cache) == []


def test_the_next_write_removes_what_dead_writers_left_and_only_that(
    seed_copy: Path, gtd_csv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache" / "incidents"
    dead = Paused(WRITING_JSON, "--store", seed_copy, "import", "gtd", gtd_csv)
    dead_builder = Paused(BUILDING_INDEX, "--store", seed_copy, "list")
    for process in (dead.process, dead_builder.process):
        process.kill()
        process.communicate()
    [left_by_the_import] = temporaries(seed_copy.parent)
    [left_by_the_build] = temporaries(cache)
    # A live index build of another store keeps its temporary file.
    other = tmp_path / "other.json"
    other.write_bytes(seed_copy.read_bytes())
    alive = Paused(BUILDING_INDEX, "--store", other, "list")
    [alive_file] = set(temporaries(cache)) - {left_by_the_build}

    added = run_incidents("--store", seed_copy, "edit", "2022-09-herat", "--set", "killed=3")
    assert added.returncode == 0, added.stderr
    assert temporaries(seed_copy.parent) == []
    listed = run_incidents("--store", seed_copy, "list")  # builds the index anew
    assert listed.returncode == 0, listed.stderr
    assert temporaries(cache) == [alive_file]
    code, err = alive.resume()
    assert code == 0, err
    assert temporaries(cache) == []
    assert left_by_the_import.startswith(".incidents.json.")
