"""Charts for a report: --svg and --png on timeline, total and list."""

from __future__ import annotations

import datetime as dt
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from incidents.dates import PartialDate
from incidents.formats.charts import filter_phrases, source_line
from incidents.formats.charts.svg import escape, inert
from incidents.query import Filters

from .conftest import REPO_ROOT, incident_data

SVG = "{http://www.w3.org/2000/svg}"
COMMANDS = {
    "timeline": ["timeline"],
    "map": ["list"],
    "bars": ["total", "--by", "target-type"],
}
TITLES = {
    "timeline": "Incidents and killed per month",
    "map": "Where the incidents happened",
    "bars": "Incidents, killed and wounded by target type",
}


def texts(picture: Path) -> list[str]:
    root = ET.parse(picture).getroot()
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def remote_references(document: str) -> list[str]:
    """Anything a viewer of the file would fetch from elsewhere."""
    found = re.findall(r"(?:href|src)\s*=\s*[\"'][^\"'#][^\"']*", document)
    found += re.findall(r"url\(\s*[\"']?(?!#)[^)]*\)", document)
    found += re.findall(r"@import|@font-face", document)
    without_namespace = document.replace('xmlns="http://www.w3.org/2000/svg"', "")
    found += re.findall(r"(?:https?:|ftp:)?//[\w.-]+\.\w+/?", without_namespace)
    return found


@pytest.mark.parametrize("chart", COMMANDS)
def test_each_chart_is_a_page_for_a_report(run, tmp_path, monkeypatch, chart):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1670198400")  # 2022-12-05
    picture = tmp_path / "chart.svg"
    result = run(*COMMANDS[chart], "--svg", picture)
    assert result.exit_code == 0, result.output
    # Piped, list says how many and what the marks mean on stderr first.
    assert result.stderr.endswith(f"Saved the picture to {picture}.\n")
    root = ET.parse(picture).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("font-family") == "system-ui, sans-serif"
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("fill") == "#ffffff"
    assert root.findtext(f"{SVG}title") == TITLES[chart]
    shown = texts(picture)
    assert shown[:2] == [TITLES[chart], "No filters: every incident."]
    assert shown[-2:] == [
        "Source: incidents store incidents.json; 8 incidents.",
        f"Made 2022-12-05 with incidents {_version()}.",
    ]
    assert remote_references(picture.read_text(encoding="utf-8")) == []


def _version() -> str:
    from incidents import __version__

    return str(__version__)


