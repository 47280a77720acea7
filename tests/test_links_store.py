"""Links between records live in the store: after its incidents, validated by
the model, kept by every writer, read by the index without its slow path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from incidents.index import build as index_build
from incidents.index import open_index
from incidents.model import Store
from incidents.store import dump_store, load_store
from tests.conftest import SEED_STORE, incident_data
from tests.importing import ACLED_CSV, import_into

Run = Callable[..., Result]

LINK: dict[str, Any] = {
    "records": ["2022-09-05-kabul", "acled:AFG12001"],
    "status": "confirmed",
    "score": 0.93,
    "evidence": "same day; 0.4 km apart; both bombings",
}


def store_with_links(path: Path, links: list[dict[str, Any]]) -> Path:
    """The seed store, in this tool's layout, with these links after its incidents."""
    document = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    document["links"] = links
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def links_of(path: Path) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8")).get("links", [])
    return links


def test_links_follow_the_incidents_in_the_layout_of_json_dumps(tmp_path: Path) -> None:
    path = store_with_links(tmp_path / "store.json", [LINK])
    store = load_store(path)
    assert [link.records for link in store.links] == [LINK["records"]]
    assert dump_store(store) == path.read_text(encoding="utf-8")
    assert '\n  ],\n  "links": [\n    {\n      "records": [' in dump_store(store)


def test_a_store_without_links_is_written_as_before() -> None:
    store = load_store(SEED_STORE)
    assert store.links == []
    assert dump_store(store) == SEED_STORE.read_text(encoding="utf-8")
    assert dump_store(Store(incidents=[])) == '{\n  "incidents": []\n}\n'


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ({**LINK, "status": "maybe"}, "'maybe' is not one of"),
        ({**LINK, "records": ["a"]}, "at least 2 items"),
        ({**LINK, "records": ["a", "a"]}, "not 'a' with itself"),
        ({**LINK, "score": 1.5}, "less than or equal to 1"),
        ({**LINK, "why": "x"}, "unknown field"),
    ],
)
def test_a_bad_link_is_named_by_validate(
    run: Run, tmp_path: Path, link: dict[str, Any], message: str
) -> None:
    path = store_with_links(tmp_path / "store.json", [link])
    result = run("validate", path, store=None)
    assert result.exit_code == 1
    assert "links[0]" in result.stdout
    assert message in result.stdout
    listed = run("list", store=path)
    assert listed.exit_code == 1, "every command refuses what validate refuses"
    assert "links[0]" in listed.stderr


def test_two_links_of_the_same_records_are_refused(run: Run, tmp_path: Path) -> None:
    swapped = {**LINK, "records": LINK["records"][::-1], "status": "rejected"}
    path = store_with_links(tmp_path / "store.json", [LINK, swapped])
    result = run("list", store=path)
    assert result.exit_code == 1
    assert "links[0] and links[1] both link '2022-09-05-kabul' and 'acled:AFG12001'" in (
        result.stderr
    )


def test_the_index_reads_a_store_with_links_without_its_slow_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store_with_links(tmp_path / "store.json", [LINK])

    def slow(*args: object) -> None:
        raise AssertionError("the fast path fell back to parsing the whole store")

    monkeypatch.setattr(index_build, "_slow_texts", slow)
    index = open_index(path, tmp_path / "cache")
    assert index.count() == 8
    assert [link.records for link in index.links()] == [LINK["records"]]


def test_an_index_and_memory_give_the_same_links(run: Run, tmp_path: Path) -> None:
    path = store_with_links(tmp_path / "store.json", [LINK])
    index = open_index(path, tmp_path / "cache")
    assert index.links() == load_store(path).links


@pytest.mark.parametrize(
    "command",
    [
        [
            "add",
            "--date",
            "2020-01-05",
            "--country",
            "Iraq",
            "--attack-type",
            "bombing",
            "--target-type",
            "market",
            "--target",
            "Market",
            "--summary",
            "Bomb.",
        ],
        ["edit", "2022-05-kabul", "--set", "killed=15"],
        ["remove", "2022-05-kabul", "--yes"],
    ],
    ids=["add", "edit", "remove"],
)
def test_writers_keep_the_links(run: Run, tmp_path: Path, command: list[str]) -> None:
    path = store_with_links(tmp_path / "incidents.json", [LINK])
    result = run(*command, store=path)
    assert result.exit_code == 0, result.output
    assert links_of(path) == [LINK]


def test_renaming_a_hand_kept_incident_renames_it_in_its_links(run: Run, tmp_path: Path) -> None:
    path = store_with_links(tmp_path / "incidents.json", [LINK])
    result = run("edit", "2022-09-05-kabul", "--set", "id=russian-embassy", store=path)
    assert result.exit_code == 0, result.output
    assert links_of(path)[0]["records"] == ["russian-embassy", "acled:AFG12001"]


def test_an_import_keeps_the_links(run: Run, tmp_path: Path) -> None:
    path = store_with_links(tmp_path / "incidents.json", [LINK])
    import_into(run, path, "acled", ACLED_CSV)
    assert links_of(path) == [LINK]
    assert len(load_store(path).incidents) > 8


def test_links_may_name_records_that_are_not_in_the_store(run: Run, tmp_path: Path) -> None:
    # A decision outlives a record that a newer export dropped, should it come back.
    gone = {**LINK, "records": ["gtd:201001010001", "ucdp:1"]}
    path = store_with_links(tmp_path / "store.json", [gone])
    assert run("validate", path, store=None).exit_code == 0


def test_the_schema_describes_links(run: Run) -> None:
    schema = json.loads(run("schema", store=None).stdout)
    link = schema["$defs"]["Link"]
    assert link["additionalProperties"] is False
    assert schema["$defs"]["LinkStatus"]["enum"] == ["likely", "possible", "confirmed", "rejected"]
    assert schema["properties"]["links"]["items"] == {"$ref": "#/$defs/Link"}
    assert schema["required"] == ["incidents"]


def test_a_link_needs_no_score_nor_evidence(write_store: Callable[..., Path], run: Run) -> None:
    bare = {"records": ["2022-01-15-kabul", "gtd:1"], "status": "rejected"}
    path = write_store("")
    path.write_text(json.dumps({"incidents": [incident_data()], "links": [bare]}), "utf-8")
    assert run("validate", path, store=None).exit_code == 0
    assert load_store(path).links[0].score is None
