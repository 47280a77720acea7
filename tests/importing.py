"""Helpers for the import tests: run an import, read back what it stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.fixtures.datasets import FIXTURES, GTD_HEADER, gtd_row

GTD_CSV = FIXTURES / "gtd.csv"
ACLED_CSV = FIXTURES / "acled.csv"
ACLED_2020_CSV = FIXTURES / "acled-2020.csv"
ACLED_OLD_CSV = FIXTURES / "acled-old.csv"
UCDP_CSV = FIXTURES / "ucdp.csv"

Runner = Callable[..., Result]


def stored(store: Path) -> dict[str, dict[str, Any]]:
    """The store file's incidents, as JSON, by id."""
    document = json.loads(store.read_text(encoding="utf-8"))
    return {incident["id"]: incident for incident in document["incidents"]}


def import_into(run: Runner, store: Path, *args: str | Path) -> Result:
    """``incidents --store STORE import ARGS``, which must succeed."""
    result = run("import", *args, store=store)
    assert result.exit_code == 0, result.output
    return result


def gtd_good_row(eventid: str, **changes: str) -> dict[str, str]:
    """A plain valid GTD row (a bombing in Kabul on 4 May 2020), with changes."""
    cells = {
        "eventid": eventid,
        "iyear": "2020",
        "imonth": "5",
        "iday": "4",
        "country_txt": "Afghanistan",
        "provstate": "Kabul",
        "city": "Kabul",
        "attacktype1": "3",
        "targtype1": "14",
        "target1": "Market",
        "gname": "Unknown",
        "weaptype1": "6",
        "nkill": "1",
        "nwound": "2",
    }
    cells.update(changes)
    return gtd_row(**cells)


def acled_good_row(event_id: str, **changes: str) -> dict[str, str]:
    """A plain valid ACLED row (an attack on civilians in Kabul), with changes."""
    cells = {
        "event_id_cnty": event_id,
        "event_date": "2022-09-05",
        "year": "2022",
        "time_precision": "1",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "Unidentified Armed Group (Afghanistan)",
        "actor2": "Civilians (Afghanistan)",
        "country": "Afghanistan",
        "admin1": "Kabul",
        "location": "Kabul",
        "latitude": "34.5167",
        "longitude": "69.1833",
        "geo_precision": "1",
        "source": "Example Wire",
        "notes": "Gunmen shot a shopkeeper.",
        "fatalities": "1",
    }
    cells.update(changes)
    return cells


def ucdp_good_row(event_id: str, **changes: str) -> dict[str, str]:
    """A plain valid UCDP GED row (one-sided violence in Kabul), with changes."""
    cells = {
        "id": event_id,
        "year": "2017",
        "type_of_violence": "3",
        "side_a": "IS",
        "side_b": "Civilians",
        "where_prec": "1",
        "where_description": "Kabul city",
        "adm_1": "Kabul province",
        "latitude": "34.516895",
        "longitude": "69.147011",
        "country": "Afghanistan",
        "date_prec": "1",
        "date_start": "2017-10-08 00:00:00.000",
        "date_end": "2017-10-08 00:00:00.000",
        "best": "3",
        "high": "3",
        "low": "3",
    }
    cells.update(changes)
    return cells


def spreadsheet(
    path: Path, rows: Sequence[Mapping[str, object]], header: Sequence[str] = GTD_HEADER
) -> Path:
    """An .xlsx file of ``rows`` under ``header``; text that is a number is
    written as a number, as Excel holds it, and other values as they are."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([_typed(row.get(column, "")) for column in header])
    book.save(path)
    return path


def _typed(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.lstrip("-").isdigit() and not value.startswith("0"):
        return int(value)
    try:
        return float(value) if "." in value and value[0].isdigit() else value or None
    except ValueError:
        return value or None
