"""Answers say what they counted: the incidents whose date only may fall within
the dates asked for, the filters in effect, what a filter left out that it
only may not have matched, sums that say nothing, suspected perpetrators, and
an incident that spans two months.  Each answer is the same with the index
and without it (``both_ways``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SEED_STORE, incident_data
from .terminal import in_terminal
from .test_index import both_ways, invoke
from .test_readme import STYLE

# In the seed, the Herat bombing is known only to September 2022: against
# --since 2022-09-10 it may or may not fall within the dates.
SINCE = ("--since", "2022-09-10")


def answer(store: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr), the same with the index and without it."""
    indexed = invoke("--store", store, *args)
    assert indexed == invoke("--store", store, "--no-index", *args), args
    return indexed


# --- incidents that may fall outside the dates ----------------------------------------


def test_total_counts_the_incidents_that_may_fall_outside_the_dates():
    code, out, _ = answer(SEED_STORE, "total", *SINCE)
    assert code == 0
    assert out.splitlines()[0] == ("Incidents  3 (1 of which may fall outside the dates asked for)")
    grouped = answer(SEED_STORE, "total", *SINCE, "--by", "month")[1].splitlines()
    assert grouped[2].split()[:4] == ["2022-09", "1", "(1", "~)"]
    assert [line.split()[:4] for line in grouped if line.startswith("Total")] == [
        ["Total", "3", "(1", "~)"]
    ]
    assert "(N ~) N of them may fall outside the dates asked for." in " ".join(grouped)


def test_total_as_data_has_the_number_that_may_fall_outside():
    rows = list(csv.DictReader(io.StringIO(both_ways(SEED_STORE, "total", *SINCE, "-f", "csv"))))
    assert [(r["key"], r["maybe_outside_dates"]) for r in rows] == [("total", "1")]
    data = json.loads(both_ways(SEED_STORE, "total", *SINCE, "--by", "year", "-f", "json"))
    assert data["total"]["maybe_outside_dates"] == 1
    assert data["groups"][0]["maybe_outside_dates"] == 1


def test_the_timeline_counts_them_and_says_so():
    out = both_ways(SEED_STORE, "timeline", *SINCE)
    lines = out.splitlines()
    assert lines[1].startswith("2022-09  1 (1 ~)")
    assert lines[-3].split()[:4] == ["Total", "3", "(1", "~)"]
    assert "(N ~) N of them may fall outside the dates asked for." in " ".join(lines[-2:])


def test_an_export_says_how_many_may_fall_outside(tmp_path):
    target = tmp_path / "out.csv"
    code, _, err = answer(SEED_STORE, "export", *SINCE, "-o", str(target))
    assert code == 0
    assert err.splitlines()[:2] == [
        f"Wrote 3 incidents to {target} (csv).",
        "1 of them may fall outside the dates asked for (--strict-dates leaves such out).",
    ]
    code, out, err = answer(SEED_STORE, "export", *SINCE, "-f", "ndjson")
    assert len(out.splitlines()) == 3  # stdout is data only
    assert err.splitlines()[0] == (
        "1 of them may fall outside the dates asked for (--strict-dates leaves such out)."
    )


# --- the filters in effect, and what they left out ------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "-f", "csv"],
        ["total", "--by", "year"],
        ["timeline"],
        ["export"],
        ["export", "-f", "json"],
        ["stats"],
    ],
)
def test_every_answer_ends_with_the_filters_on_stderr(command):
    code, out, err = answer(SEED_STORE, *command, "--location", "kabul", "--target-type", "police")
    assert code == 0
    assert err.splitlines()[-1] == "Filters: target type Police; place kabul."
    assert "Filters" not in out  # data stays clean


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_on_a_terminal_the_filters_end_the_answer(tmp_path, columns):
    shown = in_terminal(
        f"incidents --store {SEED_STORE} list --location kabul --since 2022-09",
        tmp_path,
        columns,
        env={"NO_COLOR": "1"},
    )
    lines = [STYLE.sub("", line).rstrip() for line in shown.splitlines() if line.strip()]
    assert lines[-1] == "Filters: since 2022-09; place kabul."
    assert lines[-3] == "2 incidents of 8."


