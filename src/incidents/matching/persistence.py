"""Links kept in the store, and what the last run of ``incidents match`` saw.

Links are written under the store's lock, through ``files.atomic_writer``,
and the store's query index is brought up to date before the lock is let go
(``index.after_write``).  A JSON store in this tool's layout keeps its
incidents byte for byte and gets its list of links written anew after them;
a store in another layout is written whole, as ``incidents add`` writes it.
A sqlite store keeps its links in its own table, changed in one transaction.

What the last run saw (a digest of each record's text, and of the links it
wrote) is kept in the cache directory, beside the query index: the next run
compares only the records that changed since.  Without it (a new machine, a
cleared cache, links edited by hand) a run compares everything again and
finds the same links.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.errors import IncidentsError
from incidents.matching.distinct import pairs_of
from incidents.matching.groups import Pair, settle

if TYPE_CHECKING:
    from incidents.model import Link


class StoreChanged(IncidentsError):
    """The store changed while matching ran: its links would not fit it."""


def is_sqlite(path: Path) -> bool:
    from incidents.index import SQLITE_SUFFIXES

    return path.suffix.lower() in SQLITE_SUFFIXES


def link_text(pair: Pair) -> str:
    """A link's JSON as the store lays it out: ``store.link_texts`` of its
    model, written directly (a store may hold hundreds of thousands)."""
    quoted = encode_basestring  # what json.dumps(ensure_ascii=False) writes of a string
    lines = ["{", '  "records": [', f"    {quoted(pair.first)},", f"    {quoted(pair.second)}"]
    lines += ["  ],", f'  "status": "{pair.status.value}"']
    if pair.score is not None:
        lines[-1] += ","
        lines.append(f'  "score": {float(pair.score)!r}')
    if pair.evidence is not None:
        lines[-1] += ","
        lines.append(f'  "evidence": {quoted(pair.evidence)}')
    lines.append("}")
    return "\n    ".join(lines)


def store_token(path: Path, data: bytes | None = None) -> str:
    """What the store is now: its content's digest (a JSON store, whose
    bytes may be given), or its file's identity and time (a sqlite store,
    changed in place)."""
    if is_sqlite(path):  # the file, and the log of changes not yet folded into it
        found = []
        for part in (path, path.with_name(path.name + "-wal")):
            with contextlib.suppress(FileNotFoundError):
                stat = part.stat()
                found.append(f"{stat.st_ino} {stat.st_size} {stat.st_mtime_ns}")
        return " ".join(found)
    from incidents.store import read_bytes

    return hashlib.sha256(read_bytes(path) if data is None else data).hexdigest()


def save_pairs(path: Path, pairs: Sequence[Pair], token: str | None = None) -> str:
    """Write these links into the store, which must still be as ``token``
    says; returns a digest of the links written."""
    from incidents.locking import store_lock

    texts = [link_text(pair) for pair in pairs]
    with store_lock(path.resolve()):
        data = _read(path)
        now = store_token(path, data)
        if token is not None and now != token:
            raise StoreChanged(
                f"{path}: the store changed while matching; nothing was written. "
                "Run `incidents match` again."
            )
        _write(path, data, pairs, texts)
    return links_digest(texts)


def save_decisions(
    path: Path, decisions: Sequence[Pair], dataset_of: Mapping[str, str]
) -> list[Pair]:
    """Record people's decisions in the store's links as they are now (the
    store may have changed since they were shown), and settle the others;
    returns the links written."""
    from incidents.locking import store_lock

    with store_lock(path.resolve()):
        data = _read(path)
        by_keys = {pair.keys: pair for pair in pairs_of(_current_links(path, data))}
        for decision in decisions:
            before = by_keys.get(decision.keys)
            if before is not None and decision.score is None:
                decision.score, decision.evidence = before.score, before.evidence
            by_keys[decision.keys] = decision
        pairs = sorted(by_keys.values(), key=lambda p: p.keys)
        settle(pairs, dataset_of)
        _write(path, data, pairs, [link_text(pair) for pair in pairs])
    return pairs


def links_digest(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _read(path: Path) -> bytes | None:
    """A JSON store's bytes (None for a sqlite store)."""
    from incidents.store import read_bytes

    return None if is_sqlite(path) else read_bytes(path)


