"""A .sqlite store keeps its incidents' texts packed (zstd frames, with a
dictionary it learns once it holds enough incidents): it is a fraction of
the size it was, and every answer is the JSON store's, byte for byte, from
frames made with the dictionary, frames made before the store had one, and
a store of schema 9 that keeps its texts as text."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incidents.cli import cli

from .conftest import SEED_STORE, bench_generator, changed_by_hand

QUESTIONS = [
    ("export", "--format", "csv"),
    ("export", "--format", "ndjson"),
    ("export", "--format", "json", "--location", "Iraq"),
    ("list", "--text", "embassy", "--sort", "killed"),
    ("total", "--by", "year"),
]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def answered(store: Path, *question: str) -> str:
    result = run("--store", store, *question)
    assert result.exit_code == 0, result.stderr
    assert result.stdout
    return result.stdout


def assert_same_answers(one: Path, other: Path, ids: list[str]) -> None:
    for question in [*QUESTIONS, *(("show", incident_id) for incident_id in ids)]:
        assert answered(one, *question) == answered(other, *question), question


def frames(store: Path) -> tuple[int, int]:
    """How many of the store's texts were packed with its dictionary, and
    how many without."""
    with sqlite3.connect(store) as connection:
        kinds = [
            frame[4] & 3
            for row in connection.execute("SELECT json, csv FROM frames")
            for frame in row
        ]
    connection.close()
    return sum(1 for kind in kinds if kind), sum(1 for kind in kinds if not kind)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON store of 1,200 incidents with text of real length."""
    store = tmp_path_factory.mktemp("generated") / "store.json"
    bench_generator().write_store(1200, store, real_text=True)
    return store


def test_a_converted_store_learns_a_dictionary_and_answers_as_its_json_store(
    tmp_path: Path, generated: Path
) -> None:
    store = tmp_path / "store.json"
    shutil.copyfile(generated, store)
    packed = tmp_path / "store.sqlite"
    assert run("convert", store, packed).exit_code == 0
    # Unpacked, it was 1.58 times the size of the JSON store.
    assert packed.stat().st_size < 0.75 * store.stat().st_size
    assert frames(packed) == (2400, 0)
    assert_same_answers(packed, store, ["syn-0000000", "syn-0000777"])
    back = run("convert", packed, tmp_path / "back.json")
    assert back.exit_code == 0, back.stderr
    assert (tmp_path / "back.json").read_bytes() == store.read_bytes()


def seed_without_schema(path: Path) -> Path:
    """The seed store, without the "$schema" that a JSON export of a JSON
    store repeats and a sqlite store's does not."""
    text = SEED_STORE.read_text()
    path.write_text(text.replace('  "$schema": "incidents.schema.json",\n', "", 1))
    return path


def test_texts_packed_before_the_store_had_a_dictionary_still_read(tmp_path: Path) -> None:
    csv_file = tmp_path / "gtd.csv"
    bench_generator().write_gtd_csv(1200, csv_file, real_text=True)
    packed, store = tmp_path / "store.sqlite", seed_without_schema(tmp_path / "store.json")
    assert run("convert", store, packed).exit_code == 0  # eight: too few to learn from
    for each in (packed, store):
        imported = run("--store", each, "import", "gtd", csv_file)
        assert imported.exit_code == 0, imported.stderr
    assert frames(packed) == (2400, 16)
    assert_same_answers(packed, store, ["2022-09-herat", "2022-12-02-kabul"])
    # A newer export changes one row: its incident is read, compared and replaced.
    rows = list(csv.reader(csv_file.open(newline="", encoding="utf-8")))
    rows[5][rows[0].index("summary")] = "A newer summary."
    with csv_file.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    for each in (packed, store):
        imported = run("--store", each, "import", "gtd", csv_file)
        assert imported.exit_code == 0, imported.stderr
        assert "added 0, updated 1, 1,199 unchanged" in imported.stderr
    assert_same_answers(packed, store, ["2022-09-herat"])
    again = run("--store", packed, "edit", "2022-09-herat", "--set", "killed=3")
    assert again.exit_code == 0, again.stderr
    assert frames(packed) == (2402, 14)  # a text written now is packed with the dictionary
    assert '"killed": 3' in answered(packed, "show", "2022-09-herat", "--format", "json")


