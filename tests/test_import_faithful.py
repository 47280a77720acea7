"""Imports keep every real row and bend none: patterns seen in real exports,
reproduced with rows we wrote under each data set's header."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.fixtures.datasets import ACLED_HEADER, GTD_HEADER, UCDP_HEADER, write_csv
from tests.importing import (
    Runner,
    acled_good_row,
    gtd_good_row,
    import_into,
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
