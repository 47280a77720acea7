"""GTD rows mapped onto the model, field by field, as the store file holds them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.datasets import GTD_ROWS
from tests.importing import GTD_CSV, Runner, gtd_good_row, import_into, stored
from tests.test_import_command import gtd_file


@pytest.fixture
def gtd(run: Runner, tmp_path: Path) -> dict[str, dict[str, Any]]:
    store = tmp_path / "gtd.json"
    import_into(run, store, "gtd", GTD_CSV)
    return stored(store)


def test_every_fixture_row_becomes_an_incident(gtd: dict[str, dict[str, Any]]) -> None:
    assert len(GTD_ROWS) >= 20
    assert sorted(gtd) == sorted(f"gtd-{row['eventid']}" for row in GTD_ROWS)


def test_an_exact_claimed_bombing_keeps_every_field(gtd: dict[str, dict[str, Any]]) -> None:
    incident = gtd["gtd-201710080012"]
    assert incident["date"] == "2017-10-08"
    assert incident["location"] == {
        "country": "Afghanistan",
        "country_code": "AFG",
        "province": "Kabul",
        "city": "Kabul",
        "coordinates": {"lat": 34.516895, "lon": 69.147011, "precision": "city"},
    }
    assert incident["perpetrator"] == {
        "name": "Khorasan Chapter of the Islamic State",
        "attribution": "claimed",
    }
    assert incident["claim"] == {
        "by": "Khorasan Chapter of the Islamic State",
        "channel": "Internet",
    }
    assert incident["attack_type"] == "Bombing/Explosion"
    assert incident["target_type"] == "Police"
    assert incident["target"] == "Checkpoint at the western gate"
    assert incident["weapon_types"] == ["Explosives"]
    assert (incident["killed"], incident["wounded"]) == (4, 7)
    assert incident["summary"].startswith("10/08/2017: A suicide bomber")
    assert '"God is great"' in incident["summary"]
    assert incident["property_damage"] == {
        "occurred": True,
        "description": "Minor (likely < $1 million)",
    }
    assert incident["origin"] == {
        "dataset": "gtd",
        "id": "201710080012",
        # GTD's own codes, kept for its usual selections (doubtterr = 0).
        "codes": {"doubtterr": 0, "crit1": 1, "crit2": 1, "crit3": 1, "specificity": 1},
    }
    assert "Suicide attack." in incident["notes"]
    assert "Perpetrators among the killed: 1." in incident["notes"]
    assert "Weapons: Explosive vest." in incident["notes"]


def test_sources_are_the_database_and_its_citations(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201710080012"]["sources"] == [
        {
            "publisher": "Global Terrorism Database (START)",
            "title": "GTD event 201710080012",
            "url": "https://www.start.umd.edu/gtd/search/IncidentSummary.aspx?gtdid=201710080012",
        },
        {
            "publisher": "Example Wire",
            "date": "2017-10-08",
            "title": "Bomber kills four at Kabul checkpoint",
        },
        {
            "publisher": "Pretend Daily",
            "date": "2017-10-09",
            "url": "https://news.example.org/kabul-checkpoint",
        },
    ]


def test_unknown_day_and_month_give_partial_dates(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201503000001"]["date"] == "2015-03"
    assert gtd["gtd-201500000003"]["date"] == "2015"
    assert gtd["gtd-199900000021"]["date"] == "1999"


def test_approxdate_goes_into_the_notes(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201500000003"]["notes"] == "Approximate date: early 2015."


def test_blank_and_minus_nine_counts_are_unknown_not_zero(gtd: dict[str, dict[str, Any]]) -> None:
    blank = gtd["gtd-201503000001"]
    assert blank["killed"] is None and blank["wounded"] is None
    coded = gtd["gtd-201608010007"]
    assert coded["killed"] is None and coded["wounded"] is None
    assert gtd["gtd-201507150002"]["killed"] == 0
    assert (gtd["gtd-201707070014"]["killed"], gtd["gtd-201707070014"]["wounded"]) == (3, 10)


def test_attribution_unknown_suspected_attributed_claimed(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201503000001"]["perpetrator"] == {"attribution": "unknown"}
    assert gtd["gtd-201500000003"]["perpetrator"] == {"name": "Taliban", "attribution": "suspected"}
    assert gtd["gtd-201507150002"]["perpetrator"] == {
        "name": "Tehrik-i-Taliban Pakistan (TTP)",
        "attribution": "attributed",
    }
    assert "claim" not in gtd["gtd-201507150002"]
    assert gtd["gtd-201602110004"]["claim"] == {"by": "Taliban", "channel": "Personal claim"}


def test_specificity_sets_the_coordinates_precision(gtd: dict[str, dict[str, Any]]) -> None:
    def precision(eventid: str) -> str | None:
        coordinates = gtd[f"gtd-{eventid}"]["location"].get("coordinates")
        return coordinates["precision"] if coordinates else None

    assert precision("201710080012") == "city"  # specificity 1
    assert precision("201507150002") == "district"  # 2
    assert precision("201602110004") == "district"  # 3
    assert precision("201500000003") == "province"  # 4
    assert precision("201604000005") is None  # 5: no coordinates at all


def test_unknown_place_names_are_left_out(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201604000005"]["location"] == {"country": "Afghanistan", "country_code": "AFG"}
    assert gtd["gtd-201500000003"]["location"]["province"] == "Kunduz"
    assert "city" not in gtd["gtd-201500000003"]["location"]


def test_every_gtd_code_maps_to_its_category(gtd: dict[str, dict[str, Any]]) -> None:
    for row in GTD_ROWS:
        incident = gtd[f"gtd-{row['eventid']}"]
        assert incident["attack_type"] == row["attacktype1_txt"]
        assert incident["target_type"] == row["targtype1_txt"]
        assert incident["weapon_types"][0] == row["weaptype1_txt"]


def test_further_types_and_groups_are_kept(gtd: dict[str, dict[str, Any]]) -> None:
    incident = gtd["gtd-201606200006"]
    assert incident["attack_type"] == "Armed Assault"
    assert incident["weapon_types"] == ["Firearms", "Explosives"]
    notes = incident["notes"]
    assert "Also coded as: Bombing/Explosion." in notes
    assert "Other targets: Police (Police post)." in notes
    assert "Also attributed to: Haqqani Network (suspected)." in notes


def test_extended_incident_ends_on_its_resolution_date(gtd: dict[str, dict[str, Any]]) -> None:
    incident = gtd["gtd-201507150002"]
    assert (incident["date"], incident["end_date"]) == ("2015-07-15", "2015-07-20")
    assert incident["attack_type"] == "Hostage Taking (Kidnapping)"
    assert "Hostages or kidnapped: 3." in incident["notes"]


def test_text_with_quotes_commas_and_line_breaks_is_kept(gtd: dict[str, dict[str, Any]]) -> None:
    incident = gtd["gtd-201609050008"]
    assert incident["summary"] == (
        '09/05/2016: Gunmen shouted "stop, stop", then opened fire, wounding two.\n'
        "A second line of the summary, as GTD sometimes has."
    )
    assert incident["target"] == 'Reporters of "Radio Example", a local station'


def test_non_ascii_place_names_are_kept(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201705190013"]["location"]["city"] == "Mazār-i-Sharīf"
    assert gtd["gtd-201608260015"]["location"]["city"] == "Saint-Étienne-du-Rouvray"
    assert gtd["gtd-201802030016"]["location"]["city"] == "Medellín"


def test_doubt_success_vicinity_and_related_events_are_noted(
    gtd: dict[str, dict[str, Any]],
) -> None:
    assert (
        "GTD doubts that this was terrorism (Insurgency/Guerilla Action)."
        in (gtd["gtd-201611120009"]["notes"])
    )
    assert "GTD codes the attack as unsuccessful." in gtd["gtd-201808260017"]["notes"]
    vicinity = gtd["gtd-201811300018"]["notes"]
    assert "Location: On the highway, ten kilometres west of the city." in vicinity
    assert "In the vicinity of the city, not in it." in vicinity
    related = gtd["gtd-201903010019"]["notes"]
    assert "Part of a multiple incident with: 201903010019, 201903010020." in related


def test_property_damage_unknown_when_coded_minus_nine(gtd: dict[str, dict[str, Any]]) -> None:
    assert "property_damage" not in gtd["gtd-201608010007"]
    assert gtd["gtd-201802030016"]["property_damage"] == {
        "occurred": True,
        "description": "A pylon, burnt.",
    }


def test_a_row_without_summary_gets_a_plain_one(gtd: dict[str, dict[str, Any]]) -> None:
    assert gtd["gtd-201503000001"]["summary"] == (
        "Armed Assault against Shoppers at a market in Jalalabad, Nangarhar, Afghanistan "
        "(GTD event 201503000001; no summary given)."
    )


def test_imported_incidents_show_their_origin(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "gtd.json"
    import_into(run, store, "gtd", GTD_CSV)
    result = run("show", "gtd-201710080012", store=store)
    assert result.exit_code == 0
    assert re.search(r"Imported from +gtd:201710080012 *\n", result.stdout)
    assert "Khorasan Chapter of the Islamic State (claimed)" in result.stdout


def test_rows_that_repeat_some_cells_keep_their_own_values(run: Runner, tmp_path: Path) -> None:
    """What some cells make (a claim, property damage, a date, GTD's codes)
    is made once and shared by the rows that repeat them: each row's other
    cells stay its own, and a bad cell is refused in every row that has it."""
    shared = {
        "gname": "Taliban",
        "claimmode_txt": "Telegram",
        "propcomment": "Shops burnt",
        "scite1": 'Example Wire, "Blast in Kabul," Pretend Daily, May 5, 2020.',
    }
    rows = [
        gtd_good_row("202005040001", claimed="1", property="1", doubtterr="0", **shared),
        gtd_good_row("202005040002", claimed="0", property="0", doubtterr="1", **shared),
        gtd_good_row("202005040003", claimed="1", property="7", **shared),
        gtd_good_row("202005040004", claimed="1", property="7", iday="5", **shared),
    ]
    store = tmp_path / "gtd.json"
    result = import_into(run, store, "gtd", gtd_file(tmp_path / "gtd.csv", rows))
    first, second = stored(store)["gtd-202005040001"], stored(store)["gtd-202005040002"]
    assert first["claim"] == {"by": "Taliban", "channel": "Telegram"}
    assert first["perpetrator"] == {"name": "Taliban", "attribution": "claimed"}
    assert first["property_damage"] == {"occurred": True, "description": "Shops burnt"}
    assert first["origin"]["codes"]["doubtterr"] == 0
    assert "claim" not in second
    assert second["perpetrator"] == {"name": "Taliban", "attribution": "attributed"}
    assert second["property_damage"] == {"occurred": False, "description": "Shops burnt"}
    assert second["origin"]["codes"]["doubtterr"] == 1
    assert first["sources"][1] == second["sources"][1]
    assert first["sources"][0] != second["sources"][0]  # GTD's own, by event
    assert len(stored(store)) == 2
    assert result.output.count('property "7": expected 1 (yes), 0 (no) or -9 (unknown)') == 2