def test_a_store_of_schema_9_is_read_and_written_as_it_is(tmp_path: Path) -> None:
    old, store = tmp_path / "old.sqlite", seed_without_schema(tmp_path / "store.json")
    assert run("convert", store, old).exit_code == 0
    with changed_by_hand(old) as connection:  # its texts as text, as schema 9 kept them
        connection.executescript(
            "CREATE TABLE main.texts9 (pos INTEGER PRIMARY KEY, json TEXT NOT NULL, csv TEXT);"
            "INSERT INTO main.texts9 SELECT pos, json, csv FROM details;"
            "DROP VIEW temp.details; DROP TABLE main.frames; DROP TABLE main.dictionary;"
            "ALTER TABLE main.texts9 RENAME TO details;"
            "UPDATE meta SET value = '9' WHERE key = 'schema';"
        )
    assert_same_answers(old, store, ["2022-09-herat"])
    for each in (old, store):
        changed = run("--store", each, "edit", "2022-09-herat", "--set", "killed=3")
        assert changed.exit_code == 0, changed.stderr
    assert_same_answers(old, store, ["2022-09-herat"])
    with sqlite3.connect(old) as connection:
        kinds = connection.execute("SELECT DISTINCT typeof(json) FROM details").fetchall()
        schema = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    connection.close()
    assert (kinds, schema) == ([("text",)], ("9",))


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (b"\x28\xb5\x2f\xfd\x00", "expected a zstd frame of UTF-8 text"),
        (b"\x28", "expected a zstd frame of UTF-8 text"),
        ("not json", "expected an incident's JSON text"),
    ],
)
@pytest.mark.parametrize("question", [("export", "--format", "json"), ("validate",)])
def test_a_text_another_tool_broke_is_named_in_one_line(
    tmp_path: Path, stored: bytes | str, expected: str, question: tuple[str, ...]
) -> None:
    store = tmp_path / "store.sqlite"
    assert run("convert", SEED_STORE, store).exit_code == 0
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE frames SET json = ? WHERE pos = 1", (stored,))
    connection.close()
    result = run("--store", store, *question)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    named = [line for line in result.output.splitlines() if "incidents[1]" in line]
    assert len(named) == 1 and str(store) in named[0] and expected in named[0], result.output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("UPDATE dictionary SET data = 'text'", "its dictionary of texts cannot be read"),
        ("DROP TABLE dictionary", "its dictionary of texts cannot be read"),
        ("UPDATE dictionary SET data = x'00112233'", "incidents[0], its stored CSV line"),
    ],
)
def test_a_dictionary_another_tool_changed_is_one_line(
    tmp_path: Path, generated: Path, change: str, expected: str
) -> None:
    store = tmp_path / "store.sqlite"
    assert run("convert", generated, store).exit_code == 0
    with sqlite3.connect(store) as connection:
        connection.execute(change)
    connection.close()
    result = run("--store", store, "export", "--format", "csv")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert expected in result.stderr.splitlines()[0] and str(store) in result.stderr


def test_a_reader_opened_before_the_store_learnt_its_dictionary_reads_what_it_packs(
    tmp_path: Path,
) -> None:
    """A store too small for a dictionary, opened by a reader; another
    process then imports enough rows for the store to learn one: the reader's
    next question reads the new texts, packed with it."""
    import json
    import os
    import subprocess
    import sys

    from incidents.index.sqlite_store import open_sqlite_store

    store = tmp_path / "store.sqlite"
    assert run("convert", SEED_STORE, store).exit_code == 0
    assert frames(store) == (0, 16)
    reader = open_sqlite_store(store)
    export = tmp_path / "gtd.csv"
    bench_generator().write_gtd_csv(1200, export)
    command = [
        sys.executable,
        "-m",
        "incidents",
        "--store",
        str(store),
        "import",
        "gtd",
        str(export),
    ]
    subprocess.run(command, check=True, capture_output=True, env=dict(os.environ))
    assert frames(store)[0] > 0  # learnt since the reader looked
    texts = [text for (text,) in reader.connection.execute("SELECT json FROM details")]
    reader.connection.close()
    assert len(texts) == 1208
    assert {json.loads(text)["id"] for text in texts[8:]} == {
        f"gtd-{row['eventid']}" for row in csv.DictReader(export.open(encoding="utf-8"))
    }
