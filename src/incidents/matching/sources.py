"""``--distinct``: the reading commands' answers over the store counted once.

The view (``distinct.distinct_view``) is computed once from the store's
texts and links, and indexed by the same code as the store: into an index of
its own in the cache directory (kept until the store changes), or in memory
(``--no-index``).  Either is then asked the same questions as the store
(``DistinctSource`` is a ``StoreIndex``), so that the two answer alike, to
the byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.index.queries import StoreIndex
from incidents.index.schema import database_file, read_meta
from incidents.matching.distinct import DistinctView, distinct_view
from incidents.matching.records import record_key
from incidents.query import Filters, SortKey

if TYPE_CHECKING:
    from incidents.model import Incident, Link
    from incidents.query import IncidentSource
    from incidents.records import ListRow

# Bump when the way a group becomes one incident changes: cached views are rebuilt.
VIEW_VERSION = "1"


@dataclass(frozen=True)
class Counted:
    """How the store was counted once, for the note on stderr."""

    records: int
    attacks: int
    groups: int
    grouped: int
    pending: int

    def note(self) -> str:
        """What --distinct did, for stderr."""
        if not self.groups:
            note = "Counted once: no records are linked"
            if not self.pending:
                return note + " (run `incidents match`): each record is one attack."
            note += ", so each record is one attack"
        else:
            note = (
                f"Counted once: {self.records:,} records are {self.attacks:,} attacks "
                f"({self.grouped:,} of them linked as {self.groups:,})"
            )
        if self.pending:
            plural = "link awaits" if self.pending == 1 else "links await"
            note += f"; {self.pending:,} possible {plural} review (`incidents match --review`)"
        return note + "."


class DistinctSource(StoreIndex):
    """The distinct view's index, answering every question as the store's
    does; the list's rows are marked with the data sets that report each
    attack, and ``counted`` says how the store was counted once."""

    def __init__(self, connection: sqlite3.Connection, counted: Counted) -> None:
        super().__init__(connection)
        self.counted = counted

    def list_rows(
        self, filters: Filters, sort: SortKey | None, limit: int | None = None
    ) -> list[ListRow]:
        rows = super().list_rows(filters, sort, limit)
        marks = _marks(self.connection, [row.id for row in rows])
        return [dataclasses.replace(row, reported_by=marks.get(row.id, ())) for row in rows]


def distinct_source(base: IncidentSource, cache: Path | None = None) -> DistinctSource:
    """The store of ``base`` (its index) counted once: indexed by the same code
    as the store, in ``cache`` (a file, kept until the store changes), or in
    memory when there is no cache or it cannot be written."""
    assert isinstance(base, StoreIndex), "one engine answers: the index"
    if cache is not None:
        with contextlib.suppress(OSError, sqlite3.OperationalError):
            return _cached(base, cache)
    connection = _connection(Path(":memory:"))
    _fill(connection, base, "memory")
    return _from_connection(connection)


def _view(base: StoreIndex) -> tuple[DistinctView, list[Link]]:
    from pydantic_core import from_json

    texts = list(base.stored_texts(Filters()))
    links = base.links()
    return distinct_view(texts, [from_json(text) for text in texts], links), links


def _identity(base: StoreIndex) -> str:
    """What the view is made of: the store's content, as its index knows it,
    or a sqlite store's file and its log as they stand."""
    from incidents.matching.persistence import store_token

    meta = read_meta(base.connection)
    if meta.get("kind") == "index":
        return f"index {meta.get('schema')} {meta.get('sha256')}"
    return "store " + store_token(Path(database_file(base.connection)))


_COUNTS = ("records", "groups", "grouped", "pending")


def _cached(base: StoreIndex, path: Path) -> DistinctSource:
    from incidents.index.build import new_database

    identity = hashlib.sha256((_identity(base) + VIEW_VERSION).encode()).hexdigest()
    if path.exists():
        with contextlib.suppress(sqlite3.DatabaseError):
            connection = _connection(path)
            meta = read_meta(connection)
            if meta.get("kind") == "distinct" and meta.get("of") == identity:
                return _from_connection(connection)
            connection.close()
    with new_database(path, 0o600, stale_prefix=".", holds_texts=True) as connection:
        _fill(connection, base, identity)
    return _from_connection(_connection(path))


