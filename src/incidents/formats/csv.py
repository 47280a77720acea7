"""CSV: a header row and one flat row per incident (RFC 4180 quoting).

A text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that it shows as text.  Numeric columns are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from itertools import islice
from typing import TYPE_CHECKING, TextIO

from incidents.query import CountSum, Group, Totals
from incidents.records import FLAT_COLUMNS, FORMULA_FIRST_CHARACTERS, csv_line, flat_record

if TYPE_CHECKING:
    from incidents.model import Incident
    from incidents.timeline import Timeline

LINE_END = "\r\n"


def neutralise(cell: str) -> str:
    return "'" + cell if cell[:1] in FORMULA_FIRST_CHARACTERS else cell


# Lines are written this many at a time: one write of a block costs less
# than a write of each line (tens of thousands in the export of a country).
BLOCK = 1024


def write_lines(lines: Iterable[str], stream: TextIO) -> None:
    """The header, then one ``records.csv_line`` per incident."""
    stream.write(",".join(FLAT_COLUMNS) + LINE_END)
    remaining = iter(lines)
    while block := list(islice(remaining, BLOCK)):
        block.append("")  # the last line's end
        stream.write(LINE_END.join(block))


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_lines((csv_line(flat_record(incident)) for incident in incidents), stream)


TOTAL_COLUMNS = (
    "key",
    "incidents",
    "killed_min",
    "killed_max",
    "killed_unknown",
    "wounded_min",
    "wounded_max",
    "wounded_unknown",
    "killed_best",
    "wounded_best",
    # How many of the incidents may fall outside the dates asked for.
    "maybe_outside_dates",
)
# The row or column of every group, in a cross-table.
TOTAL_KEY = "total"


def _sum_cells(prefix: str, total: CountSum) -> dict[str, str]:
    return {
        f"{prefix}_min": str(total.low),
        f"{prefix}_max": "" if total.high is None else str(total.high),
        f"{prefix}_unknown": str(total.unknown),
        f"{prefix}_best": "" if total.best is None else str(total.best),
    }


def _cells(group: Group) -> dict[str, str]:
    return {
        "incidents": str(group.incidents),
        **_sum_cells("killed", group.killed),
        **_sum_cells("wounded", group.wounded),
        "maybe_outside_dates": str(group.uncertain),
    }


def write_totals(totals: Totals, stream: TextIO) -> None:
    """One row per group, then the overall row keyed ``total``.  A
    cross-table has a column ``across`` after ``key``: a row per pair of
    groups with incidents, then each group of the first grouping across
    ``total``, each of the second as key ``total``, and both ``total``."""
    across = totals.across is not None
    fields = ("key", "across", *TOTAL_COLUMNS[1:]) if across else TOTAL_COLUMNS
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator=LINE_END)
    writer.writeheader()
    if not across:
        for group in [*totals.groups, totals.overall]:
            writer.writerow({"key": neutralise(group.key), **_cells(group)})
        return
    rows: list[tuple[str, str, Group]] = []
    for group in totals.groups:
        rows += [
            (group.key, c.key, group.cells[c.key]) for c in totals.columns if c.key in group.cells
        ]
    rows += [(group.key, TOTAL_KEY, group) for group in totals.groups]
    rows += [(TOTAL_KEY, column.key, column) for column in totals.columns]
    rows.append((TOTAL_KEY, TOTAL_KEY, totals.overall))
    for key, column, group in rows:
        writer.writerow({"key": neutralise(key), "across": neutralise(column), **_cells(group)})


def write_timeline(timeline: Timeline, stream: TextIO) -> None:
    """One row per period (the key of its step), then each date in no one
    period (a year when the step is the month, a span), then ``total``."""
    fields = ("period", *TOTAL_COLUMNS[1:])
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator=LINE_END)
    writer.writeheader()
    for group in [*timeline.periods, *timeline.apart, timeline.overall]:
        writer.writerow({"period": group.key, **_cells(group)})
