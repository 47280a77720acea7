"""Questions asked of an index or a sqlite store: filters, sorting and
totals as SQL.  The one engine every reading command asks, whatever the
store and wherever its index is (the cache, memory, a sqlite store)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidents.groups import merge_spellings
from incidents.index.schema import busy_timeout, collector_paused, read_meta, set_meta
from incidents.locations import PlaceName, location_queries
from incidents.query import (
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
from incidents.vocabulary import normalise, place_label

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
        sql, sql_params = _locations_sql(filters.locations)
        where.append(sql)
        params.extend(sql_params)
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


def _locations_sql(texts: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL for --location values, as ``locations.matches`` tells, and its parameters."""
    queries = location_queries(texts)
    # The wholes together, so that SQLite looks each key up by its index.
    sql, params = _places_sql([query.whole for query in queries])
    for query in queries:
        if query.parts:
            path = [_places_sql([part]) for part in query.parts]
            sql += " OR (" + " AND ".join(part_sql for part_sql, _ in path) + ")"
            params += [param for _, part_params in path for param in part_params]
    return f"({sql})", params


def _places_sql(places: Sequence[PlaceName]) -> tuple[str, list[Any]]:
    """SQL that holds where any of these places is one of the incident's, as
    ``locations.is_at`` tells, and its parameters."""
    keys = sorted({place.key for place in places if place.key})
    codes = sorted({code for place in places for code in place.codes})
    phrases = [f" {place.phrase} " for place in places if place.phrase]
    tests: list[str] = []
    params: list[Any] = []
    if keys:
        # Every term can use an index, so SQLite looks up each and unites them.
        marks = ", ".join("?" for _ in keys)
        levels = ("country", "province", "district", "city")
        tests += [f"{level}_key IN ({marks})" for level in levels]
        tests.append(f"facts.pos IN (SELECT pos FROM aliases WHERE key IN ({marks}))")
        params += keys * 5
    if codes:
        tests.append(f"country_code IN ({', '.join('?' for _ in codes)})")
        params += codes
    if phrases:
        in_site = " OR ".join("instr(' ' || site || ' ', ?) > 0" for _ in phrases)
        tests.append(f"facts.pos IN (SELECT pos FROM sites WHERE {in_site})")
        params += phrases
    return "(" + (" OR ".join(tests) or "0") + ")", params


def _match_expression(groups: Sequence[Sequence[str]]) -> str:
    from incidents.query import PREFIX_MATCH_LENGTH

    def term(word: str) -> str:
        return f'"{word}"' + ("*" if len(word) >= PREFIX_MATCH_LENGTH else "")

    return " OR ".join("(" + " AND ".join(term(w) for w in words) + ")" for words in groups)


def _ensure_search(connection: sqlite3.Connection) -> None:
    """The full-text table is built the first time a --text query needs it,
    and kept; in memory for this command alone when the file cannot be
    written (a read-only index or store, or one another process is writing)."""
    if read_meta(connection).get("fts") == "1" or _temporary_search(connection):
        return
    try:
        with busy_timeout(connection, 100):  # a writer may be busy for minutes: no waiting
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DROP TABLE IF EXISTS search")
            _fill_search(connection, "main")
            set_meta(connection, {"fts": "1"})
            connection.commit()
    except sqlite3.OperationalError:
        if connection.in_transaction:
            connection.rollback()
        _fill_search(connection, "temp")


def _temporary_search(connection: sqlite3.Connection) -> bool:
    found = "SELECT 1 FROM temp.sqlite_master WHERE name = 'search'"
    return connection.execute(found).fetchone() is not None


def _fill_search(connection: sqlite3.Connection, schema: str) -> None:
    connection.execute(
        f"CREATE VIRTUAL TABLE {schema}.search USING fts5"
        "(text, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute(
        f"INSERT INTO {schema}.search (rowid, text) SELECT pos, {_SEARCHED} FROM details"
    )


# What --text searches in: the summary, the target and the site, folded.
_SEARCHED = (
    "fold(json_extract(json, '$.summary') || ' ' || json_extract(json, '$.target') "
    "|| ' ' || coalesce(json_extract(json, '$.location.site'), ''))"
)


