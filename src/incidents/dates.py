"""Dates known to a precision, and the dates users type.

An incident of "October 2021" happened on some day of that month; which day
is not known.  It is never stored or treated as 1 October: it is kept as
``PartialDate(2021, 10)`` and, for filtering, stands for the interval
2021-10-01 .. 2021-10-31.
"""

from __future__ import annotations

import calendar
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class DateError(ValueError):
    """Text that is not a date this module can read."""


class NotADate(DateError):
    """Text without a date's shape, or without a year: in free text (a source's
    parts), words rather than a mistyped date."""


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise DateError(f"year {self.year} is out of range")
        if self.month is None:
            if self.day is not None:
                raise DateError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise DateError(f"month {self.month} does not exist")
        if self.day is not None:
            # Not calendar.monthrange: it also works out a weekday, and an
            # import makes several dates a row.
            last = _DAYS_IN_MONTH[self.month]
            if self.month == 2 and calendar.isleap(self.year):
                last = 29
            if not 1 <= self.day <= last:
                raise DateError(
                    f"day {self.day} does not exist in {self.year:04d}-{self.month:02d}"
                )

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ISO 8601 reduced precision: ``2022``, ``2022-10`` or ``2022-10-05``."""
        # Stores repeat the same dates many times over; parsed dates are
        # immutable, so one object per distinct text serves them all.
        return _parse_cached(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        found = _ISO_PARTIAL.match(text)
        if not found:
            raise DateError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
        year, month, day = found.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        if cls is PartialDate:
            # Imports make one for each of many rows, from few distinct days.
            return _from_date_cached(value)
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    @property
    def interval(self) -> DateInterval:
        return DateInterval(self.first_day, self.last_day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    # pydantic integration: stored as its ISO text, validated on the way in.
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        def from_text(value: str) -> PartialDate:
            try:
                return cls.parse(value)
            except DateError as error:
                raise ValueError(str(error)) from None

        from_str = core_schema.no_info_after_validator_function(
            from_text, core_schema.str_schema(strict=True)
        )
        return core_schema.json_or_python_schema(
            json_schema=from_str,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_str]),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": PARTIAL_DATE_PATTERN,
            "description": "ISO 8601 date of reduced precision: YYYY, YYYY-MM or YYYY-MM-DD",
            "examples": ["2022", "2022-10", "2022-10-05"],
        }


@lru_cache(maxsize=65536)
def _parse_cached(text: str) -> PartialDate:
    return PartialDate._parse(text)


@lru_cache(maxsize=65536)
def _from_date_cached(value: date) -> PartialDate:
    return PartialDate(value.year, value.month, value.day)


@dataclass(frozen=True, slots=True)
class DateInterval:
    """The closed interval of days ``start .. end``; None is open-ended."""

    start: date | None
    end: date | None

    def contains(self, other: DateInterval) -> bool:
        """True when every day of ``other`` lies within this interval."""
        if self.start is not None and (other.start is None or other.start < self.start):
            return False
        return not (self.end is not None and (other.end is None or other.end > self.end))

    def overlaps(self, other: DateInterval) -> bool:
        """True when at least one day lies in both intervals."""
        if self.start is not None and other.end is not None and other.end < self.start:
            return False
        return not (self.end is not None and other.start is not None and other.start > self.end)


# --- dates as people type them --------------------------------------------------


class DayMonthOrder(StrEnum):
    """How someone writes a date whose year comes last: 9/5/2022 is 9 May in
    day-month-year order, 5 September in month-day-year order."""

    DMY = "dmy"
    MDY = "mdy"


DATE_ORDER_ENV_VAR = "INCIDENTS_DATE_ORDER"

# The order the person at the keyboard says they write day and month in; the
# command line sets it from --date-order or $INCIDENTS_DATE_ORDER.  Unset, a
# date that reads two ways is refused: a guess would store a wrong day that
# nobody would ever notice.
day_month_order: ContextVar[DayMonthOrder | None] = ContextVar("day_month_order", default=None)

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_WORDS = {
    **{name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
_WEEKDAY_WORDS = {
    **{name.lower(): number for number, name in enumerate(_WEEKDAY_NAMES)},
    **{name[:3].lower(): number for number, name in enumerate(_WEEKDAY_NAMES)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_FILLER_WORDS = frozenset({"of", "the"})

# A time of day after the date (ISO's T, or a space and hours:minutes), with
# an optional zone.  It is read past: the date kept is the one written.
_TIME = re.compile(
    r"(?:(?<=\d)T(?P<iso_hour>\d{2})(?::?(?P<iso_minute>\d{2})(?::?(?P<iso_second>\d{2})"
    r"(?:[.,]\d+)?)?)?"
    r"|\s(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s?[ap]\.?m\.?)?)"
    r"\s?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE | re.ASCII,
)
# Numbers with one kind of separator between them: 2022.09.05, 9/5/2022.
_NUMERIC = re.compile(r"^\d+(?:([-/. ])\d+(?:\1\d+)?)?$", re.ASCII)
_NAMED_TOKEN = re.compile(r"(?P<word>[a-z]+)|(?P<number>\d+)(?:st|nd|rd|th)?", re.I | re.A)
_LETTER = re.compile(r"[a-z]", re.IGNORECASE | re.ASCII)
# What a date with a named month may be, its numbers as D (day, one or two
# digits) or Y (year, four digits): 5 Sept 2022, Sept 5 2022, Sept 2022...
_NAMED_LAYOUTS = frozenset({"DMY", "MDY", "MY", "YM", "YMD"})


def parse_user_date(text: str, order: DayMonthOrder | None = None) -> PartialDate:
    """Read a date as people type it, keeping the precision they gave.

    A date that starts with its year is year, month, day whatever the
    separator: 2022-09-05, 2022/9/5, 2022.09.05, 20220905, 2022.12 (a month),
    2022-09-05T10:00 (a time of day is read past).  Months may be named:
    ``Sept 2022``, ``5 September 2022``, ``September 5, 2022``.  A date that
    ends with its year is read the one way its numbers allow (31/12/2022,
    12/31/2022), or in the day-month ``order`` (by default the one set in
    ``day_month_order``); when it reads two ways and no order is given it is
    refused, naming both.  A day or month that is not given stays unknown; a
    date without a year written in full is refused rather than guessed.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DateError("expected a date, got nothing")
    if _ISO_PARTIAL.match(cleaned):
        return PartialDate.parse(cleaned)
    date_text, time_given = _without_time(cleaned)
    if _LETTER.search(date_text):
        parsed = _named_month_date(date_text, text)
    else:
        parsed = _numeric_date(date_text, text, order or day_month_order.get())
    if time_given and parsed.day is None:
        raise DateError(f"{cleaned}: a time of day needs a day; write it as 2022-09-05T10:00")
    return parsed


