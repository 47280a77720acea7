"""Links kept in the store, and what the last run of ``incidents match`` saw.

Links are written under the store's lock, through ``store.atomic_writer``.
A JSON store in this tool's layout keeps its incidents byte for byte and
gets its list of links written anew after them; a store in another layout
is written whole, as ``incidents add`` writes it.  A sqlite store keeps its
links in its own table, changed in one transaction.

What the last run saw (a digest of each record's text, and of the links it
wrote) is kept in the cache directory, beside the query index: the next run
compares only the records that changed since.  Without it (a new machine, a
cleared cache, links edited by hand) a run compares everything again and
finds the same links.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = ["{", '  "records": [', f"    {quoted(pair.first)},", f"    {quoted(pair.second)}"]
    lines += ["  ],", f'  "status": {quoted(pair.status.value)}']
    if pair.score is not None:
        lines[-1] += ","
        lines.append(f'  "score": {json.dumps(float(pair.score))}')
    if pair.evidence is not None:
        lines[-1] += ","
        lines.append(f'  "evidence": {quoted(pair.evidence)}')
    lines.append("}")
    return "\n    ".join(lines)


def store_token(path: Path) -> str:
    """What the store is now: its content's digest (a JSON store), or its
    file's identity and time (a sqlite store, changed in place)."""
    if is_sqlite(path):
        stat = path.stat()
        return f"{stat.st_ino} {stat.st_size} {stat.st_mtime_ns}"
    from incidents.store import read_bytes

    return hashlib.sha256(read_bytes(path)).hexdigest()


def save_pairs(path: Path, pairs: Sequence[Pair], token: str | None = None) -> str:
    """Write these links into the store, which must still be as ``token``
    says; returns a digest of the links written."""
    from incidents.locking import store_lock

    texts = [link_text(pair) for pair in pairs]
    with store_lock(path.resolve()):
        if token is not None and store_token(path) != token:
            raise StoreChanged(
                f"{path}: the store changed while matching; nothing was written. "
                "Run `incidents match` again."
            )
        _write(path, texts)
    return links_digest(texts)


def save_decisions(
    path: Path, decisions: Sequence[Pair], dataset_of: Mapping[str, str]
) -> list[Pair]:
    """Record people's decisions in the store's links as they are now (the
    store may have changed since they were shown), and settle the others;
    returns the links written."""
    from incidents.locking import store_lock

    with store_lock(path.resolve()):
        by_keys = {pair.keys: pair for pair in pairs_of(_current_links(path))}
        for decision in decisions:
            before = by_keys.get(decision.keys)
            if before is not None and decision.score is None:
                decision.score, decision.evidence = before.score, before.evidence
            by_keys[decision.keys] = decision
        pairs = sorted(by_keys.values(), key=lambda p: p.keys)
        settle(pairs, dataset_of)
        _write(path, [link_text(pair) for pair in pairs])
    return pairs


def links_digest(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _current_links(path: Path) -> list[Link]:
    from incidents.index.links import read_links
    from incidents.index.schema import connect

    if is_sqlite(path):
        with contextlib.closing(connect(path)) as connection:
            return read_links(connection)
    from incidents.store import load_store

    return load_store(path).links


def _write(path: Path, texts: Sequence[str]) -> None:
    """Replace the store's links; the caller holds the lock."""
    if is_sqlite(path):
        from incidents.index.links import write_link_texts
        from incidents.index.schema import connect

        with contextlib.closing(connect(path)) as connection:
            write_link_texts(connection, texts)
            connection.commit()
        return
    from incidents.index.build import incidents_end
    from incidents.store import atomic_writer, read_bytes

    data = read_bytes(path)
    end = incidents_end(data)
    if end is None:  # another layout: written whole, in this tool's
        from incidents.index.links import parse_links
        from incidents.store import dump_store, load_store

        store = load_store(path)
        links = parse_links("[" + ",".join(texts) + "]") if texts else []
        text = dump_store(store.model_copy(update={"links": links}))
        with atomic_writer(path) as stream:
            stream.write(text)
        return
    with atomic_writer(path) as stream:
        stream.write(data[:end].decode("utf-8-sig"))
        if texts:
            stream.write(',\n  "links": [\n    ' + ",\n    ".join(texts) + "\n  ]")
        stream.write("\n}\n")


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
    path = _memory_path(store)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(temporary)) as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, digest BLOB NOT NULL)")
            db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?)", memory.fingerprints.items())
            meta = {"kind": "match", "store": str(store.resolve()), "links": memory.links}
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.commit()
        os.replace(temporary, path)
    except (OSError, sqlite3.Error):
        temporary.unlink(missing_ok=True)
