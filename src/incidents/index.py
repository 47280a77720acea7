"""A derived SQLite index of a store: filters and totals as SQL.

The JSON store stays the source of truth.  Beside it, in the user's cache
directory, an index holds one row per incident with the columns that every
filter, sort and total needs, the flat cells of its CSV row, and its JSON
text.  Python objects are built only for what is printed, and the warm path
never loads pydantic.

The index is rebuilt when the store's size or modification time changes and
its content hash differs from the one recorded; an index that cannot be read
is rebuilt, never trusted.  A store file ending in ``.sqlite`` is itself an
index-shaped store (for data sets of millions of incidents).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.errors import IncidentsError
from incidents.query import (
    NO_VALUE,
    CountSum,
    Filters,
    Group,
    GroupBy,
    SortKey,
    Totals,
    period_key,
    text_query_words,
)
from incidents.records import (
    FLAT_COLUMNS,
    ListRow,
    date_text,
    figure_bounds,
    figure_from_columns,
)
from incidents.vocabulary import fold, normalise, perpetrator_names, place_key

if TYPE_CHECKING:
    from incidents.model import Incident

# Bump when the table's shape or the meaning of a column changes: older
# index files are then rebuilt.
SCHEMA_VERSION = "1"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

Progress = Callable[[int, int], None]

_DERIVED_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("date_start", "TEXT NOT NULL"),
    ("date_end", "TEXT NOT NULL"),
    ("period_year", "TEXT NOT NULL"),
    ("period_month", "TEXT NOT NULL"),
    ("place_keys", "TEXT NOT NULL"),
    ("site_folded", "TEXT NOT NULL"),
    ("country_group", "TEXT NOT NULL"),
    ("province_group", "TEXT NOT NULL"),
    ("province_label", "TEXT NOT NULL"),
    ("city_group", "TEXT NOT NULL"),
    ("city_label", "TEXT NOT NULL"),
    ("perpetrator_names", "TEXT NOT NULL"),
    ("weapon_set", "TEXT NOT NULL"),
    ("killed_low", "INTEGER NOT NULL"),
    ("killed_high", "INTEGER"),
    ("killed_best", "INTEGER"),
    ("killed_unknown", "INTEGER NOT NULL"),
    ("wounded_low", "INTEGER NOT NULL"),
    ("wounded_high", "INTEGER"),
    ("wounded_best", "INTEGER"),
    ("wounded_unknown", "INTEGER NOT NULL"),
    ("searchable", "TEXT NOT NULL"),
    ("place_label", "TEXT NOT NULL"),
    ("short_place", "TEXT NOT NULL"),
    ("json", "TEXT NOT NULL"),
)
COLUMNS = _DERIVED_COLUMNS + tuple((name, "TEXT NOT NULL") for name in FLAT_COLUMNS)
_COLUMN_NAMES = [name for name, _ in COLUMNS]
_INSERT = (
    f"INSERT INTO incidents ({', '.join(_COLUMN_NAMES)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMN_NAMES)})"
)
_INDEXES = ("id", "target_type", "country_group", "province_group", "date_start")


class IndexError_(IncidentsError):
    """An index or sqlite store that cannot be used."""


# --- rows ----------------------------------------------------------------------


def compact_json(incident: Incident) -> str:
    """The incident's JSON on one line, as it stands in the index and in NDJSON."""
    data = incident.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ": "))


def index_row(pos: int, incident: Incident, json_text: str) -> tuple[Any, ...]:
    """Everything the index keeps of one incident, in COLUMNS order."""
    from incidents.records import flat_record

    location = incident.location
    interval = incident.interval
    assert interval.start is not None and interval.end is not None
    names = [incident.perpetrator.name, incident.claim.by if incident.claim else None]
    aliases = [alias for name in names if name for alias in perpetrator_names(name)]
    killed_low, killed_high = figure_bounds(incident.killed)
    wounded_low, wounded_high = figure_bounds(incident.wounded)
    province = location.province or NO_VALUE
    city = location.city or NO_VALUE
    site = location.site or ""
    return (
        pos,
        interval.start.isoformat(),
        interval.end.isoformat(),
        period_key(incident, 4),
        period_key(incident, 7),
        "|" + "|".join(sorted({place_key(name) for name in location.places()})) + "|",
        fold(site),
        place_key(location.country),
        place_key(province),
        province,
        place_key(city),
        city,
        "| " + " | ".join(aliases) + " |" if aliases else "",
        "|" + "|".join(w.value for w in incident.weapon_types) + "|",
        killed_low,
        killed_high,
        _best(incident.killed),
        int(incident.killed is None),
        wounded_low,
        wounded_high,
        _best(incident.wounded),
        int(incident.wounded is None),
        fold(" ".join(filter(None, (incident.summary, incident.target, site)))),
        location.label(),
        location.city or location.district or location.province or location.country,
        json_text,
        *flat_record(incident),
    )


