"""``incidents stats``: what a store holds, as a table for the terminal or as JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any, TextIO

from rich import box
from rich.console import Group as RenderGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from incidents.certainty import CODES
from incidents.inert import inert

if TYPE_CHECKING:
    from incidents.stats import StoreStats, TollCount

_DATES = {
    "day": "known to the day",
    "month": "known to the month",
    "year": "known to the year",
    "span": "a span of days, months or years",
}
_PLACES = {
    "exact": "the exact spot",
    "site": "the site",
    "city": "the city",
    "district": "the district",
    "province": "the province",
    "country": "only the country",
}


def _share(count: int, whole: int) -> str:
    if not whole:
        return ""
    share = 100 * count / whole
    return "<0.1%" if 0 < share < 0.05 else f"{share:.1f}%"


def stats_table(stats: StoreStats, store_name: str) -> RenderableType:
    whole = stats.incidents
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    table.add_column("", overflow="fold")
    table.add_column("Incidents", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)

    def section(title: str, rows: list[tuple[str, int]], of: int = whole) -> None:
        table.add_row(Text(title, style="bold"), "", "")
        for label, count in rows:
            table.add_row(Text("  " + label), str(count), _share(count, of))

    years = [d for d in stats.datasets if d.incidents]
    section("Data set", [(_dataset(d.name, d.first_year, d.last_year), d.incidents) for d in years])
    section("Date", [(_DATES[kind], count) for kind, count in stats.dates.items()])
    section("Place known to", [(_PLACES[level], count) for level, count in stats.places.items()])
    for title, toll in (("Killed", stats.killed), ("Wounded", stats.wounded)):
        section(title, _toll_rows(toll))
    section("Perpetrator", list(stats.attributions.items()))
    # A code's shares are of its data set's incidents.
    imported = {d.name: d.incidents for d in years}
    for name, values in stats.codes.items():
        code = CODES[name]
        rows = [(f"{value}: {code.values[value]}", count) for value, count in values.items()]
        of = imported.get(code.dataset, whole)
        section(f"{name} ({code.dataset.upper()}: {code.title}; shares of its {of:,})", rows, of)
    heading = f"{whole:,} incident{'' if whole == 1 else 's'} in {inert(store_name)}"
    first = min((d.first_year for d in years), default="")
    last = max((d.last_year for d in years), default="")
    if first:
        heading += f", {_years(first, last)}"
    return RenderGroup(Text(heading + ".", style="bold"), Text(""), table)


def _dataset(name: str | None, first: str, last: str) -> str:
    return f"{inert(name) if name else 'kept by hand'} ({_years(first, last)})"


def _years(first: str, last: str) -> str:
    return first if first == last else f"{first}–{last}"


def _toll_rows(toll: TollCount) -> list[tuple[str, int]]:
    return [
        ("an exact figure", toll.exact),
        ("a bound or a range", toll.bounded),
        ("not known", toll.unknown),
    ]


def stats_data(stats: StoreStats) -> dict[str, Any]:
    data = dataclasses.asdict(stats)
    data["codes"] = {
        name: {str(value): count for value, count in values.items()}
        for name, values in stats.codes.items()
    }
    return data


def write_stats(stats: StoreStats, stream: TextIO) -> None:
    stream.write(json.dumps(stats_data(stats), indent=2, ensure_ascii=False) + "\n")
