"""Each output format against fixed incidents, with exact expected output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

from incidents.formats import Format
from incidents.formats import csv as csv_format
from incidents.formats import json as json_format
from incidents.formats.details import incident_details
from incidents.formats.labels import count_text, sum_sentence, sum_text
from incidents.formats.listing import incidents_table
from incidents.formats.table import totals_table
from incidents.model import Count, Store
from incidents.query import CountSum, GroupBy
from incidents.records import FLAT_COLUMNS, list_row

from .conftest import make_incident, total


def render(renderable, width=80):
    console = Console(width=width, no_color=True, force_terminal=False)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (16, "16"),
        (None, "?"),
        (Count(min=1), "≥1"),
        (Count(min=3, max=5), "3–5"),
        (Count(min=3, max=3), "3"),
        (Count(min=3, max=10, best=5), "3–10 (best 5)"),
    ],
)
def test_count_text(count, text):
    assert count_text(count) == text


def test_sum_texts():
    assert sum_text(CountSum(112, 112, 0)) == "112"
    assert sum_text(CountSum(112, None, 1)) == "≥112 (1 ?)"
    assert sum_text(CountSum(5, 7, 0)) == "5–7"
    assert sum_sentence(CountSum(235, None, 1)) == "at least 235 (1 incident with no figure)"
    assert sum_sentence(CountSum(3, None, 0)) == "at least 3"


TRICKY = make_incident(
    id="tricky",
    summary='=HYPERLINK("http://x","click"), then a "quoted" word,\nand a new line',
    target="-1 guards, @home",
    killed=None,
    wounded={"min": 1},
    location={
        "country": "Afghanistan",
        "city": "Kabul",
        "coordinates": {"lat": -33.5, "lon": 69.2, "precision": "city"},
    },
)


def test_csv_quotes_and_neutralises_formulas():
    stream = io.StringIO(newline="")
    csv_format.write_incidents([TRICKY], stream)
    text = stream.getvalue()
    [header] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert text.startswith(",".join(FLAT_COLUMNS) + "\r\n")
    assert header["summary"] == (
        '\'=HYPERLINK("http://x","click"), then a "quoted" word,\nand a new line'
    )
    assert header["target"] == "'-1 guards, @home"
    # Numbers are not text: a negative latitude stays a number.
    assert header["latitude"] == "-33.5"
    assert (header["killed_min"], header["killed_max"]) == ("", "")
    assert (header["wounded_min"], header["wounded_max"]) == ("1", "")
    assert '"\'=HYPERLINK(""http://x"",""click""), then a ""quoted"" word,\nand a new line"' in text


def test_csv_row_of_a_seed_incident_exactly(seed):
    stream = io.StringIO(newline="")
    embassy = next(i for i in seed if i.id == "2022-12-02-kabul")
    csv_format.write_incidents([embassy], stream)
    assert stream.getvalue().splitlines()[1] == (
        "2022-12-02-kabul,2022-12-02,day,,Afghanistan,AFG,Kabul,,Kabul,Pakistani embassy,"
        "34.5553,69.2075,city,Islamic State Khorasan Province,claimed,2022-12-04,Telegram,"
        "Armed Assault,Government (Diplomatic),"
        "Pakistani ambassador and his guards in the embassy yard,Firearms,,,1,,"
        '"Two ISIS members attacked the Pakistani embassy in Kabul with medium weapons and '
        "sniper weapons, targeting the ambassador and his guards in the embassy yard; at least "
        'one guard was wounded and the building was damaged.",Sky News Arabia (2022-12-05)'
        # killed_best, wounded_best: not known, and "at least 1" has none.
        ",,"
    )


def test_json_export_is_itself_a_store(seed):
    stream = io.StringIO()
    json_format.write_incidents(seed, stream)
    assert Store.model_validate_json(stream.getvalue()).incidents == seed


def test_ndjson_is_one_incident_per_line(seed):
    stream = io.StringIO()
    json_format.write_incidents_lines(seed, stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 8
    assert [json.loads(line)["id"] for line in lines] == [i.id for i in seed]


def test_totals_json_shape(seed):
    stream = io.StringIO()
    json_format.write_totals(total(seed, GroupBy.TARGET_TYPE), stream)
    data = json.loads(stream.getvalue())
    assert data["total"] == {
        "key": "total",
        "incidents": 8,
        "killed": {"min": 112, "max": None, "unknown": 1, "best": None},
        "wounded": {"min": 235, "max": None, "unknown": 1, "best": None},
        "maybe_outside_dates": 0,
    }
    assert data["groups"][2] == {
        "key": "Educational Institution",
        "incidents": 1,
        "killed": {"min": 16, "max": 16, "unknown": 0, "best": None},
        "wounded": {"min": 24, "max": 24, "unknown": 0, "best": None},
        "maybe_outside_dates": 0,
    }


def test_totals_csv(seed):
    stream = io.StringIO(newline="")
    csv_format.write_totals(total(seed, GroupBy.YEAR), stream)
    assert stream.getvalue().splitlines() == [
        "key,incidents,killed_min,killed_max,killed_unknown,wounded_min,wounded_max,"
        "wounded_unknown,killed_best,wounded_best,maybe_outside_dates",
        "2021,1,46,46,0,143,143,0,,,0",
        "2022,7,66,,1,92,,1,,,0",
        "total,8,112,,1,235,,1,,,0",
    ]


@pytest.mark.parametrize("width", [80, 160])
def test_list_table_fits_the_width(seed, width):
    text = render(incidents_table([list_row(i) for i in seed], 8), width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "2022-12-02-aybak" in text
    assert ("Attack" in lines[0]) is (width >= 100)
    assert lines[-2:] == ["8 incidents.", "≥N at least N; ? not known."]


def test_list_table_marks_uncertain_dates():
    text = render(incidents_table([list_row(make_incident(date="2022-09"), date_uncertain=True)]))
    assert "2022-09~" in text
    assert text.splitlines()[-1] == "~ may fall outside the dates asked for."


def test_details_show_every_field(seed):
    text = render(incident_details(next(i for i in seed if i.id == "2022-12-02-kabul")))
    for expected in [
        "Pakistani embassy",
        "Islamic State Khorasan Province (claimed)",
        "(2022-12-04, Telegram)",
        "not known",
        "at least 1",
        "Sky News Arabia, 2022-12-05",
        "yes: The embassy building was damaged.",
    ]:
        assert expected in text


def test_totals_table_has_a_total_row(seed):
    text = render(totals_table(total(seed, GroupBy.TARGET_TYPE)))
    assert "Religious Figures/Institutions" in text
    total_line = next(line for line in text.splitlines() if line.startswith("Total"))
    assert total_line.split() == ["Total", "8", "100.0%", "≥112", "(1", "?)", "≥235", "(1", "?)"]


def test_every_format_is_handled_by_list_and_export(seed, run):
    for fmt in Format:
        args = ["list", "--format", fmt.value]
        assert run(*args).exit_code == 0, fmt
        if fmt is not Format.TABLE:
            assert run("export", "--format", fmt.value).exit_code == 0, fmt


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_is_offered_where_its_renderer_renders(fmt, run):
    """Each member of the enum has a renderer, and each command offers exactly
    the formats whose renderer shows what it shows."""
    from incidents.formats import RENDERERS

    renderer = RENDERERS[fmt]
    assert renderer.shows_incidents or renderer.shows_totals
    commands = {
        "list": renderer.shows_incidents,
        "export": renderer.write_incidents is not None,
        "total": renderer.shows_totals,
    }
    for command, offered in commands.items():
        result = run(command, "--format", fmt.value)
        if not offered:
            assert result.exit_code == 2, (command, result.stderr)
            continue
        assert result.exit_code == 0, (command, result.stderr)
        # The seed store's figures, whatever the layout: 8 incidents, or a known id.
        expected = "112" if command == "total" else "2022-09-05-kabul"
        assert expected in result.stdout, (command, fmt)
