"""A JSON store turned into a ``.sqlite`` store, and back.

The incidents are the same, in the same order, each the text this tool
writes for it: a JSON store converted to sqlite and back is byte for byte
the store (as this tool writes it; its ``$schema`` is kept in the sqlite
store's meta).  The store converted is validated first (the model and the
checks): a JSON store through its index, a sqlite store (which other tools
may have changed, or an older version of this one written) as it is read.
The new store is written whole or not at all, and must not exist yet.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.index.build import new_database
from incidents.index.links import read_link_rows, write_links
from incidents.index.packing import use_frames
from incidents.index.rows import insert_texts
from incidents.index.schema import (
    CHUNK,
    SCHEMA_VERSION,
    SQLITE_SUFFIXES,
    collector_paused,
    read_meta,
    set_meta,
)
from incidents.index.texts import indented, texts_at

if TYPE_CHECKING:
    from incidents.model import Link
    from incidents.store import Problem


def is_sqlite(path: Path) -> bool:
    return path.suffix.lower() in SQLITE_SUFFIXES


def convert(old: Path, new: Path, notes: list[str]) -> int:
    """Write the store at ``old`` anew at ``new``, as a store of the other
    kind; how many incidents it holds.  StoreError when ``old`` is not a
    valid store."""
    if is_sqlite(old):
        return _to_json(old, new, notes)
    return _to_sqlite(old, new)


def _to_sqlite(old: Path, new: Path) -> int:
    from incidents.index.freshness import IndexUnwritable, open_index, open_memory_index

    try:
        index = open_index(old)
    except IndexUnwritable:
        index = open_memory_index(old)
    try:
        meta = read_meta(index.connection)
        positions = [r[0] for r in index.connection.execute("SELECT pos FROM facts ORDER BY pos")]
        with collector_paused(), new_database(new, store=True) as connection:
            texts = texts_at(index.connection, index.texts, positions)
            count = insert_texts(connection, texts, with_csv=True)
            links = read_link_rows(index.connection)
            if links:
                write_links(connection, links)
            # The JSON store's $schema, for the way back.
            schema_url = json.loads(meta.get("schema_url", "null"))
            kept = {"schema_url": json.dumps(schema_url)} if isinstance(schema_url, str) else {}
            stored = {"kind": "store", "schema": SCHEMA_VERSION, "count": str(count), "fts": "0"}
            set_meta(connection, {**stored, **kept})
    finally:
        index.close()
    return count


def _to_json(old: Path, new: Path, notes: list[str]) -> int:
    from incidents.index.json_import import NewJsonStore
    from incidents.index.validation import validate_texts
    from incidents.store import StoreError

    schema_url, links, texts = _sqlite_store(old)
    writer = NewJsonStore(new, schema_url, notes)
    try:
        chunk: list[str] = []
        valid = True
        with collector_paused():
            for text in itertools.chain(texts, [None]):
                if text is not None:
                    chunk.append(text)
                    if len(chunk) < CHUNK:
                        continue
                found = validate_texts(chunk, str(old), writer.count)
                if found is None:
                    valid = False
                    break
                for number, given in enumerate(chunk, writer.count):
                    writer.write(found.get(number, given).encode("utf-8"))
                chunk = []
        if not valid or not writer.ids_unique() or not _links_valid(links):
            raise StoreError(_problems(old))
    except BaseException:
        writer.abort()
        raise
    writer.commit(links)
    return writer.count


def _links_valid(links: list[Link]) -> bool:
    from incidents.index.links import parse_links
    from incidents.store import link_texts

    try:
        parse_links("[" + ",".join(link_texts(links)) + "]")
    except ValueError:
        return False
    return True


def _sqlite_store(path: Path) -> tuple[str | None, list[Link], Iterator[str]]:
    """A sqlite store's $schema, its links, and its incidents' texts, as a
    store file lays them out; a store of an older schema than this tool's is
    read too."""
    from incidents.index.links import read_links
    from incidents.index.schema import connect
    from incidents.store import Problem, StoreError, not_a_store_file

    if not path.is_file():
        raise not_a_store_file(path)
    connection = connect(path)
    try:
        meta = read_meta(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise StoreError([Problem(str(path), f"not an incidents sqlite store: {error}")]) from None
    if meta.get("kind") != "store":
        connection.close()
        raise StoreError([Problem(str(path), "not an incidents sqlite store (no store marker)")])
    use_frames(connection)
    found = json.loads(meta.get("schema_url", "null"))
    schema_url = found if isinstance(found, str) else None
    links = read_links(connection)

    def texts() -> Iterator[str]:
        try:
            for (text,) in connection.execute("SELECT json FROM details ORDER BY pos"):
                yield indented(text)
        finally:
            connection.close()

    return schema_url, links, texts()


def _problems(path: Path) -> list[Problem]:
    """Every error in a sqlite store, as `incidents validate` names them."""
    from incidents.checks import errors, validate_text
    from incidents.store import link_texts, store_document

    schema_url, links, texts = _sqlite_store(path)
    document = "".join(store_document(texts, schema_url, link_texts(links)))
    return list(errors(validate_text(document, str(path))))
