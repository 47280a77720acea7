"""Stores kept as SQLite files (``.sqlite``): the index's own tables, opened,
written whole, changed in place by add, edit and remove, or merged into row
by row as an import streams.

Every writer holds the store's lock (``locking``) for its whole change, so
writers take turns; the store is in WAL mode, so a reader sees it as it was
before a change or as it is after, never half-written."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.index.build import new_database
from incidents.index.decoding import decode_indexed, decode_json
from incidents.index.packing import learn, packed, use_frames
from incidents.index.queries import StoreIndex
from incidents.index.rows import Made, incident_rows, insert_texts, renumbered
from incidents.index.schema import (
    CHUNK,
    INSERTS,
    SCHEMA_VERSION,
    SQLITE_SUFFIXES,
    STORE_TABLES,
    TEXT_STORE_SCHEMA,
    collector_paused,
    connect,
    create_indexes,
    create_schema,
    read_meta,
    register_functions,
    set_meta,
    settle,
    use_wal,
)
from incidents.index.texts import compact, texts_at
from incidents.temporary import (
    remove_sqlite_files,
    remove_stale,
    remove_with_siblings,
    temporary_beside,
)

if TYPE_CHECKING:
    from incidents.importers.mapping import Mapped
    from incidents.model import Incident, Store
    from incidents.store_files import StoreFile


def open_sqlite_store(path: Path, writing: bool = False) -> StoreIndex:
    """A sqlite store, to read (as it stands while others write it) or, for
    a writer that holds the store's lock, to write in WAL mode."""
    from incidents.store import Problem, StoreError, read_bytes

    if not path.is_file():
        read_bytes(path)  # raises the StoreError that says why
        raise StoreError([Problem(str(path), "not a regular file")])
    try:
        connection = _connected(path, writing)
        meta = read_meta(connection)
    except sqlite3.DatabaseError as error:
        raise StoreError([Problem(str(path), f"not an incidents sqlite store: {error}")]) from None
    if meta.get("kind") != "store":
        raise StoreError([Problem(str(path), "not an incidents sqlite store (no store marker)")])
    if meta.get("schema") not in (SCHEMA_VERSION, TEXT_STORE_SCHEMA):
        message = (
            f"a sqlite store of schema {meta.get('schema')}; this tool reads schemas "
            f"{TEXT_STORE_SCHEMA} and {SCHEMA_VERSION}: turn it into a JSON store with "
            f"`incidents convert {path} NEW.json`"
        )
        raise StoreError([Problem(str(path), message)])
    if writing:
        try:
            use_wal(connection)
        except sqlite3.OperationalError as error:
            connection.close()
            raise StoreError([Problem(str(path), f"cannot be written: {error}")]) from None
    use_frames(connection)
    return StoreIndex(connection)


_CANNOT_WRITE = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


def _connected(path: Path, writing: bool) -> sqlite3.Connection:
    connection = connect(path)
    try:
        connection.execute("SELECT 1 FROM meta LIMIT 1")
    except sqlite3.OperationalError as error:
        connection.close()
        # A store in WAL mode can be read only by whoever may make its shared
        # memory file beside it; another user reads the file as it stands.
        if writing or getattr(error, "sqlite_errorcode", 0) & 0xFF not in _CANNOT_WRITE:
            raise
        connection = connect(path, immutable=True)
    return connection