def update_search(connection: sqlite3.Connection, positions: Sequence[int], delete: bool) -> None:
    """Take the incidents at these positions out of the full-text table (before
    their rows go), or put them in (after their rows came), if it is built."""
    if read_meta(connection).get("fts") != "1":
        return
    # A contentless table forgets a row only when told the very text it indexed.
    command = "'delete', " if delete else ""
    columns = "search, rowid, text" if delete else "rowid, text"
    for start in range(0, len(positions), 500):
        chunk = positions[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        connection.execute(
            f"INSERT INTO search ({columns}) SELECT {command}pos, {_SEARCHED} FROM details "
            f"WHERE pos IN ({marks})",
            chunk,
        )


_ORDER = {
    SortKey.DATE: "date_start, id",
    SortKey.KILLED: "killed_unknown, -killed_low, -coalesce(killed_high, killed_low), pos",
    SortKey.WOUNDED: "wounded_unknown, -wounded_low, -coalesce(wounded_high, wounded_low), pos",
}

# Grouped by a column that is its own label.
_GROUPS: dict[GroupBy, str] = {
    GroupBy.TARGET_TYPE: "target_type",
    GroupBy.ATTACK_TYPE: "attack_type",
    GroupBy.YEAR: "period_year",
    GroupBy.MONTH: "period_month",
}
# Grouped by name: the spellings as stored, merged by ``groups`` as in memory.
_SPELLINGS: dict[GroupBy, str] = {
    GroupBy.PERPETRATOR: "perpetrator",
    GroupBy.COUNTRY: "country_code, country",
    GroupBy.PROVINCE: "province",
    GroupBy.CITY: "city",
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
    "wounded_low, wounded_high, wounded_best, wounded_unknown, "
    "(SELECT json_extract(json, '$.location.site') FROM details WHERE details.pos = facts.pos)"
)


class StoreIndex:
    """Queries over an index (or a sqlite store)."""

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
                    country=country,
                    site=r[21],
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
        from incidents.query import suggestion_prefix, unknown_id

        row = self.connection.execute(
            "SELECT json FROM details WHERE pos = "
            "(SELECT pos FROM facts WHERE id = ? ORDER BY pos LIMIT 1)",
            (incident_id,),
        ).fetchone()
        if row is not None:
            return Incident.model_validate_json(row[0])
        # Suggestions from the ids that may be close, not from every id of a
        # store of millions; ``unknown_id`` picks among them by the same rule.
        prefix = suggestion_prefix(incident_id)
        candidates = [
            r[0]
            for r in self.connection.execute(
                "SELECT id FROM facts WHERE substr(id, 1, ?) = ? OR instr(id, ?) > 0 "
                "ORDER BY pos LIMIT 20000",
                (len(prefix), prefix, incident_id),
            )
        ]
        raise unknown_id(incident_id, candidates)

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        # Ids are ASCII: every id that begins with the prefix sorts below it
        # followed by the highest code point, so the id index finds them.
        query = "SELECT id FROM facts WHERE id >= ? AND id < ? ORDER BY id LIMIT ?"
        rows = self.connection.execute(query, (prefix, prefix + "\U0010ffff", limit))
        return [row[0] for row in rows]

    def totals(self, filters: Filters, by: GroupBy | None) -> Totals:
        sql = _filter_sql(filters, self.connection)
        where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
        overall_row = self.connection.execute(
            f"SELECT count(*), {_SUMS} FROM facts{where}", sql.params
        ).fetchone()
        overall = _group("total", overall_row)
        groups: list[Group] = []
        if by in _SPELLINGS:
            columns = _SPELLINGS[by]
            width = columns.count(",") + 1
            query = f"SELECT {columns}, count(*), {_SUMS} FROM facts{where} GROUP BY {columns}"
            spelled = [
                (tuple(row[:width]), _group("", row[width:]))
                for row in self.connection.execute(query, sql.params)
            ]
            groups = merge_spellings(by, spelled)
        elif by is not None:
            column = _GROUPS[by]
            order = "1" if by in (GroupBy.YEAR, GroupBy.MONTH) else "count(*) DESC, 1"
            query = (
                f"SELECT {column}, count(*), {_SUMS} FROM facts{where} "
                f"GROUP BY {column} ORDER BY {order}"
            )
            groups = [_group(row[0], row[1:]) for row in self.connection.execute(query, sql.params)]
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
        estimate=estimate or 0,  # a decimal where a best estimate is one
        estimated=int(estimated or 0),
    )
