"""The rules of matching, record against record: windows from each record's
own precision, one taxonomy for every data set, scores with their evidence,
and groups that hold one record of each data set."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.categories import LinkStatus
from incidents.matching.engine import run
from incidents.matching.groups import Pair, groups, settle
from incidents.matching.records import MatchRecord, match_record
from incidents.matching.scoring import compare, explain
from incidents.matching.taxonomy import family
from incidents.matching.windows import km_between
from tests.matching import record, record_data

# --- when -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("other_date", "other_end", "can_match"),
    [
        ("2022-01-15", None, True),
        ("2022-01-17", None, True),  # two days apart: a report counting days wrongly
        ("2022-01-18", None, False),
        ("2022-01", None, True),  # a month-only date is its whole month...
        ("2021-12", None, False),  # ...and not the month before it
        ("2022-01-09", "2022-01-13", True),  # a week (ACLED) ending two days before
        ("2022-01-05", "2022-01-11", False),
    ],
)
def test_dates_match_within_their_own_precision(
    other_date: str, other_end: str | None, can_match: bool
) -> None:
    gtd = record("gtd", date="2022-01-15")
    acled = record("acled", date=other_date, end_date=other_end)
    assert (compare(gtd, acled) is not None) is can_match


def test_a_closer_date_scores_more() -> None:
    gtd = record("gtd", date="2022-01-15")
    scores = [compare(gtd, record("acled", date=d)) for d in ("2022-01-15", "2022-01-16")]
    assert scores[0] is not None and scores[1] is not None
    assert scores[0] > scores[1]
    month = compare(gtd, record("acled", date="2022-01"))
    assert month is not None and month < scores[1]


# --- where ----------------------------------------------------------------------


def test_a_province_centroid_matches_its_exact_twin_far_from_the_centroid() -> None:
    exact = record("gtd", at=(34.5200, 69.1800), precision="exact")
    centroid = record("ucdp", at=(34.0, 68.5), precision="province")
    assert 75 < km_between(34.52, 69.18, 34.0, 68.5) < 120
    assert compare(exact, centroid) is not None
    assert "km apart (province centroid)" in (explain(exact, centroid) or (0, ""))[1]


def test_two_exact_records_40_km_apart_do_not_match() -> None:
    here = record("gtd", at=(34.5200, 69.1800), precision="exact")
    there = record("acled", at=(34.8800, 69.1800), precision="exact")
    assert 39 < km_between(34.52, 69.18, 34.88, 69.18) < 41
    assert compare(here, there) is None


def test_the_reach_grows_with_precision() -> None:
    here = record("gtd", at=(34.5200, 69.1800), precision="exact")
    moved = (34.7700, 69.1800)  # 28 km north
    assert compare(here, record("acled", at=moved, precision="exact")) is None
    assert compare(here, record("acled", at=moved, precision="city")) is None
    assert compare(here, record("acled", at=moved, precision="district")) is not None


def test_without_coordinates_the_same_admin_unit_decides() -> None:
    placed = record("gtd")
    same = record("acled", at=None, location={"country": "Afghanistan", "province": "Kabul"})
    other = record("acled", at=None, location={"country": "Afghanistan", "province": "Herat"})
    abroad = record("acled", at=None, location={"country": "Pakistan", "province": "Kabul"})
    assert compare(placed, same) is not None
    assert compare(placed, other) is None
    assert compare(placed, abroad) is None
    assert "no coordinates to compare in ACLED" in (explain(placed, same) or (0, ""))[1]


def test_coordinates_of_a_whole_country_place_by_names() -> None:
    centroid = record("ucdp", at=(33.9, 67.7), precision="country")
    assert centroid.lat is None
    assert compare(record("gtd"), centroid) is not None


# --- what, and who ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gtd", "other", "compatible"),
    [
        ({}, {"dataset": "acled", "event_type": "Explosions/Remote violence: Suicide bomb"}, True),
        ({}, {"dataset": "acled", "event_type": "Battles: Armed clash"}, False),
        (
            {"attack_type": "Armed Assault", "weapon_types": ["Firearms"]},
            {"dataset": "acled", "event_type": "Explosions/Remote violence: Air/drone strike"},
            False,
        ),
        (
            {"attack_type": "Armed Assault", "weapon_types": ["Firearms", "Explosives"]},
            {"dataset": "acled", "event_type": "Explosions/Remote violence: Grenade"},
            True,
        ),
        ({}, {"dataset": "ucdp", "event_type": "one-sided violence"}, True),
        (
            {"target_type": "Military"},
            {"dataset": "ucdp", "event_type": "one-sided violence"},
            False,
        ),
        (
            {"target_type": "Military", "attack_type": "Armed Assault"},
            {"dataset": "ucdp", "event_type": "state-based conflict", "target": "Taleban"},
            True,
        ),
        ({"attack_type": "Unknown"}, {"dataset": "acled", "event_type": "Battles"}, False),
        (
            {"attack_type": "Unknown", "target_type": "Police"},
            {"dataset": "acled", "event_type": "Battles"},
            True,
        ),
        ({"target_type": "Government (Diplomatic)"}, {"dataset": "ucdp"}, True),
    ],
)
def test_one_taxonomy_maps_each_data_sets_kinds(
    gtd: dict[str, Any], other: dict[str, Any], compatible: bool
) -> None:
    dataset = other.pop("dataset")
    unknown: dict[str, Any] = {"perpetrator": {"attribution": "unknown"}}
    gtd_record = record("gtd", **unknown, **gtd)
    assert (compare(gtd_record, record(dataset, **unknown, **other)) is not None) is compatible


@pytest.mark.parametrize(
    "names",
    [
        ("Khorasan Chapter of the Islamic State", "Islamic State (Afghanistan)", "IS", "ISKP"),
        ("Taliban", "Taleban", "Islamic Emirate of Afghanistan"),
        ("Tehrik-i-Taliban Pakistan (TTP)", "TTP: Tehreek-i-Taliban Pakistan", "TTP"),
        ("Al-Shabaab", "Al Shabaab", "Harakat al-Shabaab al-Mujahideen"),
        ("Boko Haram", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"),
        ("New People's Army (NPA)", "NPA: New People's Army", "CPP"),
        ("Government of Afghanistan", "Military Forces of Afghanistan (2004-2021)"),
    ],
)
def test_a_group_is_one_family_under_each_data_sets_name(names: tuple[str, ...]) -> None:
    assert len({family(name) for name in names}) == 1, {n: family(n) for n in names}


def test_different_groups_do_not_match_but_unknown_matches_any() -> None:
    assert family("Tehrik-i-Taliban Pakistan (TTP)") != family("Taliban")
    assert family("Islamic State (Afghanistan)") != family("Taliban")
    gtd = record("gtd", perpetrator={"name": "Taliban", "attribution": "claimed"})
    iskp = {"name": "Islamic State (Afghanistan)", "attribution": "attributed"}
    assert compare(gtd, record("acled", perpetrator=iskp)) is None
    assert compare(gtd, record("acled", perpetrator={"attribution": "unknown"})) is not None


def test_in_a_fight_either_side_may_be_the_group() -> None:
    gtd = record("gtd", perpetrator={"name": "Taliban", "attribution": "attributed"}, **_POLICE)
    ucdp = record(
        "ucdp",
        event_type="state-based conflict",
        perpetrator={"name": "Government of Afghanistan", "attribution": "attributed"},
        target="Taleban",
    )
    assert compare(gtd, ucdp) is not None


_POLICE = {"target_type": "Police", "attack_type": "Armed Assault"}


@pytest.mark.parametrize(
    ("killed", "other", "compatible"),
    [
        (6, {"min": 6}, True),
        (6, {"min": 5, "max": 8, "best": 6}, True),
        (6, 14, True),  # within the factor: early and final counts
        (3, 50, False),
        (3, {"min": 50}, False),
        (None, 50, True),  # unknown is compatible with any toll
    ],
)
def test_tolls_overlap_or_come_within_a_factor(
    killed: object, other: object, compatible: bool
) -> None:
    gtd, acled = record("gtd", killed=killed), record("acled", killed=other)
    assert (compare(gtd, acled) is not None) is compatible


# --- scores and evidence ---------------------------------------------------------------


def test_the_evidence_says_why_in_words() -> None:
    gtd = record(
        "gtd",
        date="2022-09-05",
        target="Russian embassy",
        target_type="Government (Diplomatic)",
        killed=6,
        perpetrator={"name": "Khorasan Chapter of the Islamic State", "attribution": "claimed"},
    )
    acled = record(
        "acled",
        date="2022-09-05",
        at=(34.5236, 69.1800),
        precision="city",
        killed={"min": 6},
        wounded=None,
        target="Civilians (Afghanistan)",
        summary="A suicide bomber struck near the gate of the Russian embassy.",
        perpetrator={"name": "Islamic State (Afghanistan)", "attribution": "attributed"},
    )
    score, evidence = explain(gtd, acled) or (0.0, "")
    assert evidence == (
        "same day; 0.4 km apart; both in Kabul; bombing vs suicide bomb; both mention embassy; "
        "both by Islamic State; killed 6 vs at least 6"
    )
    assert score > 0.95


def test_agreeing_on_a_large_toll_says_more_than_on_a_small_one() -> None:
    small = [record("gtd", killed=1), record("acled", killed={"min": 1})]
    large = [record("gtd", killed=46), record("acled", killed={"min": 46})]
    far = [record("gtd", killed=46), record("acled", killed={"min": 20})]
    scores = [compare(*pair) for pair in (small, large, far)]
    assert scores[1] > scores[0] > scores[2]  # type: ignore[operator]


# --- runs and groups ------------------------------------------------------------------


def _records(*datas: dict[str, Any]) -> list[MatchRecord]:
    return [match_record(position, data) for position, data in enumerate(datas)]


def test_records_of_one_data_set_link_only_as_literal_duplicates() -> None:
    twin = record_data("acled", "1")
    copy = {**twin, "id": "acled-3", "origin": {**twin["origin"], "id": "3"}}
    records = _records(twin, record_data("acled", "2", summary="Another blast."), copy)
    outcome = run(records, [])
    assert [(p.first, p.second, p.evidence) for p in outcome.pairs] == [
        ("acled:1", "acled:3", "literal duplicates: the same in every field but their ids")
    ]
    assert outcome.pairs[0].status is LinkStatus.LIKELY


def test_a_rival_nearly_as_good_leaves_a_link_for_review() -> None:
    gtd = record_data("gtd", "1")
    first = record_data("acled", "1")
    second = record_data("acled", "2", at=(34.5210, 69.1800), summary="Another blast.")
    alone = run(_records(gtd, first), []).pairs
    assert [p.status for p in alone] == [LinkStatus.LIKELY]
    rivals = run(_records(gtd, first, second), []).pairs
    assert {p.status for p in rivals} == {LinkStatus.POSSIBLE}


def test_a_group_holds_one_record_of_each_data_set() -> None:
    datasets = {"gtd:1": "gtd", "acled:1": "acled", "acled:2": "acled", "ucdp:1": "ucdp"}
    pairs = [
        Pair.of("gtd:1", "acled:1", LinkStatus.LIKELY, 0.95),
        Pair.of("gtd:1", "ucdp:1", LinkStatus.LIKELY, 0.9),
        Pair.of("ucdp:1", "acled:2", LinkStatus.LIKELY, 0.85),  # would bring a second ACLED
    ]
    assert groups(pairs, datasets) == [["acled:1", "gtd:1", "ucdp:1"]]
    settle(pairs, datasets)
    assert [p.status for p in pairs] == [LinkStatus.LIKELY, LinkStatus.LIKELY, LinkStatus.POSSIBLE]


def test_decisions_win_over_scores() -> None:
    datasets = {"gtd:1": "gtd", "acled:1": "acled", "acled:2": "acled", "ucdp:1": "ucdp"}
    pairs = [
        Pair.of("gtd:1", "acled:1", LinkStatus.LIKELY, 0.95),
        Pair.of("gtd:1", "acled:2", LinkStatus.CONFIRMED, 0.5),
        Pair.of("gtd:1", "ucdp:1", LinkStatus.REJECTED, 0.99),
        Pair.of("acled:2", "ucdp:1", LinkStatus.LIKELY, 0.97),  # would join gtd:1 and ucdp:1
    ]
    assert groups(pairs, datasets) == [["acled:2", "gtd:1"]]
    settle(pairs, datasets)
    statuses = [p.status for p in pairs]
    assert statuses == [
        LinkStatus.POSSIBLE,
        LinkStatus.CONFIRMED,
        LinkStatus.REJECTED,
        LinkStatus.POSSIBLE,
    ]


def test_two_processes_find_what_one_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    from incidents.matching import engine

    datas = [record_data("gtd", str(n), at=(34.5 + n / 50, 69.18)) for n in range(6)]
    datas += [record_data("acled", str(n), at=(34.5 + n / 50, 69.19)) for n in range(6)]
    datas += [record_data("ucdp", str(n), at=(34.5 + n / 50, 69.2)) for n in range(6)]
    alone = run(_records(*datas), [])
    monkeypatch.setattr(engine, "SHARE_FROM", 1)
    shared = run(_records(*datas), [])
    assert alone.compared == shared.compared > 0
    assert [(p.keys, p.status, p.score, p.evidence) for p in shared.pairs] == [
        (p.keys, p.status, p.score, p.evidence) for p in alone.pairs
    ]
