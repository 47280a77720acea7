"""The timeline: periods from first to last, and incidents that fit in none."""

from __future__ import annotations

import io

import pytest
from rich.console import Console, RenderableType

from incidents.formats.timeline import timeline_chart
from incidents.model import Incident
from incidents.query import Filters, Group
from incidents.timeline import GROUPING, Step, Timeline
from incidents.timeline import timeline as timeline_of_totals

from .conftest import index_of, make_incident


def timeline(incidents: list[Incident], step: Step) -> Timeline:
    """The timeline the index answers for these incidents."""
    return timeline_of_totals(index_of(incidents).totals(Filters(), GROUPING[step]), step)


def period_key(incident: Incident, step: Step) -> str | None:
    """The one period the incident is placed in, if any."""
    chart = timeline([incident], step)
    return chart.periods[0].key if chart.periods else None


def render(renderable: RenderableType, width: int = 80) -> str:
    out = io.StringIO()
    Console(file=out, width=width, no_color=True, highlight=False).print(renderable)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def summary(groups: list[Group]) -> list[tuple[str, int]]:
    return [(g.key, g.incidents) for g in groups]


def test_months_run_from_first_to_last_with_empty_months(seed):
    chart = timeline(seed, Step.MONTH)
    assert [g.key for g in chart.periods] == [
        "2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04",
        "2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10", "2022-11",
        "2022-12",
    ]  # fmt: skip
    assert [g.incidents for g in chart.periods] == [1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 2, 0, 0, 2]
    assert chart.apart == []
    december = chart.periods[-1]
    assert (december.killed.low, december.killed.high, december.killed.unknown) == (16, None, 1)


def test_a_year_only_incident_stands_apart_from_the_months():
    incidents = [
        make_incident(id="a", date="2022-11-30"),
        make_incident(id="b", date="2022"),
        make_incident(id="c", date="2023-01-02"),
    ]
    chart = timeline(incidents, Step.MONTH)
    assert summary(chart.periods) == [("2022-11", 1), ("2022-12", 0), ("2023-01", 1)]
    assert summary(chart.apart) == [("2022", 1)]
    assert chart.overall.incidents == 3


def test_a_month_only_incident_cannot_go_in_a_week(seed):
    chart = timeline(seed, Step.WEEK)
    assert chart.periods[0].key == "2022-W36"  # 5 September 2022, a Monday
    assert chart.periods[-1].key == "2022-W48"  # 2 December 2022
    assert len(chart.periods) == 13
    assert summary(chart.apart) == [
        ("2021-10", 1),
        ("2022-04", 1),
        ("2022-05", 1),
        ("2022-06", 1),
        ("2022-09", 1),
    ]


def test_iso_weeks_cross_the_new_year():
    incidents = [make_incident(id="a", date="2020-12-28"), make_incident(id="b", date="2021-01-11")]
    chart = timeline(incidents, Step.WEEK)
    assert [g.key for g in chart.periods] == ["2020-W53", "2021-W01", "2021-W02"]


@pytest.mark.parametrize(
    ("date", "end_date", "step", "key"),
    [
        ("2022-09-05", None, Step.WEEK, "2022-W36"),
        ("2022-09-05", "2022-09-11", Step.WEEK, "2022-W36"),
        ("2022-09-05", "2022-09-12", Step.WEEK, None),
        ("2022-09", None, Step.WEEK, None),
        ("2022-09", None, Step.MONTH, "2022-09"),
        ("2022-09-30", "2022-10-01", Step.MONTH, None),
        ("2022", None, Step.MONTH, None),
        ("2022", None, Step.YEAR, "2022"),
        ("2022-12", "2023-01", Step.YEAR, None),
    ],
)
def test_an_incident_is_placed_only_where_it_surely_lies(date, end_date, step, key):
    incident = make_incident(date=date, end_date=end_date)
    assert period_key(incident, step) == key


def test_years_and_a_span_across_years():
    incidents = [
        make_incident(id="a", date="2019-05"),
        make_incident(id="b", date="2021-12", end_date="2022-01"),
    ]
    chart = timeline(incidents, Step.YEAR)
    assert summary(chart.periods) == [("2019", 1)]
    assert summary(chart.apart) == [("2021/2022", 1)]


