"""A derived SQLite index of a store: filters and totals as SQL.

The JSON store stays the source of truth.  Beside it, in the user's cache
directory, an index holds one row per incident with the columns that every
filter, sort and total needs, and, apart, its JSON text and its line of the
CSV export.  Python objects are built only for what is printed, and the warm
path never loads pydantic.  A store file ending in ``.sqlite`` is itself an
index-shaped store (for data sets of millions of incidents).

What lives where:
- ``schema``: the tables, the schema version, small SQLite helpers.
- ``rows``: one incident's rows, from its JSON data; inserting them.
- ``build``: building an index from a JSON store, validated in a second process.
- ``state``: what a store file was when read (identity, times, hash), and
  whether it still is.
- ``freshness``: the cache directory, whether an index is fresh, ``open_index``
  (and ``open_memory_index``, the same index built in memory for --no-index).
- ``updating``: ``after_write``, which writers call under the store's lock.
- ``queries``: ``StoreIndex``: what every reading command asks, as SQL;
  ``filtering`` (the filters), ``grouping`` (totals and cross-tables) and
  ``describing`` (``stats``) write it.
- ``sqlite_store``: ``.sqlite`` stores: open, write whole, change in place,
  merge an import; ``store_file`` picks how a store of either kind is written.
"""

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
from incidents.index.updating import after_write

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
    "open_index",
    "open_memory_index",
    "open_sqlite_store",
    "store_file",
    "write_sqlite_store",
]
