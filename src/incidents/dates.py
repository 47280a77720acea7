"""Dates known to a precision, and the dates users type.

An incident of "October 2021" happened on some day of that month; which day
is not known.  It is never stored or treated as 1 October: it is kept as
``PartialDate(2021, 10)`` and, for filtering, stands for the interval
2021-10-01 .. 2021-10-31.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class DateError(ValueError):
    """Text that is not a date this module can read."""


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


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
            last = calendar.monthrange(self.year, self.month)[1]
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


# Two defaults that differ in every field show which fields the text gave:
# a field that comes out the same under both was in the text.
_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1908, 2, 2)


def parse_user_date(text: str) -> PartialDate:
    """Read a date as people type it, keeping the precision they gave.

    ``2022``, ``2022-09``, ``Sept 2022``, ``September 2022``, ``5 September 2022``
    and ``2022-09-05`` are all understood; a day or month that is not given
    stays unknown.  A date without a year is refused rather than guessed.
    """
    cleaned = text.strip()
    if not cleaned:
        raise DateError("expected a date, got nothing")
    try:
        return PartialDate.parse(cleaned)
    except DateError:
        if _ISO_PARTIAL.match(cleaned):
            raise
    from dateutil import parser

    try:
        first = parser.parse(cleaned, default=_DEFAULT_A, dayfirst=True)
        second = parser.parse(cleaned, default=_DEFAULT_B, dayfirst=True)
    except (ValueError, OverflowError, parser.ParserError):
        raise DateError(
            f"cannot read {text!r} as a date; try 2022-09-05, 2022-09, 'Sept 2022' or 2022"
        ) from None
    if first.year != second.year:
        raise DateError(f"{text!r} has no year; add one, for example '{cleaned} 2022'")
    month = first.month if first.month == second.month else None
    day = first.day if first.day == second.day else None
    if month is None:
        day = None
    return PartialDate(first.year, month, day)
