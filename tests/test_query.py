"""Filters (as an import tests incidents one by one), sorting and totals
(as the index answers them), without the command line."""

from __future__ import annotations

import pytest

from incidents.dates import PartialDate
from incidents.errors import QueryError
from incidents.model import AttackType, Count, TargetType, WeaponType
from incidents.query import (
    Filters,
    GroupBy,
    SortKey,
    find_incident,
    select,
)

from .conftest import index_of, make_incident, total


def ids(matches):
    return sorted(m.incident.id for m in matches)


def day(text):
    return PartialDate.parse(text)


def test_no_filter_keeps_everything_certain(seed):
    matches = select(seed, Filters())
    assert len(matches) == 8
    assert not any(m.date_uncertain for m in matches)


def test_target_type_embassy_finds_the_two_embassy_attacks(seed):
    found = select(seed, Filters(target_types=frozenset({TargetType.DIPLOMATIC})))
    assert ids(found) == ["2022-09-05-kabul", "2022-12-02-kabul"]


def test_attack_type_and_weapon(seed):
    assault = select(seed, Filters(attack_types=frozenset({AttackType.ARMED_ASSAULT})))
    assert ids(assault) == ["2022-12-02-kabul"]
    explosives = select(seed, Filters(weapon_types=frozenset({WeaponType.EXPLOSIVES})))
    assert len(explosives) == 5


def test_repeated_values_mean_any_of_them(seed):
    either = Filters(target_types=frozenset({TargetType.DIPLOMATIC, TargetType.EDUCATIONAL}))
    assert len(select(seed, either)) == 3


def test_different_filters_must_all_hold(seed):
    both = Filters(target_types=frozenset({TargetType.DIPLOMATIC}), locations=("Kabul",))
    assert ids(select(seed, both)) == ["2022-09-05-kabul", "2022-12-02-kabul"]
    none = Filters(target_types=frozenset({TargetType.DIPLOMATIC}), locations=("Herat",))
    assert select(seed, none) == []


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Mazar-e Sharif", ["2022-04-mazar-i-sharif"]),
        ("mazar-i-sharif", ["2022-04-mazar-i-sharif"]),
        ("MAZAR E SHARIF", ["2022-04-mazar-i-sharif"]),
        ("Balkh", ["2022-04-mazar-i-sharif"]),
        ("kunduz", ["2021-10-kunduz", "2022-06-imam-sahib"]),
        ("Emam Saheb", ["2022-06-imam-sahib"]),
        ("Aibak", ["2022-12-02-aybak"]),
        ("aipac", ["2022-12-02-aybak"]),
        ("Hérat", ["2022-09-herat"]),
        ("Pakistani embassy", ["2022-12-02-kabul"]),
        ("Kandahar", []),
    ],
)
def test_location_matches_any_level_and_spelling(seed, place, expected):
    assert ids(select(seed, Filters(locations=(place,)))) == expected


def test_afghanistan_is_every_incident(seed):
    assert len(select(seed, Filters(locations=("afghanistan",)))) == 8


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("ISIS-K", 7),
        ("iskp", 7),
        ("Islamic State", 7),
        ("khorasan", 7),
        ("unknown", 1),
        ("Taliban", 0),
    ],
)
def test_perpetrator_matches_names_and_aliases(seed, name, count):
    assert len(select(seed, Filters(perpetrators=(name,)))) == count


def test_text_words_all_in_summary_or_target(seed):
    assert ids(select(seed, Filters(texts=("cleric",)))) == ["2022-09-herat"]
    assert ids(select(seed, Filters(texts=("friday prayers",)))) == ["2022-06-imam-sahib"]
    assert select(seed, Filters(texts=("cleric kabul",))) == []


def test_min_killed_counts_only_what_is_surely_at_least(seed):
    found = select(seed, Filters(min_killed=16))
    assert ids(found) == ["2021-10-kunduz", "2022-09-herat", "2022-12-02-aybak"]
    # The Pakistani embassy toll is unknown: it is not "at least 0".
    assert "2022-12-02-kabul" not in ids(select(seed, Filters(min_killed=0)))