def _without_time(text: str) -> tuple[str, bool]:
    found = _TIME.search(text)
    if not found:
        return text, False
    hour, minute, second = (
        int(found[name] or found[f"iso_{name}"] or 0) for name in ("hour", "minute", "second")
    )
    if hour > 24 or minute > 59 or second > 60:
        raise DateError(f"{text}: {found[0].strip()} is not a time of day")
    return text[: found.start()].rstrip(), True


def _numeric_date(text: str, typed: str, order: DayMonthOrder | None) -> PartialDate:
    if not _NUMERIC.match(text):
        raise _unreadable(typed)
    parts = re.split(r"[-/. ]", text)
    widths = [len(part) for part in parts]
    if widths == [8]:
        # ISO 8601's basic format, 20220905.
        parts = [text[:4], text[4:6], text[6:]]
        widths = [4, 2, 2]
    if len(parts) == 1:
        raise _unreadable(typed)
    if widths[0] == 4 and max(widths[1:]) <= 2:
        year, month, *day = (int(part) for part in parts)
        if month > 12:
            raise DateError(
                f"{typed.strip()}: month {month} does not exist"
                " (a date that starts with its year is year, month, day)"
            )
        return _made(typed, year, month, *day)
    if widths[-1] == 4 and max(widths[:-1]) <= 2:
        *day_and_month, year = (int(part) for part in parts)
        if len(day_and_month) == 1:
            return _made(typed, year, day_and_month[0])
        first, second = day_and_month
        return _day_and_month(typed, first, second, year, order)
    if max(widths) > 2:
        raise _unreadable(typed)
    if len(parts) == 2:
        raise NotADate(
            f"{typed.strip()}: no year written in full; write all four digits,"
            " for example 2022-09-05 or 2022-09"
        )
    raise _year_not_in_full(typed, parts)


