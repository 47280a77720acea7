"""ACLED (Armed Conflict Location & Event Data): one CSV row to one incident.

Facts from ACLED's codebook used here: ``time_precision`` 1 is the day
itself, 2 a week (the date given is the middle of it), 3 a month;
``fatalities`` is the lowest figure the sources report, so it is a lower
bound; there is no column for the wounded; ``geo_precision`` 1 is the town
itself, 2 a place near it or part of a region, 3 only a larger region;
``inter1``/``inter2`` code the kind of actor (1 state forces .. 8 external
forces), as numbers in older exports and as words in newer ones.  Actor 1
and actor 2 imply no direction; ACLED lists the initiator as actor 1 in
one-sided violence, which is the case this tool cares about.

Protests, agreements, arrests and other events that are not violence are
left out (and counted); the event and sub-event types are kept in
``origin.event_type``.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from incidents.countries import country_code
from incidents.dates import PartialDate
from incidents.importers.common import (
    LeftOut,
    RowError,
    coordinates,
    count,
    dataset_codes,
    dataset_source,
    day,
    incident_id,
    integer,
    labelled,
    made,
    perpetrator_of,
    required_text,
    sentences,
    text,
)
from incidents.importers.layouts import day_first, day_named_month, iso
from incidents.importers.tabular import Columns, Row
from incidents.model import (
    AttackType,
    Attribution,
    CoordinatePrecision,
    Count,
    Incident,
    Location,
    Origin,
    Perpetrator,
    Source,
    TargetType,
    WeaponType,
)

DATASET = "acled"
TITLE = "ACLED"
PUBLISHER = "ACLED"

COLUMNS = Columns(
    dataset=TITLE,
    required=(
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "actor1",
        "country",
        "fatalities",
    ),
    # Older exports: ALLY_ACTOR_1 for ASSOC_ACTOR_1, GEO_PRECIS for
    # GEO_PRECISION (upper case is folded for every column).
    aliases={
        "ally_actor_1": "assoc_actor_1",
        "ally_actor_2": "assoc_actor_2",
        "geo_precis": "geo_precision",
    },
)
COUNTRY_COLUMN = "country"
ID_COLUMN = "event_id_cnty"

_EXPLOSIVE = (AttackType.BOMBING, WeaponType.EXPLOSIVES)
_UNKNOWN_WEAPON = WeaponType.UNKNOWN

# sub_event_type -> attack type and weapon (GTD counts chemical attacks as
# unarmed assaults).
_SUB_EVENTS: dict[str, tuple[AttackType, WeaponType]] = {
    "armed clash": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "government regains territory": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "non-state actor overtakes territory": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "attack": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "sexual violence": (AttackType.UNARMED_ASSAULT, _UNKNOWN_WEAPON),
    "abduction/forced disappearance": (AttackType.KIDNAPPING, _UNKNOWN_WEAPON),
    "chemical weapon": (AttackType.UNARMED_ASSAULT, WeaponType.CHEMICAL),
    "air/drone strike": _EXPLOSIVE,
    "suicide bomb": _EXPLOSIVE,
    "shelling/artillery/missile attack": _EXPLOSIVE,
    "remote explosive/landmine/ied": _EXPLOSIVE,
    "grenade": _EXPLOSIVE,
    "excessive force against protesters": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "excessive force against protestors": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "violent demonstration": (AttackType.UNARMED_ASSAULT, _UNKNOWN_WEAPON),
    "mob violence": (AttackType.UNARMED_ASSAULT, _UNKNOWN_WEAPON),
    "looting/property destruction": (AttackType.FACILITY, _UNKNOWN_WEAPON),
}

# Sub-event types that are not violence: the row is left out.
_NOT_VIOLENCE = {
    "peaceful protest",
    "protest with intervention",
    "agreement",
    "arrests",
    "change to group/activity",
    "disrupted weapons use",
    "headquarters or base established",
    "non-violent transfer of territory",
    "other",
}

# event_type alone: current types when the sub-event is new to us, and the
# types of exports from before sub-event types existed (up to 2019).
_EVENTS: dict[str, tuple[AttackType, WeaponType]] = {
    "battles": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "battle-no change of territory": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "battle-government regains territory": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "battle-non-state actor overtakes territory": (AttackType.ARMED_ASSAULT, _UNKNOWN_WEAPON),
    "explosions/remote violence": _EXPLOSIVE,
    "remote violence": _EXPLOSIVE,
    "violence against civilians": (AttackType.UNKNOWN, _UNKNOWN_WEAPON),
    "riots": (AttackType.UNARMED_ASSAULT, _UNKNOWN_WEAPON),
}
_NOT_VIOLENCE_EVENTS = {
    "protests",
    "strategic developments",
    "strategic development",
    "riots/protests",
    "headquarters or base established",
    "non-violent transfer of territory",
}

_ACTOR_KINDS = {
    "state forces": 1,
    "rebel group": 2,
    "rebel groups": 2,
    "political militia": 3,
    "political militias": 3,
    "identity militia": 4,
    "identity militias": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
}
_TARGET_OF_ACTOR_KIND = {
    1: TargetType.MILITARY,
    2: TargetType.NON_STATE,
    3: TargetType.NON_STATE,
    4: TargetType.NON_STATE,
    5: TargetType.PRIVATE,
    6: TargetType.PRIVATE,
    7: TargetType.PRIVATE,
    8: TargetType.MILITARY,
}

_GEO_PRECISION = {
    1: CoordinatePrecision.CITY,
    2: CoordinatePrecision.DISTRICT,
    3: CoordinatePrecision.PROVINCE,
}


# Exports up to 2023 number their rows in data_id; ACLED renumbers them in
# each export, so a row is known by it only when its event id is blank (seen
# in a real export of 2020).
_DATA_ID_PREFIX = "data_id:"


def origin_id(row: Row) -> str:
    event_id = text(row, ID_COLUMN)
    if event_id:
        return event_id
    data_id = text(row, "data_id")
    if data_id is None:
        raise RowError(ID_COLUMN, "", "is blank, and no data_id names the row either")
    return _DATA_ID_PREFIX + data_id


def years(row: Row) -> tuple[int, int] | None:
    """The event's year; a week around a date may reach into the next or last."""
    year = row["year"].strip()
    if not year.isdigit():
        return None
    spread = 1 if row["time_precision"].strip() == "2" else 0
    return int(year) - spread, int(year) + spread


