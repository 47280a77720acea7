"""Whatever the store holds and whatever the options say: success or a clean error."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from incidents.cli import cli
from incidents.editing import CLEARABLE
from incidents.editing import FIELDS as EDITABLE
from tests.conftest import SEED_STORE, incident_data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

FIELDS = list(incident_data())


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """Anything at all, or a store whose incidents have one field replaced by anything."""
    if draw(st.booleans()):
        return draw(json_values)
    incidents = []
    for _ in range(draw(st.integers(0, 3))):
        incident = incident_data()
        incident[draw(st.sampled_from([*FIELDS, "unknown_field"]))] = draw(json_values)
        incidents.append(incident)
    return {"incidents": incidents}


def invoke(args: list[str]) -> int:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    event(f"{args[2] if args[0] == '--store' else args[0]} exit {result.exit_code}")
    return result.exit_code


@settings(max_examples=150, deadline=None)
@given(documents())
def test_any_json_document_is_read_or_refused_cleanly(document: Any) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        validated = invoke(["validate", str(path)])
        assert validated in (0, 1)
        assert invoke(["--store", str(path), "list", "--format", "csv"]) == validated


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_cleanly(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.json"
        path.write_bytes(raw)
        assert invoke(["validate", str(path)]) in (0, 1)


ADD_OPTIONS = [
    "--id",
    "--date",
    "--end-date",
    "--country",
    "--city",
    "--coordinates",
    "--perpetrator",
    "--attribution",
    "--claim-date",
    "--attack-type",
    "--target-type",
    "--weapon",
    "--killed",
    "--wounded",
    "--property-damage",
    "--source",
    "--summary",
]
REQUIRED = {
    "--date": "2022-03-01",
    "--country": "Afghanistan",
    "--attack-type": "bombing",
    "--target-type": "police",
    "--target": "Checkpoint",
    "--summary": "A bomb.",
}
option_text = st.text(st.characters(codec="utf-8") | st.characters(categories=["Cs"]), max_size=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(ADD_OPTIONS), option_text, min_size=1, max_size=4))
def test_any_option_values_to_add_are_taken_or_refused_cleanly(values: dict[str, str]) -> None:
    options = {**REQUIRED, **values}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "incidents.json"
        shutil.copyfile(SEED_STORE, path)
        before = path.read_bytes()
        args = ["--store", str(path), "add", "--force"]
        for option, value in options.items():
            args += [option, value]
        code = invoke(args)
        assert code in (0, 1, 2)
        if code:
            assert path.read_bytes() == before
        else:
            assert invoke(["validate", str(path)]) == 0


settings_text = st.tuples(st.sampled_from([*EDITABLE, *CLEARABLE, "nope"]), option_text).map(
    "=".join
)


@settings(max_examples=150, deadline=None)
@given(st.lists(settings_text, min_size=1, max_size=3))
def test_any_settings_to_edit_are_taken_or_refused_cleanly(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "incidents.json"
        shutil.copyfile(SEED_STORE, path)
        args = ["--store", str(path), "edit", "2022-09-herat"]
        for text in texts:
            args += ["--set", text]
        assert invoke(args) in (0, 1, 2)
