"""Untrusted text is harmless: a hostile store through every printing command.

Store text can carry terminal controls (ESC sequences that clear the screen,
write the clipboard with OSC 52 or hide a link with OSC 8, the 8-bit CSI,
bidi overrides) and rich markup.  Whatever prints it, a person sees it as
text: markup as typed, control characters as their escapes (``\\x1b``), and
no ESC byte reaches the terminal.  Exports to a file keep the bytes as stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from incidents.inert import inert

from .conftest import incident_data
from .fixtures.datasets import GTD_HEADER, GTD_ROWS, write_csv
from .terminal import in_terminal

ESC = "\x1b"
CLIPBOARD = ESC + "]52;c;ZWNobyBwd25lZA==\x07"  # OSC 52: put "echo pwned" on the clipboard
HIDDEN_LINK = ESC + "]8;;file:///etc/passwd" + ESC + "\\click" + ESC + "]8;;" + ESC + "\\"
CLEAR = ESC + "[2J"
CSI_8BIT = "\x9b31m"
RIGHT_TO_LEFT = "\u202e"
TITLE = ESC + "]0;pwned\x07"  # sets the window title

# What must never reach a terminal from the data.
RAW = (ESC, "\x9b", "\x07", "\x7f", RIGHT_TO_LEFT, "\u202c", "\u2066")


def hostile() -> list[dict[str, Any]]:
    return [
        incident_data(
            id="gtd-201609050008",
            location={
                "country": "Afghanistan",
                "province": "Kabul",
                "city": "Kabul [/]",
                "site": CLIPBOARD + "embassy",
            },
            perpetrator={"name": "[red]ISKP[/red]", "attribution": "suspected"},
            target="[link=file:///etc/passwd]x[/link]" + TITLE,
            summary=f"Seen [sic] by {CLEAR} {HIDDEN_LINK} {RIGHT_TO_LEFT}txet\u202c"
            f" {CSI_8BIT}\x7f :smile:",
            notes="[bold]note[/bold] \u2066x\u2069",
            sources=[{"publisher": "Wire" + ESC + "[1m", "title": "[i]t[/i]"}],
        ),
        incident_data(
            id="gtd-201609050009",
            location={"country": "Pakistan", "province": "Khyber", "city": "Mardan" + CLEAR},
        ),
    ]


@pytest.fixture
def store(write_store):
    return write_store(hostile())


def assert_inert(*outputs: str) -> None:
    for output in outputs:
        for raw in RAW:
            assert raw not in output, f"{raw!r} reached the terminal in {output!r}"


def test_the_function_makes_controls_visible_and_leaves_the_rest():
    assert inert("a" + CLEAR + "b") == "a\\x1b[2Jb"
    assert inert(CSI_8BIT + "\x7f\x00\x85") == "\\x9b31m\\x7f\\x00\\x85"
    assert inert("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"
    )
    assert inert("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert inert("a\tb\nc\r\nd\re", lines=True) == "a\tb\nc\r\nd\\re"
    kept = "Kabul [/] [sic] [red]x[/red] :smile: C:\\x1b Mazār-e Sharīf مزار شریف \u200f"
    assert inert(kept) == kept


def test_list_as_a_table(run, store):
    result = run("list", "--format", "table", store=store)  # used to crash on "Kabul [/]"
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    assert "gtd-201609050008 2022-01-15 Afghanistan Kabul [/]" in lines[2]
    assert "gtd-201609050009 2022-01-15 Pakistan    Mardan\\x1b[2" in lines[3]


def test_list_piped(run, store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = run("list", store=store)
    assert result.exit_code == 0
    assert_inert(result.stdout, result.stderr)
    assert result.stdout.splitlines()[1].split("\t") == [
        "gtd-201609050008",
        "2022-01-15",
        "Afghanistan",
        "Kabul [/], Kabul",
        "\\x1b]52;c;ZWNobyBwd25lZA==\\x07embassy",
        "Religious Figures/Institutions",
        "Bombing/Explosion",
        "[red]ISKP[/red] ?",
        "3",
        "5",
    ]
    wide = run("list", "--format", "table", store=store).stdout
    assert "\\x1b]52;c;ZWNobyBwd25lZA==\\x07embassy" in wide and "[red]ISKP[/red] ?" in wide


def test_show(run, store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # prose still wraps at 80
    result = run("show", "gtd-201609050008", store=store)  # used to crash on "Kabul [/]"
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    for line in (
        "City         Kabul [/]",
        "Site         \\x1b]52;c;ZWNobyBwd25lZA==\\x07embassy",
        "Perpetrator  [red]ISKP[/red] (suspected)",
        "Target       [link=file:///etc/passwd]x[/link]\\x1b]0;pwned\\x07",
        "Notes        [bold]note[/bold] \\u2066x\\u2069",
        "Source 1     Wire\\x1b[1m, [i]t[/i]",
    ):
        assert line in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("Summary"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Notes"))
    assert " ".join(line[13:] for line in lines[start:end]) == (
        "Seen [sic] by \\x1b[2J \\x1b]8;;file:///etc/passwd\\x1b\\click\\x1b]8;;\\x1b\\"
        " \\u202etxet\\u202c \\x9b31m\\x7f :smile:"
    )


@pytest.mark.parametrize("by", ["city", "perpetrator"])
def test_total(run, store, by):
    result = run("total", "--by", by, store=store)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout, result.stderr)
    if by == "city":
        # "Kabul [/]" is a spelling of Kabul: its group bears the canonical name.
        assert any(line.startswith("Kabul ") for line in result.stdout.splitlines())
        assert any(line.startswith("Mardan\\x1b[2J ") for line in result.stdout.splitlines())
    if by == "perpetrator":
        assert any(line.startswith("[red]ISKP[/red] ") for line in result.stdout.splitlines())


def test_timeline_and_markdown(run, store):
    for args in (["timeline"], ["export", "--format", "markdown"]):
        result = run(*args, store=store)
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout, result.stderr)
    markdown = run("export", "--format", "markdown", store=store).stdout
    assert "| Mardan\\\\x1b\\[2J, Khyber |" in markdown
    assert "| \\[red\\]ISKP\\[/red\\] ? |" in markdown


def test_a_character_reference_cannot_rebuild_a_control_in_markdown(run, write_store):
    store = write_store([incident_data(location={"country": "Afghanistan", "city": "&#x202e;x"})])
    assert "| \\&#x202e;x |" in run("export", "--format", "markdown", store=store).stdout


def test_errors_and_validate_lines_quote_store_text_inert(run, write_store):
    # A country whose name folds to Afghanistan, with a point far outside it:
    # the warning names the country as stored.
    data = incident_data(
        location={
            "country": "Afghanistan" + RIGHT_TO_LEFT,
            "city": "Kabul",
            "coordinates": {"lat": -34.5, "lon": 69.2, "precision": "city"},
        }
    )
    bad = incident_data(id="x", attack_type="Bomb" + CLEAR)
    warned = write_store([data], name="warned.json")
    result = run("validate", warned, store=None)
    assert_inert(result.stdout, result.stderr)
    assert "lies far outside Afghanistan\\u202e (latitude and longitude swapped" in result.stdout
    broken = write_store([data, bad], name="broken.json")
    for result in (run("validate", broken, store=None), run("list", store=broken)):
        assert result.exit_code == 1
        assert_inert(result.stdout, result.stderr)
        assert "attack_type: 'Bomb\\x1b[2J' is not one of" in result.output


def test_import_problem_lines_and_imported_text(run, tmp_path):
    good = dict(GTD_ROWS[0], eventid="201710080099", city="Kabul" + CLIPBOARD)
    bad = dict(GTD_ROWS[0], eventid="201710080098", nkill="4" + CSI_8BIT + RIGHT_TO_LEFT)
    export = write_csv(tmp_path / "gtd.csv", GTD_HEADER, [good, bad])
    store = tmp_path / "imported.json"
    result = run("import", "gtd", export, store=store)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout, result.stderr)
    assert f'{export}:3: nkill "4\\x9b31m\\u202e": expected a whole number' in result.stderr
    listed = run("list", store=store)
    assert_inert(listed.stdout)
    assert "\tKabul\\x1b]52;c;ZWNobyBwd25lZA==\\x07, Kabul\t" in listed.stdout


def test_completion_candidates(store):
    from click.testing import CliRunner

    from incidents.cli import cli

    words = f"incidents --store {store} list --location Mar"
    env = {"_INCIDENTS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "5"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="incidents")
    assert_inert(result.output)
    # One bash word (the backslash and bracket escaped), which bash reads as inert text.
    assert "plain,Mardan\\\\x1b\\[2J" in result.output.splitlines()


def test_on_a_real_terminal(store, tmp_path):
    """No ESC byte at all where the terminal draws no styles (TERM=dumb)."""
    dumb = {"TERM": "dumb", "NO_COLOR": "1"}
    for command in (
        f"incidents --store {store} list",
        f"incidents --store {store} show gtd-201609050008",
        f"incidents --store {store} total --by city",
        f"incidents --store {store} export --format csv",
        f"incidents --store {store} export --format json",
        f"incidents --store {store} list --format ndjson",
        f"incidents validate {store} --format json",
        f"incidents --store {store} edit gtd-201609050008 --set killed=4 --dry-run",
    ):
        shown = in_terminal(command, tmp_path, columns=120, env=dumb)
        assert_inert(shown)
        assert "Traceback" not in shown
    csv_shown = in_terminal(f"incidents --store {store} export --format csv", tmp_path, env=dumb)
    assert ",Kabul [/],\\x1b]52;c;ZWNobyBwd25lZA==\\x07embassy," in csv_shown


def test_exports_to_a_file_keep_the_bytes_as_stored(run, store, tmp_path):
    for name in ("out.csv", "out.json", "out.ndjson"):
        result = run("export", "-o", tmp_path / name, store=store)
        assert result.exit_code == 0
        written = (tmp_path / name).read_text(encoding="utf-8")
        if name.endswith("csv"):
            assert CLIPBOARD + "embassy" in written and RIGHT_TO_LEFT in written
        else:
            incident = json.loads(written.splitlines()[0] if "nd" in name else written)
            first = incident if "nd" in name else incident["incidents"][0]
            assert first["location"]["site"] == CLIPBOARD + "embassy"
    piped = run("export", "--format", "csv", store=store).stdout  # a pipe, not a terminal
    assert CLIPBOARD in piped


def test_a_question_on_a_terminal_echoes_store_text_inert(store, tmp_path):
    shown = in_terminal(
        f"incidents --store {store} remove gtd-201609050008",
        tmp_path,
        typed="n\n",
        env={"TERM": "dumb"},
    )
    assert_inert(shown)
    assert (
        "Remove gtd-201609050008 (2022-01-15, Kabul [/], Kabul: "
        "[link=file:///etc/passwd]x[/link]\\x1b]0;pwned\\x07) from"
    ) in shown
    assert Path(store).read_text(encoding="utf-8").count('"id"') == 2
