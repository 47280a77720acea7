"""Checks beyond the model's types, and validating a whole file."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.checks import check_incidents, likely_twin, surely_no_errors, validate_text
from incidents.countries import country_code
from incidents.country_boxes import near_country
from incidents.model import Incident
from incidents.store import Severity
from tests.conftest import incident_data, make_incident

TODAY = date(2024, 6, 15)


def problems_of(*incidents: Incident) -> list[str]:
    return [str(p) for p in check_incidents(list(enumerate(incidents)), "s.json", TODAY)]


def test_a_clean_incident_has_no_problem() -> None:
    assert problems_of(make_incident()) == []


def test_duplicate_ids_name_the_first_holder() -> None:
    assert problems_of(make_incident(), make_incident(date="2022-01-16")) == [
        "s.json: incidents[1] (id '2022-01-15-kabul'), id: duplicate id: incidents[0] has it too"
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"date": "2024-07"}, "date: 2024-07 is in the future (today is 2024-06-15)"),
        (
            {"claim": {"by": "ISKP", "date": "2022-01-14"}},
            "claim.date: the claim (2022-01-14) is dated before the attack (2022-01-15)",
        ),
        (
            {"sources": [{"publisher": "Wire", "date": "2030"}]},
            "sources[0].date: 2030 is in the future",
        ),
    ],
)
def test_date_errors(changes: dict[str, Any], expected: str) -> None:
    (problem,) = [p for p in problems_of(make_incident(**changes)) if "warning" not in p]
    assert expected in problem


def test_a_window_that_ends_after_today_is_fine() -> None:
    # An event of yesterday known to the week ends in three days' time.
    sources = [{"publisher": "Wire"}]
    week = make_incident(date="2024-06-14", end_date="2024-06-17", sources=sources)
    assert problems_of(week) == []
    assert problems_of(make_incident(date="2024-06", end_date="2025", sources=sources)) == []


def test_dates_before_1970_are_fine() -> None:
    old = make_incident(
        date="1968-05",
        end_date="1968-06",
        claim={"by": "X", "date": "1968-05-20"},
        sources=[{"publisher": "Wire", "date": "1968-06-01"}],
    )
    assert problems_of(old, make_incident(id="x", date="0001", sources=[])) == [
        "s.json: incidents[1] (id 'x'), sources: warning: no source is cited; add one"
        " (publisher, date, title or url)"
    ]


def test_this_month_and_a_claim_in_the_attack_month_are_fine() -> None:
    assert problems_of(make_incident(date="2024-06", sources=[{"publisher": "Wire"}])) == []
    assert problems_of(make_incident(date="2022-01", claim={"by": "X", "date": "2022-01-03"})) == []


def test_coordinates_far_from_the_country_and_no_source_are_warnings() -> None:
    coordinates = {"lat": 69.2, "lon": 34.5, "precision": "city"}
    swapped = {"country": "Afghanistan", "coordinates": coordinates}
    found = check_incidents([(0, make_incident(location=swapped, sources=[]))], "s.json", TODAY)
    assert [(p.field, p.severity) for p in found] == [
        ("location.coordinates", Severity.WARNING),
        ("sources", Severity.WARNING),
    ]
    assert str(found[0]).startswith(
        "s.json: incidents[0] (id '2022-01-15-kabul'), "
        "location.coordinates: warning: 69.2, 34.5 lies far outside"
    )


def test_a_source_older_than_the_attack_is_a_warning() -> None:
    (problem,) = check_incidents(
        [(0, make_incident(sources=[{"publisher": "Wire", "date": "2021-12"}]))], "s.json", TODAY
    )
    assert problem.severity is Severity.WARNING
    assert str(problem).endswith(
        "sources[0].date: warning: the source (2021-12) is dated before the attack (2022-01-15)"
    )


@pytest.mark.parametrize(
    ("country", "lat", "lon", "near"),
    [
        ("Afghanistan", 34.5553, 69.2075, True),  # Kabul
        ("afghanistan", 36.709, 67.11, True),  # Mazar-i-Sharif, any case
        ("Afghanistan", 34.5553, -69.2075, False),  # sign lost
        ("Pakistan", 33.6844, 73.0479, True),  # Islamabad
        ("Iraq", 33.3152, 44.3661, True),  # Baghdad
        ("Türkiye", 41.0082, 28.9784, True),  # Istanbul, by another name
        ("Russia", 64.7, 177.5, True),  # Anadyr, east of 180 - 3
        ("Russia", 65.0, -172.0, True),  # Chukotka across the 180th meridian
        ("Russia", 10.0, -100.0, False),
        ("Atlantis", 0.0, 0.0, None),  # not known: not checked
    ],
)
def test_country_boxes(country: str, lat: float, lon: float, near: bool | None) -> None:
    assert near_country(country_code(country), lat, lon) is near


def test_validation_reports_model_errors_and_checks_on_the_incidents_that_parsed() -> None:
    text = json.dumps(
        {
            "incidents": [
                incident_data(),
                incident_data(id="bad id", killed="sixteen"),
                incident_data(date="2022-01-16"),
            ]
        }
    )
    lines = [str(p) for p in validate_text(text, "s.json", TODAY)]
    assert lines == [
        "s.json: incidents[1] (id 'bad id'), id: string should match pattern "
        "'^[a-z0-9][a-z0-9._:-]*$', got \"bad id\"",
        "s.json: incidents[1] (id 'bad id'), killed: expected a whole number, "
        '{"min": N}, {"min": N, "max": M}, or null for unknown',
        "s.json: incidents[2] (id '2022-01-15-kabul'), id: duplicate id: incidents[0] has it too",
    ]


def test_the_seed_store_validates_clean(seed: list[Incident]) -> None:
    assert check_incidents(list(enumerate(seed)), "incidents.json") == []


def test_a_likely_twin_shares_dates_place_and_target_type(seed: list[Incident]) -> None:
    same = make_incident(id="new", date="2022-12-02", target_type="Government (Diplomatic)")
    twin = likely_twin(same, seed)
    assert twin is not None and twin.id == "2022-12-02-kabul"
    other_city = make_incident(
        id="new",
        date="2022-12-02",
        target_type="Government (Diplomatic)",
        location={"country": "Afghanistan", "province": "Herat", "city": "Herat"},
    )
    assert likely_twin(other_city, seed) is None
    other_type = make_incident(id="new", date="2022-12-02", target_type="Police")
    assert likely_twin(other_type, seed) is None
    by_spelling = make_incident(
        id="new",
        date="2022-04-21",
        location={"country": "Afghanistan", "city": "Mazar-e Sharif"},
    )
    twin = likely_twin(by_spelling, seed)
    assert twin is not None and twin.id == "2022-04-mazar-i-sharif"


_PARTIAL = st.builds(
    lambda day, length: day.isoformat()[:length],
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from([4, 7, 10]),
)


@given(
    _PARTIAL,
    st.one_of(st.none(), _PARTIAL),
    st.one_of(st.none(), _PARTIAL),
    st.lists(st.one_of(st.none(), _PARTIAL), max_size=3),
    st.dates(min_value=date(2021, 1, 1), max_value=date(2029, 12, 31)),
)
def test_an_incident_the_import_passes_without_checks_has_no_error_they_would_find(
    when: str, end: str | None, claimed: str | None, source_dates: list[str | None], today: date
) -> None:
    """The import asks the store's checks of an incident only when it may have
    an error (``surely_no_errors``): where it says none, the checks find none."""
    from pydantic import ValidationError

    claim = {"by": "someone", "date": claimed} if claimed else None
    sources = [{"publisher": f"Wire {n}", "date": on} for n, on in enumerate(source_dates)]
    try:
        incident = make_incident(date=when, end_date=end, claim=claim, sources=sources)
    except ValidationError:
        return  # an end before the start: the model refuses it first
    if surely_no_errors(incident, today):
        assert check_incidents([(0, incident)], "", today, warnings=False) == []
