"""Links between records (``incidents match``) in an index or a sqlite store.

A JSON store keeps its links after its incidents; its index holds them in
this table, one row each, validated when the index is built, as a sqlite
store holds its own.  Indexes and sqlite stores made before links existed
have no such table, and so no links.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incidents.model import Link

# A link as a row: its two records (as the store names them), status, score, evidence.
LinkRow = tuple[str, str, str, float | None, str | None]

_TABLE = "record_links"


def has_links_table(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_TABLE,)
    ).fetchone()
    return found is not None


def link_rows(links: Iterable[Link]) -> list[LinkRow]:
    return [
        (link.records[0], link.records[1], link.status.value, link.score, link.evidence)
        for link in links
    ]


def write_links(connection: sqlite3.Connection, rows: Iterable[LinkRow]) -> None:
    """Replace the links with these; the caller commits."""
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {_TABLE} (pos INTEGER PRIMARY KEY, first TEXT NOT NULL, "
        "second TEXT NOT NULL, status TEXT NOT NULL, score REAL, evidence TEXT)"
    )
    connection.execute(f"CREATE INDEX IF NOT EXISTS {_TABLE}_first ON {_TABLE} (first)")
    connection.execute(f"CREATE INDEX IF NOT EXISTS {_TABLE}_second ON {_TABLE} (second)")
    connection.execute(f"DELETE FROM {_TABLE}")
    connection.executemany(
        f"INSERT INTO {_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        ((n, *row) for n, row in enumerate(rows)),
    )


def read_link_rows(connection: sqlite3.Connection, naming: str | None = None) -> list[LinkRow]:
    """The links as rows, in the store's order; or (``naming``) only those of
    the record with this key."""
    if not has_links_table(connection):
        return []
    query = f"SELECT first, second, status, score, evidence FROM {_TABLE}"
    params: tuple[str, ...] = ()
    if naming is not None:
        query += " WHERE first = ? OR second = ?"
        params = (naming, naming)
    rows: list[LinkRow] = connection.execute(query + " ORDER BY pos", params).fetchall()
    return rows


def read_links(connection: sqlite3.Connection, naming: str | None = None) -> list[Link]:
    """The links (validated when they were stored), or (``naming``) only those
    of the record with this key."""
    from incidents.categories import LinkStatus
    from incidents.model import Link

    return [
        Link.model_construct(
            records=[first, second], status=LinkStatus(status), score=score, evidence=evidence
        )
        for first, second, status, score, evidence in read_link_rows(connection, naming)
    ]


def parse_links(text: str | bytes) -> list[Link]:
    """A JSON list of links, validated; ValueError when it is not one, or
    links the same two records twice."""
    from pydantic import TypeAdapter

    from incidents.model import Link, twice_linked

    links = TypeAdapter(list[Link]).validate_json(text)
    problem = twice_linked(links)
    if problem:
        raise ValueError(problem)
    return links
