"""ACLED rows mapped onto the model, in the current, 2020 and pre-2019 layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.datasets import (
    ACLED_2020_ROWS,
    ACLED_HEADER,
    ACLED_OLD_ROWS,
    ACLED_ROWS,
    write_csv,
)
from tests.importing import (
    ACLED_2020_CSV,
    ACLED_CSV,
    ACLED_OLD_CSV,
    Runner,
    acled_good_row,
    import_into,
    stored,
)

Incidents = dict[str, dict[str, Any]]


@pytest.fixture
def acled(run: Runner, tmp_path: Path) -> Incidents:
    store = tmp_path / "acled.json"
    for path in (ACLED_CSV, ACLED_2020_CSV, ACLED_OLD_CSV):
        import_into(run, store, "acled", path)
    return stored(store)


def test_there_are_twenty_rows_in_all_layouts() -> None:
    assert len(ACLED_ROWS) + len(ACLED_2020_ROWS) + len(ACLED_OLD_ROWS) >= 20


def test_a_suicide_bombing_keeps_every_field(acled: Incidents) -> None:
    incident = acled["acled-afg12001"]
    assert incident["date"] == "2022-09-05"
    assert "end_date" not in incident
    assert incident["location"] == {
        "country": "Afghanistan",
        "country_code": "AFG",
        "province": "Kabul",
        "district": "Kabul",
        "city": "Kabul",
        "coordinates": {"lat": 34.5167, "lon": 69.1833, "precision": "city"},
    }
    assert incident["perpetrator"] == {
        "name": "Islamic State (Afghanistan)",
        "attribution": "attributed",
    }
    assert incident["attack_type"] == "Bombing/Explosion"
    assert incident["target_type"] == "Private Citizens & Property"
    assert incident["target"] == "Civilians (Russia)"
    assert incident["weapon_types"] == ["Explosives"]
    assert incident["summary"] == (
        'On 5 September 2022, a suicide bomber struck near an embassy gate, "at the visa '
        'queue", killing at least six.'
    )
    assert incident["sources"] == [
        {"publisher": "ACLED", "title": "ACLED event AFG12001"},
        {"publisher": "Example Wire"},
        {"publisher": "Pretend Daily"},
    ]
    assert incident["origin"] == {
        "dataset": "acled",
        "id": "AFG12001",
        "event_type": "Explosions/Remote violence: Suicide bomb",
        "codes": {"civilian_targeting": 1, "geo_precision": 1},
    }
    assert "Sub-district: Kabul." in incident["notes"]


def test_fatalities_are_a_lower_bound_and_wounded_unknown(acled: Incidents) -> None:
    assert acled["acled-afg12001"]["killed"] == {"min": 6}
    assert acled["acled-afg12001"]["wounded"] is None
    assert acled["acled-afg12003"]["killed"] == {"min": 0}
    assert acled["acled-pak30001"]["killed"] is None  # blank: not known


def test_time_precision_two_is_the_week_around_the_date(acled: Incidents) -> None:
    incident = acled["acled-afg12002"]
    assert (incident["date"], incident["end_date"]) == ("2022-10-09", "2022-10-15")
    assert "ACLED gives 2022-10-12, the middle of it" in incident["notes"]


def test_time_precision_three_is_the_month(acled: Incidents) -> None:
    incident = acled["acled-afg12003"]
    assert incident["date"] == "2022-06"
    assert "end_date" not in incident


def test_geo_precision_sets_the_coordinates_precision(acled: Incidents) -> None:
    assert acled["acled-afg12001"]["location"]["coordinates"]["precision"] == "city"
    assert acled["acled-afg12002"]["location"]["coordinates"]["precision"] == "district"
    region_only = acled["acled-afg12003"]["location"]
    assert region_only["coordinates"]["precision"] == "province"
    # The town ACLED names stands in for the region: it is not the place.
    assert "city" not in region_only
    assert "Coordinates stand for Bazarak." in acled["acled-afg12003"]["notes"]


def test_an_unidentified_armed_group_is_an_unknown_perpetrator(acled: Incidents) -> None:
    incident = acled["acled-afg12002"]
    assert incident["perpetrator"] == {"attribution": "unknown"}
    assert "Actor 1: Unidentified Armed Group (Afghanistan)." in incident["notes"]


@pytest.mark.parametrize(
    ("incident_id", "attack_type", "weapon", "target_type"),
    [
        ("acled-afg12002", "Armed Assault", "Unknown", "Private Citizens & Property"),
        ("acled-afg12003", "Armed Assault", "Unknown", "Terrorists/Non-State Militia"),
        ("acled-pak30001", "Bombing/Explosion", "Explosives", "Police"),
        ("acled-syr50001", "Bombing/Explosion", "Explosives", "Terrorists/Non-State Militia"),
        ("acled-mli60001", "Hostage Taking (Kidnapping)", "Unknown", "Private Citizens & Property"),
        ("acled-cod70001", "Unarmed Assault", "Unknown", "Private Citizens & Property"),
        ("acled-nga80001", "Unarmed Assault", "Unknown", "Private Citizens & Property"),
        ("acled-sdn90001", "Facility/Infrastructure Attack", "Unknown", "Unknown"),
        ("acled-yem10001", "Bombing/Explosion", "Explosives", "Private Citizens & Property"),
        ("acled-irq20001", "Bombing/Explosion", "Explosives", "Private Citizens & Property"),
        ("acled-syr50002", "Unarmed Assault", "Chemical", "Private Citizens & Property"),
        ("acled-mmr40001", "Armed Assault", "Unknown", "Terrorists/Non-State Militia"),
        ("acled-mmr40002", "Armed Assault", "Unknown", "Military"),
        ("acled-irn11001", "Armed Assault", "Unknown", "Private Citizens & Property"),
        ("acled-irn11002", "Unarmed Assault", "Unknown", "Police"),
        ("acled-2mli", "Bombing/Explosion", "Explosives", "Terrorists/Non-State Militia"),
        ("acled-1mli", "Unknown", "Unknown", "Private Citizens & Property"),
    ],
)
def test_event_types_map_to_attack_and_target_types(
    acled: Incidents, incident_id: str, attack_type: str, weapon: str, target_type: str
) -> None:
    incident = acled[incident_id]
    assert incident["attack_type"] == attack_type
    assert incident["weapon_types"] == [weapon]
    assert incident["target_type"] == target_type


def test_the_original_event_and_sub_event_types_are_kept(acled: Incidents) -> None:
    assert acled["acled-irn11001"]["origin"]["event_type"] == (
        "Protests: Excessive force against protesters"
    )
    assert acled["acled-2mli"]["origin"]["event_type"] == "Remote violence"


def test_protests_and_strategic_developments_are_left_out(
    run: Runner, tmp_path: Path, acled: Incidents
) -> None:
    for left_out in ("acled-afg12004", "acled-afg12005", "acled-irn11003", "acled-3mli"):
        assert left_out not in acled
    result = run("import", "acled", ACLED_CSV, "--dry-run", store=tmp_path / "new.json")
    assert result.exit_code == 0
    assert (
        "Left out 3 rows that are not violence (2 Protests, 1 Strategic developments)."
        in result.stderr
    )


def test_date_layouts_of_every_export(acled: Incidents) -> None:
    assert acled["acled-afg12006"]["date"] == "2022-12-02"  # 02 December 2022
    assert acled["acled-afg40001"]["date"] == "2020-05-09"  # 9-May-20
    assert acled["acled-1mli"]["date"] == "1997-01-02"  # 02/01/1997, day first


def test_old_upper_case_headers_are_read(acled: Incidents) -> None:
    incident = acled["acled-2mli"]
    assert incident["location"]["province"] == "Gao"
    assert incident["location"]["coordinates"]["precision"] == "province"  # GEO_PRECIS 3
    assert "With actor 1: Militia (Pro-Government)." in incident["notes"]  # ALLY_ACTOR_1
    assert acled["acled-1mli"]["location"]["city"] == "Léré"


def test_non_ascii_names_are_kept(acled: Incidents) -> None:
    assert acled["acled-mli60001"]["location"]["province"] == "Ségou"
    assert acled["acled-cod70001"]["location"]["city"] == "Oïcha"


def test_rows_that_repeat_a_date_or_sources_keep_their_own_values(
    run: Runner, tmp_path: Path
) -> None:
    """A date's cells and a source cell make the same in every row that
    repeats them (made once, shared); a row's other cells stay its own."""
    rows = [
        acled_good_row("AFG1", time_precision="1", source="Example Wire; Pretend Daily"),
        acled_good_row("AFG2", time_precision="2", source="Example Wire; Pretend Daily"),
        acled_good_row("AFG3", time_precision="4", source="Example Wire; Pretend Daily"),
        acled_good_row("AFG4", time_precision="4", source="Example Wire"),
    ]
    store = tmp_path / "acled.json"
    path = write_csv(tmp_path / "acled.csv", ACLED_HEADER, rows)
    result = import_into(run, store, "acled", path)
    first, second = stored(store)["acled-afg1"], stored(store)["acled-afg2"]
    assert (first["date"], "end_date" in first) == ("2022-09-05", False)
    assert (second["date"], second["end_date"]) == ("2022-09-02", "2022-09-08")
    assert [s["publisher"] for s in first["sources"]] == ["ACLED", "Example Wire", "Pretend Daily"]
    assert first["sources"][1:] == second["sources"][1:]
    assert first["sources"][0]["title"] == "ACLED event AFG1"
    assert second["sources"][0]["title"] == "ACLED event AFG2"
    assert len(stored(store)) == 2
    assert result.output.count('time_precision "4": expected 1, 2 or 3') == 2
