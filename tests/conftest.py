"""Shared fixtures: the seed store, a store writer, and a CLI runner."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from incidents.cli import cli
from incidents.index import StoreIndex
from incidents.index.build import memory_index
from incidents.model import Incident, Store
from incidents.query import Filters, GroupBy, Totals
from incidents.store import dump_store, load_store

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_STORE = REPO_ROOT / "incidents.json"


def bench_generator() -> Any:
    """The benchmark's own store generator (bench/generate.py)."""
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def changed_by_hand(path: Path) -> Iterator[sqlite3.Connection]:
    """A sqlite store opened as another tool would change it (its texts
    packed and unpacked as this one does), committed at the end."""
    from incidents.index.packing import use_frames
    from incidents.index.schema import connect

    connection = connect(path)
    try:
        use_frames(connection)
        with connection:
            yield connection
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's $INCIDENTS_STORE, date order, colours or terminal width."""
    monkeypatch.delenv("INCIDENTS_STORE", raising=False)
    monkeypatch.delenv("INCIDENTS_DATE_ORDER", raising=False)
    # Query indexes go to a cache of the test's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    # Output is piped in tests (one line per incident) unless a test asks for a table.
    for forced in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(forced, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def seed() -> list[Incident]:
    return load_store(SEED_STORE).incidents


def incident_data(**changes: Any) -> dict[str, Any]:
    """A valid incident as JSON data, with fields replaced by ``changes``."""
    data: dict[str, Any] = {
        "id": "2022-01-15-kabul",
        "date": "2022-01-15",
        "location": {"country": "Afghanistan", "province": "Kabul", "city": "Kabul"},
        "perpetrator": {"name": "Islamic State Khorasan Province", "attribution": "claimed"},
        "attack_type": "Bombing/Explosion",
        "target_type": "Religious Figures/Institutions",
        "target": "Mosque",
        "weapon_types": ["Explosives"],
        "killed": 3,
        "wounded": 5,
        "summary": "A bombing at a mosque.",
        "sources": [{"publisher": "Test Wire", "date": "2022-01-16"}],
    }
    data.update(changes)
    return data


def make_incident(**changes: Any) -> Incident:
    return Incident.model_validate_json(json.dumps(incident_data(**changes)))


def index_of(incidents: Sequence[Incident]) -> StoreIndex:
    """What answers questions about these incidents: their index, built in
    memory as `--no-index` builds it."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.json"
        path.write_text(dump_store(Store(incidents=list(incidents))), encoding="utf-8")
        return StoreIndex(*memory_index(path))


def total(incidents: Sequence[Incident], by: GroupBy | None = None) -> Totals:
    return index_of(incidents).totals(Filters(), by)


@pytest.fixture
def write_store(tmp_path: Path) -> Callable[..., Path]:
    """Write a store of the given incident dicts (or raw text) and return its path."""

    def write(incidents: list[dict[str, Any]] | str, name: str = "store.json") -> Path:
        path = tmp_path / name
        if isinstance(incidents, str):
            path.write_text(incidents, encoding="utf-8")
        else:
            path.write_text(json.dumps({"incidents": incidents}, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the command line in-process; stdout and stderr are kept apart."""

    def invoke(
        *args: str | Path, store: Path | None = SEED_STORE, input: str | None = None
    ) -> Result:
        argv = [str(a) for a in args]
        if store is not None:
            argv = ["--store", str(store), *argv]
        return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A copy of the seed store to write to, as ``incidents.json`` in ``tmp_path``."""
    path = tmp_path / "incidents.json"
    path.write_bytes(SEED_STORE.read_bytes())
    return path