def test_a_chart_says_which_filters_made_it(run, tmp_path):
    picture = tmp_path / "chart.svg"
    result = run(
        "timeline", "--since", "2022-09", "--location", "Kabul", "--target-type", "embassy",
        "--svg", picture,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = texts(picture)
    assert shown[1] == "Filters: since 2022-09; target type Government (Diplomatic); place Kabul."
    assert shown[-2] == "Source: incidents store incidents.json; 2 of its 8 incidents."


def test_the_map_of_a_list_names_its_order_and_limit(run, tmp_path):
    picture = tmp_path / "map.svg"
    result = run("list", "--sort", "killed", "--limit", "3", "--svg", picture)
    assert result.exit_code == 0, result.output
    shown = texts(picture)
    assert shown[1] == "Filters: the first 3, most killed first."
    assert "3 incidents on the map." in shown
    assert shown[-2] == "Source: incidents store incidents.json; 3 of its 8 incidents."


def test_every_filter_has_words_on_a_chart():
    every = Filters(
        since=_date("2022"),
        until=_date("2023"),
        on=(_date("2022-05"),),
        target_types=frozenset(_categories("TargetType")),
        attack_types=frozenset(_categories("AttackType")),
        weapon_types=frozenset(_categories("WeaponType")),
        locations=("Kabul",),
        perpetrators=("ISKP",),
        texts=("mosque",),
        min_killed=3,
        max_killed=9,
        min_wounded=1,
        max_wounded=8,
        attributions=frozenset(_categories("Attribution")),
        place_precision=_categories("CoordinatePrecision")[0],
        codes=(("doubtterr", 0), ("crit1", 1)),
        strict_dates=True,
    )
    phrases = filter_phrases(every)
    # One phrase per filter, each in words rather than the field's name.
    assert len(phrases) == len(Filters.__dataclass_fields__)
    assert not [p for p in phrases if "_" in p], phrases
    assert "at least 3 killed" in phrases
    assert "within 2022-05" in phrases
    assert "place known exactly" in phrases
    assert "code doubtterr=0, crit1=1" in phrases


def _date(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _categories(kind: str) -> list[Any]:
    from incidents import categories

    return list(getattr(categories, kind))[:1]


def test_the_source_line_names_the_data_sets_imported():
    assert source_line("a.json", 8, 8, {}) == "Source: incidents store a.json; 8 incidents."
    assert source_line("a.json", 1, 1, {}) == "Source: incidents store a.json; 1 incident."
    assert (
        source_line("afg.json", 55008, 1234, {"GTD": 1200, "UCDP GED": 30})
        == "Source: GTD (1,200), UCDP GED (30), entered by hand (4); "
        "incidents store afg.json; 1,234 of its 55,008 incidents."
    )


def test_a_chart_of_imported_incidents_names_their_data_set(run, write_store, tmp_path):
    store = write_store(
        [
            incident_data(id="gtd-1", origin={"dataset": "gtd", "id": "1"}),
            incident_data(id="b", date="2022-02-01"),
        ]
    )
    picture = tmp_path / "chart.svg"
    result = run("total", "--svg", picture, store=store)
    assert result.exit_code == 0, result.output
    assert texts(picture)[-2] == (
        "Source: GTD (1), entered by hand (1); incidents store store.json; 2 incidents."
    )


def test_the_date_made_can_be_fixed_and_must_be_a_number(run, tmp_path, monkeypatch):
    picture = tmp_path / "chart.svg"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run("timeline", "--svg", picture).exit_code == 0
    assert texts(picture)[-1].startswith("Made 1970-01-01 with incidents ")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run("timeline", "--svg", picture)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'" in (
        result.stderr
    )


HOSTILE = "Kabul\x1b]52;c;aGVsbG8=\x07 <b>&amp; [red]x[/]\x9b2J"


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["total", "--by", "city"],
        ["list", "--chart-style", "terminal"],
        ["total", "--by", "city", "--chart-style", "terminal"],
    ],
    ids=["map", "bars", "terminal list", "terminal totals"],
)
def test_control_characters_in_the_store_leave_valid_harmless_svg(
    run, write_store, tmp_path, command
):
    location = {
        "country": "Afghanistan",
        "city": HOSTILE,
        "coordinates": {"lat": 34.5, "lon": 69.2, "precision": "city"},
    }
    store = write_store([incident_data(location=location)])
    picture = tmp_path / "chart.svg"
    result = run(*command, "--svg", picture, store=store)
    assert result.exit_code == 0, result.output
    document = picture.read_text(encoding="utf-8")
    ET.fromstring(document)  # well-formed XML: no raw controls
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", document)
    assert "Kabul\\x1b]52;c;" in document  # shown, not obeyed
    assert "&lt;b&gt;&amp;amp;" in document


def test_untrusted_text_is_made_inert_then_escaped():
    assert inert("a\x1bb\x00c\x7fd\x9be\ud800f") == "a\\x1bb\\x00c\\x7fd\\x9be\ufffdf"
    assert escape("<a href='x'>&\x07") == "&lt;a href=&#39;x&#39;&gt;&amp;\\x07"
    assert inert("Mazār-i-Sharīf مزار شریف") == "Mazār-i-Sharīf مزار شریف"


@pytest.mark.parametrize("style", ["report", "terminal"])
@pytest.mark.parametrize("chart", COMMANDS)
def test_no_picture_fetches_anything_when_opened(run, tmp_path, chart, style):
    picture = tmp_path / "chart.svg"
    result = run(*COMMANDS[chart], "--chart-style", style, "--svg", picture)
    assert result.exit_code == 0, result.output
    document = picture.read_text(encoding="utf-8")
    assert remote_references(document) == []
    fonts = re.findall(r"font-family[=:]\s*\"?([^;\"}]+)", document)
    assert fonts and all(
        font.strip() in ("system-ui, sans-serif", "ui-monospace, monospace") for font in fonts
    ), fonts


def test_the_terminal_style_is_what_the_terminal_shows(run, tmp_path):
    picture = tmp_path / "table.svg"
    result = run("total", "--by", "month", "--chart-style", "terminal", "--svg", picture)
    assert result.exit_code == 0
    document = picture.read_text(encoding="utf-8")
    assert 'class="rich-terminal"' in document
    # rich writes each run of text as its own element, spaces as &#160;
    assert ">Month" in document and ">2021-10" in document


def test_the_terminal_style_needs_the_table(run, tmp_path):
    result = run(
        "list", "--format", "csv", "--chart-style", "terminal", "--svg", tmp_path / "out.svg"
    )
    assert result.exit_code == 2
    assert "--chart-style terminal draws the table; it cannot go with --format csv" in (
        result.stderr
    )
    assert not (tmp_path / "out.svg").exists()


