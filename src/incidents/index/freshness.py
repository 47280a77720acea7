"""Where indexes live, whether one still describes its store, and opening
(or building) the index of a store."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.index.build import build_index, memory_index
from incidents.index.queries import StoreIndex
from incidents.index.schema import (
    SCHEMA_VERSION,
    SQLITE_SUFFIXES,
    Progress,
    connect,
    read_meta,
    set_meta,
)
from incidents.index.sqlite_store import open_sqlite_store
from incidents.index.state import StoreState, current_state


class IndexUnwritable(IncidentsError):
    """The cache directory cannot hold the index; the store itself is fine."""


def cache_directory(environ: Mapping[str, str] | None = None) -> Path:
    """Where indexes live: $XDG_CACHE_HOME/incidents, else ~/.cache/incidents."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "incidents"


def index_path_for(store_path: Path, cache_dir: Path | None = None) -> Path:
    from incidents.files import real_path

    key = hashlib.sha256(str(real_path(store_path)).encode()).hexdigest()[:24]
    return (cache_dir or cache_directory()) / f"{key}.sqlite"


def _private(directory: Path) -> None:
    """The cache directory, made if needed, readable by its user alone: the
    indexes in it hold every incident's text."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = directory.stat()
    if found.st_mode & 0o077 and found.st_uid == os.geteuid():
        directory.chmod(0o700)  # made by an older version, open to all


def _fresh(connection: sqlite3.Connection, store_path: Path) -> bool:
    """Whether the index still describes the store; records the store's new
    state when only that changed (a touch, a checkout of the same content)."""
    meta = read_meta(connection)
    if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
        return False
    recorded = StoreState.from_meta(meta)
    if recorded is None:
        return False
    now = current_state(recorded, store_path)
    if now is None:
        return False
    if now != recorded:
        with contextlib.suppress(sqlite3.OperationalError):  # read-only, or busy: checked again
            set_meta(connection, now.as_meta())
            connection.commit()
    return True


def open_index(
    store_path: Path, cache_dir: Path | None = None, progress: Progress | None = None
) -> StoreIndex:
    """The index of a JSON store, built or rebuilt as needed; or a sqlite store
    (which is its own index)."""
    from incidents.store import not_a_store_file

    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return open_sqlite_store(store_path)
    if not store_path.is_file():
        raise not_a_store_file(store_path)
    path = index_path_for(store_path, cache_dir)
    if path.exists():
        try:
            connection = connect(path)
            if _fresh(connection, store_path):
                return StoreIndex(connection)
            connection.close()
        except sqlite3.DatabaseError:
            pass  # unreadable: rebuilt below, never trusted
    try:
        _private(path.parent)
        _forget_orphans(path)
        return StoreIndex(build_index(store_path, path, progress))
    except (OSError, sqlite3.OperationalError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise IndexUnwritable(f"cannot write the query index {path}: {reason}") from None


def open_memory_index(store_path: Path, progress: Progress | None = None) -> StoreIndex:
    """The index of a JSON store built in memory, by the same code as the one in
    the cache, and asked the same questions; or a sqlite store."""
    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return open_sqlite_store(store_path)
    return StoreIndex(memory_index(store_path, progress))


def _forget_orphans(keep: Path) -> None:
    """Remove the indexes of stores that no longer exist, so that the cache
    does not grow with every store ever opened.  Done only when an index is
    built, which is rare and slow anyway."""
    for candidate in keep.parent.glob("*.sqlite"):
        if candidate == keep:
            continue
        try:
            uri = f"file:{candidate}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
                store = read_meta(connection).get("store")
        except sqlite3.DatabaseError:
            continue  # not an index of ours, or busy: left alone
        if store and not Path(store).exists():
            candidate.unlink(missing_ok=True)
