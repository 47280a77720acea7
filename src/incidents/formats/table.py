"""The totals as a table for the terminal: a pure function from totals to a renderable.

(The list's table is in ``listing``, an incident's details in ``details``.)
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.console import Group as RenderGroup
from rich.table import Table
from rich.text import Text

from incidents.formats.labels import AT_LEAST_MARK, UNKNOWN_MARK, sum_sentence, sum_text
from incidents.inert import inert
from incidents.query import GroupBy, Totals

_GROUP_TITLES = {
    GroupBy.TARGET_TYPE: "Target type",
    GroupBy.ATTACK_TYPE: "Attack type",
    GroupBy.PERPETRATOR: "Perpetrator",
    GroupBy.COUNTRY: "Country",
    GroupBy.PROVINCE: "Province",
    GroupBy.CITY: "City",
    GroupBy.YEAR: "Year",
    GroupBy.MONTH: "Month",
}


def totals_table(totals: Totals) -> RenderableType:
    if totals.by is None:
        overall = totals.overall
        rows = [
            ("Incidents", str(overall.incidents)),
            ("Killed", sum_sentence(overall.killed)),
            ("Wounded", sum_sentence(overall.wounded)),
        ]
        return Text("\n".join(f"{label:<10} {value}" for label, value in rows))
    table = Table(
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        padding=(0, 1, 0, 0),
        pad_edge=False,
        show_edge=False,
    )
    overall = totals.overall
    labels = [Text(inert(_group_label(group.key, totals.by))) for group in totals.groups]
    figures = [
        (str(group.incidents), sum_text(group.killed), sum_text(group.wounded))
        for group in [overall, *totals.groups]
    ]
    table.add_column(_GROUP_TITLES[totals.by], "Total", overflow="fold")
    for index, heading in enumerate(_HEADINGS):
        table.add_column(heading, figures[0][index], justify="right", no_wrap=True)
    for label, row in zip(labels, figures[1:], strict=True):
        table.add_row(label, *row)
    # A label may wrap, a figure never: the table is drawn as wide as the
    # figures and a short label need, and a narrower terminal wraps its lines.
    label_width = min(max(len(label) for label in [Text("Total"), *labels]), _LABEL_MIN)
    figure_widths = [max(len(h), *(len(r[i]) for r in figures)) for i, h in enumerate(_HEADINGS)]
    least = label_width + sum(figure_widths) + 2 * len(figure_widths)  # a divider and a pad each
    sums = [s for g in [overall, *totals.groups] for s in (g.killed, g.wounded)]
    if all(s.exact for s in sums):
        return _AtLeast(table, least)
    legend = f"{AT_LEAST_MARK}N at least N; (N {UNKNOWN_MARK}) incidents with no figure"
    if overall.killed.best is not None or overall.wounded.best is not None:
        legend += "; best: the sum of best estimates"
    return _AtLeast(RenderGroup(table, Text(legend + ".", style="dim")), least)


_HEADINGS = ("Incidents", "Killed", "Wounded")
_LABEL_MIN = 12


class _AtLeast:
    """A renderable drawn at least ``width`` columns wide."""

    def __init__(self, renderable: RenderableType, width: int) -> None:
        self.renderable = renderable
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide_enough = options.update_width(max(options.max_width, self.width))
        yield from console.render(self.renderable, wide_enough)


def _group_label(key: str, by: GroupBy) -> str:
    if by is GroupBy.MONTH and len(key) == 4:
        return f"{key} (month not known)"
    return key
