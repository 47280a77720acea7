"""Keeping a store's index up to date as this tool writes the store.

Every writer (add, edit, remove, import) calls ``after_write`` while it
still holds the store's lock, once the new store is in place.  The
incidents whose text changed are validated and their rows replaced, so that
the next question is answered at once instead of rebuilding the index.  If
anything stands in the way (no index yet, a store this tool did not lay
out, a change in the middle of the store, a busy index), the index is
removed instead: never left to describe the store as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.index.build import ids_unique, own_layout_links, own_layout_texts, validate_texts
from incidents.index.freshness import index_path_for
from incidents.index.links import write_links
from incidents.index.queries import update_search
from incidents.index.rows import delete_positions, insert_texts
from incidents.index.schema import SCHEMA_VERSION, SQLITE_SUFFIXES, connect, read_meta, set_meta
from incidents.index.state import read_store


def after_write(store_path: Path, cache_dir: Path | None = None) -> None:
    """Bring the index of a store just written up to date, or remove it."""
    if store_path.suffix.lower() in SQLITE_SUFFIXES:
        return  # a sqlite store is its own index
    index_path = index_path_for(store_path, cache_dir)
    if not index_path.exists():
        return  # the next question builds it
    try:
        updated = _update(store_path, index_path)
    except (sqlite3.Error, OSError, IncidentsError, ValueError, KeyError, TypeError):
        updated = False
    if not updated:
        with contextlib.suppress(FileNotFoundError):
            index_path.unlink()


@dataclass
class _Change:
    """What turns the indexed incidents into the store's, by position."""

    removed: list[int] = field(default_factory=list)
    replaced: dict[int, str] = field(default_factory=dict)
    added: dict[int, str] = field(default_factory=dict)

    @property
    def incoming(self) -> dict[int, str]:
        return {**self.replaced, **self.added}


def _update(store_path: Path, index_path: Path) -> bool:
    data, state = read_store(store_path)
    texts = own_layout_texts(data)
    links = own_layout_links(data)
    del data
    if texts is None or links is None:
        return False
    # sqlite3 waits up to 5 s for readers of the index; then the index is removed.
    connection = connect(index_path)
    with contextlib.closing(connection):
        connection.execute("BEGIN IMMEDIATE")
        meta = read_meta(connection)
        if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
            return False
        indexed = connection.execute("SELECT pos, json FROM details ORDER BY pos")
        change = _difference(indexed, texts)
        if change is None:
            return False
        incoming = change.incoming
        # The writer validated the whole store; this proves that what the index
        # takes in passes a build's validation, in the layout a build keeps.
        if validate_texts(list(incoming.values()), str(store_path)) != {}:
            return False
        going = change.removed + list(change.replaced)
        update_search(connection, going, delete=True)
        delete_positions(connection, going)
        insert_texts(connection, incoming.values(), positions=incoming)
        update_search(connection, list(incoming), delete=False)
        if not ids_unique(connection):
            return False
        write_links(connection, links)
        set_meta(connection, {**state.as_meta(), "count": str(len(texts))})
        connection.commit()
    return True


def _difference(indexed: Iterable[tuple[int, str]], texts: Sequence[str]) -> _Change | None:
    """The change from the indexed incidents (position, text) to ``texts``.

    The common beginning and end stay; in between, incidents are replaced one
    for one, and the surplus removed, or added at the end.  None for an
    insertion before the end, which no writer makes.
    """
    positions, old = [], []
    for pos, text in indexed:
        positions.append(pos)
        old.append(text)
    shorter = min(len(old), len(texts))
    first = 0
    while first < shorter and old[first] == texts[first]:
        first += 1
    last = 0  # how many at the end are the same
    while last < shorter - first and old[len(old) - 1 - last] == texts[len(texts) - 1 - last]:
        last += 1
    old_middle = range(first, len(old) - last)
    new_middle = range(first, len(texts) - last)
    change = _Change()
    for before, after in zip(old_middle, new_middle, strict=False):
        if old[before] != texts[after]:
            change.replaced[positions[before]] = texts[after]
    if len(old_middle) > len(new_middle):
        change.removed = [positions[i] for i in old_middle[len(new_middle) :]]
    elif len(new_middle) > len(old_middle):
        if last:
            return None
        following = positions[-1] + 1 if positions else 0
        extra = new_middle[len(old_middle) :]
        change.added = {following + n: texts[i] for n, i in enumerate(extra)}
    return change