def _current_links(path: Path, data: bytes | None) -> list[Link]:
    from incidents.index.build import split_links
    from incidents.index.links import parse_links, read_links

    if data is None:
        from incidents.index.sqlite_store import open_sqlite_store

        store = open_sqlite_store(path)
        try:
            return read_links(store.connection)
        finally:
            store.close()
    _, links_json = split_links(data)
    if links_json is not None:  # only the links are read, not a store of millions
        with contextlib.suppress(ValueError):
            return parse_links(links_json)
    from incidents.store import load_store

    return load_store(path).links


def _write(path: Path, data: bytes | None, pairs: Sequence[Pair], texts: Sequence[str]) -> None:
    """Replace the store's links (``pairs``, whose texts are ``texts``); the
    caller holds the lock, and gives the bytes of a JSON store (None: a
    sqlite store).  The store's query index is brought up to date while the
    lock is still held."""
    if data is None:
        _write_sqlite(path, pairs)
        return
    from incidents.files import atomic_writer
    from incidents.index import after_write
    from incidents.index.build import incidents_end

    end = incidents_end(data)
    if end is None:  # another layout: written whole, in this tool's
        from incidents.index.links import parse_links
        from incidents.store import dump_store, load_store

        store = load_store(path)
        links = parse_links("[" + ",".join(texts) + "]") if texts else []
        text = dump_store(store.model_copy(update={"links": links}))
        with atomic_writer(path) as stream:
            stream.write(text)
        after_write(path)
        return
    tail = (',\n  "links": [\n    ' + ",\n    ".join(texts) + "\n  ]" if texts else "") + "\n}\n"
    ending = tail.encode("utf-8")
    if data[end:] == ending:
        return  # the same links: the file is left as it is
    incidents = data[3:end] if data.startswith(b"\xef\xbb\xbf") else data[:end]
    with atomic_writer(path) as stream:
        stream.flush()
        stream.buffer.write(incidents)  # the incidents' bytes as they are
        stream.buffer.write(ending)
    after_write(path)


def _write_sqlite(path: Path, pairs: Sequence[Pair]) -> None:
    from incidents.index.links import write_links
    from incidents.index.schema import settle
    from incidents.index.sqlite_store import open_sqlite_store

    connection = open_sqlite_store(path, writing=True).connection
    connection.isolation_level = None  # transactions as written here
    try:
        connection.execute("BEGIN IMMEDIATE")
        rows = [(p.first, p.second, p.status.value, p.score, p.evidence) for p in pairs]
        write_links(connection, rows)
        connection.execute("COMMIT")
        settle(connection)
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


# --- what the last run saw -----------------------------------------------------------


@dataclass
class Memory:
    """A digest of each record's text, by key, and of the links written."""

    fingerprints: dict[str, bytes]
    links: str


def _memory_path(store: Path) -> Path:
    from incidents.index import index_path_for

    index = index_path_for(store)
    return index.with_name(index.stem + ".match.sqlite")


def recall(store: Path) -> Memory | None:
    path = _memory_path(store)
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("kind") != "match":
                return None
            seen = dict(connection.execute("SELECT key, digest FROM seen").fetchall())
    except sqlite3.DatabaseError:
        return None
    return Memory(seen, meta.get("links", ""))


def remember(store: Path, memory: Memory) -> None:
    """Keep what this run saw, whole or not at all; a cache that cannot be
    written is no error (the next run compares everything)."""
    from incidents.temporary import temporary_beside

    path = _memory_path(store)
    with contextlib.suppress(OSError, sqlite3.Error):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with temporary_beside(path, 0o600) as (temporary, _):
            with contextlib.closing(sqlite3.connect(temporary)) as db:
                db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, digest BLOB NOT NULL)")
                db.executemany(
                    "INSERT OR REPLACE INTO seen VALUES (?, ?)", memory.fingerprints.items()
                )
                meta = {"kind": "match", "store": str(store.resolve()), "links": memory.links}
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                db.commit()
            temporary.replace(path)
