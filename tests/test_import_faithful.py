"""Imports keep every real row and bend none: patterns seen in real exports,
reproduced with rows we wrote under each data set's header."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.fixtures.datasets import (
    ACLED_2020_HEADER,
    ACLED_HEADER,
    GTD_HEADER,
    UCDP_HEADER,
    write_csv,
)
from tests.importing import (
    UCDP_CSV,
    Runner,
    acled_good_row,
    gtd_good_row,
    import_into,
    spreadsheet,
    stored,
    ucdp_good_row,
)

# --- what an import writes, every reading command accepts -------------------------


def test_a_citation_dated_in_the_future_loses_its_date_not_the_store(
    run: Runner, tmp_path: Path
) -> None:
    # A typo in GTD's citation: 3011 for 2011.
    rows = [
        gtd_good_row(
            "201106030001",
            iyear="2011",
            imonth="6",
            iday="3",
            scite1='"Market blast kills one," Example Wire, June 3, 3011.',
        )
    ]
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "gtd", source)
    assert "added 1" in result.stderr
    incident = stored(store)["gtd-201106030001"]
    assert incident["sources"][1] == {
        "publisher": "Example Wire",
        "title": "Market blast kills one",
    }
    note = "The date of the source Example Wire is left out: 3011-06-03 is in the future."
    assert note in incident["notes"]
    for command in (("list",), ("total",), ("validate",)):
        assert run(*command, store=store).exit_code == 0, command


def test_a_source_date_in_the_future_is_noted_the_same_every_day(
    run: Runner, tmp_path: Path
) -> None:
    article = "Example Wire,3011-06-03,Clash reported"
    source = write_csv(
        tmp_path / "ged.csv", UCDP_HEADER, [ucdp_good_row("500001", source_article=article)]
    )
    store = tmp_path / "store.json"
    import_into(run, store, "ucdp", source)
    assert "today" not in stored(store)["ucdp-500001"]["notes"]
    again = import_into(run, store, "ucdp", source)
    assert "nothing new (added 0, updated 0, 1 unchanged)" in again.stderr


def test_an_attack_dated_in_the_future_is_skipped_and_named(run: Runner, tmp_path: Path) -> None:
    next_year = str(date.today().year + 1)
    rows = [gtd_good_row("202005040001"), gtd_good_row("302005040002", iyear=next_year)]
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "gtd", source)
    assert f"{source}:3: cannot keep it: date: {next_year}-05-04 is in the future" in result.stderr
    assert "Skipped 1 row" in result.stderr
    assert list(stored(store)) == ["gtd-202005040001"]
    assert run("validate", store=store).exit_code == 0


def test_an_event_of_yesterday_known_to_the_week_is_kept(run: Runner, tmp_path: Path) -> None:
    yesterday = date.today() - timedelta(days=1)
    row = acled_good_row(
        "AFG99001",
        event_date=yesterday.isoformat(),
        year=str(yesterday.year),
        time_precision="2",
    )
    source = write_csv(tmp_path / "acled.csv", ACLED_HEADER, [row])
    store = tmp_path / "store.json"
    import_into(run, store, "acled", source)
    incident = stored(store)["acled-afg99001"]
    assert incident["end_date"] == (yesterday + timedelta(days=3)).isoformat()
    listed = run("list", "--format", "csv", store=store)
    assert listed.exit_code == 0, listed.stderr
    assert "acled-afg99001" in listed.stdout
    assert run("validate", store=store).exit_code == 0


# --- dates read as each codebook writes them ---------------------------------------


def _gtd_extended(eventid: str, resolution: str) -> dict[str, str]:
    """A GTD incident of 5 March 2001 that lasted until ``resolution``."""
    return gtd_good_row(
        eventid, iyear="2001", imonth="3", iday="5", extended="1", resolution=resolution
    )


def test_gtd_resolution_dates_are_month_first(run: Runner, tmp_path: Path) -> None:
    rows = [
        _gtd_extended("200103050001", "10/31/2001"),  # the day above 12
        _gtd_extended("200103050002", "3/8/2001"),  # 8 March, not 3 August
    ]
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "gtd", source)
    assert "Skipped" not in result.stderr
    incidents = stored(store)
    assert incidents["gtd-200103050001"]["end_date"] == "2001-10-31"
    assert incidents["gtd-200103050002"]["end_date"] == "2001-03-08"


def test_gtd_spreadsheet_resolutions_as_date_cells_or_day_numbers(
    run: Runner, tmp_path: Path
) -> None:
    rows = [
        {**_gtd_extended("200103050001", ""), "resolution": datetime(2001, 10, 31)},
        {**_gtd_extended("200103050002", ""), "resolution": 36958},  # day 36958: 2001-03-08
    ]
    store = tmp_path / "store.json"
    import_into(run, store, "gtd", spreadsheet(tmp_path / "gtd.xlsx", rows))
    incidents = stored(store)
    assert incidents["gtd-200103050001"]["end_date"] == "2001-10-31"
    assert incidents["gtd-200103050002"]["end_date"] == "2001-03-08"


def test_an_impossible_resolution_makes_the_end_unknown(run: Runner, tmp_path: Path) -> None:
    # Spreadsheet artefacts seen in real exports: day 0 (1899-12-30), and worse.
    rows = [
        _gtd_extended("200103050001", "12/30/1899"),
        _gtd_extended("200103050002", "9/23/1899"),
        _gtd_extended("200103050003", "31/10/2001"),  # day first: no month 31
    ]
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    xlsx = spreadsheet(
        tmp_path / "gtd.xlsx", [{**_gtd_extended("200103050004", ""), "resolution": 0}]
    )
    store = tmp_path / "store.json"
    result = import_into(run, store, "gtd", source)
    import_into(run, store, "gtd", xlsx)
    assert "added 3" in result.stderr
    incidents = stored(store)
    for eventid in ("200103050001", "200103050002", "200103050003", "200103050004"):
        assert "end_date" not in incidents[f"gtd-{eventid}"]
    notes = [incidents[f"gtd-20010305000{n}"]["notes"] for n in (1, 3, 4)]
    assert (
        "GTD's resolution date 12/30/1899 (1899-12-30) is left out: it is before the attack."
        in (notes[0])
    )
    assert (
        "GTD's resolution date 31/10/2001 is left out: expected a date written m/d/yyyy "
        "(month must be in 1..12)." in notes[1]
    )
    assert "GTD's resolution date 0 (1899-12-30) is left out" in notes[2]


def test_acled_dates_of_every_export_day_first(run: Runner, tmp_path: Path) -> None:
    layouts = {
        "AFG1": ("2016-07-22", "2016-07-22"),
        "AFG2": ("9-May-20", "2020-05-09"),
        "AFG3": ("21 March 2020", "2020-03-21"),
        "AFG4": ("01-January-2015", "2015-01-01"),
        "AFG5": ("02/01/1997", "1997-01-02"),  # the codebook: day / month / year
        "AFG6": ("25/01/1997", "1997-01-25"),
        "AFG7": ("13-02-1998", "1998-02-13"),
    }
    rows = [
        acled_good_row(event_id, event_date=given, year=expected[:4])
        for event_id, (given, expected) in layouts.items()
    ]
    rows.append(acled_good_row("AFG8", event_date="01/25/1997", year="1997"))  # month first
    rows.append(acled_good_row("AFG9", event_date="Sep 5 2022"))  # a layout ACLED never uses
    source = write_csv(tmp_path / "acled.csv", ACLED_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "acled", source)
    incidents = stored(store)
    for event_id, (_, expected) in layouts.items():
        assert incidents[f"acled-{event_id.lower()}"]["date"] == expected
    assert (
        f'{source}:9: event_date "01/25/1997": expected a date written as ACLED writes them '
        "(2016-07-02, 9-May-20, 21 March 2020, 02/01/1997) (month must be in 1..12)"
    ) in result.stderr
    assert f'{source}:10: event_date "Sep 5 2022": expected a date written' in result.stderr


def test_ucdp_dates_and_an_end_before_the_start(run: Runner, tmp_path: Path) -> None:
    rows = [
        ucdp_good_row(
            "500001", date_start="2017-10-18 00:00:00.000", date_end="2017-10-21 00:00:00.000"
        ),
        ucdp_good_row("500002", date_start="2017-10-18", date_end="2017-10-08"),
        ucdp_good_row("500003", date_start="2017-10-18", date_end="18/10/2017"),
    ]
    source = write_csv(tmp_path / "ged.csv", UCDP_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "ucdp", source)
    assert "Skipped" not in result.stderr
    incidents = stored(store)
    assert (incidents["ucdp-500001"]["date"], incidents["ucdp-500001"]["end_date"]) == (
        "2017-10-18",
        "2017-10-21",
    )
    assert "end_date" not in incidents["ucdp-500002"]
    assert (
        "UCDP's date_end 2017-10-08 is left out: it is before date_start."
        in (incidents["ucdp-500002"]["notes"])
    )
    assert (
        "UCDP's date_end '18/10/2017' is left out: expected a date written as UCDP"
        in (incidents["ucdp-500003"]["notes"])
    )


# --- figures kept as the source gives them -----------------------------------------


def test_ucdp_estimates_out_of_order_are_kept_with_a_note(run: Runner, tmp_path: Path) -> None:
    # low / best / high as seen in GED 23.1
    rows = [
        ucdp_good_row("500001", low="7", best="7", high="6"),
        ucdp_good_row("500002", low="7", best="6", high="7"),
        ucdp_good_row("500003", low="4", best="5", high="4"),
    ]
    source = write_csv(tmp_path / "ged.csv", UCDP_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "ucdp", source)
    assert "added 3" in result.stderr
    incidents = stored(store)
    assert incidents["ucdp-500001"]["killed"] == {"min": 6, "max": 7, "best": 7}
    assert incidents["ucdp-500002"]["killed"] == {"min": 6, "max": 7, "best": 6}
    assert incidents["ucdp-500003"]["killed"] == {"min": 4, "max": 5, "best": 5}
    assert (
        "UCDP's death estimates are out of order (low 7, best 7, high 6): "
        "the range covers all three."
    ) in incidents["ucdp-500001"]["notes"]
    total = run("total", "--format", "json", store=store)
    assert json.loads(total.stdout)["total"]["killed"]["best"] == 18


def _linked_attacks() -> list[dict[str, str]]:
    """Sixteen attacks of one day sharing 317 killed and 1,250 wounded as GTD's
    1993 release shares them (19.8 and 78.125 each), and six sharing 2 wounded."""
    shared = [
        gtd_good_row(
            f"1993031290{n:02d}",
            iyear="1993",
            imonth="3",
            iday="12",
            nkill="19.8",
            nwound="78.125",
            nkillter="0.5",
        )
        for n in range(1, 17)
    ]
    lima = [
        gtd_good_row(
            f"1993091390{n:02d}",
            iyear="1993",
            imonth="9",
            iday="13",
            country_txt="Peru",
            provstate="Lima",
            city="Lima",
            nkill="0",
            nwound="0.33",
        )
        for n in range(1, 7)
    ]
    return [*shared, *lima, gtd_good_row("199301010001", iyear="1993", imonth="1", iday="1")]


def test_fractional_gtd_figures_are_kept_as_given(run: Runner, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, _linked_attacks())
    store = tmp_path / "store.json"
    result = import_into(run, store, "gtd", source)
    assert "added 23" in result.stderr
    incident = stored(store)["gtd-199303129001"]
    assert (incident["killed"], incident["wounded"]) == (
        {"min": 0, "best": 19.8},
        {"min": 0, "best": 78.125},
    )
    assert (
        "GTD gives killed 19.8 and wounded 78.125: a share of the casualties reported for "
        "linked attacks together, not a count for this attack alone; kept as the best estimate."
    ) in incident["notes"]
    assert "Perpetrators among the killed: 0.5." in incident["notes"]
    assert stored(store)["gtd-199309139001"]["killed"] == 0
    shown = run("show", "gtd-199303129001", store=store)
    assert "Killed         at least 0 (best 19.8)" in shown.stdout


def test_totals_over_linked_attacks_come_to_the_sources_sum(run: Runner, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, _linked_attacks())
    store = tmp_path / "store.json"
    import_into(run, store, "gtd", source)
    # GTD's own sums: 16 x 19.8 + 1 = 317.8 killed; 16 x 78.125 + 6 x 0.33 + 2 = 1,253.98.
    for engine in ((), ("--no-index",)):
        total = json.loads(run(*engine, "total", "--format", "json", store=store).stdout)
        assert total["total"]["killed"] == {"min": 1, "max": None, "unknown": 0, "best": 317.8}
        assert total["total"]["wounded"]["best"] == 1253.98
        table = run(*engine, "total", store=store).stdout
        assert "at least 1; best estimate 317.8" in table
        by_year = run(*engine, "total", "--by", "year", "--format", "csv", store=store).stdout
        assert "1993,23,1,,0,2,,0,317.8,1253.98" in by_year


def test_fractional_figures_in_a_spreadsheet(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    import_into(run, store, "gtd", spreadsheet(tmp_path / "gtd.xlsx", _linked_attacks()))
    assert stored(store)["gtd-199309139002"]["wounded"] == {"min": 0, "best": 0.33}


# --- exports carry the best estimate -------------------------------------------------


def test_every_export_carries_the_best_estimate(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    import_into(run, store, "ucdp", UCDP_CSV)
    rows = [
        gtd_good_row("199303129001", iyear="1993", imonth="3", iday="12", nkill="19.8"),
        gtd_good_row("199303129002", iyear="1993", imonth="3", iday="12", nkill="16"),
    ]
    import_into(run, store, "gtd", write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows))
    for engine in ((), ("--no-index",)):
        exported = run(*engine, "export", "--format", "csv", store=store).stdout
        by_id = {row["id"]: row for row in csv.DictReader(io.StringIO(exported))}
        ucdp = by_id["ucdp-400001"]  # low 25, best 31, high 40
        assert (ucdp["killed_min"], ucdp["killed_max"], ucdp["killed_best"]) == ("25", "40", "31")
        assert ucdp["wounded_best"] == ""  # UCDP records no wounded
        assert by_id["gtd-199303129001"]["killed_best"] == "19.8"
        assert by_id["gtd-199303129002"]["killed_best"] == "16"  # exact: its own best
        geojson = json.loads(run(*engine, "export", "--format", "geojson", store=store).stdout)
        properties = {f["id"]: f["properties"] for f in geojson["features"]}
        assert properties["ucdp-400001"]["killed_best"] == 31
        assert properties["gtd-199303129001"]["killed_best"] == 19.8
        assert properties["ucdp-400001"]["wounded_best"] is None
        markdown = run(*engine, "export", "--format", "markdown", store=store).stdout
        assert "| 25–40 (best 31) |" in markdown
        assert "| ≥0 (best 19.8) |" in markdown


# --- the slice asked for -------------------------------------------------------------


def test_rows_outside_the_dates_asked_for_are_not_bad_rows(run: Runner, tmp_path: Path) -> None:
    # 150 rows of 2015 this tool cannot map (an attack type GTD does not have),
    # then the rows wanted.
    rows = [gtd_good_row(f"2015010{n:05d}", iyear="2015", attacktype1="42") for n in range(150)]
    rows += [gtd_good_row("202005040001"), gtd_good_row("202005040002")]
    source = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    store = tmp_path / "store.json"
    for dates in (("--since", "2020"), ("--on", "2020-05"), ("--until", "2014")):
        result = run("import", "gtd", source, *dates, "--dry-run", store=store)
        assert result.exit_code == 0, result.stderr
        assert "could not be read" not in result.stderr
    result = import_into(run, store, "gtd", source, "--since", "2020-05-04")
    assert "added 2" in result.stderr
    assert "Left out 150 rows outside the filters." in result.stderr
    # Inside the slice, the same rows are bad rows, and are counted.
    inside = run("import", "gtd", source, "--since", "2015", "--dry-run", store=store)
    assert inside.exit_code == 1
    assert "stopped after 100 bad rows (--max-errors)" in inside.stderr


def test_a_window_reaching_into_the_dates_asked_for_is_kept(run: Runner, tmp_path: Path) -> None:
    acled = write_csv(
        tmp_path / "acled.csv",
        ACLED_HEADER,
        [acled_good_row("AFG1", event_date="2020-01-02", year="2020", time_precision="2")],
    )
    ucdp = write_csv(
        tmp_path / "ged.csv",
        UCDP_HEADER,
        [ucdp_good_row("500001", date_start="2016-12-20", date_end="2017-01-10", date_prec="4")],
    )
    store = tmp_path / "store.json"
    import_into(run, store, "acled", acled, "--until", "2019-12-31")
    import_into(run, store, "ucdp", ucdp, "--since", "2017")
    assert sorted(stored(store)) == ["acled-afg1", "ucdp-500001"]


def test_an_acled_row_without_its_event_id_is_known_by_its_data_id(
    run: Runner, tmp_path: Path
) -> None:
    rows = [
        {**acled_good_row("AFG1"), "data_id": "7000001"},
        {**acled_good_row(""), "data_id": "7000002"},
    ]
    source = write_csv(tmp_path / "acled.csv", ACLED_2020_HEADER, rows)
    store = tmp_path / "store.json"
    result = import_into(run, store, "acled", source)
    assert "added 2" in result.stderr
    incident = stored(store)["acled-data_id:7000002"]
    assert incident["origin"]["id"] == "data_id:7000002"
    assert incident["notes"].startswith(
        "ACLED gives no event id; the row's data_id (7000002) stands for it"
    )
    again = import_into(run, store, "acled", source)
    assert "2 unchanged" in again.stderr
