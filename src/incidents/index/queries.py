"""Questions asked of an index or a sqlite store: filters, sorting and
totals as SQL, answered as ``query`` answers them from memory."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidents.index.schema import collector_paused, read_meta, set_meta
from incidents.query import (
    NO_VALUE,
    CountSum,
    Filters,
    Group,
    GroupBy,
    SortKey,
    Totals,
    text_query_words,
)
from incidents.records import (
    ListRow,
    csv_line,
    date_text,
    figure_from_columns,
    flat_cells,
)
from incidents.vocabulary import fold, normalise, place_key, place_label

if TYPE_CHECKING:
    from incidents.model import Incident, Link


@dataclass
class _Sql:
    where: list[str]
    params: list[Any]
    certain: str
    certain_params: list[Any]


def _date_sql(filters: Filters) -> tuple[list[str], list[Any], str, list[Any]]:
    window = filters.window
    where: list[str] = []
    params: list[Any] = []
    certain: list[str] = []
    certain_params: list[Any] = []
    if window.end is not None:
        where.append("date_start <= ?")
        params.append(window.end.isoformat())
        certain.append("date_end <= ?")
        certain_params.append(window.end.isoformat())
    if window.start is not None:
        where.append("date_end >= ?")
        params.append(window.start.isoformat())
        certain.append("date_start >= ?")
        certain_params.append(window.start.isoformat())
    if filters.on:
        overlaps, contains = [], []
        for day in filters.on:
            first, last = day.first_day.isoformat(), day.last_day.isoformat()
            overlaps.append("(date_start <= ? AND date_end >= ?)")
            params.extend([last, first])
            contains.append("(date_start >= ? AND date_end <= ?)")
            certain_params.extend([first, last])
        where.append("(" + " OR ".join(overlaps) + ")")
        certain.append("(" + " OR ".join(contains) + ")")
    certain_sql = " AND ".join(certain) if certain else "1"
    return where, params, certain_sql, certain_params


def _filter_sql(filters: Filters, connection: sqlite3.Connection) -> _Sql:
    where, params, certain, certain_params = _date_sql(filters)
    if filters.strict_dates and certain != "1":
        where.append(certain)
        params.extend(certain_params)

    def any_of(column: str, values: Iterable[str]) -> None:
        values = list(values)
        where.append(f"{column} IN ({', '.join('?' for _ in values)})")
        params.extend(values)

    if filters.target_types:
        any_of("target_type", (t.value for t in filters.target_types))
    if filters.attack_types:
        any_of("attack_type", (t.value for t in filters.attack_types))
    if filters.weapon_types:
        where.append(
            "(" + " OR ".join("instr(weapon_set, ?) > 0" for _ in filters.weapon_types) + ")"
        )
        params.extend(f"|{w.value}|" for w in filters.weapon_types)
    if filters.locations:
        # Every term can use an index, so SQLite looks up each and unites them.
        keys = sorted({place_key(query) for query in filters.locations})
        marks = ", ".join("?" for _ in keys)
        tests = [
            f"{level}_key IN ({marks})" for level in ("country", "province", "district", "city")
        ]
        tests.append(f"facts.pos IN (SELECT pos FROM aliases WHERE key IN ({marks}))")
        params.extend(keys * 5)
        phrases = [f" {fold(q)} " for q in filters.locations if fold(q)]
        if phrases:
            in_site = " OR ".join("instr(' ' || site || ' ', ?) > 0" for _ in phrases)
            tests.append(f"facts.pos IN (SELECT pos FROM sites WHERE {in_site})")
            params.extend(phrases)
        where.append("(" + " OR ".join(tests) + ")")
    if filters.perpetrators:
        tests = []
        for query in filters.perpetrators:
            wanted = normalise(query)
            if wanted == "unknown":
                tests.append("attribution = 'unknown'")
            if wanted:
                tests.append("instr(perpetrator_names, ?) > 0")
                params.append(f" {wanted} ")
        where.append("(" + " OR ".join(tests or ["0"]) + ")")
    words = text_query_words(filters.texts) if filters.texts else None
    if words:
        _ensure_search(connection)
        where.append("facts.pos IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(_match_expression(words))
    if filters.min_killed is not None:
        where.append("killed_unknown = 0 AND killed_low >= ?")
        params.append(filters.min_killed)
    return _Sql(where, params, certain, certain_params)


def _match_expression(groups: Sequence[Sequence[str]]) -> str:
    from incidents.query import PREFIX_MATCH_LENGTH

    def term(word: str) -> str:
        return f'"{word}"' + ("*" if len(word) >= PREFIX_MATCH_LENGTH else "")

    return " OR ".join("(" + " AND ".join(term(w) for w in words) + ")" for words in groups)


def _ensure_search(connection: sqlite3.Connection) -> None:
    """The full-text table is built the first time a --text query needs it."""
    if read_meta(connection).get("fts") == "1":
        return
    connection.execute("DROP TABLE IF EXISTS search")
    connection.execute(
        "CREATE VIRTUAL TABLE search USING fts5"
        "(text, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute(
        "INSERT INTO search (rowid, text) SELECT pos, fold(json_extract(json, '$.summary') "
        "|| ' ' || json_extract(json, '$.target') "
        "|| ' ' || coalesce(json_extract(json, '$.location.site'), '')) FROM details"
    )
    set_meta(connection, {"fts": "1"})
    connection.commit()


_ORDER = {
    SortKey.DATE: "date_start, id",
    SortKey.KILLED: "killed_unknown, -killed_low, -coalesce(killed_high, killed_low), pos",
    SortKey.WOUNDED: "wounded_unknown, -wounded_low, -coalesce(wounded_high, wounded_low), pos",
}

_GROUPS: dict[GroupBy, tuple[str, str]] = {
    # group identity, label
    GroupBy.TARGET_TYPE: ("target_type", "target_type"),
    GroupBy.ATTACK_TYPE: ("attack_type", "attack_type"),
    GroupBy.PERPETRATOR: ("perpetrator", "coalesce(perpetrator, 'unknown')"),
    GroupBy.COUNTRY: ("country_key", "country"),
    GroupBy.PROVINCE: (
        f"coalesce(province_key, '{NO_VALUE}')",
        f"coalesce(province, '{NO_VALUE}')",
    ),
    GroupBy.CITY: (f"coalesce(city_key, '{NO_VALUE}')", f"coalesce(city, '{NO_VALUE}')"),
    GroupBy.YEAR: ("period_year", "period_year"),
    GroupBy.MONTH: ("period_month", "period_month"),
}

# Per figure: low, high (null once any is unbounded), unknown, and the best
# estimate (a count's own, else its low) with how many counts had one.
_SUMS = ", ".join(
    f"sum({f}_low), CASE WHEN max({f}_high IS NULL) THEN NULL ELSE sum({f}_high) END, "
    f"sum({f}_unknown), sum(CASE WHEN {f}_unknown THEN 0 ELSE coalesce({f}_best, {f}_low) END), "
    f"count({f}_best)"
    for f in ("killed", "wounded")
)

_LIST_COLUMNS = (
    "id, date, end_date, city, district, province, country, target_type, attack_type, "
    "perpetrator, attribution, killed_low, killed_high, killed_best, killed_unknown, "
    "wounded_low, wounded_high, wounded_best, wounded_unknown"
)


class StoreIndex:
    """Queries over an index (or a sqlite store), answering as ``query`` does."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def close(self) -> None:
        self.connection.close()

    def count(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM facts").fetchone()
        return int(row[0])

    def ids(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT id FROM facts ORDER BY pos")]

    def place_names(self) -> list[str]:
        """Every place name in the store, at every level, and the other spellings
        its incidents record."""
        names: set[str] = set()
        for level in ("country", "province", "district", "city"):
            query = f"SELECT DISTINCT {level} FROM facts WHERE {level} IS NOT NULL"
            names.update(row[0] for row in self.connection.execute(query))
        spellings = (
            "SELECT json_extract(json, '$.location.aliases') FROM details "
            "WHERE pos IN (SELECT pos FROM aliases)"
        )
        for (aliases,) in self.connection.execute(spellings):
            names.update(json.loads(aliases))
        return sorted(names)

    def perpetrators(self) -> list[str]:
        query = "SELECT DISTINCT perpetrator FROM facts WHERE perpetrator IS NOT NULL"
        return sorted(row[0] for row in self.connection.execute(query))

    def _matching(
        self,
        filters: Filters,
        sort: SortKey | None = None,
        limit: int | None = None,
        columns: str = "",
    ) -> list[tuple[Any, ...]]:
        """(pos, uncertain, *columns) of the matching incidents, in order."""
        sql = _filter_sql(filters, self.connection)
        query = f"SELECT pos, NOT ({sql.certain}){', ' + columns if columns else ''} FROM facts"
        if sql.where:
            query += " WHERE " + " AND ".join(sql.where)
        query += f" ORDER BY {_ORDER[sort] if sort else 'pos'}"
        params = sql.certain_params + sql.params
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return self.connection.execute(query, params).fetchall()

    def _details(self, columns: str, positions: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``details`` for these positions, in the order given."""
        step = 500
        for start in range(0, len(positions), step):
            chunk = positions[start : start + step]
            marks = ", ".join("?" for _ in chunk)
            found = {
                row[0]: row[1:]
                for row in self.connection.execute(
                    f"SELECT pos, {columns} FROM details WHERE pos IN ({marks})", chunk
                )
            }
            for pos in chunk:
                yield found[pos]

    def list_rows(
        self, filters: Filters, sort: SortKey | None, limit: int | None = None
    ) -> list[ListRow]:
        rows = []
        for r in self._matching(filters, sort, limit, _LIST_COLUMNS):
            city, district, province, country = r[5], r[6], r[7], r[8]
            rows.append(
                ListRow(
                    id=r[2],
                    date_text=date_text(r[3], r[4]),
                    place_label=place_label(city, district, province, country),
                    short_place=city or district or province or country,
                    target_type=r[9],
                    attack_type=r[10],
                    perpetrator=r[11],
                    suspected=r[12] == "suspected",
                    killed=figure_from_columns(*r[13:17]),
                    wounded=figure_from_columns(*r[17:21]),
                    date_uncertain=bool(r[1]),
                )
            )
        return rows

    def csv_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """The matching incidents' lines of the CSV export."""
        positions = [m[0] for m in self._matching(filters, sort, limit)]
        made: list[tuple[str, int]] = []
        step = 500
        for start in range(0, len(positions), step):
            chunk = positions[start : start + step]
            lines = [row[0] for row in self._details("csv", chunk)]
            # A line not made yet is made from the incident's JSON, and kept.
            missing = [pos for pos, line in zip(chunk, lines, strict=True) if line is None]
            texts = dict(zip(missing, (r[0] for r in self._details("json", missing)), strict=True))
            for pos, line in zip(chunk, lines, strict=True):
                if line is None:
                    line = csv_line(flat_cells(json.loads(texts[pos])))
                    made.append((line, pos))
                yield line
        if made:
            with contextlib.suppress(sqlite3.OperationalError):  # a read-only store
                self.connection.executemany("UPDATE details SET csv = ? WHERE pos = ?", made)
                self.connection.commit()

    def stored_texts(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """Each incident's JSON as a store file lays it out."""
        return self._detail("json", filters, sort, limit)

    def json_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """Each incident's JSON on one line, without spaces (SQLite's json())."""
        return self._detail("json(json)", filters, sort, limit)

    def _detail(
        self, column: str, filters: Filters, sort: SortKey | None, limit: int | None
    ) -> Iterator[str]:
        positions = [m[0] for m in self._matching(filters, sort, limit)]
        return (row[0] for row in self._details(column, positions))

    def incidents(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> list[Incident]:
        """Model objects, for the matching incidents only."""
        from pydantic import TypeAdapter

        from incidents.model import Incident

        texts = list(self.stored_texts(filters, sort, limit))
        with collector_paused():
            return TypeAdapter(list[Incident]).validate_json("[" + ",".join(texts) + "]")

    def incident(self, incident_id: str) -> Incident:
        from incidents.model import Incident
        from incidents.query import unknown_id

        row = self.connection.execute(
            "SELECT json FROM details WHERE pos = "
            "(SELECT pos FROM facts WHERE id = ? ORDER BY pos LIMIT 1)",
            (incident_id,),
        ).fetchone()
        if row is not None:
            return Incident.model_validate_json(row[0])
        # Suggestions from ids that share a beginning or contain what was typed,
        # not from every id of a store of millions.
        candidates = [
            r[0]
            for r in self.connection.execute(
                "SELECT id FROM facts WHERE id LIKE ? OR instr(id, ?) > 0 LIMIT 20000",
                (incident_id[:3].replace("%", "").replace("_", "") + "%", incident_id),
            )
        ]
        raise unknown_id(incident_id, candidates)

    def totals(self, filters: Filters, by: GroupBy | None) -> Totals:
        sql = _filter_sql(filters, self.connection)
        where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
        overall_row = self.connection.execute(
            f"SELECT count(*), {_SUMS} FROM facts{where}", sql.params
        ).fetchone()
        overall = _group("total", overall_row)
        groups: list[Group] = []
        if by is not None:
            identity, label = _GROUPS[by]
            order = "1" if by in (GroupBy.YEAR, GroupBy.MONTH) else "count(*) DESC, 1"
            # With min(pos) alone among min/max, SQLite takes the label from
            # the first incident of the group: a place is named as first seen.
            query = (
                f"SELECT {label}, min(pos), count(*), {_SUMS} FROM facts{where} "
                f"GROUP BY {identity} ORDER BY {order}"
            )
            groups = [_group(row[0], row[2:]) for row in self.connection.execute(query, sql.params)]
        return Totals(by, groups, overall)

    def links(self) -> list[Link]:
        from incidents.index.links import read_links

        return read_links(self.connection)


def _group(key: str, row: Sequence[Any]) -> Group:
    incidents = int(row[0] or 0)
    return Group(key, incidents, _sum(row[1:6], incidents), _sum(row[6:11], incidents))


def _sum(values: Sequence[Any], incidents: int) -> CountSum:
    low, high, unknown, estimate, estimated = values
    return CountSum(
        low=int(low or 0),
        high=None if incidents and high is None else int(high or 0),
        unknown=int(unknown or 0),
        estimate=int(estimate or 0),
        estimated=int(estimated or 0),
    )
