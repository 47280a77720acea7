"""Finding, reading and writing the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.files import atomic_writer
from incidents.store import (
    StoreError,
    bundled_store,
    dump_store,
    load_store,
    locate_store,
)

from .conftest import incident_data


class TestResolutionOrder:
    def test_option_wins(self, tmp_path):
        (tmp_path / "incidents.json").write_text("{}")
        found = locate_store("given.json", {"INCIDENTS_STORE": "env.json"}, tmp_path)
        assert found.path == Path("given.json")

    def test_then_the_environment(self, tmp_path):
        (tmp_path / "incidents.json").write_text("{}")
        found = locate_store(None, {"INCIDENTS_STORE": "env.json"}, tmp_path)
        assert found.path == Path("env.json")

    def test_then_the_current_directory(self, tmp_path):
        (tmp_path / "incidents.json").write_text("{}")
        found = locate_store(None, {}, tmp_path)
        assert found.path == tmp_path / "incidents.json"

    def test_then_the_bundled_copy(self, tmp_path):
        found = locate_store(None, {}, tmp_path)
        assert found.path == bundled_store()
        assert len(load_store(found.path).incidents) == 8

    def test_an_empty_environment_variable_is_ignored(self, tmp_path):
        assert locate_store(None, {"INCIDENTS_STORE": ""}, tmp_path).path == bundled_store()


def problems_of(path: Path) -> list[str]:
    with pytest.raises(StoreError) as caught:
        load_store(path)
    return [str(p) for p in caught.value.problems]


def test_json_syntax_error_names_line_and_column(write_store):
    path = write_store('{"incidents": [\n  {"id": "x",}\n]}')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:2:")
    assert "not valid JSON" in problem


def test_every_model_problem_is_reported_with_incident_and_field(write_store):
    path = write_store(
        [
            incident_data(id="a", killed="sixteen"),
            incident_data(id="b", date="2022-02-30", wounded=-1),
            incident_data(id="c", target_type="Embassy", colour="red"),
        ]
    )
    problems = problems_of(path)
    assert len(problems) == 5
    text = "\n".join(problems)
    assert f"{path}: incidents[0] (id 'a'), killed: expected a whole number" in text
    assert f"{path}: incidents[1] (id 'b'), date: day 30 does not exist in 2022-02" in text
    negative = "wounded: input should be greater than or equal to 0, got -1"
    assert f"{path}: incidents[1] (id 'b'), {negative}" in text
    assert f"{path}: incidents[2] (id 'c'), target_type: 'Embassy' is not one of:" in text
    assert f"{path}: incidents[2] (id 'c'), colour: unknown field" in text


def test_missing_required_field_and_wrong_top_level(write_store):
    data = incident_data()
    del data["sources"]
    assert problems_of(write_store([data]))[0].endswith("sources: missing (this field is required)")
    assert problems_of(write_store("[]", name="list.json"))[0].endswith(
        'list.json: expected an object {"incidents": [...]}, got a list'
    )
    assert problems_of(write_store("{}"))[0].endswith("incidents: missing (this field is required)")


def test_unreadable_files_are_store_errors(tmp_path):
    assert problems_of(tmp_path / "absent.json") == [f"{tmp_path / 'absent.json'}: no such file"]
    assert "is a directory" in problems_of(tmp_path)[0]
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"incidents": [\n "Mazar\xe9"]}')
    assert problems_of(latin)[0].startswith(f"{latin}:2:8: not UTF-8 text (byte 0xe9)")


def test_a_byte_order_mark_is_accepted(write_store, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"incidents": [incident_data()]}).encode())
    assert len(load_store(path).incidents) == 1


def test_deep_nesting_is_a_clean_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    [problem] = problems_of(path)
    assert "not valid JSON" in problem


def test_dump_keeps_non_ascii_and_a_stable_layout(write_store):
    path = write_store([incident_data(summary="Explosion à Mazār-i-Sharīf")])
    text = dump_store(load_store(path))
    assert "Mazār-i-Sharīf" in text
    assert text.endswith("}\n")
    assert text.startswith('{\n  "incidents": [\n    {\n      "id":')


def test_atomic_writer_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old contents")
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write("half of the new")
        raise RuntimeError("disk on fire")
    assert target.read_text() == "old contents"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_writer_replaces_whole(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with atomic_writer(target) as stream:
        stream.write("new")
    assert target.read_text() == "new"
