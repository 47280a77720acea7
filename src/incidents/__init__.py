"""incidents: look up terrorist and political violence incidents.

What lives where, lower floors first (a module imports only from its own
floor or below):
- ``categories``, ``dates``, ``periods``, ``vocabulary``, ``countries``,
  ``country_boxes``, ``certainty``, ``model``: the codebook, partial dates,
  the periods they fall in, words and place names, country names and ISO
  codes (pycountry), rough country boxes, the data sets' own certainty codes
  and one scale of place precision, the pydantic model; no I/O.
- ``records``, ``parsing``, ``store``, ``locking``, ``schema``: flat rows,
  typed values, reading and writing store files; ``temporary``, ``files``,
  ``store_files``: temporary files cleaned up after any writer, files replaced
  whole or written as streams, stores as writers see them.
- ``locations``, ``groups``, ``totals``, ``query``, ``stats``, ``unmatched``,
  ``checks``, ``timeline``, ``editing``: what a --location names, one group
  for one actor or place, what totals hold, the questions every reading
  command asks (filters, orders, groupings), what a store holds, names asked
  for that the store lacks, checks beyond the model, periods from first to
  last, changes to a store.
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
