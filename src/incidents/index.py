"""A derived SQLite index of a store: filters and totals as SQL.

The JSON store stays the source of truth.  Beside it, in the user's cache
directory, an index holds one row per incident with the columns that every
filter, sort and total needs, and, apart, its JSON text and its line of the
CSV export.  Python objects are built only for what is printed, and the warm
path never loads pydantic.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.dates import PartialDate
from incidents.errors import IncidentsError
from incidents.query import (
    NO_VALUE,
    CountSum,
    Filters,
    Group,
    GroupBy,
    SortKey,
    Totals,
    period_of,
    text_query_words,
)
from incidents.records import (
    ListRow,
    csv_line,
    date_text,
    figure_from_columns,
    flat_cells,
    place_label,
)
from incidents.vocabulary import fold, normalise, perpetrator_names, place_key

if TYPE_CHECKING:
    from incidents.model import Incident

# Bump when the table's shape or the meaning of a column changes: older
# index files are then rebuilt.
SCHEMA_VERSION = "5"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

Progress = Callable[[int, int], None]

# Two tables.  ``facts`` is narrow: what filters, sorts and totals read, so
# that a scan of every incident reads little.  ``details`` holds the rest
# (the incident's JSON and its flat CSV cells), read only for what is printed.
FACT_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("id", "TEXT NOT NULL"),
    ("date", "TEXT NOT NULL"),
    ("end_date", "TEXT"),
    ("date_start", "TEXT NOT NULL"),
    ("date_end", "TEXT NOT NULL"),
    ("period_year", "TEXT NOT NULL"),
    ("period_month", "TEXT NOT NULL"),
    ("country", "TEXT NOT NULL"),
    ("province", "TEXT"),
    ("district", "TEXT"),
    ("city", "TEXT"),
    ("country_key", "TEXT NOT NULL"),
    ("province_key", "TEXT"),
    ("district_key", "TEXT"),
    ("city_key", "TEXT"),
    ("perpetrator", "TEXT"),
    ("perpetrator_names", "TEXT NOT NULL"),
    ("attribution", "TEXT NOT NULL"),
    ("weapon_set", "TEXT NOT NULL"),
    ("target_type", "TEXT NOT NULL"),
    ("attack_type", "TEXT NOT NULL"),
    ("killed_low", "INTEGER NOT NULL"),
    ("killed_high", "INTEGER"),
    ("killed_best", "INTEGER"),
    ("killed_unknown", "INTEGER NOT NULL"),
    ("wounded_low", "INTEGER NOT NULL"),
    ("wounded_high", "INTEGER"),
    ("wounded_best", "INTEGER"),
    ("wounded_unknown", "INTEGER NOT NULL"),
)
DETAIL_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("json", "TEXT NOT NULL"),  # the incident as a store file lays it out
    # Its line of the CSV export: made by the first export that needs it, for
    # an index (a cold query need not pay for it), and at once in a sqlite store.
    ("csv", "TEXT"),
)
# Rare, so kept apart from the facts: other spellings of a place, and sites.
ALIAS_COLUMNS = (("pos", "INTEGER NOT NULL"), ("key", "TEXT NOT NULL"))
SITE_COLUMNS = (("pos", "INTEGER PRIMARY KEY"), ("site", "TEXT NOT NULL"))
_TABLES = (
    ("facts", FACT_COLUMNS),
    ("details", DETAIL_COLUMNS),
    ("aliases", ALIAS_COLUMNS),
    ("sites", SITE_COLUMNS),
)
_INDEXES = (
    ("facts", "id"),
    ("facts", "target_type"),
    ("facts", "country_key"),
    ("facts", "province_key"),
    ("facts", "district_key"),
    ("facts", "city_key"),
    ("aliases", "key"),
)


def _insert_statement(table: str, columns: Sequence[tuple[str, str]]) -> str:
    names = [name for name, _ in columns]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"


_INSERTS = {table: _insert_statement(table, columns) for table, columns in _TABLES}


class IndexUnwritable(IncidentsError):
    """The cache directory cannot hold the index; the store itself is fine."""


# --- one row per incident, from its JSON data --------------------------------------
# Everything the filters, sorts and totals of ``query`` compute from model
# objects, computed here from the incident's data as the store holds it; the
# tests hold the two paths to the same answers.  Names and dates repeat
# across a data set, so their keys are cached.


@lru_cache(maxsize=65536)
def _interval(start: str, end: str | None) -> tuple[str, str, str, str]:
    """First day, last day, year period and month period of an incident."""
    return (
        PartialDate.parse(start).first_day.isoformat(),
        PartialDate.parse(end or start).last_day.isoformat(),
        period_of(start, end, 4),
        period_of(start, end, 7),
    )


_place_key = lru_cache(maxsize=65536)(place_key)


@lru_cache(maxsize=65536)
def _perpetrator_names(*names: str | None) -> str:
    aliases = [alias for name in names if name for alias in perpetrator_names(name)]
    return "| " + " | ".join(aliases) + " |" if aliases else ""


def _figure_columns(figure: Any) -> tuple[int, int | None, int | None, int]:
    """Low, high, best and unknown (0 or 1) of a figure as stored."""
    if figure is None:
        return 0, None, None, 1
    if isinstance(figure, int):
        return figure, figure, None, 0
    return figure["min"], figure.get("max"), figure.get("best"), 0


def _rows(
    pos: int, data: dict[str, Any], text: str, with_csv: bool
) -> dict[str, list[tuple[Any, ...]]]:
    """The incident's rows in each table."""
    location = data["location"]
    province, district, city = (location.get(level) for level in ("province", "district", "city"))
    claim = data.get("claim") or {}
    perpetrator = data["perpetrator"].get("name")
    site = location.get("site")
    return {
        "facts": [
            (
                pos,
                data["id"],
                data["date"],
                data.get("end_date"),
                *_interval(data["date"], data.get("end_date")),
                location["country"],
                province,
                district,
                city,
                _place_key(location["country"]),
                _place_key(province) if province else None,
                _place_key(district) if district else None,
                _place_key(city) if city else None,
                perpetrator,
                _perpetrator_names(perpetrator, claim.get("by")),
                data["perpetrator"]["attribution"],
                "|" + "|".join(data.get("weapon_types", ())) + "|",
                data["target_type"],
                data["attack_type"],
                *_figure_columns(data["killed"]),
                *_figure_columns(data["wounded"]),
            )
        ],
        "details": [(pos, text, csv_line(flat_cells(data)) if with_csv else None)],
        "aliases": [(pos, key) for key in {_place_key(a) for a in location.get("aliases", ())}],
        "sites": [(pos, fold(site))] if site else [],
    }


