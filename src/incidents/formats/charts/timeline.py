"""The timeline as a chart: incidents and killed per period, one bar each.

Incidents count in a period only when their date surely lies in it (as the
terminal's timeline counts them).  Those known only more coarsely (a year
when the step is the month) are drawn apart, under the axis, as pale dashed
spans across every period their date may fall in, with their number: they
are counted in the totals but in no one period.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.formats.charts import NOTHING, Body, svg
from incidents.formats.charts.bars import (
    DASHES,
    INCIDENTS,
    INCIDENTS_PALE,
    KILLED,
    KILLED_PALE,
    Lane,
    marks_meanings,
    reach,
    sum_bar,
    unsure_meanings,
)
from incidents.formats.labels import sum_sentence, sum_text
from incidents.periods import key_days
from incidents.query import Group
from incidents.timeline import Step, Timeline, keys_between, period_of_day

PLOT_WIDTH = 760.0
INCIDENTS_HEIGHT = 130.0
KILLED_HEIGHT = 170.0
PANEL_GAP = 44.0
HEADING_SIZE = 12.0
TICK_SIZE = 10.0
LANE_HEIGHT = 12.0
LANE_GAP = 6.0

_STEP_WORDS = {Step.YEAR: "year", Step.MONTH: "month", Step.WEEK: "week", Step.DAY: "day"}
# Label every k-th period, k the first of these that leaves room for the labels.
_LABEL_STEPS = {
    Step.YEAR: (1, 2, 5, 10, 20, 50, 100),
    Step.MONTH: (1, 2, 3, 6, 12, 24, 60, 120, 240),
    Step.WEEK: (1, 2, 4, 13, 26, 52, 104, 260),
    Step.DAY: (1, 2, 7, 14, 28, 91, 182, 364, 728, 1820),
}


def title(step: Step) -> str:
    return f"Incidents and killed per {_STEP_WORDS[step]}"


@dataclass(frozen=True)
class _Axis:
    keys: list[str]
    left: float
    band: float

    def x(self, index: int) -> float:
        return self.left + index * self.band

    @property
    def bar(self) -> float:
        return self.band * 0.78 if self.band >= 3 else self.band

    def bar_x(self, index: int) -> float:
        return self.x(index) + (self.band - self.bar) / 2


def timeline_bars(timeline: Timeline) -> Body:
    overall = timeline.overall
    if not overall.incidents:
        return Body(PLOT_WIDTH, 20, [svg.text(0, 14, NOTHING, 13)])
    step = timeline.step
    spans = {group.key: _span(group.key, step) for group in timeline.apart}
    ends = [key for first_last in spans.values() for key in first_last]
    keys = keys_between([*(g.key for g in timeline.periods), *ends], step)
    by_key = {group.key: group for group in timeline.periods}
    groups = [by_key.get(key) or Group(key) for key in keys]

    incidents_ticks = svg.nice_ticks(max(g.incidents for g in groups))
    killed_ticks = svg.nice_ticks(max(reach(g.killed) for g in groups))
    tick_width = max(svg.text_width(str(t), TICK_SIZE) for t in killed_ticks + incidents_ticks)
    axis = _Axis(keys, tick_width + 8, PLOT_WIDTH / len(keys))

    parts: list[str] = []
    top = HEADING_SIZE + 14
    parts.append(svg.text(0, HEADING_SIZE, "Incidents", HEADING_SIZE, font_weight="bold"))
    parts += _panel(axis, groups, top, INCIDENTS_HEIGHT, incidents_ticks, incidents=True)
    top += INCIDENTS_HEIGHT + PANEL_GAP
    parts.append(svg.text(0, top - 14, "Killed", HEADING_SIZE, font_weight="bold"))
    parts += _panel(axis, groups, top, KILLED_HEIGHT, killed_ticks, incidents=False)
    bottom = top + KILLED_HEIGHT
    parts += _period_labels(axis, step, bottom)
    height = bottom + TICK_SIZE + 8
    if timeline.apart:
        lane_parts, lane_height = _apart_lanes(axis, timeline.apart, spans, step, height + 14)
        parts += lane_parts
        height += 14 + lane_height

    summary = [
        f"{overall.incidents:,} incident{'' if overall.incidents == 1 else 's'}; "
        f"killed: {sum_sentence(overall.killed)}."
    ]
    if timeline.apart:
        apart = sum(g.incidents for g in timeline.apart)
        summary.append(
            f"{apart:,} of them known only more coarsely than the {_STEP_WORDS[step]}:"
            " drawn apart, under the axis."
        )
    sums = [g.killed for g in [*groups, *timeline.apart] if g.incidents]
    legend = [
        f"Incidents whose date surely lies in the {_STEP_WORDS[step]}. "
        f"Killed: {'; '.join(unsure_meanings(sums) + marks_meanings(sums))}."
    ]
    return Body(axis.left + PLOT_WIDTH, height, parts, summary, legend)


def _span(key: str, step: Step) -> tuple[str, str]:
    """The first and last periods an apart key (``2022``, ``2022-09``,
    ``2021/2022``, ``2020-04/05``) covers."""
    first, last = key_days(key)
    return period_of_day(first, step), period_of_day(last, step)


def _panel(
    axis: _Axis,
    groups: list[Group],
    top: float,
    height: float,
    ticks: list[int],
    incidents: bool,
) -> list[str]:
    base = top + height
    right = axis.left + PLOT_WIDTH

    def scale(value: float) -> float:
        return value / ticks[-1] * height

    parts = []
    for tick in ticks:
        y = base - scale(tick)
        parts.append(svg.line(axis.left, y, right, y, stroke="#e6e6e6" if tick else svg.INK))
        parts.append(svg.text(axis.left - 6, y + 3.5, str(tick), TICK_SIZE, "end", fill=svg.MUTED))
    for index, group in enumerate(groups):
        if not group.incidents:
            continue
        x = axis.bar_x(index)
        if incidents:
            y = base - scale(group.incidents)
            parts.append(svg.rect(x, y, axis.bar, base - y, fill=INCIDENTS))
            label = str(group.incidents)
        else:
            lane = Lane(base, x, axis.bar, rising=True)
            shapes, y = sum_bar(group.killed, lane, scale, KILLED, KILLED_PALE)
            parts += shapes
            label = sum_text(group.killed)
        if svg.text_width(label, TICK_SIZE) <= axis.band:
            parts.append(svg.text(x + axis.bar / 2, y - 3, label, TICK_SIZE, "middle"))
    return parts


def _period_labels(axis: _Axis, step: Step, bottom: float) -> list[str]:
    widest = max(svg.text_width(key, TICK_SIZE) for key in axis.keys) + 6
    every = next((k for k in _LABEL_STEPS[step] if k * axis.band >= widest), _LABEL_STEPS[step][-1])
    parts = []
    for index, key in enumerate(axis.keys):
        if _position(key, step, index) % every:
            continue
        shown = key[:4] if step is Step.MONTH and every >= 12 else key
        middle = axis.x(index) + axis.band / 2
        parts.append(svg.line(middle, bottom, middle, bottom + 3, stroke=svg.INK))
        parts.append(svg.text(middle, bottom + 4 + TICK_SIZE, shown, TICK_SIZE, "middle"))
    return parts


def _position(key: str, step: Step, index: int) -> int:
    """A period's place in a count that makes round labels: the year, the
    month counted from year 0, the week's place on the axis."""
    if step is Step.YEAR:
        return int(key)
    if step is Step.MONTH:
        return int(key[:4]) * 12 + int(key[5:7]) - 1
    return index


