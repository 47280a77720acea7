"""Small things that trip people up: completion of values with spaces, file
endings the tool does not write, edit's field names and its question, --store
after the command, a store that is not there, "$schema" in a JSON export, and
what positional arguments are."""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from incidents.cli import cli
from incidents.store import load_store

from .conftest import SEED_STORE
from .shells import SHELLS, missing, typed_in

# --- completion ------------------------------------------------------------------------


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_completion_prints_each_shells_script(run, shell):
    result = run("completion", shell, store=None)
    assert result.exit_code == 0
    assert "_INCIDENTS_COMPLETE" in result.stdout
    assert result.stdout.startswith("#compdef incidents" if shell == "zsh" else "")


def test_the_help_says_how_to_turn_completion_on(run):
    assert "incidents completion bash >> ~/.bashrc" in run("--help", store=None).stdout


def test_bash_gets_a_value_with_spaces_as_one_word():
    env = {
        "_INCIDENTS_COMPLETE": "bash_complete",
        "COMP_WORDS": f"incidents --store {SEED_STORE} list --location Imam",
        "COMP_CWORD": "5",
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="incidents")
    assert result.output.splitlines() == ["plain,Imam\\ Saheb", "plain,Imam\\ Sahib"]
    assert shlex.split("Imam\\ Sahib") == ["Imam Sahib"]


