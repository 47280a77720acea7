"""Incidents and casualties per period, from the first incident to the last.

Every period between the first and the last is present, empty ones too, so
that a gap in the record shows as a gap.  An incident is placed in a period
only when all its possible days lie inside it: a month-only date counts in
its month, but a year-only date cannot be put in any month, and a
month-only date cannot be put in any ISO week.  Such incidents are kept
apart, keyed by what is known of their date, rather than spread or dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from incidents.model import Incident
from incidents.query import Group, known_period


class Step(StrEnum):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"


@dataclass
class Timeline:
    step: Step
    periods: list[Group]
    """Every period from the first incident's to the last's, in order."""
    apart: list[Group]
    """Incidents that fit in no single period, keyed by what is known of the date."""
    overall: Group


def timeline(incidents: Iterable[Incident], step: Step = Step.MONTH) -> Timeline:
    placed: dict[str, Group] = {}
    apart: dict[str, Group] = {}
    overall = Group("total")
    for incident in incidents:
        overall.add(incident)
        key = period_key(incident, step)
        if key is None:
            coarse = known_period(incident, 7 if step is Step.WEEK else 4)
            apart.setdefault(coarse, Group(coarse)).add(incident)
        else:
            placed.setdefault(key, Group(key)).add(incident)
    return Timeline(
        step,
        [placed.get(key) or Group(key) for key in keys_between(placed, step)],
        sorted(apart.values(), key=lambda g: g.key),
        overall,
    )


def period_key(incident: Incident, step: Step) -> str | None:
    """The one period (``2022``, ``2022-10``, ``2022-W40``) the incident lies in, if any."""
    if step is Step.WEEK:
        first, last = _iso_week(incident.interval.start), _iso_week(incident.interval.end)
        return first if first == last else None
    # The totals' grouping already keys an incident by the finest period known.
    key = known_period(incident, _KEY_LENGTH[step])
    return key if len(key) == _KEY_LENGTH[step] else None


_KEY_LENGTH = {Step.YEAR: 4, Step.MONTH: 7}


def _iso_week(day: dt.date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_of_day(day: dt.date, step: Step) -> str:
    """The period a day lies in: ``2022``, ``2022-10``, ``2022-W40``."""
    if step is Step.WEEK:
        return str(_iso_week(day))
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
    return str(_iso_week(monday + dt.timedelta(days=7)))


_FOLLOWING: dict[Step, Callable[[str], str]] = {
    Step.YEAR: _next_year,
    Step.MONTH: _next_month,
    Step.WEEK: _next_week,
}
