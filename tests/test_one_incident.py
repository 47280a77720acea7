"""add, edit and remove through the store's index: the store written is byte
for byte what writing the whole store gives, only the incident's bytes
change, and what is refused is refused with the same words, as when the
store is read, validated and written whole (no index can be kept)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.cli import cli
from incidents.store import dump_store, load_store

from .conftest import SEED_STORE, bench_generator

ADD = ["add", "--date", "2019-03-02", "--country", "Iraq", "--city", "Mosul"]
ADD += ["--attack-type", "bombing", "--target-type", "police", "--target", "A checkpoint"]
ADD += ["--summary", "A bomb at a checkpoint.", "--source", "Test Wire", "--yes"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "generated.json"
    bench_generator().write_store(300, path)
    return path


def run_both_ways(source: Path, tmp_path: Path, *args: str) -> list[tuple[int, str, bytes]]:
    """The command on two copies of the store: through its index, and with no
    index to be had (the cache is a file), which reads the store whole."""
    outcomes = []
    for way in ("indexed", "whole"):
        directory = tmp_path / way
        directory.mkdir()
        store = directory / source.name
        shutil.copyfile(source, store)
        if way == "whole":
            (tmp_path / "not-a-directory").write_text("")
            env = {"XDG_CACHE_HOME": str(tmp_path / "not-a-directory")}
        else:
            env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
        argv = ["--store", str(store), *args]
        result = CliRunner().invoke(cli, argv, env=env, catch_exceptions=False)
        shown = (result.stdout + result.stderr).replace(str(directory), "DIR")
        outcomes.append((result.exit_code, shown, store.read_bytes()))
    assert outcomes[0] == outcomes[1]
    return outcomes


# Each change, and its exit code: what is refused is refused with the same words.
CHANGES = {
    "add": (ADD, 0),
    "add with an id": ([*ADD, "--id", "my-own-id"], 0),
    "edit": (
        ["edit", "syn-0000007", "--set", "killed=at least 4", "--set", "location.city=Tal Afar"],
        0,
    ),
    "edit, nothing new": (["edit", "syn-0000007", "--set", "perpetrator.attribution=claimed"], 0),
    "edit the id": (["edit", "syn-0000007", "--set", "id=renamed"], 0),
    "edit the first": (["edit", "syn-0000000", "--set", "summary=The first."], 0),
    "edit the last": (["edit", "syn-0000299", "--set", "summary=The last."], 0),
    "remove": (["remove", "syn-0000150", "--yes"], 0),
    "remove the first": (["remove", "syn-0000000", "--yes"], 0),
    "remove the last": (["remove", "syn-0000299", "--yes"], 0),
    "dry run": (["edit", "syn-0000007", "--set", "killed=4", "--dry-run"], 0),
    "dry run of an add": ([*ADD, "--dry-run"], 0),
    "a figure of the model's refusing": (["edit", "syn-0000007", "--set", "killed=3-1"], 2),
    "a best outside its range": (
        ["edit", "syn-0000007", "--set", "location.coordinates.lat=95"],
        1,
    ),
    "an id taken, before": (["edit", "syn-0000009", "--set", "id=syn-0000004"], 1),
    "an id taken, after": (["edit", "syn-0000004", "--set", "id=syn-0000009"], 1),
    "an id taken by an add": ([*ADD, "--id", "syn-0000100"], 1),
    "a date in the future": (["edit", "syn-0000007", "--set", "date=2999"], 1),
    "a claim before the attack": (["edit", "syn-0000007", "--set", "claim.date=1960"], 1),
    "an unknown id": (["edit", "syn-000007", "--set", "killed=4"], 1),
}


@pytest.mark.parametrize(("change", "code"), list(CHANGES.values()), ids=list(CHANGES))
def test_a_change_through_the_index_is_the_change_of_the_whole_store(
    generated: Path, tmp_path: Path, change: list[str], code: int
) -> None:
    (exit_code, shown, _), _ = run_both_ways(generated, tmp_path, *change)
    assert exit_code == code, shown


def test_a_likely_twin_is_found_as_among_every_incident(generated: Path, tmp_path: Path) -> None:
    stored = load_store(generated).incidents[120]
    twin = ["add", "--date", str(stored.date), "--country", stored.location.country]
    twin += ["--attack-type", "bombing", "--target-type", stored.target_type.value]
    twin += ["--target", "A checkpoint", "--summary", "A bomb.", "--source", "Test Wire"]
    (code, shown, _), _ = run_both_ways(generated, tmp_path, *twin)
    assert code == 1
    assert "this looks like 'syn-" in shown


def test_only_the_incidents_bytes_change_and_the_store_is_as_this_tool_writes_it(
    generated: Path, tmp_path: Path
) -> None:
    (code, _, after), _ = run_both_ways(generated, tmp_path, *CHANGES["edit"][0])
    assert code == 0
    before = generated.read_bytes()
    start = before.index(b'"id": "syn-0000007"')
    end = before.index(b'"id": "syn-0000008"')
    assert after[:start] == before[:start]
    assert after[-(len(before) - end) :] == before[end:]
    written = tmp_path / "indexed" / generated.name
    assert after.decode("utf-8") == dump_store(load_store(written))


def test_a_store_written_otherwise_is_written_as_this_tool_writes_it(
    tmp_path: Path,
) -> None:
    data = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    written_otherwise = tmp_path / "otherwise.json"
    text = json.dumps(data, indent=4, ensure_ascii=True)  # indented otherwise, letters escaped
    written_otherwise.write_text(text, encoding="utf-8")
    outcome = run_both_ways(written_otherwise, tmp_path, *ADD)
    assert outcome[0][0] == 0
    own_layout = tmp_path / "own.json"
    # this tool's layout, but one incident with an escaped letter and one with a default
    own = SEED_STORE.read_text(encoding="utf-8").replace("Mazar-e", "Mazar-\\u0065", 1)
    own_layout.write_text(own.replace('"claim": {', '"end_date": null,\n      "claim": {', 1))
    (tmp_path / "indexed").rename(tmp_path / "first-indexed")
    (tmp_path / "whole").rename(tmp_path / "first-whole")
    assert run_both_ways(own_layout, tmp_path, "edit", "2022-12-02-kabul", "--set", "killed=1")


def test_the_last_incident_removed_and_one_added_to_an_empty_store(tmp_path: Path) -> None:
    one = {"incidents": [json.loads(SEED_STORE.read_text(encoding="utf-8"))["incidents"][0]]}
    store = tmp_path / "one.json"
    store.write_text(json.dumps(one))
    first_id = one["incidents"][0]["id"]
    (code, _, empty), _ = run_both_ways(store, tmp_path, "remove", first_id, "--yes")
    assert code == 0
    assert empty == b'{\n  "incidents": []\n}\n'
    store.write_bytes(empty)
    (tmp_path / "indexed").rename(tmp_path / "first-indexed")
    (tmp_path / "whole").rename(tmp_path / "first-whole")
    (code, _, added), _ = run_both_ways(store, tmp_path, *ADD)
    assert code == 0
    assert added.count(b'"id": ') == 1


def test_a_write_and_the_question_after_it_read_no_store_whole(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents import store as store_module
    from incidents.index import state

    store = tmp_path / "store.json"
    shutil.copyfile(generated, store)
    runner = CliRunner()
    # Its index, and a first write: the index of a store just copied is not
    # trusted without reading the store (its times are too recent to tell).
    first = ["--store", str(store), "edit", "syn-0000001", "--set", "killed=1"]
    assert runner.invoke(cli, first).exit_code == 0

    def whole(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the store was read whole")

    for module, name in [
        (store_module, "read_bytes"),
        (store_module, "read_text"),
        (state, "read_descriptor"),
        (state, "content_hash"),
    ]:
        monkeypatch.setattr(module, name, whole)
    for change in (ADD, CHANGES["edit"][0], CHANGES["remove"][0], ["total"]):
        result = runner.invoke(cli, ["--store", str(store), *change], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    monkeypatch.undo()
    assert store.read_text(encoding="utf-8") == dump_store(load_store(store))


@pytest.mark.parametrize(
    "by", ["target-type", "weapon", "perpetrator", "country", "city", "year", "dataset"]
)
def test_the_total_of_groups_is_the_total_asked_alone(
    generated: Path, tmp_path: Path, by: str
) -> None:
    import json as json_module

    store = tmp_path / "store.json"
    shutil.copyfile(generated, store)
    # A decimal best estimate (GTD shares a toll among linked attacks) and an
    # unbounded figure among the incidents.
    edits = ["--set", "killed=3-30", "--set", "wounded=at least 2"]
    assert CliRunner().invoke(cli, ["--store", str(store), "edit", "syn-0000003", *edits])
    data = store.read_text().replace(
        '"killed": {\n        "min": 3,', '"killed": {\n        "min": 3,\n        "best": 19.8,', 1
    )
    store.write_text(data)
    for filters in ([], ["--since", "2000"], ["--location", "Iraq"]):
        grouped = CliRunner().invoke(
            cli, ["--store", str(store), "total", "--by", by, "-f", "json", *filters]
        )
        alone = CliRunner().invoke(cli, ["--store", str(store), "total", "-f", "json", *filters])
        assert grouped.exit_code == alone.exit_code == 0, grouped.stderr
        assert (
            json_module.loads(grouped.stdout)["total"] == json_module.loads(alone.stdout)["total"]
        )


LINKED = {
    "records": ["2022-09-05-kabul", "2022-09-herat"],
    "status": "confirmed",
    "score": 0.93,
    "evidence": "same day",
}


@pytest.mark.parametrize("layout", ["as this tool writes it", "written otherwise"])
@pytest.mark.parametrize(
    "change",
    [
        ADD,
        ["edit", "2022-09-05-kabul", "--set", "killed=9"],
        ["edit", "2022-09-05-kabul", "--set", "id=renamed"],
        ["remove", "2022-09-herat", "--yes"],
    ],
    ids=["add", "edit", "rename", "remove"],
)
def test_a_store_with_links_is_changed_as_the_whole_store_is(
    tmp_path: Path, layout: str, change: list[str]
) -> None:
    document = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    document["links"] = [LINKED]
    store = tmp_path / "linked.json"
    written_otherwise = layout == "written otherwise"
    store.write_text(json.dumps(document, indent=4 if written_otherwise else 2) + "\n")
    (code, _, after), _ = run_both_ways(store, tmp_path, *change)
    assert code == 0
    assert json.loads(after)["links"][0]["status"] == "confirmed"
