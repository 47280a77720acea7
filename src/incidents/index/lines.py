"""The lines of the CSV export that an export made, kept for the next one.

An index is given its incidents without their CSV lines (a build or a
write need not pay for them; a sqlite store makes each line as it is
written, so it lacks only those another tool cleared); the first export
that needs a line makes it (``StoreIndex.csv_lines``), and keeps it here.
The lines are gathered as they are made in a table of the connection's
own temporary database (an export of millions holds none of
them in memory, and takes no lock meanwhile), and written into the store
at the end, in one short transaction, in the order of the incidents (each
page of the store is written once, not once for every few thousand lines).

They are kept only if nothing else has written the store or index since
the export began to read it: a line made from an incident that has changed
since is never kept.  Nor where the store cannot be written now (a
read-only store, another process writing it): the export then neither
waits nor fails, and the next one makes its lines again.
"""

from __future__ import annotations

import contextlib
import sqlite3

from incidents.index.schema import busy_timeout

_GATHERED = "temp.lines_made"
# How many lines are gathered at once (each time, an insert into the temporary table).
_AT_ONCE = 1000


class LinesKept:
    """The lines made by one export, kept in ``table`` (``main.frames`` of
    a packed store, whose lines are packed as they are gathered:
    ``packing.pack``; ``main.texts`` of an index; ``main.details`` of a
    store of schema 9)."""

    def __init__(self, connection: sqlite3.Connection, table: str, packed: bool) -> None:
        self.connection = connection
        self.table = table
        self.version = self._data_version()  # before the export reads anything
        self.line = "pack(?)" if packed else "?"
        self.made: list[tuple[int, str]] = []  # (pos, line)
        self.gathered = 0
        self.open = not connection.in_transaction  # another's, not to be ended here

    def _data_version(self) -> int:
        # Changes when another connection has committed a change since this one last looked.
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def add(self, pos: int, line: str) -> None:
        self.made.append((pos, line))
        if len(self.made) >= _AT_ONCE:
            self._gather()

    def _gather(self) -> None:
        if not self.made or not self.open:
            self.made = []
            return
        connection = self.connection
        try:
            if not self.gathered:
                connection.execute(
                    f"CREATE TABLE IF NOT EXISTS {_GATHERED} (pos INTEGER PRIMARY KEY, csv)"
                )
                connection.execute(f"DELETE FROM {_GATHERED}")
            connection.executemany(
                f"INSERT OR REPLACE INTO {_GATHERED} (pos, csv) VALUES (?, {self.line})",
                self.made,
            )
            connection.commit()  # of the temporary database alone
            self.gathered += len(self.made)
        except sqlite3.OperationalError:  # no room for temporary files: nothing kept
            if connection.in_transaction:
                connection.rollback()
            self.open, self.gathered = False, 0
        self.made = []

    def keep(self) -> None:
        """Write the lines gathered into the store, if it may be written now."""
        connection = self.connection
        self._gather()
        if not self.gathered or not self.open or connection.in_transaction:
            return
        # A writer may be busy for minutes: no waiting for it.
        with contextlib.suppress(sqlite3.OperationalError), busy_timeout(connection, 100):
            connection.execute("BEGIN IMMEDIATE")
            try:
                if self._data_version() == self.version:
                    connection.execute(
                        f"UPDATE {self.table} SET csv = (SELECT made.csv FROM {_GATHERED} "
                        f"AS made WHERE made.pos = {self.table}.pos) "
                        f"WHERE pos IN (SELECT pos FROM {_GATHERED})"
                    )
                    connection.commit()
            finally:
                if connection.in_transaction:
                    connection.rollback()
            # Folded into the store file at once, as a writer's change is
            # (``schema.settle``), if no reader holds the log.
            connection.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")
        with contextlib.suppress(sqlite3.OperationalError):
            connection.execute(f"DROP TABLE IF EXISTS {_GATHERED}")
        self.gathered = 0
