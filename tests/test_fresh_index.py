"""The query index never answers for a store it no longer describes: not after
a write that lands while it is built, not after a file swapped in with forged
times; and the writers keep it up to date, so that the next question is
answered without rebuilding it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incidents.cli import cli
from incidents.index import index_path_for
from incidents.index.build import memory_index

from .conftest import REPO_ROOT, incident_data

FIXTURES = REPO_ROOT / "tests" / "fixtures"
ADD = ["add", "--force", "--date", "2022-03-01", "--country", "Afghanistan", "--city", "Kabul"]
ADD += ["--attack-type", "bombing", "--target-type", "police", "--target", "A checkpoint"]
ADD += ["--summary", "A bomb at a checkpoint.", "--source", "Test Wire", "--id", "2022-03-kabul"]


def invoke(store: Path, *args: str | Path) -> tuple[int, str, str]:
    argv = ["--store", str(store), *(str(a) for a in args)]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ids(store: Path, *args: str) -> list[str]:
    code, out, err = invoke(store, "list", "--format", "csv", *args)
    assert code == 0, err
    return [line.split(",")[0] for line in out.splitlines()[1:]]


def summaries(store: Path) -> list[str]:
    code, out, err = invoke(store, "export", "--format", "json")
    assert code == 0, err
    return [incident["summary"] for incident in json.loads(out)["incidents"]]


# --- a write that lands while the index is built -----------------------------------

# Runs the command line, pausing once the store has been read: it says "read"
# on one pipe and waits for a byte on the other.
PAUSED_AFTER_READING = """
import os, sys
from incidents import store
from incidents.cli import main

ready, go = int(sys.argv[1]), int(sys.argv[2])
read_bytes = store.read_bytes

def read_then_wait(path):
    data = read_bytes(path)
    store.read_bytes = read_bytes
    os.write(ready, b"read")
    os.read(go, 1)
    return data

