"""Building the index of a JSON store: cut it into incidents, validate them
in a second process, insert their rows; whole or not at all."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.index.links import LinkRow, link_rows, write_links
from incidents.index.rows import insert_texts, replace_texts
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
    use_wal,
)
from incidents.index.state import read_store
from incidents.temporary import remove_sqlite_files, temporary_beside

if TYPE_CHECKING:
    from incidents.model import Incident

# A store written by this tool (2-space indent) separates its incidents with
# exactly this; a raw newline never occurs inside a JSON string, so it can
# only stand between two incidents.
_SEPARATOR = b"\n    },\n    {\n"
# A space in these patterns stands for JSON's whitespace: a regular
# expression's \s would also take a form feed or a vertical tab, and the
# $schema string takes no raw control character, as `incidents validate` says.
_SPACE = rb"[ \t\n\r]*"
_HEAD = re.compile(
    rb'\A(?:\xef\xbb\xbf)? \{ (?:"\$schema" : "[^"\\\x00-\x1f]*" , )?"incidents" : \[ '.replace(
        b" ", _SPACE
    )
)
_TAIL = re.compile(rb" \] \} \Z".replace(b" ", _SPACE))
# Links, when a store has them, follow its incidents at the top level: the
# only place where a key sits two spaces in.
_LINKS_KEY = b',\n  "links": ['
_LIST_END = re.compile(rb" \] \Z".replace(b" ", _SPACE))


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


def own_layout_texts(data: bytes) -> list[str] | None:
    """Each incident's JSON text, cut out of a store in this tool's layout
    without parsing it (links after the incidents are left to
    ``own_layout_links``); None for any other layout.

    Whether the cuts fall between incidents is proven later: each text must
    parse as one object, and they must validate as one incident each.
    """
    # The tail is searched for in the last bytes only: a regular expression
    # tried at every position of a large file costs seconds.
    head = _HEAD.match(data)
    end, links_json = split_links(data)
    if links_json is None:
        tail = _TAIL.search(data, max(0, len(data) - 4096))
    else:
        tail = _LIST_END.search(data, max(0, end - 4096), end)
    if head is None or tail is None or head.end() > tail.start():
        return None
    try:
        data[: head.end()].decode("utf-8")  # the $schema string
    except UnicodeDecodeError:
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

# What a validation finds: None when an incident is not valid, else the
# canonical text (what this tool writes) of each incident whose text differs
# from it, by position.
Canonical = dict[int, str] | None


def validate_texts(texts: Sequence[str], name: str, first: int = 0) -> Canonical:
    """Whether every incident passes the model and the checks of one incident
    (ids shared between incidents are looked for in the built index), and the
    canonical texts of those written otherwise."""
    from pydantic import TypeAdapter, ValidationError

    from incidents.checks import check_incidents
    from incidents.model import Incident

    adapter = TypeAdapter(list[Incident])
    rewritten: dict[int, str] = {}
    with collector_paused():
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
            try:
                incidents = adapter.validate_json("[" + ",".join(chunk) + "]")
            except ValidationError:
                return None
            if len(incidents) != len(chunk):  # a cut fell inside an incident
                return None
            if check_incidents(list(enumerate(incidents, first + start)), name, warnings=False):
                return None
            rewritten.update(_rewritten(incidents, chunk, first + start))
    return rewritten


# A store of these incidents as pydantic writes it, around the incidents.
_STORE_HEAD = '{\n  "incidents": [\n    '
_STORE_TAIL = "\n  ]\n}"
# pydantic's serializer writes what json.dumps writes, several times faster,
# save for a float below 1e-4 (0.00001 against 1e-05): coordinates, best estimates.
_FLOATS_WRITTEN_OTHERWISE = re.compile(r'"(?:lat|lon|best)": -?(?:0\.0000|[0-9.]+e)')


def _rewritten(incidents: Sequence[Incident], texts: Sequence[str], first: int) -> dict[int, str]:
    """The canonical text (what this tool writes) of each incident whose text
    is not that, by position.

    A store edited by hand may escape letters, order keys otherwise, spell out
    defaults or write 36 for 36.0; every answer shows the incident as this
    tool writes it, whatever the store looked like.
    """
    from incidents.model import Store
    from incidents.store import stored_json

    quick = Store.model_construct(incidents=list(incidents)).model_dump_json(
        indent=2, exclude_defaults=True
    )
    written = _STORE_HEAD + ",\n    ".join(texts) + _STORE_TAIL
    if quick == written and not _FLOATS_WRITTEN_OTHERWISE.search(quick):
        return {}
    canonical = (
        (first + n, stored_json(i), text)
        for n, (i, text) in enumerate(zip(incidents, texts, strict=True))
    )
    return {pos: text for pos, text, given in canonical if text != given}


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

        self._results: list[Canonical] = []
        self._workers: list[tuple[Any, Any]] = []
        if "fork" not in multiprocessing.get_all_start_methods() or len(texts) < 2 * CHUNK:
            self._results.append(validate_texts(texts, name))
            return
        context = multiprocessing.get_context("fork")
        size = -(-len(texts) // self.PARTS)
        for first in range(0, len(texts), size):
            receiver, sender = context.Pipe(duplex=False)

            def work(sender: Any = sender, first: int = first) -> None:
                try:
                    sender.send(validate_texts(texts[first : first + size], name, first))
                except BaseException:
                    sender.send(None)

            process = context.Process(target=work, daemon=True)
            process.start()
            sender.close()
            self._workers.append((process, receiver))

    def result(self) -> Canonical:
        """None when an incident is not valid, else the canonical texts to use."""
        for process, receiver in self._workers:
            try:
                self._results.append(receiver.recv())
            except EOFError:
                self._results.append(None)
            process.join()
        self._workers.clear()
        rewritten: dict[int, str] = {}
        for found in self._results:
            if found is None:
                return None
            rewritten.update(found)
        return rewritten

    def cancel(self) -> None:
        for process, _ in self._workers:
            if process.is_alive():
                process.kill()
            process.join()
        self._workers.clear()


@contextlib.contextmanager
def new_database(
    path: Path, mode: int = 0o666, store: bool = False, stale_prefix: str | None = None
) -> Iterator[sqlite3.Connection]:
    """A database written beside ``path`` and renamed over it once complete.

    ``mode`` is the new file's (the umask applies); a ``store`` is made
    durable (fsynced) and in WAL mode before it is renamed into place.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with temporary_beside(path, mode, stale_prefix) as (temporary, claim):
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            register_functions(connection)
            create_schema(connection)
            yield connection
            create_indexes(connection)
            connection.commit()
            if store:
                use_wal(connection)
        finally:
            connection.close()
        if store:
            os.fsync(claim)
            # A new database must not meet the log of one that was here before.
            remove_sqlite_files(path)
        os.replace(temporary, path)


