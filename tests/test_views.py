"""The views analysts reach for: newest first, deadliest first, a limit, export
in list's order, cross-tables, more groupings with a share, filters on how a
perpetrator is known, on how precisely a place is known, on the other tolls
and on the data sets' own codes, and the timeline as data.  Every answer is
the same with the index and without it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.certainty import CODES
from incidents.cli import cli
from incidents.query import select
from incidents.store import load_store

from .conftest import SEED_STORE, incident_data, index_of
from .importing import ACLED_CSV, GTD_CSV, UCDP_CSV
from .test_counted import answer
from .test_index import both_ways
from .test_one_answer import _filters


def ids(store: Path, *args: str) -> list[str]:
    """The ids a command lists (tab-separated lines), the same both ways."""
    return [line.split("\t")[0] for line in both_ways(store, *args, "-f", "tsv").splitlines()[1:]]


def exported_ids(store: Path, *args: str) -> list[str]:
    out = both_ways(store, "export", *args, "-f", "ndjson")
    return [json.loads(line)["id"] for line in out.splitlines()]


# --- orders and limits ------------------------------------------------------------------

SEED_BY_DATE = [
    "2021-10-kunduz",
    "2022-04-mazar-i-sharif",
    "2022-05-kabul",
    "2022-06-imam-sahib",
    "2022-09-herat",
    "2022-09-05-kabul",
    "2022-12-02-aybak",
    "2022-12-02-kabul",
]


def test_newest_first():
    assert ids(SEED_STORE, "list") == SEED_BY_DATE
    assert ids(SEED_STORE, "list", "--sort", "-date") == SEED_BY_DATE[::-1]
    assert ids(SEED_STORE, "list", "--reverse") == SEED_BY_DATE[::-1]
    assert ids(SEED_STORE, "list", "--sort", "-date", "--limit", "2") == [
        "2022-12-02-kabul",
        "2022-12-02-aybak",
    ]


def test_fewest_killed_first_keeps_unknown_last():
    fewest = ids(SEED_STORE, "list", "--sort", "-killed")
    assert fewest[0] == "2022-06-imam-sahib"  # 1 killed
    assert fewest[-1] == "2022-12-02-kabul"  # not known
    assert ids(SEED_STORE, "list", "--sort", "killed", "--reverse") == fewest


@pytest.mark.parametrize(
    "order",
    [[], ["--sort", "killed"], ["--sort", "-date", "--limit", "3"], ["--reverse", "--limit", "5"]],
)
def test_export_is_in_the_order_list_shows(order):
    assert exported_ids(SEED_STORE, *order) == ids(SEED_STORE, "list", *order)


def test_a_limit_says_how_many_match():
    code, _, err = answer(SEED_STORE, "list", "--location", "kabul", "--limit", "1", "-f", "tsv")
    assert code == 0
    assert err.splitlines()[0] == "1 of the 3 incidents that match (the store has 8)."
    assert err.splitlines()[-1] == "Filters: place kabul; the first 1, oldest first."


def test_deadliest_groups_first_and_a_limit_on_groups():
    by_count = both_ways(SEED_STORE, "total", "--by", "province", "-f", "csv")
    assert [row["key"] for row in csv.DictReader(io.StringIO(by_count))][:1] == ["Kabul"]
    deadliest = both_ways(
        SEED_STORE, "total", "--by", "province", "--sort", "killed", "--limit", "2", "-f", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(deadliest)))
    assert [(row["key"], row["killed_min"]) for row in rows] == [
        ("Kunduz", "47"),
        ("Kabul", "20"),
        ("total", "112"),  # the total counts every incident, shown or not
    ]
    table = both_ways(SEED_STORE, "total", "--by", "province", "--sort", "killed", "--limit", "2")
    assert "3 more groups not shown (--limit); the total counts every incident." in table
    fewest = both_ways(SEED_STORE, "total", "--by", "province", "--sort", "name", "--reverse")
    assert [line.split()[0] for line in fewest.splitlines()[2:4]] == ["Samangan", "Kunduz"]


# --- cross-tables -----------------------------------------------------------------------

CROSS = ("total", "--by", "year", "--by", "target-type")


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_a_cross_table_at_every_width(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    lines = both_ways(SEED_STORE, *CROSS).splitlines()
    assert lines[0] == "Incidents by year (down) and target type (across)."
    assert lines[1].split() == ["Year", "Religious", "Diplomatic", "Education", "Total"]
    assert lines[3].split() == ["2021", "1", "0", "0", "1"]
    assert lines[4].split() == ["2022", "4", "2", "1", "7"]
    assert lines[6].split() == ["Total", "5", "2", "1", "8"]


def test_a_cross_table_of_the_killed_never_cuts_a_figure(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = both_ways(SEED_STORE, "total", "--by", "province", "--by", "year", "--cells", "killed")
    assert out.splitlines()[0] == "Killed by province (down) and year (across)."
    kabul = next(line for line in out.splitlines() if line.startswith("Kabul"))
    assert kabul.split()[1:] == ["0", "≥20", "(1", "?)", "≥20", "(1", "?)"]


def test_a_cross_table_as_csv_and_json():
    rows = list(csv.DictReader(io.StringIO(both_ways(SEED_STORE, *CROSS, "-f", "csv"))))
    assert list(rows[0])[:3] == ["key", "across", "incidents"]
    pairs = [(r["key"], r["across"], r["incidents"]) for r in rows]
    assert pairs == [
        ("2021", "Religious Figures/Institutions", "1"),
        ("2022", "Religious Figures/Institutions", "4"),
        ("2022", "Government (Diplomatic)", "2"),
        ("2022", "Educational Institution", "1"),
        ("2021", "total", "1"),
        ("2022", "total", "7"),
        ("total", "Religious Figures/Institutions", "5"),
        ("total", "Government (Diplomatic)", "2"),
        ("total", "Educational Institution", "1"),
        ("total", "total", "8"),
    ]
    data = json.loads(both_ways(SEED_STORE, *CROSS, "-f", "json"))
    assert (data["by"], data["across"]) == ("year", "target-type")
    assert [(c["key"], c["incidents"]) for c in data["groups"][1]["cells"]] == [
        ("Religious Figures/Institutions", 4),
        ("Government (Diplomatic)", 2),
        ("Educational Institution", 1),
    ]
    assert [c["incidents"] for c in data["columns"]] == [5, 2, 1]


def test_a_cross_table_of_spellings_joins_them_on_both_edges(write_store):
    store = write_store(
        [
            incident_data(id="a", location={"country": "Afghanistan", "province": "Herat"}),
            incident_data(id="b", location={"country": "Afghanistan", "province": "Hirat"}),
            incident_data(
                id="c",
                location={"country": "Afghanistan", "province": "Kabul"},
                perpetrator={"name": "ISKP", "attribution": "claimed"},
            ),
        ]
    )
    data = json.loads(
        both_ways(store, "total", "--by", "province", "--by", "perpetrator", "-f", "json")
    )
    assert [(g["key"], g["incidents"]) for g in data["groups"]] == [("Herat", 2), ("Kabul", 1)]
    assert [c["key"] for c in data["columns"]] == ["Islamic State Khorasan Province"]
    assert data["groups"][0]["cells"][0]["incidents"] == 2


@pytest.mark.parametrize(
    ("by", "message"),
    [
        (["year", "year"], "--by year twice"),
        (["year", "month", "city"], "--by goes at most twice"),
    ],
)
def test_a_cross_table_needs_two_groupings(by, message):
    args = [arg for b in by for arg in ("--by", b)]
    code, _, err = invoke_total(*args)
    assert code == 2 and message in err


def invoke_total(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", str(SEED_STORE), "total", *args])
    return result.exit_code, result.stdout, result.stderr


# --- more groupings, with a share ---------------------------------------------------------


def _groups(store: Path, by: str, *args: str) -> list[tuple[str, str]]:
    text = both_ways(store, "total", "--by", by, *args, "-f", "csv")
    return [(row["key"], row["incidents"]) for row in csv.DictReader(io.StringIO(text))]


def test_by_weapon_an_incident_counts_under_each(write_store):
    store = write_store(
        [
            incident_data(id="a", weapon_types=["Explosives", "Firearms"]),
            incident_data(id="b", weapon_types=["Firearms"]),
            incident_data(id="c", weapon_types=[]),
        ]
    )
    assert _groups(store, "weapon") == [
        ("Firearms", "2"),
        ("(none)", "1"),
        ("Explosives", "1"),
        ("total", "3"),
    ]
    table = both_ways(store, "total", "--by", "weapon")
    assert "counts under each; the total counts it once" in table
    assert table.splitlines()[2].split() == ["Firearms", "2", "66.7%", "6", "10"]


def test_by_district_week_day_attribution_and_dataset(write_store):
    store = write_store(
        [
            incident_data(
                id="a",
                date="2022-09-05",
                location={"country": "Afghanistan", "district": "Dasht-e Barchi"},
                origin={"dataset": "gtd", "id": "1"},
            ),
            incident_data(
                id="b",
                date="2022-09-06",
                end_date="2022-09-07",
                perpetrator={"name": "Taliban", "attribution": "suspected"},
            ),
            incident_data(id="c", date="2022-09"),
        ]
    )
    assert _groups(store, "district") == [("(none)", "2"), ("Dasht-e Barchi", "1"), ("total", "3")]
    assert _groups(store, "week") == [("2022-09", "1"), ("2022-W36", "2"), ("total", "3")]
    assert _groups(store, "day") == [
        ("2022-09", "1"),
        ("2022-09-05", "1"),
        ("2022-09-06/07", "1"),
        ("total", "3"),
    ]
    assert _groups(store, "attribution") == [("claimed", "2"), ("suspected", "1"), ("total", "3")]
    assert _groups(store, "dataset") == [("(none)", "2"), ("gtd", "1"), ("total", "3")]
    table = both_ways(store, "total", "--by", "week")
    assert "2022-09 (week not known)" in table


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_the_share_column(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    lines = both_ways(SEED_STORE, "total", "--by", "attack-type").splitlines()
    assert lines[0].split() == ["Attack", "type", "Incidents", "Share", "Killed", "Wounded"]
    shares = [next(cell for cell in line.split() if cell.endswith("%")) for line in lines[2:5]]
    assert shares == ["62.5%", "25.0%", "12.5%"]
    assert lines[6].split()[2] == "100.0%"


# --- filters ----------------------------------------------------------------------------------


def test_filters_on_attribution_and_the_other_tolls(write_store):
    store = write_store(
        [
            incident_data(id="claimed", killed=2, wounded=30),
            incident_data(
                id="suspected",
                perpetrator={"name": "Taliban", "attribution": "suspected"},
                killed=9,
                wounded={"min": 5},
            ),
            incident_data(
                id="unknown", perpetrator={"name": None, "attribution": "unknown"}, wounded=None
            ),
        ]
    )
    assert ids(store, "list", "--attribution", "suspected") == ["suspected"]
    assert ids(store, "list", "--attribution", "claimed", "--attribution", "unknown") == [
        "claimed",
        "unknown",
    ]
    assert ids(store, "list", "--min-wounded", "5") == ["claimed", "suspected"]
    assert ids(store, "list", "--max-wounded", "10") == []  # ≥5 may be more; ? may be any
    assert ids(store, "list", "--max-killed", "2") == ["claimed"]
    assert ids(store, "list", "--min-killed", "3", "--max-killed", "9") == ["suspected", "unknown"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GTD, ACLED and UCDP rows of our own writing, imported into one store."""
    store = tmp_path_factory.mktemp("imported") / "store.json"
    for dataset, path in (("gtd", GTD_CSV), ("acled", ACLED_CSV), ("ucdp", UCDP_CSV)):
        result = CliRunner().invoke(cli, ["--store", str(store), "import", dataset, str(path)])
        assert result.exit_code == 0, result.output
    return store


