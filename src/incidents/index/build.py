"""Building the index of a JSON store: cut it into incidents, validate them
(on both cores), insert their rows; whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from incidents.index.links import LinkRow, link_rows, write_links
from incidents.index.rows import delete_positions, insert_spans, insert_texts
from incidents.index.schema import (
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
from incidents.index.state import StoreState, read_open_store
from incidents.index.texts import StoreTexts, attach
from incidents.index.validation import Spans, Validation
from incidents.temporary import remove_sqlite_files, temporary_beside

# A store written by this tool (2-space indent) separates its incidents with
# exactly this; a raw newline never occurs inside a JSON string, so it can
# only stand between two incidents.
SEPARATOR = b"\n    },\n    {\n"
# A space in these patterns stands for JSON's whitespace: a regular
# expression's \s would also take a form feed or a vertical tab, and the
# $schema string takes no raw control character, as `incidents validate` says.
_SPACE = rb"[ \t\n\r]*"
_SCHEMA = rb'"\$schema" : "(?P<schema>[^"\\\x00-\x1f]*)" , '
_HEAD = re.compile(
    (rb"\A(?:\xef\xbb\xbf)? \{ (?:" + _SCHEMA + rb')?"incidents" : \[ ').replace(b" ", _SPACE)
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


@dataclass(frozen=True)
class Layout:
    """Where a store in this tool's layout keeps its incidents: each one's
    (start, end) in its bytes, its ``$schema`` if any, its links (validated),
    and whether everything around the incidents is as this tool writes it
    (``framed``)."""

    spans: list[tuple[int, int]]
    schema_url: str | None
    framed: bool
    links: list[LinkRow]


def store_head(schema_url: str | None) -> str:
    """What this tool writes before a store's first incident (``store_document``)."""
    schema = f'  "$schema": {json.dumps(schema_url, ensure_ascii=False)},\n' if schema_url else ""
    return "{\n" + schema + '  "incidents": ['


STORE_TAIL = "\n  ]\n}\n"


def store_tail(link_texts: list[str], empty: bool = False) -> str:
    """What this tool writes after a store's last incident (``store_document``):
    the end of the list, the links' (their ``link_texts``), the end."""
    links = ',\n  "links": [\n    ' + ",\n    ".join(link_texts) + "\n  ]" if link_texts else ""
    return ("]" if empty else "\n  ]") + links + "\n}\n"