def test_a_report_chart_goes_with_any_format(run, tmp_path):
    picture = tmp_path / "map.svg"
    result = run("list", "--format", "csv", "--svg", picture)
    assert result.exit_code == 0
    assert result.stdout.startswith("id,")
    assert texts(picture)[0] == "Where the incidents happened"


@pytest.mark.parametrize(
    ("option", "name", "hint"),
    [("--svg", "out.png", "use --png out.png"), ("--png", "chart.SVG", "use --svg chart.SVG")],
)
def test_a_picture_named_for_the_other_format_is_refused(run, tmp_path, option, name, hint):
    result = run("timeline", option, tmp_path / name)
    assert result.exit_code == 2
    assert hint.replace(name, str(tmp_path / name)) in result.stderr
    assert not (tmp_path / name).exists()


def test_png_is_the_same_page_drawn(run, tmp_path):
    from PIL import Image

    svg, png = tmp_path / "chart.svg", tmp_path / "chart.png"
    result = run("total", "--by", "target-type", "--svg", svg, "--png", png)
    assert result.exit_code == 0
    assert result.stderr == f"Saved the picture to {svg}.\nSaved the picture to {png}.\n"
    root = ET.parse(svg).getroot()
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(png) as image:
        assert image.size == (int(root.get("width", 0)), int(root.get("height", 0)))


def test_png_without_cairosvg_says_what_to_install(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # as if not installed
    result = run("timeline", "--png", tmp_path / "chart.png")
    assert result.exit_code == 1
    assert "PNG pictures need CairoSVG and the cairo library: pip install 'incidents[png]'" in (
        result.stderr
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "chart.png").exists()


def test_the_timeline_chart_draws_coarse_dates_apart(run, tmp_path):
    picture = tmp_path / "weeks.svg"
    result = run("timeline", "--by", "week", "--svg", picture)
    assert result.exit_code == 0
    shown = texts(picture)
    assert "5 of them known only more coarsely than the week: drawn apart, under the axis." in (
        shown
    )
    assert "2022-09: 1 incident, 18 killed" in shown
    root = ET.parse(picture).getroot()
    spans = [
        rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("stroke-dasharray") and rect.get("fill") == "#dbe6f3"
    ]
    assert len(spans) == 5


def test_the_timeline_chart_draws_unsure_tolls_apart_from_sure_ones(run, write_store, tmp_path):
    store = write_store(
        [
            incident_data(id="a", date="2022-01-10", killed={"min": 2, "max": 10}),
            incident_data(id="b", date="2022-02-10", killed={"min": 4}),
            incident_data(id="c", date="2022-03-10", killed=5),
        ]
    )
    picture = tmp_path / "chart.svg"
    assert run("timeline", "--svg", picture, store=store).exit_code == 0
    root = ET.parse(picture).getroot()
    killed = "#b8312f"
    solid = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == killed]
    pale = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") == killed]
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == killed]
    assert len(solid) == 3  # 2, 4 and 5 for sure
    assert len(pale) == 1 and pale[0].get("stroke-dasharray")  # up to 10 in January
    assert len(arrows) == 1  # February: at least 4, maybe more
    legend = " ".join(texts(picture))
    assert "pale with a dashed edge up to the highest the figures allow" in legend
    assert "a dashed arrow where there may be more" in legend
    assert {"2–10", "≥4", "5"} <= set(texts(picture))


def test_the_totals_chart_has_a_row_per_group_and_the_total(run, tmp_path):
    picture = tmp_path / "bars.svg"
    result = run("total", "--by", "target-type", "--svg", picture)
    assert result.exit_code == 0
    shown = texts(picture)
    for label in ("Religious Figures/Institutions", "Government (Diplomatic)", "Total"):
        assert label in shown
    assert shown.count("≥112 (1 ?)") == 1 and shown.count("≥235 (1 ?)") == 1
    assert "8 incidents; killed: at least 112 (1 incident with no figure); wounded: at least " in (
        " ".join(shown)
    )


@pytest.mark.parametrize("chart", COMMANDS)
def test_a_chart_of_no_incidents_says_so(run, tmp_path, chart):
    picture = tmp_path / "chart.svg"
    result = run(*COMMANDS[chart], "--location", "Atlantis", "--svg", picture)
    assert result.exit_code == 0, result.output
    shown = texts(picture)
    assert "No incidents to chart." in shown
    assert shown[-2] == "Source: incidents store incidents.json; 0 of its 8 incidents."


