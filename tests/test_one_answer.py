"""One answer: the store's index in the cache and the one `--no-index` builds in
memory print the same bytes for every reading command and format, whatever
the store holds and however it is laid out; and an import's filters, which
test one incident at a time in Python, keep what the index's SQL keeps."""

from __future__ import annotations

import contextlib
import io
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from incidents.categories import AttackType, Attribution, TargetType, WeaponType
from incidents.certainty import CODES
from incidents.cli import cli
from incidents.cli.counting import GROUPINGS
from incidents.dates import PartialDate
from incidents.model import Incident
from incidents.query import Filters, select
from incidents.store import load_store

from .conftest import index_of

# --- stores --------------------------------------------------------------------

PLACES = [
    # country, province, city: spellings the vocabulary joins, and some it does not
    ("Afghanistan", "Herat", "Herat"),
    ("Afghanistan", "Hirat", "Herāt"),
    ("Afghanistan", "Balkh", "Mazar-i-Sharif"),
    ("Afghanistan", "Balkh", "Mazar-e Sharif"),
    ("Afghanistan", "Kunduz", "Qunduz"),
    ("Afghanistan", "Kabul", "Kabul"),
    ("Afghanistan", "Kabul", None),
    ("Afghanestan", None, "Kabol"),
    ("Pakistan", "Khyber Pakhtunkhwa", "Peshawar"),
    ("Iraq", "Nineveh", "Mosul"),
]
ALIASES = ["Herat city", "Mazar", "Kaboul", "Qandahar", "Pul-i-Khumri"]
SITES = ["Pakistani embassy", "Sayed ul-Shuhada school", "a Hussainiya", "Kabul's airport"]
PERPETRATORS = [
    "Islamic State Khorasan Province",
    "ISKP",
    "ISIS-K",
    "Islamic State",
    "Taliban",
    "Tehrik-i-Taliban Pakistan",
]
WORDS = [
    "mosque",
    "hussainiyas",
    "bomb",
    "gunmen",
    "Kabul",
    "école",
    "[red]",
    "market",
    "a",
    "Ürümqi",
]
# Integral, ordinary and tiny coordinates: json.dumps writes 1e-05 where
# pydantic writes 0.00001, and a hand-edited store writes 34 for 34.0.
COORDINATES = [34.0, 34.5, 62.19, 0.00001, -0.5, 36.123456789]


def _date_text(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year}"
    return f"{year}-{month:02d}" if day is None else f"{year}-{month:02d}-{day:02d}"


# Known to the year, the month or the day.
dates = st.builds(
    _date_text,
    st.integers(1990, 2023),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)


@st.composite
def figures(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["exact", "at least", "range", "best", "unknown"]))
    low = draw(st.integers(0, 60))
    if kind == "exact":
        return low
    if kind == "at least":
        return {"min": low}
    high = low + draw(st.integers(0, 40))
    if kind == "range":
        return {"min": low, "max": high}
    if kind == "best":
        return {"min": low, "max": high, "best": draw(st.integers(low, high))}
    return None


@st.composite
def incidents(draw: st.DrawFn, number: int) -> dict[str, Any]:
    date = draw(dates)
    start = PartialDate.parse(date)
    data: dict[str, Any] = {"id": f"{start.year}-{number:03d}-{draw(st.sampled_from('abc'))}"}
    data["date"] = date
    if draw(st.integers(0, 4)) == 0:
        end = PartialDate.parse(draw(dates))
        if end.last_day >= start.first_day:
            data["end_date"] = str(end)
    country, province, city = draw(st.sampled_from(PLACES))
    location: dict[str, Any] = {"country": country}
    if province:
        location["province"] = province
    if city:
        location["city"] = city
    if draw(st.booleans()):
        location["site"] = draw(st.sampled_from(SITES))
    aliases = draw(st.lists(st.sampled_from(ALIASES), max_size=2, unique=True))
    if aliases:
        location["aliases"] = aliases
    if draw(st.integers(0, 2)) == 0:
        location["coordinates"] = {
            "lat": draw(st.sampled_from(COORDINATES)),
            "lon": draw(st.sampled_from(COORDINATES)),
            "precision": draw(st.sampled_from(["exact", "city", "province"])),
        }
    data["location"] = location
    attribution = draw(st.sampled_from(list(Attribution)))
    name = None if attribution is Attribution.UNKNOWN else draw(st.sampled_from(PERPETRATORS))
    data["perpetrator"] = {"name": name, "attribution": attribution.value}
    if name and draw(st.booleans()):
        data["claim"] = {"by": draw(st.sampled_from(PERPETRATORS)), "channel": "Telegram"}
    data["attack_type"] = draw(st.sampled_from(list(AttackType))).value
    data["target_type"] = draw(st.sampled_from(list(TargetType))).value
    data["target"] = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
    weapons = draw(st.lists(st.sampled_from(list(WeaponType)), max_size=2, unique=True))
    data["weapon_types"] = [w.value for w in weapons]
    data["killed"] = draw(figures())
    data["wounded"] = draw(figures())
    data["summary"] = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))) + "."
    data["sources"] = [
        {"publisher": draw(st.sampled_from(["Reuters", "Pajhwok", "Dawn"])), "title": "Attack"}
    ][: draw(st.integers(0, 1)) + 1]
    if draw(st.booleans()):
        data["notes"] = "Figures differ between sources."
    if draw(st.integers(0, 2)) == 0:
        dataset = draw(st.sampled_from(sorted({code.dataset for code in CODES.values()})))
        names = [name for name, code in CODES.items() if code.dataset == dataset]
        codes = {
            name: draw(st.sampled_from(sorted(CODES[name].values)))
            for name in draw(st.lists(st.sampled_from(names), unique=True))
        }
        data["origin"] = {
            "dataset": dataset,
            "id": str(number),
            **({"codes": codes} if codes else {}),
        }
    return data


