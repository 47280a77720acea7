"""A Markdown table (GitHub's pipe tables) to paste in a report.

The columns are the list table's, with the same marks for what is uncertain
(``≥1``, ``?``), and a line under the table saying what the marks shown mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from incidents.formats.labels import (
    AT_LEAST_MARK,
    MAYBE_OUTSIDE_MARK,
    SUSPECTED_LEGEND,
    UNKNOWN_MARK,
    count_text,
    perpetrator_text,
)
from incidents.inert import inert
from incidents.records import ListRow, list_row

if TYPE_CHECKING:
    from incidents.model import Incident

HEADINGS = ("ID", "Date", "Place", "Target type", "Attack type", "Perpetrator", "Killed", "Wounded")
# Numbers are right-aligned, as in the terminal.
ALIGNMENTS = ("---", "---", "---", "---", "---", "---", "---:", "---:")


def cell(text: str) -> str:
    """Text made safe inside a table cell: no line breaks, control characters
    made visible, pipes, markup and character references (``&#x202e;``) escaped."""
    flat = inert(" ".join(text.split()))
    for special in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "&"):
        flat = flat.replace(special, "\\" + special)
    return flat


def row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_rows((list_row(incident) for incident in incidents), stream)


def write_rows(rows: Iterable[ListRow], stream: TextIO) -> None:
    """The table from list rows, marked as the terminal's table is."""
    stream.write(row(HEADINGS) + "\n")
    stream.write(row(ALIGNMENTS) + "\n")
    marks: set[str] = set()
    for line in rows:
        perpetrator = perpetrator_text(line.perpetrator, line.suspected)
        counts = (count_text(line.killed), count_text(line.wounded))
        when = line.date_text + (MAYBE_OUTSIDE_MARK if line.date_uncertain else "")
        marks.update(
            mark
            for mark in (AT_LEAST_MARK, UNKNOWN_MARK, MAYBE_OUTSIDE_MARK)
            for c in (*counts, when)
            if mark in c
        )
        if line.perpetrator is None:
            marks.add(UNKNOWN_MARK)
        if line.suspected:
            marks.add(SUSPECTED_LEGEND)
        cells = (
            line.id,
            when,
            line.place_label,
            line.target_type,
            line.attack_type,
            perpetrator,
            *counts,
        )
        stream.write(row(cell(c) for c in cells) + "\n")
    # Say what the marks mean, as the terminal does, only for marks in the table.
    notes = {
        AT_LEAST_MARK: f"{AT_LEAST_MARK}N: at least N.",
        UNKNOWN_MARK: f"{UNKNOWN_MARK}: not known.",
        SUSPECTED_LEGEND: f"{SUSPECTED_LEGEND}.",
        MAYBE_OUTSIDE_MARK: f"{MAYBE_OUTSIDE_MARK}: may fall outside the dates asked for.",
    }
    if marks:
        stream.write("\n" + " ".join(notes[m] for m in notes if m in marks) + "\n")
