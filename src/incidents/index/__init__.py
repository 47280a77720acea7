"""A derived SQLite index of a store: filters and totals as SQL.

The JSON store stays the source of truth.  Beside it, in the user's cache
directory, an index holds one row per incident with the columns that every
filter, sort and total needs, and, apart, where its JSON text lies in the
store file (not a copy of it) and its line of the CSV export.  Python
objects are built only for what is printed, and the warm path never loads
pydantic.  A store file ending in ``.sqlite`` is itself an index-shaped
store (for data sets of millions of incidents), which holds the texts.

What lives where:
- ``schema``: the tables, the schema version, small SQLite helpers.
- ``decoding``: only the indexed fields of an incident's JSON, typed (msgspec).
- ``rows``: one incident's rows, from its JSON text; inserting them.
- ``texts``: reading an index's texts from the store file it describes.
- ``validation``: the model and the checks over a store's incidents, on both cores.
- ``build``: building an index from a JSON store, validated beside.
- ``refresh``: an index brought up to a store that changed a little, in place.
- ``state``: what a store file was when read (identity, times, hash), and
  whether it still is.
- ``freshness``: the cache directory, whether an index is fresh, ``open_index``
  (and ``open_memory_index``, the same index built in memory for --no-index).
- ``updating``: ``kept_up`` and ``after_write``, which writers call under the
  store's lock.
- ``writing``, ``splicing``: one incident added, changed or removed through
  the index, the JSON store written anew from its old bytes and one text.
- ``queries``: ``StoreIndex``: what every reading command asks, as SQL;
  ``filtering`` (the filters), ``grouping`` (totals and cross-tables) and
  ``describing`` (``stats``) write it.
- ``packing``: a sqlite store's texts as zstd frames, with the dictionary it
  learnt, read and written through its view ``details``.
- ``sqlite_store``: ``.sqlite`` stores: open, write whole, change in place,
  merge an import; ``store_file`` picks how a store of either kind is written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incidents.index.freshness import (
        IndexUnwritable,
        cache_directory,
        index_path_for,
        open_index,
        open_memory_index,
    )
    from incidents.index.queries import StoreIndex
    from incidents.index.schema import SCHEMA_VERSION, SQLITE_SUFFIXES
    from incidents.index.sqlite_store import (
        SqliteStoreFile,
        SqliteStoreImport,
        open_sqlite_store,
        store_file,
        write_sqlite_store,
    )
    from incidents.index.updating import after_write, kept_up

# Where each name lives: the package imports a module when one of its names is
# first asked for, so that a warm question does not load what builds indexes
# or writes stores (msgspec, the row builders).
_HOMES = {
    "IndexUnwritable": "freshness",
    "cache_directory": "freshness",
    "index_path_for": "freshness",
    "open_index": "freshness",
    "open_memory_index": "freshness",
    "StoreIndex": "queries",
    "SCHEMA_VERSION": "schema",
    "SQLITE_SUFFIXES": "schema",
    "SqliteStoreFile": "sqlite_store",
    "SqliteStoreImport": "sqlite_store",
    "open_sqlite_store": "sqlite_store",
    "store_file": "sqlite_store",
    "write_sqlite_store": "sqlite_store",
    "after_write": "updating",
    "kept_up": "updating",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "SCHEMA_VERSION",
    "SQLITE_SUFFIXES",
    "IndexUnwritable",
    "SqliteStoreFile",
    "SqliteStoreImport",
    "StoreIndex",
    "after_write",
    "cache_directory",
    "index_path_for",
    "kept_up",
    "open_index",
    "open_memory_index",
    "open_sqlite_store",
    "store_file",
    "write_sqlite_store",
]
