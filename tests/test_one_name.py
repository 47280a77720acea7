"""One name for one thing: totals by perpetrator, country, province and city
group every spelling of one actor or place together, under one name that
does not depend on the order of the store, with the index and without."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import incident_data
from .test_index import both_ways


def _incident(number: int, perpetrator: str | None, **location: str) -> dict[str, Any]:
    who = (
        {"name": perpetrator, "attribution": "suspected"}
        if perpetrator
        else {"name": None, "attribution": "unknown"}
    )
    return incident_data(
        id=f"incident-{number}",
        perpetrator=who,
        location={"country": "Afghanistan", **location},
        killed=number,
        wounded=None,
    )


SPELLINGS = [
    _incident(1, "Taleban", country="Yemen (North Yemen)", province="Hirat", city="Hirat"),
    _incident(2, "Taliban", country="Yemen", province="Hirat"),
    _incident(3, "Taliban", country="DR Congo (Zaire)", province="Herat", city="herat"),
    _incident(4, "ISKP", country="Democratic Republic of Congo"),
    _incident(5, "Islamic State Khorasan Province", country="Afghanestan", province="Kabul"),
    _incident(6, None, province="Ituri"),
    _incident(7, "Unknown", province="ituri"),  # as GTD writes it
    _incident(8, "al-Shabaab", country="Somalia"),
    _incident(9, "Al-Shabaab", country="Somalia"),
]


@pytest.fixture(params=["store order", "reversed"])
def store(request: pytest.FixtureRequest, write_store: Callable[..., Path]) -> Path:
    incidents = SPELLINGS if request.param == "store order" else SPELLINGS[::-1]
    return write_store(incidents)


def _totals(store: Path, by: str) -> list[tuple[str, str, str]]:
    text = both_ways(store, "total", "--by", by, "--format", "csv")
    return [(r["key"], r["incidents"], r["killed_min"]) for r in csv.DictReader(io.StringIO(text))]


def test_aliases_and_spellings_of_one_group_are_one_row(store):
    assert _totals(store, "perpetrator") == [
        ("Taliban", "3", "6"),
        ("Al-Shabaab", "2", "17"),  # equally frequent: the first in alphabetical order
        ("Islamic State Khorasan Province", "2", "9"),
        ("unknown", "2", "13"),  # no name, and GTD's "Unknown"
        ("total", "9", "45"),
    ]


def test_a_country_is_one_row_under_all_its_names(store):
    assert _totals(store, "country") == [
        ("Afghanistan", "3", "18"),  # with the vocabulary's spelling of Afghanestan
        ("DR Congo (Zaire)", "2", "7"),  # equally frequent: the first in alphabetical order
        ("Somalia", "2", "17"),
        ("Yemen", "2", "3"),
        ("total", "9", "45"),
    ]


def test_places_are_named_by_the_vocabulary_not_by_the_first_spelling_stored(store):
    assert _totals(store, "province") == [
        ("(none)", "3", "21"),
        ("Herat", "3", "6"),  # "Hirat" comes first in the store
        ("Ituri", "2", "13"),
        ("Kabul", "1", "5"),
        ("total", "9", "45"),
    ]
    assert _totals(store, "city") == [
        ("(none)", "7", "41"),
        ("Herat", "2", "4"),
        ("total", "9", "45"),
    ]


def test_the_unknown_perpetrator_is_found_under_either_form(store):
    text = both_ways(store, "list", "--perpetrator", "unknown", "--format", "csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(text))] == ["incident-6", "incident-7"]


def test_the_table_names_each_group_once(store):
    assert both_ways(store, "total", "--by", "perpetrator").splitlines()[2:6] == [
        "Taliban                                  3   33.3%       6        ?",
        "Al-Shabaab                               2   22.2%      17        ?",
        "Islamic State Khorasan Province          2   22.2%       9        ?",
        "unknown                                  2   22.2%      13        ?",
    ]


def test_an_empty_name_is_no_name(write_store):
    store = write_store(
        [
            _incident(1, None, province="Kabul"),
            incident_data(
                id="blank",
                perpetrator={"name": "", "attribution": "suspected"},
                location={"country": "Afghanistan", "province": "", "city": ""},
            ),
        ]
    )
    assert [row[:2] for row in _totals(store, "perpetrator")] == [("unknown", "2"), ("total", "2")]
    assert [row[:2] for row in _totals(store, "province")] == [
        ("(none)", "1"),
        ("Kabul", "1"),
        ("total", "2"),
    ]
    assert [row[:2] for row in _totals(store, "city")] == [("(none)", "2"), ("total", "2")]
