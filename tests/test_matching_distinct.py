"""--distinct: each linked group counted as one attack, its dates agreed and
its tolls combined honestly; the same bytes from the index and from memory;
nothing changed without it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from pydantic_core import from_json

from incidents.matching.distinct import agreed_dates, combined_figure, distinct_view
from incidents.model import Incident, Link
from incidents.store import stored_json
from tests.matching import record_data

Run = Callable[..., Result]

KABUL_LINKS = [
    {"records": ["2022-09-05-kabul", "gtd:201709050001"], "status": "confirmed"},
    {"records": ["acled:AFG1", "gtd:201709050001"], "status": "likely", "score": 0.97},
    {"records": ["acled:AFG1", "ucdp:1"], "status": "likely", "score": 0.95},
    {"records": ["2022-09-05-kabul", "ucdp:1"], "status": "possible", "score": 0.6},
    {"records": ["acled:AFG1", "gtd:2"], "status": "rejected"},
]


def kabul_records() -> list[dict[str, Any]]:
    """One attack in four records, and another attack."""
    common: dict[str, Any] = {"date": "2022-09-05", "target": "Russian embassy"}
    return [
        record_data(
            "hand-kept",
            "x",
            id="2022-09-05-kabul",
            precision="city",
            killed=6,
            wounded=10,
            **common,
        ),
        record_data("gtd", "201709050001", killed=6, wounded=12, **common),
        record_data(
            "acled",
            "AFG1",
            date="2022-09-02",
            end_date="2022-09-08",
            killed={"min": 6},
            wounded=None,
            target="Civilians",
        ),
        record_data("ucdp", "1", killed={"min": 5, "max": 8, "best": 7}, wounded=None, **common),
        record_data("gtd", "2", date="2022-10-01", killed=3, wounded=5, summary="Another."),
    ]


@pytest.fixture
def kabul(write_store: Callable[..., Path]) -> Path:
    path = write_store([])
    path.write_text(
        json.dumps({"incidents": kabul_records(), "links": KABUL_LINKS}, indent=2), "utf-8"
    )
    return path


def test_total_counts_each_attack_once_with_its_tolls_combined(run: Run, kabul: Path) -> None:
    plain = run("total", store=kabul)
    assert plain.stdout.splitlines()[0] == "Incidents  5"
    result = run("total", "--distinct", store=kabul)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Incidents  2",
        "Killed     at least 9; best estimate 10",  # max(6, 6, ≥6, 5-8) for one, 3 for the other
        "Wounded    17",  # at least the largest figure, 12, and 5
    ]
    assert result.stderr == (
        "Counted once: 5 records are 2 attacks (4 of them linked as 1); 1 possible link "
        "awaits review (`incidents match --review`).\n"
    )


def test_the_list_marks_which_data_sets_report_each_attack(run: Run, kabul: Path) -> None:
    result = run("list", "--distinct", "--format", "table", store=kabul)
    assert result.stdout.splitlines() == [
        "ID               Date       Place Target    Perp. Killed Wounded Sets",
        "─────────────────────────────────────────────────────────────────────",
        "2022-09-05-kabul 2022-09-05 Kabul Religious ISKP      ≥6      12 HGAU",
        "gtd-2            2022-10-01 Kabul Religious ISKP       3       5 G",
        "2 incidents.",
        "≥N at least N; Sets: H hand-kept, G GTD, A ACLED, U UCDP GED.",
    ]
    assert "Sets" not in run("list", "--format", "table", store=kabul).stdout
    piped = run("list", "--distinct", store=kabul).stdout.splitlines()
    assert piped[0].endswith("\twounded\tsets")
    assert piped[1].startswith("2022-09-05-kabul\t")
    assert piped[1].endswith("\t≥6 (best 7)\t12\tHGAU")
    assert run("list", store=kabul).stdout.splitlines()[0].endswith("\twounded")


def test_the_attack_is_described_by_its_records_together(run: Run, kabul: Path) -> None:
    exported = json.loads(run("export", "--distinct", "--format", "json", store=kabul).stdout)
    attack = exported["incidents"][0]
    assert attack["id"] == "2022-09-05-kabul"
    assert attack["date"] == "2022-09-05" and "end_date" not in attack  # within ACLED's week
    assert attack["location"]["coordinates"]["precision"] == "exact"  # the most precise record's
    assert attack["killed"] == {"min": 6, "best": 7}
    assert attack["wounded"] == 12
    assert attack["notes"].startswith(
        "One attack, reported by hand-kept (2022-09-05-kabul), GTD (gtd-201709050001), "
        "ACLED (acled-afg1) and UCDP GED (ucdp-1): counted once. Killed: hand-kept 6; GTD 6; "
        "ACLED at least 6; UCDP GED 5–8 (best 7)."
    )
    assert len(attack["sources"]) == 1  # the same source, cited once
    assert [i["id"] for i in exported["incidents"]] == ["2022-09-05-kabul", "gtd-2"]


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--format", "csv"],
        ["list", "--format", "ndjson", "--location", "Kabul"],
        ["list", "--format", "geojson"],
        ["list", "--format", "markdown"],
        ["total", "--by", "month"],
        ["total", "--by", "perpetrator", "--format", "json"],
        ["export", "--format", "json"],
        ["export", "--format", "csv", "--since", "2022-09-06"],
        ["timeline"],
    ],
    ids=" ".join,
)
def test_the_index_and_memory_give_the_same_bytes(
    run: Run, kabul: Path, command: list[str]
) -> None:
    indexed = run(*command, "--distinct", store=kabul)
    assert indexed.exit_code == 0, indexed.output
    assert run("--no-index", *command, "--distinct", store=kabul).output == indexed.output


@pytest.mark.parametrize("command", [["list"], ["total", "--by", "year"], ["export"]], ids=str)
def test_without_distinct_nothing_changes(
    run: Run, kabul: Path, write_store: Callable[..., Path], command: list[str]
) -> None:
    unlinked = write_store(kabul_records(), name="unlinked.json")
    assert run(*command, store=kabul).stdout == run(*command, store=unlinked).stdout


def test_the_view_is_made_once_and_kept_until_the_store_changes(run: Run, kabul: Path) -> None:
    first = run("total", "--distinct", store=kabul)
    cached = list((Path.cwd() / "cache" / "incidents").glob("*.distinct.sqlite"))
    assert len(cached) == 1
    made = cached[0].stat().st_mtime_ns
    assert run("total", "--distinct", store=kabul).output == first.output
    assert cached[0].stat().st_mtime_ns == made
    document = json.loads(kabul.read_text("utf-8"))
    document["links"] = document["links"][2:]  # only ACLED and UCDP are linked now
    kabul.write_text(json.dumps(document, indent=2), "utf-8")
    assert run("total", "--distinct", store=kabul).stdout.splitlines()[0] == "Incidents  4"


def test_no_links_means_each_record_is_one_attack(run: Run) -> None:
    result = run("total", "--distinct")
    assert result.stdout == run("total").stdout
    assert result.stderr == (
        "Counted once: no records are linked (run `incidents match`): each record is one attack.\n"
    )


def test_a_groups_text_is_the_store_layout_of_a_valid_incident() -> None:
    datas = kabul_records()
    texts = [stored_json(Incident.model_validate(d, strict=False)) for d in datas]
    links = [Link.model_validate(link, strict=False) for link in KABUL_LINKS]
    view = distinct_view(texts, [from_json(t) for t in texts], links)
    assert view.attacks == 2
    for text in view.texts:
        assert stored_json(Incident.model_validate_json(text)) == text


@pytest.mark.parametrize(
    ("dates", "agreed"),
    [
        ([("2022-09-05", None), ("2022-09-02", "2022-09-08")], ("2022-09-05", None)),
        ([("2022-09", None), ("2022-09-02", "2022-09-08")], ("2022-09-02", "2022-09-08")),
        ([("2022-09", None), ("2022", None)], ("2022-09", None)),
        # The records disagree: the span of them all, never a guess.
        ([("2022-09-05", None), ("2022-09-06", None)], ("2022-09-05", "2022-09-06")),
    ],
)
def test_the_date_is_what_all_records_agree_on(
    dates: list[tuple[str, str | None]], agreed: tuple[str, str | None]
) -> None:
    members = [{"date": d, "end_date": e} for d, e in dates]
    assert agreed_dates(members) == agreed


@pytest.mark.parametrize(
    ("figures", "combined"),
    [
        ([6, {"min": 6}], {"min": 6}),
        ([6, 6], 6),
        ([6, 9], 9),  # at least the largest: the spread is in the notes
        ([{"min": 5, "max": 8, "best": 7}, 6], {"min": 6, "max": 8, "best": 7}),
        ([{"min": 5, "max": 8, "best": 5}, 6], {"min": 6, "max": 8, "best": 6}),
        ([None, {"min": 2}], {"min": 2}),
        ([None, None], None),  # unknown stays unknown
    ],
)
def test_tolls_combine_honestly(figures: list[Any], combined: Any) -> None:
    assert combined_figure(figures) == combined