def _day_and_month(
    typed: str, first: int, second: int, year: int, order: DayMonthOrder | None
) -> PartialDate:
    """A date that ends with its year: first/second/year, day or month first."""
    typed = typed.strip()
    readings: dict[DayMonthOrder, PartialDate] = {}
    problems: dict[DayMonthOrder, DateError] = {}
    for reading, day, month in (
        (DayMonthOrder.DMY, first, second),
        (DayMonthOrder.MDY, second, first),
    ):
        try:
            readings[reading] = PartialDate(year, month, day)
        except DateError as error:
            problems[reading] = error
    if not readings:
        if not (1 <= first <= 12 or 1 <= second <= 12):
            raise DateError(f"{typed}: neither {first} nor {second} can be a month")
        reading = DayMonthOrder.DMY if 1 <= second <= 12 else DayMonthOrder.MDY
        raise DateError(f"{typed}: {problems[reading]}")
    if len(set(readings.values())) == 1:
        return next(iter(readings.values()))
    if order is not None:
        return readings[order]
    day_first, month_first = readings[DayMonthOrder.DMY], readings[DayMonthOrder.MDY]
    raise DateError(
        f"{typed}: {_spoken_day(day_first)} or {_spoken_day(month_first)} {year}?"
        f" write {day_first} or {month_first}, or say how you write dates:"
        f" --date-order dmy|mdy or ${DATE_ORDER_ENV_VAR}"
    )


def _spoken_day(value: PartialDate) -> str:
    return f"{value.day} {_MONTH_NAMES[(value.month or 1) - 1]}"


def _named_month_date(text: str, typed: str) -> PartialDate:
    """A date with its month in words: 5 September 2022, Sept 5, 2022, Sept 2022."""
    tokens = list(_NAMED_TOKEN.finditer(text))
    between = _NAMED_TOKEN.sub("", text)
    if between.strip(" ,./-"):
        raise _unreadable(typed)
    weekday: int | None = None
    month: int | None = None
    numbers: list[str] = []
    layout = ""
    for index, token in enumerate(tokens):
        word = (token["word"] or "").lower()
        if token["number"]:
            numbers.append(token["number"])
            width = len(token["number"])
            if width > 2 and (width != 4 or token[0] != token["number"]):
                raise _unreadable(typed)
            layout += "Y" if width == 4 else "D"
        elif word in _MONTH_WORDS and month is None:
            month = _MONTH_WORDS[word]
            layout += "M"
        elif word in _WEEKDAY_WORDS and index == 0:
            weekday = _WEEKDAY_WORDS[word]
        elif word not in _FILLER_WORDS:
            raise _unreadable(typed)
    if "Y" not in layout and layout.count("D") >= 2:
        raise _year_not_in_full(typed, numbers)
    if "Y" not in layout and "M" in layout:
        cleaned = " ".join(typed.split())
        raise NotADate(f"{typed!r} has no year; add one, for example '{cleaned} 2022'")
    if layout not in _NAMED_LAYOUTS or month is None:
        raise _unreadable(typed)
    year = int(numbers[layout.replace("M", "").index("Y")])
    day = int(numbers[layout.replace("M", "").index("D")]) if "D" in layout else None
    parsed = _made(typed, year, month, day)
    if weekday is not None:
        if parsed.day is None:
            raise DateError(f"{typed.strip()}: a weekday needs a day of the month")
        actual = parsed.first_day.weekday()
        if actual != weekday:
            raise DateError(
                f"{typed.strip()}: {_spoken_day(parsed)} {year} is a {_WEEKDAY_NAMES[actual]},"
                f" not a {_WEEKDAY_NAMES[weekday]}"
            )
    return parsed


def _made(typed: str, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    try:
        return PartialDate(year, month, day)
    except DateError as error:
        raise DateError(f"{typed.strip()}: {error}") from None


def _unreadable(typed: str) -> DateError:
    return NotADate(
        f"cannot read {typed!r} as a date; try 2022-09-05, 2022-09, 'Sept 2022' or 2022"
    )


def _year_not_in_full(typed: str, numbers: list[str]) -> DateError:
    """Two-digit years are refused: 22 may be 1922 or 2022, and both are in scope."""
    short = next((n for n in numbers if int(n) > 31), numbers[-1]).zfill(2)
    return DateError(
        f"{typed.strip()}: write the year in full (is {short} 19{short} or 20{short}?),"
        " for example 2022-09-05"
    )