def test_nothing_to_chart():
    chart = timeline([], Step.MONTH)
    assert chart.periods == [] and chart.apart == []
    assert render(timeline_chart(chart)) == "No incidents to chart."


SEED_CHART_80 = """\
Month    Incidents   Killed                        Wounded
2021-10  1 ████              46 ████████████████          143 ████████████████
2021-11  0
2021-12  0
2022-01  0
2022-02  0
2022-03  0
2022-04  1 ████              11 ███▉                       32 ███▋
2022-05  1 ████              14 ████▉                       ? +
2022-06  1 ████               1 ▍                           4 ▌
2022-07  0
2022-08  0
2022-09  2 ████████          24 ████████▍                  31 ███▌
2022-10  0
2022-11  0
2022-12  2 ████████   ≥16 (1 ?) █████▋+                   ≥25 ██▊+
Total    8           ≥112 (1 ?)                    ≥235 (1 ?)
≥N at least N; (N ?) incidents with no figure; ? not known; + maybe more."""


def test_the_seed_chart_at_80_columns(seed):
    assert render(timeline_chart(timeline(seed, Step.MONTH))) == SEED_CHART_80


@pytest.mark.parametrize("width", [60, 80, 160])
def test_the_chart_fits_the_width_and_bars_grow_with_it(seed, width):
    lines = render(timeline_chart(timeline(seed, Step.WEEK)), width).splitlines()
    assert all(len(line) <= width for line in lines)
    kunduz = next(line for line in lines if line.startswith("2021-10"))
    assert kunduz.endswith("█")  # the largest toll fills its bar to the edge
    assert len(kunduz) > width - 5


def test_the_longest_bar_keeps_its_plus(seed):
    december = [i for i in seed if str(i.date).startswith("2022-12")]
    line = render(timeline_chart(timeline(december, Step.MONTH))).splitlines()[1]
    assert line.endswith("█+")
    assert len(line) == 80


def test_a_range_shows_how_far_it_may_reach():
    incidents = [
        make_incident(id="a", date="2022-01-01", killed={"min": 2, "max": 10}),
        make_incident(id="b", date="2022-02-01", killed=10),
    ]
    text = render(timeline_chart(timeline(incidents, Step.MONTH)))
    january = next(line for line in text.splitlines() if line.startswith("2022-01"))
    assert "2–10 " in january
    assert january.split()[4].endswith("░")  # the killed bar, before the wounded
    assert "░ as many as the figures allow" in text
    assert "+ maybe more" not in text


def test_apart_incidents_are_said_to_be_apart():
    incidents = [make_incident(id="a", date="2022-03-01"), make_incident(id="b", date="2022")]
    lines = render(timeline_chart(timeline(incidents, Step.MONTH))).splitlines()
    note = lines.index("Not in one month (date known only to the year, or spanning months):")
    label, count, _, killed, _, wounded, _ = lines[note + 1].split()
    assert (label, count, killed, wounded) == ("2022", "1", "3", "5")
    assert lines[note + 2].split()[:2] == ["Total", "2"]


def test_timeline_command_filters_and_groups(run):
    result = run("timeline", "--by", "year", "--location", "kunduz")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Year", "Incidents", "Killed", "Wounded"]
    assert lines[1].split()[:2] == ["2021", "1"]
    assert lines[2].split()[:2] == ["2022", "1"]
    assert lines[3].split() == ["Total", "2", "47", "147"]


def test_timeline_by_week_says_which_incidents_are_apart(run):
    result = run("timeline", "--by", "week")
    assert result.exit_code == 0
    assert "Not in one week (date known only to the month or year, or spanning weeks):" in (
        result.stdout.splitlines()
    )
    assert "2022-W48" in result.stdout


def test_timeline_refuses_an_unknown_step(run):
    result = run("timeline", "--by", "fortnight")
    assert result.exit_code == 2
    assert "Invalid value for '--by'" in result.stderr


def test_svg_into_a_missing_directory_fails_cleanly(run, tmp_path):
    result = run("timeline", "--svg", tmp_path / "no" / "such" / "out.svg")
    assert result.exit_code == 1
    assert "cannot write in" in result.stderr
    assert "Traceback" not in result.output
