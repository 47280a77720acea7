"""Reading the data sets' files: CSV in whatever encoding, or a spreadsheet.

A file is read one row at a time, so memory does not grow with its size.
Its encoding is decided before parsing (``encodings``).  Header names are
matched without regard to case, spaces or a stray byte-order mark, each
data set may give older names for its columns, and a column named twice is
refused.
"""

from __future__ import annotations

import csv
import functools
import itertools
import operator
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from incidents.importers.encodings import (
    LATIN,
    LATIN_FALLBACK,
    UTF16,
    FileFormatError,
    open_binary,
    scan,
)
from incidents.importers.quotes import QuoteCheck

# Field sizes in GTD summaries and ACLED notes exceed csv's default limit
# of 131072 characters only in broken files, but a long one must not abort.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Columns:
    """The header a data set's file must have.

    ``required`` are the canonical (lower-case) names the importer reads
    without fail; ``aliases`` map older or variant names to canonical ones.
    """

    dataset: str
    required: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        key = "_".join(name.replace("\ufeff", "").strip().lower().split())
        return self.aliases.get(key, key)

    def missing(self, names: list[str]) -> list[str]:
        present = set(names)
        return [name for name in self.required if name not in present]


@dataclass(frozen=True)
class Row:
    """One data row: where it starts in the file, and its cells by column
    (``positions`` says where each column's cell is, for every row alike)."""

    line: int
    values: Sequence[str]
    positions: Mapping[str, int]

    def __getitem__(self, column: str) -> str:
        position = self.positions.get(column)
        return "" if position is None else self.values[position]

    def __contains__(self, column: object) -> bool:
        """Whether the file has this column (its cell may be blank)."""
        return column in self.positions

    def cells(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        """The cells of these columns ("" where the file has no such column):
        what a mapper makes of them alone can be kept under them."""
        if isinstance(self.positions, Positions):
            return self.positions.picker(columns)(self.values)
        return tuple(self[column] for column in columns)

    @classmethod
    def of_cells(cls, columns: tuple[str, ...], cells: tuple[str, ...]) -> Row:
        """A row of only these columns, holding ``cells``: its cells read as
        those of the row that gave them (``cells``).  (Not whether that row's
        file has a column: ``in`` says it of each of ``columns``.)"""
        return cls(0, cells, _positions_of(columns))


class Positions(dict[str, int]):
    """Where each column's cell is in every row of one file, and how to take
    the cells of several columns at once (made once for the file)."""

    def __init__(self, positions: Mapping[str, int]) -> None:
        super().__init__(positions)
        self._pickers: dict[tuple[str, ...], Callable[[Sequence[str]], tuple[str, ...]]] = {}

    def __reduce__(self) -> tuple[type[Positions], tuple[dict[str, int]]]:
        # A row sent to another process takes its file's positions, not the
        # pickers made here (a picker may not pickle): they are made there.
        return Positions, (dict(self),)

    def picker(self, columns: tuple[str, ...]) -> Callable[[Sequence[str]], tuple[str, ...]]:
        """The cells of ``columns`` in a row's values ("" for a column the file lacks)."""
        found = self._pickers.get(columns)
        if found is None:
            found = self._pickers[columns] = self._made_picker(columns)
        return found

    def _made_picker(self, columns: tuple[str, ...]) -> Callable[[Sequence[str]], tuple[str, ...]]:
        if len(columns) > 1 and all(column in self for column in columns):
            return operator.itemgetter(*(self[column] for column in columns))
        places = [self.get(column) for column in columns]
        return lambda values: tuple("" if at is None else values[at] for at in places)


@functools.cache
def _positions_of(columns: tuple[str, ...]) -> dict[str, int]:
    return {column: position for position, column in enumerate(columns)}


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be split into the header's columns."""

    line: int
    reason: str


class TableFile:
    """A data set's file opened for reading, row by row.

    ``estimated_rows`` is an upper bound known before reading (the line
    count, less the header); ``encoding`` says how the text was decoded.
    """

    def __init__(self, path: Path, columns: Columns) -> None:
        self.path = path
        self.columns = columns
        self.is_spreadsheet = _is_spreadsheet(path)
        self.encoding: str | None = None
        self.estimated_rows: int | None = None
        if not self.is_spreadsheet:
            found = scan(path)
            self.encoding = found.encoding
            self.estimated_rows = max(found.lines - 1, 0)

    def rows(self) -> Iterator[Row | BadRow]:
        """Every data row in order; blank lines are passed over."""
        if self.is_spreadsheet:
            yield from self._spreadsheet_rows()
            return
        assert self.encoding is not None
        # UTF-8 was checked whole by scan(); UTF-16 was not, so a damaged
        # byte shows as U+FFFD rather than stopping the import.
        errors = {LATIN: LATIN_FALLBACK, UTF16: "replace"}.get(self.encoding, "strict")
        with (
            open_binary(self.path) as raw,
            _text(raw, self.encoding, errors) as text,
        ):
            first = text.readline()
            if not first.strip():
                raise FileFormatError(f"{self.path}: the file is empty, or its first line is")
            delimiter = _delimiter(first)
            reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
            try:
                header_cells = next(reader)
            except StopIteration:
                raise FileFormatError(f"{self.path}: the file is empty") from None
            except csv.Error as error:
                raise FileFormatError(f"{self.path}:1: cannot read the header: {error}") from None
            header = self._header(header_cells)
            yield from _records(reader, Header(header), QuoteCheck(self.path, delimiter))

    def _header(self, cells: list[str]) -> list[str]:
        header = [self.columns.canonical(cell) for cell in cells]
        missing = self.columns.missing(header)
        if missing:
            raise HeaderMismatch(self.path, self.columns, cells, missing)
        self._refuse_repeated(cells, header)
        return header

    def _refuse_repeated(self, cells: list[str], header: list[str]) -> None:
        """A column named twice: which of the two holds the data cannot be
        known, so the file is refused rather than one of them used."""
        seen: dict[str, int] = {}
        for position, name in enumerate(header):
            if not name:  # a spreadsheet's empty trailing columns
                continue
            if name not in seen:
                seen[name] = position
                continue
            first = seen[name]
            names = [cells[first].replace("\ufeff", "").strip(), cells[position].strip()]
            if names[0] == names[1]:
                twice = f"the column {names[0]!r} twice (columns {first + 1} and {position + 1})"
            else:
                twice = (
                    f"one column twice: {names[0]!r} (column {first + 1}) and {names[1]!r} "
                    f"(column {position + 1}) are two names of {name!r}"
                )
            raise FileFormatError(
                f"{self.path}:1: the header names {twice}: which one holds the data cannot "
                "be known; remove one and import again"
            )

    def _spreadsheet_rows(self) -> Iterator[Row | BadRow]:
        from incidents.importers.spreadsheet import Sheet

        sheet = Sheet(self.path)
        if sheet.rows_at_most:
            self.estimated_rows = max(sheet.rows_at_most - 1, 0)
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise FileFormatError(f"{self.path}: the sheet is empty")
        header = Header(self._header(first[1]))
        for number, texts in rows:
            if any(texts):
                yield _row(number, header, texts)


def _text(raw: IO[bytes], encoding: str, errors: str) -> IO[str]:
    import io

    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


class Header(list[str]):
    """A file's column names, and where each one's cell is in a row (the last
    of a name given twice: only a spreadsheet's nameless columns are)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.positions = Positions({name: position for position, name in enumerate(names)})


def _records(reader: Any, header: Header, quotes: QuoteCheck) -> Iterator[Row | BadRow]:
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield BadRow(previous_end + 1, f"not valid CSV: {error}")
            previous_end = reader.line_num
            continue
        start = previous_end + 1
        previous_end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        # A cell with line breaks (notes may have them), or a quote left open.
        opened = quotes.check(cells, start) if previous_end > start else None
        if opened is not None and opened.holds_rows:
            raise FileFormatError(
                f"{quotes.path}:{opened.line}: a quote opened on this line is not closed until "
                f"line {previous_end}, so the lines between, other rows among them, were read "
                "as one cell. Close the quote (a quote inside a quoted cell is written twice: "
                '"") and import again; nothing was written.'
            )
        if opened is not None and len(cells) != len(header):
            yield BadRow(
                start,
                f"has {len(cells)} cells, but the header has {len(header)}: a quote opened "
                f"on line {opened.line} is closed only on line {previous_end}, so lines "
                f"{start} to {previous_end} were read as one row",
            )
        else:
            yield _row(start, header, cells)


def _row(line: int, header: Header, cells: list[str]) -> Row | BadRow:
    if len(cells) != len(header):
        # Trailing empty cells are a spreadsheet's habit, not a fault.
        if len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :]):
            cells = cells[: len(header)]
        else:
            return BadRow(line, f"has {len(cells)} cells, but the header has {len(header)}")
    return Row(line, cells, header.positions)


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon or tab a spreadsheet saved the file with."""
    return max((",", ";", "\t"), key=header_line.count)


def _is_spreadsheet(path: Path) -> bool:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    if path.suffix.lower() == ".xls":
        raise FileFormatError(
            f"{path}: an old Excel .xls file cannot be read; save it as .xlsx or CSV"
        )
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"PK\x03\x04" and path.suffix.lower() != ".csv"
    except OSError:
        return False


class HeaderMismatch(FileFormatError):
    """A header without the columns a data set needs."""

    def __init__(
        self,
        path: Path,
        columns: Columns,
        found: list[str],
        missing: list[str],
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.columns = columns
        self.found = found
        self.missing = missing
        shown = [cell.replace("\ufeff", "").strip() for cell in found if cell.strip()]
        listed = ", ".join(shown[:12]) + (f", ... ({len(shown)} in all)" if len(shown) > 12 else "")
        lines = [
            f"{path}: not a {columns.dataset} export: the header lacks {', '.join(missing)}.",
            f"  expected columns: {', '.join(columns.required)}",
            f"  found: {listed or 'no column names'}",
        ]
        if hint:
            lines.append(f"  {hint}")
        super().__init__("\n".join(lines))
