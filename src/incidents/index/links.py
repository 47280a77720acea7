"""Links between records (``incidents match``) in an index or a sqlite store.

A JSON store keeps its links after its incidents; its index holds a copy of
them here, as a sqlite store holds its own.  Indexes and sqlite stores made
before links existed have no such table, and so no links.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incidents.model import Link


def has_links_table(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'links'"
    ).fetchone()
    return found is not None


def write_link_texts(connection: sqlite3.Connection, texts: Iterable[str]) -> None:
    """Replace the links with these (``store.link_texts``); the caller commits."""
    connection.execute("CREATE TABLE IF NOT EXISTS links (pos INTEGER PRIMARY KEY, json TEXT)")
    connection.execute("DELETE FROM links")
    connection.executemany(
        "INSERT INTO links (pos, json) VALUES (?, ?)", ((n, t) for n, t in enumerate(texts))
    )


def link_texts(connection: sqlite3.Connection) -> list[str]:
    if not has_links_table(connection):
        return []
    return [row[0] for row in connection.execute("SELECT json FROM links ORDER BY pos")]


def read_links(connection: sqlite3.Connection, naming: str | None = None) -> list[Link]:
    """The links, or (``naming``) only those of the record with this key."""
    if naming is None:
        texts = link_texts(connection)
    elif not has_links_table(connection):
        texts = []
    else:
        import json

        quoted = json.dumps(naming, ensure_ascii=False)
        query = "SELECT json FROM links WHERE instr(json, ?) > 0 ORDER BY pos"
        texts = [row[0] for row in connection.execute(query, (quoted,))]
    links = parse_links("[" + ",".join(texts) + "]") if texts else []
    return [link for link in links if naming is None or naming in link.records]


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