def test_the_usual_gtd_selections(imported):
    assert ids(imported, "list", "--code", "doubtterr=0") == ["gtd-201710080012"]
    assert ids(imported, "list", "--code", "doubtterr=0", "--code", "doubtterr=-9") == [
        "gtd-199900000021",
        "gtd-201710080012",
    ]
    assert ids(imported, "list", "--code", "crit1=1", "--code", "crit3=0") == ["gtd-201611120009"]
    code, _, err = answer(imported, "total", "--code", "doubtterr=0")
    assert code == 0
    assert err.splitlines()[-2:] == [
        "Filters: code doubtterr=0.",
        "Left out: 58 incidents with no doubtterr code (--code doubtterr=...).",
    ]


def test_clear_events_and_civilian_targeting(imported):
    clear = ids(imported, "list", "--code", "event_clarity=1")
    assert len(clear) == 18 and all(i.startswith("ucdp-") for i in clear)
    assert "ucdp-400004" not in clear  # a month of lower clarity
    assert ids(imported, "list", "--code", "civilian_targeting=1") == [
        "acled-nga80001",
        "acled-afg12001",
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("doubtterr=5", "GTD's doubtterr is one of: 0 no doubt; 1 doubt; -9 not recorded"),
        ("clarity=1", "NAME one of doubtterr, crit1, crit2, crit3, specificity"),
        ("doubtterr", "expected NAME=VALUE"),
    ],
)
def test_a_code_the_codebooks_do_not_have_is_refused(given, message):
    result = CliRunner().invoke(cli, ["list", "--code", given])
    assert result.exit_code == 2
    assert message in result.stderr


