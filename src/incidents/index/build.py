"""Building the index of a JSON store: cut it into incidents, validate them
in a second process, insert their rows; whole or not at all."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from incidents.index.links import write_link_texts
from incidents.index.rows import insert_texts
from incidents.index.schema import (
    CHUNK,
    SCHEMA_VERSION,
    Progress,
    clear_tables,
    collector_paused,
    connect,
    create_indexes,
    create_schema,
    register_functions,
    set_meta,
)

# A store written by this tool (2-space indent) separates its incidents with
# exactly this; a raw newline never occurs inside a JSON string, so it can
# only stand between two incidents.
_SEPARATOR = b"\n    },\n    {\n"
_HEAD = re.compile(
    rb'\A(?:\xef\xbb\xbf)?\s*\{\s*(?:"\$schema"\s*:\s*"[^"\\]*"\s*,\s*)?"incidents"\s*:\s*\[\s*'
)
_TAIL = re.compile(rb"\s*\]\s*\}\s*\Z")
# Links, when a store has them, follow its incidents at the top level: the
# only place where a key sits two spaces in.
_LINKS_KEY = b',\n  "links": ['
_LIST_END = re.compile(rb"\s*\]\Z")


def split_links(data: bytes) -> tuple[int, bytes | None]:
    """Where the incidents of a store in this tool's layout end, and the JSON
    text of the links list that follows them (None when there is none)."""
    at = data.rfind(_LINKS_KEY)
    if at < 0:
        return len(data), None
    rest = data[at + len(_LINKS_KEY) - 1 :].rstrip()
    return at, rest[:-1] if rest.endswith(b"}") else None


def incidents_end(data: bytes) -> int | None:
    """Where the list of incidents of a store in this tool's layout closes
    (just after its ``]``), so that what follows can be written anew; None
    for another layout."""
    end, links_json = split_links(data)
    if links_json is None:
        tail = _TAIL.search(data, max(0, len(data) - 4096))
        end = data.index(b"]", tail.start()) + 1 if tail else 0
    closed = data[:end].endswith((b"\n  ]", b'"incidents": []'))
    return end if closed and _HEAD.match(data) else None


def _own_layout_texts(data: bytes, end: int | None = None) -> list[str] | None:
    """Each incident's JSON text, cut out of a store in this tool's layout
    without parsing it; None for any other layout.  ``end``: where the list of
    incidents closes, when links follow it.

    Whether the cuts fall between incidents is proven later: each text must
    parse as one object, and they must validate as one incident each.
    """
    # The tail is searched for in the last bytes only: a regular expression
    # tried at every position of a large file costs seconds.
    head = _HEAD.match(data)
    if end is None:
        tail = _TAIL.search(data, max(0, len(data) - 4096))
    else:
        tail = _LIST_END.search(data, max(0, end - 4096), end)
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
    with collector_paused():
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
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
        if "fork" not in multiprocessing.get_all_start_methods() or len(texts) < 2 * CHUNK:
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


@contextlib.contextmanager
def new_database(path: Path) -> Iterator[sqlite3.Connection]:
    """A database written beside ``path`` and renamed over it once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        register_functions(connection)
        create_schema(connection)
        yield connection
        create_indexes(connection)
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


def _slow_texts(data: bytes, name: str) -> tuple[list[str], list[str]]:
    """The general reader: parse and check the whole store; StoreError lists
    every problem.  The incidents' texts, and the links'."""
    from incidents.checks import check_store, errors
    from incidents.store import StoreError, decode_text, link_texts, parse_store, stored_json

    store = parse_store(decode_text(data, name), name)
    problems = errors(check_store(store, name))
    if problems:
        raise StoreError(problems)
    return [stored_json(incident) for incident in store.incidents], list(link_texts(store.links))


def _own_layout_links(links_json: bytes | None) -> list[str] | None:
    """The links' texts from their JSON list; None when they are not valid
    (the slow path then says why)."""
    if links_json is None:
        return []
    from incidents.index.links import parse_links
    from incidents.store import link_texts

    try:
        return list(link_texts(parse_links(links_json)))
    except ValueError:
        return None


def build_index(
    store_path: Path, index_path: Path, progress: Progress | None = None
) -> sqlite3.Connection:
    """Validate the store once and write its index, whole or not at all."""
    from incidents.store import read_bytes

    name = str(store_path)
    data = read_bytes(store_path)
    stat = store_path.stat()
    digest = hashlib.sha256(data).hexdigest()
    with collector_paused(), new_database(index_path) as connection:
        end, links_json = split_links(data)
        links = _own_layout_links(links_json)
        texts = None if links is None else _own_layout_texts(data, end if links_json else None)
        if texts is None or links is None:
            texts, links = _slow_texts(data, name)
        else:
            del data  # the texts hold it now; the slow path reads the file again
            validation = _Validation(texts, name)
            try:
                insert_texts(connection, texts, progress, len(texts))
                inserted = True
            except (ValueError, KeyError, TypeError):  # a cut fell inside an incident
                inserted = False
            except BaseException:
                validation.cancel()
                raise
            if not (inserted and validation.passed() and _ids_unique(connection)):
                validation.cancel()
                data = read_bytes(store_path)
                clear_tables(connection)
                texts, links = _slow_texts(data, name)  # raises with every problem...
        count = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        if count != len(texts):  # ...or it was only the layout that misled us
            clear_tables(connection)
            insert_texts(connection, texts, progress, len(texts))
        if links:
            write_link_texts(connection, links)
        set_meta(
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
    return connect(index_path)
