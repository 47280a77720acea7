"""Bad stores and bad command lines: exit 1 or 2, one clear message, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import SEED_STORE, incident_data

Run = Callable[..., Result]
FUTURE_YEAR = "2999"


def store_of(**changes: Any) -> str:
    return json.dumps({"incidents": [incident_data(**changes)]})


WHERE = "incidents[0] (id '2022-01-15-kabul'), "

# (name, store text, message expected on stderr after "<file>: " or "<file>:<line>:<col>: ")
BAD_STORES: list[tuple[str, str, str]] = [
    ("empty file", "", "1:1: not valid JSON: Expecting value"),
    ("not JSON", "incidents: []", "1:1: not valid JSON: Expecting value"),
    ("trailing comma", '{"incidents": [],}', "1:18: not valid JSON: Expecting property name"),
    ("a list, not an object", "[]", 'expected an object {"incidents": [...]}, got a list'),
    (
        "escaped lone surrogate",
        '{"incidents": [{"id": "\\udc00x"}]}',
        ":1:29: not valid JSON: ",  # the rest is pydantic's parser's own words
    ),
    ("no incidents key", "{}", ", incidents: missing (this field is required)"),
    ("incidents not a list", '{"incidents": {}}', ", incidents: input should be a valid array"),
    ("unknown top-level field", '{"incidents": [], "extra": 1}', ", extra: unknown field"),
    ("incident not an object", '{"incidents": [5]}', "incidents[0]: input should be an object"),
    ("id a number", store_of(id=5), "incidents[0], id: input should be a valid string, got 5"),
    ("id with spaces", store_of(id="Kabul 1"), "id: string should match pattern"),
    ("month 13", store_of(date="2022-13"), WHERE + "date: month 13 does not exist"),
    ("day that does not exist", store_of(date="2022-02-30"), "day 30 does not exist in 2022-02"),
    ("date as people write it", store_of(date="Oct 2021"), "expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ("date a number", store_of(date=20220115), "date: input should be a valid string"),
    ("date in the future", store_of(date=FUTURE_YEAR), f"date: {FUTURE_YEAR} is in the future"),
    ("end before start", store_of(end_date="2021"), "end_date 2021 is before date 2022-01-15"),
    (
        "claim before attack",
        store_of(claim={"by": "ISKP", "date": "2022-01-01"}),
        "claim.date: the claim (2022-01-01) is dated before the attack (2022-01-15)",
    ),
    ("negative count", store_of(killed=-1), WHERE + "killed: input should be greater than"),
    ("count as a word", store_of(killed="sixteen"), 'killed: expected a whole number, {"min": N}'),
    ("count as a fraction", store_of(wounded=3.5), "wounded: expected a whole number"),
    ("range min above max", store_of(killed={"min": 5, "max": 3}), "min 5 is greater than max 3"),
    ("misspelt range key", store_of(killed={"min": 1, "maxx": 3}), "killed.maxx: unknown field"),
    ("unknown field", store_of(victims=3), WHERE + "victims: unknown field (check its spelling)"),
    ("unknown attack type", store_of(attack_type="Stabbing"), "'Stabbing' is not one of:"),
    ("unknown target type", store_of(target_type="Mosque"), "'Mosque' is not one of:"),
    ("weapons not a list", store_of(weapon_types="Explosives"), "input should be a valid array"),
    ("no country", store_of(location={"city": "Kabul"}), "location.country: missing"),
    (
        "latitude out of range",
        store_of(
            location={"country": "X", "coordinates": {"lat": 120, "lon": 3, "precision": "city"}}
        ),
        "location.coordinates.lat: input should be less than or equal to 90, got 120",
    ),
    (
        "unknown attribution",
        store_of(perpetrator={"attribution": "maybe"}),
        "perpetrator.attribution: 'maybe' is not one of",
    ),
    (
        "claimed without a name",
        store_of(perpetrator={"attribution": "claimed"}),
        "perpetrator: a claimed attribution needs a name",
    ),
    (
        "source without publisher",
        store_of(sources=[{"title": "x"}]),
        "sources[0].publisher: missing",
    ),
    ("summary a number", store_of(summary=5), "summary: input should be a valid string, got 5"),
    (
        "damage as a word",
        store_of(property_damage={"occurred": "yes"}),
        'property_damage.occurred: input should be a valid boolean, got "yes"',
    ),
    (
        "duplicate ids",
        json.dumps({"incidents": [incident_data(), incident_data(date="2022-01-16")]}),
        "incidents[1] (id '2022-01-15-kabul'), id: duplicate id: incidents[0] has it too",
    ),
    (
        "nested 100,000 deep",
        '{"incidents": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nested too deeply",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in BAD_STORES], ids=[c[0] for c in BAD_STORES]
)
@pytest.mark.parametrize(
    "command", [["list"], ["total", "--by", "year"], ["show", "x"], ["export"]]
)
def test_every_command_refuses_a_bad_store_with_its_first_problems(
    run: Run, write_store: Callable[..., Path], text: str, message: str, command: list[str]
) -> None:
    path = write_store(text)
    result = run(*command, store=path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}")
    assert message in result.stderr
    assert f"Run `incidents validate {path}` to list every problem." in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in BAD_STORES], ids=[c[0] for c in BAD_STORES]
)
def test_validate_reports_a_bad_store(
    run: Run, write_store: Callable[..., Path], text: str, message: str
) -> None:
    path = write_store(text)
    result = run("validate", path, store=None)
    assert result.exit_code == 1
    assert message in result.stdout
    assert result.stderr.startswith(f"{path}: not valid (")
    data = run("validate", path, "--format", "json", store=None)
    assert data.exit_code == 1
    report = json.loads(data.stdout)
    assert report["valid"] is False and report["errors"] >= 1
    assert any(message.split(": ")[-1] in p["message"] for p in report["problems"])


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in BAD_STORES[:12]], ids=[c[0] for c in BAD_STORES[:12]]
)
def test_writing_commands_refuse_a_bad_store_and_leave_it_alone(
    run: Run, write_store: Callable[..., Path], text: str, message: str
) -> None:
    path = write_store(text)
    before = path.read_bytes()
    result = run("remove", "2022-01-15-kabul", "--yes", store=path)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Run `incidents validate" in result.stderr
    assert path.read_bytes() == before


def test_invalid_utf8_names_the_line_and_column(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"incidents": [\n  {"id": "caf\xe9"}]}'.encode("latin-1"))
    result = run("list", store=path)
    assert result.exit_code == 1
    assert f"{path}:2:14: not UTF-8 text (byte 0xe9)" in result.stderr


def test_a_byte_order_mark_is_allowed(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SEED_STORE.read_bytes())
    assert run("validate", path, store=None).exit_code == 0
    assert run("list", "--format", "csv", store=path).exit_code == 0


def test_a_store_that_is_a_directory_or_missing(run: Run, tmp_path: Path) -> None:
    result = run("list", store=tmp_path)
    assert result.exit_code == 1
    assert "is a directory, not a store file" in result.stderr
    result = run("validate", tmp_path / "nope.json", store=None)
    assert result.exit_code == 1
    assert "nope.json: no such file" in result.stdout


def test_a_100_mb_store_of_one_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text(
        json.dumps({"incidents": [incident_data(summary="x" * 100_000_000, killed="many")]}),
        encoding="utf-8",
    )
    result = run("list", store=path)
    assert result.exit_code == 1
    assert "killed: expected a whole number" in result.stderr
    assert len(result.stderr) < 1000  # the huge value is not echoed


def test_validate_of_a_clean_store_with_warnings_exits_0(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"incidents": [incident_data(sources=[])]}), encoding="utf-8")
    result = run("validate", path, store=None)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}: incidents[0] (id '2022-01-15-kabul'), sources: warning: "
        "no source is cited; add one (publisher, date, title or url)\n"
    )
    assert result.stderr == f"{path}: valid (0 errors, 1 warning).\n"
    assert run("list", store=path).exit_code == 0


def test_validate_json_lists_problems_as_data(run: Run, write_store: Callable[..., Path]) -> None:
    path = write_store([incident_data(killed=-1), incident_data(id="b", sources=[])])
    result = run("validate", "--format", "json", path, store=None)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "file": str(path),
        "valid": False,
        "errors": 1,
        "warnings": 1,
        "problems": [
            {
                "file": str(path),
                "message": "input should be greater than or equal to 0, got -1",
                "line": None,
                "column": None,
                "index": 0,
                "id": "2022-01-15-kabul",
                "field": "killed",
                "severity": "error",
            },
            {
                "file": str(path),
                "message": "no source is cited; add one (publisher, date, title or url)",
                "line": None,
                "column": None,
                "index": 1,
                "id": "b",
                "field": "sources",
                "severity": "warning",
            },
        ],
    }


def test_validate_defaults_to_the_store_in_use(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"{SEED_STORE}: valid (0 errors, 0 warnings).\n"


def test_more_than_five_problems_are_summed_up(run: Run, write_store: Callable[..., Path]) -> None:
    bad = [incident_data(id=f"x{i}", killed=-1) for i in range(7)]
    path = write_store(bad)
    result = run("list", store=path)
    assert result.exit_code == 1
    assert result.stderr.count("killed: input should be greater") == 5
    assert "... and 2 more problems" in result.stderr


# (command line, exit code, message on stderr)
BAD_COMMAND_LINES: list[tuple[list[str], int, str]] = [
    (["list", "--since", "sometime"], 2, "cannot read 'sometime' as a date"),
    (["list", "--target-type", "picnic"], 2, "'picnic' is not a known category"),
    (["show", "no-such-id"], 1, "no incident has the id 'no-such-id'"),
    (["validate", "--format", "xml"], 2, "'xml' is not one of 'text', 'json'"),
    (["remove"], 2, "Missing argument 'ID'"),
    (["edit", "2022-09-herat", "--set", "nope=1"], 2, "'nope' is not a field"),
    (["edit", "2022-09-herat", "--set", "killed=-3"], 2, "Invalid value for --set killed"),
    (["edit", "2022-09-herat", "--set", "attack_type=picnic"], 2, "not a known category"),
    (["edit", "2022-09-herat", "--set", "date=Feb 30 2022"], 2, "Invalid value for --set date"),
    (["edit", "2022-09-herat", "--add-source", " | 2022"], 2, "a source needs a publisher first"),
    (["edit", "2022-09-herat", "--set", "claim=Amaq"], 2, "claim can only be cleared"),
    (["add", "--killed", "sixteen"], 2, "Invalid value for --killed"),
    (["add", "--date", "2022-02-30"], 2, "Invalid value for --date: day 30 does not exist"),
    (["add", "--date", "March"], 2, "'March' has no year"),
    (["add", "--target-type", "picnic"], 2, "Invalid value for --target-type"),
    (["add", "--coordinates", "north"], 2, "Invalid value for --coordinates"),
    (["add", "--coordinates", "91, 3"], 2, "latitude 91.0 is outside -90 .. 90"),
    (["add", "--attribution", "maybe"], 2, "one of claimed, attributed, suspected, unknown"),
    (["add", "--property-damage", "some"], 2, "expected yes, no or unknown"),
    (["add", "--weapon", "explosives,spoon"], 2, "'spoon' is not a known category"),
    (["add", "--wounded", "9-2"], 2, "runs backwards"),
    (["add", "--date", "2022", "--end-date", "2021"], 1, "end_date 2021 is before date 2022"),
    (["add", "--date", "0000"], 2, "Invalid value for --date: year 0 is out of range"),
    (["list", "--since", "9.5.2022"], 2, "9.5.2022: 9 May or 5 September 2022?"),
    (["list", "--since", "2023", "--until", "2022"], 2, "--since 2023 is later than --until 2022"),
    (["list", "--limit", "1" + "0" * 30], 2, "Invalid value for '--limit'"),
    (["add", "--killed", "1" + "0" * 30], 2, "Invalid value for --killed"),
    (["edit", "2022-09-herat", "--set", "killed=" + "9" * 30], 2, "Invalid value for --set killed"),
    (["add", "--id", "UPPER"], 1, "id: string should match pattern"),
    (["add", "--source", "|"], 2, "Invalid value for --source"),
    (
        ["add", "--perpetrator", "ISKP", "--attribution", "unknown"],
        1,
        "an unknown perpetrator has no name",
    ),
    (["frobnicate"], 2, "No such command 'frobnicate'"),
]

COMPLETE = ["--date", "2022-03-01", "--country", "Afghanistan", "--attack-type", "bombing"]
COMPLETE += ["--target-type", "police", "--target", "Checkpoint", "--summary", "A bomb."]


@pytest.mark.parametrize(("args", "code", "message"), BAD_COMMAND_LINES, ids=lambda v: str(v))
def test_bad_command_lines(
    run: Run, seed_copy: Path, args: list[str], code: int, message: str
) -> None:
    store = seed_copy
    before = store.read_bytes()
    if args[0] == "add":
        # Complete the incident so that the one bad value is what is refused.
        given = set(args[1::2])
        args = args + [
            v
            for i in range(0, len(COMPLETE), 2)
            if COMPLETE[i] not in given
            for v in COMPLETE[i : i + 2]
        ]
    result = run(*args, store=store)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert store.read_bytes() == before