@st.composite
def stores(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 12))
    return [draw(incidents(number)) for number in range(count)]


def _hand_edited(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """What a person editing the file might leave: keys in another order, defaults
    spelt out, whole numbers for coordinates."""
    items = list(data.items())
    rng.shuffle(items)
    edited = dict(items)
    if "name" not in edited["perpetrator"]:
        edited["perpetrator"] = {"attribution": "unknown", "name": None}
    edited.setdefault("end_date", None)
    location = dict(edited["location"])
    location.setdefault("aliases", [])
    coordinates = location.get("coordinates")
    if coordinates:
        location["coordinates"] = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v
            for k, v in coordinates.items()
        }
    edited["location"] = location
    return edited


def write_layout(path: Path, records: list[dict[str, Any]], layout: str, seed: int) -> None:
    """The same incidents as this tool writes them, edited by hand in its layout
    (escaped letters and all), or on one line (read the general way)."""
    from incidents.model import Store
    from incidents.store import dump_store

    canonical = [
        Incident.model_validate_json(json.dumps(r)).model_dump(mode="json", exclude_defaults=True)
        for r in records
    ]
    if layout == "canonical":
        store = Store.model_validate_json(json.dumps({"incidents": canonical}))
        path.write_text(dump_store(store), encoding="utf-8")
    elif layout == "hand-edited":
        rng = random.Random(seed)
        edited = [_hand_edited(r, rng) for r in canonical]
        path.write_text(json.dumps({"incidents": edited}, indent=2), encoding="utf-8")
    else:
        path.write_text(json.dumps({"incidents": canonical}), encoding="utf-8")


# --- questions -----------------------------------------------------------------

DATE_WORDS = ["2001", "2010-06", "2015-03-04", "2020", "2022-09", "2022-09-10"]


@st.composite
def filter_options(draw: st.DrawFn, records: list[dict[str, Any]]) -> list[str]:
    options: list[str] = []

    def maybe(option: str, values: st.SearchStrategy[str], most: int = 1) -> None:
        for value in draw(st.lists(values, max_size=most)):
            options.extend([option, value])

    maybe("--since", st.sampled_from(DATE_WORDS))
    maybe("--until", st.sampled_from(DATE_WORDS))
    maybe("--on", st.sampled_from(DATE_WORDS), 2)
    if draw(st.integers(0, 3)) == 0:
        options.append("--strict-dates")
    maybe("--target-type", st.sampled_from(["police", "mosque", "embassy", "school", "business"]))
    maybe("--attack-type", st.sampled_from(["bombing", "armed assault", "assassination"]))
    maybe("--weapon", st.sampled_from(["explosives", "firearms"]))
    places = [p for place in PLACES for p in place if p] + ALIASES + SITES + ["embassy", "kabul"]
    maybe("--location", st.sampled_from(places), 2)
    maybe("--perpetrator", st.sampled_from([*PERPETRATORS, "unknown", "isis-k", "taliban"]), 2)
    maybe("--text", st.sampled_from(["mosque", "hussainiya", "bomb kabul", "ecole", "market"]))
    maybe("--min-killed", st.sampled_from(["0", "10", "45"]))
    maybe("--max-killed", st.sampled_from(["0", "10", "45"]))
    maybe("--min-wounded", st.sampled_from(["1", "20"]))
    maybe("--max-wounded", st.sampled_from(["5", "40"]))
    maybe("--attribution", st.sampled_from([a.value for a in Attribution]), 2)
    maybe("--place-precision", st.sampled_from(["exact", "city", "district", "province"]))
    codes = [f"{name}={value}" for name, code in CODES.items() for value in code.values]
    maybe("--code", st.sampled_from(codes), 2)
    return options