def test_what_a_toll_filter_left_out_for_want_of_a_figure_is_said(write_store):
    store = write_store(
        [
            incident_data(id="a", killed=12),
            incident_data(id="b", killed=None),  # may have been 12 or more
            incident_data(id="c", killed={"min": 3}),  # may too
            incident_data(id="d", killed={"min": 2, "max": 5}),  # surely fewer
        ]
    )
    code, out, err = answer(store, "list", "--min-killed", "10", "-f", "tsv")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()[1:]] == ["a"]
    assert err.splitlines()[-2:] == [
        "Filters: at least 10 killed.",
        "Left out: 2 incidents whose killed figure is not known to be at least 10 but may be "
        "(--min-killed).",
    ]
    err = answer(store, "total", "--max-killed", "4")[2]
    assert err.splitlines()[-1] == (
        "Left out: 3 incidents whose killed figure is not known to be at most 4 but may be "
        "(--max-killed)."
    )


def test_what_strict_dates_left_out_is_said():
    code, out, err = answer(SEED_STORE, "total", *SINCE, "--strict-dates")
    assert code == 0
    assert out.splitlines()[0] == "Incidents  2"
    assert err.splitlines()[-1] == (
        "Left out: 1 incident whose date may fall within the dates (--strict-dates)."
    )


# --- sums that say nothing; suspected perpetrators ------------------------------------


@pytest.fixture
def unknown_tolls(write_store: Callable[..., Path]) -> Path:
    return write_store(
        [
            incident_data(id=f"u{n}", killed=None, wounded=None, target_type="Business")
            for n in range(3)
        ]
        + [incident_data(id="z", killed=0, wounded=None, target_type="Police")]
    )


def test_a_sum_of_unknown_figures_is_not_known(unknown_tolls):
    _, text, err = answer(unknown_tolls, "total")
    out = text.splitlines()
    assert out[1] == "Killed     not known (3 incidents with no figure)"
    assert err == ""  # no filters, nothing to say
    assert out[2] == "Wounded    not known (4 incidents with no figure)"


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_in_a_table_a_sum_of_unknown_figures_is_a_question_mark(
    unknown_tolls, monkeypatch, columns
):
    monkeypatch.setenv("COLUMNS", columns)
    lines = answer(unknown_tolls, "total", "--by", "target-type")[1].splitlines()
    rows = {line.split()[0]: line.split()[-4:] for line in lines[2:4]}
    assert rows == {"Business": ["3", "75.0%", "?", "?"], "Police": ["1", "25.0%", "0", "?"]}
    assert "≥0" not in "\n".join(lines)
    assert "? not known" in lines[-1]


def test_a_suspected_perpetrator_is_explained_in_markdown(write_store):
    store = write_store(
        [incident_data(perpetrator={"name": "Taliban", "attribution": "suspected"})]
    )
    out = answer(store, "export", "-f", "markdown")[1]
    assert "| Taliban ? |" in out
    assert out.splitlines()[-1] == "? after a name: suspected, not claimed."


# --- an incident that spans two months --------------------------------------------------


@pytest.fixture
def spanning(write_store: Callable[..., Path]) -> Path:
    return write_store(
        [
            incident_data(id="april", date="2020-04-10"),
            incident_data(id="span", date="2020-04-28", end_date="2020-05-02"),
            incident_data(id="new-year", date="2020-12-30", end_date="2021-01-02"),
            incident_data(id="year", date="2020"),
        ]
    )


def test_a_span_of_two_months_is_shown_as_such(spanning):
    rows = csv.DictReader(io.StringIO(both_ways(spanning, "total", "--by", "month", "-f", "csv")))
    assert [row["key"] for row in rows] == [
        "2020",
        "2020-04",
        "2020-04/05",
        "2020-12/2021-01",
        "total",
    ]
    table = both_ways(spanning, "total", "--by", "month")
    assert "2020-04/05" in table and "2020 (month not known)" in table
    assert table.count("month not known") == 1


def test_the_timeline_puts_a_span_apart_under_its_span(spanning):
    lines = both_ways(spanning, "timeline").splitlines()
    apart = lines.index("Not in one month (date known only to the year, or spanning months):")
    assert [line.split()[0] for line in lines[apart + 1 : apart + 4]] == [
        "2020",
        "2020-04/05",
        "2020-12/2021-01",
    ]


def test_a_span_is_drawn_across_its_months_on_a_chart(spanning, tmp_path):
    picture = tmp_path / "timeline.svg"
    code, _, _ = answer(spanning, "timeline", "--svg", str(picture))
    assert code == 0
    assert "2020-04/05: 1 incident" in picture.read_text()
