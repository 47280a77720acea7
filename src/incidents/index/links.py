"""Links between records (``incidents match``) in an index or a sqlite store.

A JSON store keeps its links after its incidents; its index holds a copy of
them here, as a sqlite store holds its own.  Indexes and sqlite stores made
before links existed have no such table, and so no links.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
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


def links_rewritten(store: Path, before: str, after: str, inode: int, texts: Sequence[str]) -> None:
    """Bring the index of a JSON store up to date after its links alone were
    written anew (its incidents byte for byte as they were): when the index
    described the store as it was (``before``, a SHA-256), it takes the new
    links and the file's new size, time and digest (``after``), so that the
    next command need not rebuild it.  ``inode``: the file written, which
    must still be the store's.  Otherwise, or on any error, the index is left
    as it is, stale, and rebuilt when next opened."""
    from incidents.index.freshness import index_path_for
    from incidents.index.schema import SCHEMA_VERSION, connect, read_meta, set_meta

    path = index_path_for(store)
    if not path.exists():
        return
    with contextlib.suppress(OSError, sqlite3.Error), contextlib.closing(connect(path)) as db:
        meta = read_meta(db)
        if (meta.get("kind"), meta.get("schema"), meta.get("sha256")) != (
            "index",
            SCHEMA_VERSION,
            before,
        ):
            return
        stat = store.stat()
        if stat.st_ino != inode:
            return
        write_link_texts(db, texts)
        set_meta(
            db, {"size": str(stat.st_size), "mtime_ns": str(stat.st_mtime_ns), "sha256": after}
        )
        db.commit()
