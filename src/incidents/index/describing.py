"""``incidents stats`` as SQL: a few scans of the narrow ``facts`` table,
each a GROUP BY, so that a store of hundreds of thousands of incidents is
described in well under a second."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from incidents.certainty import CODES, PLACE_LEVELS
from incidents.index.filtering import Sql
from incidents.stats import DatasetCount, StoreStats, TollCount

_DATE_KIND = (
    "CASE WHEN end_date IS NOT NULL AND end_date != date THEN 'span' "
    "WHEN length(date) = 10 THEN 'day' WHEN length(date) = 7 THEN 'month' ELSE 'year' END"
)
_DATE_KINDS = ("day", "month", "year", "span")
_ATTRIBUTIONS = ("claimed", "attributed", "suspected", "unknown")


def describe(connection: sqlite3.Connection, sql: Sql) -> StoreStats:
    where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""

    def rows(columns: str, group: str = "") -> list[tuple[Any, ...]]:
        grouped = f" GROUP BY {group} ORDER BY {group}" if group else ""
        query = f"SELECT {columns} FROM facts{where}{grouped}"
        return connection.execute(query, sql.params).fetchall()

    (count,) = rows("count(*)")[0]
    stats = StoreStats(int(count))
    found = rows(
        "dataset, count(*), min(substr(date_start, 1, 4)), max(substr(date_end, 1, 4))",
        "dataset",
    )
    stats.datasets = sorted(
        (DatasetCount(d, int(n), str(first), str(last)) for d, n, first, last in found),
        key=lambda d: (d.name is None, -d.incidents, d.name or ""),
    )
    dates = dict(rows(f"{_DATE_KIND}, count(*)", "1"))
    stats.dates = {kind: int(dates.get(kind, 0)) for kind in _DATE_KINDS}
    places = dict(rows("place_rank, count(*)", "place_rank"))
    stats.places = {
        level.value: int(places.get(rank, 0)) for rank, level in enumerate(PLACE_LEVELS)
    }
    for figure in ("killed", "wounded"):
        unknown, bounded = rows(
            f"sum({figure}_unknown), sum({figure}_unknown = 0 AND ({figure}_high IS NULL "
            f"OR {figure}_high != {figure}_low OR {figure}_best IS NOT NULL))"
        )[0]
        unknown_count, bounded_count = int(unknown or 0), int(bounded or 0)
        toll = TollCount(
            stats.incidents - unknown_count - bounded_count, bounded_count, unknown_count
        )
        setattr(stats, figure, toll)
    attributions = dict(rows("attribution, count(*)", "attribution"))
    stats.attributions = {a: int(attributions.get(a, 0)) for a in _ATTRIBUTIONS}
    codes: dict[str, Counter[int]] = {}
    for text, n in rows("codes, count(*)", "codes"):
        for term in str(text).strip("|").split("|") if text else ():
            name, _, value = term.partition("=")
            codes.setdefault(name, Counter())[int(value)] += int(n)
    stats.codes = {
        name: {value: codes[name][value] for value in CODES[name].values if codes[name][value]}
        for name in CODES
        if name in codes
    }
    return stats
