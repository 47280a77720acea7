"""Bringing an index up to a store that changed: the incidents are known
again by the digest of their bytes, so that only those whose text changed
are validated and their rows replaced, and the others only moved.

Writers that rewrite a store whole call it under the store's lock
(``updating``); a question that finds the store changed by hand calls it
before it answers (``freshness``), instead of building the index anew.  An
incident validated once stays valid: the model does not change with the
index's schema, and the only check that depends on the day (no date in the
future) can only be passed more easily as days go by.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from incidents.index.build import Layout, ids_unique, layout_meta
from incidents.index.links import has_links_table, write_links
from incidents.index.queries import update_search
from incidents.index.rows import delete_positions, digest, insert_spans, insert_texts
from incidents.index.schema import CHUNK, SCHEMA_VERSION, read_meta, set_meta
from incidents.index.state import StoreState
from incidents.index.texts import StoreTexts, attach
from incidents.index.validation import validate_texts

# Past this many incidents to take in, a build on both cores is quicker.
MOST_INCOMING = 2 * CHUNK


def refresh(
    connection: sqlite3.Connection,
    store_path: Path,
    data: bytes,
    state: StoreState,
    layout: Layout,
    old: StoreTexts | None = None,
) -> bool:
    """Make the index on ``connection`` describe the store's bytes (read in
    ``state``, laid out as ``layout``), in one transaction; False, with nothing
    changed, when it cannot (another schema, an incident that is not valid, an
    insertion before the end, too much changed).  ``old``: the store as the
    index described it, still open, so that the full-text table can be told
    the very text of each incident that leaves it (else it is dropped, and
    made again when next needed)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if not _refreshed(connection, store_path, data, state, layout, old):
            connection.rollback()
            return False
        connection.commit()
    except BaseException:
        if connection.in_transaction:
            connection.rollback()
        raise
    return True


def _refreshed(
    connection: sqlite3.Connection,
    store_path: Path,
    data: bytes,
    state: StoreState,
    layout: Layout,
    old: StoreTexts | None,
) -> bool:
    spans = layout.spans
    meta = read_meta(connection)
    if meta.get("kind") != "index" or meta.get("schema") != SCHEMA_VERSION:
        return False
    indexed = connection.execute("SELECT pos, start, digest FROM texts ORDER BY pos").fetchall()
    change = _difference(indexed, [digest(data[start:end]) for start, end in spans], spans)
    if change is None or len(change.incoming) > MOST_INCOMING:
        return False
    incoming = sorted(change.incoming)
    texts = [data[slice(*spans[change.incoming[p]])].decode("utf-8") for p in incoming]
    rewritten = validate_texts(texts, str(store_path))
    if rewritten is None:
        return False
    going = change.removed
    fts = meta.get("fts") == "1"
    if fts and old is None:
        connection.execute("DROP TABLE IF EXISTS search")
        set_meta(connection, {"fts": "0"})
        fts = False
    if fts and old is not None:
        attach(connection, old)
        update_search(connection, going, delete=True)
    delete_positions(connection, going)
    if change.shift:
        connection.execute(
            "UPDATE texts SET start = start + ? WHERE pos >= ?", (change.shift, change.moved)
        )
    canonical_texts = {incoming[n]: text for n, text in rewritten.items()}
    as_written = [p for p in incoming if p not in canonical_texts]
    insert_spans(
        connection, data, [spans[change.incoming[p]] for p in as_written], positions=as_written
    )
    if canonical_texts:
        located = {}
        for pos in canonical_texts:
            start, end = spans[change.incoming[pos]]
            located[pos] = (start, end - start, digest(data[start:end]))
        positions = sorted(canonical_texts)
        texts_in = (canonical_texts[p] for p in positions)
        insert_texts(connection, texts_in, positions=positions, spans=located)
    if fts:
        attach(connection, StoreTexts(str(store_path), data=data))
        update_search(connection, incoming, delete=False)
    if not ids_unique(connection):
        return False
    if layout.links or has_links_table(connection):
        write_links(connection, layout.links)
    rewritten_left = connection.execute("SELECT 1 FROM texts WHERE json IS NOT NULL LIMIT 1")
    canonical = layout.framed and rewritten_left.fetchone() is None
    set_meta(
        connection,
        {
            **state.as_meta(),
            "count": str(len(spans)),
            **layout_meta(layout.schema_url, canonical),
            "checked_on": max(meta.get("checked_on", ""), date.today().isoformat()),
        },
    )
    return True


@dataclass
class _Change:
    """What turns the indexed incidents into the store's, by position: the
    indexed positions that go, and the places (among the store's incidents)
    whose incidents come in, at which positions."""

    removed: list[int] = field(default_factory=list)
    incoming: dict[int, int] = field(default_factory=dict)  # position: place in the store
    moved: int = 0  # first position of the common end, whose spans shift
    shift: int = 0


def _difference(
    indexed: Sequence[tuple[int, int | None, bytes | None]],
    digests: Sequence[bytes],
    spans: Sequence[tuple[int, int]],
) -> _Change | None:
    """The change from the indexed incidents (position, start, digest) to the
    store's (their digests and spans).

    The common beginning and end stay (the end's spans shifted); in between,
    incidents are replaced one for one, and the surplus removed, or added at
    the end.  None for an insertion before the end, which no writer makes.
    """
    old = [known if known is not None else b"" for _, _, known in indexed]
    shorter = min(len(old), len(digests))
    first = 0
    while first < shorter and old[first] == digests[first] and indexed[first][1] == spans[first][0]:
        first += 1
    last = 0  # how many at the end are the same
    while last < shorter - first and old[-1 - last] == digests[-1 - last]:
        last += 1
    change = _Change()
    if last:
        old_start, new_start = indexed[-last][1], spans[-last][0]
        if old_start is None:
            return None
        change.moved, change.shift = indexed[-last][0], new_start - old_start
    old_middle = range(first, len(old) - last)
    new_middle = range(first, len(digests) - last)
    for before, after in zip(old_middle, new_middle, strict=False):
        change.removed.append(indexed[before][0])
        change.incoming[indexed[before][0]] = after
    if len(old_middle) > len(new_middle):
        change.removed += [indexed[i][0] for i in old_middle[len(new_middle) :]]
    elif len(new_middle) > len(old_middle):
        if last:
            return None
        following = indexed[-1][0] + 1 if indexed else 0
        extra = new_middle[len(old_middle) :]
        change.incoming.update({following + n: i for n, i in enumerate(extra)})
    # One for one, an unchanged incident in the middle only moved; it is put
    # in again all the same (its span is new), which costs little.
    return change
