"""The totals as a table for the terminal: a pure function from totals to a renderable.

(The list's table is in ``listing``, an incident's details in ``details``.)
"""

from __future__ import annotations

from rich import box
from rich.console import Group as RenderGroup
from rich.console import RenderableType
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
    table.add_column(_GROUP_TITLES[totals.by], "Total", overflow="fold")
    table.add_column("Incidents", str(overall.incidents), justify="right", no_wrap=True)
    table.add_column("Killed", sum_text(overall.killed), justify="right", no_wrap=True)
    table.add_column("Wounded", sum_text(overall.wounded), justify="right", no_wrap=True)
    for group in totals.groups:
        table.add_row(
            Text(inert(_group_label(group.key, totals.by))),
            str(group.incidents),
            sum_text(group.killed),
            sum_text(group.wounded),
        )
    sums = [s for g in [overall, *totals.groups] for s in (g.killed, g.wounded)]
    if all(s.exact for s in sums):
        return table
    legend = f"{AT_LEAST_MARK}N at least N; (N {UNKNOWN_MARK}) incidents with no figure"
    if overall.killed.best is not None or overall.wounded.best is not None:
        legend += "; best: the sum of best estimates"
    return RenderGroup(table, Text(legend + ".", style="dim"))


def _group_label(key: str, by: GroupBy) -> str:
    if by is GroupBy.MONTH and len(key) == 4:
        return f"{key} (month not known)"
    return key
