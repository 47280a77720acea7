"""A newer export merged into a sqlite store: an incident stored just so
already is known unchanged from its text, without reading it into the model;
any other is merged as before (updated, or unchanged with the id the user
gave it), by one process or two, as into a JSON store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.cli import cli

from .fixtures.datasets import GTD_HEADER, write_csv
from .importing import gtd_good_row

OLD = [gtd_good_row(f"20200504{n:04d}") for n in range(1, 5)]
NEW = [
    gtd_good_row("202005040001"),
    gtd_good_row("202005040002", nkill="5", gname="Taliban", claimed="1"),
    gtd_good_row("202005040003"),  # the user renames it in the store
    gtd_good_row("202005040004"),
    gtd_good_row("202005040005"),
]


def _merged(tmp_path: Path, suffix: str) -> tuple[list[str], str]:
    """What importing OLD, renaming one incident, then importing NEW says,
    and the store exported as JSON."""
    store = tmp_path / f"store{suffix}"
    old = write_csv(tmp_path / "old.csv", GTD_HEADER, OLD)
    new = write_csv(tmp_path / "new.csv", GTD_HEADER, NEW)
    said = []
    for args in (
        ["import", "gtd", str(old)],
        ["edit", "gtd-202005040003", "--set", "id=2020-05-04-kabul", "--yes"],
        ["import", "gtd", str(new)],
        ["import", "gtd", str(new)],
    ):
        result = CliRunner().invoke(cli, ["--store", str(store), *args])
        assert result.exit_code == 0, result.output
        said.append(result.stderr.replace(str(store), "STORE").replace(str(tmp_path), "DIR"))
    exported = CliRunner().invoke(cli, ["--store", str(store), "export", "--format", "json"])
    return said, exported.stdout


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "two processes"])
def test_a_newer_export_merges_into_a_sqlite_store_as_into_a_json_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    import incidents.importers
    from incidents.importers import mapping

    if parallel:  # every row mapped in the forked process, sent as its text
        monkeypatch.setattr(incidents.importers, "PARALLEL_FROM_ROWS", 0)
        for name in ("START_LEVEL", "LOWEST_LEVEL", "HIGHEST_LEVEL"):
            monkeypatch.setattr(mapping, name, 0)
    (tmp_path / "json").mkdir()
    (tmp_path / "sqlite").mkdir()
    json_said, json_store = _merged(tmp_path / "json", ".json")
    sqlite_said, sqlite_store = _merged(tmp_path / "sqlite", ".sqlite")
    assert "STORE: added 1, updated 1, 3 unchanged." in sqlite_said[2]
    assert "added 0, updated 0, 5 unchanged" in sqlite_said[3]
    assert '"id": "2020-05-04-kabul"' in sqlite_store
    assert json_said[2].replace("STORE:", "") == sqlite_said[2].replace("STORE:", "")
    assert sqlite_store == json_store


def test_an_unchanged_incident_of_a_sqlite_store_is_not_read_into_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.model import Incident

    store = tmp_path / "store.sqlite"
    old = write_csv(tmp_path / "old.csv", GTD_HEADER, OLD)
    result = CliRunner().invoke(cli, ["--store", str(store), "import", "gtd", str(old)])
    assert result.exit_code == 0, result.output
    read: list[str] = []
    validate = Incident.model_validate_json

    def counted(text: str | bytes, *args: object, **kwargs: object) -> Incident:
        read.append(str(text))
        return validate(text)

    monkeypatch.setattr(Incident, "model_validate_json", counted)
    result = CliRunner().invoke(cli, ["--store", str(store), "import", "gtd", str(old)])
    assert result.exit_code == 0, result.output
    assert f"{store}: added 0, updated 0, 4 unchanged." in result.stderr
    assert read == []
