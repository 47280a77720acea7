"""Totals as SQL: incidents, killed and wounded, overall and by one grouping
or two (a cross-table).

Each grouping is one or two columns of ``facts`` (a weapon is a join: an
incident with two weapons counts under each).  The rows of one actor's or
place's spellings become one group by ``groups.identity``; a group is named
by its most frequent spelling (ties: the first in code-point order).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from incidents.categories import WeaponType
from incidents.groups import NO_VALUE, identity
from incidents.index.filtering import Sql
from incidents.query import CountSum, Group, GroupBy, GroupOrder, Totals

# Per figure: low, high (null once any is unbounded: fewer highs than rows),
# unknown, and the best estimate (a count's own, else its low) with how many
# counts had one.
SUMS = ", ".join(
    f"sum({f}_low), CASE WHEN count({f}_high) < count(*) THEN NULL ELSE sum({f}_high) END, "
    f"sum({f}_unknown), sum(CASE WHEN {f}_unknown THEN 0 ELSE coalesce({f}_best, {f}_low) END), "
    f"count({f}_best)"
    for f in ("killed", "wounded")
)

Identity = Callable[[tuple[Any, ...]], tuple[Hashable, str]]


@dataclass(frozen=True)
class _Dimension:
    columns: str
    identity: Identity
    join: str = ""

    @property
    def width(self) -> int:
        return self.columns.count(",") + 1


def _as_labelled(values: tuple[Any, ...]) -> tuple[Hashable, str]:
    value = values[0] or NO_VALUE
    return value, value


def _spelled(by: GroupBy) -> Identity:
    return lambda values: identity(by, values)


def _weapon(values: tuple[Any, ...]) -> tuple[Hashable, str]:
    name = values[0].strip("|") or NO_VALUE
    return name, name


# Every weapon as ``weapon_set`` holds it, and "||" for an incident with none.
_WEAPONS = (
    " UNION ALL ".join(f"SELECT '|{weapon.value}|' AS weapon" for weapon in WeaponType)
    + " UNION ALL SELECT '||'"
)

_DIMENSIONS: dict[GroupBy, _Dimension] = {
    GroupBy.TARGET_TYPE: _Dimension("target_type", _as_labelled),
    GroupBy.ATTACK_TYPE: _Dimension("attack_type", _as_labelled),
    GroupBy.WEAPON: _Dimension(
        "weapons.weapon",
        _weapon,
        f"JOIN ({_WEAPONS}) AS weapons ON instr(facts.weapon_set, weapons.weapon) > 0",
    ),
    GroupBy.PERPETRATOR: _Dimension("perpetrator", _spelled(GroupBy.PERPETRATOR)),
    GroupBy.ATTRIBUTION: _Dimension("attribution", _as_labelled),
    GroupBy.COUNTRY: _Dimension("country_code, country", _spelled(GroupBy.COUNTRY)),
    GroupBy.PROVINCE: _Dimension("province", _spelled(GroupBy.PROVINCE)),
    GroupBy.DISTRICT: _Dimension("district", _spelled(GroupBy.DISTRICT)),
    GroupBy.CITY: _Dimension("city", _spelled(GroupBy.CITY)),
    GroupBy.YEAR: _Dimension("period_year", _as_labelled),
    GroupBy.MONTH: _Dimension("period_month", _as_labelled),
    GroupBy.WEEK: _Dimension("period_week", _as_labelled),
    GroupBy.DAY: _Dimension("period_day", _as_labelled),
    GroupBy.DATASET: _Dimension("dataset", _as_labelled),
}


def totals(
    connection: sqlite3.Connection,
    sql: Sql,
    by: Sequence[GroupBy] = (),
    order: GroupOrder | None = None,
    reverse: bool = False,
    limit: int | None = None,
) -> Totals:
    """The totals of what ``sql`` selects, by up to two groupings."""
    where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
    params = sql.certain_params + sql.params
    counted = f"count(*), sum(NOT ({sql.certain})), {SUMS}"
    first = _DIMENSIONS[by[0]] if by else None
    sums: list[Sequence[Any]] = []  # each group's row of sums, by the first grouping

    def grouped(
        dimensions: Sequence[_Dimension], names: Sequence[dict[Hashable, Counter[str]]]
    ) -> dict[tuple[Hashable, ...], Group]:
        """Groups by these dimensions' identities, counting each one's spellings."""
        columns = ", ".join(d.columns for d in dimensions)
        joins = "".join(f" {d.join}" for d in dimensions if d.join)
        query = f"SELECT {columns}, {counted} FROM facts{joins}{where} GROUP BY {columns}"
        found: dict[tuple[Hashable, ...], Group] = {}
        for row in connection.execute(query, params):
            if first is not None and list(dimensions) == [first]:
                sums.append(row[first.width :])
            keys, start, spelled = [], 0, []
            for dimension in dimensions:
                key, name = dimension.identity(tuple(row[start : start + dimension.width]))
                start += dimension.width
                keys.append(key)
                spelled.append(name)
            group = _group("", row[start:])
            for spellings, key, name in zip(names, keys, spelled, strict=True):
                spellings.setdefault(key, Counter())[name] += group.incidents
            if tuple(keys) in found:
                found[tuple(keys)].merge(group)
            else:
                found[tuple(keys)] = group
        return found

    def named(dimension: _Dimension) -> dict[Hashable, Group]:
        names: dict[Hashable, Counter[str]] = {}
        found = grouped([dimension], [names])
        for (key,), group in found.items():
            group.key = _name(names[key])
        return {key: group for (key,), group in found.items()}

    if first is None:
        overall_row = connection.execute(f"SELECT {counted} FROM facts{where}", params).fetchone()
        return Totals(None, [], _group("total", overall_row))
    rows = named(first)
    # The groups of one column without a join hold each incident once: the
    # whole is their sum, unless a decimal estimate makes the order of a
    # sum matter (SQLite's sum over all the rows is then asked for itself).
    whole = _combined(sums) if not first.join else None
    if whole is None:
        whole = connection.execute(f"SELECT {counted} FROM facts{where}", params).fetchone()
    overall = _group("total", whole)
    ordered = _ordered(list(rows.values()), by[0], order, reverse)
    shown = ordered if limit is None else ordered[:limit]
    result = Totals(by[0], shown, overall, hidden=len(ordered) - len(shown))
    if len(by) > 1:
        second = _DIMENSIONS[by[1]]
        columns = named(second)
        for (row_key, column_key), cell in grouped([first, second], [{}, {}]).items():
            cell.key = columns[column_key].key
            rows[row_key].cells[cell.key] = cell
        result.across = by[1]
        result.columns = _ordered(list(columns.values()), by[1], None, False)
    return result


# Where each figure's sums stand in a row of ``counted``: low, high, unknown,
# estimate, how many estimated (killed, then wounded).
_HIGHS = (3, 8)
_ESTIMATES = (5, 10)


def _combined(rows: Sequence[Sequence[Any]]) -> list[Any] | None:
    """The row of sums over all of these rows of sums, as SQLite would give it
    over their incidents; None when a decimal estimate is among them."""
    if any(not isinstance(row[at], int | None) for row in rows for at in _ESTIMATES):
        return None
    whole: list[Any] = []
    for at in range(12):
        values = [row[at] for row in rows]
        if at in _HIGHS and any(value is None for value in values):
            whole.append(None)  # a figure without a bound leaves the sum without one
        else:
            known = [value for value in values if value is not None]
            whole.append(sum(known) if known else None)
    return whole


def _name(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))


def _ordered(
    groups: list[Group], by: GroupBy, order: GroupOrder | None, reverse: bool
) -> list[Group]:
    if order is None:
        order = GroupOrder.NAME if by.in_time else GroupOrder.INCIDENTS
    keys: dict[GroupOrder, Callable[[Group], tuple[Any, ...]]] = {
        GroupOrder.INCIDENTS: lambda g: (-g.incidents, g.key),
        GroupOrder.KILLED: lambda g: (-g.killed.low, -g.incidents, g.key),
        GroupOrder.WOUNDED: lambda g: (-g.wounded.low, -g.incidents, g.key),
        GroupOrder.NAME: lambda g: (g.key,),
    }
    ordered = sorted(groups, key=keys[order])
    return ordered[::-1] if reverse else ordered


def _group(key: str, row: Sequence[Any]) -> Group:
    incidents = int(row[0] or 0)
    return Group(
        key,
        incidents,
        _sum(row[2:7], incidents),
        _sum(row[7:12], incidents),
        uncertain=int(row[1] or 0),
    )


def _sum(values: Sequence[Any], incidents: int) -> CountSum:
    low, high, unknown, estimate, estimated = values
    return CountSum(
        low=int(low or 0),
        high=None if incidents and high is None else int(high or 0),
        unknown=int(unknown or 0),
        estimate=estimate or 0,  # a decimal where a best estimate is one
        estimated=int(estimated or 0),
    )