def _register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("fold", 1, fold, deterministic=True)


# --- reading the store fast ----------------------------------------------------

# A store written by this tool (2-space indent) separates its incidents with
# exactly this; a raw newline never occurs inside a JSON string, so it can
# only stand between two incidents.
_SEPARATOR = b"\n    },\n    {\n"
_HEAD = re.compile(
    rb'\A(?:\xef\xbb\xbf)?\s*\{\s*(?:"\$schema"\s*:\s*"[^"\\]*"\s*,\s*)?"incidents"\s*:\s*\[\s*'
)
_TAIL = re.compile(rb"\s*\]\s*\}\s*\Z")
_CHUNK = 5000


def _own_layout_texts(data: bytes) -> list[str] | None:
    """Each incident's JSON text, cut out of a store in this tool's layout
    without parsing it; None for any other layout.

    Whether the cuts fall between incidents is proven later: each text must
    parse as one object, and they must validate as one incident each.
    """
    # The tail is searched for in the last bytes only: a regular expression
    # tried at every position of a large file costs seconds.
    head, tail = _HEAD.match(data), _TAIL.search(data, max(0, len(data) - 4096))
    if head is None or tail is None or head.end() > tail.start():
        return None
    if head.end() == tail.start():
        return []
    try:
        body = data[head.end() : tail.start()].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not (body.startswith("{\n") and body.endswith("\n    }")):
        return None
    pieces = body[2:-6].split(_SEPARATOR.decode())
    del body
    return ["{\n" + piece + "\n    }" for piece in pieces]


# --- validating, in a second process ----------------------------------------------


