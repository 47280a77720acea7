"""incidents add, edit, remove: what the user sees, and what lands in the file."""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from incidents.store import load_store

Run = Callable[..., Result]

KABUL_MOSQUE = (
    "add",
    "--date",
    "10 Dec 2022",
    "--country",
    "Afghanistan",
    "--province",
    "Kabul",
    "--city",
    "Kabul",
    "--attack-type",
    "bombing",
    "--target-type",
    "mosque",
    "--target",
    "Shiite mosque",
    "--killed",
    "at least 3",
    "--wounded",
    "3-5",
    "--summary",
    "A bomb went off in a mosque during Friday prayers.",
    "--source",
    "Test Wire | 11 Dec 2022 | https://wire.example/1",
)


@pytest.fixture
def store(seed_copy: Path) -> Path:
    return seed_copy


def added_lines(before: str, after: str) -> list[str]:
    """The lines a diff adds; fails if it removes any."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")]
    return [line[2:] for line in diff if line.startswith("+ ")]


def test_add_appends_one_incident_and_the_diff_shows_only_it(run: Run, store: Path) -> None:
    before = store.read_text(encoding="utf-8")
    result = run(*KABUL_MOSQUE, store=store)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2022-12-10-kabul\n"
    assert result.stderr == f"Added 2022-12-10-kabul to {store}.\n"
    after = store.read_text(encoding="utf-8")
    added = added_lines(before, after)
    # The previous last incident gains a comma; the rest is the new incident.
    assert added[0] == "    },"
    assert added[1:4] == ["    {", '      "id": "2022-12-10-kabul",', '      "date": "2022-12-10",']
    assert '      "killed": {' in added and '        "min": 3' in added
    assert after.endswith("  ]\n}\n")
    new = load_store(store).incidents[-1]
    assert new.perpetrator.attribution == "unknown"
    assert new.sources[0].url == "https://wire.example/1"
    assert run("validate", store=store).exit_code == 0


def test_add_keeps_unicode_unescaped(run: Run, store: Path) -> None:
    result = run(*KABUL_MOSQUE, "--site", "مسجد", "--force", store=store)
    assert result.exit_code == 0, result.output
    assert '"site": "مسجد"' in store.read_text(encoding="utf-8")


def test_add_refuses_a_likely_twin_unless_forced(run: Run, store: Path) -> None:
    assert run(*KABUL_MOSQUE, store=store).exit_code == 0
    before = store.read_bytes()
    again = run(*KABUL_MOSQUE, store=store)
    assert again.exit_code == 1
    assert "this looks like '2022-12-10-kabul', already in the store" in again.stderr
    assert "--force" in again.stderr
    assert store.read_bytes() == before
    forced = run(*KABUL_MOSQUE, "--force", store=store)
    assert forced.exit_code == 0
    assert forced.stdout == "2022-12-10-kabul-2\n"


def test_dry_run_shows_the_change_and_writes_nothing(run: Run, store: Path) -> None:
    before = store.read_bytes()
    result = run(*KABUL_MOSQUE, "--dry-run", store=store)
    assert result.exit_code == 0
    assert '+      "id": "2022-12-10-kabul",' in result.stdout
    assert result.stderr == "Dry run: nothing was written.\n"
    assert store.read_bytes() == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["incidents.json"]


def test_add_without_required_fields_off_a_terminal_is_a_usage_error(run: Run, store: Path) -> None:
    result = run("add", "--date", "2022", store=store)
    assert result.exit_code == 2
    assert (
        "missing --country, --attack-type, --target-type, --target, --summary "
        "(on a terminal, `incidents add` asks for them)" in result.stderr
    )


def test_add_with_a_bad_value_names_the_option(run: Run, store: Path) -> None:
    result = run(*KABUL_MOSQUE, "--killed", "sixteen", store=store)
    assert result.exit_code == 2
    assert "Invalid value for --killed: expected a number (16), 'at least 3'" in result.stderr


def test_add_whose_incident_is_invalid_writes_nothing(run: Run, store: Path) -> None:
    before = store.read_bytes()
    result = run(*KABUL_MOSQUE, "--id", "Not An Id", store=store)
    assert result.exit_code == 1
    assert f"{store}: incidents[8] (id 'Not An Id'), id: string should match" in result.stderr
    assert "Nothing was written: the store is unchanged." in result.stderr
    assert store.read_bytes() == before


def test_add_reports_warnings_and_saves(run: Run, store: Path) -> None:
    args = [a for a in KABUL_MOSQUE if not a.startswith("Test Wire")]
    args.remove("--source")
    result = run(*args, "--coordinates", "69.2, 34.5", store=store)
    assert result.exit_code == 0
    assert "location.coordinates: warning: 69.2, 34.5 lies far outside Afghanistan" in result.stderr
    assert "sources: warning: no source is cited" in result.stderr
    assert load_store(store).incidents[-1].location.coordinates is not None


def test_edit_sets_typed_values(run: Run, store: Path) -> None:
    result = run(
        "edit",
        "2022-12-02-kabul",
        "--set",
        "killed=1",
        "--set",
        "wounded=at least 2",
        "--set",
        "claim.channel=Telegram",
        "--add-source",
        "Reuters | 2022-12-03",
        store=store,
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Changed 2022-12-02-kabul in {store}.\n"
    incident = next(i for i in load_store(store).incidents if i.id == "2022-12-02-kabul")
    assert incident.killed == 1
    assert incident.wounded is not None and not isinstance(incident.wounded, int)
    assert incident.wounded.min == 2
    assert incident.claim is not None and incident.claim.channel == "Telegram"
    assert incident.sources[-1].publisher == "Reuters"


def test_edit_dry_run_prints_a_diff(run: Run, store: Path) -> None:
    before = store.read_bytes()
    result = run("edit", "2022-05-kabul", "--set", "date=May 10 2022", "--dry-run", store=store)
    assert result.exit_code == 0
    assert '-      "date": "2022-05",\n+      "date": "2022-05-10",\n' in result.stdout
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--set", "kiled=3"], 2, "'kiled' is not a field. Did you mean 'killed'?"),
        (["--set", "killed"], 2, "expected FIELD=VALUE"),
        (["--set", "killed=lots"], 2, "Invalid value for --set killed: expected a number"),
        (["--set", "date=2022-02-30"], 2, "day 30 does not exist in 2022-02"),
        (["--set", "date=2031"], 1, "date: 2031 is in the future"),
        (["--set", "end_date=2020"], 1, "end_date 2020 is before date 2022-12-02"),
        (["--set", "id=2022-09-herat"], 1, "duplicate id"),
        ([], 2, "nothing to change"),
    ],
)
def test_edit_refuses_bad_changes(
    run: Run, store: Path, args: list[str], code: int, message: str
) -> None:
    before = store.read_bytes()
    result = run("edit", "2022-12-02-kabul", *args, store=store)
    assert result.exit_code == code
    assert message in result.stderr
    assert store.read_bytes() == before


def test_edit_of_an_unknown_id_suggests_close_ones(run: Run, store: Path) -> None:
    result = run("edit", "2022-12-02-kabol", "--set", "killed=1", store=store)
    assert result.exit_code == 1
    assert "no incident has the id '2022-12-02-kabol'. Did you mean: 2022-12-02-kabul" in (
        result.stderr
    )


def test_remove(run: Run, store: Path) -> None:
    result = run("remove", "2022-06-imam-sahib", "--yes", store=store)
    assert result.exit_code == 0
    assert result.stderr == f"Removed 2022-06-imam-sahib from {store}.\n"
    assert [i.id for i in load_store(store).incidents if "imam" in i.id] == []
    assert len(load_store(store).incidents) == 7


def test_remove_dry_run(run: Run, store: Path) -> None:
    before = store.read_bytes()
    result = run("remove", "2022-06-imam-sahib", "--dry-run", store=store)
    assert result.exit_code == 0
    assert '-      "id": "2022-06-imam-sahib",' in result.stdout
    assert store.read_bytes() == before


def test_remove_asks_on_a_terminal(run: Run, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    before = store.read_bytes()
    declined = run("remove", "2022-06-imam-sahib", store=store, input="n\n")
    assert declined.exit_code == 0  # declining is no error
    assert "Remove 2022-06-imam-sahib (2022-06, Imam Sahib, Kunduz:" in declined.stderr
    assert "Nothing changed." in declined.stderr
    assert store.read_bytes() == before
    assert run("remove", "2022-06-imam-sahib", store=store, input="y\n").exit_code == 0
    assert store.read_bytes() != before


def test_add_asks_for_missing_fields_on_a_terminal(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    answers = [
        "Oct 2021",  # date
        "Afghanistan",  # country
        "Kunduz",  # province
        "",  # city
        "picnic",  # attack type: not a category, asked again
        "bombing",
        "husseiniya",  # target type, a word for one
        "",  # target: needed, asked again
        "Shiite mosque",
        "explosives",  # weapons
        "ISKP",  # perpetrator
        "sixteen",  # killed: asked again
        "at least 3",
        "unknown",  # wounded
        "Suicide bombing at Friday prayers.",  # summary
        "Test Wire | 2021-10-09",  # source
        "y",  # save it
    ]
    result = run("add", "--force", store=store, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'picnic' is not a known category" in result.stderr
    assert "This one is needed." in result.stderr
    assert "expected a number (16)" in result.stderr
    assert "Religious Figures/Institutions" in result.stderr  # the vocabulary offered
    assert "Save it to" in result.stderr
    assert result.stdout == "2021-10-kunduz-2\n"
    new = load_store(store).incidents[-1]
    assert str(new.date) == "2021-10"
    assert new.perpetrator.name == "ISKP" and new.perpetrator.attribution == "suspected"
    assert new.wounded is None


def test_add_on_a_terminal_saves_nothing_when_declined(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    before = store.read_bytes()
    result = run(*KABUL_MOSQUE, store=store, input="n\n")
    assert result.exit_code == 0  # declining is no error
    assert "Shiite mosque" in result.stderr  # the incident shown before saving
    assert "Nothing changed." in result.stderr
    assert store.read_bytes() == before


def test_a_read_only_store_is_refused_before_any_prompt(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    store.chmod(0o444)
    result = run("add", store=store, input="")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {store}: the store is read-only\n"
    store.chmod(0o644)


def test_a_store_in_a_read_only_directory_is_refused(run: Run, store: Path) -> None:
    store.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run("remove", "2022-06-imam-sahib", store=store)
    finally:
        store.parent.chmod(0o755)
    assert result.exit_code == 1
    assert "is not writable" in result.stderr


def test_the_bundled_store_is_not_edited_in_place(run: Run) -> None:
    from incidents.store import bundled_store

    result = run("remove", "2022-06-imam-sahib", store=bundled_store())
    assert result.exit_code == 1
    assert "the copy bundled with the tool" in result.stderr


def test_file_mode_is_kept(run: Run, store: Path) -> None:
    store.chmod(0o640)
    assert run(*KABUL_MOSQUE, store=store).exit_code == 0
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o640


def test_an_added_formula_is_neutralised_in_csv(run: Run, store: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    assert run(*KABUL_MOSQUE, "--summary", formula, store=store).exit_code == 0
    exported = run("export", "--format", "csv", "--on", "2022-12-10", store=store)
    assert exported.exit_code == 0
    import csv
    import io

    (row,) = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert row["summary"] == "'" + formula


def test_the_store_keeps_its_schema_key(run: Run, store: Path) -> None:
    assert run(*KABUL_MOSQUE, store=store).exit_code == 0
    assert json.loads(store.read_text(encoding="utf-8"))["$schema"] == "incidents.schema.json"


def test_edit_help_lists_every_field(run: Run) -> None:
    from incidents.editing import CLEARABLE, FIELDS

    text = " ".join(run("edit", "--help", store=None).stdout.split())
    assert [f for f in [*FIELDS, *CLEARABLE] if f not in text] == []


@pytest.mark.parametrize("command", ["validate", "schema", "add", "edit", "remove"])
def test_help_has_an_example(run: Run, command: str) -> None:
    result = run(command, "-h", store=None)
    assert result.exit_code == 0
    assert f"incidents {command}" in result.stdout.split("Example")[1]


def test_a_store_reached_through_a_symlink_stays_a_symlink(run: Run, store: Path) -> None:
    link = store.parent / "linked.json"
    link.symlink_to(store)
    assert run(*KABUL_MOSQUE, store=link).exit_code == 0
    assert link.is_symlink()
    assert load_store(store).incidents[-1].id == "2022-12-10-kabul"


# --- dates and counts as people type them -------------------------------------------


def with_values(args: tuple[str, ...], **values: str) -> list[str]:
    """KABUL_MOSQUE with the value after each --OPTION given replaced (option_name=value)."""
    changed = list(args)
    for name, value in values.items():
        option = "--" + name.replace("_", "-")
        if option in changed:
            changed[changed.index(option) + 1] = value
        else:
            changed += [option, value]
    return changed


def test_add_reads_every_date_that_starts_with_its_year_as_year_month_day(
    run: Run, store: Path
) -> None:
    args = with_values(
        KABUL_MOSQUE,
        date="2022/12/10",
        end_date="2022.12.11",
        claim_by="ISKP",
        claim_date="20221212",
        source="Test Wire | 2022/12/11 | https://wire.example/1",
    )
    result = run(*args, store=store)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2022-12-10-kabul\n"
    new = json.loads(store.read_text(encoding="utf-8"))["incidents"][-1]
    assert (new["date"], new["end_date"], new["claim"]["date"]) == (
        "2022-12-10",
        "2022-12-11",
        "2022-12-12",
    )
    assert new["sources"][0]["date"] == "2022-12-11"


def test_edit_reads_every_date_that_starts_with_its_year_as_year_month_day(
    run: Run, store: Path
) -> None:
    result = run(
        "edit",
        "2022-12-02-kabul",
        "--set",
        "date=2022-12-2T09:30",
        "--set",
        "end_date=2022/12/03",
        "--set",
        "claim.date=2022.12.04",
        "--add-source",
        "Reuters | 2022/12/05",
        store=store,
    )
    assert result.exit_code == 0, result.output
    edited = next(
        i
        for i in json.loads(store.read_text(encoding="utf-8"))["incidents"]
        if i["id"] == "2022-12-02-kabul"
    )
    assert (edited["date"], edited["end_date"], edited["claim"]["date"]) == (
        "2022-12-02",
        "2022-12-03",
        "2022-12-04",
    )
    assert edited["sources"][-1] == {"publisher": "Reuters", "date": "2022-12-05"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "--date", "9/5/2022"],
            "Invalid value for --date: 9/5/2022: 9 May or 5 September 2022? write 2022-05-09"
            " or 2022-09-05",
        ),
        (["add", "--end-date", "31/31/2022"], "Invalid value for --end-date: 31/31/2022: neither"),
        (["add", "--claim-date", "9/5/22"], "Invalid value for --claim-date: 9/5/22: write the"),
        (
            ["add", "--source", "Wire | 10/12/2022"],
            "Invalid value for --source: the source 'Wire | 10/12/2022': 10/12/2022: 10 December"
            " or 12 October 2022?",
        ),
        (["edit", "2022-09-herat", "--set", "claim.date=1/2/2022"], "--set claim.date: 1/2/2022:"),
        (["edit", "2022-09-herat", "--add-source", "R | 3.4.2022"], "--add-source: the source"),
        (["add", "--killed", "about 20"], "'at least 20', a range such as '15-25'"),
        (["add", "--wounded", "dozens"], "Invalid value for --wounded: 'dozens' is vague"),
        (
            ["add", "--killed", "10000000000000000000"],
            "Invalid value for --killed: 10000000000000000000 is more people than live on Earth",
        ),
        (
            ["edit", "2022-09-herat", "--set", "wounded=at least 9223372036854775808"],
            "Invalid value for --set wounded: 9223372036854775808 is more people",
        ),
    ],
)
def test_dates_and_counts_that_cannot_be_meant_are_refused(
    run: Run, store: Path, args: list[str], message: str
) -> None:
    before = store.read_bytes()
    if args[0] == "add":
        args = with_values(KABUL_MOSQUE, **{args[1].lstrip("-").replace("-", "_"): args[2]})
    result = run(*args, store=store)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert store.read_bytes() == before


def test_the_day_month_order_given_is_how_add_and_edit_read_dates(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = with_values(KABUL_MOSQUE, date="10/12/2022", source="Test Wire | 11/12/2022")
    result = run("--date-order", "dmy", *args, store=store)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2022-12-10-kabul\n"
    monkeypatch.setenv("INCIDENTS_DATE_ORDER", "mdy")
    edited = run(
        "edit",
        "2022-12-10-kabul",
        "--set",
        "claim.by=ISKP",
        "--set",
        "claim.date=12/11/2022",
        store=store,
    )
    assert edited.exit_code == 0, edited.output
    new = load_store(store).incidents[-1]
    assert str(new.sources[0].date) == "2022-12-11"
    assert new.claim is not None and str(new.claim.date) == "2022-12-11"


def test_none_killed_is_zero_and_unknown_is_unknown(run: Run, store: Path) -> None:
    result = run(*with_values(KABUL_MOSQUE, killed="none", wounded="no one"), store=store)
    assert result.exit_code == 0, result.output
    new = json.loads(store.read_text(encoding="utf-8"))["incidents"][-1]
    assert (new["killed"], new["wounded"]) == (0, 0)
    edited = run("edit", new["id"], "--set", "killed=?", "--set", "wounded=nobody", store=store)
    assert edited.exit_code == 0, edited.output
    new = json.loads(store.read_text(encoding="utf-8"))["incidents"][-1]
    assert (new["killed"], new["wounded"]) == (None, 0)


def test_an_incident_from_before_1970_can_be_added(run: Run, store: Path) -> None:
    args = with_values(KABUL_MOSQUE, date="5 September 1968", source="Test Wire | Sept 1968")
    result = run(*args, store=store)
    assert result.exit_code == 0, result.output
    assert result.stdout == "1968-09-05-kabul\n"
    assert run("validate", store=store).exit_code == 0


def test_add_prompts_ask_again_for_a_date_or_count_that_cannot_be_meant(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("incidents.cli.changing.on_terminal", lambda: True)
    answers = [
        "9/5/2022",  # date: day or month first? asked again
        "[/] 2022",  # not a date, and no markup either
        "2022/09/05",
        "Afghanistan",
        "Kabul",
        "Kabul",
        "bombing",
        "police",
        "Checkpoint",
        "",
        "",
        "about 20",  # killed: vague, asked again
        "none",
        "?",  # wounded
        "A bomb at a checkpoint.",
        "Test Wire | 2022/09/06",
        "y",
    ]
    result = run("add", store=store, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "9/5/2022: 9 May or 5 September 2022? write 2022-05-09 or 2022-09-05" in said
    assert "cannot read '[/] 2022' as a date" in said
    assert "Killed (16; none or 0; 'at least 3'; '3-5'; unknown, ? or empty)" in said
    assert "'about 20' is vague" in said
    new = json.loads(store.read_text(encoding="utf-8"))["incidents"][-1]
    assert (new["date"], new["killed"], new["wounded"]) == ("2022-09-05", 0, None)
    assert new["sources"] == [{"publisher": "Test Wire", "date": "2022-09-06"}]