def _apart_lanes(
    axis: _Axis,
    apart: list[Group],
    spans: dict[str, tuple[str, str]],
    step: Step,
    top: float,
) -> tuple[list[str], float]:
    """The incidents in no one period: a span each, packed into as few rows
    as their spans and labels allow."""
    heading = (
        f"In no one {_STEP_WORDS[step]} (date known only more coarsely, or spanning"
        f" {_STEP_WORDS[step]}s): each span covers where the date may fall"
    )
    parts = [svg.text(0, top, heading, TICK_SIZE + 1, fill=svg.MUTED)]
    index = {key: i for i, key in enumerate(axis.keys)}
    right_edge = axis.left + PLOT_WIDTH
    rows: list[float] = []  # where each row is free from
    first_row = top + 8
    for group in apart:
        first, last = spans[group.key]
        x0, x1 = axis.x(index[first]), axis.x(index[last]) + axis.band
        plural = "incident" if group.incidents == 1 else "incidents"
        label = f"{group.key}: {group.incidents:,} {plural}, {sum_text(group.killed)} killed"
        width = svg.text_width(label, TICK_SIZE) + 6
        label_x = x1 + 4 if x1 + width <= right_edge else x0 - width
        start, end = min(x0, label_x), max(x1, label_x + width)
        row = next((r for r, free in enumerate(rows) if free <= start), len(rows))
        if row == len(rows):
            rows.append(0)
        rows[row] = end + 4
        y = first_row + row * (LANE_HEIGHT + LANE_GAP)
        parts.append(
            svg.rect(
                x0,
                y,
                max(x1 - x0, 1),
                LANE_HEIGHT,
                fill=INCIDENTS_PALE,
                stroke=INCIDENTS,
                stroke_dasharray=DASHES,
            )
        )
        parts.append(svg.text(label_x + 2, y + LANE_HEIGHT - 2, label, TICK_SIZE))
    height = 8 + len(rows) * (LANE_HEIGHT + LANE_GAP)
    return parts, height