def test_bash_reads_a_completion_as_one_word(run, tmp_path):
    """The script itself: what bash puts on the command line is one word."""
    reason = missing("bash")
    if reason:
        pytest.skip(reason)
    script = tmp_path / "complete.bash"
    script.write_text(run("completion", "bash", store=None).stdout)
    # The tool as a command (completion runs it by name), then the function
    # bash calls on Tab, with the words typed so far.
    tool = tmp_path / "bin" / "incidents"
    tool.parent.mkdir()
    tool.write_text(f'#!/bin/sh\nexec "{_python()}" -m incidents "$@"\n')
    tool.chmod(0o755)
    # Bash hands the word over as typed, its backslash with it.
    words = f"incidents --store {SEED_STORE} list --location 'Imam\\ Sahi'"
    shown = subprocess.run(
        [
            "bash",
            "-c",
            f"PATH={shlex.quote(str(tool.parent))}:$PATH\n"
            f"source {shlex.quote(str(script))}\n"
            f"COMP_WORDS=({words}); COMP_CWORD=5\n"
            "_incidents_completion incidents\n"
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.splitlines() == ["Imam\\ Sahib"]


def _python() -> str:
    import sys

    return sys.executable


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_tab_completes_a_place_with_a_space_in_a_real_shell(shell, tmp_path):
    """Ima<Tab> gives Imam\\ Sah (Saheb or Sahib), i<Tab> Imam\\ Sahib, and the
    command runs with the place as one value."""
    reason = missing(shell)
    if reason:
        pytest.skip(reason)
    shown = typed_in(
        shell,
        "incidents list --columns id --location Ima\ti\t",
        tmp_path,
        {"INCIDENTS_STORE": str(SEED_STORE), "NO_COLOR": "1", "TERM": "xterm"},
    )
    assert "2022-06-imam-sahib" in shown
    assert "Filters: place Imam Sahib." in shown


# --- file endings -------------------------------------------------------------------------


def test_an_ending_the_tool_does_not_write_is_an_error(run, tmp_path):
    for name in ("out.xlsx", "out.html", "out.txt", "out.CSV.bak"):
        target = tmp_path / name
        result = run("export", "-o", target)
        assert result.exit_code == 2, name
        assert "which is no format this tool writes" in result.stderr
        assert ".csv, .tsv, .json, .ndjson, .jsonl, .geojson, .md" in result.stderr
        assert not target.exists()
    # An ending it writes, or a format given, still writes.
    assert run("export", "-o", tmp_path / "out.tsv").exit_code == 0
    assert (tmp_path / "out.tsv").read_text().startswith("id\tdate\t")
    assert run("export", "-f", "csv", "-o", tmp_path / "out.txt").exit_code == 0
    assert (tmp_path / "out.txt").read_text().startswith("id,date,")


# --- edit ---------------------------------------------------------------------------------


def test_edit_takes_the_field_names_add_takes(run, seed_copy):
    result = run(
        "edit",
        "2022-06-imam-sahib",
        "--set",
        "country=Pakistan",
        "--set",
        "attack-type=armed assault",
        "--set",
        "end-date=2022-07",
        store=seed_copy,
    )
    assert result.exit_code == 0, result.output
    incident = next(i for i in load_store(seed_copy).incidents if i.id == "2022-06-imam-sahib")
    assert incident.location.country == "Pakistan"
    assert incident.attack_type.value == "Armed Assault"
    assert str(incident.end_date) == "2022-07"


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)


def _edit(run: Callable[..., Result], store: Path, answer: str, *more: str) -> Result:
    return run("edit", "2022-06-imam-sahib", "--set", "killed=2", *more, store=store, input=answer)


def test_edit_shows_the_change_and_asks_on_a_terminal(run, seed_copy, at_a_terminal):
    before = seed_copy.read_bytes()
    declined = _edit(run, seed_copy, "n\n")
    assert declined.exit_code == 0  # declining is no error
    assert '-      "killed": 1,' in declined.stderr and '+      "killed": 2,' in declined.stderr
    assert "Save the change to" in declined.stderr
    assert declined.stderr.splitlines()[-1] == "Nothing changed."
    assert seed_copy.read_bytes() == before
    accepted = _edit(run, seed_copy, "y\n")
    assert accepted.exit_code == 0
    assert seed_copy.read_bytes() != before


def test_edit_yes_saves_without_asking(run, seed_copy, at_a_terminal):
    result = _edit(run, seed_copy, "", "--yes")
    assert result.exit_code == 0
    assert "Save the change" not in result.stderr


# --- which store --------------------------------------------------------------------------


def test_store_after_the_command(run, tmp_path):
    result = run("list", "--store", SEED_STORE, "-f", "tsv", store=None)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 9
    twice = run("--store", SEED_STORE, "list", "--store", tmp_path / "other.json", store=None)
    assert twice.exit_code == 2
    assert "--store is given twice" in twice.stderr


def test_store_after_the_command_is_the_one_an_output_may_not_replace(run, seed_copy):
    result = run("export", "-o", seed_copy, "--store", seed_copy, store=None)
    assert result.exit_code == 2
    assert "is the store in use" in result.stderr


def test_a_missing_store_does_not_send_you_to_validate(run, tmp_path):
    result = run("list", store=tmp_path / "nowhere.json")
    assert result.exit_code == 1
    assert "validate" not in result.stderr
    assert "See `incidents where`" in result.stderr


def test_where_warns_when_the_store_does_not_exist(run, tmp_path):
    result = run("where", store=tmp_path / "nowhere.json")
    assert result.exit_code == 0
    assert result.stdout == f"{tmp_path / 'nowhere.json'}\n"
    assert "does not exist" in result.stderr
    assert "does not exist" not in run("where").stderr


# --- $schema and arguments --------------------------------------------------------------


def test_a_json_export_keeps_the_stores_schema(run, tmp_path):
    result = run("export", "-f", "json")
    assert json.loads(result.stdout)["$schema"] == "incidents.schema.json"
    assert result.stdout.startswith('{\n  "$schema": "incidents.schema.json",\n')
    target = tmp_path / "out.json"
    run("export", "-o", target)
    assert load_store(target).schema_url == "incidents.schema.json"


def _arguments_section(help_text: str) -> list[str]:
    lines = help_text.split("Arguments:\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in lines.splitlines()]


def test_help_says_what_positional_arguments_are(run):
    shown = run("show", "-h").stdout
    assert _arguments_section(shown) == [
        "ID...  Ids of incidents, or their beginnings (in any case)."
    ]
    assert "ID..." not in shown.split("Options:", 1)[1]
    for name, command in cli.commands.items():
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if arguments:
            section = _arguments_section(run(name, "-h").stdout)
            assert len(section) >= len(arguments), name
            assert all(len(line.split()) > 1 for line in section), section  # described
