"""The totals as a table for the terminal: a pure function from totals to a renderable.

One grouping: a row per group with its share of the incidents, and a total
row.  Two groupings: a cross-table, the first grouping's groups down, the
second's across, one figure in each cell (incidents, killed or wounded), and
totals on both edges.  (The list's table is in ``listing``, an incident's
details in ``details``.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.console import Group as RenderGroup
from rich.table import Table
from rich.text import Text

from incidents.formats.answers import MAY_FALL_OUTSIDE, UNCERTAIN_LEGEND
from incidents.formats.labels import (
    AT_LEAST_MARK,
    UNKNOWN_MARK,
    incidents_cell,
    not_known,
    short_category,
    sum_sentence,
    sum_text,
)
from incidents.inert import inert
from incidents.periods import Step, is_period
from incidents.query import Group, GroupBy, Totals

GROUP_TITLES = {
    GroupBy.TARGET_TYPE: "Target type",
    GroupBy.ATTACK_TYPE: "Attack type",
    GroupBy.WEAPON: "Weapon",
    GroupBy.PERPETRATOR: "Perpetrator",
    GroupBy.ATTRIBUTION: "Attribution",
    GroupBy.COUNTRY: "Country",
    GroupBy.PROVINCE: "Province",
    GroupBy.DISTRICT: "District",
    GroupBy.CITY: "City",
    GroupBy.YEAR: "Year",
    GroupBy.MONTH: "Month",
    GroupBy.WEEK: "Week",
    GroupBy.DAY: "Day",
    GroupBy.DATASET: "Data set",
}

# What a cross-table's cells show (best estimates left to csv and json).
MEASURES: dict[str, Callable[[Group], str]] = {
    "incidents": lambda group: incidents_cell(group.incidents, group.uncertain),
    "killed": lambda group: sum_text(group.killed, with_best=False),
    "wounded": lambda group: sum_text(group.wounded, with_best=False),
}

WEAPON_NOTE = "An incident with several weapons counts under each; the total counts it once."


def totals_table(totals: Totals, measure: str = "incidents") -> RenderableType:
    if totals.by is None:
        overall = totals.overall
        incidents = str(overall.incidents)
        if overall.uncertain:
            which = f"{overall.uncertain} of which" if overall.incidents > 1 else "which"
            incidents += f" ({which} {MAY_FALL_OUTSIDE})"
        rows = [
            ("Incidents", incidents),
            ("Killed", sum_sentence(overall.killed)),
            ("Wounded", sum_sentence(overall.wounded)),
        ]
        return Text("\n".join(f"{label:<10} {value}" for label, value in rows))
    if totals.across is not None:
        return _cross_table(totals, measure)
    overall = totals.overall
    labels = [Text(group_label(group.key, totals.by)) for group in totals.groups]
    figures = [
        (
            incidents_cell(group.incidents, group.uncertain),
            _share(group.incidents, overall.incidents),
            sum_text(group.killed),
            sum_text(group.wounded),
        )
        for group in [overall, *totals.groups]
    ]
    table = _table()
    table.add_column(
        GROUP_TITLES[totals.by],
        "Total",
        overflow="fold",
        min_width=_label_least(labels, totals.by),
    )
    for index, heading in enumerate(_HEADINGS):
        table.add_column(heading, figures[0][index], justify="right", no_wrap=True)
    for label, row in zip(labels, figures[1:], strict=True):
        table.add_row(label, *row)
    notes = _legend(totals, [overall, *totals.groups])
    least = _least(labels, figures, _HEADINGS, totals.by)
    return _AtLeast(_with_notes(table, notes), least)


def _cross_table(totals: Totals, measure: str) -> RenderableType:
    assert totals.by is not None and totals.across is not None
    show = MEASURES[measure]
    overall = totals.overall
    table = _table()
    table.add_column(GROUP_TITLES[totals.by], "Total", overflow="fold")
    # Category names across are short, so that the columns stay narrow.
    short = totals.across in (GroupBy.TARGET_TYPE, GroupBy.ATTACK_TYPE)
    headings = [
        short_category(column.key) if short else group_label(column.key, totals.across)
        for column in totals.columns
    ]
    footer = [show(column) for column in totals.columns]
    labels = [Text(group_label(group.key, totals.by)) for group in totals.groups]
    figures = [
        (
            *(show(group.cells.get(column.key) or Group("")) for column in totals.columns),
            show(group),
        )
        for group in totals.groups
    ]
    # A heading may wrap between its words, a figure never: each column is at
    # least as wide as its widest figure and its longest word.
    least = _label_least(labels, totals.by)
    table.columns[0].min_width = least
    for index, (heading, total) in enumerate(zip(headings, footer, strict=True)):
        widest = max(_longest_word(heading), *(len(row[index]) for row in [*figures, footer]))
        table.add_column(Text(heading), total, justify="right", overflow="fold", min_width=widest)
        least += widest + 2  # a divider and a pad
    table.add_column("Total", show(overall), justify="right", no_wrap=True)
    least += max(len("Total"), *(len(row[-1]) for row in figures), len(show(overall))) + 2
    for label, row in zip(labels, figures, strict=True):
        table.add_row(label, *row)
    caption = Text(
        f"{measure.capitalize()} by {GROUP_TITLES[totals.by].lower()} (down) and "
        f"{GROUP_TITLES[totals.across].lower()} (across).",
        style="dim",
    )
    cells = [c for g in totals.groups for c in (*g.cells.values(), g)] + totals.columns
    counts = measure == "incidents"
    notes = _legend(
        totals, [overall, *cells], sums_shown=not counts, counts_shown=counts, best_shown=False
    )
    return _AtLeast(RenderGroup(caption, _with_notes(table, notes)), least)


_HEADINGS = ("Incidents", "Share", "Killed", "Wounded")
_LABEL_MIN = 12


def _table() -> Table:
    return Table(
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        padding=(0, 1, 0, 0),
        pad_edge=False,
        show_edge=False,
    )


def _share(count: int, whole: int) -> str:
    if not whole:
        return ""
    share = 100 * count / whole
    return "<0.1%" if 0 < share < 0.05 else f"{share:.1f}%"


def _least(
    labels: list[Text], figures: Sequence[Sequence[str]], headings: Sequence[str], by: GroupBy
) -> int:
    """How wide the table must be drawn: a label may wrap, a figure never;
    a narrower terminal wraps its lines."""
    widths = [max(len(h), *(len(r[i]) for r in figures)) for i, h in enumerate(headings)]
    return _label_least(labels, by) + sum(widths) + 2 * len(widths)  # a divider and a pad each


def _label_least(labels: list[Text], by: GroupBy) -> int:
    """The narrowest a label column may be: a period whole (``2022-09-06/07``),
    a name down to a few words a line, never a word broken."""
    shown = [Text("Total"), *labels]
    if by.in_time:
        return max(len(label) for label in shown)
    return max(
        min(max(len(label) for label in shown), _LABEL_MIN),
        *(_longest_word(label.plain) for label in shown),
    )


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _legend(
    totals: Totals,
    groups: Sequence[Group],
    sums_shown: bool = True,
    counts_shown: bool = True,
    best_shown: bool = True,
) -> list[str]:
    """What the marks shown mean, and what the table leaves out."""
    figures = [s for g in groups for s in (g.killed, g.wounded)] if sums_shown else []
    notes = []
    if figures and not all(s.exact for s in figures):
        legend = f"{AT_LEAST_MARK}N at least N; (N {UNKNOWN_MARK}) incidents with no figure"
        if any(not_known(s) for s in figures):
            legend += f"; {UNKNOWN_MARK} not known"
        if best_shown and any(s.best is not None for s in figures):
            legend += "; best: the sum of best estimates"
        notes.append(legend)
    if counts_shown and any(g.uncertain for g in groups):
        notes.append(UNCERTAIN_LEGEND)
    text = ["; ".join(notes) + "."] if notes else []
    if GroupBy.WEAPON in (totals.by, totals.across):
        text.append(WEAPON_NOTE)
    if totals.hidden:
        more = f"{totals.hidden} more group" + ("" if totals.hidden == 1 else "s")
        text.append(f"{more} not shown (--limit); the total counts every incident.")
    return text


def _with_notes(table: Table, notes: list[str]) -> RenderableType:
    if not notes:
        return table
    return RenderGroup(table, *(Text(note, style="dim") for note in notes))


class _AtLeast:
    """A renderable drawn at least ``width`` columns wide."""

    def __init__(self, renderable: RenderableType, width: int) -> None:
        self.renderable = renderable
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide_enough = options.update_width(max(options.max_width, self.width))
        yield from console.render(self.renderable, wide_enough)


_STEPS = {
    GroupBy.YEAR: Step.YEAR,
    GroupBy.MONTH: Step.MONTH,
    GroupBy.WEEK: Step.WEEK,
    GroupBy.DAY: Step.DAY,
}


def group_label(key: str, by: GroupBy) -> str:
    """A group's key as shown: a date known only more coarsely than the
    grouping says so (``2020 (month not known)``); a span shows as one."""
    label = inert(key)
    step = _STEPS.get(by)
    if step is not None and "/" not in key and not is_period(key, step):
        return f"{label} ({step.value} not known)"
    return label
