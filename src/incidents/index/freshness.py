"""Where indexes live, whether one still describes its store, and opening
(or building) the index of a store."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.errors import IncidentsError
from incidents.index.queries import StoreIndex
from incidents.index.schema import (
    SCHEMA_VERSION,
    SQLITE_SUFFIXES,
    Progress,
    connect,
    read_meta,
    set_meta,
)
from incidents.index.state import StoreState, current_state, read_open_store
from incidents.index.texts import StoreTexts, attach

if TYPE_CHECKING:
    from incidents.index.build import Read

# Building, refreshing and the sqlite store's code are imported where they are
# needed: a warm question over a fresh index loads none of them.


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


def _fresh(connection: sqlite3.Connection, texts: StoreTexts) -> bool:
    """Whether the index still describes the store open in ``texts``; records
    the store's new state when only that changed (a touch, a checkout of the
    same content)."""
    meta = read_meta(connection)
    if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
        return False
    recorded = StoreState.from_meta(meta)
    if recorded is None or texts.descriptor is None:
        return False
    now = current_state(recorded, texts.descriptor)
    if now is None:
        return False
    if now != recorded:
        try:
            set_meta(connection, now.as_meta())
            connection.commit()
        except sqlite3.OperationalError:  # read-only, or busy: checked again next time
            connection.rollback()
    return True


def _refreshed(connection: sqlite3.Connection, store_path: Path, read: Read) -> bool:
    """Whether the index could be brought up to the store as read, in place
    (an edit by hand changes an incident or two of thousands)."""
    from incidents.index.build import own_layout
    from incidents.index.refresh import refresh

    data, state, _ = read
    layout = own_layout(data)
    if layout is None:
        return False
    try:
        return refresh(connection, store_path, data, state, layout)
    except (ValueError, IncidentsError):
        return False


def open_index(
    store_path: Path, cache_dir: Path | None = None, progress: Progress | None = None
) -> StoreIndex:
    """The index of a JSON store, built or rebuilt as needed; or a sqlite store
    (which is its own index)."""
    from incidents.store import not_a_store_file

    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        from incidents.index.sqlite_store import open_sqlite_store

        return open_sqlite_store(store_path)
    if not store_path.is_file():
        raise not_a_store_file(store_path)
    path = index_path_for(store_path, cache_dir)
    read: Read | None = None
    if path.exists():
        try:
            texts = StoreTexts.open(store_path)
        except OSError:
            raise not_a_store_file(store_path) from None
        try:
            connection = connect(path)
            if _fresh(connection, texts):
                attach(connection, texts)
                return StoreIndex(connection, texts)
            texts.close()
            read = read_open_store(store_path)
            if _refreshed(connection, store_path, read):
                texts = StoreTexts(str(store_path), descriptor=read[2])
                attach(connection, texts)
                return StoreIndex(connection, texts)
            connection.close()
        except sqlite3.DatabaseError:
            pass  # unreadable: rebuilt below, never trusted
        texts.close()
    from incidents.index.build import build_index

    try:
        prepare_cache(path)
        return StoreIndex(*build_index(store_path, path, progress, read))
    except (OSError, sqlite3.OperationalError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise IndexUnwritable(f"cannot write the query index {path}: {reason}") from None


def open_memory_index(store_path: Path, progress: Progress | None = None) -> StoreIndex:
    """The index of a JSON store built in memory, by the same code as the one in
    the cache, and asked the same questions; or a sqlite store."""
    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        from incidents.index.sqlite_store import open_sqlite_store

        return open_sqlite_store(store_path)
    from incidents.index.build import memory_index

    return StoreIndex(*memory_index(store_path, progress))


def prepare_cache(index_path: Path) -> None:
    """The cache directory made ready for a new index: private, and rid of the
    indexes of stores that no longer exist."""
    _private(index_path.parent)
    _forget_orphans(index_path)


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