def own_layout(data: bytes) -> Layout | None:
    """Where each incident lies in a store in this tool's layout, found
    without parsing it; None for any other layout.

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
        schema = head["schema"].decode("utf-8") if head["schema"] is not None else None
        links = _links(links_json)
    except (UnicodeDecodeError, ValueError):
        return None
    opening = store_head(schema).encode("utf-8")
    if head.end() == tail.start():
        framed = data == opening + store_tail(links[1], empty=True).encode("utf-8")
        return Layout([], schema, framed, links[0])
    first, last = head.end(), tail.start()
    if data[first : first + 2] != b"{\n" or data[last - 6 : last] != b"\n    }":
        return None
    spans = []
    find = data.find
    start = first
    while (cut := find(SEPARATOR, start, last)) >= 0:
        spans.append((start, cut + 6))
        start = cut + len(SEPARATOR) - 2
    spans.append((start, last))
    closing = store_tail(links[1]).encode("utf-8")
    framed = data[:first] == opening + b"\n    " and data[last:] == closing
    return Layout(spans, schema, framed, links[0])


def _links(links_json: bytes | None) -> tuple[list[LinkRow], list[str]]:
    """The links of a store, validated, as rows and as this tool writes them;
    ValueError when they are not valid (the general reader then says why)."""
    if links_json is None:
        return [], []
    from incidents.index.links import parse_links
    from incidents.store import link_texts

    links = parse_links(links_json)
    return link_rows(links), list(link_texts(links))


@contextlib.contextmanager
def new_database(
    path: Path,
    mode: int = 0o666,
    store: bool = False,
    stale_prefix: str | None = None,
    holds_texts: bool = False,
) -> Iterator[sqlite3.Connection]:
    """A database written beside ``path`` and renamed over it once complete:
    a sqlite ``store`` (made durable, fsynced, and in WAL mode before it is
    renamed into place), or an index (of a JSON store; one that ``holds_texts``
    of its own has a store's tables).  ``mode`` is the new file's (the umask
    applies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with temporary_beside(path, mode, stale_prefix) as (temporary, claim):
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            register_functions(connection)
            create_schema(connection, index=not (store or holds_texts), packed=store)
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


def _slow_texts(data: bytes, name: str) -> tuple[list[str], str | None, list[LinkRow]]:
    """The general reader: parse and check the whole store; StoreError lists
    every problem.  The incidents' canonical texts, the store's $schema, and
    its links."""
    from incidents.checks import check_store, errors
    from incidents.store import StoreError, decode_text, parse_store, stored_json

    store = parse_store(decode_text(data, name), name)
    problems = errors(check_store(store, name))
    if problems:
        raise StoreError(problems)
    texts = [stored_json(incident) for incident in store.incidents]
    return texts, store.schema_url, link_rows(store.links)


Read = tuple[bytes, StoreState, int | None]


def build_index(
    store_path: Path, index_path: Path, progress: Progress | None = None, read: Read | None = None
) -> tuple[sqlite3.Connection, StoreTexts]:
    """Validate the store once and write its index, whole or not at all; the
    index, and the store file it was built from, still open.  ``read``: the
    store already read (``read_open_store``)."""
    try:
        permissions = store_path.stat().st_mode
    except OSError:
        permissions = 0  # the build says why it cannot read the store
    # The index holds what the store says: it is no more readable than the
    # store.  Any index build in the cache may clear dead builds' leftovers.
    mode = 0o600 | (permissions & 0o044)
    data, state, descriptor = read or read_open_store(store_path)
    texts = StoreTexts(str(store_path), descriptor=descriptor, data=None if descriptor else data)
    try:
        with new_database(index_path, mode, stale_prefix=".") as connection:
            fill(connection, store_path, data, state, progress)
        del data
        connection = connect(index_path)
        attach(connection, texts)
    except BaseException:
        texts.close()
        raise
    return connection, texts


def memory_index(
    store_path: Path, progress: Progress | None = None
) -> tuple[sqlite3.Connection, StoreTexts]:
    """The store's index built in memory, by the same code, for ``--no-index``."""
    data, state, descriptor = read_open_store(store_path)
    if descriptor is not None:
        os.close(descriptor)
    connection = connect(Path(":memory:"))
    create_schema(connection, index=True)
    fill(connection, store_path, data, state, progress)
    create_indexes(connection)
    connection.commit()
    texts = StoreTexts(str(store_path), data=data)
    attach(connection, texts)
    return connection, texts


def fill(
    connection: sqlite3.Connection,
    store_path: Path,
    data: bytes,
    state: StoreState,
    progress: Progress | None = None,
) -> None:
    """Insert the rows of every incident of the store (its bytes, read in this
    state) and the meta that says which state of the store they are;
    StoreError when it is not valid."""
    name = str(store_path)
    with collector_paused():
        layout = own_layout(data)
        canonical = _fill_layout(connection, data, layout, name, progress) if layout else None
        if layout is None or canonical is None:  # or a layout that only looked like ours
            clear_tables(connection)
            texts, schema_url, links = _slow_texts(data, name)  # raises with every problem
            count = insert_texts(connection, texts, progress, len(texts), spans={})
        else:
            count, schema_url, links = len(layout.spans), layout.schema_url, layout.links
        if links:
            write_links(connection, links)
        set_meta(
            connection,
            {
                "kind": "index",
                "schema": SCHEMA_VERSION,
                "store": str(store_path.resolve()),
                **state.as_meta(),
                "count": str(count),
                "fts": "0",
                **layout_meta(schema_url, bool(canonical)),
                # The day its incidents were checked: a check of dates in the
                # future holds for the days after it (``writing``).
                "checked_on": date.today().isoformat(),
            },
        )


def layout_meta(schema_url: str | None, canonical: bool) -> dict[str, str]:
    """What a writer needs to know of the store's layout: its $schema, and
    whether the file is byte for byte what this tool would write for it."""
    return {"schema_url": json.dumps(schema_url), "canonical": "1" if canonical else "0"}


def _fill_layout(
    connection: sqlite3.Connection,
    data: bytes,
    layout: Layout,
    name: str,
    progress: Progress | None,
) -> bool | None:
    """Insert the incidents of a store in this tool's layout, validated beside;
    None when they are not valid (the general reader then says why), else
    whether the store is byte for byte what this tool writes for them."""
    spans = layout.spans
    validation = Validation(data, spans, name)
    try:
        insert_spans(connection, data, spans, progress)
    except ValueError:  # a cut fell inside an incident, or a wrong type
        validation.cancel()
        return None
    except BaseException:
        validation.cancel()
        raise
    rewritten = validation.finish()
    if rewritten is None or not ids_unique(connection):
        return None
    if rewritten:
        _replace_texts(connection, data, spans, rewritten)
    return layout.framed and not rewritten


def _replace_texts(
    connection: sqlite3.Connection, data: bytes, spans: Spans, rewritten: dict[int, str]
) -> None:
    """Make the incidents at these places the canonical texts given, their
    rows made from them (a store written otherwise may hold a key twice)."""
    from incidents.index.rows import digest

    positions = sorted(rewritten)
    delete_positions(connection, positions)
    located = {
        pos: (spans[pos][0], spans[pos][1] - spans[pos][0], digest(data[slice(*spans[pos])]))
        for pos in positions
    }
    insert_texts(connection, (rewritten[p] for p in positions), positions=positions, spans=located)
