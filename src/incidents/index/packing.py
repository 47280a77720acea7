"""A sqlite store's texts, compressed: each incident's JSON and CSV line kept
as a zstd frame, with a dictionary the store learnt from its own incidents.

An incident's JSON is a few kilobytes that say the same things as its
neighbours' (the field names, the data set's words, its sources): alone,
zlib or zstd make it only half as big, but with a dictionary of what
incidents have in common, zstd makes the JSON five or six times smaller and
the CSV line four times, at a few microseconds an incident either way.

The frames are in the table ``frames`` (pos, json, csv).  Each connection
to the store sees them through a view named ``details`` (pos, json, csv),
as text, and writes through it (``use_frames``): every statement written
for a store's ``details`` (or an index's, which is a view of its own:
``texts.attach``) reads and writes a packed store alike, and only here is a
text packed or unpacked.

The dictionary is learnt once, from the first batch of at least
``LEARN_FROM`` incidents that a store without one is given (an import, a
convert or a whole write insert them ``CHUNK`` at a time), and kept in the
store (table ``dictionary``), which stays whole in one file.  Frames
written before it (a store that grew by a few incidents at a time) have no
dictionary, and are read as they are: each frame says whether it needs the
dictionary.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import zstandard

FRAME_COLUMNS = (
    ("pos", "INTEGER PRIMARY KEY"),
    ("json", "BLOB NOT NULL"),  # the compact JSON (``texts.compact``), packed
    ("csv", "BLOB"),  # its line of the CSV export, packed
)
DICTIONARY_COLUMNS = (("id", "INTEGER PRIMARY KEY"), ("data", "BLOB NOT NULL"))

# Fewer incidents than this teach a dictionary too little to be worth its
# 64 KiB; this many (of a batch of up to CHUNK) teach it nearly all that
# 20,000 would, in a quarter of a second.
LEARN_FROM = 1000
_SAMPLES = 2000
DICTIONARY_SIZE = 65536


class Packing:
    """How one store's texts are packed and unpacked (with its dictionary,
    if it has one)."""

    def __init__(self, dictionary: bytes | None, name: str) -> None:
        import zstandard

        self._name = name

        self._plain = zstandard.ZstdDecompressor()
        self._with: zstandard.ZstdDecompressor | None = None
        found: zstandard.ZstdCompressionDict | None = None
        if dictionary is not None:
            found = zstandard.ZstdCompressionDict(dictionary)
            self._with = zstandard.ZstdDecompressor(dict_data=found)
        self._compressor = zstandard.ZstdCompressor(dict_data=found)

    def _learnt_since(self) -> None:
        """The dictionary the store learnt after this connection looked for
        one (an import's first large batch, committed since): once learnt, a
        store's dictionary never changes, so the store's latest is the one."""
        import zstandard

        with contextlib.suppress(sqlite3.Error, OSError):
            store = sqlite3.connect(f"{Path(self._name).resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = store.execute("SELECT data FROM main.dictionary LIMIT 1").fetchone()
            finally:
                store.close()
            if row is not None and isinstance(row[0], bytes):
                found = zstandard.ZstdCompressionDict(row[0])
                self._with = zstandard.ZstdDecompressor(dict_data=found)

    def pack(self, text: str | None) -> bytes | None:
        return None if text is None else self._compressor.compress(text.encode("utf-8"))

    def unpack(self, frame: bytes | str | None, pos: int = -1, column: str = "") -> str | None:
        if not isinstance(frame, bytes):
            return frame  # the text itself, or none
        try:
            # A frame's fifth byte says whether a dictionary made it (bits
            # 0-1: how long its id is): one that none did is read without, as
            # it must be (a dictionary changes how a frame's first bytes are read).
            if frame[4] & 3 and self._with is None:
                self._learnt_since()
            reader = self._with if frame[4] & 3 and self._with is not None else self._plain
            return reader.decompress(frame).decode("utf-8")
        except Exception as error:
            # SQLite says only that a function failed: what failed is kept
            # for the command line to say (``broken_frame``).
            _BROKEN[:] = [
                f"{self._name}: incidents[{pos}], its stored {column}: cannot be read "
                f"(expected a zstd frame of UTF-8 text: {error})"
            ]
            raise


# What the last frame that could not be read was (one line), for ``broken_frame``.
_BROKEN: list[str] = []


def broken_frame(error: BaseException) -> str | None:
    """The line that says which stored text could not be read, when this
    error is SQLite's report of it."""
    if _BROKEN and isinstance(error, sqlite3.OperationalError):
        return _BROKEN[0]
    return None


def create_frames(connection: sqlite3.Connection) -> None:
    """The tables of a packed store's texts (in a new store), and its view."""
    for table, columns in (("frames", FRAME_COLUMNS), ("dictionary", DICTIONARY_COLUMNS)):
        definition = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"CREATE TABLE {table} ({definition})")
    use_frames(connection)


