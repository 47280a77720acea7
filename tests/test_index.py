"""The SQLite query index: the one in the cache answers exactly as the one
--no-index builds in memory, stays fresh, is rebuilt rather than trusted,
and serves sqlite stores."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incidents.cli import cli
from incidents.index import index_path_for, write_sqlite_store
from incidents.model import Incident
from incidents.store import load_store

from .conftest import REPO_ROOT, SEED_STORE, incident_data


def _generator() -> Any:  # the benchmark's own store generator
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "generated.json"
    _generator().write_store(600, path)
    return path


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def both_ways(store: Path, *args: str) -> str:
    """The output with the index and without it, which must be the same."""
    indexed = invoke("--store", store, *args)
    in_memory = invoke("--store", store, "--no-index", *args)
    assert indexed == in_memory, args
    assert indexed[0] == 0, indexed
    return indexed[1]


FILTERS = [
    [],
    ["--target-type", "embassy"],
    ["--target-type", "mosque", "--target-type", "school"],
    ["--attack-type", "bombing"],
    ["--weapon", "firearms"],
    ["--location", "Mazar-e Sharif"],
    ["--location", "kunduz", "--location", "iraq"],
    ["--location", "aipac"],
    ["--location", "pakistani embassy"],
    ["--location", "Kandahar"],
    ["--perpetrator", "isis-k"],
    ["--perpetrator", "unknown"],
    ["--perpetrator", "taliban"],
    ["--text", "hussainiya"],
    ["--text", "cleric", "--text", "market kabul"],
    ["--text", "synth"],
    ["--min-killed", "10"],
    ["--since", "2022-09-10"],
    ["--since", "2022-09-10", "--strict-dates"],
    ["--until", "1990"],
    ["--on", "2022-09", "--on", "1985"],
    ["--since", "2000", "--until", "June 2010", "--target-type", "police"],
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(f) or "no filter")
def test_every_filter_answers_the_same_both_ways(filters, generated):
    for store in (SEED_STORE, generated):
        both_ways(store, "list", *filters)
        both_ways(store, "list", "--sort", "killed", "--limit", "7", "--format", "csv", *filters)
        both_ways(store, "list", "--sort", "wounded", "--format", "ndjson", *filters)
        both_ways(store, "export", "--format", "json", *filters)
        both_ways(store, "total", "--format", "json", *filters)


@pytest.mark.parametrize(
    "by",
    ["target-type", "attack-type", "perpetrator", "country", "province", "city", "year", "month"],
)
def test_every_grouping_answers_the_same_both_ways(by, generated):
    for store in (SEED_STORE, generated):
        both_ways(store, "total", "--by", by)
        both_ways(store, "total", "--by", by, "--format", "csv", "--since", "2001")


def test_tables_at_both_widths_and_the_other_commands(generated, monkeypatch):
    for columns in ("80", "160"):
        monkeypatch.setenv("COLUMNS", columns)
        for layout in ("table", "tsv"):
            both_ways(generated, "list", "--format", layout, "--sort", "killed", "--limit", "30")
        both_ways(generated, "timeline", "--by", "year")
    assert both_ways(generated, "show", "syn-0000042") == both_ways(
        generated, "show", "SYN-0000042"
    )
    both_ways(generated, "export", "--format", "markdown", "--location", "iraq")
    collection = json.loads(both_ways(SEED_STORE, "export", "--format", "geojson"))
    assert len(collection["features"]) == 8
    code, _, err = invoke("--store", generated, "show", "syn-00000042x")
    assert code == 1
    assert err.startswith("Error: no incident has the id 'syn-00000042x'. Did you mean: syn-")
    # A beginning that several ids share lists them, both ways alike.
    ambiguous = invoke("--store", generated, "show", "syn-000004")
    assert ambiguous == invoke("--store", generated, "--no-index", "show", "syn-000004")
    assert ambiguous[0] == 2
    assert "'syn-000004' is the beginning of several ids: syn-0000040, syn-0000041" in ambiguous[2]


def test_the_index_lives_in_the_cache_and_follows_the_store(write_store, tmp_path):
    store = write_store([incident_data(id="first")])
    assert "1 incident." in invoke("--store", store, "list")[2]
    index = index_path_for(store)
    assert index.is_file()
    assert index.parent == tmp_path / "cache" / "incidents"

    # The same content with a new time is not rebuilt ...
    built = index.stat().st_ino
    os.utime(store, (1, 1))
    assert "1 incident." in invoke("--store", store, "list")[2]
    assert index.stat().st_ino == built

    # ... a change is.
    write_store([incident_data(id="first"), incident_data(id="second", date="2022-03")])
    code, out, err = invoke("--store", store, "list")
    assert code == 0
    assert "2 incidents." in err
    assert "second" in out


def test_a_corrupt_or_foreign_index_is_rebuilt_never_trusted(write_store):
    store = write_store([incident_data(id="kept")])
    invoke("--store", store, "list")
    index = index_path_for(store)
    index.write_bytes(b"this is not a database" * 100)
    assert "kept" in invoke("--store", store, "list")[1]

    connection = sqlite3.connect(index)
    connection.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    connection.execute("DELETE FROM facts")
    connection.commit()
    connection.close()
    assert "kept" in invoke("--store", store, "list")[1]


def test_a_bad_store_is_reported_alike_with_or_without_the_index(write_store):
    for data, message in [
        ([incident_data(killed="sixteen")], "killed: expected a whole number"),
        ([incident_data(id="b", date="2030")], "(id 'b'), date: 2030 is in the future"),
        ([incident_data(id="c"), incident_data(id="c", date="2021")], "duplicate id"),
    ]:
        store = write_store(data)
        indexed = invoke("--store", store, "total")
        assert indexed == invoke("--store", store, "--no-index", "total")
        assert indexed[0] == 1
        assert message in indexed[2]


def test_a_store_in_another_layout_is_read_the_general_way(write_store, tmp_path):
    data = load_store(SEED_STORE).model_dump(mode="json", by_alias=True, exclude_defaults=True)
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    assert both_ways(compact, "total", "--by", "city") == both_ways(
        SEED_STORE, "total", "--by", "city"
    )
    # Four-space indentation inside an incident looks like the separator
    # between incidents; the index must not be fooled.
    tricky = tmp_path / "tricky.json"
    text = json.dumps({"incidents": [incident_data(id="a"), incident_data(id="b")]}, indent=4)
    tricky.write_text(text, encoding="utf-8")
    assert both_ways(tricky, "list").splitlines()[1:] == [
        "a\t2022-01-15\tAfghanistan\tKabul\t\tReligious Figures/Institutions\tBombing/Explosion"
        "\tIslamic State Khorasan Province\t3\t5",
        "b\t2022-01-15\tAfghanistan\tKabul\t\tReligious Figures/Institutions\tBombing/Explosion"
        "\tIslamic State Khorasan Province\t3\t5",
    ]


def test_a_sqlite_store_answers_every_reading_command(tmp_path):
    seed = load_store(SEED_STORE).incidents
    database = tmp_path / "attacks.sqlite"
    assert write_sqlite_store(database, seed) == 8
    for args in (["list"], ["total", "--by", "month"], ["show", "2022-12-02-kabul"], ["timeline"]):
        assert invoke("--store", database, *args) == invoke("--store", SEED_STORE, *args)
    # Turned back into JSON, it is the store it came from (in date order, as listed).
    code, out, _ = invoke("--store", database, "export", "--format", "json")
    assert code == 0
    assert sorted(load_store_text(out), key=lambda i: i.id) == sorted(seed, key=lambda i: i.id)
    assert invoke("--store", database, "--no-index", "total") == invoke(
        "--store", SEED_STORE, "total"
    )


def load_store_text(text: str) -> list[Incident]:
    from incidents.store import parse_store

    return parse_store(text, "export").incidents


def test_a_file_that_is_no_sqlite_store_is_a_clean_error(tmp_path):
    fake = tmp_path / "fake.sqlite"
    fake.write_text("hello")
    code, _, err = invoke("--store", fake, "list")
    assert code == 1
    assert "not an incidents sqlite store" in err
    assert "Traceback" not in err


def test_an_unwritable_cache_falls_back_to_memory(write_store, tmp_path):
    store = write_store([incident_data(id="still-answered")])
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory should be")
    code, out, err = invoke("--store", store, "list", env={"XDG_CACHE_HOME": str(blocked)})
    assert code == 0
    assert "still-answered" in out
    assert err.startswith("Note: cannot write the query index")


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list", "--help"], ["total", "-h"], ["stats", "-h"], ["completion", "bash"]],
)
def test_help_loads_neither_the_model_nor_the_store(args):
    finished = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "incidents", "--store", "/nonexistent", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0
    imported = finished.stderr
    for heavy in ("pydantic", "incidents.model", "incidents.index", "sqlite3", "rich"):
        assert f" {heavy}\n" not in imported, heavy


FIXTURES = REPO_ROOT / "tests" / "fixtures"


def test_import_into_a_sqlite_store_answers_as_a_json_store_does(tmp_path):
    database, document = tmp_path / "big.sqlite", tmp_path / "big.json"
    for store in (database, document):
        for dataset in ("gtd", "acled", "ucdp"):
            code, _, err = invoke("--store", store, "import", dataset, FIXTURES / f"{dataset}.csv")
            assert code == 0, err
    for args in (["total", "--by", "year"], ["list", "--sort", "killed"], ["export"]):
        assert invoke("--store", database, *args) == invoke("--store", document, *args)
    exported = invoke("--store", database, "export", "--format", "json")[1]
    assert exported == invoke("--store", document, "export", "--format", "json")[1]
    by_id = sorted(load_store_text(exported), key=lambda i: i.id)
    assert by_id == sorted(load_store_text(document.read_text()), key=lambda i: i.id)

    # The same file again changes nothing; a dry run writes nothing.
    before = database.read_bytes()
    code, _, err = invoke("--store", database, "import", "gtd", FIXTURES / "gtd.csv")
    assert code == 0
    assert "added 0, updated 0, 24 unchanged" in err
    invoke("--store", database, "import", "gtd", FIXTURES / "gtd.csv", "--dry-run")
    assert invoke("--store", database, "total") == invoke("--store", document, "total")
    assert len(before) == len(database.read_bytes())


def test_an_import_into_a_sqlite_store_that_fails_leaves_it_as_it_was(tmp_path):
    database = tmp_path / "kept.sqlite"
    invoke("--store", database, "import", "gtd", FIXTURES / "gtd.csv")
    before = invoke("--store", database, "export", "--format", "json")
    broken = tmp_path / "broken.csv"
    lines = (FIXTURES / "ucdp.csv").read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0], *lines[1:], lines[1].replace(",", ",x", 3)]) + "\n")
    code, _, err = invoke("--store", database, "import", "ucdp", broken, "--strict")
    assert code == 1, err
    assert invoke("--store", database, "export", "--format", "json") == before


def test_indexes_of_stores_that_are_gone_are_removed_from_the_cache(write_store):
    gone = write_store([incident_data(id="gone")], name="gone.json")
    invoke("--store", gone, "list")
    assert index_path_for(gone).exists()
    gone.unlink()
    kept = write_store([incident_data(id="kept")], name="kept.json")
    invoke("--store", kept, "list")
    assert not index_path_for(gone).exists()
    assert index_path_for(kept).exists()


def test_where_names_the_store_and_its_index(write_store):
    store = write_store([incident_data()])
    code, out, err = invoke("--store", store, "where")
    assert (code, out) == (0, f"{store}\n")
    assert f"Its query index: {index_path_for(store)}" in err
