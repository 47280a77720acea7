"""Rich tables for the terminal: pure functions from incidents to renderables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.console import Group as RenderGroup
from rich.table import Table
from rich.text import Text

from incidents.formats.labels import (
    AT_LEAST_MARK,
    MAYBE_OUTSIDE_MARK,
    UNKNOWN_MARK,
    count_text,
    perpetrator_text,
    short_category,
    sum_sentence,
    sum_text,
)
from incidents.query import GroupBy, Totals
from incidents.records import Figure, ListRow, date_text

if TYPE_CHECKING:
    from incidents.model import Incident

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


def incidents_table(rows: Sequence[ListRow], total_in_store: int | None = None) -> RenderableType:
    return _IncidentsTable(rows, total_in_store)


class _IncidentsTable:
    """The list table.  Below 100 columns it leaves out the attack type and
    names only the most precise place, so that a row fits on one line at 80."""

    def __init__(self, rows: Sequence[ListRow], total_in_store: int | None) -> None:
        self.rows = rows
        self.total_in_store = total_in_store

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        compact = options.max_width < WIDE
        table = Table(
            header_style="bold", box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False
        )
        table.add_column("ID", style="cyan", overflow="fold")
        table.add_column("Date", min_width=10)  # a span wraps at its dash
        table.add_column("Place", overflow="fold")
        table.add_column("Target", overflow="fold")
        if not compact:
            table.add_column("Attack")
        table.add_column("Perp." if compact else "Perpetrator", overflow="fold")
        table.add_column("Killed", justify="right", no_wrap=True)
        table.add_column("Wounded", justify="right", no_wrap=True)
        marked = any(row.reported_by for row in self.rows)  # --distinct: who reports it
        if marked:
            from incidents.formats.matching import dataset_mark

            table.add_column("Sets", no_wrap=True)
        for row in self.rows:
            when = Text(row.date_text)
            if row.date_uncertain:
                when.append(MAYBE_OUTSIDE_MARK, style="yellow")
            cells: list[RenderableType] = [
                row.id,
                when,
                row.short_place if compact else row.place_label,
                short_category(row.target_type),
                short_category(row.attack_type),
                perpetrator_text(row.perpetrator, row.suspected, short=True),
                _count_cell(row.killed, with_best=not compact),
                _count_cell(row.wounded, with_best=not compact),
            ]
            if compact:
                del cells[4]
            if marked:
                cells.append("".join(dataset_mark(d) for d in row.reported_by))
            table.add_row(*cells)
        yield table
        shown = len(self.rows)
        summary = f"{shown} incident{'s' if shown != 1 else ''}"
        if self.total_in_store is not None and self.total_in_store != shown:
            summary += f" of {self.total_in_store}"
        yield Text(summary + ".", style="dim")
        legend = _legend(self.rows)
        if legend:
            yield Text(legend, style="dim")


# Below this many columns the list table drops what it can spare.
WIDE = 100


def _legend(rows: Sequence[ListRow]) -> str:
    """Explain only the marks that the table shows."""
    counts = [count_text(figure) for row in rows for figure in (row.killed, row.wounded)]
    notes = []
    if any(text.startswith(AT_LEAST_MARK) for text in counts):
        notes.append(f"{AT_LEAST_MARK}N at least N")
    if UNKNOWN_MARK in counts or any(row.perpetrator is None or row.suspected for row in rows):
        notes.append(f"{UNKNOWN_MARK} not known")
    if any(row.date_uncertain for row in rows):
        notes.append(f"{MAYBE_OUTSIDE_MARK} may fall outside the dates asked for")
    if any(row.reported_by for row in rows):
        from incidents.formats.matching import marks_legend

        notes.append(marks_legend([d for row in rows for d in row.reported_by]))
    return "; ".join(notes) + "." if notes else ""


def _count_cell(count: Figure, with_best: bool = True) -> Text:
    text = count_text(count, with_best)
    if text == UNKNOWN_MARK:
        return Text(text, style="dim")
    if not text.isdigit():
        return Text(text, style="yellow")
    return Text(text)


def incident_details(incident: Incident) -> RenderableType:
    """Every field of one incident, with its sources."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    location = incident.location

    def row(label: str, value: str | None) -> None:
        if value:
            grid.add_row(label, value)

    row("ID", incident.id)
    precision = incident.date.precision.value
    when = date_text(str(incident.date), str(incident.end_date or ""))
    row("Date", f"{when} (known to the {precision})")
    row("Country", location.country)
    row("Province", location.province)
    row("District", location.district)
    row("City", location.city)
    row("Site", location.site)
    row("Also spelt", ", ".join(location.aliases))
    if location.coordinates:
        c = location.coordinates
        row("Coordinates", f"{c.lat}, {c.lon} ({c.precision.value} precision)")
    perpetrator = incident.perpetrator
    row("Perpetrator", f"{perpetrator.name or 'unknown'} ({perpetrator.attribution.value})")
    if incident.claim:
        claim = incident.claim
        details = ", ".join(filter(None, (str(claim.date) if claim.date else None, claim.channel)))
        row("Claim", f"{claim.by}" + (f" ({details})" if details else ""))
    row("Attack type", incident.attack_type.value)
    row("Target type", incident.target_type.value)
    row("Target", incident.target)
    row("Weapons", ", ".join(w.value for w in incident.weapon_types))
    row("Killed", _count_words(incident.killed))
    row("Wounded", _count_words(incident.wounded))
    if incident.property_damage:
        damage = incident.property_damage
        occurred = {True: "yes", False: "no", None: "not known"}[damage.occurred]
        row("Property damage", occurred + (f": {damage.description}" if damage.description else ""))
    row("Summary", incident.summary)
    row("Notes", incident.notes)
    if incident.origin:
        origin = incident.origin
        kind = f" ({origin.event_type})" if origin.event_type else ""
        row("Imported from", f"{origin}{kind}")
    for number, source in enumerate(incident.sources, 1):
        parts = [source.publisher, str(source.date) if source.date else None]
        parts += [source.title, source.url]
        row(f"Source {number}", ", ".join(p for p in parts if p))
    return grid


def _count_words(count: Figure) -> str:
    text = count_text(count)
    if text == UNKNOWN_MARK:
        return "not known"
    if text.startswith(AT_LEAST_MARK):
        return f"at least {text[len(AT_LEAST_MARK) :]}"
    return text


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
            _group_label(group.key, totals.by),
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
