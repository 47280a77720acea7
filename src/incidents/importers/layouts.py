"""Dates as each data set's codebook writes them, and only those.

A date in an outside file is read in the order its codebook gives, never
guessed: GTD's CSV writes ``resolution`` month first (``10/31/2001``), ACLED
writes numeric dates day first (``02/01/1997`` is 2 January), UCDP writes
``2009-02-20 00:00:00.000``.  A layout is a function from the cell's text to
a day: None when the text is not in that layout, ValueError when it is but
names no real day (``2/30/2001``).  A data set lists the layouts it uses;
user-typed dates are read elsewhere (``dates.parse_user_date``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

Layout = Callable[[str], date | None]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4})$")
# 9-May-20, 21 March 2020, 01-January-2015
_DAY_NAMED_MONTH = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{2}|\d{4})$")
# June 3, 2011 (citations)
_NAMED_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_SERIAL = re.compile(r"^\d{1,6}(?:\.0+)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Excel counts days from 1899-12-30 (for every date after February 1900).
_EXCEL_EPOCH = date(1899, 12, 30)


def iso(value: str) -> date | None:
    """``2016-07-02``, with a time of day as UCDP adds it (``00:00:00.000``)."""
    found = _ISO.match(value)
    return date(int(found[1]), int(found[2]), int(found[3])) if found else None


def month_first(value: str) -> date | None:
    """``10/31/2001``: month, day, year."""
    found = _NUMERIC.match(value)
    return date(int(found[4]), int(found[1]), int(found[3])) if found else None


def day_first(value: str) -> date | None:
    """``02/01/1997`` or ``02-01-1997``: day, month, year."""
    found = _NUMERIC.match(value)
    return date(int(found[4]), int(found[3]), int(found[1])) if found else None


def day_named_month(value: str) -> date | None:
    """``9-May-20``, ``21 March 2020``, ``01-January-2015``."""
    found = _DAY_NAMED_MONTH.match(value)
    if not found or (month := _MONTHS.get(found[2].lower())) is None:
        return None
    year = found[3]
    # Two-digit years as Excel writes them (9-May-20): 69 and later are 1900s.
    full_year = int(year) if len(year) == 4 else _century(int(year))
    return date(full_year, month, int(found[1]))


def named_month_day(value: str) -> date | None:
    """``June 3, 2011``, ``Sept. 3 2011``."""
    found = _NAMED_MONTH_DAY.match(value)
    if not found or (month := _MONTHS.get(found[1].lower())) is None:
        return None
    return date(int(found[3]), month, int(found[2]))


def excel_serial(value: str) -> date | None:
    """A spreadsheet's day number (``33988`` is 1993-01-19), as a sheet holds
    a date cell that has lost its date format."""
    if not _SERIAL.match(value):
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value.split(".")[0]))


def _century(two_digits: int) -> int:
    return 1900 + two_digits if two_digits >= 69 else 2000 + two_digits


class NotADay(ValueError):
    """A cell in none of the layouts, or in one but naming no real day."""


def read_day(value: str, layouts: Sequence[Layout]) -> date:
    """The day ``value`` names in the first of ``layouts`` it is written in."""
    for layout in layouts:
        try:
            day = layout(value)
        except ValueError as error:  # the layout fits, the day does not exist
            raise NotADay(str(error)) from None
        if day is not None:
            return day
    raise NotADay("not in a layout this data set uses")