def _without_event_id(original: str) -> str | None:
    if not original.startswith(_DATA_ID_PREFIX):
        return None
    return (
        f"ACLED gives no event id; the row's data_id ({original[len(_DATA_ID_PREFIX) :]}) "
        "stands for it, but ACLED renumbers data_id in each export, so a newer one may add "
        "this event again"
    )


def to_incident(row: Row) -> Incident:
    """The incident an ACLED row describes; LeftOut for events that are not violence."""
    original = origin_id(row)
    event_type = required_text(row, "event_type")
    sub_event_type = text(row, "sub_event_type")
    attack_type, weapon = _attack(event_type, sub_event_type)
    start, end, date_note = _dates(row)
    geo_precision = _geo_precision(row)
    admin1, admin2, admin3, place, actor2, *notes_cells, summary = (
        cell.strip() or None for cell in row.cells(_TEXT_COLUMNS)
    )
    with_actor_1, with_actor_2, disorder_type, targeting, tags, source_scale = notes_cells
    location = made(
        Location,
        country=required_text(row, COUNTRY_COLUMN),
        country_code=country_code(row[COUNTRY_COLUMN]),
        province=admin1,
        district=admin2,
        city=place if geo_precision != 3 else None,
        coordinates=coordinates(
            row,
            "latitude",
            "longitude",
            _GEO_PRECISION.get(geo_precision or 0, CoordinatePrecision.CITY),
        ),
    )
    actor1 = required_text(row, "actor1")
    perpetrator = _perpetrator(actor1)
    fatalities = count(row, "fatalities")
    return made(
        Incident,
        id=incident_id(DATASET, original),
        date=start,
        end_date=end,
        location=location,
        perpetrator=perpetrator,
        attack_type=attack_type,
        target_type=_target_type(row, event_type, actor2),
        target=actor2 or "Not named",
        weapon_types=[weapon],
        # ACLED records the lowest figure its sources give: at least that many.
        killed=None if fatalities is None else made(Count, min=fatalities),
        wounded=None,
        summary=summary or _summary(original, event_type, sub_event_type, location),
        sources=[dataset_source(PUBLISHER, f"ACLED event {original}"), *_sources(row)],
        notes=sentences(
            _without_event_id(original),
            date_note,
            f"Coordinates stand for {place}" if geo_precision == 3 and place else None,
            labelled("Sub-district", admin3),
            # Actor 1 is the perpetrator and actor 2 the target, unless unnamed.
            labelled("Actor 1", actor1 if perpetrator.name is None else None),
            labelled("With actor 1", with_actor_1),
            labelled("With actor 2", with_actor_2),
            labelled("ACLED disorder type", disorder_type),
            "ACLED codes it as civilian targeting" if targeting else None,
            labelled("ACLED tags", tags),
            labelled("Source scale", source_scale),
        ),
        origin=made(
            Origin,
            dataset=DATASET,
            id=original,
            event_type=f"{event_type}: {sub_event_type}" if sub_event_type else event_type,
            codes=dataset_codes(row, DATASET, {"civilian_targeting": _civilian_targeting(row)}),
        ),
    )


# The cells to_incident reads as text (None when blank), taken together.
_TEXT_COLUMNS = (
    "admin1",
    "admin2",
    "admin3",
    "location",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "disorder_type",
    "civilian_targeting",
    "tags",
    "source_scale",
    "notes",
)


