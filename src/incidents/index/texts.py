"""Where an index finds its incidents' texts: in the store file itself.

An index keeps, for each incident, where its text lies in the store (byte
offset and size), not a copy of it: the index is a fraction of the store's
size and quicker to write.  The texts are read, when printed, from the very
file the index was checked against: a descriptor opened before the check,
so that a store replaced in the meantime (a writer renames its new file
over the old one) is still read as the index describes it.  A store
rewritten in place while it is read (an editor saving over it) is noticed,
and the question is given up (``StoreChanging``) rather than answered from
bytes of neither version.

Each connection to an index sees its texts through a view named
``details``, as a sqlite store has them, so that SQL written for one reads
the other alike.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from incidents.index.state import Identity, StoreChanging


class StoreTexts:
    """The bytes an index's offsets point into: an open store file, checked
    to be the one the index describes, or the store's bytes in memory (a
    store read from a pipe, or an index built in memory)."""

    def __init__(self, name: str, descriptor: int | None = None, data: bytes | None = None) -> None:
        self.name = name
        self._data = data
        # Held as a file object, so that it is closed when no index needs it.
        self._file = os.fdopen(descriptor, "rb", buffering=0) if descriptor is not None else None
        self._identity = Identity.of_descriptor(descriptor) if descriptor is not None else None

    @classmethod
    def open(cls, path: os.PathLike[str] | str) -> StoreTexts:
        """The store at ``path``, opened for reading; OSError when it cannot be."""
        return cls(str(path), descriptor=os.open(path, os.O_RDONLY | os.O_CLOEXEC))

    @property
    def descriptor(self) -> int | None:
        return None if self._file is None or self._file.closed else self._file.fileno()

    @property
    def identity(self) -> Identity | None:
        return self._identity

    def read(self, start: int, size: int) -> bytes:
        if self._data is not None:
            return self._data[start : start + size]
        descriptor = self.descriptor
        assert descriptor is not None
        raw = os.pread(descriptor, size, start)
        known = None if self._identity is None else self._identity.content()
        if len(raw) != size or Identity.of_descriptor(descriptor).content() != known:
            raise StoreChanging(f"{self.name}: the store changed while it was read; try again")
        return raw

    def text(self, start: int, size: int) -> str:
        return self.read(start, size).decode("utf-8")

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()


def attach(connection: sqlite3.Connection, texts: StoreTexts) -> None:
    """Let SQL on this connection read the index's texts as ``details``
    (pos, json, csv), as in a sqlite store; an update of ``csv`` is kept."""

    def store_text(start: int | None, size: int | None) -> str | None:
        if start is None or size is None:
            return None
        return texts.text(start, size)

    connection.create_function("store_text", 2, store_text)
    connection.execute("DROP VIEW IF EXISTS temp.details")
    connection.execute(
        "CREATE TEMP VIEW details (pos, json, csv) AS "
        "SELECT pos, coalesce(json, store_text(start, size)), csv FROM main.texts"
    )
    connection.execute(
        "CREATE TEMP TRIGGER details_csv INSTEAD OF UPDATE OF csv ON details "
        "BEGIN UPDATE texts SET csv = NEW.csv WHERE pos = NEW.pos; END"
    )


def compact(text: str) -> str:
    """An incident's JSON text without the spaces between its tokens, as a
    sqlite store keeps it (a quarter smaller)."""
    import msgspec  # not for a question: loaded by what writes texts

    return msgspec.json.format(text, indent=-1)


def indented(text: str) -> str:
    """An incident's text as a store file lays it out, from its compact text:
    the very bytes ``store.stored_json`` writes (tokens are kept as they are,
    and laid out as ``json.dumps(indent=2)`` lays them out)."""
    import msgspec

    return msgspec.json.format(text, indent=2).replace("\n", "\n    ")


def texts_at(
    connection: sqlite3.Connection,
    texts: StoreTexts | None,
    positions: Sequence[int],
    laid_out: bool = True,
) -> Iterator[str]:
    """The JSON texts of the incidents at these positions, in the order given;
    a sqlite store's as it keeps them (compact, not checked: ``text_data``)
    unless ``laid_out``."""
    step = 500
    for first in range(0, len(positions), step):
        chunk = positions[first : first + step]
        marks = ", ".join("?" for _ in chunk)
        if texts is None:
            query = f"SELECT pos, json FROM details WHERE pos IN ({marks})"
            found = {
                pos: _laid_out(connection, pos, text) if laid_out else text
                for pos, text in connection.execute(query, chunk)
            }
        else:
            query = f"SELECT pos, json, start, size FROM main.texts WHERE pos IN ({marks})"
            found = {
                pos: text if text is not None else texts.text(start, size)
                for pos, text, start, size in connection.execute(query, chunk)
            }
        for pos in chunk:
            yield found[pos]


def _laid_out(connection: sqlite3.Connection, pos: int, text: str) -> str:
    """``indented``, or the error that names a sqlite store's incident whose
    stored text is not JSON (a store changed by another tool)."""
    import msgspec

    try:
        return indented(text)
    except (msgspec.DecodeError, TypeError) as error:
        raise _unreadable(connection, pos, error) from None


def text_data(connection: sqlite3.Connection, pos: int, text: str) -> Any:
    """An incident's text (from ``texts_at``) as Python data, as ``json.loads``
    makes it; the error ``_laid_out`` raises when it is not JSON."""
    import msgspec

    from incidents.index.decoding import decode_json

    try:
        return decode_json(text)
    except (msgspec.DecodeError, TypeError) as error:
        raise _unreadable(connection, pos, error) from None


def _unreadable(connection: sqlite3.Connection, pos: int, error: Exception) -> Exception:
    from incidents.index.schema import database_file
    from incidents.store import Problem, StoreError

    message = f"its stored JSON cannot be read (expected an incident's JSON text: {error})"
    name = database_file(connection) or "the store"
    return StoreError([Problem(name, message, index=pos)])


def spans_of(connection: sqlite3.Connection) -> Iterable[tuple[Any, ...]]:
    """(pos, start, size, digest) of every incident of an index, in store order."""
    return connection.execute("SELECT pos, start, size, digest FROM main.texts ORDER BY pos")
