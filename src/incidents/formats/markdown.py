"""A Markdown table (GitHub's pipe tables) to paste in a report.

The columns are the list table's, with the same marks for what is uncertain
(``≥1``, ``?``), and a line under the table saying what the marks shown mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from incidents.formats.labels import (
    AT_LEAST_MARK,
    UNKNOWN_MARK,
    count_text,
    date_text,
    perpetrator_text,
)
from incidents.model import Incident

HEADINGS = ("ID", "Date", "Place", "Target type", "Attack type", "Perpetrator", "Killed", "Wounded")
# Numbers are right-aligned, as in the terminal.
ALIGNMENTS = ("---", "---", "---", "---", "---", "---", "---:", "---:")


def cell(text: str) -> str:
    """Text made safe inside a table cell: no line breaks, pipes and markup escaped."""
    flat = " ".join(text.split())
    for special in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        flat = flat.replace(special, "\\" + special)
    return flat


def row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    stream.write(row(HEADINGS) + "\n")
    stream.write(row(ALIGNMENTS) + "\n")
    marks: set[str] = set()
    for incident in incidents:
        counts = (count_text(incident.killed), count_text(incident.wounded))
        marks.update(mark for mark in (AT_LEAST_MARK, UNKNOWN_MARK) for c in counts if mark in c)
        cells = (
            incident.id,
            date_text(incident),
            incident.location.label(),
            incident.target_type.value,
            incident.attack_type.value,
            perpetrator_text(incident),
            *counts,
        )
        stream.write(row(cell(c) for c in cells) + "\n")
    # Say what the marks mean, as the terminal does, only for marks in the table.
    notes = {
        AT_LEAST_MARK: f"{AT_LEAST_MARK}N: at least N.",
        UNKNOWN_MARK: f"{UNKNOWN_MARK}: not known.",
    }
    if marks:
        stream.write("\n" + " ".join(notes[m] for m in notes if m in marks) + "\n")