SORTS = ["date", "-date", "killed", "-killed", "wounded", "-wounded"]


@st.composite
def questions(draw: st.DrawFn, records: list[dict[str, Any]]) -> list[list[str]]:
    """A few commands, each with its filters, order, limit, grouping and format."""
    ids = [r["id"] for r in records] or ["2022-001-a"]
    asked = []
    for _ in range(draw(st.integers(3, 6))):
        command = draw(st.sampled_from(["list", "total", "export", "timeline", "show"]))
        if command == "show":
            wanted = draw(st.sampled_from(ids))
            if draw(st.booleans()):  # mistyped: the suggestions must agree too
                wanted = wanted[:-1] + "x" if draw(st.booleans()) else "x" + wanted[1:]
            asked.append(["show", wanted, "--format", draw(st.sampled_from(["table", "json"]))])
            continue
        args = [command, *draw(filter_options(records))]
        if command in ("list", "export"):
            args += ["--sort", draw(st.sampled_from(SORTS))]
            if draw(st.booleans()):
                args += ["--limit", str(draw(st.integers(1, 5)))]
            if draw(st.integers(0, 3)) == 0:
                args.append("--reverse")
            formats = ["table", "csv", "json", "ndjson", "geojson", "markdown"]
            if command == "export":
                formats = formats[1:]
        elif command == "total":
            for grouping in draw(st.lists(st.sampled_from(GROUPINGS), max_size=2, unique=True)):
                args += ["--by", grouping]
            if draw(st.booleans()):
                args += ["--sort", draw(st.sampled_from(["incidents", "killed", "name"]))]
            if draw(st.integers(0, 3)) == 0:
                args += ["--limit", str(draw(st.integers(1, 3)))]
            formats = ["table", "csv", "json", "ndjson"]
        else:
            args += ["--by", draw(st.sampled_from(["year", "month", "week", "day"]))]
            if draw(st.booleans()):
                args.append("--skip-empty")
            formats = ["table", "csv", "json"]
        if formats:
            args += ["--format", draw(st.sampled_from(formats))]
        asked.append(args)
    return asked


def answer(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr.replace(str(store), "STORE")


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str, str, list[list[str]]]:
    records = draw(stores())
    layouts = st.sampled_from(["canonical", "hand-edited", "one line"])
    return records, draw(layouts), draw(layouts), draw(questions(records))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # only COLUMNS is set, each time
    ],
)
@given(case=cases(), shuffle=st.integers(0, 1000))
def test_the_index_and_no_index_print_the_same_bytes(case, shuffle, monkeypatch):
    records, indexed_layout, memory_layout, asked = case
    with tempfile.TemporaryDirectory() as directory:
        indexed = Path(directory) / "indexed" / "store.json"
        in_memory = Path(directory) / "memory" / "store.json"
        for path, layout in ((indexed, indexed_layout), (in_memory, memory_layout)):
            path.parent.mkdir()
            write_layout(path, records, layout, shuffle)
        for columns in ("80", "150"):
            monkeypatch.setenv("COLUMNS", columns)
            for args in asked:
                expected = answer(in_memory, "--no-index", *args)
                assert answer(indexed, *args) == expected, (args, indexed_layout, memory_layout)
                assert expected[0] in (0, 1, 2), expected
        # Asked again, the index (with what the first answers cached) agrees still.
        for args in asked:
            assert answer(indexed, *args) == answer(in_memory, "--no-index", *args)


# --- the import's filters --------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_imports_filters_keep_what_the_index_keeps(data):
    records = data.draw(stores())
    options = data.draw(filter_options(records))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.json"
        write_layout(path, records, "canonical", 0)
        stored = load_store(path).incidents
    filters = _filters(options)
    source = index_of(stored)
    expected = [(row.id, row.date_uncertain) for row in source.list_rows(filters, None, None)]
    kept = [(m.incident.id, m.date_uncertain) for m in select(stored, filters)]
    assert kept == expected, options


def _filters(options: list[str]) -> Filters:
    """The filters the command line makes of these options (dates that cannot
    match are refused there, and are no question to ask)."""
    import click

    from incidents.cli.options import build_filters

    command = cli.commands["list"]
    with contextlib.redirect_stderr(io.StringIO()):  # what a category word stood for
        context = command.make_context("list", list(options))
        try:
            return build_filters(dict(context.params))
        except click.UsageError:
            reject()


# --- what the two used to answer differently ---------------------------------------


