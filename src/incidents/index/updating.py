"""Keeping a store's index up to date as this tool writes the store.

Every writer that rewrites a JSON store whole (an import, or a change that
the index could not make alone) calls ``after_write`` while it still holds
the store's lock, once the new store is in place.  The incidents are known
again by the digest of their bytes: those whose text changed are validated
and their rows replaced, the others only moved, so that the next question
is answered at once instead of rebuilding the index.  If anything stands in
the way (no index yet, a store this tool did not lay out, an insertion in
the middle of the store, a busy index), the index is removed instead: never
left to describe the store as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.index.build import own_layout
from incidents.index.freshness import index_path_for
from incidents.index.refresh import refresh
from incidents.index.schema import SQLITE_SUFFIXES, connect
from incidents.index.state import read_store
from incidents.index.texts import StoreTexts


@contextlib.contextmanager
def kept_up(store_path: Path, cache_dir: Path | None = None) -> Iterator[None]:
    """Around a writer's change of the store (under its lock): the index is
    brought up to date once the body has written the new store, or removed.

    The store as it was stays open meanwhile, so that the full-text table can
    be told the very text of each incident that leaves it."""
    index_path = index_path_for(store_path, cache_dir)
    if store_path.suffix.lower() in SQLITE_SUFFIXES or not index_path.exists():
        yield
        return
    try:
        old = StoreTexts.open(store_path)
    except OSError:
        old = None
    try:
        yield
        after_write(store_path, cache_dir, old)
    finally:
        if old is not None:
            old.close()


def after_write(
    store_path: Path, cache_dir: Path | None = None, old: StoreTexts | None = None
) -> None:
    """Bring the index of a store just written up to date, or remove it;
    ``old``, the store as it was when the index described it, if still open."""
    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return  # a sqlite store is its own index
    index_path = index_path_for(store_path, cache_dir)
    if not index_path.exists():
        return  # the next question builds it
    try:
        updated = _update(store_path, index_path, old)
    except (sqlite3.Error, OSError, IncidentsError, ValueError, KeyError, TypeError):
        updated = False
    if not updated:
        with contextlib.suppress(FileNotFoundError):
            index_path.unlink()


def _update(store_path: Path, index_path: Path, old: StoreTexts | None) -> bool:
    data, state = read_store(store_path)
    layout = own_layout(data)
    if layout is None:
        return False
    # sqlite3 waits for readers of the index; then the index is removed.
    with contextlib.closing(connect(index_path)) as connection:
        return refresh(connection, store_path, data, state, layout, old)