def _validate_texts(texts: Sequence[str], name: str, first: int = 0) -> bool:
    """Whether every incident passes the model and the checks of one incident
    (ids shared between incidents are looked for in the built index)."""
    from pydantic import TypeAdapter, ValidationError

    from incidents.checks import check_incidents
    from incidents.model import Incident

    adapter = TypeAdapter(list[Incident])
    with _collector_paused():
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            try:
                incidents = adapter.validate_json("[" + ",".join(chunk) + "]")
            except ValidationError:
                return False
            if len(incidents) != len(chunk):  # a cut fell inside an incident
                return False
            if check_incidents(list(enumerate(incidents, first + start)), name, warnings=False):
                return False
    return True


class _Validation:
    """Validation running beside the index build, in forked processes that
    share the store between them (where the platform has fork), else in line.

    Validating with pydantic is the largest part of a cold query; it runs on
    the second core while this process builds the index.  Split further it
    only competes with that build (measured: 6.6 s one way, 7.6 s two ways,
    for 200,000 incidents on two cores).
    """

    PARTS = 1

    def __init__(self, texts: Sequence[str], name: str) -> None:
        import multiprocessing

        self._results: list[bool] = []
        self._workers: list[tuple[Any, Any]] = []
        if "fork" not in multiprocessing.get_all_start_methods() or len(texts) < 2 * _CHUNK:
            self._results.append(_validate_texts(texts, name))
            return
        context = multiprocessing.get_context("fork")
        size = -(-len(texts) // self.PARTS)
        for first in range(0, len(texts), size):
            receiver, sender = context.Pipe(duplex=False)

            def work(sender: Any = sender, first: int = first) -> None:
                try:
                    sender.send(_validate_texts(texts[first : first + size], name, first))
                except BaseException:
                    sender.send(False)

            process = context.Process(target=work, daemon=True)
            process.start()
            sender.close()
            self._workers.append((process, receiver))

    def passed(self) -> bool:
        for process, receiver in self._workers:
            try:
                self._results.append(bool(receiver.recv()))
            except EOFError:
                self._results.append(False)
            process.join()
        self._workers.clear()
        return all(self._results)

    def cancel(self) -> None:
        for process, _ in self._workers:
            if process.is_alive():
                process.kill()
            process.join()
        self._workers.clear()


# --- building --------------------------------------------------------------------


def _create_schema(connection: sqlite3.Connection) -> None:
    for table, columns in _TABLES:
        definition = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"CREATE TABLE {table} ({definition})")
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _create_indexes(connection: sqlite3.Connection) -> None:
    for table, column in _INDEXES:
        connection.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} ({column})")


def _clear(connection: sqlite3.Connection) -> None:
    for table, _ in _TABLES:
        connection.execute(f"DELETE FROM {table}")


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


def _insert(
    connection: sqlite3.Connection,
    texts: Iterable[str],
    progress: Progress | None = None,
    total: int = 0,
    with_csv: bool = False,
) -> int:
    """Insert incidents given as JSON texts; ValueError when a text is not one
    JSON object."""
    pos = 0
    batches: dict[str, list[tuple[Any, ...]]] = {table: [] for table, _ in _TABLES}

    def flush() -> None:
        for table, rows in batches.items():
            connection.executemany(_INSERTS[table], rows)
            rows.clear()
        if progress:
            progress(pos, total)

    from pydantic_core import from_json  # a faster JSON parser than the standard one

    for text in texts:
        data = from_json(text)
        if not isinstance(data, dict):
            raise ValueError(f"incident {pos} is not a JSON object")
        for table, rows in _rows(pos, data, text, with_csv).items():
            batches[table].extend(rows)
        pos += 1
        if pos % _CHUNK == 0:
            flush()
    flush()
    return pos