def _attack(event_type: str, sub_event_type: str | None) -> tuple[AttackType, WeaponType]:
    sub = (sub_event_type or "").casefold()
    event = event_type.casefold()
    # The sub-event decides first: a protest met with lethal force is violence.
    if sub in _SUB_EVENTS:
        return _SUB_EVENTS[sub]
    if sub in _NOT_VIOLENCE or event in _NOT_VIOLENCE_EVENTS:
        raise LeftOut(event_type)
    # A type this table does not know yet is kept, as an unknown attack type.
    return _EVENTS.get(event, (AttackType.UNKNOWN, _UNKNOWN_WEAPON))


# ACLED's exports over the years: 2016-07-02, 9-May-20 (through Excel),
# 21 March 2020, 01-January-2015, and numbers day first as its codebook says
# ("recorded as day / month / year"): 02/01/1997 is 2 January.
_EVENT_DATE_LAYOUTS = (iso, day_named_month, day_first)
_EVENT_DATE_EXPECTED = "as ACLED writes them (2016-07-02, 9-May-20, 21 March 2020, 02/01/1997)"


_DATE_COLUMNS = ("event_date", "year", "time_precision")


def _dates(row: Row) -> tuple[PartialDate, PartialDate | None, str | None]:
    return _dates_in(row.cells(_DATE_COLUMNS))


# ACLED reports the events of a few thousand days, and what they make is
# frozen: made once for their cells, and shared.
@functools.lru_cache(maxsize=16384)
def _dates_in(cells: tuple[str, ...]) -> tuple[PartialDate, PartialDate | None, str | None]:
    """The dates of a row whose ``_DATE_COLUMNS`` hold ``cells``."""
    row = Row.of_cells(_DATE_COLUMNS, cells)
    when = day(row, "event_date", _EVENT_DATE_LAYOUTS, _EVENT_DATE_EXPECTED)
    year = integer(row, "year")
    if year is not None and year != when.year:
        raise RowError("event_date", row["event_date"].strip(), f"is not in the year {year}")
    precision = integer(row, "time_precision")
    if precision in (None, 1):
        return PartialDate.from_date(when), None, None
    if precision == 2:
        start, end = when - timedelta(days=3), when + timedelta(days=3)
        note = f"Date known to the week: ACLED gives {when.isoformat()}, the middle of it"
        return PartialDate.from_date(start), PartialDate.from_date(end), note
    if precision == 3:
        note = f"Date known to the month (ACLED gives {when.isoformat()})"
        return PartialDate(when.year, when.month), None, note
    raise RowError("time_precision", row["time_precision"].strip(), "expected 1, 2 or 3")


def _geo_precision(row: Row) -> int | None:
    precision = integer(row, "geo_precision")
    if precision is not None and precision not in _GEO_PRECISION:
        raise RowError("geo_precision", row["geo_precision"].strip(), "expected 1, 2 or 3")
    return precision


def _civilian_targeting(row: Row) -> int | None:
    """1 where ACLED writes "Civilian targeting", 0 where it leaves the cell
    blank; None in an export without the column (older ones)."""
    if "civilian_targeting" not in row:
        return None
    return 1 if text(row, "civilian_targeting") else 0


def _perpetrator(actor1: str) -> Perpetrator:
    # "Unidentified Armed Group (Afghanistan)" and the like name no one.
    if actor1.casefold().startswith("unidentified"):
        return perpetrator_of(None, Attribution.UNKNOWN)
    return perpetrator_of(actor1, Attribution.ATTRIBUTED)


def _target_type(row: Row, event_type: str, actor2: str | None) -> TargetType:
    targeting = (text(row, "civilian_targeting") or "").casefold()
    if event_type.casefold() == "violence against civilians" or targeting.startswith("civilian"):
        return TargetType.PRIVATE
    if actor2 is None:
        return TargetType.UNKNOWN
    if "police" in actor2.casefold():
        return TargetType.POLICE
    kind_text = (text(row, "inter2") or "").casefold()
    kind = _ACTOR_KINDS.get(kind_text)
    if kind is None and kind_text.isdigit():
        kind = int(kind_text)
    return _TARGET_OF_ACTOR_KIND.get(kind or 0, TargetType.UNKNOWN)


def _sources(row: Row) -> list[Source]:
    return list(_sources_named(row["source"]))


@functools.lru_cache(maxsize=4096)
def _sources_named(cell: str) -> tuple[Source, ...]:
    """The sources a ``source`` cell names (a few hundred outlets, named again and again)."""
    names = cell.strip().split(";")
    return tuple(made(Source, publisher=name.strip()) for name in names if name.strip())


def _summary(original: str, event_type: str, sub_event_type: str | None, place: Location) -> str:
    kind = f"{event_type} ({sub_event_type})" if sub_event_type else event_type
    return f"{kind} in {place.label()}, {place.country} (ACLED event {original}; no notes given)."
