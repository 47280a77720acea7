"""Incidents and casualties per period, from the first incident to the last.

Every period between the first and the last is present, empty ones too
(unless asked to skip them), so that a gap in the record shows as a gap.
The periods are the totals grouped by the step (``total --by month``): an
incident counts in a period only when all its possible days lie inside it.
A month-only date counts in its month, but a year-only date cannot be put
in any month, and a month-only date in no ISO week: such incidents are kept
apart, keyed by what is known of their date (``periods``), rather than
spread or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.periods import Step, is_period, keys_between
from incidents.periods import period_of_day as period_of_day
from incidents.query import Group, GroupBy, Totals

__all__ = ["GROUPING", "Step", "Timeline", "keys_between", "period_of_day", "timeline"]

GROUPING = {
    Step.YEAR: GroupBy.YEAR,
    Step.MONTH: GroupBy.MONTH,
    Step.WEEK: GroupBy.WEEK,
    Step.DAY: GroupBy.DAY,
}


@dataclass
class Timeline:
    step: Step
    periods: list[Group]
    """Every period from the first incident's to the last's, in order
    (only those with incidents when empty ones are skipped)."""
    apart: list[Group]
    """Incidents that fit in no single period, keyed by what is known of the date."""
    overall: Group


def timeline(totals: Totals, step: Step, skip_empty: bool = False) -> Timeline:
    """The timeline of totals grouped by the step's grouping (``GROUPING``)."""
    placed = {group.key: group for group in totals.groups if is_period(group.key, step)}
    apart = [group for group in totals.groups if not is_period(group.key, step)]
    keys = sorted(placed) if skip_empty else keys_between(placed, step)
    return Timeline(
        step,
        [placed.get(key) or Group(key) for key in keys],
        sorted(apart, key=lambda group: group.key),
        totals.overall,
    )