@contextlib.contextmanager
def _new_database(path: Path) -> Iterator[sqlite3.Connection]:
    """A database written beside ``path`` and renamed over it once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        _register_functions(connection)
        _create_schema(connection)
        yield connection
        _create_indexes(connection)
        connection.commit()
        connection.close()
        os.replace(temporary, path)
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise


def _ids_unique(connection: sqlite3.Connection) -> bool:
    duplicate = "SELECT 1 FROM facts GROUP BY id HAVING count(*) > 1 LIMIT 1"
    return connection.execute(duplicate).fetchone() is None


def _slow_texts(data: bytes, name: str) -> list[str]:
    """The general reader: parse and check the whole store; StoreError lists
    every problem."""
    from incidents.checks import check_store, errors
    from incidents.store import StoreError, decode_text, parse_store, stored_json

    store = parse_store(decode_text(data, name), name)
    problems = errors(check_store(store, name))
    if problems:
        raise StoreError(problems)
    return [stored_json(incident) for incident in store.incidents]


def build_index(
    store_path: Path, index_path: Path, progress: Progress | None = None
) -> sqlite3.Connection:
    """Validate the store once and write its index, whole or not at all."""
    from incidents.store import read_bytes

    name = str(store_path)
    data = read_bytes(store_path)
    stat = store_path.stat()
    digest = hashlib.sha256(data).hexdigest()
    with _collector_paused(), _new_database(index_path) as connection:
        texts = _own_layout_texts(data)
        if texts is None:
            texts = _slow_texts(data, name)
        else:
            del data  # the texts hold it now; the slow path reads the file again
            validation = _Validation(texts, name)
            try:
                _insert(connection, texts, progress, len(texts))
                inserted = True
            except (ValueError, KeyError, TypeError):  # a cut fell inside an incident
                inserted = False
            except BaseException:
                validation.cancel()
                raise
            if not (inserted and validation.passed() and _ids_unique(connection)):
                validation.cancel()
                data = read_bytes(store_path)
                _clear(connection)
                texts = _slow_texts(data, name)  # raises with every problem...
        count = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        if count != len(texts):  # ...or it was only the layout that misled us
            _clear(connection)
            _insert(connection, texts, progress, len(texts))
        _set_meta(
            connection,
            {
                "kind": "index",
                "schema": SCHEMA_VERSION,
                "store": str(store_path.resolve()),
                "size": str(stat.st_size),
                "mtime_ns": str(stat.st_mtime_ns),
                "sha256": digest,
                "count": str(len(texts)),
                "fts": "0",
            },
        )
    return _connect(index_path)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    _register_functions(connection)
    return connection


def _meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def cache_directory(environ: Mapping[str, str] | None = None) -> Path:
    """Where indexes live: $XDG_CACHE_HOME/incidents, else ~/.cache/incidents."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "incidents"


def index_path_for(store_path: Path, cache_dir: Path | None = None) -> Path:
    key = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:24]
    return (cache_dir or cache_directory()) / f"{key}.sqlite"


