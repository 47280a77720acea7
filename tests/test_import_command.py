"""`incidents import`: merging by origin, bad rows, filters, files of every kind."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from incidents.importers import gtd as gtd_module
from incidents.model import Incident
from tests.conftest import SEED_STORE
from tests.fixtures.datasets import (
    ACLED_HEADER,
    FIXTURE_FILES,
    GTD_HEADER,
    GTD_ROWS,
    UCDP_HEADER,
    csv_text,
    write_all,
    write_csv,
)
from tests.importing import (
    ACLED_CSV,
    GTD_CSV,
    UCDP_CSV,
    Runner,
    gtd_good_row,
    import_into,
    spreadsheet,
    stored,
)


def gtd_file(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    return write_csv(path, GTD_HEADER, rows, encoding)


good_row = gtd_good_row


# --- merging by origin ------------------------------------------------------------


def test_importing_the_same_file_twice_adds_nothing(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    first = import_into(run, store, "gtd", GTD_CSV)
    assert f"{store}: added 24, updated 0, 0 unchanged." in first.stderr
    before = store.read_bytes()
    second = import_into(run, store, "gtd", GTD_CSV)
    assert f"{store}: nothing new (added 0, updated 0, 24 unchanged); not rewritten." in (
        second.stderr
    )
    assert store.read_bytes() == before


def test_a_newer_export_updates_by_original_id(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    gtd_file(tmp_path / "old.csv", [good_row("202005040001"), good_row("202005040002")])
    import_into(run, store, "gtd", tmp_path / "old.csv")
    newer = [
        good_row("202005040001"),
        good_row("202005040002", nkill="5", gname="Taliban", claimed="1"),
        good_row("202005040003"),
    ]
    gtd_file(tmp_path / "new.csv", newer)
    result = import_into(run, store, "gtd", tmp_path / "new.csv")
    assert f"{store}: added 1, updated 1, 1 unchanged." in result.stderr
    incidents = stored(store)
    assert list(incidents) == ["gtd-202005040001", "gtd-202005040002", "gtd-202005040003"]
    assert incidents["gtd-202005040002"]["killed"] == 5
    assert incidents["gtd-202005040002"]["perpetrator"]["name"] == "Taliban"


def test_an_update_keeps_an_id_the_user_gave(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    gtd_file(tmp_path / "a.csv", [good_row("202005040001")])
    import_into(run, store, "gtd", tmp_path / "a.csv")
    store.write_text(
        store.read_text(encoding="utf-8").replace("gtd-202005040001", "2020-05-04-kabul"),
        encoding="utf-8",
    )
    gtd_file(tmp_path / "b.csv", [good_row("202005040001", nkill="9")])
    result = import_into(run, store, "gtd", tmp_path / "b.csv")
    assert "added 0, updated 1, 0 unchanged" in result.stderr
    incidents = stored(store)
    assert list(incidents) == ["2020-05-04-kabul"]
    assert incidents["2020-05-04-kabul"]["killed"] == 9


def test_imports_join_the_incidents_already_in_the_store(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    shutil.copy(SEED_STORE, store)
    import_into(run, store, "ucdp", UCDP_CSV)
    result = run("list", "--format", "json", store=store)
    assert result.exit_code == 0
    ids = [incident["id"] for incident in json.loads(result.stdout)["incidents"]]
    assert len(ids) == 8 + 20
    assert "2022-12-02-kabul" in ids


def test_an_id_taken_by_another_incident_gets_a_suffix(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    taken = SEED_STORE.read_text(encoding="utf-8").replace(
        '"id": "2022-12-02-kabul"', '"id": "gtd-202005040001"'
    )
    store.write_text(taken, encoding="utf-8")
    gtd_file(tmp_path / "a.csv", [good_row("202005040001")])
    import_into(run, store, "gtd", tmp_path / "a.csv")
    incidents = stored(store)
    assert incidents["gtd-202005040001-2"]["origin"] == {"dataset": "gtd", "id": "202005040001"}
    assert "origin" not in incidents["gtd-202005040001"]


def test_the_same_origin_in_two_data_sets_is_two_incidents(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    import_into(run, store, "gtd", GTD_CSV)
    import_into(run, store, "ucdp", UCDP_CSV)
    assert len(stored(store)) == 24 + 20


# --- bad rows ---------------------------------------------------------------------


BAD_ROWS = [
    good_row("202005040001"),
    good_row("202005040002", nkill="many"),
    good_row("202005040003", attacktype1="12"),
    good_row("202002000004", imonth="2", iday="30"),
    good_row("202005040005", latitude="91", longitude="69.1"),
    good_row("202005040001"),
    good_row("202005040007", country_txt=""),
    good_row("202005040008"),
]


def test_bad_rows_are_reported_and_skipped(run: Runner, tmp_path: Path) -> None:
    path = gtd_file(tmp_path / "bad.csv", BAD_ROWS)
    store = tmp_path / "store.json"
    result = run("import", "gtd", path, store=store)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:6] == [
        f'{path}:3: nkill "many": expected a whole number, or blank when not known',
        f'{path}:4: attacktype1 "12": expected a GTD attack type code from 1 to 9',
        f'{path}:5: iday "30": day 30 does not exist in 2020-02',
        f'{path}:6: latitude "91": expected degrees between -90 and 90',
        f'{path}:7: eventid "202005040001": the same event as line 2; the row is skipped',
        f'{path}:8: country_txt "": is blank, but every row needs it',
    ]
    assert "Skipped 6 rows that could not be read (listed above)." in result.stderr
    assert sorted(stored(store)) == ["gtd-202005040001", "gtd-202005040008"]


def test_a_row_with_too_few_cells_is_reported(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    text = csv_text(GTD_HEADER, [good_row("202005040001")]) + "202005040002,2020,5\r\n"
    path.write_text(text, encoding="utf-8")
    result = run("import", "gtd", path, store=tmp_path / "store.json")
    assert result.exit_code == 0
    assert f"{path}:3: has 3 cells, but the header has 135" in result.stderr


def test_max_errors_stops_and_writes_nothing(run: Runner, tmp_path: Path) -> None:
    path = gtd_file(tmp_path / "bad.csv", BAD_ROWS)
    store = tmp_path / "store.json"
    shutil.copy(SEED_STORE, store)
    before = store.read_bytes()
    result = run("import", "gtd", path, "--max-errors", "2", store=store)
    assert result.exit_code == 1
    assert result.stderr.count(f"{path}:") == 2
    assert "Error: stopped after 2 bad rows (--max-errors); nothing was written." in (result.stderr)
    assert store.read_bytes() == before


def test_max_errors_zero_means_no_limit(run: Runner, tmp_path: Path) -> None:
    rows = [good_row(f"2020050400{n:02d}", nkill="x") for n in range(12)]
    rows.append(good_row("202005049999"))
    path = gtd_file(tmp_path / "bad.csv", rows)
    result = run("import", "gtd", path, "--max-errors", "0", store=tmp_path / "s.json")
    assert result.exit_code == 0
    assert "Skipped 12 rows" in result.stderr
    assert list(stored(tmp_path / "s.json")) == ["gtd-202005049999"]


def test_the_default_limit_is_a_hundred_bad_rows(run: Runner, tmp_path: Path) -> None:
    rows = [good_row(f"20200504{n:04d}", nkill="x") for n in range(150)]
    path = gtd_file(tmp_path / "bad.csv", rows)
    result = run("import", "gtd", path, store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert result.stderr.count(f"{path}:") == 100
    assert "stopped after 100 bad rows" in result.stderr
    assert not (tmp_path / "s.json").exists()


def test_strict_refuses_the_whole_file_for_one_bad_row(run: Runner, tmp_path: Path) -> None:
    path = gtd_file(tmp_path / "bad.csv", BAD_ROWS)
    store = tmp_path / "store.json"
    shutil.copy(SEED_STORE, store)
    before = store.read_bytes()
    result = run("import", "gtd", path, "--strict", store=store)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'{path}:3: nkill "many": expected a whole number, or blank when not known',
        "Error: stopped at the first bad row (--strict); nothing was written",
    ]
    assert store.read_bytes() == before


def test_an_interrupted_import_leaves_the_store_as_it_was(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.json"
    shutil.copy(SEED_STORE, store)
    before = store.read_bytes()
    convert = gtd_module.to_incident
    seen = []

    def interrupted_midway(row: Any) -> Incident:
        seen.append(row)
        if len(seen) == 10:
            raise KeyboardInterrupt
        return convert(row)

    monkeypatch.setattr(gtd_module, "to_incident", interrupted_midway)
    result = run("import", "gtd", GTD_CSV, store=store)
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.json"]


def test_dry_run_reads_everything_and_writes_nothing(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    result = run("import", "gtd", GTD_CSV, "--dry-run", store=store)
    assert result.exit_code == 0
    assert f"Dry run: would have added 24, updated 0, 0 unchanged; {store} not written." in (
        result.stderr
    )
    assert not store.exists()


# --- filters ----------------------------------------------------------------------


def test_country_and_dates_take_a_slice(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "afg.json"
    result = import_into(run, store, "gtd", GTD_CSV, "--country", "Afghanistan", "--since", "2016")
    assert "added 12, updated 0, 0 unchanged" in result.stderr
    assert "Left out 12 rows outside the filters." in result.stderr
    incidents = stored(store).values()
    assert {i["location"]["country"] for i in incidents} == {"Afghanistan"}
    assert min(i["date"] for i in incidents) >= "2016"


def test_country_accepts_other_spellings_and_several(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    import_into(run, store, "gtd", GTD_CSV, "--country", "afghanestan", "--country", "PAKISTAN")
    countries = {i["location"]["country"] for i in stored(store).values()}
    assert countries == {"Afghanistan", "Pakistan"}


def test_shared_filters_apply_at_import(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    import_into(run, store, "gtd", GTD_CSV, "--target-type", "mosque", "--until", "2017-06")
    assert sorted(stored(store)) == ["gtd-201608260015", "gtd-201705190013"]


# --- files ------------------------------------------------------------------------


def test_the_wrong_data_set_names_what_it_expected_and_found(run: Runner, tmp_path: Path) -> None:
    result = run("import", "gtd", ACLED_CSV, store=tmp_path / "s.json")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"Error: {ACLED_CSV}: not a GTD export: the header lacks eventid, imonth, iday, "
        "country_txt, attacktype1, targtype1, gname, nkill, nwound."
    )
    assert lines[1].startswith("  expected columns: eventid, iyear, imonth, iday,")
    assert lines[2].startswith("  found: event_id_cnty, event_date, year, time_precision,")
    assert lines[3] == "  It looks like an ACLED export: import it as acled."
    assert not (tmp_path / "s.json").exists()


def test_an_unrecognised_file_says_what_it_found(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,when\nx,2020\n", encoding="utf-8")
    result = run("import", "ucdp", path, store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert f"{path}: not a UCDP GED export" in result.stderr
    assert "  found: name, when" in result.stderr


def test_an_empty_file_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = run("import", "gtd", path, store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert f"Error: {path}: the file is empty, or its first line is" in result.stderr


def test_a_missing_file_is_bad_data_not_a_bad_command(run: Runner, tmp_path: Path) -> None:
    result = run("import", "gtd", tmp_path / "nowhere.csv", store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nowhere.csv'}: no such file" in result.stderr


def test_an_unknown_data_set_is_a_usage_error(run: Runner, tmp_path: Path) -> None:
    result = run("import", "rand", GTD_CSV, store=tmp_path / "s.json")
    assert result.exit_code == 2
    assert "'rand' is not one of 'gtd', 'acled', 'ucdp'" in result.stderr


def test_without_a_store_the_bundled_copy_is_not_written(run: Runner) -> None:
    result = run("import", "gtd", GTD_CSV, store=None)
    assert result.exit_code == 2
    assert "no store to import into: give --store PATH" in result.stderr


def test_a_broken_store_is_reported_and_left_alone(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    store.write_text('{"incidents": [}', encoding="utf-8")
    result = run("import", "gtd", GTD_CSV, store=store)
    assert result.exit_code == 1
    assert f"{store}:1:" in result.stderr
    assert store.read_text(encoding="utf-8") == '{"incidents": [}'


def test_a_new_store_is_readable_by_every_command(run: Runner, tmp_path: Path) -> None:
    store = tmp_path / "new" / "afg.json"
    store.parent.mkdir()
    import_into(run, store, "gtd", GTD_CSV, "--country", "Afghanistan")
    result = run("total", "--by", "year", store=store)
    assert result.exit_code == 0
    assert "Total" in result.stdout


def test_a_latin_1_file_keeps_accented_names(run: Runner, tmp_path: Path) -> None:
    rows = [row for row in GTD_ROWS if row["eventid"] != "201705190013"]  # ā, ī: not Latin-1
    path = gtd_file(tmp_path / "latin.csv", rows, encoding="latin-1")
    store = tmp_path / "s.json"
    result = import_into(run, store, "gtd", path)
    assert "(not UTF-8: read as Latin-1)" in result.stderr
    incidents = stored(store)
    assert incidents["gtd-201608260015"]["location"]["city"] == "Saint-Étienne-du-Rouvray"
    assert incidents["gtd-201608260015"]["target"] == "Église paroissiale"
    assert incidents["gtd-201802030016"]["location"]["city"] == "Medellín"


def test_windows_1252_punctuation_is_read_as_meant(run: Runner, tmp_path: Path) -> None:
    path = gtd_file(
        tmp_path / "cp1252.csv", [good_row("202005040001", target1="“Café” – Bogotá")], "cp1252"
    )
    store = tmp_path / "s.json"
    import_into(run, store, "gtd", path)
    assert stored(store)["gtd-202005040001"]["target"] == "“Café” – Bogotá"


def test_a_byte_order_mark_is_not_part_of_the_first_column(run: Runner, tmp_path: Path) -> None:
    path = gtd_file(tmp_path / "bom.csv", GTD_ROWS, encoding="utf-8-sig")
    store = tmp_path / "s.json"
    result = import_into(run, store, "gtd", path)
    assert "not UTF-8" not in result.stderr
    assert stored(store)["gtd-201705190013"]["location"]["city"] == "Mazār-i-Sharīf"


def test_gtd_files_with_year_instead_of_iyear(run: Runner, tmp_path: Path) -> None:
    header = [{"iyear": "year", "imonth": "month", "iday": "day"}.get(c, c) for c in GTD_HEADER]
    rows = [
        {{"iyear": "year", "imonth": "month", "iday": "day"}.get(k, k): v for k, v in row.items()}
        for row in GTD_ROWS
    ]
    path = write_csv(tmp_path / "renamed.csv", header, rows)
    store = tmp_path / "s.json"
    import_into(run, store, "gtd", path)
    incidents = stored(store)
    assert incidents["gtd-201503000001"]["date"] == "2015-03"
    assert len(incidents) == len(GTD_ROWS)


def test_acled_and_ucdp_headers_in_upper_case(run: Runner, tmp_path: Path) -> None:
    for dataset, header, source in (
        ("acled", ACLED_HEADER, ACLED_CSV),
        ("ucdp", UCDP_HEADER, UCDP_CSV),
    ):
        text = source.read_text(encoding="utf-8")
        upper = text.replace(",".join(header), ",".join(header).upper(), 1)
        path = tmp_path / f"{dataset}-upper.csv"
        path.write_text(upper, encoding="utf-8")
        import_into(run, tmp_path / f"{dataset}.json", dataset, path)
        assert stored(tmp_path / f"{dataset}.json")


def test_a_gtd_spreadsheet_imports_like_the_csv(run: Runner, tmp_path: Path) -> None:
    path = spreadsheet(tmp_path / "gtd.xlsx", GTD_ROWS)
    from_xlsx, from_csv = tmp_path / "xlsx.json", tmp_path / "csv.json"
    import_into(run, from_xlsx, "gtd", path)
    import_into(run, from_csv, "gtd", GTD_CSV)
    assert stored(from_xlsx) == stored(from_csv)


def test_a_spreadsheet_without_openpyxl_says_how_to_install_it(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = spreadsheet(tmp_path / "gtd.xlsx", GTD_ROWS[:2])
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    result = run("import", "gtd", path, store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: reading .xlsx files needs openpyxl; install it with "
        "pip install 'incidents[xlsx]', or save the sheet as CSV\n"
    )


def test_a_large_file_streams_through(run: Runner, tmp_path: Path) -> None:
    rows = [good_row(f"2020050{n:05d}") for n in range(3000)]
    path = gtd_file(tmp_path / "large.csv", rows)
    store = tmp_path / "s.json"
    result = import_into(run, store, "gtd", path, "--country", "Afghanistan")
    assert "Read 3,000 rows" in result.stderr
    assert "added 3,000, updated 0, 0 unchanged" in result.stderr


def test_the_command_help_has_examples(run: Runner) -> None:
    result = run("import", "--help")
    assert result.exit_code == 0
    assert "incidents --store afg.json import gtd gtd.csv --country Afghanistan" in result.stdout


def test_fixture_files_are_current(tmp_path: Path) -> None:
    write_all(tmp_path)
    for name in FIXTURE_FILES:
        assert (tmp_path / name).read_bytes() == (GTD_CSV.parent / name).read_bytes(), name


def test_a_semicolon_separated_file_is_read(run: Runner, tmp_path: Path) -> None:
    text = csv_text(GTD_HEADER, [good_row("202005040001", target1="Market, east side")])
    rows = list(csv.reader(io.StringIO(text)))
    path = tmp_path / "semicolons.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    store = tmp_path / "s.json"
    import_into(run, store, "gtd", path)
    assert stored(store)["gtd-202005040001"]["target"] == "Market, east side"


def test_an_old_excel_file_is_refused_with_a_way_out(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "gtd.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("import", "gtd", path, store=tmp_path / "s.json")
    assert result.exit_code == 1
    assert "an old Excel .xls file cannot be read; save it as .xlsx or CSV" in result.stderr


def test_a_repeated_event_after_a_bad_first_copy_is_imported(run: Runner, tmp_path: Path) -> None:
    rows = [good_row("202005040001", nkill="x"), good_row("202005040001")]
    path = gtd_file(tmp_path / "twice.csv", rows)
    store = tmp_path / "s.json"
    result = import_into(run, store, "gtd", path)
    assert "Skipped 1 row that could not be read" in result.stderr
    assert list(stored(store)) == ["gtd-202005040001"]


def test_a_bad_date_names_the_column_at_fault(run: Runner, tmp_path: Path) -> None:
    rows = [good_row("1", imonth="13"), good_row("2", iyear="0"), good_row("3", iday="32")]
    path = gtd_file(tmp_path / "dates.csv", rows)
    result = run("import", "gtd", path, "--dry-run", store=tmp_path / "s.json")
    assert result.stderr.splitlines()[:3] == [
        f'{path}:2: imonth "13": month 13 does not exist',
        f'{path}:3: iyear "0": year 0 is out of range',
        f'{path}:4: iday "32": day 32 does not exist in 2020-05',
    ]


def test_excel_unicode_text_is_read(run: Runner, tmp_path: Path) -> None:
    text = csv_text(GTD_HEADER, GTD_ROWS[:3]).replace(",", "\t")
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))
    store = tmp_path / "s.json"
    result = import_into(run, store, "gtd", path)
    assert "(not UTF-8: read as UTF-16)" in result.stderr
    assert len(stored(store)) == 3


@pytest.mark.parametrize(
    ("dataset", "path"), [("gtd", GTD_CSV), ("acled", ACLED_CSV), ("ucdp", UCDP_CSV)]
)
def test_every_data_set_imports_idempotently(
    run: Runner, tmp_path: Path, dataset: str, path: Path
) -> None:
    store = tmp_path / "s.json"
    import_into(run, store, dataset, path)
    before = store.read_bytes()
    again = import_into(run, store, dataset, path)
    assert "nothing new (added 0, updated 0," in again.stderr
    assert store.read_bytes() == before