def test_the_map_says_what_it_leaves_out(run, write_store, tmp_path):
    coordinates = {"lat": 34.35, "lon": 62.2, "precision": "city"}
    located = {"country": "Afghanistan", "city": "Herat", "coordinates": coordinates}
    store = write_store(
        [incident_data(id="a", location=located), incident_data(id="b", date="2022-02-01")]
    )
    picture = tmp_path / "map.svg"
    result = run("list", "--svg", picture, store=store)
    assert result.exit_code == 0
    note = "Not on the map: 1 of 2 has no coordinates (b)."
    assert note in result.stderr.splitlines()
    shown = texts(picture)
    assert note in shown
    assert "Herat" in shown and "1 incident on the map." in shown


def test_the_map_marks_unsure_places_and_tolls(run, write_store, tmp_path):
    def at(precision: str) -> dict[str, object]:
        coordinates = {"lat": 36.7, "lon": 68.8, "precision": precision}
        return {"country": "Afghanistan", "province": "Kunduz", "coordinates": coordinates}

    store = write_store(
        [
            incident_data(id="a", location=at("province"), killed=None),
            incident_data(id="b", location=at("city"), killed=12),
        ]
    )
    picture = tmp_path / "map.svg"
    assert run("list", "--svg", picture, store=store).exit_code == 0
    root = ET.parse(picture).getroot()
    marks = next(g for g in root.iter(f"{SVG}g") if g.get("fill") == "#b8312f")
    diamonds = marks.findall(f"{SVG}path")
    rings = marks.findall(f"{SVG}circle")
    dashed_rings = [c for c in rings if c.get("stroke-dasharray") and c.get("fill") == "none"]
    assert len(diamonds) == 1  # placed only to the province
    assert len(dashed_rings) == 1  # its toll is not known
    assert "Kunduz (2)" in texts(picture)


def test_the_map_shows_the_countries_whole(run, tmp_path):
    picture = tmp_path / "map.svg"
    assert run("list", "--location", "Kabul", "--svg", picture).exit_code == 0
    shown = texts(picture)
    for country in ("Afghanistan", "Pakistan", "Tajikistan"):
        assert country in shown  # named where there is room
    # Afghanistan (60.5°E to 75°E) is shown whole, not only around Kabul.
    meridians = [int(t.rstrip("°E")) for t in shown if re.fullmatch(r"\d+°E", t)]
    assert min(meridians) <= 60 and max(meridians) >= 75
    root = ET.parse(picture).getroot()
    outlines = [g for g in root.iter(f"{SVG}g") if g.get("fill") == "#e4e2dc"]
    assert len(outlines) == 1 and len(outlines[0]) >= 8  # Afghanistan and its neighbours


def test_an_incident_is_placed_in_its_country_by_name_or_by_its_point():
    from incidents.formats.charts.world import countries, country_of

    assert len(countries()) == 177
    afghanistan = country_of("Afghanistan", 0.0, 0.0)
    assert afghanistan is not None and afghanistan.code == "AFG"
    west, east, south, north = afghanistan.bounds
    assert 60 < west < 61 and 74.5 < east < 75.5 and 29 < south < 30 and 38 < north < 39
    by_point = country_of("Islamic Emirate of Afghanistan", 69.2, 34.5)
    assert by_point is afghanistan
    assert country_of("Atlantis", -30.0, 0.0) is None


README_CHARTS = {"timeline.svg": ["timeline"], "map.svg": ["list"]}


@pytest.mark.parametrize("name", README_CHARTS)
def test_the_readme_charts_are_what_the_tool_draws(run, tmp_path, monkeypatch, name):
    committed = (REPO_ROOT / "docs" / name).read_text(encoding="utf-8")
    assert f"](docs/{name})" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    made = re.compile(r"Made (\d{4}-\d{2}-\d{2}) with incidents [^<]*")
    found = made.search(committed)
    assert found, "the chart says when it was made"
    day = dt.datetime.fromisoformat(f"{found.group(1)}T00:00:00+00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    picture = tmp_path / name
    assert run(*README_CHARTS[name], "--svg", picture).exit_code == 0
    drawn = picture.read_text(encoding="utf-8")
    # Byte for byte, but for the version that made it. To make it again:
    # SOURCE_DATE_EPOCH=$(date +%s) incidents --store incidents.json timeline --svg docs/...
    assert made.sub("", drawn) == made.sub("", committed)
    assert made.search(drawn).group(1) == found.group(1)  # type: ignore[union-attr]
