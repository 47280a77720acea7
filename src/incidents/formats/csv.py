"""CSV: a header row and one flat row per incident (RFC 4180 quoting).

A text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that it shows as text.  Numeric columns are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from incidents.query import CountSum, Totals
from incidents.records import FLAT_COLUMNS, FORMULA_FIRST_CHARACTERS, csv_line, flat_record

if TYPE_CHECKING:
    from incidents.model import Incident

LINE_END = "\r\n"


def neutralise(cell: str) -> str:
    return "'" + cell if cell[:1] in FORMULA_FIRST_CHARACTERS else cell


def write_lines(lines: Iterable[str], stream: TextIO) -> None:
    """The header, then one ``records.csv_line`` per incident."""
    stream.write(",".join(FLAT_COLUMNS) + LINE_END)
    for line in lines:
        stream.write(line + LINE_END)


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
)


def _sum_cells(prefix: str, total: CountSum) -> dict[str, str]:
    return {
        f"{prefix}_min": str(total.low),
        f"{prefix}_max": "" if total.high is None else str(total.high),
        f"{prefix}_unknown": str(total.unknown),
        f"{prefix}_best": "" if total.best is None else str(total.best),
    }


def write_totals(totals: Totals, stream: TextIO) -> None:
    """One row per group, then the overall row keyed ``total``."""
    writer = csv.DictWriter(stream, fieldnames=TOTAL_COLUMNS, lineterminator=LINE_END)
    writer.writeheader()
    for group in [*totals.groups, totals.overall]:
        writer.writerow(
            {
                "key": neutralise(group.key),
                "incidents": str(group.incidents),
                **_sum_cells("killed", group.killed),
                **_sum_cells("wounded", group.wounded),
            }
        )
