"""What totals hold: sums of counts that may be bounds or unknown, groups,
groupings, and how many incidents an answer counted (``query`` re-exports
them: every question's types are asked for there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from incidents.records import Figure, estimate_number, figure_bounds


@dataclass
class CountSum:
    """A sum of counts that may be bounds or unknown.

    ``low`` adds every lower bound; ``high`` adds the upper bounds and is None
    once any count is unbounded or unknown; ``unknown`` counts incidents with
    no figure at all.
    """

    low: int = 0
    high: int | None = 0
    unknown: int = 0
    # The sum of best estimates: a count's own best estimate where it has one,
    # otherwise its exact value or lower bound.  Worth showing only when at
    # least one count had a best estimate (``estimated``).
    estimate: int | float = 0
    estimated: int = 0

    def add(self, count: Figure) -> None:
        if count is None:
            self.unknown += 1
            self.high = None
            return
        low, high = figure_bounds(count)
        self.low += low
        self.high = None if self.high is None or high is None else self.high + high
        best = None if isinstance(count, int) else count.best
        self.estimate += low if best is None else best
        self.estimated += best is not None

    @property
    def best(self) -> int | float | None:
        """The best-estimate sum, or None when no count gave a best estimate."""
        return estimate_number(self.estimate) if self.estimated else None

    @property
    def exact(self) -> bool:
        return self.high == self.low and self.unknown == 0

    def merge(self, other: CountSum) -> None:
        """Add another sum's counts to this one."""
        self.low += other.low
        self.high = None if self.high is None or other.high is None else self.high + other.high
        self.unknown += other.unknown
        self.estimate += other.estimate
        self.estimated += other.estimated


class GroupBy(StrEnum):
    TARGET_TYPE = "target-type"
    ATTACK_TYPE = "attack-type"
    WEAPON = "weapon"
    PERPETRATOR = "perpetrator"
    ATTRIBUTION = "attribution"
    COUNTRY = "country"
    PROVINCE = "province"
    DISTRICT = "district"
    CITY = "city"
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    DATASET = "dataset"

    @property
    def in_time(self) -> bool:
        """A period: its groups go in time order."""
        return self in (GroupBy.YEAR, GroupBy.MONTH, GroupBy.WEEK, GroupBy.DAY)


class GroupOrder(StrEnum):
    """How groups are ordered: most incidents (or killed, or wounded) first,
    or by name (periods: in time order)."""

    INCIDENTS = "incidents"
    KILLED = "killed"
    WOUNDED = "wounded"
    NAME = "name"


@dataclass
class Group:
    key: str
    incidents: int = 0
    killed: CountSum = field(default_factory=CountSum)
    wounded: CountSum = field(default_factory=CountSum)
    # How many of the incidents may fall outside the dates asked for.
    uncertain: int = 0
    # In a cross-table: this row's groups by the second grouping, by key.
    cells: dict[str, Group] = field(default_factory=dict)

    def merge(self, other: Group) -> None:
        self.incidents += other.incidents
        self.killed.merge(other.killed)
        self.wounded.merge(other.wounded)
        self.uncertain += other.uncertain


@dataclass
class Totals:
    by: GroupBy | None
    groups: list[Group]
    overall: Group
    # A cross-table: the second grouping, and its groups (the columns).
    across: GroupBy | None = None
    columns: list[Group] = field(default_factory=list)
    # Groups left out by a limit (the overall total still counts them).
    hidden: int = 0


@dataclass(frozen=True)
class Tally:
    """How many incidents an answer counts, and how many of them only may
    fall within the dates asked for."""

    incidents: int
    uncertain: int = 0


@dataclass(frozen=True)
class Excluded:
    """Incidents a filter left out that it only may not have matched.

    ``filter`` is the Filters field (``strict_dates``, ``min_killed``...,
    ``codes``); ``detail`` the value asked for, or the code's name."""

    filter: str
    count: int
    detail: str = ""
