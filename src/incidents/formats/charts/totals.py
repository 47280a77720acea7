"""Totals as bars: one row per group, incidents, killed and wounded side by side.

Each column has its own scale, and every bar is labelled with its figure as
the table writes it (``≥6 (1 ?)``), so that nothing rests on reading a
length.  The total row is written out, without bars, under the groups.
"""

from __future__ import annotations

from collections.abc import Callable

from incidents.formats.charts import NOTHING, Body, svg
from incidents.formats.charts.bars import (
    ARROW,
    INCIDENTS,
    KILLED,
    KILLED_PALE,
    WOUNDED,
    WOUNDED_PALE,
    Lane,
    marks_meanings,
    reach,
    sum_bar,
    unsure_meanings,
)
from incidents.formats.labels import sum_sentence, sum_text
from incidents.query import CountSum, Group, Totals

ROW = 22.0
BAR = 13.0
LABEL_SIZE = 12.0
VALUE_SIZE = 11.0
COLUMN = 200.0
GAP = 16.0
ALL = "All incidents"


def title(totals: Totals) -> str:
    if totals.by is None:
        return "Incidents, killed and wounded"
    return f"Incidents, killed and wounded by {totals.by.value.replace('-', ' ')}"


def _incidents(group: Group) -> CountSum:
    return CountSum(low=group.incidents, high=group.incidents)


# Each column: its heading, its figure in a group, its colours (sure, unsure).
_COLUMNS: list[tuple[str, Callable[[Group], CountSum], str, str]] = [
    ("Incidents", _incidents, INCIDENTS, INCIDENTS),
    ("Killed", lambda group: group.killed, KILLED, KILLED_PALE),
    ("Wounded", lambda group: group.wounded, WOUNDED, WOUNDED_PALE),
]


def totals_bars(totals: Totals) -> Body:
    overall = totals.overall
    if not overall.incidents:
        return Body(COLUMN, 20, [svg.text(0, 14, NOTHING, 13)])
    grouped = totals.by is not None
    groups = totals.groups if grouped else [Group(ALL, overall.incidents, *_sums(overall))]
    label_width = max(svg.text_width(g.key, LABEL_SIZE) for g in [*groups, Group("Total")]) + GAP
    width = label_width + len(_COLUMNS) * (COLUMN + GAP) - GAP
    top = LABEL_SIZE + 8
    parts = [
        svg.text(0, top + row * ROW + BAR - 2, group.key, LABEL_SIZE)
        for row, group in enumerate(groups)
    ]
    for number, (heading, figure, colour, pale) in enumerate(_COLUMNS):
        left = label_width + number * (COLUMN + GAP)
        parts.append(svg.text(left, LABEL_SIZE, heading, LABEL_SIZE, font_weight="bold"))
        sums = [figure(group) for group in groups]
        texts = [sum_text(s) for s in sums]
        room = COLUMN - max(svg.text_width(t, VALUE_SIZE) for t in texts) - 6
        if any(s.high is None for s in sums):
            room -= ARROW + 2
        most = max(reach(s) for s in sums)

        def scale(value: float, most: int = most, room: float = room) -> float:
            return value / most * room if most else 0.0

        for row, (total, shown) in enumerate(zip(sums, texts, strict=True)):
            y = top + row * ROW
            shapes, end = sum_bar(total, Lane(left, y, BAR, rising=False), scale, colour, pale)
            parts += [*shapes, svg.text(end + 4, y + BAR - 2, shown, VALUE_SIZE)]
    height = top + len(groups) * ROW
    if grouped:
        parts.append(svg.line(0, height + 4, width, height + 4, stroke=svg.FAINT))
        height += ROW + 4
        parts.append(svg.text(0, height - 6, "Total", LABEL_SIZE, font_weight="bold"))
        for number, (_, figure, _, _) in enumerate(_COLUMNS):
            left = label_width + number * (COLUMN + GAP)
            shown = sum_text(figure(overall))
            parts.append(svg.text(left, height - 6, shown, LABEL_SIZE, font_weight="bold"))
    summary = [
        f"{overall.incidents:,} incident{'' if overall.incidents == 1 else 's'}; "
        f"killed: {sum_sentence(overall.killed)}; wounded: {sum_sentence(overall.wounded)}."
    ]
    unsure = [s for g in groups if g.incidents for s in _sums(g)]
    legend = f"Killed and wounded: {'; '.join(unsure_meanings(unsure))}."
    marks = marks_meanings([*unsure, *_sums(overall)])
    if marks:
        legend += f" {'; '.join(marks)}."
    return Body(width, height, parts, summary, [legend])


def _sums(group: Group) -> tuple[CountSum, CountSum]:
    return group.killed, group.wounded
