"""One incident added, changed or removed through the store's index, by a
writer that holds the store's lock.

The index has validated every incident of the store and knows where each
lies: a writer need not read, validate and write 200,000 incidents to change
one.  It looks up what it needs (the incident, the ids, the likely twins),
validates the one incident (``editing``), and writes the change: into a
JSON store by ``splicing`` (byte for byte what a full rewrite gives), into
a sqlite store as the incident's rows, in one transaction.  The index of a
JSON store is then brought up to date row by row, still under the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.index.build import layout_meta
from incidents.index.queries import StoreIndex, update_search
from incidents.index.rows import delete_positions, digest, insert_spans, insert_texts
from incidents.index.schema import SQLITE_SUFFIXES, read_meta, set_meta
from incidents.index.splicing import Row, Splice, joined, splice, write_pieces
from incidents.index.state import StoreState
from incidents.index.texts import StoreTexts, attach, texts_at

if TYPE_CHECKING:
    from incidents.model import Incident


@dataclass(frozen=True)
class Located:
    """An incident of the store: its position in the index, its place among
    the store's incidents, the incident and its text."""

    pos: int
    ordinal: int
    incident: Incident
    text: str


@dataclass(frozen=True)
class OneChange:
    """The incident at ``pos`` replaced by ``text``, or removed (no text); or a
    new one added at the end (no position)."""

    pos: int | None
    text: str | None


