"""Input files read by `import`: broken quotes, duplicate columns, mixed
encodings and spreadsheets that are not what they claim."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.datasets import ACLED_HEADER, GTD_HEADER, csv_text, write_csv
from tests.importing import (
    Runner,
    acled_good_row,
    gtd_good_row,
    import_into,
    spreadsheet,
    stored,
)


def _hundred_rows() -> list[dict[str, str]]:
    return [gtd_good_row(f"2020050400{n:02d}") for n in range(100)]


def _gtd_file(path: Path, rows: list[dict[str, str]], **raw: str) -> Path:
    """A GTD file of ``rows`` where each cell written as a key of ``raw`` is
    replaced by its value as it stands, quotes and all."""
    text = csv_text(GTD_HEADER, rows)
    for marker, cell in raw.items():
        text = text.replace(marker, cell)
    path.write_text(text, encoding="utf-8")
    return path


# --- a quote left open ----------------------------------------------------------------


def test_an_open_quote_in_the_last_column_is_named_not_swallowed(
    run: Runner, tmp_path: Path
) -> None:
    rows = _hundred_rows()
    rows[1]["related"] = "OPEN"
    # A quote opened and never closed.
    source = _gtd_file(tmp_path / "gtd.csv", rows, OPEN='"202005040000, 202005040002')
    store = tmp_path / "store.json"
    result = run("import", "gtd", source, store=store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}:3: a quote opened on this line is not closed until line 101, so the "
        "lines between, other rows among them, were read as one cell. Close the quote (a quote "
        'inside a quoted cell is written twice: "") and import again; nothing was written.\n'
    )
    assert not store.exists()


def test_an_open_quote_in_a_middle_column_is_named(run: Runner, tmp_path: Path) -> None:
    rows = _hundred_rows()
    rows[1]["summary"] = "OPEN"
    source = _gtd_file(tmp_path / "gtd.csv", rows, OPEN='"A bombing at the market')
    result = run("import", "gtd", source, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert f"{source}:3: a quote opened on this line is not closed until line 101" in (
        result.stderr
    )


def test_a_quote_closed_by_the_next_rows_quote_is_named(run: Runner, tmp_path: Path) -> None:
    rows = _hundred_rows()
    rows[1]["summary"] = "OPEN"
    rows[2]["summary"] = 'Another "quoted" word'
    source = _gtd_file(tmp_path / "gtd.csv", rows, OPEN='"A bombing at the market')
    result = run("import", "gtd", source, store=tmp_path / "store.json")
    # The cells came out right in number: without the check, one row was lost.
    assert result.exit_code == 1
    assert f"{source}:3: a quote opened on this line is not closed until line 4" in result.stderr


def test_a_row_over_two_lines_with_a_cell_too_many_names_the_quote(
    run: Runner, tmp_path: Path
) -> None:
    rows = [acled_good_row("AFG1", notes="Gunmen fired\non a bus."), acled_good_row("AFG2")]
    text = csv_text(ACLED_HEADER, rows).replace('on a bus."', 'on a bus.",extra', 1)
    source = tmp_path / "acled.csv"
    source.write_text(text, encoding="utf-8")
    result = import_into(run, tmp_path / "store.json", "acled", source)
    assert (
        f"{source}:2: has 32 cells, but the header has 31: a quote opened on line 2 is closed "
        "only on line 3, so lines 2 to 3 were read as one row"
    ) in result.stderr
    assert "added 1" in result.stderr


def test_line_breaks_in_notes_are_not_an_open_quote(run: Runner, tmp_path: Path) -> None:
    notes = "\n".join(f"Line {n} of the notes, with a comma, or two." for n in range(40))
    rows = [acled_good_row("AFG1", notes=notes), acled_good_row("AFG2")]
    source = write_csv(tmp_path / "acled.csv", ACLED_HEADER, rows)
    store = tmp_path / "store.json"
    import_into(run, store, "acled", source)
    assert stored(store)["acled-afg1"]["summary"] == notes
    assert "acled-afg2" in stored(store)


# --- the header ----------------------------------------------------------------------


def test_a_column_named_twice_is_refused(run: Runner, tmp_path: Path) -> None:
    header = [*GTD_HEADER, "nkill"]
    rows = [{**gtd_good_row("202005040001"), "nkill": "1"}]
    source = write_csv(tmp_path / "gtd.csv", header, rows)
    result = run("import", "gtd", source, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}:1: the header names the column 'nkill' twice (columns 99 and 136): "
        "which one holds the data cannot be known; remove one and import again\n"
    )


def test_a_column_and_its_older_name_are_the_same_column(run: Runner, tmp_path: Path) -> None:
    header = ["year" if name == "INT_ANY" else name for name in GTD_HEADER]
    source = write_csv(tmp_path / "gtd.csv", header, [gtd_good_row("202005040001")])
    result = run("import", "gtd", source, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}:1: the header names one column twice: 'iyear' (column 2) and 'year' "
        "(column 134) are two names of 'iyear': which one holds the data cannot be known; "
        "remove one and import again\n"
    )


# --- encodings -----------------------------------------------------------------------


def test_a_file_mixing_utf8_and_latin_1_is_refused(run: Runner, tmp_path: Path) -> None:
    rows = [gtd_good_row(f"2020050400{n:02d}", city="Mazār-i-Sharīf") for n in range(5)]
    rows.append(gtd_good_row("202005040099", target1="Café Lumière"))
    text = csv_text(GTD_HEADER, rows).encode("utf-8")
    # One row saved by another program, in Latin-1.
    text = text.replace("Café Lumière".encode(), "Café Lumière".encode("latin-1"))
    source = tmp_path / "gtd.csv"
    source.write_bytes(text)
    store = tmp_path / "store.json"
    result = run("import", "gtd", source, store=store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}:7: the byte 0xE9 on this line is not UTF-8, but the file is UTF-8 "
        "elsewhere (line 2): it mixes two encodings, and either reading would garble part of "
        "it. Save it in one encoding (UTF-8) and import again.\n"
    )
    assert not store.exists()


def test_one_encoding_per_file_is_said(run: Runner, tmp_path: Path) -> None:
    rows = [gtd_good_row("202005040001", target1="Café Lumière")]
    latin = write_csv(tmp_path / "latin.csv", GTD_HEADER, rows, encoding="latin-1")
    utf8 = write_csv(tmp_path / "utf8.csv", GTD_HEADER, rows)
    store = tmp_path / "store.json"
    assert "(not UTF-8: read as Latin-1)" in import_into(run, store, "gtd", latin).stderr
    assert "not UTF-8" not in import_into(run, store, "gtd", utf8).stderr
    assert stored(store)["gtd-202005040001"]["target"] == "Café Lumière"


# --- spreadsheets ----------------------------------------------------------------------


def _rezipped(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the .xlsx ``source`` with each part's bytes passed through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            new.writestr(member.filename, change(member.filename, old.read(member)))
    return target


def test_a_zip_bomb_is_refused_before_it_is_read(run: Runner, tmp_path: Path) -> None:
    sheet = spreadsheet(tmp_path / "plain.xlsx", [gtd_good_row("202005040001")])

    def padded(name: str, data: bytes) -> bytes:
        # 64 MiB of blanks after the sheet's XML: a few dozen kilobytes zipped.
        return data + b" " * (64 << 20) if name == "xl/worksheets/sheet1.xml" else data

    bomb = _rezipped(sheet, tmp_path / "bomb.xlsx", padded)
    assert bomb.stat().st_size < 1 << 20
    result = run("import", "gtd", bomb, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {re.escape(str(bomb))}: its part xl/worksheets/sheet1.xml expands [\d,]+ times "
        r"\(to 64 MiB\), as no spreadsheet does: a zip bomb\? Not read\n",
        result.stderr,
    )


def test_a_spreadsheet_that_expands_too_far_is_refused(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.importers import spreadsheet as module

    sheet = spreadsheet(tmp_path / "gtd.xlsx", [gtd_good_row("202005040001")])
    monkeypatch.setattr(module, "MOST_BYTES", 1 << 10)
    result = run("import", "gtd", sheet, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {sheet}: expands to ")
    assert "more than the 0 MiB this tool reads from an .xlsx file; save the sheet as CSV" in (
        result.stderr
    )


def test_a_sheet_cut_short_is_one_line(run: Runner, tmp_path: Path) -> None:
    rows = [gtd_good_row(f"2020050400{n:02d}") for n in range(30)]
    sheet = spreadsheet(tmp_path / "plain.xlsx", rows)

    def cut(name: str, data: bytes) -> bytes:
        return data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data

    broken = _rezipped(sheet, tmp_path / "cut.xlsx", cut)
    store = tmp_path / "store.json"
    result = run("import", "gtd", broken, store=store)
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {re.escape(str(broken))}: the sheet is damaged or cut short after row \d+ "
        r"\(ParseError: .*\)\n",
        result.stderr,
    )
    assert not store.exists()


def test_a_spreadsheet_that_is_no_zip_is_one_line(run: Runner, tmp_path: Path) -> None:
    sheet = spreadsheet(tmp_path / "gtd.xlsx", [gtd_good_row("202005040001")])
    sheet.write_bytes(sheet.read_bytes()[:2000])
    result = run("import", "gtd", sheet, store=tmp_path / "store.json")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {sheet}: not a readable .xlsx file (")
    assert len(result.stderr.splitlines()) == 1


def test_a_row_sent_to_another_process_reads_as_it_did(tmp_path: Path) -> None:
    """A large import's forked process sends some rows to the importing one
    (pickled): a row whose cells were taken together, a column its file
    lacks among them, pickles, and reads the same there."""
    import pickle

    from incidents.importers import acled
    from incidents.importers.tabular import Row, TableFile

    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,year,time_precision,event_type,actor1,country,fatalities\n"
        "AFG1,2022-09-05,2022,1,Battles,Taliban,Afghanistan,3\n",
        encoding="utf-8",
    )
    row = next(iter(TableFile(path, acled.COLUMNS).rows()))
    assert isinstance(row, Row)
    columns = ("country", "tags", "fatalities")
    assert row.cells(columns) == ("Afghanistan", "", "3")
    sent = pickle.loads(pickle.dumps(row))
    assert (sent.line, sent["actor1"], sent.cells(columns)) == (2, "Taliban", row.cells(columns))
    assert "tags" not in sent