class TestPartialDatesAsIntervals:
    def test_a_month_matches_its_month_and_a_range_that_covers_it(self, seed):
        on_september = select(seed, Filters(on=(day("2022-09"),)))
        assert ids(on_september) == ["2022-09-05-kabul", "2022-09-herat"]
        assert not any(m.date_uncertain for m in on_september)
        since = select(seed, Filters(since=day("2022-09-01")))
        assert "2022-09-herat" in ids(since)
        assert not any(m.date_uncertain for m in since)

    def test_a_month_that_only_may_fall_in_range_is_kept_and_marked(self, seed):
        since_tenth = select(seed, Filters(since=day("2022-09-10")))
        marked = {m.incident.id: m.date_uncertain for m in since_tenth}
        assert marked == {
            "2022-09-herat": True,
            "2022-12-02-kabul": False,
            "2022-12-02-aybak": False,
        }

    def test_strict_dates_drops_the_uncertain(self, seed):
        strict = select(seed, Filters(since=day("2022-09-10"), strict_dates=True))
        assert ids(strict) == ["2022-12-02-aybak", "2022-12-02-kabul"]

    def test_until_a_month_includes_the_whole_month(self, seed):
        found = select(seed, Filters(since=day("2022-09-01"), until=day("2022-12")))
        assert ids(found) == [
            "2022-09-05-kabul",
            "2022-09-herat",
            "2022-12-02-aybak",
            "2022-12-02-kabul",
        ]

    def test_an_on_day_inside_a_month_is_uncertain(self, seed):
        found = select(seed, Filters(on=(day("2022-04-21"),)))
        assert [(m.incident.id, m.date_uncertain) for m in found] == [
            ("2022-04-mazar-i-sharif", True)
        ]

    def test_a_year_only_incident_and_a_window_across_years(self):
        year_only = make_incident(id="y", date="2021")
        assert select([year_only], Filters(until=day("2020-12-31"))) == []
        found = select([year_only], Filters(since=day("2021-06")))
        assert [m.date_uncertain for m in found] == [True]

    def test_an_end_date_widens_the_interval(self):
        lasting = make_incident(id="l", date="2022-01-30", end_date="2022-02-02")
        assert [m.date_uncertain for m in select([lasting], Filters(on=(day("2022-02"),)))] == [
            True
        ]


def test_sort_by_killed_puts_unknown_last(seed):
    order = [row.id for row in index_of(seed).list_rows(Filters(), SortKey.KILLED, None)]
    assert order[0] == "2021-10-kunduz"
    assert order[-1] == "2022-12-02-kabul"


def test_sort_by_date_is_chronological_by_first_possible_day(seed):
    order = [row.id for row in index_of(seed).list_rows(Filters(), SortKey.DATE, None)]
    assert order[0] == "2021-10-kunduz"
    assert order[-2:] == ["2022-12-02-aybak", "2022-12-02-kabul"]


def test_find_incident_suggests_close_ids(seed):
    assert find_incident(seed, "2022-09-herat").id == "2022-09-herat"
    with pytest.raises(QueryError, match="2022-09-herat"):
        find_incident(seed, "2022-09-herta")


class TestTotals:
    def test_exact_only_when_every_count_is_exact(self):
        exact = total([make_incident(id="a", killed=2), make_incident(id="b", killed=3)])
        assert exact.overall.killed.exact
        assert exact.overall.killed.low == 5

    def test_bounds_ranges_and_unknown(self):
        incidents = [
            make_incident(id="a", killed=2, wounded={"min": 1}),
            make_incident(id="b", killed={"min": 3, "max": 5}, wounded=None),
        ]
        overall = total(incidents).overall
        assert (overall.killed.low, overall.killed.high, overall.killed.unknown) == (5, 7, 0)
        assert (overall.wounded.low, overall.wounded.high, overall.wounded.unknown) == (1, None, 1)
        assert not overall.killed.exact

    def test_by_target_type(self, seed):
        groups = {g.key: g for g in total(seed, GroupBy.TARGET_TYPE).groups}
        assert set(groups) == {
            "Religious Figures/Institutions",
            "Government (Diplomatic)",
            "Educational Institution",
        }
        religious = groups["Religious Figures/Institutions"]
        assert (religious.incidents, religious.killed.low, religious.killed.exact) == (5, 90, True)
        assert (religious.wounded.low, religious.wounded.unknown) == (200, 1)

    def test_by_month_keeps_year_only_incidents_apart(self):
        incidents = [
            make_incident(id="a", date="2022-01-05"),
            make_incident(id="b", date="2022"),
            make_incident(id="c", date="2022-01"),
        ]
        groups = total(incidents, GroupBy.MONTH).groups
        assert [(g.key, g.incidents) for g in groups] == [("2022", 1), ("2022-01", 2)]

    def test_by_city_joins_spellings(self):
        incidents = [
            make_incident(id="a", location={"country": "Afghanistan", "city": "Mazar-i-Sharif"}),
            make_incident(id="b", location={"country": "Afghanistan", "city": "Mazar-e Sharif"}),
        ]
        groups = total(incidents, GroupBy.CITY).groups
        assert [(g.key, g.incidents) for g in groups] == [("Mazar-i-Sharif", 2)]

    def test_every_grouping_accounts_for_every_incident(self, seed):
        for by in GroupBy:
            totals = total(seed, by)
            assert sum(g.incidents for g in totals.groups) == 8, by


def test_count_model_rejects_inverted_range():
    with pytest.raises(ValueError):
        Count(min=5, max=3)
