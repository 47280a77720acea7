"""The command line, as a user runs it: exit codes, output, files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from incidents.store import load_store

from .conftest import SEED_STORE, incident_data


def test_list_shows_the_bundled_store_as_a_table(run):
    result = run("list", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "Date", "Place", "Target", "Perp.", "Killed", "Wounded"]
    assert lines[2].split() == [
        "2021-10-kunduz",
        "2021-10",
        "Kunduz",
        "Religious",
        "ISKP",
        "46",
        "143",
    ]
    assert "\x1b[" not in result.stdout  # no colour when not a terminal
    assert result.stderr == ""


def test_list_target_type_embassy(run):
    result = run("list", "--target-type", "embassy", "--format", "json")
    ids = [i["id"] for i in json.loads(result.stdout)["incidents"]]
    assert ids == ["2022-09-05-kabul", "2022-12-02-kabul"]


def test_list_location_any_spelling_as_json(run):
    result = run("list", "--location", "Mazar-e Sharif", "--format", "json")
    assert result.exit_code == 0
    [incident] = json.loads(result.stdout)["incidents"]
    assert incident["location"]["city"] == "Mazar-i-Sharif"


def test_list_since_until_typed_as_people_type(run):
    result = run("list", "--since", "2022-09-01", "--until", "December 2022", "--format", "ndjson")
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["2022-09-herat", "2022-09-05-kabul", "2022-12-02-aybak", "2022-12-02-kabul"]


def test_uncertain_dates_are_marked_and_can_be_excluded(run):
    marked = run("list", "--since", "2022-09-10")
    assert "2022-09~" in marked.stdout
    assert "~ may fall outside the dates asked for." in marked.stderr
    strict = run("list", "--since", "2022-09-10", "--strict-dates")
    assert "2022-09-herat" not in strict.stdout


def test_list_sort_and_limit(run):
    result = run("list", "--sort", "killed", "--limit", "2", "--format", "ndjson")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [
        "2021-10-kunduz",
        "2022-09-herat",
    ]


def test_show_prints_every_field(run):
    result = run("show", "2022-12-02-kabul")
    assert result.exit_code == 0
    assert "Telegram" in result.stdout
    assert "Sky News Arabia" in result.stdout
    as_json = json.loads(run("show", "2022-12-02-kabul", "--format", "json").stdout)
    assert as_json["wounded"] == {"min": 1}
    assert as_json["killed"] is None


def test_show_unknown_id_suggests_close_ones(run):
    result = run("show", "2022-09-herta")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no incident has the id '2022-09-herta'. Did you mean: 2022-09-herat,"
    )


def test_total_is_honest_about_unknowns(run):
    result = run("total")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Incidents  8",
        "Killed     at least 112 (1 incident with no figure)",
        "Wounded    at least 235 (1 incident with no figure)",
    ]


def test_total_by_target_type_has_a_row_per_category_and_a_total(run):
    lines = run("total", "--by", "target-type").stdout.splitlines()
    assert lines[0].split() == ["Target", "type", "Incidents", "Share", "Killed", "Wounded"]
    rows = [line for line in lines if line[:1].isalpha()]
    assert rows[1:] == [
        "Religious Figures/Institutions          5   62.5%          90  ≥200 (1 ?)",
        "Government (Diplomatic)                 2   25.0%    ≥6 (1 ?)         ≥11",
        "Educational Institution                 1   12.5%          16          24",
        "Total                                   8  100.0%  ≥112 (1 ?)  ≥235 (1 ?)",
    ]
    assert lines[-1] == "≥N at least N; (N ?) incidents with no figure."


def test_total_by_month_for_kunduz(run):
    result = run("total", "--by", "month", "--location", "kunduz", "--format", "json")
    data = json.loads(result.stdout)
    assert [(g["key"], g["incidents"]) for g in data["groups"]] == [("2021-10", 1), ("2022-06", 1)]
    assert data["total"]["killed"] == {"min": 47, "max": 47, "unknown": 0, "best": None}


def test_export_csv_to_stdout_is_clean(run):
    result = run("export", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 8
    assert result.stderr == ""


def test_export_json_to_a_file_is_a_store(run, tmp_path):
    target = tmp_path / "religious.json"
    result = run("export", "--format", "json", "--target-type", "mosque", "-o", target)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "mosque: searched for Religious Figures/Institutions",
        f"Wrote 5 incidents to {target} (json).",
        "Filters: target type Religious Figures/Institutions.",
    ]
    assert len(load_store(target).incidents) == 5
    again = run("list", "--format", "ndjson", store=target)
    assert len(again.stdout.splitlines()) == 5


def test_export_format_follows_the_file_ending(run, tmp_path):
    target = tmp_path / "out.ndjson"
    run("export", "-o", target)
    assert len(target.read_text().splitlines()) == 8


def test_export_to_an_unwritable_place_is_a_clean_error(run, tmp_path):
    result = run("export", "-o", tmp_path / "missing-dir" / "out.csv")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output


class TestStoreResolution:
    def test_environment_variable(self, run, write_store, monkeypatch):
        path = write_store([incident_data(id="from-env")])
        monkeypatch.setenv("INCIDENTS_STORE", str(path))
        assert "from-env" in run("list", store=None).stdout
        assert run("where", store=None).stdout == f"{path}\n"

    def test_current_directory(self, run, write_store):
        write_store([incident_data(id="from-cwd")], name="incidents.json")
        assert "from-cwd" in run("list", store=None).stdout

    def test_option_beats_environment(self, run, write_store, monkeypatch):
        monkeypatch.setenv("INCIDENTS_STORE", str(write_store([incident_data(id="env")], "e.json")))
        chosen = write_store([incident_data(id="option")], "o.json")
        assert "option" in run("list", store=chosen).stdout

    def test_bundled_copy_last(self, run):
        result = run("where", store=None)
        assert result.stdout.strip().endswith("incidents.json")
        assert "bundled" in result.stderr
        assert "2021-10-kunduz" in run("list", store=None).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--since", "5 September"], "'--since': '5 September' has no year"),
        (["list", "--on", "someday"], "Invalid value for '--on': cannot read 'someday' as a date"),
        (["list", "--target-type", "embasy"], "Did you mean 'embassy'?"),
        (["list", "--weapon", "laser"], "'laser' is not a known category."),
        (["list", "--min-killed", "-1"], "Invalid value for '--min-killed'"),
        (["list", "--format", "xml"], "Invalid value for '--format'"),
        (["list", "--location", ""], "Invalid value for '--location': must not be empty"),
        (["total", "--by", "colour"], "Invalid value for '--by'"),
        (["lsit"], "No such command 'lsit'. Did you mean 'list'?"),
    ],
)
def test_bad_command_lines_exit_2_with_a_message(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_store_exits_1_with_its_problems(run, write_store):
    path = write_store([incident_data(killed="sixteen"), incident_data(id="b", date="2022-02-30")])
    result = run("list", store=path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}: incidents[0] (id '2022-01-15-kabul'), killed: expected" in result.stderr
    assert f"{path}: incidents[1] (id 'b'), date: day 30 does not exist" in result.stderr


def test_a_missing_store_exits_1(run, tmp_path):
    result = run("total", store=tmp_path / "nope.json")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'nope.json'}: no such file\n")


def test_help_does_not_touch_the_store(run, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("not json")
    for args in (["--help"], ["-h"], ["list", "--help"], ["total", "-h"], ["export", "--help"]):
        result = run(*args, store=broken)
        assert result.exit_code == 0, args
        assert "Example" in result.stdout


def test_version(run):
    result = run("--version", store=None)
    assert result.exit_code == 0
    assert result.stdout.startswith("incidents, version ")


def test_python_dash_m_and_a_closed_pipe(tmp_path):
    command = [sys.executable, "-m", "incidents", "--store", str(SEED_STORE), "export"]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    assert finished.returncode == 0
    assert finished.stdout.startswith("id,date,date_precision")
    piped = subprocess.run(
        f"{' '.join(command)} | head -c 10", shell=True, capture_output=True, text=True, check=False
    )
    assert "Traceback" not in piped.stderr


def test_markdown_export_marks_a_date_that_may_fall_outside(run):
    result = run("export", "--format", "markdown", "--since", "2022-09-10")
    assert result.exit_code == 0
    assert "| 2022-09-herat | 2022-09~ |" in result.stdout
    assert result.stdout.rstrip().endswith("~: may fall outside the dates asked for.")


# --- dates typed on the command line ----------------------------------------------

DECEMBER_2 = ["2022-12-02-aybak", "2022-12-02-kabul"]


def listed_ids(result):
    assert result.exit_code == 0, result.output
    return sorted(json.loads(line)["id"] for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    "typed", ["2022/12/02", "2022-12-2", "2022.12.02", "20221202", "2022-12-02T10:00:00Z"]
)
def test_a_filter_date_that_starts_with_its_year_is_year_month_day(run, typed):
    assert listed_ids(run("list", "--on", typed, "--format", "ndjson")) == DECEMBER_2
    assert listed_ids(run("list", "--on", "2022.12", "--format", "ndjson")) == DECEMBER_2


def test_a_date_that_reads_two_ways_is_refused_unless_the_order_is_given(run, monkeypatch):
    refused = run("list", "--on", "2/12/2022")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert (
        "Error: Invalid value for '--on': 2/12/2022: 2 December or 12 February 2022? write"
        " 2022-12-02 or 2022-02-12, or say how you write dates: --date-order dmy|mdy or"
        " $INCIDENTS_DATE_ORDER\n"
    ) in refused.stderr
    day_first = run("--date-order", "dmy", "list", "--on", "2/12/2022", "--format", "ndjson")
    assert listed_ids(day_first) == DECEMBER_2
    assert listed_ids(run("list", "--on", "31/12/2022", "--format", "ndjson")) == []
    monkeypatch.setenv("INCIDENTS_DATE_ORDER", "mdy")
    assert listed_ids(run("list", "--on", "12/2/2022", "--format", "ndjson")) == DECEMBER_2
    # The option beats the environment.
    assert listed_ids(run("--date-order", "DMY", "list", "--on", "2/12/2022", "-f", "ndjson")) == (
        DECEMBER_2
    )
    monkeypatch.setenv("INCIDENTS_DATE_ORDER", "ymd")
    wrong = run("list")
    assert wrong.exit_code == 2
    assert "Invalid value for '--date-order' (env var: 'INCIDENTS_DATE_ORDER')" in wrong.stderr


def test_the_date_order_is_documented_in_help(run):
    text = " ".join(run("--help").stdout.split())
    assert "--date-order [dmy|mdy]" in text
    assert "[env var: INCIDENTS_DATE_ORDER]" in text
    assert "9/5/2022" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--on", "31/31/2022"], "'--on': 31/31/2022: neither 31 nor 31 can be a month"),
        (["list", "--since", "2022/02/30"], "2022/02/30: day 30 does not exist in 2022-02"),
        (["list", "--until", "1/2/22"], "1/2/22: write the year in full (is 22 1922 or 2022?)"),
        (
            ["total", "--since", "2022-10", "--until", "2022-09"],
            "Error: --since 2022-10 is later than --until 2022-09: no date lies between them",
        ),
        (
            ["export", "--since", "1 Dec 2022", "--until", "30 Nov 2022"],
            "--since 2022-12-01 is later than --until 2022-11-30",
        ),
        (["timeline", "--on", "2021", "--since", "2022"], "--on 2021 is before --since 2022"),
        (
            ["list", "--on", "2022-12", "--on", "2023-01", "--until", "2022"],
            "--on 2023-01 is after --until 2022: it cannot match",
        ),
        (["list", "--limit", "9223372036854775808"], "Invalid value for '--limit'"),
        (["list", "--min-killed", "10000000000000000000"], "Invalid value for '--min-killed'"),
    ],
)
def test_dates_and_numbers_that_cannot_be_meant_are_usage_errors(run, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_since_and_until_that_share_days_are_fine(run):
    result = run("list", "--since", "2022-09-10", "--until", "2022-09", "-f", "ndjson")
    assert listed_ids(result) == ["2022-09-herat"]
    assert run("list", "--on", "2022-09", "--since", "2022-09-10").exit_code == 0


def test_numbers_as_large_as_sqlite_holds_are_fine(run):
    largest = str(2**63 - 1)
    assert run("list", "--limit", largest, "--min-killed", largest).exit_code == 0


@pytest.mark.parametrize("no_index", [[], ["--no-index"]])
def test_incidents_before_1970_are_kept_and_answered(run, write_store, no_index):
    old = incident_data(id="1968-05-paris", date="1968-05", end_date="1968-06")
    old["sources"] = [{"publisher": "Wire", "date": "1968-06-01"}]
    ancient = incident_data(id="0800-x", date="0800", sources=[{"publisher": "Annals"}])
    store = write_store([old, ancient, incident_data()])
    validated = run("validate", store=store)
    assert validated.exit_code == 0, validated.output
    assert validated.stdout == ""
    listed = run(*no_index, "list", "--until", "1969", "-f", "ndjson", store=store)
    assert listed_ids(listed) == ["0800-x", "1968-05-paris"]
    totals = run(*no_index, "total", "--by", "year", "--on", "1968", "-f", "csv", store=store)
    assert totals.exit_code == 0, totals.output
    assert "1968,1," in totals.stdout


def test_an_imported_row_from_before_1970_leaves_a_store_every_command_reads(run, tmp_path):
    from tests.fixtures.datasets import GTD_HEADER, gtd_row, write_csv

    row = gtd_row(
        eventid="196805100001",
        iyear="1968",
        imonth="5",
        iday="0",
        country_txt="France",
        city="Paris",
        specificity="1",
        attacktype1="7",
        targtype1="2",
        target1="Police station",
        gname="Unknown",
        weaptype1="8",
        nkill="0",
        summary="An invented attack for a test.",
    )
    exported = write_csv(tmp_path / "gtd.csv", GTD_HEADER, [row])
    store = tmp_path / "imported.json"
    assert run("import", "gtd", exported, store=store).exit_code == 0
    listed = run("list", "-f", "ndjson", store=store)
    assert [json.loads(line)["date"] for line in listed.stdout.splitlines()] == ["1968-05"]
    assert run("validate", store=store).exit_code == 0