def test_place_precision_puts_the_data_sets_codes_on_one_scale(imported):
    city = set(ids(imported, "list", "--place-precision", "city"))
    assert "gtd-201710080012" in city  # specificity 1
    assert "gtd-201507150002" in city  # specificity 2: in the city, coordinates the region's
    assert "gtd-201602110004" not in city  # specificity 3: not in a city
    assert "acled-afg12001" in city and "acled-afg12002" not in city  # geo_precision 1, 2
    assert "ucdp-400002" in city and "ucdp-400003" not in city  # where_prec 2, 3
    district = set(ids(imported, "list", "--place-precision", "district"))
    assert {"gtd-201602110004", "acled-afg12002", "ucdp-400003"} <= district
    assert "gtd-201500000003" not in district  # specificity 4: the province
    assert len(ids(imported, "list", "--place-precision", "country")) == 61


def test_place_precision_of_incidents_kept_by_hand(write_store):
    store = write_store(
        [
            incident_data(id="city", location={"country": "Afghanistan", "city": "Kabul"}),
            incident_data(id="province", location={"country": "Afghanistan", "province": "Kabul"}),
            incident_data(
                id="coordinates",
                location={
                    "country": "Afghanistan",
                    "city": "Kabul",
                    "coordinates": {"lat": 34.5, "lon": 69.2, "precision": "province"},
                },
            ),
            incident_data(id="site", location={"country": "Afghanistan", "site": "An embassy"}),
        ]
    )
    assert ids(store, "list", "--place-precision", "city") == ["city", "site"]
    assert ids(store, "list", "--place-precision", "site") == ["site"]


