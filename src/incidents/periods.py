"""Periods: the year, month, ISO week or day an incident falls in, as text keys.

An incident is keyed by the period of the step asked for when its date
surely lies in one; otherwise by what is known of its date, rather than
spread over periods or dropped: a year-only date grouped by month is its
year (``2020``); one spanning two months is the span (``2020-04/05``);
one spanning years ``2020/2021``.  A span is written as its first period,
a slash, and the parts of its last that differ (``2022-09-30/10-02``).
Keys of one step sort in time order, a coarser key before the finer ones
it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum


class Step(StrEnum):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"


def period_of(start: str, end: str | None, precision: int) -> str:
    """The key of an incident dated ``start`` (to ``end``) at a precision of
    4 (year), 7 (month) or 10 (day) characters of ISO text."""
    first, last = start[:precision], (end or start)[:precision]
    shared = min(len(first), len(last))
    first, last = first[:shared], last[:shared]
    if first == last:
        return first
    parts, last_parts = first.split("-"), last.split("-")
    differ = next(i for i, (a, b) in enumerate(zip(parts, last_parts, strict=True)) if a != b)
    return f"{first}/{'-'.join(last_parts[differ:])}"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_of(first_day: str, last_day: str, month_key: str) -> str:
    """The ISO week both days lie in, else the month key (what is known)."""
    first, last = (
        iso_week(dt.date.fromisoformat(first_day)),
        iso_week(dt.date.fromisoformat(last_day)),
    )
    return first if first == last else month_key


def is_period(key: str, step: Step) -> bool:
    """Whether ``key`` is one period of the step (not a coarser date or a span)."""
    if "/" in key:
        return False
    if step is Step.WEEK:
        return "-W" in key
    return len(key) == {Step.YEAR: 4, Step.MONTH: 7, Step.DAY: 10}[step]


def key_days(key: str) -> tuple[dt.date, dt.date]:
    """The first and last day a key covers (``2022``, ``2020-04/05``, ``2022-W40``...)."""
    first, _, rest = key.partition("/")
    last = first[: len(first) - len(rest)] + rest if rest else first
    return _days(first)[0], _days(last)[1]


def _days(period: str) -> tuple[dt.date, dt.date]:
    if "-W" in period:
        monday = dt.date.fromisocalendar(int(period[:4]), int(period[6:8]), 1)
        return monday, monday + dt.timedelta(days=6)
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(period[5:7])
    if len(period) == 7:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), following - dt.timedelta(days=1)
    day = dt.date.fromisoformat(period)
    return day, day


def period_of_day(day: dt.date, step: Step) -> str:
    """The period a day lies in: ``2022``, ``2022-10``, ``2022-W40``, ``2022-10-03``."""
    if step is Step.WEEK:
        return iso_week(day)
    if step is Step.DAY:
        return day.isoformat()
    return f"{day.year:04d}" if step is Step.YEAR else f"{day.year:04d}-{day.month:02d}"


def keys_between(keys: Iterable[str], step: Step) -> list[str]:
    """Every period from the first of the keys to the last, in order."""
    present = sorted(keys)
    if not present:
        return []
    following = _FOLLOWING[step]
    run = [present[0]]
    while run[-1] < present[-1]:
        run.append(following(run[-1]))
    return run


def _next_year(key: str) -> str:
    return f"{int(key) + 1:04d}"


def _next_month(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _next_week(key: str) -> str:
    monday = dt.date.fromisocalendar(int(key[:4]), int(key[6:8]), 1)
    return iso_week(monday + dt.timedelta(days=7))


def _next_day(key: str) -> str:
    return (dt.date.fromisoformat(key) + dt.timedelta(days=1)).isoformat()


_FOLLOWING: dict[Step, Callable[[str], str]] = {
    Step.YEAR: _next_year,
    Step.MONTH: _next_month,
    Step.WEEK: _next_week,
    Step.DAY: _next_day,
}
