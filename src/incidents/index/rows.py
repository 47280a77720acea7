"""One incident's rows in the index tables, made from its JSON text.

Everything the filters, sorts and totals need, computed from the fields of
the incident that ``decoding`` reads (an import's filters, which test one
incident in Python, are held to the same answers by the tests).  Names and
dates repeat across a data set, so their keys are cached.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from incidents.certainty import codes_text, place_precision, place_rank
from incidents.countries import country_code
from incidents.dates import PartialDate
from incidents.index.decoding import Bounds, Indexed, decode_indexed, decode_json
from incidents.index.packing import learn
from incidents.index.schema import CHUNK, INSERTS, Progress, tables_of
from incidents.index.texts import compact
from incidents.periods import period_of, week_of
from incidents.records import csv_line, flat_cells
from incidents.vocabulary import fold, perpetrator_names, place_key


@lru_cache(maxsize=65536)
def _interval(start: str, end: str | None) -> tuple[str, str, str, str, str, str]:
    """First day, last day, and the year, month, week and day periods of an incident."""
    first = PartialDate.parse(start).first_day.isoformat()
    last = PartialDate.parse(end or start).last_day.isoformat()
    month = period_of(start, end, 7)
    return (
        first,
        last,
        period_of(start, end, 4),
        month,
        week_of(first, last, month),
        period_of(start, end, 10),
    )


_place_key = lru_cache(maxsize=65536)(place_key)
_place_rank = lru_cache(maxsize=64)(place_rank)


@lru_cache(maxsize=65536)
def _codes_text(codes: tuple[tuple[str, int], ...]) -> str:
    return codes_text(dict(codes))


@lru_cache(maxsize=65536)
def _perpetrator_names(*names: str | None) -> str:
    aliases = [alias for name in names if name for alias in perpetrator_names(name)]
    return "| " + " | ".join(aliases) + " |" if aliases else ""


def _figure_columns(figure: int | Bounds | None) -> tuple[int, int | None, Any, int]:
    """Low, high, best and unknown (0 or 1) of a figure as stored."""
    if figure is None:
        return 0, None, None, 1
    if isinstance(figure, int):
        return figure, figure, None, 0
    return figure.min, figure.max, figure.best, 0


def incident_rows(pos: int, found: Indexed) -> dict[str, list[tuple[Any, ...]]]:
    """The incident's rows in each table but that of its text."""
    location = found.location
    province, district, city = location.province, location.district, location.city
    perpetrator = found.perpetrator.name
    site = location.site
    origin = found.origin
    given = origin.codes if origin is not None else None
    codes = {name: value for name, value in given.items() if value is not None} if given else None
    coordinates = location.coordinates.precision if location.coordinates else None
    place = place_precision(codes, coordinates, site, city, district, province)
    return {
        "facts": [
            (
                pos,
                found.id,
                found.date,
                found.end_date,
                *_interval(found.date, found.end_date),
                location.country,
                province,
                district,
                city,
                _place_key(location.country),
                _place_key(province) if province else None,
                _place_key(district) if district else None,
                _place_key(city) if city else None,
                location.country_code or country_code(location.country),
                perpetrator,
                _perpetrator_names(perpetrator, found.claim.by if found.claim else None),
                found.perpetrator.attribution,
                "|" + "|".join(found.weapon_types) + "|",
                found.target_type,
                found.attack_type,
                *_figure_columns(found.killed),
                *_figure_columns(found.wounded),
                origin.dataset if origin is not None else None,
                _place_rank(place),
                _codes_text(tuple(codes.items())) if codes else "",
            )
        ],
        "aliases": [(pos, _place_key(name), name) for name in dict.fromkeys(location.aliases)],
        "sites": [(pos, fold(site), site)] if site is not None else [],
        "origins": [(pos, origin.dataset, origin.id)] if origin is not None else [],
    }


Made = dict[str, list[tuple[Any, ...]]]