# --- the timeline as data ---------------------------------------------------------------


def test_the_timeline_as_csv_and_json():
    rows = list(csv.DictReader(io.StringIO(both_ways(SEED_STORE, "timeline", "-f", "csv"))))
    assert list(rows[0])[:3] == ["period", "incidents", "killed_min"]
    assert [(r["period"], r["incidents"]) for r in rows][:3] == [
        ("2021-10", "1"),
        ("2021-11", "0"),
        ("2021-12", "0"),
    ]
    assert (rows[-1]["period"], rows[-1]["wounded_min"]) == ("total", "235")
    data = json.loads(both_ways(SEED_STORE, "timeline", "--by", "week", "-f", "json"))
    assert data["by"] == "week"
    assert [g["key"] for g in data["apart"]] == [
        "2021-10",
        "2022-04",
        "2022-05",
        "2022-06",
        "2022-09",
    ]
    assert data["total"]["incidents"] == 8


def test_the_timeline_skips_empty_periods_when_asked():
    every = both_ways(SEED_STORE, "timeline").splitlines()
    skipped = both_ways(SEED_STORE, "timeline", "--skip-empty").splitlines()
    assert "2021-11  0" in every and not any(line.endswith("  0") for line in skipped)
    assert [line.split()[0] for line in skipped[1:7]] == [
        "2021-10",
        "2022-04",
        "2022-05",
        "2022-06",
        "2022-09",
        "2022-12",
    ]


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_the_timeline_draws_the_wounded_beside_the_killed(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    lines = both_ways(SEED_STORE, "timeline", "--by", "day", "--skip-empty").splitlines()
    assert lines[0].split() == ["Day", "Incidents", "Killed", "Wounded"]
    assert all(len(line) <= int(columns) for line in lines[:-1])
    first = lines[1].split()
    assert (first[0], first[1], first[3], first[5]) == ("2022-09-05", "1", "6", "10")


NEW_FILTERS = [
    *(["--place-precision", level] for level in ("exact", "site", "city", "district", "province")),
    *(["--attribution", how] for how in ("claimed", "attributed", "suspected", "unknown")),
    *(["--code", f"{name}={value}"] for name, code in CODES.items() for value in code.values),
    ["--code", "doubtterr=0", "--code", "doubtterr=1", "--code", "crit3=0"],
    ["--min-killed", "5", "--max-killed", "20"],
    ["--min-wounded", "1"],
    ["--max-wounded", "10"],
]


def test_an_imports_filters_keep_what_the_index_keeps(imported):
    """``query.select`` (an import's filters) and the index's SQL, filter by filter."""
    stored = load_store(imported).incidents
    source = index_of(stored)
    matching = 0
    for options in NEW_FILTERS:
        filters = _filters(options)
        expected = [row.id for row in source.list_rows(filters, None, None)]
        assert [m.incident.id for m in select(stored, filters)] == expected, options
        matching += 0 < len(expected) < len(stored)
    assert matching >= 25  # most filters keep some incidents and leave out others
