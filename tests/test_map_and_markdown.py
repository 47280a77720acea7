"""GeoJSON for a map and Markdown for a report, as exported."""

from __future__ import annotations

import csv
import io
import json

import geojson
import pytest

from incidents.formats import Format, markdown
from incidents.formats import geojson as geojson_format
from incidents.formats.csv import write_incidents
from incidents.records import flat_fields

from .conftest import make_incident


def test_geojson_export_is_valid_and_has_a_point_per_incident(run, tmp_path):
    output = tmp_path / "attacks.geojson"
    result = run("export", "-o", output)
    assert result.exit_code == 0
    assert result.stderr == f"Wrote 8 incidents to {output} (geojson).\n"
    collection = geojson.loads(output.read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 8
    assert all(f["geometry"]["type"] == "Point" for f in features)
    herat = next(f for f in features if f["id"] == "2022-09-herat")
    # RFC 7946: longitude first.
    assert herat["geometry"]["coordinates"] == [62.204, 34.3529]
    assert herat["properties"]["coordinates_precision"] == "city"
    assert "crs" not in collection  # RFC 7946 dropped it: WGS 84 is implied


def test_geojson_properties_are_the_csv_columns(run, seed):
    result = run("export", "--format", "geojson")
    features = json.loads(result.stdout)["features"]
    csv_rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    for feature, row in zip(features, csv_rows, strict=True):
        properties = feature["properties"]
        assert list(properties) == list(row)
        for column, cell in row.items():
            value = properties[column]
            assert ("" if value is None else str(value)) == cell, column
    kabul = next(f for f in features if f["id"] == "2022-12-02-kabul")["properties"]
    # Unknown stays unknown (null, not 0); "at least 1" has no upper bound.
    assert (kabul["killed_min"], kabul["killed_max"]) == (None, None)
    assert (kabul["wounded_min"], kabul["wounded_max"]) == (1, None)


def test_an_incident_without_coordinates_has_a_null_geometry(run, write_store):
    located = {"country": "Afghanistan", "province": "Kabul", "city": "Kabul"}
    store = write_store(
        [
            {
                **make_incident(id="a").model_dump(mode="json", exclude_defaults=True),
                "location": {
                    **located,
                    "coordinates": {"lat": 34.5, "lon": 69.2, "precision": "city"},
                },
            },
            make_incident(id="b").model_dump(mode="json", exclude_defaults=True),
            make_incident(id="c").model_dump(mode="json", exclude_defaults=True),
        ]
    )
    result = run("export", "--format", "geojson", store=store)
    assert result.exit_code == 0
    collection = geojson.loads(result.stdout)
    assert collection.is_valid
    assert [f["geometry"] for f in collection["features"]][1:] == [None, None]
    assert result.stderr == (
        "2 incidents have no coordinates and no point on the map (null geometry): b, c.\n"
    )


def test_a_formula_is_not_neutralised_in_geojson():
    incident = make_incident(target="=HYPERLINK()")
    assert flat_fields(incident)["target"] == "=HYPERLINK()"
    feature = geojson_format.feature(incident)
    assert feature["properties"]["target"] == "=HYPERLINK()"
    assert feature["geometry"] is None
    cells = io.StringIO()
    write_incidents([incident], cells)
    assert "'=HYPERLINK()" in cells.getvalue()


def test_markdown_export_of_the_embassies(run):
    result = run("export", "--format", "markdown", "--target-type", "embassy")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "| ID | Date | Place | Target type | Attack type | Perpetrator | Killed | Wounded |",
        "| --- | --- | --- | --- | --- | --- | ---: | ---: |",
        "| 2022-09-05-kabul | 2022-09-05 | Kabul | Government (Diplomatic) | Bombing/Explosion"
        " | Islamic State Khorasan Province | 6 | 10 |",
        "| 2022-12-02-kabul | 2022-12-02 | Kabul | Government (Diplomatic) | Armed Assault"
        " | Islamic State Khorasan Province | ? | ≥1 |",
        "",
        "≥N: at least N. ?: not known.",
    ]


def test_markdown_cells_cannot_break_the_table():
    incident = make_incident(location={"country": "A|B", "city": "line\nbreak *star*"})
    out = io.StringIO()
    markdown.write_incidents([incident], out)
    row = out.getvalue().splitlines()[2]
    assert "line break \\*star\\*" in row
    assert row.count(" | ") == 7  # eight cells, no more
    assert len(out.getvalue().splitlines()) == 3  # exact counts: no legend


@pytest.mark.parametrize(
    ("suffix", "fmt"), [(".geojson", Format.GEOJSON), (".md", Format.MARKDOWN)]
)
def test_the_file_ending_picks_the_format(suffix, fmt):
    assert Format.from_suffix(suffix) is fmt


def test_the_bundled_store_draws_on_a_map(seed):
    precisions = {i.id: i.location.coordinates and i.location.coordinates.precision for i in seed}
    assert all(precisions.values()), precisions
    # The source names only the province of the October 2021 Kunduz attack.
    assert precisions["2021-10-kunduz"] == "province"
    assert set(precisions.values()) <= {"city", "district", "province"}
