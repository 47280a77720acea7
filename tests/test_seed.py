"""The bundled store records what the article says, and no more."""

from __future__ import annotations

from pathlib import Path

from incidents.model import Attribution, Count, TargetType
from incidents.query import Filters, select
from incidents.store import dump_store, load_store

from .conftest import SEED_STORE, total


def by_id(seed):
    return {incident.id: incident for incident in seed}


def test_eight_distinct_attacks_each_citing_the_article(seed):
    assert len(seed) == 8
    assert len({i.id for i in seed}) == 8
    for incident in seed:
        assert [(s.publisher, str(s.date)) for s in incident.sources] == [
            ("Sky News Arabia", "2022-12-05")
        ]


def test_the_russian_embassy_bombing_is_one_incident(seed):
    russian = [i for i in seed if "Russian embassy" in i.target]
    assert len(russian) == 1
    assert str(russian[0].date) == "2022-09-05"


def test_month_dates_stay_months(seed):
    dates = {i.id: str(i.date) for i in seed}
    assert dates["2021-10-kunduz"] == "2021-10"
    assert dates["2022-04-mazar-i-sharif"] == "2022-04"
    assert dates["2022-05-kabul"] == "2022-05"
    assert dates["2022-06-imam-sahib"] == "2022-06"
    assert dates["2022-09-herat"] == "2022-09"


def test_pakistani_embassy_attack_and_its_later_claim(seed):
    embassy = by_id(seed)["2022-12-02-kabul"]
    assert str(embassy.date) == "2022-12-02"
    assert embassy.claim is not None
    assert str(embassy.claim.date) == "2022-12-04"
    assert embassy.claim.channel == "Telegram"
    assert embassy.target_type is TargetType.DIPLOMATIC
    assert embassy.killed is None
    assert embassy.wounded == Count(min=1)
    assert embassy.property_damage is not None and embassy.property_damage.occurred


def test_the_school_attacker_is_unknown_and_aipac_is_aybak(seed):
    school = by_id(seed)["2022-12-02-aybak"]
    assert school.perpetrator.attribution is Attribution.UNKNOWN
    assert school.perpetrator.name is None
    assert school.location.city == "Aybak"
    assert school.location.province == "Samangan"
    assert "AIPAC" in school.location.aliases
    assert school.target_type is TargetType.EDUCATIONAL


def test_places_and_categories(seed):
    incidents = by_id(seed)
    assert incidents["2022-06-imam-sahib"].location.district == "Imam Sahib"
    assert incidents["2022-06-imam-sahib"].location.province == "Kunduz"
    assert incidents["2022-04-mazar-i-sharif"].location.province == "Balkh"
    assert incidents["2022-09-herat"].location.province == "Herat"
    hussainiyas = [i for i in seed if "hussainiya" in i.target]
    assert len(hussainiyas) == 4
    assert {i.target_type for i in hussainiyas} == {TargetType.RELIGIOUS}


def test_totals_match_the_article(seed):
    overall = total(seed).overall
    assert overall.incidents == 8
    # 112 killed in the seven incidents whose toll the article gives.
    assert (overall.killed.low, overall.killed.high, overall.killed.unknown) == (112, None, 1)
    # At least 235 wounded: one figure is a lower bound, one is not given.
    assert (overall.wounded.low, overall.wounded.high, overall.wounded.unknown) == (235, None, 1)
    assert [i.id for i in seed if i.wounded is None] == ["2022-05-kabul"]


def test_the_seed_file_is_in_the_stores_own_layout():
    text = SEED_STORE.read_text(encoding="utf-8")
    assert dump_store(load_store(SEED_STORE)) == text


def test_the_bundled_copy_is_the_repository_store():
    import incidents

    bundled = Path(incidents.__file__).parent / "data" / "incidents.json"
    assert bundled.read_bytes() == SEED_STORE.read_bytes()


def test_the_article_spelling_finds_the_school(seed):
    found = select(seed, Filters(locations=("AIPAC",)))
    assert [m.incident.id for m in found] == ["2022-12-02-aybak"]
