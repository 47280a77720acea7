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
SCHEMA_VERSION = "10"
# A sqlite store of schema 9 keeps its texts as text, not packed
# (``packing``): it is read, and written, as it is.
TEXT_STORE_SCHEMA = "9"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

Progress = Callable[[int, int], None]

# Rows are parsed, validated and inserted this many at a time.
CHUNK = 5000

# ``facts`` is narrow: what filters, sorts and totals read, so that a scan
# of every incident reads little.  The incident's own text is kept apart,
# read only for what is printed: in a sqlite store, ``frames`` holds it,
# compressed, seen through a view named ``details`` (``index.packing``; in a
# store of schema 9, and in the distinct view's database, ``details`` is a
# table of the texts themselves); an index of a JSON store holds, in
# ``texts``, where it lies in the store file (byte offset and size) and a
# digest of those bytes, and a copy only of a text the store writes
# otherwise than this tool would (``json``).  Each
# connection to an index sees ``texts`` through a view named ``details``
# (``index.texts``), so that a question reads incidents alike from any.
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
# Its line of the CSV export: made by the first export that needs it, for an
# index (a cold query need not pay for it), and at once in a sqlite store.
_CSV = ("csv", "TEXT")
DETAIL_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("json", "TEXT NOT NULL"),  # the incident's JSON, without spaces (``texts.compact``)
    _CSV,
)
TEXT_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("start", "INTEGER"),  # where its text lies in the store file, when it does
    ("size", "INTEGER"),
    ("digest", "BLOB"),  # of those bytes: an unchanged incident is known again by it
    ("json", "TEXT"),  # the text as this tool writes it, where the store's differs
    _CSV,
)
# Rare, so kept apart from the facts: other spellings of a place (folded, and
# as written), sites (folded, and as written), and where imported incidents
# came from (data set and id: an import finds the incident to update by them).
_NAME = ("name", "TEXT NOT NULL")
ALIAS_COLUMNS = (("pos", "INTEGER NOT NULL"), ("key", "TEXT NOT NULL"), _NAME)
SITE_COLUMNS = (("pos", "INTEGER PRIMARY KEY"), ("site", "TEXT NOT NULL"), _NAME)
ORIGIN_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("dataset", "TEXT NOT NULL"),
    ("id", "TEXT NOT NULL"),
)
# The tables of one incident's rows, made alike for an index and a store.
ROW_TABLES = (
    ("facts", FACT_COLUMNS),
    ("aliases", ALIAS_COLUMNS),
    ("sites", SITE_COLUMNS),
    ("origins", ORIGIN_COLUMNS),
)
STORE_TABLES = (*ROW_TABLES, ("details", DETAIL_COLUMNS))
INDEX_TABLES = (*ROW_TABLES, ("texts", TEXT_COLUMNS))
TABLES = (*ROW_TABLES, ("details", DETAIL_COLUMNS), ("texts", TEXT_COLUMNS))
_INDEXES = (
    ("facts", "id"),
    ("facts", "target_type"),
    ("facts", "country_key"),
    ("facts", "province_key"),
    ("facts", "district_key"),
    ("facts", "city_key"),
    ("facts", "country_code"),
    ("aliases", "key"),
    ("origins", "dataset, id"),
)


def _insert_statement(table: str, columns: Sequence[tuple[str, str]]) -> str:
    names = [name for name, _ in columns]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"


INSERTS = {table: _insert_statement(table, columns) for table, columns in TABLES}


def register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("fold", 1, fold, deterministic=True)


# A sqlite store's rows of details (its JSON and its CSV line) take a few
# kilobytes each: in pages of 4 KiB, one to a page, a third of it left empty.
STORE_PAGE_SIZE = 16384


def create_schema(
    connection: sqlite3.Connection, index: bool = False, packed: bool = False
) -> None:
    """The tables of a sqlite store (its texts ``packed``: a store's), or of
    an index (in a new, empty database)."""
    if not index:
        connection.execute(f"PRAGMA page_size = {STORE_PAGE_SIZE}")
    for table, columns in INDEX_TABLES if index else STORE_TABLES:
        if not (packed and table == "details"):
            definition = ", ".join(f"{name} {kind}" for name, kind in columns)
            connection.execute(f"CREATE TABLE {table} ({definition})")
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    if packed:
        from incidents.index.packing import create_frames

        create_frames(connection)


def create_indexes(connection: sqlite3.Connection) -> None:
    for table, columns in _INDEXES:
        name = f"{table}_{columns.replace(', ', '_')}"
        connection.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def tables_of(connection: sqlite3.Connection) -> list[str]:
    """The tables of incident rows in this database: an index's, or a store's."""
    found = "SELECT 1 FROM main.sqlite_master WHERE name = 'texts' AND type = 'table'"
    index = connection.execute(found).fetchone() is not None
    return [table for table, _ in (INDEX_TABLES if index else STORE_TABLES)]


def clear_tables(connection: sqlite3.Connection) -> None:
    for table in tables_of(connection):
        connection.execute(f"DELETE FROM main.{table}")


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


def database_file(connection: sqlite3.Connection) -> str:
    """The file of the connection's main database ('' for one in memory)."""
    return str(connection.execute("PRAGMA main.database_list").fetchone()[2])


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())
