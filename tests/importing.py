"""Helpers for the import tests: run an import, read back what it stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.fixtures.datasets import FIXTURES

GTD_CSV = FIXTURES / "gtd.csv"
ACLED_CSV = FIXTURES / "acled.csv"
ACLED_2020_CSV = FIXTURES / "acled-2020.csv"
ACLED_OLD_CSV = FIXTURES / "acled-old.csv"
UCDP_CSV = FIXTURES / "ucdp.csv"

Runner = Callable[..., Result]


def stored(store: Path) -> dict[str, dict[str, Any]]:
    """The store file's incidents, as JSON, by id."""
    document = json.loads(store.read_text(encoding="utf-8"))
    return {incident["id"]: incident for incident in document["incidents"]}


def import_into(run: Runner, store: Path, *args: str | Path) -> Result:
    """``incidents --store STORE import ARGS``, which must succeed."""
    result = run("import", *args, store=store)
    assert result.exit_code == 0, result.output
    return result
