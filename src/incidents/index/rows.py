"""One incident's rows in the index tables, made from its JSON data.

Everything the filters, sorts and totals need, computed from the
incident's data as this tool writes it (an import's filters, which test
one incident in Python, are held to the same answers by the tests).  Names
and dates repeat across a data set, so their keys are cached.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from incidents.certainty import codes_text, place_precision, place_rank
from incidents.countries import country_code
from incidents.dates import PartialDate
from incidents.index.schema import CHUNK, INSERTS, TABLES, Progress
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


@lru_cache(maxsize=65536)
def _perpetrator_names(*names: str | None) -> str:
    aliases = [alias for name in names if name for alias in perpetrator_names(name)]
    return "| " + " | ".join(aliases) + " |" if aliases else ""


def _figure_columns(figure: Any) -> tuple[int, int | None, int | None, int]:
    """Low, high, best and unknown (0 or 1) of a figure as stored."""
    if figure is None:
        return 0, None, None, 1
    if isinstance(figure, int):
        return figure, figure, None, 0
    return figure["min"], figure.get("max"), figure.get("best"), 0


def incident_rows(
    pos: int, data: dict[str, Any], text: str, with_csv: bool
) -> dict[str, list[tuple[Any, ...]]]:
    """The incident's rows in each table."""
    location = data["location"]
    province, district, city = (location.get(level) for level in ("province", "district", "city"))
    claim = data.get("claim") or {}
    perpetrator = data["perpetrator"].get("name")
    site = location.get("site")
    origin = data.get("origin") or {}
    codes = origin.get("codes")
    coordinates = location.get("coordinates") or {}
    place = place_precision(codes, coordinates.get("precision"), site, city, district, province)
    return {
        "facts": [
            (
                pos,
                data["id"],
                data["date"],
                data.get("end_date"),
                *_interval(data["date"], data.get("end_date")),
                location["country"],
                province,
                district,
                city,
                _place_key(location["country"]),
                _place_key(province) if province else None,
                _place_key(district) if district else None,
                _place_key(city) if city else None,
                location.get("country_code") or country_code(location["country"]),
                perpetrator,
                _perpetrator_names(perpetrator, claim.get("by")),
                data["perpetrator"]["attribution"],
                "|" + "|".join(data.get("weapon_types", ())) + "|",
                data["target_type"],
                data["attack_type"],
                *_figure_columns(data["killed"]),
                *_figure_columns(data["wounded"]),
                origin.get("dataset"),
                place_rank(place),
                codes_text(codes),
            )
        ],
        "details": [(pos, text, csv_line(flat_cells(data)) if with_csv else None)],
        "aliases": [(pos, key) for key in {_place_key(a) for a in location.get("aliases", ())}],
        "sites": [(pos, fold(site))] if site else [],
    }


def insert_texts(
    connection: sqlite3.Connection,
    texts: Iterable[str],
    progress: Progress | None = None,
    total: int = 0,
    with_csv: bool = False,
    positions: Iterable[int] | None = None,
) -> int:
    """Insert incidents given as JSON texts, at positions 0, 1, 2... unless
    given; ValueError when a text is not one incident of the shape the model
    makes (the model's validation says how: this path reads the data before
    it is validated)."""
    done = 0
    batches: dict[str, list[tuple[Any, ...]]] = {table: [] for table, _ in TABLES}

    def flush() -> None:
        for table, rows in batches.items():
            try:
                connection.executemany(INSERTS[table], rows)
            except OverflowError:  # an integer SQLite cannot hold
                raise ValueError("a number too large for SQLite") from None
            rows.clear()
        if progress:
            progress(done, total)

    from pydantic_core import from_json  # a faster JSON parser than the standard one

    numbered = enumerate(texts) if positions is None else zip(positions, texts, strict=True)
    for pos, text in numbered:
        data = from_json(text)
        if not isinstance(data, dict):
            raise ValueError(f"incident {pos} is not a JSON object")
        try:
            made = incident_rows(pos, data, text, with_csv)
        except (AttributeError, TypeError, KeyError, IndexError) as error:
            # A hand-edited store of the right layout with a wrong type in it
            # ("perpetrator": "ISKP", "city": 5).
            raise ValueError(f"incident {pos} is not of the model's shape: {error}") from None
        for table, rows in made.items():
            batches[table].extend(rows)
        done += 1
        if done % CHUNK == 0:
            flush()
    flush()
    return done


def delete_positions(connection: sqlite3.Connection, positions: Sequence[int]) -> None:
    """Remove the rows of the incidents at these positions from every table."""
    for start in range(0, len(positions), 500):
        chunk = positions[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for table, _ in TABLES:
            connection.execute(f"DELETE FROM {table} WHERE pos IN ({marks})", chunk)


def replace_texts(connection: sqlite3.Connection, texts: Mapping[int, str]) -> None:
    """Make the incidents at these positions the ones given as JSON texts."""
    positions = sorted(texts)
    delete_positions(connection, positions)
    insert_texts(connection, (texts[pos] for pos in positions), positions=positions)