class IndexedStore:
    """A store as a writer sees it through its index (a JSON store's, or a
    sqlite store, its own)."""

    def __init__(self, path: Path, index: StoreIndex) -> None:
        self.path = path
        self.index = index
        self.connection = index.connection
        self.meta = read_meta(self.connection)

    def close(self) -> None:
        self.index.close()

    @property
    def sqlite(self) -> bool:
        return self.meta.get("kind") == "store"

    @property
    def schema_url(self) -> str | None:
        """A JSON store's $schema (a sqlite store keeps one only for its way
        back to JSON: ``converting``)."""
        if self.sqlite:
            return None
        found = json.loads(self.meta.get("schema_url", "null"))
        return found if isinstance(found, str) else None

    def checked_for(self, today: date) -> bool:
        """Whether every incident was checked on ``today`` or before: the only
        check that depends on the day (no date in the future) is passed more
        easily as days go by, not less."""
        return self.meta.get("checked_on", "") <= today.isoformat()

    def count(self) -> int:
        return self.index.count()

    def at(self, pos: int) -> Located:
        from incidents.model import Incident

        text = next(texts_at(self.connection, self.index.texts, [pos]))
        before = self.connection.execute("SELECT count(*) FROM facts WHERE pos < ?", (pos,))
        return Located(pos, before.fetchone()[0], Incident.model_validate_json(text), text)

    def find(self, incident_id: str) -> Located:
        """The first incident with this id; QueryError naming the closest ids."""
        from incidents.query import suggestion_prefix, unknown_id

        found = "SELECT pos FROM facts WHERE id = ? ORDER BY pos LIMIT 1"
        row = self.connection.execute(found, (incident_id,)).fetchone()
        if row is not None:
            return self.at(row[0])
        prefix = suggestion_prefix(incident_id)
        candidates = self.connection.execute(
            "SELECT id FROM facts WHERE substr(id, 1, ?) = ? OR instr(id, ?) > 0 ORDER BY pos",
            (len(prefix), prefix, incident_id),
        )
        raise unknown_id(incident_id, [r[0] for r in candidates])

    def holder(self, incident_id: str, besides: int | None) -> Located | None:
        """Another incident with this id, if any."""
        found = "SELECT pos FROM facts WHERE id = ? AND pos IS NOT ? ORDER BY pos LIMIT 1"
        row = self.connection.execute(found, (incident_id, besides)).fetchone()
        return None if row is None else self.at(row[0])

    def ids_starting(self, prefix: str) -> list[str]:
        query = "SELECT id FROM facts WHERE id >= ? AND id < ?"
        return [r[0] for r in self.connection.execute(query, (prefix, prefix + "\U0010ffff"))]

    def twin_candidates(self, new: Incident) -> list[Incident]:
        """The stored incidents that may be ``new``'s twin, in store order: the
        same target type and country, dates that overlap (``likely_twin``
        tells which is one)."""
        from incidents.model import Incident
        from incidents.vocabulary import place_key

        interval = new.interval
        assert interval.start is not None and interval.end is not None
        rows = self.connection.execute(
            "SELECT pos FROM facts WHERE target_type = ? AND country_key = ? "
            "AND date_start <= ? AND date_end >= ? ORDER BY pos",
            (
                new.target_type.value,
                place_key(new.location.country),
                interval.end.isoformat(),
                interval.start.isoformat(),
            ),
        )
        texts = texts_at(self.connection, self.index.texts, [row[0] for row in rows])
        return [Incident.model_validate_json(text) for text in texts]

    # --- the store before and after -------------------------------------------------

    def documents(self, change: OneChange) -> tuple[str, str]:
        """The store's text now, and after the change (for a dry run's diff)."""
        from incidents.store import store_document

        if not self.sqlite:
            data = _read_all(self._descriptor())
            made = self._splice(change)
            return data.decode("utf-8-sig"), joined(data, made.pieces).decode("utf-8")
        positions = [r[0] for r in self.connection.execute("SELECT pos FROM facts ORDER BY pos")]
        texts = list(texts_at(self.connection, self.index.texts, positions))
        before = "".join(store_document(texts, self.schema_url))
        if change.pos is None:
            texts.append(change.text or "")
        else:
            at = positions.index(change.pos)
            texts[at : at + 1] = [] if change.text is None else [change.text]
        return before, "".join(store_document(texts, self.schema_url))

    def _descriptor(self) -> int:
        texts = self.index.texts
        assert texts is not None and texts.descriptor is not None
        return texts.descriptor

    # --- writing --------------------------------------------------------------------

    def write(self, change: OneChange, notes: list[str]) -> None:
        """Write the change to the store and bring the index up to date."""
        if self.sqlite:
            self._write_sqlite(change)
            return
        from incidents.files import atomic_descriptor
        from incidents.index.state import settled_state

        made = self._splice(change)
        with atomic_descriptor(self.path, notes) as descriptor:
            write_pieces(self._descriptor(), descriptor, made.pieces)
        try:
            self._update_index(change, made, settled_state(self.path))
        except (sqlite3.Error, OSError, ValueError) as error:
            self._forget_index(error)

    def _write_sqlite(self, change: OneChange) -> None:
        from incidents.index.sqlite_store import store_transaction

        with store_transaction(self.connection, self.path):
            pos = self._position_for(change)
            delete_positions(self.connection, [pos])
            if change.text is not None:
                insert_texts(self.connection, [change.text], with_csv=True, positions=[pos])

    def _position_for(self, change: OneChange) -> int:
        if change.pos is not None:
            return change.pos
        last = self.connection.execute("SELECT max(pos) FROM facts").fetchone()[0]
        return 0 if last is None else last + 1

    def _splice(self, change: OneChange) -> Splice:
        """The JSON store after the change, as pieces."""
        rows = self._rows(change)
        closing = None
        left = self.count() + (change.pos is None) - (change.text is None)
        if self.meta.get("canonical") == "1" and left and self.count():
            # What follows the incidents (the links) is as this tool writes it.
            ends = self.connection.execute("SELECT max(start + size) FROM texts").fetchone()
            assert self.index.texts is not None and self.index.texts.identity is not None
            closing = (ends[0], self.index.texts.identity.size)
            return splice(rows, change.pos, change.text, self.schema_url, closing)
        return splice(rows, change.pos, change.text, self.schema_url, None, self.link_texts())

    def link_texts(self) -> list[str]:
        """The store's links, as this tool writes them."""
        from incidents.index.links import read_links
        from incidents.store import link_texts

        return list(link_texts(read_links(self.connection)))

    def names_linked(self, key: str) -> bool:
        """Whether a link names this record (an incident id, or dataset:id)."""
        from incidents.index.links import read_link_rows

        return bool(read_link_rows(self.connection, key))

    def _rows(self, change: OneChange) -> list[Row]:
        """(pos, start, size, text) of the store's incidents, in order, with a
        place for a new one at the end (pos None).  In a store written as this
        tool writes it, the untouched incidents before and after the change
        are each one run of the file."""
        rows: list[Row]
        if self.meta.get("canonical") != "1":
            query = "SELECT pos, start, size, json FROM texts ORDER BY pos"
            rows = self.connection.execute(query).fetchall()
        else:
            rows = self._runs(change.pos)
        if change.pos is None:
            rows.append((None, None, None, None))
        return rows

    def _runs(self, pos: int | None) -> list[Row]:
        edges = "SELECT min(pos), max(pos), min(start), max(start + size) FROM texts"
        first, last, start, end = self.connection.execute(edges).fetchone()
        if first is None:
            return []
        if pos is None:
            return [(-1 - first, start, end - start, None)]
        span = "SELECT start, size FROM texts WHERE pos = ?"
        at, size = self.connection.execute(span, (pos,)).fetchone()
        rows: list[Row] = []
        if pos != first:
            rows.append((-1 - first, start, at - 6 - start, None))
        rows.append((pos, at, size, None))
        if pos != last:
            after = self.connection.execute(
                "SELECT min(pos) FROM texts WHERE pos > ?", (pos,)
            ).fetchone()[0]
            rows.append((-1 - after, at + size + 6, end - at - size - 6, None))
        return rows

    def _update_index(self, change: OneChange, made: Splice, state: StoreState | None) -> None:
        from incidents.index.state import read_open_store

        if state is None:  # the clock could not be seen to tick: the store is read to be known
            _, state, descriptor = read_open_store(self.path)
            if descriptor is not None:
                os.close(descriptor)
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        going = [] if change.pos is None else [change.pos]
        fts = self.meta.get("fts") == "1"
        if fts and going:
            update_search(connection, going, delete=True)  # told the old text, still open
        pos = self._position_for(change)
        delete_positions(connection, going)
        for first, old_start, new_start in made.runs:
            if old_start != new_start:
                connection.execute(
                    "UPDATE texts SET start = start + ? WHERE pos >= ? AND pos IS NOT ?",
                    (new_start - old_start, first, change.pos),
                )
        connection.executemany(
            "UPDATE texts SET start = ?, size = ?, digest = ?, json = NULL WHERE pos = ?",
            [
                (start, size, digest(data), moved)
                for moved, start, size, data in made.moved
                if moved != change.pos and data is not None
            ],
        )
        connection.executemany(
            "UPDATE texts SET start = ? WHERE pos = ?",
            [(start, moved) for moved, start, _, data in made.moved if data is None],
        )
        if change.text is not None:
            _, start, _, data = next(m for m in made.moved if m[0] == change.pos)
            assert data is not None
            insert_spans(connection, data, [(0, len(data))], positions=[pos], at=start)
        texts = StoreTexts.open(self.path)
        if texts.identity != state.identity:
            texts.close()
            raise OSError("the store changed while its index was brought up to date")
        old, self.index.texts = self.index.texts, texts
        if old is not None:
            old.close()
        attach(connection, texts)
        if fts and change.text is not None:
            update_search(connection, [pos], delete=False)
        set_meta(
            connection,
            {
                **state.as_meta(),
                "count": str(self.index.count()),
                **layout_meta(self.schema_url, True),
                "checked_on": max(self.meta.get("checked_on", ""), date.today().isoformat()),
            },
        )
        connection.commit()

    def _forget_index(self, error: BaseException) -> None:
        """The index could not be brought up to date: it is removed, never left
        to describe the store as it was."""
        from incidents.index.freshness import index_path_for

        with contextlib.suppress(sqlite3.Error):
            if self.connection.in_transaction:
                self.connection.rollback()
        with contextlib.suppress(FileNotFoundError):
            index_path_for(self.path).unlink()


def _read_all(descriptor: int) -> bytes:
    chunks, offset = [], 0
    while piece := os.pread(descriptor, 1 << 20, offset):
        chunks.append(piece)
        offset += len(piece)
    return b"".join(chunks)


@contextlib.contextmanager
def indexed_store(path: Path) -> Iterator[IndexedStore | None]:
    """The store's index, built or brought up to date as needed; None when the
    store is not valid or no index can be kept for it (a writer then reads
    the store whole, and says what is wrong with it)."""
    from incidents.index.freshness import IndexUnwritable, open_index
    from incidents.index.sqlite_store import open_sqlite_store
    from incidents.store import StoreError

    store = None
    try:
        if path.suffix.lower() in SQLITE_SUFFIXES:
            store = IndexedStore(path, open_sqlite_store(path, writing=True))
        elif path.is_file():
            store = IndexedStore(path, open_index(path))
    except (StoreError, IndexUnwritable):
        store = None
    try:
        yield store
    finally:
        if store is not None:
            store.close()
