"""Stores kept as SQLite files (``.sqlite``): the index's own tables, opened,
written whole, or merged into row by row as an import streams."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.index.build import new_database
from incidents.index.queries import StoreIndex
from incidents.index.rows import incident_rows, insert_texts
from incidents.index.schema import (
    CHUNK,
    INSERTS,
    SCHEMA_VERSION,
    TABLES,
    collector_paused,
    connect,
    create_indexes,
    create_schema,
    read_meta,
    register_functions,
    set_meta,
)

if TYPE_CHECKING:
    from incidents.model import Incident


def open_sqlite_store(path: Path) -> StoreIndex:
    from incidents.store import Problem, StoreError

    if not path.is_file():
        raise StoreError([Problem(str(path), "no such file")])
    try:
        connection = connect(path)
        meta = read_meta(connection)
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

    with collector_paused(), new_database(path) as connection:
        count = insert_texts(connection, (stored_json(i) for i in incidents), with_csv=True)
        set_meta(
            connection, {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"}
        )
    return count


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
            register_functions(self.connection)
            create_schema(self.connection)
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
        self._batches: dict[str, list[tuple[Any, ...]]] = {table: [] for table, _ in TABLES}
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
        for table, rows in incident_rows(pos, data, stored_json_of(data), with_csv=True).items():
            self._batches[table].extend(rows)
        if len(self._batches["facts"]) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._replaced:
            marks = ", ".join("?" for _ in self._replaced)
            for table, _ in TABLES:
                self.connection.execute(
                    f"DELETE FROM {table} WHERE pos IN ({marks})", self._replaced
                )
            self._replaced.clear()
        for table, rows in self._batches.items():
            self.connection.executemany(INSERTS[table], rows)
            rows.clear()

    def commit(self) -> None:
        self._flush()
        create_indexes(self.connection)
        self.connection.execute("DROP TABLE IF EXISTS search")  # rebuilt when next needed
        count = self.connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        set_meta(
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
