"""incidents: look up terrorist and political violence incidents.

What lives where, lower floors first (a module imports only from its own
floor or below):
- ``categories``, ``dates``, ``vocabulary``, ``countries``, ``country_boxes``,
  ``model``: the codebook, partial dates, words and place names, country
  names and ISO codes (pycountry), rough country boxes, the pydantic model;
  no I/O.
- ``records``, ``parsing``, ``store``, ``locking``, ``schema``: flat rows,
  typed values, reading and writing store files; ``temporary``, ``files``,
  ``store_files``: temporary files cleaned up after any writer, files replaced
  whole or written as streams, stores as writers see them.
- ``locations``, ``groups``, ``query``, ``unmatched``, ``checks``,
  ``timeline``, ``editing``: what a --location names, one group for one
  actor or place, filters and totals in memory, names asked for that the
  store lacks, checks beyond the model, changes to a store.
- ``index/`` (the SQLite index and ``.sqlite`` stores), ``importers/`` (GTD,
  ACLED, UCDP GED), ``formats/`` (one module per output format).
- ``cli/``: click, the only package that imports it.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    # Looked up on demand: importlib.metadata costs tens of milliseconds at
    # start-up, and most commands never ask for the version.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("incidents")
        except PackageNotFoundError:  # a source tree that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")
