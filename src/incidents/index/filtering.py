"""Filters as SQL: the WHERE clause of every question asked of an index,
and the part that tells whether an incident surely lies within the dates
asked for.  ``query.select`` asks the same in Python (the tests hold the two
to the same answers)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from incidents.certainty import code_term, place_rank
from incidents.index.schema import busy_timeout, read_meta, set_meta
from incidents.locations import PlaceName, location_queries
from incidents.query import Filters, text_query_words, wanted_codes
from incidents.vocabulary import normalise


@dataclass
class Sql:
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


def filter_sql(filters: Filters, connection: sqlite3.Connection) -> Sql:
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
        ensure_search(connection)
        where.append("facts.pos IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(_match_expression(words))
    for figure in ("killed", "wounded"):
        for bound in ("min", "max"):
            value = getattr(filters, f"{bound}_{figure}")
            if value is not None:
                where.append(toll_sql(figure, bound))
                params.append(value)
    if filters.attributions:
        any_of("attribution", sorted(a.value for a in filters.attributions))
    if filters.place_precision is not None:
        where.append("place_rank <= ?")
        params.append(place_rank(filters.place_precision))
    for name, values in wanted_codes(filters.codes).items():
        where.append("(" + " OR ".join("instr(codes, ?) > 0" for _ in values) + ")")
        params.extend(code_term(name, value) for value in sorted(values))
    return Sql(where, params, certain, certain_params)


def toll_sql(figure: str, bound: str) -> str:
    """Killed or wounded surely at least (min) or at most (max) the parameter."""
    if bound == "min":
        return f"{figure}_unknown = 0 AND {figure}_low >= ?"
    return f"{figure}_unknown = 0 AND {figure}_high IS NOT NULL AND {figure}_high <= ?"


def maybe_toll_sql(figure: str, bound: str) -> str:
    """Killed or wounded that may be at least (min) or at most (max) the
    parameter, but not surely: what the toll filter left out for want of a figure."""
    # An unknown figure (low 0, high null) may be anything.
    may = {"min": f"({figure}_high IS NULL OR {figure}_high >= ?)", "max": f"{figure}_low <= ?"}
    return f"{may[bound]} AND NOT ({toll_sql(figure, bound)})"


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


def ensure_search(connection: sqlite3.Connection) -> None:
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