store.read_bytes = read_then_wait
sys.argv = ["incidents", *sys.argv[3:]]
main()
"""


def test_a_write_landing_while_the_index_is_built_is_not_lost(write_store):
    store = write_store([incident_data(id="before")])
    question = ["--store", str(store), "list", "--format", "csv"]
    ready_out, ready_in = os.pipe()
    go_out, go_in = os.pipe()
    reader = subprocess.Popen(
        [sys.executable, "-c", PAUSED_AFTER_READING, str(ready_in), str(go_out), *question],
        pass_fds=(ready_in, go_out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(ready_in)
    os.close(go_out)
    try:
        assert os.read(ready_out, 4) == b"read"
        # Another process writes the store while the first one builds its index.
        writer = subprocess.run(
            [sys.executable, "-m", "incidents", "--store", str(store), *ADD],
            capture_output=True,
            text=True,
            check=False,
        )
        assert writer.returncode == 0, writer.stderr
    finally:
        os.write(go_in, b"g")
        out, err = reader.communicate(timeout=60)
        os.close(ready_out)
        os.close(go_in)
    assert reader.returncode == 0, err
    # The build saw the store change under it and read it again...
    assert "2022-03-kabul" in out
    # ...and the index it left describes the store as it is.
    assert ids(store) == ["before", "2022-03-kabul"]


# --- a store swapped in with forged times --------------------------------------------


def _same_size_store(
    write_store: Callable[..., Path], summary: str, name: str = "store.json"
) -> Path:
    return write_store([incident_data(id="only", summary=summary)], name=name)


def _indexed_store(write_store: Callable[..., Path]) -> Path:
    store = _same_size_store(write_store, "The first text.")
    assert summaries(store) == ["The first text."]  # its index is built
    return store


def _rewrite_in_place_with_forged_times(store: Path) -> None:
    before = os.stat(store)
    text = store.read_bytes().replace(b"The first text.", b"The other text.")
    with open(store, "r+b") as stream:  # the same file, the same size
        stream.write(text)
    os.utime(store, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_store_swapped_in_with_the_same_size_and_times_is_noticed(write_store):
    store = _indexed_store(write_store)
    before = os.stat(store)
    swapped = _same_size_store(write_store, "The other text.", name="swapped.json")
    assert swapped.stat().st_size == before.st_size
    os.utime(swapped, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
    os.replace(swapped, store)
    assert summaries(store) == ["The other text."]


def test_a_store_rewritten_in_place_with_forged_times_is_noticed(write_store):
    store = _indexed_store(write_store)
    _rewrite_in_place_with_forged_times(store)
    assert summaries(store) == ["The other text."]


def test_a_change_within_one_tick_of_the_clock_is_caught_by_the_hash(write_store):
    store = _indexed_store(write_store)
    _rewrite_in_place_with_forged_times(store)
    # As if the filesystem's clock had not ticked since the index was built:
    # every time it recorded is still the file's.
    now = os.stat(store)
    with sqlite3.connect(index_path_for(store)) as index:
        index.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [
                ("device", str(now.st_dev)),
                ("inode", str(now.st_ino)),
                ("size", str(now.st_size)),
                ("mtime_ns", str(now.st_mtime_ns)),
                ("ctime_ns", str(now.st_ctime_ns)),
                ("checked_ns", str(now.st_ctime_ns)),
            ],
        )
    index.close()
    assert summaries(store) == ["The other text."]


# --- the writers keep the index up to date ---------------------------------------------


def index_content(connection: sqlite3.Connection) -> dict[str, Any]:
    """Everything an index holds about the incidents, by their order rather than
    their positions (a removal leaves a gap that a build does not)."""
    facts = connection.execute("SELECT * FROM facts ORDER BY pos").fetchall()
    order = {row[0]: number for number, row in enumerate(facts)}

    def by_order(query: str) -> list[tuple[Any, ...]]:
        return sorted((order[row[0]], *row[1:]) for row in connection.execute(query))

    words = ["bomb", "mosque", "checkpoint", "hussainiya", "kabul", "school"]
    return {
        "facts": [row[1:] for row in facts],
        "texts": [row[1] for row in by_order("SELECT pos, json FROM details")],
        "aliases": by_order("SELECT pos, key FROM aliases"),
        "sites": by_order("SELECT pos, site FROM sites"),
        "found": {
            word: sorted(
                order[row[0]]
                for row in connection.execute(
                    "SELECT rowid FROM search WHERE search MATCH ?", (f'"{word}"*',)
                )
            )
            for word in words
        },
        "count": connection.execute("SELECT value FROM meta WHERE key = 'count'").fetchone(),
    }


def assert_index_is_as_built(store: Path) -> None:
    from incidents.index.queries import ensure_search

    kept = sqlite3.connect(index_path_for(store))
    built = memory_index(store)
    ensure_search(built)
    try:
        assert index_content(kept) == index_content(built)
    finally:
        kept.close()
        built.close()


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (ADD, "2022-03-kabul"),
        (["edit", "2022-09-herat", "--set", "summary=A bomb in a Kabul school."], "2022-09-herat"),
        (["remove", "2022-09-herat", "--yes"], None),
        (["import", "gtd", FIXTURES / "gtd.csv"], "gtd-201500000003"),
    ],
    ids=["add", "edit", "remove", "import"],
)
def test_a_writer_updates_the_index_so_the_next_question_is_answered_at_once(
    seed_copy, change, found
):
    invoke(seed_copy, "list", "--text", "bomb")  # the index, and its full-text table
    index = index_path_for(seed_copy)
    built = index.stat().st_ino
    code, _, err = invoke(seed_copy, *change)
    assert code == 0, err
    assert index.stat().st_ino == built  # updated in place, not removed
    assert_index_is_as_built(seed_copy)
    listed = ids(seed_copy)
    assert index.stat().st_ino == built  # and the next question did not rebuild it
    assert (found in listed) if found else ("2022-09-herat" not in listed)


def test_an_index_that_cannot_be_updated_is_removed_by_the_writer(seed_copy):
    invoke(seed_copy, "list")
    index = index_path_for(seed_copy)
    with sqlite3.connect(index) as connection:
        connection.execute("DROP TABLE sites")
    connection.close()
    code, _, err = invoke(seed_copy, *ADD)
    assert code == 0, err
    assert not index.exists()
    assert "2022-03-kabul" in ids(seed_copy)