def test_a_hand_edited_store_is_shown_as_this_tool_writes_it(tmp_path, seed):
    """Escaped letters, keys in another order, defaults spelt out, 36 for 36.0:
    every answer shows the incidents as this tool writes them, both ways."""
    records = [incident.model_dump(mode="json", exclude_defaults=True) for incident in seed]
    records[0]["location"]["city"] = "Kundūz"
    records[0]["location"]["coordinates"] = {"lat": 36, "lon": 68.86, "precision": "city"}
    records[1]["location"]["coordinates"] = {"lat": 1e-05, "lon": 62.2, "precision": "city"}
    canonical, edited = tmp_path / "canonical" / "store.json", tmp_path / "edited" / "store.json"
    for path, layout in ((canonical, "canonical"), (edited, "hand-edited")):
        path.parent.mkdir()
        write_layout(path, records, layout, 0)
    assert "\\u016b" in edited.read_text() and '"lat": 36,' in edited.read_text()
    # json.dumps writes 1e-05, as this tool does; pydantic and people write 0.00001.
    tiny = tmp_path / "tiny" / "store.json"
    tiny.parent.mkdir()
    tiny.write_text(canonical.read_text().replace('"lat": 1e-05,', '"lat": 0.00001,'))
    assert tiny.read_text() != canonical.read_text()
    for args in (["export", "--format", "json"], ["list", "--format", "ndjson"]):
        as_written = answer(canonical, *args)
        for store in (edited, tiny):
            assert answer(store, *args) == as_written
            assert answer(store, "--no-index", *args) == as_written
    code, out, _ = answer(edited, "export", "--format", "csv")
    assert code == 0 and ",Kundūz,,36.0,68.86,city," in out


def test_a_mistyped_id_gets_the_same_suggestions_from_every_command(seed_copy):
    wanted = "x022-09-herat"  # a slip in the first characters
    indexed = answer(seed_copy, "show", wanted)
    assert indexed == answer(seed_copy, "--no-index", "show", wanted)
    edited = answer(seed_copy, "edit", wanted, "--set", "killed=3")
    assert (edited[0], edited[2]) == (indexed[0], indexed[2])
    close = answer(seed_copy, "show", "2022-09-hreat")[2]
    assert close.startswith(
        "Error: no incident has the id '2022-09-hreat'. Did you mean: 2022-09-herat"
    )


@pytest.mark.parametrize(
    ("spoilt", "message"),
    [
        (lambda text: text + b"\x0c", "not valid JSON: Extra data"),  # a form feed at the end
        (lambda text: b"\x0b" + text, "not valid JSON: Expecting value"),
        (
            lambda text: text.replace(b"incidents.schema", b"incidents\t.schema"),
            "control character",
        ),
        (lambda text: text.replace(b"incidents.schema", b"incid\xe9nts.schema"), "not UTF-8 text"),
    ],
    ids=["form feed", "vertical tab", "tab in $schema", "Latin-1 in $schema"],
)
def test_the_index_refuses_what_validate_refuses(seed_copy, spoilt, message):
    seed_copy.write_bytes(spoilt(seed_copy.read_bytes()))
    validated = CliRunner().invoke(cli, ["validate", str(seed_copy)])
    assert validated.exit_code == 1
    assert message in validated.stdout
    for index in ([], ["--no-index"]):
        code, out, err = answer(seed_copy, *index, "total")
        assert (code, out) == (1, "")
        assert err.startswith(
            "Error: " + validated.stdout.splitlines()[0].replace(str(seed_copy), "STORE")
        )


MUTATIONS = [b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x00", b'"', b"\\", b",", b"}", b"]"]
MUTATIONS += [b"\xc3\xa9", b"\xe9", b"\\u00e9", b"0", b"-", b"e"]


@settings(max_examples=80, deadline=None)
@given(
    position=st.floats(0, 1),
    cut=st.integers(0, 2),
    inserted=st.sampled_from(MUTATIONS),
)
def test_a_store_spoilt_anywhere_is_refused_by_the_index_when_validate_refuses_it(
    position, cut, inserted
):
    from tests.conftest import SEED_STORE

    text = SEED_STORE.read_bytes()
    at = int(position * len(text))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.json"
        path.write_bytes(text[:at] + inserted + text[at + cut :])
        validated = CliRunner().invoke(cli, ["validate", str(path)]).exit_code
        assert answer(path, "total")[0] == validated


def test_a_store_from_a_pipe_is_refused_as_validate_refuses_it(seed_copy):
    """The index of a piped store is built in memory from the one reading there
    is: when the quick way finds a problem, the general way reads the same bytes."""
    records = json.loads(seed_copy.read_text())
    records["incidents"][1]["id"] = records["incidents"][0]["id"]
    seed_copy.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    validated = CliRunner().invoke(cli, ["validate", str(seed_copy)])
    piped = subprocess.run(
        [sys.executable, "-m", "incidents", "--store", "/dev/stdin", "total"],
        input=seed_copy.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert (validated.exit_code, piped.returncode) == (1, 1)
    problem = validated.stdout.splitlines()[0].replace(str(seed_copy), "/dev/stdin")
    assert piped.stderr.decode().startswith(f"Error: {problem}\n")
