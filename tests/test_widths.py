"""Tables and charts at 80 and 160 columns: they fit, numbers line up on the right."""

from __future__ import annotations

import pytest

from .conftest import incident_data

WIDTHS = [80, 160]
BLOCKS = "█▏▎▍▌▋▊▉"


@pytest.fixture
def at_width(monkeypatch, run):
    def show(width, *args, **kwargs):
        monkeypatch.setenv("COLUMNS", str(width))
        result = run(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    return show


def table_rows(lines: list[str]) -> tuple[str, list[str]]:
    """The rows between the rule under the header and the first blank or note line."""
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


@pytest.mark.parametrize("width", WIDTHS)
def test_list_fits_and_numbers_are_right_aligned(at_width, width):
    lines = at_width(width, "list")
    assert all(len(line) <= width for line in lines)
    header, rows = table_rows(lines)
    for column in ("Killed", "Wounded"):
        assert_right_aligned(header, rows, column)


def test_wider_terminals_show_more(at_width):
    narrow = at_width(80, "list")
    wide = at_width(160, "list")
    assert "Attack" not in narrow[0]
    assert "Attack" in wide[0]
    assert any("Mazar-i-Sharif, Balkh" in line for line in wide)  # place and province


@pytest.mark.parametrize("width", WIDTHS)
def test_long_text_wraps_within_the_width(at_width, write_store, width):
    long_name = "A very long district name that no column could hold in one piece"
    store = write_store(
        [
            incident_data(
                id="2022-01-15-a-long-identifier-for-an-incident-somewhere",
                location={"country": "Afghanistan", "province": "Kabul", "city": long_name},
                perpetrator={
                    "name": "A group with a very long name indeed",
                    "attribution": "suspected",
                },
                killed={"min": 1000, "max": 2000},
                wounded={"min": 12345},
            )
        ]
    )
    lines = at_width(width, "list", store=store)
    assert all(len(line) <= width for line in lines)
    header, rows = table_rows(lines)
    assert "≥12345" in rows[0] and "1000–2000" in rows[0]
    assert_right_aligned(header, rows, "Wounded")


@pytest.mark.parametrize("width", WIDTHS)
def test_totals_fit_and_are_right_aligned(at_width, width):
    lines = at_width(width, "total", "--by", "province")
    assert all(len(line) <= width for line in lines)
    header, rows = table_rows(lines)
    for column in ("Incidents", "Killed", "Wounded"):
        assert_right_aligned(header, rows, column)


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


@pytest.mark.parametrize("width", WIDTHS)
def test_show_wraps_long_text_within_the_width(at_width, width):
    lines = at_width(width, "show", "2022-12-02-kabul")
    assert all(len(line) <= width for line in lines)


def test_uncertain_values_are_marked_the_same_everywhere(run):
    listed = next(line for line in run("list").stdout.splitlines() if "2022-12-02-kabul" in line)
    assert listed.split()[-2:] == ["?", "≥1"]
    markdown = run("export", "--format", "markdown").stdout
    assert "| 2022-12-02-kabul |" in markdown and "| ? | ≥1 |" in markdown
    month = next(
        line for line in run("total", "--by", "month").stdout.splitlines() if "2022-12" in line
    )
    assert "≥16 (1 ?)" in month
    charted = next(line for line in run("timeline").stdout.splitlines() if "2022-12" in line)
    assert "≥16 (1 ?)" in charted
