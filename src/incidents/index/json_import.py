"""A new JSON store written as its incidents come, and its index with them:
an import into a store that does not exist yet, or a sqlite store converted.

Each incident is written to the store's temporary file as it comes, in this
tool's layout, and its rows go to the index being built beside, with where
it lies in the file.  Nothing is held in memory but the ids, and the first
question after finds the index ready.  The incidents come validated (the
model, and the checks of one incident: ``importers``, ``converting``).
``commit`` renames the store into place, then its index; ``abort`` leaves
nothing behind.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.index.build import ids_unique, layout_meta, new_database, store_head, store_tail
from incidents.index.decoding import decode_indexed
from incidents.index.rows import Batches, digest, incident_rows
from incidents.index.schema import CHUNK, SCHEMA_VERSION, set_meta
from incidents.index.sqlite_store import with_free_id

if TYPE_CHECKING:
    from incidents.importers.mapping import Mapped
    from incidents.model import Incident, Link

_SEPARATOR = b",\n    "


# An incident's rows in the index (made at position 0): its facts, aliases,
# sites and origins; and the digest of its bytes.  Flat, as the forked
# process of an import sends it: a tuple of tuples pickles fast.
Rows = list[tuple[Any, ...]]
PreparedText = tuple[tuple[Any, ...], Rows, Rows, Rows, bytes]


def prepared_text(text: bytes) -> PreparedText:
    """What ``NewJsonStore.write`` makes of an incident's text before it
    writes it: the part an import's forked process can do."""
    made = incident_rows(0, decode_indexed(text))
    return made["facts"][0], made["aliases"], made["sites"], made["origins"], digest(text)


class NewJsonStore:
    """A new JSON store written an incident at a time, in this tool's layout,
    with its index; ``commit`` renames both into place, ``abort`` removes them.

    The incidents' texts must be as this tool writes them, and valid (the
    model, and the checks of one incident): the index takes them as they are.
    """

    def __init__(self, path: Path, schema_url: str | None, notes: list[str]) -> None:
        from incidents.files import atomic_descriptor, current_umask
        from incidents.index.freshness import IndexUnwritable, index_path_for, prepare_cache

        self.path = path
        self.schema_url = schema_url
        self.count = 0
        self._writing: Any = atomic_descriptor(path, notes)
        self._descriptor: int = self._writing.__enter__()
        head = store_head(schema_url).encode("utf-8")
        self._at = len(head)
        self._pending: list[bytes] = [head]
        self._indexing: Any = None
        try:
            index_path = index_path_for(path)
            prepare_cache(index_path)
            # No more readable than the store will be (``build_index``).
            mode = 0o600 | (0o044 & ~current_umask())
            self._indexing = new_database(index_path, mode, stale_prefix=".")
            self._batches = Batches(self._indexing.__enter__())
        except (OSError, sqlite3.Error, IndexUnwritable):
            self._indexing = None  # the first question builds it

    def write(self, text: bytes) -> None:
        """Add an incident's text (``store.stored_json``, encoded)."""
        self.write_prepared(text, prepared_text(text) if self._indexing is not None else None)

    def write_prepared(self, text: bytes, prepared: PreparedText | None) -> None:
        """``write`` of a text made ready by ``prepared_text`` (elsewhere; None
        for a store without an index)."""
        if self.count:
            self._pending.append(_SEPARATOR)
            self._at += len(_SEPARATOR)
        else:
            self._pending.append(b"\n    ")
            self._at += 5
        self._pending.append(text)
        if self._indexing is not None and prepared is not None:
            facts, aliases, sites, origins, known = prepared
            pos, rows = self.count, self._batches.rows
            rows["facts"].append((pos, *facts[1:]))
            for table, made in (("aliases", aliases), ("sites", sites), ("origins", origins)):
                if made:
                    rows[table].extend([(pos, *row[1:]) for row in made])
            rows["texts"].append((pos, self._at, len(text), known, None, None))
        self._at += len(text)
        self.count += 1
        if self.count % CHUNK == 0:
            self._flush()

    def _flush(self) -> None:
        from incidents.files import write_all

        write_all(self._descriptor, b"".join(self._pending))
        self._pending.clear()
        if self._indexing is not None:
            self._batches.flush()

    def ids_unique(self) -> bool:
        """Whether no two incidents written share an id (known from the index)."""
        if self._indexing is None:
            return True
        self._flush()
        return ids_unique(self._batches.connection)

    def commit(self, links: Sequence[Link] = ()) -> None:
        """Write what follows the incidents (the store's ``links``, if any), and
        rename the store and its index into place."""
        from incidents.index.links import link_rows, write_links
        from incidents.index.state import read_store, settled_state
        from incidents.store import link_texts

        closing = store_tail(list(link_texts(links)), empty=not self.count)
        self._pending.append(closing.encode("utf-8"))
        self._flush()
        if self._indexing is not None and links:
            write_links(self._batches.connection, link_rows(links))
        self._writing.__exit__(None, None, None)
        if self._indexing is None:
            return
        try:
            state = settled_state(self.path) or read_store(self.path)[1]
            set_meta(
                self._batches.connection,
                {
                    "kind": "index",
                    "schema": SCHEMA_VERSION,
                    "store": str(self.path.resolve()),
                    **state.as_meta(),
                    "count": str(self.count),
                    "fts": "0",
                    **layout_meta(self.schema_url, True),
                    "checked_on": date.today().isoformat(),
                },
            )
        except BaseException as error:
            self._indexing.__exit__(type(error), error, None)
            if isinstance(error, (OSError, sqlite3.Error)):
                return  # the store is written; the first question builds its index
            raise
        self._indexing.__exit__(None, None, None)

    def abort(self) -> None:
        stop = KeyboardInterrupt()
        with contextlib.suppress(KeyboardInterrupt):
            self._writing.__exit__(KeyboardInterrupt, stop, None)
        if self._indexing is not None:
            with contextlib.suppress(KeyboardInterrupt):
                self._indexing.__exit__(KeyboardInterrupt, stop, None)


class JsonStoreImport(NewJsonStore):
    """The ``importers.Merge`` of a JSON store that does not exist yet."""

    def __init__(self, path: Path, dataset: str, notes: list[str]) -> None:
        super().__init__(path, None, notes)
        self.dataset = dataset
        self.incidents: list[Incident] = []  # never filled: the texts go to the file
        self.ids: set[str] = set()

    def add(self, incident: Incident) -> str:
        from incidents.store import stored_json

        if incident.origin is None:
            raise ValueError("an imported incident needs its origin")
        incident = with_free_id(incident, self.ids)
        self.ids.add(incident.id)
        self.write(stored_json(incident).encode("utf-8"))
        return "added"

    def add_text(self, mapped: Mapped) -> str | None:
        """``add`` for an incident mapped elsewhere (``importers.mapping``), from
        its text; None when its id is taken (``add`` then numbers it)."""
        if mapped.incident_id in self.ids:
            return None
        self.ids.add(mapped.incident_id)
        if mapped.prepared is not None:
            self.write_prepared(mapped.text.encode("utf-8"), mapped.prepared)
        else:
            self.write(mapped.text.encode("utf-8"))
        return "added"

    @staticmethod
    def prepare(text: str) -> PreparedText:
        """What ``add_text`` writes of an incident's text, made beforehand."""
        return prepared_text(text.encode("utf-8"))
