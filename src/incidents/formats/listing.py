"""The list of incidents: a table laid out for the terminal, or tab-separated
lines for other tools when piped.

The table never cuts a fact.  An id and a number are never wrapped or cut,
a date never broken (a span wraps after its dash); when the terminal is too
narrow for every column, the least needed columns are left out (the site
first, the place last) and text wraps within its cell.  A wider terminal
shows more: the attack type and best estimates from 100 columns, the site,
the country and full names from 150.

Piped, one line per incident: a header line of column names, then the cells
separated by tabs, every name in full, so that ``grep``, ``sort``, ``cut``
and ``awk -F'\\t'`` read it; a tab or line break inside a cell shows as
``\\t`` or ``\\n``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from incidents.formats.columns import (
    COLUMNS,
    PIPED_COLUMNS,
    Column,
    Detail,
    legend,
    summary,
)
from incidents.formats.labels import MAYBE_OUTSIDE_MARK, UNKNOWN_MARK
from incidents.records import ListRow

# From this many columns the table shows more (see Detail).
WIDE = 100
FULL = 150

# The columns (in COLUMNS order) that a terminal of each width leaves out
# unless --columns picks them; "country" is shown only when the incidents
# lie in more than one country, or on a full-width terminal.
_NOT_SHOWN = {
    Detail.COMPACT: {"site", "attack-type"},
    Detail.MEDIUM: {"site"},
    Detail.FULL: set(),
}
_COUNTS = ("killed", "wounded")
# The id, the date and the counts are always shown; then, while there is
# room, the other columns in this order.
_ALWAYS = ("id", "date", *_COUNTS)
_KEPT_FIRST = (
    *_ALWAYS,
    "sets",
    "place",
    "country",
    "perpetrator",
    "target-type",
    "attack-type",
    "site",
)
# Below these widths a text column would wrap every few words: a column
# that cannot have that much room is left out instead.
_COMFORTABLE = {
    "place": 10,
    "country": 10,
    "target-type": 10,
    "attack-type": 12,
    "perpetrator": 15,
    "site": 15,
}
_DATE_PARTS = re.compile(r"(?<=–) ")
_GAP = 1  # between columns


def detail_for(width: int) -> Detail:
    if width >= FULL:
        return Detail.FULL
    return Detail.MEDIUM if width >= WIDE else Detail.COMPACT


def incidents_table(
    rows: Sequence[ListRow],
    total_in_store: int | None = None,
    columns: Sequence[str] | None = None,
    matched: int | None = None,
) -> IncidentsTable:
    return IncidentsTable(rows, total_in_store, columns, matched)


@dataclass
class _Laid:
    column: Column
    heading: str
    cells: list[str]
    natural: int
    least: int
    width: int = 0


class IncidentsTable:
    """The list table, laid out for the width it is drawn at."""

    def __init__(
        self,
        rows: Sequence[ListRow],
        total_in_store: int | None,
        columns: Sequence[str] | None = None,
        matched: int | None = None,
    ) -> None:
        self.rows = rows
        self.total_in_store = total_in_store
        self.columns = columns
        self.matched = matched  # how many match, when a limit left some out

    def _names(self, detail: Detail) -> list[str]:
        if self.columns is not None:
            return list(self.columns)
        several_countries = len({row.country for row in self.rows}) > 1
        return [
            name
            for name in COLUMNS
            if name not in _NOT_SHOWN[detail]
            and (name != "country" or several_countries or detail is Detail.FULL)
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width
        detail = detail_for(room)
        laid = [self._lay(COLUMNS[name], detail) for name in self._names(detail)]
        if self.columns is None:  # a column with nothing to show is left out
            laid = [entry for entry in laid if any(entry.cells) or not self.rows]
        left_out = _fit(laid, room)
        shown = [entry for entry in laid if entry.width]
        table = Table(
            header_style="bold", box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False
        )
        for entry in shown:
            table.add_column(
                entry.heading,
                width=entry.width,
                justify="right" if entry.column.numeric else "left",
                no_wrap=entry.column.numeric or entry.column.name == "id",
                overflow="fold",
            )
        for index, row in enumerate(self.rows):
            table.add_row(*(_cell(entry, row, index) for entry in shown))
        needed = sum(entry.width for entry in shown) + _GAP * (len(shown) - 1)
        # Too narrow even for the id, the date and the counts: drawn wider
        # than the terminal (which wraps the lines) rather than cut.
        yield from console.render(table, options.update_width(max(room, needed)))
        yield Text(summary(len(self.rows), self.total_in_store, self.matched), style="dim")
        if self.columns is not None and left_out:
            names = ", ".join(entry.column.name for entry in left_out)
            yield Text(f"Left out for lack of room: {names}.", style="dim")
        notes = legend(self.rows, [entry.column.name for entry in shown])
        if notes:
            yield Text(notes, style="dim")

    def _lay(self, column: Column, detail: Detail) -> _Laid:
        short = column.short_heading and detail is Detail.COMPACT
        heading = column.short_heading if short else column.heading
        cells = [column.text(row, detail) for row in self.rows]
        natural = max([cell_len(heading), *(cell_len(cell) for cell in cells)])
        if column.numeric or column.name == "id":
            least = natural
        elif column.name == "date":
            # A span wraps after its dash, never inside a date.
            least = max(cell_len(part) for c in [heading, *cells] for part in _DATE_PARTS.split(c))
        else:
            least = min(natural, max(cell_len(heading), _COMFORTABLE.get(column.name, 0)))
            if column.name == "country":  # a country's name is never broken
                least = max([least, *(cell_len(word) for cell in cells for word in cell.split())])
        return _Laid(column, heading, cells, natural, least)


def _cell(entry: _Laid, row: ListRow, index: int) -> Text:
    text = entry.cells[index]
    name = entry.column.name
    if name == "date" and row.date_uncertain:
        return Text.assemble(text[: -len(MAYBE_OUTSIDE_MARK)], (MAYBE_OUTSIDE_MARK, "yellow"))
    if name == "id":
        return Text(text, style="cyan")
    if entry.column.numeric and text == UNKNOWN_MARK:
        return Text(text, style="dim")
    if entry.column.numeric and not text.isdigit():
        return Text(text, style="yellow")
    return Text(text)


def _fit(laid: list[_Laid], room: int) -> list[_Laid]:
    """Set the width of each column shown within ``room``; return those left out."""
    kept: list[_Laid] = []
    left_out: list[_Laid] = []
    used = -_GAP
    for name in _KEPT_FIRST:
        for entry in (e for e in laid if e.column.name == name):
            if name in _ALWAYS or used + _GAP + entry.least <= room:
                kept.append(entry)
                used += _GAP + entry.least
            else:
                left_out.append(entry)
    spare = room - _GAP * (len(kept) - 1)
    _share(kept, spare)
    for entry in kept:
        if entry.column.name == "date" and entry.width < entry.natural:
            # A span that cannot have one line wraps at its dash: no room wasted.
            entry.natural = entry.least
            _share(kept, spare)
    return left_out


def _share(kept: list[_Laid], spare: int) -> None:
    """As rich does: the widest columns give way first, never below their least."""
    ceiling = max((e.natural for e in kept), default=0)
    while ceiling > 0 and sum(max(e.least, min(e.natural, ceiling)) for e in kept) > spare:
        ceiling -= 1
    for entry in kept:
        entry.width = max(entry.least, min(entry.natural, ceiling))


def write_lines(
    rows: Iterable[ListRow], stream: TextIO, columns: Sequence[str] | None = None
) -> None:
    """The header line, then one tab-separated line per incident."""
    chosen = [COLUMNS[name] for name in (columns or PIPED_COLUMNS)]
    stream.write("\t".join(column.name for column in chosen) + "\n")
    for row in rows:
        stream.write("\t".join(column.text(row) for column in chosen) + "\n")


def notes(
    rows: Sequence[ListRow],
    total_in_store: int | None,
    columns: Sequence[str],
    matched: int | None = None,
) -> list[str]:
    """What the table says under it, for stderr when the lines are piped."""
    return [summary(len(rows), total_in_store, matched), *filter(None, [legend(rows, columns)])]
