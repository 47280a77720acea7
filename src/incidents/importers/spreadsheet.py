"""Reading the first sheet of an .xlsx file, within bounds, as rows of text.

An .xlsx file is a zip of XML files.  A small one can expand to gigabytes
(a "zip bomb": 4 MB to 6 GB), so before openpyxl reads anything the zip's
own directory is checked: what its members say they expand to, in all and
each against its compressed size.  Python's zip reader stops a member at
its declared size, so a member that lies about its size is cut short, and
then reads as a damaged sheet.  A sheet that is cut short or damaged is
refused in one line, naming the last row read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from incidents.importers.encodings import FileFormatError

# The whole GTD (about 200,000 incidents) expands to well under 2 GiB.
MOST_BYTES = 2 << 30
# XML compresses about 3 to 20 times; a hundred times is a bomb's mark.
MOST_RATIO = 100
# Members smaller than this are not held to the ratio (a blank sheet's XML).
SMALL_MEMBER = 1 << 20
MOST_MEMBERS = 10_000


def check_bounds(path: Path) -> None:
    """``FileFormatError`` unless the zip's members expand within bounds."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileFormatError(f"{path}: not a readable .xlsx file ({error})") from None
    if len(members) > MOST_MEMBERS:
        raise FileFormatError(
            f"{path}: an .xlsx file of {len(members):,} parts: more than {MOST_MEMBERS:,}, "
            "so it is not read"
        )
    total = sum(member.file_size for member in members)
    if total > MOST_BYTES:
        raise FileFormatError(
            f"{path}: expands to {_size(total)}, more than the {_size(MOST_BYTES)} this tool "
            "reads from an .xlsx file; save the sheet as CSV, which is read as it streams"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > SMALL_MEMBER and ratio > MOST_RATIO:
            raise FileFormatError(
                f"{path}: its part {member.filename} expands {ratio:,.0f} times (to "
                f"{_size(member.file_size)}), as no spreadsheet does: a zip bomb? Not read"
            )


def _size(number: int) -> str:
    return f"{number / (1 << 30):.1f} GiB" if number >= 1 << 30 else f"{number >> 20:,} MiB"


class Sheet:
    """The first sheet of a workbook, read row by row as text cells."""

    def __init__(self, path: Path) -> None:
        try:
            import openpyxl
        except ImportError:
            raise FileFormatError(
                f"{path}: reading .xlsx files needs openpyxl; install it with "
                "pip install 'incidents[xlsx]', or save the sheet as CSV"
            ) from None
        check_bounds(path)
        self.path = path
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            self._sheet = self._book.worksheets[0]
            self.rows_at_most = self._sheet.max_row
        except FileNotFoundError:
            raise FileFormatError(f"{path}: no such file") from None
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise FileFormatError(f"{path}: not a readable .xlsx file ({error})") from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text) for every row, the header first."""
        values = self._sheet.iter_rows(values_only=True)
        number = 0
        try:
            while True:
                try:
                    cells = next(values)
                except StopIteration:
                    return
                except Exception as error:  # a cut or damaged sheet: XML, zip or zlib errors
                    where = f"after row {number}" if number else "at its start"
                    raise FileFormatError(
                        f"{self.path}: the sheet is damaged or cut short {where} "
                        f"({type(error).__name__}: {error})"
                    ) from None
                number += 1
                yield number, [cell_text(value) for value in cells]
        finally:
            self._book.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