def renumbered(made: Made, pos: int) -> Made:
    """An incident's rows (``incident_rows``, made at any position) at ``pos``."""
    return {table: [(pos, *row[1:]) for row in rows] for table, rows in made.items()}


class Batches:
    """Rows gathered table by table and inserted a chunk at a time."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables_of(connection)}
        self.count = 0

    def add(self, made: Mapping[str, list[tuple[Any, ...]]]) -> None:
        for table, rows in made.items():
            self.rows[table].extend(rows)
        self.count += 1

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if table == "details":
                learn(self.connection, rows)
            try:
                self.connection.executemany(INSERTS[table], rows)
            except OverflowError:  # an integer SQLite cannot hold
                raise ValueError("a number too large for SQLite") from None
            rows.clear()


def _rows_of(pos: int, text: bytes | str | memoryview) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the incident whose JSON text this is; ValueError when the
    text is not one incident of the shape the model makes (the model's
    validation says how: this path reads the data before it is validated)."""
    try:
        return incident_rows(pos, decode_indexed(text))
    except ValueError as error:
        raise ValueError(f"incident {pos} is not of the model's shape: {error}") from None


def digest(text: bytes | memoryview) -> bytes:
    """What an incident's bytes are known again by (blake2b, 128 bits)."""
    return hashlib.blake2b(text, digest_size=16).digest()


def insert_spans(
    connection: sqlite3.Connection,
    data: bytes,
    spans: Sequence[tuple[int, int]],
    progress: Progress | None = None,
    positions: Iterable[int] | None = None,
    at: int = 0,
) -> int:
    """Insert the incidents that lie at these (start, end) spans of a store's
    bytes into an index, at positions 0, 1, 2... unless given; ``data`` is the
    part of the store from offset ``at``."""
    view = memoryview(data)
    batches = Batches(connection)
    numbered = enumerate(spans) if positions is None else zip(positions, spans, strict=True)
    for pos, (start, end) in numbered:
        text = view[start:end]
        batches.add(_rows_of(pos, text))
        batches.rows["texts"].append((pos, at + start, end - start, digest(text), None, None))
        if batches.count % CHUNK == 0:
            batches.flush()
            if progress:
                progress(batches.count, len(spans))
    batches.flush()
    if progress:
        progress(batches.count, len(spans))
    return batches.count


def insert_texts(
    connection: sqlite3.Connection,
    texts: Iterable[str],
    progress: Progress | None = None,
    total: int = 0,
    with_csv: bool = False,
    positions: Iterable[int] | None = None,
    spans: Mapping[int, tuple[int, int, bytes]] | None = None,
) -> int:
    """Insert incidents given as JSON texts (as this tool writes them), at
    positions 0, 1, 2... unless given: into a sqlite store's ``details``
    (with their CSV lines when ``with_csv``), or into an index's ``texts``
    when ``spans`` is given (where each text's store bytes lie, by position,
    and their digest; none for a text in no store file)."""
    batches = Batches(connection)
    numbered = enumerate(texts) if positions is None else zip(positions, texts, strict=True)
    for pos, text in numbered:
        batches.add(_rows_of(pos, text))
        if spans is None:
            line = csv_line(flat_cells(decode_json(text))) if with_csv else None
            batches.rows["details"].append((pos, compact(text), line))
        else:
            start, size, known = spans.get(pos, (None, None, None))
            batches.rows["texts"].append((pos, start, size, known, text, None))
        if batches.count % CHUNK == 0:
            batches.flush()
            if progress:
                progress(batches.count, total)
    batches.flush()
    if progress:
        progress(batches.count, total)
    return batches.count


def delete_positions(connection: sqlite3.Connection, positions: Sequence[int]) -> None:
    """Remove the rows of the incidents at these positions from every table."""
    tables = tables_of(connection)
    for start in range(0, len(positions), 500):
        chunk = positions[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for table in tables:
            connection.execute(f"DELETE FROM {table} WHERE pos IN ({marks})", chunk)