def _best(figure: object) -> int | None:
    return getattr(figure, "best", None)


# --- reading the store fast ----------------------------------------------------

# A store written by this tool (2-space indent) separates its incidents with
# exactly this; a raw newline never occurs inside a JSON string, so it can
# only stand between two incidents.
_SEPARATOR = b"\n    },\n    {\n"
_HEAD = re.compile(
    rb'\A(?:\xef\xbb\xbf)?\s*\{\s*(?:"\$schema"\s*:\s*"[^"\\]*"\s*,\s*)?"incidents"\s*:\s*\['
)
_TAIL = re.compile(rb"\]\s*\}\s*\Z")
_INDENT = re.compile(rb"\n *")
_CHUNK = 2000


def _fast_chunks(data: bytes) -> Iterator[list[bytes]] | None:
    """The store's incidents as JSON object texts, in chunks, without parsing.

    None when the file is not laid out as this tool writes it; the caller
    then reads it the slow, general way.
    """
    head = _HEAD.match(data)
    tail = _TAIL.search(data)
    if not head or not tail:
        return None
    body = data[head.end() : tail.start()].strip()
    if not body:
        return iter(())
    if body[:1] != b"{" or body[-1:] != b"}":
        return None

    def chunks() -> Iterator[list[bytes]]:
        start = 1
        end_of_body = len(body) - 1
        chunk: list[bytes] = []
        while start < end_of_body:
            cut = body.find(_SEPARATOR, start, end_of_body)
            stop = end_of_body if cut < 0 else cut
            chunk.append(_INDENT.sub(b"", b"{" + body[start:stop] + b"}"))
            start = end_of_body if cut < 0 else cut + len(_SEPARATOR)
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    return chunks()


class _NotOwnLayout(Exception):
    """The fast reader met something it cannot vouch for."""


def _fast_batches(data: bytes) -> Iterator[list[tuple[Incident, str]]]:
    """Validated incidents with their JSON text, a chunk at a time; raises
    _NotOwnLayout when the file must be read the general way instead."""
    from pydantic import TypeAdapter, ValidationError

    from incidents.model import Incident, Store

    head, tail = _HEAD.match(data), _TAIL.search(data)
    chunks = _fast_chunks(data)
    if chunks is None or head is None or tail is None:
        raise _NotOwnLayout
    adapter = TypeAdapter(list[Incident])
    try:
        Store.model_validate_json(head.group(0).lstrip(b"\xef\xbb\xbf") + tail.group(0))
        for chunk in chunks:
            texts = [piece.decode("utf-8") for piece in chunk]
            incidents = adapter.validate_json("[" + ",".join(texts) + "]")
            yield list(zip(incidents, texts, strict=True))
    except (ValidationError, UnicodeDecodeError):
        raise _NotOwnLayout from None


def _slow_batches(data: bytes, name: str) -> Iterator[list[tuple[Incident, str]]]:
    """The general reader: the whole store at once; StoreError lists every problem."""
    from incidents.store import decode_text, parse_store

    incidents = parse_store(decode_text(data, name), name).incidents
    for start in range(0, len(incidents), _CHUNK):
        yield [(i, compact_json(i)) for i in incidents[start : start + _CHUNK]]


# --- building --------------------------------------------------------------------


def _create_schema(connection: sqlite3.Connection) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    connection.execute(f"CREATE TABLE incidents ({columns})")
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _create_indexes(connection: sqlite3.Connection) -> None:
    for column in _INDEXES:
        connection.execute(f"CREATE INDEX IF NOT EXISTS by_{column} ON incidents ({column})")


def _set_meta(connection: sqlite3.Connection, values: dict[str, str]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items())
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Building hundreds of thousands of small objects makes the cyclic
    # collector run again and again for nothing: it triples the load time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fill(
    connection: sqlite3.Connection,
    batches: Iterable[list[tuple[Incident, str]]],
    progress: Progress | None,
    total_bytes: int,
    start_pos: int = 0,
) -> int:
    pos = start_pos
    for batch in batches:
        rows = []
        for incident, text in batch:
            rows.append(index_row(pos, incident, text))
            pos += 1
        connection.executemany(_INSERT, rows)
        if progress:
            progress(pos, total_bytes)
    return pos


