"""incidents convert: a JSON store into a .sqlite store and back, byte for
byte; validated first; the new store written whole or not at all."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incidents.cli import cli
from incidents.index import index_path_for

from .conftest import SEED_STORE, bench_generator, changed_by_hand


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def exported(store: Path) -> str:
    """The store's incidents, one per line."""
    result = run("--store", store, "export", "--format", "ndjson")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("source", ["seed", "generated"])
def test_a_json_store_converted_to_sqlite_and_back_is_byte_for_byte_itself(
    tmp_path: Path, source: str
) -> None:
    store = tmp_path / "store.json"
    if source == "seed":
        shutil.copyfile(SEED_STORE, store)  # with its "$schema"
    else:
        bench_generator().write_store(300, store)
    converted = run("convert", store, tmp_path / "store.sqlite")
    assert converted.exit_code == 0, converted.stderr
    count = store.read_text().count('\n      "id": ')
    assert (
        converted.stderr
        == f"Wrote {count:,} incidents of {store} to {tmp_path / 'store.sqlite'}.\n"
    )
    assert exported(tmp_path / "store.sqlite") == exported(store)
    back = run("convert", tmp_path / "store.sqlite", tmp_path / "back.json")
    assert back.exit_code == 0, back.stderr
    assert (tmp_path / "back.json").read_bytes() == store.read_bytes()


def test_a_sqlite_store_converted_to_json_and_back_holds_the_same(tmp_path: Path) -> None:
    sqlite_store = tmp_path / "store.sqlite"
    assert run("convert", SEED_STORE, sqlite_store).exit_code == 0
    assert run("--store", sqlite_store, "remove", "2022-09-herat", "--yes").exit_code == 0
    assert run("convert", sqlite_store, tmp_path / "store.json").exit_code == 0
    assert run("convert", tmp_path / "store.json", tmp_path / "again.db").exit_code == 0
    assert exported(tmp_path / "again.db") == exported(sqlite_store)
    assert "2022-09-herat" not in exported(tmp_path / "store.json")


def test_the_json_store_made_has_its_index_ready(tmp_path: Path) -> None:
    assert run("convert", SEED_STORE, tmp_path / "store.sqlite").exit_code == 0
    store = tmp_path / "store.json"
    assert run("convert", tmp_path / "store.sqlite", store).exit_code == 0
    index = index_path_for(store)
    built = index.stat().st_ino
    assert run("--store", store, "list").exit_code == 0
    assert index.stat().st_ino == built


def test_a_sqlite_store_that_is_not_valid_is_not_converted(tmp_path: Path) -> None:
    sqlite_store = tmp_path / "store.sqlite"
    assert run("convert", SEED_STORE, sqlite_store).exit_code == 0
    with changed_by_hand(sqlite_store) as connection:  # changed by another tool
        connection.execute("UPDATE details SET json = json_set(json, '$.killed', -4) WHERE pos = 2")
    result = run("convert", sqlite_store, tmp_path / "store.json")
    assert result.exit_code == 1
    assert f"{sqlite_store}: incidents[2] (id '2022-05-kabul'), killed: " in result.stderr
    assert "Nothing was written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["store.sqlite"]


def test_a_sqlite_store_of_an_older_schema_is_converted(tmp_path: Path) -> None:
    sqlite_store = tmp_path / "old.sqlite"
    assert run("convert", SEED_STORE, sqlite_store).exit_code == 0
    with sqlite3.connect(sqlite_store) as connection:
        connection.execute("UPDATE meta SET value = '7' WHERE key = 'schema'")
    connection.close()
    refused = run("--store", sqlite_store, "list")
    assert refused.exit_code == 1
    assert f"`incidents convert {sqlite_store} NEW.json`" in refused.stderr
    assert run("convert", sqlite_store, tmp_path / "new.json").exit_code == 0
    assert (tmp_path / "new.json").read_bytes() == SEED_STORE.read_bytes()


@pytest.mark.parametrize(
    ("old", "new", "code", "said"),
    [
        ("a.json", "b.json", 2, "are both JSON stores by their endings"),
        (
            "a.json",
            "b.txt",
            2,
            "both JSON stores by their endings (.sqlite, .sqlite3 and .db mark a sqlite "
            "store, any other a JSON store)",
        ),
        ("a.sqlite", "b.db", 2, "are both sqlite stores by their endings"),
        ("seed", "taken.sqlite", 1, "taken.sqlite: already exists"),
        ("missing.json", "b.sqlite", 1, "missing.json: no such file"),
    ],
)
def test_what_convert_refuses(tmp_path: Path, old: str, new: str, code: int, said: str) -> None:
    (tmp_path / "taken.sqlite").write_text("mine")
    source = SEED_STORE if old == "seed" else tmp_path / old
    result = run("convert", source, tmp_path / new)
    assert result.exit_code == code
    assert said in result.stderr
    assert (tmp_path / "taken.sqlite").read_text() == "mine"


def test_links_go_both_ways(tmp_path: Path) -> None:
    import json

    document = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    document["links"] = [
        {"records": ["2022-09-05-kabul", "2022-09-30-kabul"], "status": "likely", "score": 0.8}
    ]
    store = tmp_path / "linked.json"
    store.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run("convert", store, tmp_path / "linked.sqlite").exit_code == 0
    assert run("convert", tmp_path / "linked.sqlite", tmp_path / "back.json").exit_code == 0
    assert (tmp_path / "back.json").read_bytes() == store.read_bytes()