def _connection(path: Path) -> sqlite3.Connection:
    from incidents.index.schema import connect, create_indexes, create_schema

    connection = connect(path)
    if str(path) == ":memory:":
        create_schema(connection)
        create_indexes(connection)
    return connection


def _fill(connection: sqlite3.Connection, base: StoreIndex, identity: str) -> None:
    """The view's incidents and marks, and what it was made of."""
    from incidents.index.links import link_rows, write_links
    from incidents.index.rows import insert_texts
    from incidents.index.schema import set_meta

    view, links = _view(base)
    insert_texts(connection, view.texts)  # CSV lines are made when an export needs them
    connection.execute("CREATE TABLE reported (id TEXT PRIMARY KEY, datasets TEXT NOT NULL)")
    connection.executemany(
        "INSERT OR REPLACE INTO reported (id, datasets) VALUES (?, ?)",
        ((i, " ".join(datasets)) for i, datasets in view.reported_by.items()),
    )
    write_links(connection, link_rows(links))
    store = read_meta(base.connection).get("store") or database_file(base.connection)
    meta = {"kind": "distinct", "of": identity, "store": store, "fts": "0"}
    meta.update({name: str(getattr(view, name)) for name in _COUNTS})
    set_meta(connection, meta)
    connection.commit()


def _from_connection(connection: sqlite3.Connection) -> DistinctSource:
    meta = read_meta(connection)
    counts = {name: int(meta.get(name, 0)) for name in _COUNTS}
    attacks = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
    return DistinctSource(connection, Counted(attacks=attacks, **counts))


def _marks(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The data sets that report each of these attacks."""
    found: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        query = f"SELECT id, datasets FROM reported WHERE id IN ({', '.join('?' * len(chunk))})"
        found.update((i, tuple(d.split())) for i, d in connection.execute(query, chunk))
    return found


# --- the twins of one record, for `incidents show` ------------------------------------


@dataclass(frozen=True)
class Twin:
    """Another record linked to the one shown, and what is known of the link."""

    key: str
    id: str | None  # None: no longer in the store
    link: Link


def twins(source: IncidentSource, incident: Incident) -> list[Twin]:
    """The records linked to ``incident``, best first, with their ids."""
    from incidents.index.links import read_links

    key = record_key(incident.model_dump(mode="json", include={"id", "origin"}))
    if isinstance(source, StoreIndex):  # only its own links, of a store's hundreds of thousands
        links = read_links(source.connection, naming=key)
    else:
        links = source.links()
    found = []
    for link in links:
        if key in link.records:
            other = link.records[1] if link.records[0] == key else link.records[0]
            found.append(Twin(other, _id_of(source, other), link))
    return sorted(found, key=lambda t: (t.link.status.decided is False, -(t.link.score or 0)))


def _id_of(source: IncidentSource, key: str) -> str | None:
    """The id of the record with this key, in the store of ``source``."""
    from incidents.errors import QueryError
    from incidents.importers.common import incident_id

    dataset, colon, original = key.partition(":")
    guesses = [incident_id(dataset, original), key] if colon else [key]
    for guess in guesses:  # an imported incident keeps the id it was given, as a rule
        with contextlib.suppress(QueryError, ValueError):
            found = source.incident(guess)
            if record_key(found.model_dump(mode="json", include={"id", "origin"})) == key:
                return found.id
    if colon:
        for text in source.stored_texts(Filters()):
            if f'"{original}"' in text:
                data: Any = _origin_of(text)
                if data and record_key(data) == key:
                    return str(data["id"])
    return None


def _origin_of(text: str) -> dict[str, Any] | None:
    from pydantic_core import from_json

    data = from_json(text)
    return data if isinstance(data, dict) else None
