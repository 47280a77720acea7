"""incidents match: links found and kept in the store, decisions by people,
runs that look only at what changed, the seed's attacks found in ACLED and
UCDP GED."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from incidents.categories import LinkStatus
from incidents.matching import persistence
from incidents.matching.groups import Pair, groups
from incidents.model import Link
from incidents.store import link_texts, load_store
from tests.conftest import SEED_STORE
from tests.fixtures.datasets import ACLED_HEADER, write_csv
from tests.fixtures.seed_twins import (
    ACLED_SEED_CSV,
    ACLED_SEED_ROWS,
    SEED_FILES,
    SEED_TWINS,
    UCDP_SEED_CSV,
    seed_csv_text,
)
from tests.importing import import_into

Run = Callable[..., Result]


@pytest.fixture
def linked(run: Run, tmp_path: Path) -> Path:
    """The seed store with the ACLED and UCDP GED rows of its attacks imported."""
    path = tmp_path / "afg.json"
    path.write_bytes(SEED_STORE.read_bytes())
    import_into(run, path, "acled", ACLED_SEED_CSV)
    import_into(run, path, "ucdp", UCDP_SEED_CSV)
    return path


def links_in(path: Path) -> dict[frozenset[str], dict[str, Any]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {frozenset(link["records"]): link for link in document.get("links", [])}


def store_groups(path: Path) -> list[list[str]]:
    store = load_store(path)
    datasets = {
        (f"{i.origin.dataset}:{i.origin.id}" if i.origin else i.id): (
            i.origin.dataset if i.origin else "hand-kept"
        )
        for i in store.incidents
    }
    pairs = [Pair.of(link.records[0], link.records[1], link.status) for link in store.links]
    return groups(pairs, datasets)


def test_the_seed_fixture_files_are_current() -> None:
    for path in SEED_FILES:
        assert path.read_bytes() == seed_csv_text(path).encode("utf-8"), (
            "run `python -m tests.fixtures.seed_twins`"
        )


def test_the_seeds_attacks_link_to_their_acled_and_ucdp_records(run: Run, linked: Path) -> None:
    result = run("match", store=linked)
    assert result.exit_code == 0, result.output
    found = {min(group): set(group) for group in store_groups(linked)}
    assert found == {attack: {attack, *twins} for attack, twins in SEED_TWINS.items()}
    # The article puts the Aybak attack on 2 December; ACLED on 30 November.
    aybak = links_in(linked)[frozenset({"2022-12-02-aybak", "acled:AFG50108"})]
    assert aybak["status"] == "likely"
    assert aybak["evidence"].startswith("2 days apart; under 0.1 km apart; both in Aybak")


def with_a_second_record(run: Run, path: Path, tmp_path: Path) -> None:
    """ACLED records the embassy bombing twice, in other words: each record
    is a rival for the other, so their links are only possible."""
    twice = dict(
        ACLED_SEED_ROWS[4],
        event_id_cnty="AFG50199",
        notes="A suicide bomber killed 6 at the Russian embassy in Kabul on 5 September.",
    )
    import_into(run, path, "acled", write_csv(tmp_path / "twice.csv", ACLED_HEADER, [twice]))


def test_match_says_what_it_did(run: Run, linked: Path, tmp_path: Path) -> None:
    with_a_second_record(run, linked, tmp_path)
    result = run("match", store=linked)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Compared 23 records (hand-kept 8, ACLED 9, UCDP GED 6), every record: 22 candidate pairs.",
        f"{linked}: 18 likely links, 4 possible links (22 new); review the possible ones with "
        "`incidents match --review`.",
        "Counted once (--distinct), the 23 records are 10 attacks.",
    ]
    kunduz = links_in(linked)[frozenset({"acled:AFG50101", "ucdp:500101"})]
    assert kunduz == {
        "records": ["acled:AFG50101", "ucdp:500101"],
        "status": "likely",
        "score": kunduz["score"],
        "evidence": "same day; 1.3 km apart; suicide bomb; UCDP GED does not say how; "
        "both mention mosque; both by Islamic State; killed at least 46 vs 46–72 (best 50)",
    }
    assert kunduz["score"] > 0.95
    embassy = links_in(linked)[frozenset({"2022-09-05-kabul", "acled:AFG50199"})]
    assert embassy["status"] == "possible"


def test_a_dry_run_writes_nothing(run: Run, linked: Path) -> None:
    before = linked.read_bytes()
    result = run("match", "--dry-run", store=linked)
    assert result.exit_code == 0
    assert "Dry run: would write 20 likely links, 0 possible links (20 new)." in result.stderr
    assert linked.read_bytes() == before


def test_a_run_after_an_import_looks_only_at_what_changed(
    run: Run, linked: Path, tmp_path: Path
) -> None:
    assert run("match", store=linked).exit_code == 0
    again = run("match", store=linked)
    assert "none added or changed since the last match: 0 candidate pairs." in again.stderr
    newer = [dict(ACLED_SEED_ROWS[4], fatalities="7")]  # an update of one event
    newer.append(dict(ACLED_SEED_ROWS[4], event_id_cnty="AFG50199", event_date="2022-09-06"))
    import_into(run, linked, "acled", write_csv(tmp_path / "newer.csv", ACLED_HEADER, newer))
    third = run("match", store=linked)
    assert "2 added or changed since the last match" in third.stderr
    assert "every record" in run("match", "--all", store=linked).stderr


def test_decisions_survive_a_reimport_and_later_runs(
    run: Run, linked: Path, tmp_path: Path
) -> None:
    assert run("match", store=linked).exit_code == 0
    decided = run(
        "match",
        "--reject",
        "acled-afg50101",
        "ucdp-500101",
        "--confirm",
        "2022-12-02-aybak",
        "acled:AFG50108",
        store=linked,
    )
    assert decided.exit_code == 0, decided.output
    assert "Rejected: acled-afg50101 and ucdp-500101 are two attacks." in decided.stderr
    # A newer export changes both events of the decisions.
    rows = [dict(row, fatalities=str(int(row["fatalities"]) + 1)) for row in ACLED_SEED_ROWS]
    newer = import_into(run, linked, "acled", write_csv(tmp_path / "v2.csv", ACLED_HEADER, rows))
    assert "updated 8" in newer.stderr
    again = run("match", store=linked)
    assert "8 added or changed since the last match" in again.stderr
    assert "2 decisions kept" in again.stderr
    links = links_in(linked)
    assert links[frozenset({"acled:AFG50101", "ucdp:500101"})]["status"] == "rejected"
    assert links[frozenset({"2022-12-02-aybak", "acled:AFG50108"})]["status"] == "confirmed"
    kunduz = next(set(g) for g in store_groups(linked) if "2021-10-kunduz" in g)
    assert not {"acled:AFG50101", "ucdp:500101"} <= kunduz


def test_a_decision_outlives_its_record(run: Run, linked: Path) -> None:
    assert run("match", store=linked).exit_code == 0
    rejected = run("match", "--reject", "2022-12-02-aybak", "acled-afg50108", store=linked)
    assert rejected.exit_code == 0
    assert run("remove", "2022-12-02-aybak", "--yes", store=linked).exit_code == 0
    again = run("match", store=linked)
    assert "Kept 1 decision on records no longer in the store, should they come back." in (
        again.stderr
    )
    assert links_in(linked)[frozenset({"2022-12-02-aybak", "acled:AFG50108"})]["status"] == (
        "rejected"
    )


def test_confirm_names_records_by_id_or_key_and_refuses_unknown_ones(
    run: Run, linked: Path
) -> None:
    result = run("match", "--confirm", "2022-12-02-aybak", "acled-afg5010", store=linked)
    assert result.exit_code == 1
    assert "no incident has the id 'acled-afg5010'. Did you mean:" in result.stderr
    same = run("match", "--confirm", "acled:AFG50101", "acled-afg50101", store=linked)
    assert same.exit_code == 1
    assert "are one record" in same.stderr
    both = run("match", "--confirm", "a", "b", "--reject", "b", "a", "--summary", store=linked)
    assert both.exit_code == 2


def test_match_refuses_the_bundled_store(run: Run) -> None:
    result = run("match", store=None)
    assert result.exit_code == 1
    assert "bundled with the tool" in result.stderr


def test_review_without_a_terminal_is_a_usage_error(run: Run, linked: Path) -> None:
    result = run("match", "--review", store=linked)
    assert result.exit_code == 2
    assert "--review asks questions on a terminal" in result.stderr


def test_review_asks_about_each_link_and_keeps_the_answers(
    run: Run, linked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.cli import matching as matching_cli

    monkeypatch.setattr(matching_cli, "on_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    with_a_second_record(run, linked, tmp_path)
    assert run("match", store=linked).exit_code == 0
    result = run("match", "--review", store=linked, input="c\nx\ns\nr\nq\n")
    assert result.exit_code == 0, result.output
    # First the possible links, best first: the embassy and its two ACLED records.
    assert "Link 1 of 22: possible, score 1.00" in result.stderr
    assert "2022-09-05-kabul (hand-kept)" in result.stderr
    assert "Evidence: same day; 4.6 km apart; both in Kabul; bombing vs suicide bomb;" in (
        result.stderr
    )
    assert "Error: 'x' is not one of 'c', 'r', 's', 'q'." in result.stderr
    assert "Link 3 of 22: possible" in result.stderr
    assert f"{linked}: 1 confirmed, 1 rejected, 1 skipped; 20 left to review." in result.stderr
    links = links_in(linked)
    assert links[frozenset({"2022-09-05-kabul", "acled:AFG50105"})]["status"] == "confirmed"
    statuses = sorted(link["status"] for link in links.values())
    assert statuses.count("confirmed") == 1 and statuses.count("rejected") == 1
    # The end of the input (or Ctrl-C) keeps what was decided.
    ended = run("match", "--review", store=linked, input="r\n")
    assert ended.exit_code == 0
    assert ": 0 confirmed, 1 rejected, 0 skipped;" in ended.stderr


def test_show_lists_the_twins_and_why(run: Run, linked: Path) -> None:
    assert run("match", store=linked).exit_code == 0
    shown = run("show", "acled-afg50105", store=linked)
    lines = " ".join(shown.stdout.split())
    assert (
        "Same attack as 2022-09-05-kabul: likely, score 1.00; same day; 4.6 km apart; both in "
        "Kabul; bombing vs suicide bomb; both mention embassy; both by Islamic State; killed 6 "
        "vs at least 6"
    ) in lines
    assert "Same attack as ucdp-500105: likely" in lines
    aybak = " ".join(run("show", "2022-12-02-aybak", store=linked).stdout.split())
    assert "Same attack as acled-afg50108: likely, score 0.79; 2 days apart" in aybak
    rejected = run("match", "--reject", "2022-12-02-aybak", "acled-afg50108", store=linked)
    assert rejected.exit_code == 0
    aybak = " ".join(run("show", "2022-12-02-aybak", store=linked).stdout.split())
    assert "Not the same acled-afg50108: rejected, score 0.79; 2 days apart" in aybak
    assert run("--no-index", "show", "acled-afg50105", store=linked).stdout == shown.stdout


def test_the_summary_says_which_data_sets_report_which_attacks(
    run: Run, linked: Path, tmp_path: Path
) -> None:
    with_a_second_record(run, linked, tmp_path)
    assert run("match", store=linked).exit_code == 0
    table = run("match", "--summary", store=linked)
    assert table.exit_code == 0
    assert table.stdout.splitlines() == [
        "hand-kept   ACLED   UCDP GED   Attacks",
        "──────────────────────────────────────",
        "    ●         ●        ●             5",
        "    ●         ●                      2",
        "    ●                  ●             1",
        "              ●                      2",
        "",
        "  Total                             10",
        "hand-kept reports 8 attacks, 8 of them also in another data set",
        "ACLED reports 9 attacks, 7 of them also in another data set",
        "UCDP GED reports 6 attacks, 6 of them also in another data set",
    ]
    assert table.stderr == (
        "4 possible links not counted: review them with `incidents match --review`.\n"
    )
    data = json.loads(run("match", "--summary", "--format", "json", store=linked).stdout)
    assert data["combinations"][0] == {"reported_by": ["hand-kept", "acled", "ucdp"], "attacks": 5}
    assert data["attacks"] == 10
    assert data["by_dataset"]["acled"] == {"attacks": 9, "also_elsewhere": 7}
    rows = run("match", "--summary", "--format", "csv", store=linked).stdout.splitlines()
    assert rows[:2] == ["hand-kept,acled,ucdp,attacks", "1,1,1,5"]


def test_a_sqlite_store_keeps_its_links_too(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "afg.sqlite"
    import_into(run, path, "acled", ACLED_SEED_CSV)
    import_into(run, path, "ucdp", UCDP_SEED_CSV)
    result = run("match", store=path)
    assert result.exit_code == 0, result.output
    assert "6 likely links" in result.stderr
    assert "none added or changed" in run("match", store=path).stderr
    total = run("total", "--distinct", store=path)
    assert total.stdout.splitlines()[0] == "Incidents  8"
    assert "14 records are 8 attacks (12 of them linked as 6)" in total.stderr
    assert run("--no-index", "total", "--distinct", store=path).stdout == total.stdout
    import_into(run, path, "acled", ACLED_SEED_CSV)  # an import leaves the links alone
    assert "none added or changed" in run("match", store=path).stderr


def test_links_written_while_the_store_changed_are_refused(linked: Path) -> None:
    token = persistence.store_token(linked)
    linked.write_text(linked.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(persistence.StoreChanged, match="the store changed while matching"):
        persistence.save_pairs(linked, [], token)


def test_links_are_written_in_the_stores_own_layout() -> None:
    pairs = [
        Pair.of("gtd:1", "acled:É", LinkStatus.LIKELY, 0.912, 'same day; "quoted"'),
        Pair.of("b", "a", LinkStatus.REJECTED),
    ]
    links = [
        Link(records=[p.first, p.second], status=p.status, score=p.score, evidence=p.evidence)
        for p in pairs
    ]
    assert [persistence.link_text(p) for p in pairs] == list(link_texts(links))


def test_a_store_in_another_layout_is_written_whole(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "compact.json"
    path.write_text(json.dumps(json.loads(SEED_STORE.read_text("utf-8"))), encoding="utf-8")
    import_into(run, path, "acled", ACLED_SEED_CSV)  # the import writes our layout...
    path.write_text(json.dumps(json.loads(path.read_text("utf-8"))), encoding="utf-8")  # ...undone
    assert run("match", store=path).exit_code == 0
    store = load_store(path)
    assert len(store.links) == 8
    assert path.read_text("utf-8").startswith('{\n  "$schema": "incidents.schema.json",\n')


def test_writing_links_keeps_the_query_index_fresh(
    run: Run, linked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.index import build

    assert run("total", store=linked).exit_code == 0  # the index, built once
    assert run("match", store=linked).exit_code == 0

    def rebuild(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was rebuilt: writing the links left it stale")

    monkeypatch.setattr(build, "build_index", rebuild)
    shown = run("show", "acled-afg50105", store=linked)
    assert "Same attack as  2022-09-05-kabul: likely" in shown.stdout
    decided = run("match", "--reject", "2022-12-02-aybak", "acled-afg50108", store=linked)
    assert decided.exit_code == 0
    assert "Not the same" in run("show", "2022-12-02-aybak", store=linked).stdout
    monkeypatch.undo()
    assert run("--no-index", "show", "2022-12-02-aybak", store=linked).stdout == (
        run("show", "2022-12-02-aybak", store=linked).stdout
    )


def test_a_run_that_finds_nothing_new_leaves_the_store_alone(run: Run, linked: Path) -> None:
    assert run("match", store=linked).exit_code == 0
    before = linked.stat().st_mtime_ns, linked.read_bytes()
    again = run("match", store=linked)
    assert again.exit_code == 0
    assert "Counted once (--distinct), the 22 records are 8 attacks." in again.stderr
    assert (linked.stat().st_mtime_ns, linked.read_bytes()) == before