def ids_unique(connection: sqlite3.Connection) -> bool:
    duplicate = "SELECT 1 FROM facts GROUP BY id HAVING count(*) > 1 LIMIT 1"
    return connection.execute(duplicate).fetchone() is None


def _slow_texts(data: bytes, name: str) -> tuple[list[str], list[LinkRow]]:
    """The general reader: parse and check the whole store; StoreError lists
    every problem.  The incidents' texts, and the links'."""
    from incidents.checks import check_store, errors
    from incidents.store import StoreError, decode_text, parse_store, stored_json

    store = parse_store(decode_text(data, name), name)
    problems = errors(check_store(store, name))
    if problems:
        raise StoreError(problems)
    return [stored_json(incident) for incident in store.incidents], link_rows(store.links)


def own_layout_links(data: bytes) -> list[LinkRow] | None:
    """The links after the incidents of a store in this tool's layout,
    validated; None when they are not valid (the slow path then says why)."""
    _, links_json = split_links(data)
    if links_json is None:
        return []
    from incidents.index.links import parse_links

    try:
        return link_rows(parse_links(links_json))
    except ValueError:
        return None


def build_index(
    store_path: Path, index_path: Path, progress: Progress | None = None
) -> sqlite3.Connection:
    """Validate the store once and write its index, whole or not at all."""
    try:
        permissions = store_path.stat().st_mode
    except OSError:
        permissions = 0  # the build says why it cannot read the store
    # The index holds every incident's text: it is no more readable than the
    # store.  Any index build in the cache may clear dead builds' leftovers.
    mode = 0o600 | (permissions & 0o044)
    with new_database(index_path, mode, stale_prefix=".") as connection:
        _fill(connection, store_path, progress)
    return connect(index_path)


def memory_index(store_path: Path, progress: Progress | None = None) -> sqlite3.Connection:
    """The store's index built in memory, by the same code, for ``--no-index``."""
    connection = connect(Path(":memory:"))
    create_schema(connection)
    _fill(connection, store_path, progress)
    create_indexes(connection)
    connection.commit()
    return connection


def _fill(connection: sqlite3.Connection, store_path: Path, progress: Progress | None) -> None:
    """Insert the rows of every incident of the store and the meta that says
    which state of the store they are; StoreError when it is not valid."""
    name = str(store_path)
    data, state = read_store(store_path)
    with collector_paused():
        links = own_layout_links(data)
        texts = None if links is None else own_layout_texts(data)
        if texts is None or links is None:
            texts, links = _slow_texts(data, name)
        else:
            if store_path.is_file():  # a pipe cannot be read again: its bytes are kept
                data = b""  # the texts hold it now; the slow path reads the file again
            validation = _Validation(texts, name)
            try:
                insert_texts(connection, texts, progress, len(texts))
                inserted = True
            except (ValueError, KeyError, TypeError):  # a cut fell inside an incident
                inserted = False
            except BaseException:
                validation.cancel()
                raise
            rewritten = validation.result() if inserted else None
            if rewritten is None or not ids_unique(connection):
                validation.cancel()
                if not data:
                    data, state = read_store(store_path)
                clear_tables(connection)
                texts, links = _slow_texts(data, name)  # raises with every problem...
            elif rewritten:
                replace_texts(connection, rewritten)
        count = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        if count != len(texts):  # ...or it was only the layout that misled us
            clear_tables(connection)
            insert_texts(connection, texts, progress, len(texts))
        if links:
            write_links(connection, links)
        set_meta(
            connection,
            {
                "kind": "index",
                "schema": SCHEMA_VERSION,
                "store": str(store_path.resolve()),
                **state.as_meta(),
                "count": str(len(texts)),
                "fts": "0",
            },
        )