def write_sqlite_store(path: Path, incidents: Iterable[Incident]) -> int:
    """Write validated incidents as a sqlite store, whole or not at all."""
    from incidents.store import stored_json

    with collector_paused(), new_database(path, store=True) as connection:
        count = insert_texts(connection, (stored_json(i) for i in incidents), with_csv=True)
        set_meta(
            connection, {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"}
        )
    return count


def _rows(pos: int, incident: Incident) -> dict[str, list[tuple[Any, ...]]]:
    from incidents.store import stored_json

    return _rows_of_text(pos, stored_json(incident))


def _rows_of_text(pos: int, text: str) -> dict[str, list[tuple[Any, ...]]]:
    from incidents.records import csv_line, flat_cells

    made = incident_rows(pos, decode_indexed(text))
    made["details"] = [(pos, compact(text), csv_line(flat_cells(decode_json(text))))]
    return made


def store_meta(connection: sqlite3.Connection) -> None:
    """The meta rows of a store just changed; its full-text table is rebuilt
    when next needed."""
    connection.execute("DROP TABLE IF EXISTS search")
    count = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
    schema = SCHEMA_VERSION if packed(connection) else TEXT_STORE_SCHEMA
    set_meta(connection, {"kind": "store", "schema": schema, "count": str(count), "fts": "0"})


def store_file(path: Path) -> StoreFile:
    """How writers read and write the store at ``path``, JSON or sqlite."""
    from incidents.store_files import JsonStoreFile

    if path.suffix.lower() in SQLITE_SUFFIXES:
        return SqliteStoreFile(path)
    return JsonStoreFile(path)


class SqliteStoreFile:
    """A sqlite store as add, edit and remove change it (``store_files.StoreFile``):
    read whole, as the text of a JSON store, and written back in one
    transaction that touches only the incidents that changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._positions: list[int] = []

    def read(self) -> str:
        from incidents.store import store_document

        store = open_sqlite_store(self.path)
        try:
            query = "SELECT pos FROM details ORDER BY pos"
            self._positions = [row[0] for row in store.connection.execute(query)]
            texts = list(texts_at(store.connection, None, self._positions))
        finally:
            store.close()
        return "".join(store_document(texts))

    def write(self, before: Store, after: Store, text: str, notes: list[str]) -> None:

        old, new = before.incidents, after.incidents
        if len(old) != len(self._positions):
            raise ValueError("write() of a store that was not read()")
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end = 0  # incidents alike at the end, after the start
        while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
            end += 1
        gone = self._positions[start : len(old) - end]
        came = new[start : len(new) - end]
        if len(came) > len(gone) and end:
            # New incidents before others: the rest is renumbered after them.
            gone, came = self._positions[start:], new[start:]
            first = self._positions[start - 1] + 1 if start else 0
            positions = list(range(first, first + len(came)))
        else:
            following = self._positions[-1] + 1 if self._positions else 0
            positions = gone[: len(came)] + list(
                range(following, following + len(came) - len(gone))
            )
        remove_stale(self.path.parent, f".{self.path.name}.")
        connection = open_sqlite_store(self.path, writing=True).connection
        try:
            with store_transaction(connection, self.path):
                marks = ", ".join("?" for _ in gone)
                for table, _ in STORE_TABLES:
                    connection.execute(f"DELETE FROM {table} WHERE pos IN ({marks})", gone)
                for pos, incident in zip(positions, came, strict=True):
                    for table, rows in _rows(pos, incident).items():
                        connection.executemany(INSERTS[table], rows)
        finally:
            connection.close()


@contextlib.contextmanager
def store_transaction(connection: sqlite3.Connection, path: Path) -> Iterator[None]:
    """The body's changes to a sqlite store made in one transaction, and
    settled into the store file; a store that cannot be written now (a full
    disk, say) is one clear StoreError."""
    from incidents.store import Problem, StoreError

    connection.isolation_level = None  # transactions as written here
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
        store_meta(connection)
        connection.execute("COMMIT")
        settle(connection)
    except BaseException as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError):
            raise StoreError([Problem(str(path), f"cannot be written: {error}")]) from None
        raise


def with_free_id(incident: Incident, ids: set[str]) -> Incident:
    """The incident, numbered (``gtd-1970-2``) if its id is taken already."""
    wanted, number = incident.id, 2
    while wanted in ids:
        wanted, number = f"{incident.id}-{number}", number + 1
    return incident if wanted == incident.id else incident.model_copy(update={"id": wanted})


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
        self._claim = contextlib.ExitStack()
        if self._new:
            self._temporary, self._descriptor = self._claim.enter_context(
                temporary_beside(path, 0o666)
            )
            self.connection = sqlite3.connect(self._temporary)
            self.connection.execute("PRAGMA journal_mode = OFF")
            self.connection.execute("PRAGMA synchronous = OFF")
            register_functions(self.connection)
            create_schema(self.connection, packed=True)
        else:
            remove_stale(path.parent, f".{path.name}.")
            self.connection = open_sqlite_store(path, writing=True).connection
        self.ids = {row[0] for row in self.connection.execute("SELECT id FROM facts")}
        self.by_origin = dict(
            self.connection.execute("SELECT id, pos FROM origins WHERE dataset = ?", (dataset,))
        )
        last = self.connection.execute("SELECT max(pos) FROM facts").fetchone()[0]
        self._next = 0 if last is None else last + 1
        self._batches: dict[str, list[tuple[Any, ...]]] = {t: [] for t, _ in STORE_TABLES}
        self._replaced: set[int] = set()
        self._stored_before = self._next  # the positions of the incidents stored before
        self._differs = -1  # where the last text ``add_text`` compared was not stored

    def add(self, incident: Incident) -> str:
        from incidents.model import Incident as IncidentModel

        origin = incident.origin
        if origin is None:
            raise ValueError("an imported incident needs its origin")
        position = self.by_origin.get(origin.id)
        if position is not None:
            from incidents.store import stored_json

            if position != self._differs and self._stored_as(position, stored_json(incident)):
                return "unchanged"
            if not self._stored(position):
                self._flush()  # its rows are queued: read back once stored
            old = IncidentModel.model_validate_json(self._stored_text(position) or "")
            new = incident.model_copy(update={"id": old.id})
            if new == old:
                return "unchanged"
            self._replaced.add(position)
            self._queue(position, new)
            return "updated"
        incident = with_free_id(incident, self.ids)
        self.ids.add(incident.id)
        self.by_origin[origin.id] = self._next
        self._queue(self._next, incident)
        self._next += 1
        return "added"

    def add_text(self, mapped: Mapped) -> str | None:
        """``add`` for an incident mapped elsewhere (``importers.mapping``), from
        its text: a new one, or one stored just so already; None for another
        (``add`` then merges it), or one whose id is taken (``add`` numbers it)."""
        position = self.by_origin.get(mapped.origin_id)
        if position is not None:
            if self._stored_as(position, mapped.text):
                return "unchanged"
            self._differs = position  # not compared again when ``add`` merges it
            return None
        if mapped.incident_id in self.ids:
            return None
        self.ids.add(mapped.incident_id)
        self.by_origin[mapped.origin_id] = self._next
        if mapped.prepared is not None:
            self._queued(renumbered(mapped.prepared, self._next))
        else:
            self._queued(_rows_of_text(self._next, mapped.text))
        self._next += 1
        return "added"

    def _stored_as(self, position: int, text: str) -> bool:
        """Whether the incident at this position is stored (``_stored``) as
        this text says (its compact JSON): the text says all of an incident,
        so it is unchanged, and neither needs reading into the model to tell."""
        return self._stored(position) and self._stored_text(position) == compact(text)

    def _stored_text(self, position: int) -> str | None:
        """The text stored at this position, as ``details`` gives it."""
        row = self.connection.execute("SELECT json FROM details WHERE pos = ?", (position,))
        found = row.fetchone()
        return None if found is None else str(found[0])

    def _stored(self, position: int) -> bool:
        """Whether the store holds the incident at this position as it will
        (stored before this import, and not replaced since)."""
        return position < self._stored_before and position not in self._replaced

    @staticmethod
    def prepare(text: str) -> Made:
        """The rows ``add_text`` stores of an incident's text, made beforehand
        (at position 0)."""
        return _rows_of_text(0, text)

    def _queue(self, pos: int, incident: Incident) -> None:
        self._queued(_rows(pos, incident))

    def _queued(self, made: dict[str, list[tuple[Any, ...]]]) -> None:
        for table, rows in made.items():
            self._batches[table].extend(rows)
        if len(self._batches["facts"]) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._replaced:
            marks = ", ".join("?" for _ in self._replaced)
            for table, _ in STORE_TABLES:
                self.connection.execute(
                    f"DELETE FROM {table} WHERE pos IN ({marks})", list(self._replaced)
                )
            self._replaced.clear()
        for table, rows in self._batches.items():
            if table == "details":
                learn(self.connection, rows)
            if rows:
                self.connection.executemany(INSERTS[table], rows)
            rows.clear()

    def commit(self) -> None:
        self._flush()
        create_indexes(self.connection)
        store_meta(self.connection)
        self.connection.commit()
        if self._new:
            use_wal(self.connection)
        else:
            settle(self.connection)
        self.connection.close()
        if self._new:
            os.fsync(self._descriptor)
            remove_sqlite_files(self.path)  # of a store that was here before, if any
            os.replace(self._temporary, self.path)
        self._claim.close()

    def abort(self) -> None:
        self.connection.rollback()
        self.connection.close()
        if self._new:
            remove_with_siblings(self._temporary)
        self._claim.close()