def build_index(
    store_path: Path, index_path: Path, progress: Progress | None = None
) -> sqlite3.Connection:
    """Validate the store once and write its index, whole or not at all."""
    from incidents.store import read_bytes

    data = read_bytes(store_path)
    digest = hashlib.sha256(data).hexdigest()
    stat = store_path.stat()
    index_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = index_path.with_name(f".{index_path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        _create_schema(connection)
        with _collector_paused():
            try:
                count = _fill(connection, _fast_batches(data), progress, len(data))
            except _NotOwnLayout:
                connection.execute("DELETE FROM incidents")
                count = _fill(connection, _slow_batches(data, str(store_path)), progress, 0)
        _create_indexes(connection)
        _set_meta(
            connection,
            {
                "kind": "index",
                "schema": SCHEMA_VERSION,
                "store": str(store_path.resolve()),
                "size": str(stat.st_size),
                "mtime_ns": str(stat.st_mtime_ns),
                "sha256": digest,
                "count": str(count),
                "fts": "0",
            },
        )
        connection.commit()
        connection.close()
        os.replace(temporary, index_path)
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise
    return _connect(index_path)


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
    connection.execute("PRAGMA query_only = 0")
    return connection


def _meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def cache_directory(environ: dict[str, str] | None = None) -> Path:
    """Where indexes live: $XDG_CACHE_HOME/incidents, else ~/.cache/incidents."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "incidents"


def index_path_for(store_path: Path, cache_dir: Path | None = None) -> Path:
    key = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:24]
    return (cache_dir or cache_directory()) / f"{key}.sqlite"


def _fresh(connection: sqlite3.Connection, store_path: Path) -> bool:
    """Whether the index still describes the store; refreshes the recorded
    size and time when only those changed (a touch, a copy)."""
    meta = _meta(connection)
    if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
        return False
    stat = store_path.stat()
    if meta.get("size") == str(stat.st_size) and meta.get("mtime_ns") == str(stat.st_mtime_ns):
        return True
    if meta.get("size") != str(stat.st_size):
        return False
    digest = hashlib.sha256(store_path.read_bytes()).hexdigest()
    if digest != meta.get("sha256"):
        return False
    _set_meta(connection, {"mtime_ns": str(stat.st_mtime_ns)})
    connection.commit()
    return True


def open_index(
    store_path: Path, cache_dir: Path | None = None, progress: Progress | None = None
) -> StoreIndex:
    """The index of a JSON store, built or rebuilt as needed; or a sqlite store."""
    from incidents.store import Problem, StoreError

    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return open_sqlite_store(store_path)
    if not store_path.is_file():
        from incidents.store import read_bytes

        read_bytes(store_path)  # raises the right StoreError
    path = index_path_for(store_path, cache_dir)
    if path.exists():
        try:
            connection = _connect(path)
            if _fresh(connection, store_path):
                return StoreIndex(connection)
            connection.close()
        except sqlite3.DatabaseError:
            pass
    try:
        return StoreIndex(build_index(store_path, path, progress))
    except OSError as error:
        raise StoreError(
            [Problem(str(path), f"cannot write the query index: {error.strerror}")]
        ) from None


def open_sqlite_store(path: Path) -> StoreIndex:
    from incidents.store import Problem, StoreError

    if not path.is_file():
        raise StoreError([Problem(str(path), "no such file")])
    try:
        connection = _connect(path)
        meta = _meta(connection)
    except sqlite3.DatabaseError as error:
        raise StoreError([Problem(str(path), f"not an incidents sqlite store: {error}")]) from None
    if meta.get("kind") != "store":
        raise StoreError([Problem(str(path), "not an incidents sqlite store (no store marker)")])
    if meta.get("schema") != SCHEMA_VERSION:
        raise StoreError(
            [
                Problem(
                    str(path),
                    f"sqlite store of schema {meta.get('schema')}, this tool reads "
                    f"{SCHEMA_VERSION}: export it with the tool that wrote it",
                )
            ]
        )
    return StoreIndex(connection)


def write_sqlite_store(path: Path, incidents: Iterable[Incident]) -> int:
    """Write incidents as a sqlite store, whole or not at all; returns the count."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        _create_schema(connection)
        with _collector_paused():
            count = _fill(connection, _batched(incidents), None, 0)
        _create_indexes(connection)
        _set_meta(
            connection, {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"}
        )
        connection.commit()
        connection.close()
        os.replace(temporary, path)
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise
    return count


def _batched(incidents: Iterable[Incident]) -> Iterator[list[tuple[Incident, str]]]:
    batch: list[tuple[Incident, str]] = []
    for incident in incidents:
        batch.append((incident, compact_json(incident)))
        if len(batch) >= _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


# --- querying ----------------------------------------------------------------------


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
        tests = []
        for query in filters.locations:
            tests.append("instr(place_keys, ?) > 0")
            params.append(f"|{place_key(query)}|")
            folded = fold(query)
            if folded:
                tests.append("(site_folded != '' AND instr(' ' || site_folded || ' ', ?) > 0)")
                params.append(f" {folded} ")
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
        where.append("pos IN (SELECT rowid FROM search WHERE search MATCH ?)")
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
    if _meta(connection).get("fts") == "1":
        return
    connection.execute("DROP TABLE IF EXISTS search")
    connection.execute(
        "CREATE VIRTUAL TABLE search USING fts5"
        "(text, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO search (rowid, text) SELECT pos, searchable FROM incidents")
    _set_meta(connection, {"fts": "1"})
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
    GroupBy.PERPETRATOR: (
        "perpetrator",
        "CASE WHEN perpetrator = '' THEN 'unknown' ELSE perpetrator END",
    ),
    GroupBy.COUNTRY: ("country_group", "country"),
    GroupBy.PROVINCE: ("province_group", "province_label"),
    GroupBy.CITY: ("city_group", "city_label"),
    GroupBy.YEAR: ("period_year", "period_year"),
    GroupBy.MONTH: ("period_month", "period_month"),
}

_SUMS = ", ".join(
    f"sum({f}_low), CASE WHEN max({f}_high IS NULL) THEN NULL ELSE sum({f}_high) END, "
    f"sum({f}_unknown)"
    for f in ("killed", "wounded")
)

_LIST_COLUMNS = (
    "id, date, end_date, place_label, short_place, target_type, attack_type, perpetrator, "
    "attribution, killed_low, killed_high, killed_best, killed_unknown, "
    "wounded_low, wounded_high, wounded_best, wounded_unknown"
)


class StoreIndex:
    """Queries over an index (or a sqlite store), answering as ``query`` does."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def close(self) -> None:
        self.connection.close()

    def count(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM incidents").fetchone()
        return int(row[0])

    def _select(
        self,
        columns: str,
        filters: Filters,
        order: str = "pos",
        limit: int | None = None,
    ) -> sqlite3.Cursor:
        sql = _filter_sql(filters, self.connection)
        query = f"SELECT {columns}, NOT ({sql.certain}) FROM incidents"
        if sql.where:
            query += " WHERE " + " AND ".join(sql.where)
        query += f" ORDER BY {order}"
        params = sql.certain_params + sql.params
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return self.connection.execute(query, params)

    def list_rows(self, filters: Filters, sort: SortKey, limit: int | None = None) -> list[ListRow]:
        rows = []
        for r in self._select(_LIST_COLUMNS, filters, _ORDER[sort], limit):
            rows.append(
                ListRow(
                    id=r[0],
                    date_text=date_text(r[1], r[2]),
                    place_label=r[3],
                    short_place=r[4],
                    target_type=r[5],
                    attack_type=r[6],
                    perpetrator=r[7] or None,
                    suspected=r[8] == "suspected",
                    killed=figure_from_columns(r[9], r[10], r[11], r[12]),
                    wounded=figure_from_columns(r[13], r[14], r[15], r[16]),
                    date_uncertain=bool(r[17]),
                )
            )
        return rows

    def records(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[tuple[str, ...]]:
        """Flat CSV records of the matching incidents."""
        order = _ORDER[sort] if sort else "pos"
        for row in self._select(", ".join(FLAT_COLUMNS), filters, order, limit):
            yield tuple(row[:-1])

    def json_texts(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        order = _ORDER[sort] if sort else "pos"
        for row in self._select("json", filters, order, limit):
            yield row[0]

    def ids(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT id FROM incidents ORDER BY pos")]

    def incident_json(self, incident_id: str) -> str | None:
        row = self.connection.execute(
            "SELECT json FROM incidents WHERE id = ? ORDER BY pos LIMIT 1", (incident_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def totals(self, filters: Filters, by: GroupBy | None) -> Totals:
        sql = _filter_sql(filters, self.connection)
        where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
        overall_row = self.connection.execute(
            f"SELECT count(*), {_SUMS} FROM incidents{where}", sql.params
        ).fetchone()
        overall = _group("total", overall_row)
        groups: list[Group] = []
        if by is not None:
            identity, label = _GROUPS[by]
            order = "1" if by in (GroupBy.YEAR, GroupBy.MONTH) else "count(*) DESC, 1"
            # With min(pos) alone among min/max, SQLite takes the label from
            # the first incident of the group: a place is named as first seen.
            query = (
                f"SELECT {label}, min(pos), count(*), {_SUMS} FROM incidents{where} "
                f"GROUP BY {identity} ORDER BY {order}"
            )
            groups = [_group(row[0], row[2:]) for row in self.connection.execute(query, sql.params)]
        return Totals(by, groups, overall)


def _group(key: str, row: Sequence[Any]) -> Group:
    incidents = int(row[0] or 0)
    return Group(
        key,
        incidents,
        CountSum(
            int(row[1] or 0),
            None if incidents and row[2] is None else int(row[2] or 0),
            int(row[3] or 0),
        ),
        CountSum(
            int(row[4] or 0),
            None if incidents and row[5] is None else int(row[5] or 0),
            int(row[6] or 0),
        ),
    )