def packed(connection: sqlite3.Connection) -> bool:
    found = "SELECT 1 FROM main.sqlite_master WHERE name = 'frames' AND type = 'table'"
    return connection.execute(found).fetchone() is not None


def use_frames(connection: sqlite3.Connection) -> None:
    """Let SQL on this connection read and write a packed store's texts as
    ``details`` (pos, json, csv); nothing for a store that keeps them as text
    (schema 9), whose ``details`` is a table."""
    if not packed(connection):
        return
    from incidents.index.schema import database_file

    name = database_file(connection) or "the store"
    packing = Packing(_dictionary(connection, name), name)
    connection.create_function("pack", 1, packing.pack, deterministic=True)
    connection.create_function("unpack", 3, packing.unpack, deterministic=True)
    for statement in _VIEW:
        connection.execute(statement)


def _dictionary(connection: sqlite3.Connection, name: str) -> bytes | None:
    """The store's dictionary, if it has learnt one; a store whose dictionary
    another tool changed or removed is refused, naming it."""
    from incidents.store import Problem, StoreError

    try:
        row = connection.execute("SELECT data FROM main.dictionary LIMIT 1").fetchone()
        if row is None:
            return None
        if isinstance(row[0], bytes):  # any bytes can be one: a frame says if they fit
            return row[0]
        problem = f"it is {type(row[0]).__name__}, not bytes"
    except sqlite3.DatabaseError as error:
        problem = str(error)
    message = f"its dictionary of texts cannot be read ({problem}): was it changed by another tool?"
    raise StoreError([Problem(name, message)])


# Inside a trigger, a table is named without its schema: ``frames`` is the
# store's (nothing else has that name).
_VIEW = (
    "DROP VIEW IF EXISTS temp.details",
    "CREATE TEMP VIEW details (pos, json, csv) AS "
    "SELECT pos, unpack(json, pos, 'JSON'), unpack(csv, pos, 'CSV line') FROM main.frames",
    "CREATE TEMP TRIGGER details_insert INSTEAD OF INSERT ON details BEGIN "
    "INSERT INTO frames (pos, json, csv) VALUES (NEW.pos, pack(NEW.json), pack(NEW.csv)); END",
    "CREATE TEMP TRIGGER details_delete INSTEAD OF DELETE ON details BEGIN "
    "DELETE FROM frames WHERE pos = OLD.pos; END",
    "CREATE TEMP TRIGGER details_update INSTEAD OF UPDATE ON details BEGIN "
    "UPDATE frames SET pos = NEW.pos, json = pack(NEW.json), csv = pack(NEW.csv) "
    "WHERE pos = OLD.pos; END",
)


def learn(connection: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Before these rows of ``details`` (pos, json, csv) are inserted: a
    packed store that has no dictionary yet learns one from them, if they
    are enough."""
    if len(rows) < LEARN_FROM or not packed(connection):
        return
    if connection.execute("SELECT 1 FROM main.dictionary").fetchone() is not None:
        return
    dictionary = _trained(rows)
    if dictionary is None:
        return
    connection.execute(
        "INSERT INTO main.dictionary (id, data) VALUES (?, ?)",
        (dictionary.dict_id(), dictionary.as_bytes()),
    )
    use_frames(connection)


def _trained(rows: Sequence[tuple[Any, ...]]) -> zstandard.ZstdCompressionDict | None:
    import zstandard

    step = max(1, len(rows) // _SAMPLES)
    chosen = rows[::step]
    samples = [text.encode("utf-8") for _, *texts in chosen for text in texts if text]
    try:
        return zstandard.train_dictionary(DICTIONARY_SIZE, samples)
    except zstandard.ZstdError:  # too little to learn from: frames without one
        return None
