"""The index's tables, and the small SQLite helpers every part of it shares.

An index (in the cache directory, beside a JSON store) and a sqlite store
have the same tables; only their ``meta`` rows tell them apart.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from incidents.vocabulary import fold

# Bump when the table's shape or the meaning of a column changes: older
# index files are then rebuilt.
SCHEMA_VERSION = "8"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

Progress = Callable[[int, int], None]

# Rows are parsed, validated and inserted this many at a time.
CHUNK = 5000

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
    ("period_week", "TEXT NOT NULL"),
    ("period_day", "TEXT NOT NULL"),
    ("country", "TEXT NOT NULL"),
    ("province", "TEXT"),
    ("district", "TEXT"),
    ("city", "TEXT"),
    ("country_key", "TEXT NOT NULL"),
    ("province_key", "TEXT"),
    ("district_key", "TEXT"),
    ("city_key", "TEXT"),
    ("country_code", "TEXT"),  # ISO alpha-3: as stored, else from the name; null if not known
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
    ("dataset", "TEXT"),  # the data set it was imported from; null when kept by hand
    ("place_rank", "INTEGER NOT NULL"),  # how precisely its place is known: 0 exact .. 5 country
    ("codes", "TEXT NOT NULL"),  # the data set's certainty codes: |doubtterr=0|crit1=1|
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
TABLES = (
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
    ("facts", "country_code"),
    ("aliases", "key"),
)


def _insert_statement(table: str, columns: Sequence[tuple[str, str]]) -> str:
    names = [name for name, _ in columns]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"


INSERTS = {table: _insert_statement(table, columns) for table, columns in TABLES}


def register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("fold", 1, fold, deterministic=True)


def create_schema(connection: sqlite3.Connection) -> None:
    for table, columns in TABLES:
        definition = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"CREATE TABLE {table} ({definition})")
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def create_indexes(connection: sqlite3.Connection) -> None:
    for table, column in _INDEXES:
        connection.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} ({column})")


def clear_tables(connection: sqlite3.Connection) -> None:
    for table, _ in TABLES:
        connection.execute(f"DELETE FROM {table}")


def set_meta(connection: sqlite3.Connection, values: dict[str, str]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items())
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    # Building hundreds of thousands of small objects makes the cyclic
    # collector run again and again for nothing: it triples the load time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# How long a connection waits for another one's lock before it gives up.
# Writers of a store take turns on the store's own lock first, and readers of
# a sqlite store (in WAL mode) never wait for a writer; this covers the rest:
# an index whose freshness is being recorded, WAL recovery after a crash.
BUSY_TIMEOUT_SECONDS = 30.0


def connect(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A connection to an index or a sqlite store; ``immutable`` for a file
    that this user can only read and nobody is writing (no locks taken)."""
    if immutable:
        uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    else:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    register_functions(connection)
    return connection


def use_wal(connection: sqlite3.Connection) -> None:
    """Write-ahead logging: readers go on reading the store as it was while a
    writer changes it, and see the new one once it commits, never half of it.
    The mode is kept in the file; a commit is durable, short of a power cut
    just after it (``synchronous = NORMAL``)."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")


def settle(connection: sqlite3.Connection) -> None:
    """Move a committed change from the log into the store file itself, so
    that the file alone, copied or backed up, holds the whole store.

    Readers still reading the store as it was keep the log in use: they are
    waited for a moment, no longer (SQLite folds the log in later, when the
    last connection closes or at the next write)."""
    with busy_timeout(connection, SETTLE_MILLISECONDS):
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextlib.contextmanager
def busy_timeout(connection: sqlite3.Connection, milliseconds: int) -> Iterator[None]:
    """Wait this long, no longer, for another connection's lock in the body."""
    usual = int(connection.execute("PRAGMA busy_timeout").fetchone()[0])
    connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA busy_timeout = {usual}")


SETTLE_MILLISECONDS = 2000


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())
