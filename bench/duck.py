"""Run one SQL statement with DuckDB on a database file, printing any rows.

    python bench/duck.py DATABASE SQL

The benchmark's DuckDB peer: a process of its own, as `incidents` is.
"""

from __future__ import annotations

import sys

import duckdb


def main() -> int:
    database, sql = sys.argv[1], sys.argv[2]
    connection = duckdb.connect(database)
    result = connection.sql(sql)
    if result is not None:
        for row in result.fetchall():
            print(*row, sep="\t")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
