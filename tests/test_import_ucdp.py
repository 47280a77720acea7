"""UCDP GED rows mapped onto the model, field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.datasets import UCDP_ROWS
from tests.importing import UCDP_CSV, Runner, import_into, stored

Incidents = dict[str, dict[str, Any]]


@pytest.fixture
def ucdp(run: Runner, tmp_path: Path) -> Incidents:
    store = tmp_path / "ucdp.json"
    import_into(run, store, "ucdp", UCDP_CSV)
    return stored(store)


def test_every_fixture_row_becomes_an_incident(ucdp: Incidents) -> None:
    assert len(UCDP_ROWS) >= 20
    assert sorted(ucdp) == sorted(f"ucdp-{row['id']}" for row in UCDP_ROWS)


def test_one_sided_violence_keeps_every_field(ucdp: Incidents) -> None:
    incident = ucdp["ucdp-400001"]
    assert incident["date"] == "2017-10-08"
    assert "end_date" not in incident
    assert incident["location"] == {
        "country": "Afghanistan",
        "country_code": "AFG",
        "province": "Kabul",
        "district": "Kabul",
        "site": "Imam Zaman mosque, Kabul city",
        "coordinates": {"lat": 34.516895, "lon": 69.147011, "precision": "exact"},
    }
    assert incident["perpetrator"] == {"name": "IS", "attribution": "attributed"}
    assert incident["attack_type"] == "Unknown"
    assert incident["target_type"] == "Private Citizens & Property"
    assert incident["target"] == "Civilians"
    assert incident["weapon_types"] == ["Unknown"]
    assert incident["wounded"] is None
    assert incident["origin"] == {
        "dataset": "ucdp",
        "id": "400001",
        "event_type": "one-sided violence",
        "codes": {"event_clarity": 1, "where_prec": 1},
    }
    assert incident["sources"] == [
        {"publisher": "UCDP Georeferenced Event Dataset", "title": "UCDP GED event 400001"},
        {"publisher": "Example Wire", "date": "2017-10-09", "title": "Blast at Kabul mosque"},
        {"publisher": "Pretend Daily", "date": "2017-10-10"},
    ]
    notes = incident["notes"]
    assert "Conflict: IS - Civilians." in notes
    assert "Deaths (best estimate) of side A 1, side B 0, civilians 30, unknown 0." in notes


def test_low_best_high_is_a_range_with_a_best_estimate(ucdp: Incidents) -> None:
    assert ucdp["ucdp-400001"]["killed"] == {"min": 25, "max": 40, "best": 31}
    assert ucdp["ucdp-400002"]["killed"] == 12  # low = best = high: exact
    assert ucdp["ucdp-400005"]["killed"] == {"min": 20, "max": 35, "best": 20}
    assert ucdp["ucdp-400007"]["killed"] is None  # all blank: not known


def test_date_windows_keep_their_precision(ucdp: Incidents) -> None:
    def when(number: str) -> tuple[str, str | None]:
        incident = ucdp[f"ucdp-{number}"]
        return incident["date"], incident.get("end_date")

    assert when("400002") == ("2016-02-10", "2016-02-12")  # 2-6 days
    assert when("400003") == ("2016-03-07", "2016-03-13")  # the week
    assert when("400004") == ("2018-05", None)  # a whole month
    assert when("400005") == ("2019", None)  # a whole year
    assert when("400006") == ("2020-01-20", "2020-02-05")  # 8-30 days across months
    assert "UCDP knows only the week." in ucdp["ucdp-400003"]["notes"]


def test_state_based_and_non_state_conflicts(ucdp: Incidents) -> None:
    state = ucdp["ucdp-400002"]
    assert state["perpetrator"] == {
        "name": "Government of Afghanistan",
        "attribution": "attributed",
    }
    assert state["target"] == "Taleban"
    assert state["target_type"] == "Terrorists/Non-State Militia"
    assert "UCDP does not say which side attacked." in state["notes"]
    assert ucdp["ucdp-400003"]["origin"]["event_type"] == "non-state conflict"


def test_where_precision_sets_the_coordinates_precision(ucdp: Incidents) -> None:
    def precision(number: str) -> str:
        return str(ucdp[f"ucdp-{number}"]["location"]["coordinates"]["precision"])

    assert precision("400001") == "exact"
    assert precision("400002") == "city"
    assert precision("400003") == "district"
    assert precision("400004") == "province"
    assert precision("400006") == "province"
    assert precision("400005") == "country"
    assert precision("400008") == "country"


def test_admin_suffixes_are_dropped_and_accents_kept(ucdp: Incidents) -> None:
    location = ucdp["ucdp-400007"]["location"]
    assert location["province"] == "Balkh"
    assert location["district"] == "Mazār-e Sharīf"
    assert location["site"] == "Sakhi shrine, Mazār-e Sharīf"
    assert ucdp["ucdp-400013"]["location"]["province"] == "Ségou region"


def test_lower_clarity_is_noted(ucdp: Incidents) -> None:
    assert "Lower clarity" in ucdp["ucdp-400004"]["notes"]


def test_totals_show_the_sum_of_best_estimates(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "ucdp.json"
    import_into(run, store, "ucdp", UCDP_CSV)
    result = run("total", "--location", "Kabul", "--format", "json", store=store)
    assert result.exit_code == 0
    killed = json.loads(result.stdout)["total"]["killed"]
    # 400001: 25-40 best 31; 400018: 170-185 best 183; 400020: exactly 6.
    assert killed == {"min": 201, "max": 231, "unknown": 0, "best": 220}
    table = run("total", "--location", "Kabul", store=store)
    assert "between 201 and 231; best estimate 220" in table.stdout


def test_show_names_the_origin_and_its_event_type(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "ucdp.json"
    import_into(run, store, "ucdp", UCDP_CSV)
    result = run("show", "ucdp-400001", store=store)
    assert "ucdp:400001 (one-sided violence)" in result.stdout
