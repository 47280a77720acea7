"""Tables at 60, 80, 120 and 200 columns, and piped: they never cut a fact.

An id, a date and a number are never wrapped or cut; a narrow terminal
leaves columns out instead, a wide one shows more; piped output is one
tab-separated line per incident.  Imported data sets' ids (``gtd-...``) and
long names are what real stores hold, so most tests use them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import incident_data

WIDTHS = [60, 80, 120, 200]
BLOCKS = "█▏▎▍▌▋▊▉"
GTD_IDS = ["gtd-201609050008", "gtd-201609050009", "gtd-201611210005"]


def gtd_like() -> list[dict[str, Any]]:
    """Three incidents shaped like a GTD import: long names, two countries, a big toll."""
    return [
        incident_data(
            id=GTD_IDS[0],
            date="2016-09-05",
            location={
                "country": "Afghanistan",
                "province": "Kabul",
                "city": "Kabul",
                "site": "Ministry of Defence, Pashtunistan Square",
            },
            perpetrator={"name": "Taliban", "attribution": "claimed"},
            attack_type="Bombing/Explosion",
            target_type="Government (General)",
            killed=41,
            wounded=143,
        ),
        incident_data(
            id=GTD_IDS[1],
            date="2016-09-05",
            location={"country": "Pakistan", "province": "Khyber Pakhtunkhwa", "city": "Mardan"},
            perpetrator={"name": "Jamaat-ul-Ahrar", "attribution": "suspected"},
            attack_type="Bombing/Explosion",
            target_type="Private Citizens & Property",
            killed=14,
            wounded={"min": 1000, "max": 2000, "best": 1500},
        ),
        incident_data(
            id=GTD_IDS[2],
            date="2016-11-21",
            end_date="2016-12-02",
            location={"country": "Afghanistan", "province": "Kabul", "city": "Kabul"},
            perpetrator={
                "name": "Khorasan Chapter of the Islamic State in a long spelling",
                "attribution": "claimed",
            },
            attack_type="Hostage Taking (Kidnapping)",
            target_type="Religious Figures/Institutions",
            killed=None,
            wounded={"min": 12345},
        ),
    ]


@pytest.fixture
def gtd_store(write_store):
    return write_store(gtd_like())


@pytest.fixture
def at_width(monkeypatch, run):
    """The laid-out table (or chart) as a terminal of ``width`` columns shows it."""

    def show(width, *args, **kwargs):
        monkeypatch.setenv("COLUMNS", str(width))
        result = run(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    return show


def table_rows(lines: list[str]) -> tuple[str, list[str]]:
    """The rows between the rule under the header and the first note line."""
    rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip() or line.rstrip().endswith("."):
            break
        rows.append(line)
    return lines[rule - 1], rows


def assert_right_aligned(header: str, rows: list[str], column: str) -> None:
    """Every cell of ``column`` ends where its heading ends."""
    start = header.index(column)
    end = start + len(column)
    checked = 0
    for row in rows:
        if not row[start:end].strip():
            continue  # the continuation line of a row whose text wrapped
        assert row[end - 1] != " ", f"{column!r} not right-aligned in {row!r}"
        assert len(row) == end or row[end] == " ", row
        checked += 1
    assert checked


def row_of(rows: list[str], incident_id: str) -> str:
    [line] = [row for row in rows if row.startswith(incident_id + " ")]
    return line


@pytest.mark.parametrize("width", WIDTHS)
def test_ids_and_numbers_are_never_cut(at_width, gtd_store, width):
    lines = at_width(width, "list", "--format", "table", store=gtd_store)
    assert all(len(line) <= width for line in lines), "\n".join(lines)
    header, rows = table_rows(lines)
    # Every id whole at the start of its row, and nowhere a piece of one.
    for incident_id in GTD_IDS:
        row = row_of(rows, incident_id)
        assert len(re.findall(r"gtd-\d*", "\n".join(lines))) == len(GTD_IDS)
        assert row.split()[1].startswith("2016-")  # the date follows, not a wrapped id
    assert row_of(rows, GTD_IDS[0]).split()[-2:] == ["41", "143"]
    assert row_of(rows, GTD_IDS[2]).split()[-2:] == ["?", "≥12345"]
    assert re.search(r" 1000–2000( \(best 1500\))?$", row_of(rows, GTD_IDS[1]))
    for column in ("Killed", "Wounded"):
        assert_right_aligned(header, rows, column)


@pytest.mark.parametrize("width", [40, 50, 55, 62])
def test_below_63_columns_columns_go_not_digits(at_width, width):
    lines = at_width(width, "list", "--format", "table")
    header, rows = table_rows(lines)
    assert header.split()[:2] == ["ID", "Date"] and header.split()[-2:] == ["Killed", "Wounded"]
    assert row_of(rows, "2021-10-kunduz").split()[-2:] == ["46", "143"]
    assert row_of(rows, "2022-12-02-kabul").split()[-2:] == ["?", "≥1"]
    if width >= 48:  # what the id, the date and the counts need
        assert all(len(line) <= width for line in lines)


def test_wider_terminals_show_more(at_width, gtd_store):
    headers = {
        w: table_rows(at_width(w, "list", "--format", "table", store=gtd_store))[0] for w in WIDTHS
    }
    assert headers[60].split() == ["ID", "Date", "Place", "Killed", "Wounded"]
    assert headers[80].split() == ["ID", "Date", "Country", "Place", "Target", "Killed", "Wounded"]
    assert "Attack" in headers[120] and "Perpetrator" in headers[120]
    assert headers[200].split() == [
        "ID",
        "Date",
        "Country",
        "Place",
        "Site",
        "Target",
        "Attack",
        "Perpetrator",
        "Killed",
        "Wounded",
    ]
    # What the wide table says that the narrow one leaves out.
    words = {
        w: set(" ".join(at_width(w, "list", "--format", "table", store=gtd_store)).split())
        for w in (80, 200)
    }
    shown = {"Ministry", "Pashtunistan", "Khyber", "Jamaat-ul-Ahrar", "Hostage", "(best", "Chapter"}
    assert shown <= words[200]
    assert not shown & words[80]


def test_one_country_shows_no_country_column_until_wide(at_width):
    assert "Country" not in table_rows(at_width(80, "list", "--format", "table"))[0]
    assert "Country" not in table_rows(at_width(120, "list", "--format", "table"))[0]
    assert "Country" in table_rows(at_width(200, "list", "--format", "table"))[0]


def test_piped_output_is_one_tab_separated_line_per_incident(run, gtd_store):
    result = run("list", store=gtd_store)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "id",
        "date",
        "country",
        "place",
        "site",
        "target-type",
        "attack-type",
        "perpetrator",
        "killed",
        "wounded",
    ]
    assert lines[1:] == [
        "gtd-201609050008\t2016-09-05\tAfghanistan\tKabul\tMinistry of Defence, Pashtunistan "
        "Square\tGovernment (General)\tBombing/Explosion\tTaliban\t41\t143",
        "gtd-201609050009\t2016-09-05\tPakistan\tMardan, Khyber Pakhtunkhwa\t\tPrivate Citizens "
        "& Property\tBombing/Explosion\tJamaat-ul-Ahrar ?\t14\t1000–2000 (best 1500)",
        "gtd-201611210005\t2016-11-21 – 2016-12-02\tAfghanistan\tKabul\t\tReligious "
        "Figures/Institutions\tHostage Taking (Kidnapping)\tKhorasan Chapter of the Islamic "
        "State in a long spelling\t?\t≥12345",
    ]
    # What the table says under it goes to stderr: stdout is only data.
    # "Jamaat-ul-Ahrar ?" is only suspected: the legend says what that ? means.
    assert result.stderr == (
        "3 incidents.\n≥N at least N; ? not known; ? after a name: suspected, not claimed.\n"
    )


def test_piped_output_is_the_same_at_any_width(run, monkeypatch):
    outputs = set()
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        outputs.add(run("list").stdout)
    [piped] = outputs
    assert len(piped.splitlines()) == 9
    assert all(line.count("\t") == 9 for line in piped.splitlines())


def test_a_tab_or_line_break_in_a_cell_never_breaks_a_line(run, write_store):
    store = write_store([incident_data(location={"country": "Afghanistan", "city": "Ka\tb\nul"})])
    lines = run("list", store=store).stdout.splitlines()
    assert len(lines) == 2
    assert lines[1].split("\t")[3] == "Ka\\tb\\nul"


def test_columns_picks_the_columns_in_the_table_and_the_lines(at_width, run):
    lines = at_width(80, "list", "--format", "table", "--columns", "id,date,place,killed")
    header, rows = table_rows(lines)
    assert header.split() == ["ID", "Date", "Place", "Killed"]
    assert row_of(rows, "2021-10-kunduz").split() == ["2021-10-kunduz", "2021-10", "Kunduz", "46"]
    assert lines[-1] == "? not known."  # the ≥ of a wounded figure is not shown
    piped = run("list", "--columns", "Killed, id", "--limit", "2").stdout
    assert piped == "killed\tid\n46\t2021-10-kunduz\n11\t2022-04-mazar-i-sharif\n"


def test_columns_that_do_not_fit_are_named(at_width):
    lines = at_width(
        60, "list", "--format", "table", "--columns", "id,date,site,perpetrator,killed"
    )
    assert table_rows(lines)[0].split() == ["ID", "Date", "Perp.", "Killed"]
    assert "Left out for lack of room: site." in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--columns", "id,deaths"],
            "unknown column 'deaths'; choose from id, date, country, place, site, target-type, "
            "attack-type, perpetrator, killed, wounded",
        ),
        (["--columns", "id", "--format", "csv"], "--columns picks the columns of a table or tsv"),
    ],
)
def test_bad_columns_are_a_usage_error(run, args, message):
    result = run("list", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_totals_fit_and_are_right_aligned(at_width, width):
    lines = at_width(width, "total", "--by", "province")
    assert all(len(line) <= width for line in lines)
    header, rows = table_rows(lines)
    for column in ("Incidents", "Killed", "Wounded"):
        assert_right_aligned(header, rows, column)


@pytest.mark.parametrize("width", [40, 60])
def test_totals_on_a_narrow_terminal_keep_every_label_and_figure(at_width, gtd_store, width):
    lines = at_width(width, "total", "--by", "perpetrator", store=gtd_store)
    _, rows = table_rows(lines)
    assert [row.split()[0] for row in rows if row.split()[-1].isdigit()] == ["Taliban"]
    assert "≥13488 (best 13988)" in lines[-3]
    assert any("Jamaat-ul-Ah" in row for row in rows) and any("Khorasan" in row for row in rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_fits_and_counts_are_right_aligned(at_width, width):
    lines = at_width(width, "timeline", "--by", "week")
    assert all(len(line) <= width for line in lines)
    killed = lines[0].index("Killed")
    bars = set()
    for line in lines[1:]:
        if line[:4].isdigit():
            # The killed figure ends, and its bar starts, at the same column on every row.
            bars.update(next(([i] for i in range(killed, len(line)) if line[i] in BLOCKS), []))
    assert len(bars) == 1


def test_uncertain_values_are_marked_the_same_everywhere(run):
    listed = next(
        line
        for line in run("list", "--format", "table").stdout.splitlines()
        if "2022-12-02-kabul" in line
    )
    assert listed.split()[-2:] == ["?", "≥1"]
    piped = next(line for line in run("list").stdout.splitlines() if "2022-12-02-kabul" in line)
    assert piped.split("\t")[-2:] == ["?", "≥1"]
    markdown = run("export", "--format", "markdown").stdout
    assert "| 2022-12-02-kabul |" in markdown and "| ? | ≥1 |" in markdown
    month = next(
        line for line in run("total", "--by", "month").stdout.splitlines() if "2022-12" in line
    )
    assert "≥16 (1 ?)" in month
    charted = next(line for line in run("timeline").stdout.splitlines() if "2022-12" in line)
    assert "≥16 (1 ?)" in charted
