"""Values typed as people type them: counts, coordinates, sources, field settings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.editing import apply_setting, new_incident_data, new_incident_id, parse_setting
from incidents.model import Incident
from incidents.parsing import (
    ParseError,
    parse_coordinates,
    parse_count,
    parse_source,
    parse_yes_no_unknown,
)
from tests.conftest import incident_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16", 16),
        (" 0 ", 0),
        ("1,200", 1200),
        ("at least 3", {"min": 3}),
        ("At Least 3", {"min": 3}),
        ("3+", {"min": 3}),
        ("≥3", {"min": 3}),
        ("3 or more", {"min": 3}),
        ("more than 100", {"min": 101}),
        ("at most 5", {"min": 0, "max": 5}),
        ("up to 5", {"min": 0, "max": 5}),
        ("3-5", {"min": 3, "max": 5}),
        ("3–5", {"min": 3, "max": 5}),
        ("3 to 5", {"min": 3, "max": 5}),
        ("3-5 best 4", {"min": 3, "max": 5, "best": 4}),
        ("3-5, best 4", {"min": 3, "max": 5, "best": 4}),
        ("at least 3 (likely 7)", {"min": 3, "best": 7}),
        ("unknown", None),
        ("?", None),
        ("", None),
        ("none", 0),
        ("None", 0),
        ("no one", 0),
        ("nobody", 0),
        ("zero", 0),
        ("  ", None),
        ("n/a", None),
        ("10000000000", 10_000_000_000),
    ],
)
def test_counts_are_read_as_people_write_them(text: str, expected: object) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["sixteen", "-3", "5-3", "3.5", "lots", "3 - "])
def test_a_count_that_is_not_one_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(ParseError, match=r"at least 3|backwards"):
        parse_count(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "about 20",
            "'about 20' is vague; write what the source supports: 'at least 20', a range"
            " such as '15-25', or '15-25 best 20'",
        ),
        ("around 20", "'at least 20', a range such as '15-25'"),
        ("~20", "'at least 20', a range such as '15-25'"),
        ("20 or so", "'at least 20', a range such as '15-25'"),
        (
            "Dozens",
            "'Dozens' is vague; write what the source supports for certain, such as"
            " 'at least 24', or a range such as '15-25'",
        ),
        ("hundreds", "'at least 200'"),
        ("several", "'at least 3'"),
    ],
)
def test_a_vague_count_is_refused_with_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_count(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "10000000001",
        "10000000000000000000",
        "9223372036854775808",
        "at least 9223372036854775808",
        "3-10000000000000000000",
        "more than 10000000000",
        "3-5 best 99999999999",
        "9" * 5000,
    ],
)
def test_a_count_beyond_the_worlds_population_is_refused(text: str) -> None:
    with pytest.raises(ParseError, match=r"is more people than live on Earth; a count is at most"):
        parse_count(text)


@given(st.text(max_size=30))
def test_any_count_text_is_a_valid_count_or_a_clear_error(text: str) -> None:
    try:
        value = parse_count(text)
    except ParseError as error:
        assert str(error)
        return
    # Whatever the parser accepts, the model accepts as it is.
    incident = Incident.model_validate_json(json.dumps(incident_data(killed=value)))
    assert (incident.killed is None) == (value is None)


def test_coordinates_are_latitude_then_longitude_and_in_range() -> None:
    assert parse_coordinates("36.709, 67.11") == (36.709, 67.11)
    assert parse_coordinates("36.709 67.11") == (36.709, 67.11)
    with pytest.raises(ParseError, match=r"latitude 97\.0 is outside"):
        parse_coordinates("97, 67")
    with pytest.raises(ParseError, match="LATITUDE, LONGITUDE"):
        parse_coordinates("Kabul")


def test_a_source_is_a_publisher_then_parts_told_apart_by_their_form() -> None:
    assert parse_source("Reuters") == {"publisher": "Reuters"}
    assert parse_source("Reuters | https://r.example/x | 5 Dec 2022 | Gunmen attack") == {
        "publisher": "Reuters",
        "url": "https://r.example/x",
        "date": "2022-12-05",
        "title": "Gunmen attack",
    }
    with pytest.raises(ParseError, match="publisher first"):
        parse_source(" | 2022-12-05")
    with pytest.raises(ParseError, match="two dates"):
        parse_source("Reuters | 2022 | 2023")


def test_a_source_date_is_read_as_meant_or_refused() -> None:
    assert parse_source("Reuters | 2022/09/05")["date"] == "2022-09-05"
    assert parse_source("Reuters | 2022.12")["date"] == "2022-12"
    assert parse_source("Reuters | 31/12/2022")["date"] == "2022-12-31"
    # Words that are no date, or no date with a year, stay the title.
    assert parse_source("Reuters | 9/11 | https://r.example")["title"] == "9/11"
    assert parse_source("Reuters | May")["title"] == "May"
    with pytest.raises(ParseError) as caught:
        parse_source("Reuters | 9/5/2022")
    assert str(caught.value).startswith(
        "the source 'Reuters | 9/5/2022': 9/5/2022: 9 May or 5 September 2022?"
    )
    with pytest.raises(ParseError, match="write the year in full"):
        parse_source("Reuters | 5 Sep 22")


def test_yes_no_unknown() -> None:
    assert parse_yes_no_unknown("Yes") is True
    assert parse_yes_no_unknown("no") is False
    assert parse_yes_no_unknown("unknown") is None
    with pytest.raises(ParseError, match="yes, no or unknown"):
        parse_yes_no_unknown("maybe")


def test_settings_name_a_known_field() -> None:
    assert parse_setting("killed=at least 3") == ("killed", "at least 3")
    assert parse_setting("notes=") == ("notes", "")
    with pytest.raises(ParseError, match="Did you mean 'killed'"):
        parse_setting("kiled=3")
    with pytest.raises(ParseError, match="FIELD=VALUE"):
        parse_setting("killed")


def test_setting_a_field_reads_its_text_by_kind() -> None:
    data: dict[str, Any] = {"location": {"country": "Afghanistan", "city": "Kabul"}}
    apply_setting(data, "date", "Oct 2021")
    apply_setting(data, "target_type", "embassy")
    apply_setting(data, "weapon_types", "explosives, gun")
    apply_setting(data, "location.coordinates", "34.55, 69.2")
    apply_setting(data, "wounded", "unknown")
    assert data == {
        "date": "2021-10",
        "target_type": "Government (Diplomatic)",
        "weapon_types": ["Explosives", "Firearms"],
        "location": {
            "country": "Afghanistan",
            "city": "Kabul",
            "coordinates": {"lat": 34.55, "lon": 69.2, "precision": "city"},
        },
        "wounded": None,
    }
    apply_setting(data, "location.coordinates", "")
    assert "coordinates" not in data["location"]
    with pytest.raises(ParseError, match="not a known category") as caught:
        apply_setting(data, "attack_type", "picnic")
    assert caught.value.field == "attack_type"


def test_a_new_incident_fills_its_gaps_honestly() -> None:
    data = new_incident_data([("perpetrator.name", "ISKP"), ("claim.channel", "Telegram")])
    assert data["killed"] is None and data["wounded"] is None
    assert data["perpetrator"] == {"name": "ISKP", "attribution": "claimed"}
    assert data["claim"] == {"channel": "Telegram", "by": "ISKP"}
    assert new_incident_data([("perpetrator.name", "ISKP")])["perpetrator"]["attribution"] == (
        "suspected"
    )
    assert new_incident_data([])["perpetrator"] == {"attribution": "unknown"}


def test_new_ids_come_from_date_and_most_precise_place_and_are_numbered_when_taken() -> None:
    data = {"date": "2022-04", "location": {"country": "Afghanistan", "city": "Mazar-i-Sharif"}}
    assert new_incident_id(data, []) == "2022-04-mazar-i-sharif"
    assert new_incident_id(data, ["2022-04-mazar-i-sharif"]) == "2022-04-mazar-i-sharif-2"
    arabic = {"date": "2022", "location": {"country": "Syria", "city": "حلب"}}
    assert new_incident_id(arabic, []) == "2022-syria"
