"""The timeline as a bar chart for the terminal (rich).

One line per period: the number of incidents and a bar, then the killed and
a bar, then the wounded and a bar.  A killed (or wounded) bar is solid up to
the sure lower bound; ``░`` carries it on to the highest figure the counts
allow, and ``+`` ends it when there is no highest figure (an "at least"
count, or a count not known).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from incidents.formats.answers import UNCERTAIN_LEGEND
from incidents.formats.labels import (
    AT_LEAST_MARK,
    UNKNOWN_MARK,
    incidents_cell,
    not_known,
    sum_text,
)
from incidents.inert import inert
from incidents.query import CountSum, Group
from incidents.timeline import Step, Timeline

FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"
MAY_REACH = "░"
MAY_BE_MORE = "+"

_PERIOD_TITLES = {Step.YEAR: "Year", Step.MONTH: "Month", Step.WEEK: "Week", Step.DAY: "Day"}
_APART_NOTES = {
    Step.YEAR: "Not in one year (dates spanning years):",
    Step.MONTH: "Not in one month (date known only to the year, or spanning months):",
    Step.WEEK: "Not in one week (date known only to the month or year, or spanning weeks):",
    Step.DAY: "Not on one day (date known only to the month or year, or spanning days):",
}


def timeline_chart(timeline: Timeline) -> RenderableType:
    return _TimelineChart(timeline)


@dataclass
class _Figure:
    """How a sum (killed, wounded) is drawn: its text's width, its bar's, its scale."""

    of: Callable[[Group], CountSum]
    width: int
    bar: int
    most: int


@dataclass
class _Columns:
    label: int
    count: int
    count_bar: int
    most_incidents: int
    figures: list[_Figure]


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
        yield Text(_legend([*groups, timeline.overall]), style="dim")


_GAP = 2
_HEADINGS = ("Incidents", "Killed", "Wounded")
_SUMS: tuple[Callable[[Group], CountSum], ...] = (lambda g: g.killed, lambda g: g.wounded)


def _reach(total: CountSum) -> int:
    return total.low if total.high is None else total.high


def _layout(
    groups: Sequence[Group], overall: Group, title: str, options: ConsoleOptions
) -> _Columns:
    label = max(len(title), len("Total"), *(len(inert(g.key)) for g in groups))
    count = max(len(incidents_cell(g.incidents, g.uncertain)) for g in [*groups, overall])
    widths = [max(len(sum_text(of(g))) for g in [*groups, overall]) for of in _SUMS]
    # What is left for the bars (after the spaces before them, and a cell for
    # a "+" after the longest): a fifth for incidents, the rest shared by the
    # killed and the wounded.
    room = options.max_width - label - count - sum(widths) - 3 * _GAP - 5
    count_bar = max(len(_HEADINGS[0]) - count - 1, room // 5)
    figure_bar = (room - count_bar) // 2
    figures = [
        _Figure(
            of, width, max(len(heading) - width - 1, figure_bar), max(_reach(of(g)) for g in groups)
        )
        for of, width, heading in zip(_SUMS, widths, _HEADINGS[1:], strict=True)
    ]
    return _Columns(label, count, count_bar, max(g.incidents for g in groups), figures)


def _header(columns: _Columns, title: str) -> Text:
    text = Text(style="bold")
    text.append(title.ljust(columns.label + _GAP))
    text.append(_HEADINGS[0].ljust(columns.count + 1 + columns.count_bar + _GAP))
    for figure, heading in zip(columns.figures, _HEADINGS[1:], strict=True):
        text.append(heading.ljust(figure.width + 1 + figure.bar + 1 + _GAP))
    text.rstrip()
    return text


def _line(group: Group, columns: _Columns) -> Text:
    empty = group.incidents == 0
    text = Text(no_wrap=True, overflow="crop")
    text.append(inert(group.key).ljust(columns.label + _GAP), style="dim" if empty else "")
    count = incidents_cell(group.incidents, group.uncertain)
    text.append(count.rjust(columns.count) + " ", style="dim" if empty else "")
    bar = _bar(group.incidents, columns.most_incidents, columns.count_bar)
    text.append(bar.ljust(columns.count_bar + _GAP), style="cyan")
    if empty:
        return _trimmed(text)
    for figure, style in zip(columns.figures, ("red", "magenta"), strict=True):
        total = figure.of(group)
        text.append(
            sum_text(total).rjust(figure.width) + " ", style="" if total.exact else "yellow"
        )
        drawn = _figure_bar(total, figure)
        text.append(drawn, style=style)
        text.append(" " * (figure.bar + 1 - len(drawn) + _GAP))
    return _trimmed(text)


def _figure_bar(total: CountSum, figure: _Figure) -> str:
    """Solid to the sure figure, then ``░`` to the highest the counts allow or
    ``+`` when nothing bounds it."""
    sure = _bar(total.low, figure.most, figure.bar)
    if total.high is not None and total.high > total.low:
        reach = round(_cells(total.high, figure.most, figure.bar))
        return sure + MAY_REACH * max(1, reach - len(sure))
    if total.high is None:
        return sure + MAY_BE_MORE
    return sure


def _total_line(overall: Group, columns: _Columns) -> Text:
    text = Text(style="bold")
    text.append("Total".ljust(columns.label + _GAP))
    text.append(incidents_cell(overall.incidents, overall.uncertain).rjust(columns.count))
    text.append(" " * (1 + columns.count_bar + _GAP))
    for figure in columns.figures:
        text.append(sum_text(figure.of(overall)).rjust(figure.width))
        text.append(" " * (1 + figure.bar + 1 + _GAP))
    text.rstrip()
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
    sums = [of(g) for g in groups if g.incidents for of in _SUMS]
    if any(not_known(s) for s in sums):
        notes.append(f"{UNKNOWN_MARK} not known")
    if any(s.high is not None and s.high > s.low for s in sums):
        notes.append(f"{MAY_REACH} as many as the figures allow")
    if any(s.high is None for s in sums):
        notes.append(f"{MAY_BE_MORE} maybe more")
    if any(g.uncertain for g in groups):
        notes.append(UNCERTAIN_LEGEND)
    return "; ".join(notes) + "."