def _fresh(connection: sqlite3.Connection, store_path: Path) -> bool:
    """Whether the index still describes the store; refreshes the recorded
    time when only that changed (a touch, a checkout of the same content)."""
    meta = _meta(connection)
    if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
        return False
    stat = store_path.stat()
    if meta.get("size") != str(stat.st_size):
        return False
    if meta.get("mtime_ns") == str(stat.st_mtime_ns):
        return True
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
    from incidents.store import read_bytes

    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return open_sqlite_store(store_path)
    if not store_path.is_file():
        read_bytes(store_path)  # raises the StoreError that says why
    path = index_path_for(store_path, cache_dir)
    if path.exists():
        try:
            connection = _connect(path)
            if _fresh(connection, store_path):
                return StoreIndex(connection)
            connection.close()
        except sqlite3.DatabaseError:
            pass  # unreadable: rebuilt below, never trusted
    try:
        _forget_orphans(path)
        return StoreIndex(build_index(store_path, path, progress))
    except (OSError, sqlite3.OperationalError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise IndexUnwritable(f"cannot write the query index {path}: {reason}") from None


def _forget_orphans(keep: Path) -> None:
    """Remove the indexes of stores that no longer exist, so that the cache
    does not grow with every store ever opened.  Done only when an index is
    built, which is rare and slow anyway."""
    for candidate in keep.parent.glob("*.sqlite"):
        if candidate == keep:
            continue
        try:
            uri = f"file:{candidate}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
                store = _meta(connection).get("store")
        except sqlite3.DatabaseError:
            continue  # not an index of ours, or busy: left alone
        if store and not Path(store).exists():
            candidate.unlink(missing_ok=True)


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
        message = (
            f"a sqlite store of schema {meta.get('schema')}; this tool reads schema "
            f"{SCHEMA_VERSION}: export it to JSON with the tool that wrote it"
        )
        raise StoreError([Problem(str(path), message)])
    return StoreIndex(connection)


def write_sqlite_store(path: Path, incidents: Iterable[Incident]) -> int:
    """Write validated incidents as a sqlite store, whole or not at all."""
    from incidents.store import stored_json

    with _collector_paused(), _new_database(path) as connection:
        count = _insert(connection, (stored_json(i) for i in incidents), with_csv=True)
        _set_meta(
            connection, {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"}
        )
    return count


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
    if _meta(connection).get("fts") == "1":
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
        with _collector_paused():
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


class SqliteStoreImport:
    """Imported incidents merged into a sqlite store as they come, by origin.

    The ``importers.Merge`` of a sqlite store: the store is never loaded
    whole, so memory stays with the ids, not the incidents.  A new store is
    written beside its name and renamed into place by ``commit``; an
    existing one changes in one SQLite transaction.  Until ``commit``,
    nothing is visible, and ``abort`` leaves the store as it was.
    """

    def __init__(self, path: Path, dataset: str) -> None:
        self.path = path
        self.dataset = dataset
        self.incidents: list[Incident] = []  # never filled: the rows go to SQLite
        self._new = not path.exists()
        if self._new:
            self._temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            self._temporary.unlink(missing_ok=True)
            self.connection = sqlite3.connect(self._temporary)
            self.connection.execute("PRAGMA journal_mode = OFF")
            _register_functions(self.connection)
            _create_schema(self.connection)
        else:
            self.connection = open_sqlite_store(path).connection
        self.connection.execute("PRAGMA synchronous = OFF")
        self.ids = {row[0] for row in self.connection.execute("SELECT id FROM facts")}
        self.by_origin = {
            row[0]: row[1]
            for row in self.connection.execute(
                "SELECT json_extract(json, '$.origin.id'), pos FROM details "
                "WHERE json_extract(json, '$.origin.dataset') = ?",
                (dataset,),
            )
        }
        last = self.connection.execute("SELECT max(pos) FROM facts").fetchone()[0]
        self._next = 0 if last is None else last + 1
        self._batches: dict[str, list[tuple[Any, ...]]] = {table: [] for table, _ in _TABLES}
        self._replaced: list[int] = []

    def add(self, incident: Incident) -> str:
        from incidents.model import Incident as IncidentModel

        origin = incident.origin
        if origin is None:
            raise ValueError("an imported incident needs its origin")
        position = self.by_origin.get(origin.id)
        if position is not None:
            self._flush()
            row = self.connection.execute(
                "SELECT json FROM details WHERE pos = ?", (position,)
            ).fetchone()
            old = IncidentModel.model_validate_json(row[0])
            new = incident.model_copy(update={"id": old.id})
            if new == old:
                return "unchanged"
            self._replaced.append(position)
            self._queue(position, new)
            return "updated"
        wanted, number = incident.id, 2
        while wanted in self.ids:
            wanted, number = f"{incident.id}-{number}", number + 1
        if wanted != incident.id:
            incident = incident.model_copy(update={"id": wanted})
        self.ids.add(wanted)
        self.by_origin[origin.id] = self._next
        self._queue(self._next, incident)
        self._next += 1
        return "added"

    def _queue(self, pos: int, incident: Incident) -> None:
        from incidents.store import stored_json_of

        data = incident.model_dump(mode="json", exclude_defaults=True)
        for table, rows in _rows(pos, data, stored_json_of(data), with_csv=True).items():
            self._batches[table].extend(rows)
        if len(self._batches["facts"]) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._replaced:
            marks = ", ".join("?" for _ in self._replaced)
            for table, _ in _TABLES:
                self.connection.execute(
                    f"DELETE FROM {table} WHERE pos IN ({marks})", self._replaced
                )
            self._replaced.clear()
        for table, rows in self._batches.items():
            self.connection.executemany(_INSERTS[table], rows)
            rows.clear()

    def commit(self) -> None:
        self._flush()
        _create_indexes(self.connection)
        self.connection.execute("DROP TABLE IF EXISTS search")  # rebuilt when next needed
        count = self.connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        _set_meta(
            self.connection,
            {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"},
        )
        self.connection.commit()
        self.connection.close()
        if self._new:
            os.replace(self._temporary, self.path)

    def abort(self) -> None:
        self.connection.rollback()
        self.connection.close()
        if self._new:
            self._temporary.unlink(missing_ok=True)
