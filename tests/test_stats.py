"""incidents stats: what a store holds, the first thing to ask of an imported store."""

from __future__ import annotations

import json

import pytest

from .conftest import SEED_STORE
from .test_index import both_ways
from .test_views import imported  # noqa: F401  (a fixture)


def test_what_an_imported_store_holds(imported):  # noqa: F811
    data = json.loads(both_ways(imported, "stats", "-f", "json"))
    assert data["incidents"] == 61
    assert [
        (d["name"], d["incidents"], d["first_year"], d["last_year"]) for d in data["datasets"]
    ] == [
        ("gtd", 24, "1999", "2021"),
        ("ucdp", 20, "2015", "2022"),
        ("acled", 17, "2022", "2022"),
    ]
    assert data["dates"] == {"day": 48, "month": 4, "year": 3, "span": 6}
    assert data["places"] == {
        "exact": 2,
        "site": 0,
        "city": 47,
        "district": 5,
        "province": 4,
        "country": 3,
    }
    assert data["killed"] == {"exact": 25, "bounded": 30, "unknown": 6}
    assert data["wounded"]["unknown"] == 41  # ACLED and UCDP give no wounded
    assert data["attributions"] == {"claimed": 8, "attributed": 37, "suspected": 2, "unknown": 14}
    assert data["codes"]["doubtterr"] == {"0": 1, "1": 1, "-9": 1}
    assert data["codes"]["event_clarity"] == {"1": 18, "2": 2}


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_the_table_says_it_in_words(imported, monkeypatch, columns):  # noqa: F811
    monkeypatch.setenv("COLUMNS", columns)
    lines = both_ways(imported, "stats").splitlines()
    assert lines[0] == "61 incidents in store.json, 1999–2022."
    rows = {line.strip().rsplit(None, 2)[0]: line.split()[-2:] for line in lines if "%" in line}
    assert rows["gtd (1999–2021)"] == ["24", "39.3%"]
    assert rows["not known"] == ["41", "67.2%"]  # the last "not known": the wounded
    assert rows["0: no doubt"] == ["1", "4.2%"]  # of GTD's 24, not of all 61
    assert all(len(line) <= int(columns) for line in lines)


def test_filters_narrow_it():
    data = json.loads(both_ways(SEED_STORE, "stats", "--since", "2022-09", "-f", "json"))
    assert data["incidents"] == 4
    assert data["datasets"] == [
        {"name": None, "incidents": 4, "first_year": "2022", "last_year": "2022"}
    ]
    assert data["codes"] == {}
