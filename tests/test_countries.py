"""Countries have ISO 3166 alpha-3 codes: kept, derived for older stores,
exported, usable as --location, and the names that are not countries flagged."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.datasets import (
    ACLED_HEADER,
    GTD_HEADER,
    UCDP_HEADER,
    gtd_row,
    write_csv,
)
from tests.importing import import_into, stored

from .conftest import incident_data
from .test_index import both_ways, invoke


def _at(incident_id: str, country: str, **location: str) -> dict[str, object]:
    return incident_data(id=incident_id, location={"country": country, **location})


@pytest.fixture
def world(write_store: Callable[..., Path]) -> Path:
    """Incidents in historical and data-set spellings of countries; none stores a code."""
    return write_store(
        [
            _at("zaire", "Zaire", city="Kinshasa"),
            _at("drc-ucdp", "DR Congo (Zaire)", province="Ituri"),
            _at("drc-acled", "Democratic Republic of Congo", province="North Kivu"),
            _at("soviet", "Soviet Union", city="Moscow"),
            _at("north-yemen", "Yemen (North Yemen)", city="Sanaa"),
            _at("yemen", "Yemen", city="Aden"),
            _at("south-yemen", "South Yemen", city="Aden"),
            _at("kabul", "Afghanistan", city="Kabul"),
            _at("nowhere", "International"),
        ]
    )


def _ids(store: Path, *args: str) -> list[str]:
    lines = both_ways(store, "export", "--format", "ndjson", *args).splitlines()
    return [json.loads(line)["id"] for line in lines]


def test_a_country_code_finds_the_country_under_every_name(world):
    assert _ids(world, "--location", "AFG") == ["kabul"]
    assert _ids(world, "--location", "COD") == ["drc-acled", "drc-ucdp", "zaire"]
    # A name finds the others of its country: renamed states share today's code.
    assert _ids(world, "--location", "Zaire") == ["drc-acled", "drc-ucdp", "zaire"]
    assert _ids(world, "--location", "DR Congo") == ["drc-acled", "drc-ucdp", "zaire"]
    assert _ids(world, "--location", "Yemen") == ["north-yemen", "yemen"]
    # A dissolved state keeps its ISO 3166-3 code.
    assert _ids(world, "--location", "SUN") == ["soviet"]
    assert _ids(world, "--location", "YMD") == ["south-yemen"]
    # Codes are written in capitals: "afg" is a place name, and none is called so.
    assert _ids(world, "--location", "afg") == []


def test_exports_carry_the_code_derived_from_the_name_when_the_store_has_none(world):
    rows = list(csv.DictReader(io.StringIO(both_ways(world, "export", "--format", "csv"))))
    codes = {row["id"]: row["country_code"] for row in rows}
    assert codes == {
        "zaire": "COD",
        "drc-ucdp": "COD",
        "drc-acled": "COD",
        "soviet": "SUN",
        "north-yemen": "YEM",
        "yemen": "YEM",
        "south-yemen": "YMD",
        "kabul": "AFG",
        "nowhere": "",
    }
    names = {row["id"]: row["country"] for row in rows}
    assert (names["zaire"], names["drc-ucdp"]) == ("Zaire", "DR Congo (Zaire)")  # kept
    features = json.loads(both_ways(world, "export", "--format", "geojson"))["features"]
    found = {f["properties"]["id"]: f["properties"]["country_code"] for f in features}
    assert (found["kabul"], found["nowhere"]) == ("AFG", None)


def test_a_stored_code_wins_over_the_name(write_store):
    store = write_store(
        [incident_data(location={"country": "Zaire", "country_code": "ZAR", "city": "Kinshasa"})]
    )
    assert _ids(store, "--location", "ZAR") == ["2022-01-15-kabul"]
    assert _ids(store, "--location", "COD") == []


def test_every_importer_stores_the_code_and_keeps_the_name(run, tmp_path):
    store = tmp_path / "imported.json"
    gtd = write_csv(
        tmp_path / "gtd.csv",
        GTD_HEADER,
        [
            gtd_row(eventid=eventid, iyear="1985", imonth="5", iday="17", country_txt=country)
            | {"attacktype1": "3", "targtype1": "14", "gname": "Unknown", "weaptype1": "6"}
            for eventid, country in [
                ("198505170001", "Soviet Union"),
                ("198505170002", "West Germany (FRG)"),
                ("198505170003", "East Germany (GDR)"),
                ("198505170004", "Zaire"),
                ("198505170005", "North Yemen"),
                ("198505170006", "International"),
            ]
        ],
    )
    acled = write_csv(
        tmp_path / "acled.csv",
        ACLED_HEADER,
        [
            {
                "event_id_cnty": "DRC1",
                "event_date": "2020-05-09",
                "year": "2020",
                "time_precision": "1",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": "Example Militia",
                "country": "Democratic Republic of Congo",
                "admin1": "Ituri",
                "location": "Bunia",
                "fatalities": "2",
            }
        ],
    )
    ucdp = write_csv(
        tmp_path / "ucdp.csv",
        UCDP_HEADER,
        [
            {
                "id": "900001",
                "year": "2015",
                "type_of_violence": "2",
                "side_a": "Example Front",
                "side_b": "Example Army",
                "country": "Yemen (North Yemen)",
                "adm_1": "Sanaa governorate",
                "date_prec": "1",
                "date_start": "2015-03-20",
                "date_end": "2015-03-20",
                "best": "3",
                "low": "3",
                "high": "3",
            }
        ],
    )
    import_into(run, store, "gtd", gtd)
    import_into(run, store, "acled", acled)
    import_into(run, store, "ucdp", ucdp)
    places = {
        incident["location"]["country"]: incident["location"].get("country_code")
        for incident in stored(store).values()
    }
    assert places == {
        "Soviet Union": "SUN",
        "West Germany (FRG)": "DEU",
        "East Germany (GDR)": "DDR",
        "Zaire": "COD",
        "North Yemen": "YEM",
        "International": None,
        "Democratic Republic of Congo": "COD",
        "Yemen (North Yemen)": "YEM",
    }


def test_add_refuses_a_country_that_is_not_one_unless_forced(run, write_store):
    store = write_store([])
    before = store.read_bytes()
    args = [
        "add",
        "--date",
        "2022-01-15",
        "--attack-type",
        "bombing",
        "--target-type",
        "mosque",
        "--target",
        "Mosque",
        "--summary",
        "A bombing.",
    ]
    refused = run(*args, "--country", "Afganistan", store=store)
    assert refused.exit_code == 2
    assert "'Afganistan' is not a country name that this tool knows; did you mean Afghanistan?" in (
        refused.stderr
    )
    assert "--force adds it as written" in refused.stderr
    assert store.read_bytes() == before
    assert run(*args, "--country", "Afghanistan", store=store).exit_code == 0
    assert run(*args, "--country", "Afganistan", "--force", "--date", "2022-02-01", store=store)
    added = stored(store)
    assert added["2022-01-15-afghanistan"]["location"] == {
        "country": "Afghanistan",
        "country_code": "AFG",
    }
    assert added["2022-02-01-afganistan"]["location"] == {"country": "Afganistan"}


def test_add_takes_a_code_for_a_country_it_does_not_know(run, write_store):
    store = write_store([])
    result = run(
        "add",
        "--date",
        "1975-01-15",
        "--country",
        "Sikkim",
        "--country-code",
        "skm",
        "--attack-type",
        "bombing",
        "--target-type",
        "police",
        "--target",
        "A police post",
        "--summary",
        "A bombing.",
        store=store,
    )
    assert result.exit_code == 0, result.stderr
    assert stored(store)["1975-01-15-sikkim"]["location"] == {
        "country": "Sikkim",
        "country_code": "SKM",
    }
    bad = run("edit", "1975-01-15-sikkim", "--set", "location.country_code=XYZ", store=store)
    assert bad.exit_code == 2
    assert "expected an ISO 3166 alpha-3 country code such as AFG; got 'XYZ'" in bad.stderr


def test_the_code_follows_an_edited_country(run, write_store):
    store = write_store([incident_data(location={"country": "Afghanistan", "country_code": "AFG"})])
    result = run("edit", "2022-01-15-kabul", "--set", "location.country=Pakistan", store=store)
    assert result.exit_code == 0, result.stderr
    assert stored(store)["2022-01-15-kabul"]["location"] == {
        "country": "Pakistan",
        "country_code": "PAK",
    }
    run("edit", "2022-01-15-kabul", "--set", "location.country=Nowhere Land", store=store)
    assert stored(store)["2022-01-15-kabul"]["location"] == {"country": "Nowhere Land"}


def test_validate_warns_of_a_country_that_is_not_one(run, write_store):
    store = write_store(
        [
            _at("typo", "Afganistan"),
            _at("zaire", "Zaire"),
            incident_data(id="bad-code", location={"country": "Atlantis", "country_code": "ATL"}),
        ]
    )
    result = run("validate", store, store=None)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{store}: incidents[0] (id 'typo'), location.country: warning: 'Afganistan' is not a "
        "country name that this tool knows; did you mean Afghanistan?",
        f"{store}: incidents[2] (id 'bad-code'), location.country_code: warning: ATL is not an "
        "ISO 3166 alpha-3 country code",
    ]
    # A store that has no codes at all is as valid as before.
    assert invoke("--store", store, "list")[0] == 0


@pytest.mark.parametrize(
    ("countries", "stored_location"),
    [
        (["Afganistan", "Afghanistan"], {"country": "Afghanistan", "country_code": "AFG"}),
        (["Atlantis", "Atlantis"], {"country": "Atlantis"}),  # typed again: kept as written
    ],
)
def test_the_add_prompt_asks_again_for_a_country_that_is_not_one(
    run, write_store, monkeypatch, countries, stored_location
):
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    store = write_store([])
    answers = [
        "2021-10-08",  # date
        *countries,
        "",  # province
        "",  # city
        "bombing",
        "mosque",
        "Shiite mosque",  # target
        "explosives",
        "",  # perpetrator
        "16",  # killed
        "",  # wounded
        "A bombing.",
        "",  # no source
        "y",  # save it
    ]
    result = run("add", store=store, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("(type it again to keep it)") == 1
    [added] = stored(store).values()
    assert added["location"] == stored_location
