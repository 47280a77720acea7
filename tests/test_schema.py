"""The JSON Schema: generated from the model, kept in the repository, named by the store."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import Result

from incidents.schema import schema_text
from tests.conftest import REPO_ROOT, SEED_STORE

Run = Callable[..., Result]


def test_the_repository_schema_is_the_generated_one() -> None:
    kept = (REPO_ROOT / "incidents.schema.json").read_text(encoding="utf-8")
    assert kept == schema_text(), "run `incidents schema > incidents.schema.json`"


def test_schema_command_prints_it(run: Run) -> None:
    result = run("schema", store=None)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["incidents"]
    incident = schema["$defs"]["Incident"]
    assert incident["additionalProperties"] is False
    assert "Bombing/Explosion" in schema["$defs"]["AttackType"]["enum"]


def test_the_seed_store_names_its_schema() -> None:
    document = json.loads(SEED_STORE.read_text(encoding="utf-8"))
    assert list(document) == ["$schema", "incidents"]
    assert document["$schema"] == "incidents.schema.json"
