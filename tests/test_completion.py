"""Shell completion: option names, and values taken from the store."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.cli import cli

from .conftest import SEED_STORE, incident_data


def complete(words: str, store: Path | None = SEED_STORE, shell: str = "bash") -> tuple[int, str]:
    """What the shell gets back when Tab is pressed after ``words``."""
    argv = words.split()
    if store is not None:
        argv[1:1] = ["--store", str(store)]
    if words.endswith(" "):
        argv.append("")
    env = {
        "_INCIDENTS_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": " ".join(argv),
        "COMP_CWORD": str(len(argv) - 1),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="incidents")
    return result.exit_code, result.output


def values(output: str) -> list[str]:
    """The values as bash reads them: each completion is one bash word."""
    return [shlex.split(line.split(",", 1)[1])[0] for line in output.splitlines()]


def test_the_shell_scripts_for_bash_zsh_and_fish():
    for shell in ("bash", "zsh", "fish"):
        result = CliRunner().invoke(
            cli, [], env={"_INCIDENTS_COMPLETE": f"{shell}_source"}, prog_name="incidents"
        )
        assert result.exit_code == 0
        assert "_INCIDENTS_COMPLETE" in result.output, shell


def test_commands_and_option_names_complete():
    assert "timeline" in values(complete("incidents ti")[1])
    assert values(complete("incidents list --sin")[1]) == ["--since"]


def test_show_completes_ids_from_the_store():
    code, output = complete("incidents show 2022-12")
    assert code == 0
    assert values(output) == ["2022-12-02-aybak", "2022-12-02-kabul"]


def test_show_completes_ids_from_the_environment_store(monkeypatch):
    monkeypatch.setenv("INCIDENTS_STORE", str(SEED_STORE))
    assert values(complete("incidents show 2021", store=None)[1]) == ["2021-10-kunduz"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("incidents list --target-type emb", ["embassies", "embassy"]),
        ("incidents total --attack-type kid", ["kidnap", "kidnapping"]),
        ("incidents list --weapon fire", ["fire", "firearm", "firearms"]),
        ("incidents list --location mazar-e", ["Mazar-e Sharif", "Mazar-e-Sharif"]),
        ("incidents list --location IMAM", ["Imam Saheb", "Imam Sahib"]),
        ("incidents list --location ai", ["AIPAC", "Aibak"]),
        ("incidents list --location sam", ["Samangan", "Samangan city"]),
        ("incidents export --perpetrator isk", ["ISKP"]),
        ("incidents list --perpetrator unk", ["unknown"]),
    ],
)
def test_filter_values_complete(words, expected):
    code, output = complete(words)
    assert code == 0
    assert values(output) == expected


def test_a_broken_store_completes_nothing_quietly(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    for store in (broken, tmp_path / "missing.json", tmp_path):
        for words in ("incidents show 2022", "incidents list --location ka"):
            code, output = complete(words, store=store)
            assert (code, output.strip()) == (0, ""), (store, words)


def test_an_invalid_store_completes_nothing(write_store):
    store = write_store([incident_data(killed="many")])
    code, output = complete("incidents show 2022", store=store)
    assert (code, output.strip()) == (0, "")


def test_completion_reads_the_store_it_is_given(write_store):
    store = write_store([incident_data(id="2023-01-01-x"), incident_data(id="2023-02-01-y")])
    assert values(complete("incidents show 2023", store=store)[1]) == [
        "2023-01-01-x",
        "2023-02-01-y",
    ]


def test_completion_reads_a_sqlite_store_through_its_index(tmp_path):
    from incidents.index import write_sqlite_store
    from incidents.store import load_store

    database = tmp_path / "big.sqlite"
    write_sqlite_store(database, load_store(SEED_STORE).incidents)
    assert values(complete("incidents show 2022-12", store=database)[1]) == [
        "2022-12-02-aybak",
        "2022-12-02-kabul",
    ]
    assert "AIPAC" in values(complete("incidents list --location ai", store=database)[1])
    assert "ISKP" in values(complete("incidents list --perpetrator is", store=database)[1])
