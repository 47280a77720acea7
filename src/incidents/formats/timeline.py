"""The timeline as a bar chart for the terminal (rich).

One line per period: the number of incidents and a bar, then the killed and
a bar.  A killed bar is solid up to the sure lower bound; ``░`` carries it
on to the highest figure the counts allow, and ``+`` ends it when there is
no highest figure (an "at least" count, or a count not known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from incidents.formats.labels import AT_LEAST_MARK, UNKNOWN_MARK, sum_text
from incidents.inert import inert
from incidents.query import Group
from incidents.timeline import Step, Timeline

FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"
MAY_REACH = "░"
MAY_BE_MORE = "+"

_PERIOD_TITLES = {Step.YEAR: "Year", Step.MONTH: "Month", Step.WEEK: "Week"}
_APART_NOTES = {
    Step.YEAR: "Not in one year (dates spanning years):",
    Step.MONTH: "Not in one month (date known only to the year, or spanning months):",
    Step.WEEK: "Not in one week (date known only to the month or year, or spanning weeks):",
}


def timeline_chart(timeline: Timeline) -> RenderableType:
    return _TimelineChart(timeline)


@dataclass
class _Columns:
    label: int
    count: int
    count_bar: int
    killed: int
    killed_bar: int
    most_incidents: int
    most_killed: int


class _TimelineChart:
    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        timeline = self.timeline
        if not timeline.overall.incidents:
            yield Text("No incidents to chart.", style="dim")
            return
        groups = [*timeline.periods, *timeline.apart]
        columns = _layout(groups, timeline.overall, _PERIOD_TITLES[timeline.step], options)
        yield _header(columns, _PERIOD_TITLES[timeline.step])
        for group in timeline.periods:
            yield _line(group, columns)
        if timeline.apart:
            yield Text(_APART_NOTES[timeline.step], style="italic")
            for group in timeline.apart:
                yield _line(group, columns)
        yield _total_line(timeline.overall, columns)
        yield Text(_legend(groups), style="dim")


_GAP = 2
_HEADINGS = ("Incidents", "Killed")


def _layout(
    groups: Sequence[Group], overall: Group, title: str, options: ConsoleOptions
) -> _Columns:
    label = max(len(title), len("Total"), *(len(inert(g.key)) for g in groups))
    count = len(str(overall.incidents))
    killed = max(len(sum_text(g.killed)) for g in [*groups, overall])
    # What is left for the bars (after the spaces before them, and a cell for
    # a "+" after the longest): a third for incidents, the rest for the killed.
    room = options.max_width - label - count - killed - 2 * _GAP - 3
    count_bar = max(len(_HEADINGS[0]) - count - 1, room // 3)
    return _Columns(
        label=label,
        count=count,
        count_bar=count_bar,
        killed=killed,
        killed_bar=max(len(_HEADINGS[1]) - killed - 1, room - count_bar),
        most_incidents=max(g.incidents for g in groups),
        most_killed=max(g.killed.low if g.killed.high is None else g.killed.high for g in groups),
    )


def _header(columns: _Columns, title: str) -> Text:
    incidents_width = columns.count + 1 + columns.count_bar
    text = Text(style="bold")
    text.append(title.ljust(columns.label + _GAP))
    text.append(_HEADINGS[0].ljust(incidents_width + _GAP))
    text.append(_HEADINGS[1])
    return text


def _line(group: Group, columns: _Columns) -> Text:
    empty = group.incidents == 0
    text = Text(no_wrap=True, overflow="crop")
    text.append(inert(group.key).ljust(columns.label + _GAP), style="dim" if empty else "")
    text.append(str(group.incidents).rjust(columns.count) + " ", style="dim" if empty else "")
    text.append(
        _bar(group.incidents, columns.most_incidents, columns.count_bar).ljust(
            columns.count_bar + _GAP
        ),
        style="cyan",
    )
    if empty:
        return _trimmed(text)
    killed = group.killed
    text.append(
        sum_text(killed).rjust(columns.killed) + " ", style="" if killed.exact else "yellow"
    )
    sure = _bar(killed.low, columns.most_killed, columns.killed_bar)
    text.append(sure, style="red")
    if killed.high is not None and killed.high > killed.low:
        reach = round(_cells(killed.high, columns.most_killed, columns.killed_bar))
        text.append(MAY_REACH * max(1, reach - len(sure)), style="red")
    elif killed.high is None:
        text.append(MAY_BE_MORE, style="red")
    return _trimmed(text)


def _total_line(overall: Group, columns: _Columns) -> Text:
    text = Text(style="bold")
    text.append("Total".ljust(columns.label + _GAP))
    text.append(str(overall.incidents).rjust(columns.count))
    text.append(" " * (1 + columns.count_bar + _GAP))
    text.append(sum_text(overall.killed).rjust(columns.killed))
    return text


def _trimmed(text: Text) -> Text:
    text.rstrip()
    return text


def _cells(value: int, most: int, width: int) -> float:
    return value / most * width if most else 0.0


def _bar(value: int, most: int, width: int) -> str:
    """``value`` out of ``most`` as a bar of ``width`` cells, in eighths of a cell."""
    eighths = round(_cells(value, most, width) * 8)
    if value and not eighths:
        eighths = 1  # a figure above zero never draws as nothing
    full, rest = divmod(eighths, 8)
    return FULL * full + (EIGHTHS[rest] if rest else "")


def _legend(groups: Sequence[Group]) -> str:
    notes = [f"{AT_LEAST_MARK}N at least N", f"(N {UNKNOWN_MARK}) incidents with no figure"]
    if any(g.killed.high is not None and g.killed.high > g.killed.low for g in groups):
        notes.append(f"{MAY_REACH} as many as the figures allow")
    if any(g.incidents and g.killed.high is None for g in groups):
        notes.append(f"{MAY_BE_MORE} maybe more")
    return "; ".join(notes) + "."
