"""Finding a quote left open in a CSV file.

A quote opened and never closed makes the csv module read the lines after it
as one cell, whole rows among them, up to the next quote or to the end of
the file: the rows are lost without a word ("Read 2 rows" of a hundred).
Line breaks inside a cell are legitimate (ACLED's notes have them, UCDP's
lists of articles), so a cell is taken for an open quote only when a line
inside it starts the way a row does: the same kinds of values, in the same
columns, as the row the cell is in.  A cell of more than a thousand lines is
taken for one too: no note is that long.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MOST_LINES_IN_A_CELL = 1000
# How many values at the start of a line must look like a row's to be one.
_ROW_START = 3
_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class OpenQuote:
    """Where a quote opened in a record, and whether its cell holds rows."""

    line: int
    holds_rows: bool


@dataclass(frozen=True)
class QuoteCheck:
    path: Path
    delimiter: str

    def check(self, cells: list[str], start: int) -> OpenQuote | None:
        """The first cell with line breaks of a record that starts on line
        ``start``, or None when no cell has any."""
        line = start
        found = None
        for cell in cells:
            breaks = len(_LINE_BREAK.findall(cell))
            if not breaks:
                continue
            inner = _LINE_BREAK.split(cell)[1:]
            if breaks > _MOST_LINES_IN_A_CELL or any(
                self._starts_a_row(text, cells) for text in inner
            ):
                return OpenQuote(line, holds_rows=True)
            found = found or OpenQuote(line, holds_rows=False)
            line += breaks
        return found

    def _starts_a_row(self, text: str, cells: list[str]) -> bool:
        values = next(csv.reader([text], delimiter=self.delimiter), [])[:-1]  # the last may be cut
        if len(values) < 2:
            return False
        count = min(_ROW_START, len(values))
        return all(
            _shape(value) == _shape(cell)
            for value, cell in zip(values[:count], cells[:count], strict=True)
        )


def _shape(value: str) -> str:
    """``202005040001`` and ``2020`` are both ``9``; ``AFG123`` is ``a9``."""
    return _LETTERS.sub("a", _DIGITS.sub("9", value.strip()))
