"""The Global Terrorism Database (START): one CSV row to one incident.

Facts from the GTD codebook used here: attack, target and weapon types are
coded 1..N in the order of our categories; a month or day of 0 is not known;
``nkill``/``nwound`` blank is not known (never 0), and -9/-99 mean unknown
in the yes/no and count fields; ``guncertain1`` = 1 means the attribution to
``gname`` is suspected; ``specificity`` 1..5 says what the coordinates stand
for; ``gname`` "Unknown" means no perpetrator is known.
"""

from __future__ import annotations

import functools
import re
from typing import TypeVar, cast

from incidents.categories import Category
from incidents.countries import country_code
from incidents.dates import DateError, PartialDate
from incidents.importers.common import (
    RowError,
    citation_source,
    coordinates,
    count,
    dataset_codes,
    dataset_source,
    day,
    flag,
    incident_id,
    integer,
    labelled,
    made,
    perpetrator_of,
    required_text,
    sentences,
    text,
    whole_number,
)
from incidents.importers.layouts import excel_serial, iso, month_first
from incidents.importers.tabular import Columns, Row
from incidents.model import (
    AttackType,
    Attribution,
    Casualties,
    Claim,
    CoordinatePrecision,
    Count,
    Incident,
    Location,
    Origin,
    Perpetrator,
    PropertyDamage,
    Source,
    TargetType,
    WeaponType,
)

C = TypeVar("C", bound=Category)

DATASET = "gtd"
TITLE = "GTD"
PUBLISHER = "Global Terrorism Database (START)"

COLUMNS = Columns(
    dataset=TITLE,
    required=(
        "eventid",
        "iyear",
        "imonth",
        "iday",
        "country_txt",
        "attacktype1",
        "targtype1",
        "gname",
        "nkill",
        "nwound",
    ),
    # Some redistributions of the GTD (cleaned Kaggle copies among them)
    # rename the date columns.
    aliases={"year": "iyear", "month": "imonth", "day": "iday"},
)
COUNTRY_COLUMN = "country_txt"
ID_COLUMN = "eventid"

UNKNOWN = (-9, -99)

# specificity: 1 the city itself; 2 a city whose own coordinates were not
# found, so the smallest region's centre; 3 not in a city, the smallest
# region's centre; 4 the first-level region's centre; 5 not even that.
_SPECIFICITY = {
    1: CoordinatePrecision.CITY,
    2: CoordinatePrecision.DISTRICT,
    3: CoordinatePrecision.DISTRICT,
    4: CoordinatePrecision.PROVINCE,
    5: CoordinatePrecision.COUNTRY,
}


def origin_id(row: Row) -> str:
    return required_text(row, ID_COLUMN)


def years(row: Row) -> tuple[int, int] | None:
    """The attack's year; an extended one may end any year after."""
    year = row["iyear"].strip()
    if not year.isdigit():
        return None
    return int(year), 9999 if row["extended"].strip() == "1" else int(year)


def to_incident(row: Row) -> Incident:
    """The incident a GTD row describes; RowError names the cell that is wrong."""
    eventid = origin_id(row)
    when = _date(row)
    attack_types = _categories(row, AttackType, "attacktype", 3)
    target_types = _categories(row, TargetType, "targtype", 3)
    weapon_types = _categories(row, WeaponType, "weaptype", 4)
    if not attack_types:
        raise RowError("attacktype1", row["attacktype1"], "is blank, but every row needs it")
    if not target_types:
        raise RowError("targtype1", row["targtype1"], "is blank, but every row needs it")
    perpetrator, claim = _perpetrator(row)
    location = _location(row)
    target = text(row, "target1") or text(row, "corp1") or text(row, "targsubtype1_txt")
    target = target or target_types[0].value
    summary = text(row, "summary") or _summary(eventid, attack_types[0], target, location)
    end, end_note = _end_date(row, when)
    killed, wounded, shares_note = _casualties(row)
    return made(
        Incident,
        id=incident_id(DATASET, eventid),
        date=when,
        end_date=end,
        location=location,
        perpetrator=perpetrator,
        claim=claim,
        attack_type=attack_types[0],
        target_type=target_types[0],
        target=target,
        weapon_types=weapon_types,
        killed=killed,
        wounded=wounded,
        summary=summary,
        property_damage=_property(row),
        sources=[
            dataset_source(
                PUBLISHER,
                f"GTD event {eventid}",
                f"https://www.start.umd.edu/gtd/search/IncidentSummary.aspx?gtdid={eventid}",
            ),
            *_citations(row),
        ],
        notes=sentences(_notes(row, attack_types, target_types), end_note, shares_note),
        origin=made(Origin, dataset=DATASET, id=eventid, codes=dataset_codes(row, DATASET)),
    )


def _date(row: Row) -> PartialDate:
    year = integer(row, "iyear")
    if year is None:
        raise RowError("iyear", "", "is blank, but every row needs a year")
    month = integer(row, "imonth", UNKNOWN) or None  # 0: month not known
    day = integer(row, "iday", UNKNOWN) or None  # 0: day not known
    try:
        return _partial_date(year, month, day if month else None)
    except DateError:
        pass
    # Check each part on its own, so that the error names the right column.
    for column, parts in (
        ("iyear", (year,)),
        ("imonth", (year, month)),
        ("iday", (year, month, day)),
    ):
        if parts[-1] is None:
            break
        try:
            PartialDate(*parts)
        except DateError as error:
            raise RowError(column, row[column].strip(), str(error)) from None
    return PartialDate(year, month, day if month else None)


@functools.lru_cache(maxsize=65536)
def _partial_date(year: int, month: int | None, day: int | None) -> PartialDate:
    """The date, made once: rows share a few thousand (it is frozen)."""
    return PartialDate(year, month, day)


# The codebook's CSV writes the resolution month first (10/31/2001); a
# spreadsheet holds a date cell (read as 2001-10-31) or, without its date
# format, Excel's day number (37195).
_RESOLUTION_LAYOUTS = (month_first, iso, excel_serial)


def _end_date(row: Row, start: PartialDate) -> tuple[PartialDate | None, str | None]:
    """The resolution date of an incident that lasted more than a day, and a
    note when the row gives one that cannot be the end (1899-12-30, a
    spreadsheet's day 0): then the end is not known, and the incident stays."""
    if not flag(row, "extended") or not text(row, "resolution"):
        return None, None
    given = row["resolution"].strip()
    try:
        end = PartialDate.from_date(day(row, "resolution", _RESOLUTION_LAYOUTS, "m/d/yyyy"))
    except RowError as error:
        return None, f"GTD's resolution date {given} is left out: {error.reason}"
    if end.last_day < start.first_day:
        return None, f"GTD's resolution date {given} ({end}) is left out: it is before the attack"
    return (end if end != start else None), None


_FRACTION = re.compile(r"^\d*\.\d+$")


def _casualties(row: Row) -> tuple[Casualties, Casualties, str | None]:
    """``nkill`` and ``nwound``, and a note when GTD gives a fraction.

    Older releases share the casualties reported for linked attacks among
    them (19.8 killed, 78.125 wounded in each of sixteen Bombay bombings of
    1993; 0.33 wounded in each of six attacks in Lima).  How many died in
    one attack is then not known, so the figure is at least 0 with GTD's
    share as its best estimate: kept as given, and the best-estimate sum
    over the linked attacks is GTD's own sum.
    """
    figures: list[Casualties] = []
    shares = []
    for column, label in (("nkill", "killed"), ("nwound", "wounded")):
        value = row[column].strip()
        if not value.isdigit() and _FRACTION.match(value) and not float(value).is_integer():
            figures.append(made(Count, min=0, best=float(value)))
            shares.append(f"{label} {value}")
        else:
            figures.append(count(row, column, UNKNOWN))
    note = None
    if shares:
        note = (
            f"GTD gives {' and '.join(shares)}: a share of the casualties reported for "
            "linked attacks together, not a count for this attack alone; kept as the best "
            "estimate"
        )
    return figures[0], figures[1], note


def _categories(row: Row, category: type[C], prefix: str, how_many: int) -> list[C]:
    cells = row.cells(_numbered(prefix, how_many))
    return list(_coded(category, prefix, cells))


@functools.lru_cache(maxsize=4096)
def _coded(category: type[C], prefix: str, cells: tuple[str, ...]) -> tuple[C, ...]:
    """The categories whose GTD codes ``cells`` of the columns ``prefix``1..N
    hold, once each (rows share few combinations)."""
    found: list[C] = []
    for column, cell in zip(_numbered(prefix, len(cells)), cells, strict=True):
        code = whole_number(column, cell.strip())
        if code is None or code in UNKNOWN:
            continue
        members = _members(category)
        if not 1 <= code <= len(members):
            kind = prefix.replace("targ", "target ").replace("weap", "weapon ").replace("ck", "ck ")
            reason = f"expected a GTD {kind.strip()} code from 1 to {len(members)}"
            raise RowError(column, cell.strip(), reason)
        member = cast(C, members[code - 1])
        if member not in found:
            found.append(member)
    return tuple(found)


@functools.cache
def _numbered(prefix: str, how_many: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{number}" for number in range(1, how_many + 1))


@functools.cache
def _members(category: type[Category]) -> tuple[Category, ...]:
    """The category's members in GTD code order (code = position + 1)."""
    return tuple(category)


def _perpetrator(row: Row) -> tuple[Perpetrator, Claim | None]:
    name = text(row, "gname")
    if name is None or name.casefold() == "unknown":
        return perpetrator_of(None, Attribution.UNKNOWN), None
    if flag(row, "claimed"):
        claim = _claim(name, text(row, "claimmode_txt"))
        return perpetrator_of(name, Attribution.CLAIMED), claim
    if flag(row, "guncertain1"):
        return perpetrator_of(name, Attribution.SUSPECTED), None
    return perpetrator_of(name, Attribution.ATTRIBUTED), None


# The models made below are frozen, and GTD repeats them: a group's claim of
# its attacks, the few words on property damage.  Each is made once for its
# cells and shared.  (Not a location: coordinates differ from row to row in
# too many exports for a cache to pay.)
@functools.lru_cache(maxsize=4096)
def _claim(name: str, channel: str | None) -> Claim:
    return made(Claim, by=name, channel=channel)


def _location(row: Row) -> Location:
    specificity = integer(row, "specificity", UNKNOWN)
    if specificity is not None and specificity not in _SPECIFICITY:
        raise RowError("specificity", row["specificity"].strip(), "expected 1 to 5")
    precision = _SPECIFICITY.get(specificity or 0, CoordinatePrecision.DISTRICT)
    return made(
        Location,
        country=required_text(row, COUNTRY_COLUMN),
        country_code=country_code(row[COUNTRY_COLUMN]),
        province=_known(text(row, "provstate")),
        city=_known(text(row, "city")),
        coordinates=coordinates(row, "latitude", "longitude", precision),
    )


def _known(name: str | None) -> str | None:
    return None if name is None or name.casefold() == "unknown" else name


_PROPERTY_COLUMNS = ("property", "propcomment", "propextent_txt")


def _property(row: Row) -> PropertyDamage | None:
    return _property_in(row.cells(_PROPERTY_COLUMNS))


@functools.lru_cache(maxsize=4096)
def _property_in(cells: tuple[str, ...]) -> PropertyDamage | None:
    row = Row.of_cells(_PROPERTY_COLUMNS, cells)
    occurred = flag(row, "property")
    description = text(row, "propcomment") or text(row, "propextent_txt")
    if occurred is None and description is None:
        return None
    return made(PropertyDamage, occurred=occurred, description=description)


def _citations(row: Row) -> list[Source]:
    return [citation_source(cite) for cite in (text(row, f"scite{n}") for n in (1, 2, 3)) if cite]


def _summary(eventid: str, attack: AttackType, target: str, location: Location) -> str:
    place = ", ".join(p for p in (location.city, location.province, location.country) if p)
    return f"{attack.value} against {target} in {place} (GTD event {eventid}; no summary given)."


def _notes(row: Row, attack_types: list[AttackType], target_types: list[TargetType]) -> str | None:
    # Most rows name one group and one target: their cells for others are
    # empty (a blank cell with spaces is read the long way).
    also_named = _also_named(row) if row["gname2"] or row["gname3"] else []
    other_targets = []
    if row["targtype2"] or row["target2"] or row["targtype3"] or row["target3"]:
        other_targets = [
            " ".join(filter(None, (text(row, f"targtype{n}_txt"), _paren(text(row, f"target{n}")))))
            for n in (2, 3)
            if text(row, f"targtype{n}") or text(row, f"target{n}")
        ]
    doubt = flag(row, "doubtterr")
    return sentences(
        labelled("Approximate date", text(row, "approxdate")),
        "Lasted more than 24 hours" if flag(row, "extended") else None,
        labelled("Location", text(row, "location")),
        "In the vicinity of the city, not in it" if flag(row, "vicinity") else None,
        "GTD doubts that this was terrorism"
        + (f" ({text(row, 'alternative_txt')})" if text(row, "alternative_txt") else "")
        if doubt
        else None,
        "Suicide attack" if flag(row, "suicide") else None,
        "GTD codes the attack as unsuccessful" if flag(row, "success") is False else None,
        labelled("Also coded as", ", ".join(a.value for a in attack_types[1:])),
        labelled("Target subtype", text(row, "targsubtype1_txt")),
        labelled("Target nationality", text(row, "natlty1_txt")),
        labelled("Other targets", "; ".join(other_targets)),
        labelled("Also attributed to", ", ".join(also_named)),
        "The attribution is uncertain"
        if flag(row, "claimed") and flag(row, "guncertain1")
        else None,
        "Competing claims were made" if flag(row, "compclaim") else None,
        labelled("Perpetrators among the killed", _count_text(row, "nkillter")),
        labelled("Hostages or kidnapped", _count_text(row, "nhostkid")),
        labelled("Weapons", text(row, "weapdetail")),
        labelled("Motive", text(row, "motive")),
        labelled("Part of a multiple incident with", text(row, "related"))
        if flag(row, "multiple")
        else None,
        text(row, "addnotes"),
    )


def _also_named(row: Row) -> list[str]:
    others = [text(row, f"gname{n}") for n in (2, 3)]
    return [
        name + (" (suspected)" if flag(row, f"guncertain{n}") else "")
        for n, name in zip((2, 3), others, strict=True)
        if name and name.casefold() != "unknown"
    ]


def _paren(value: str | None) -> str | None:
    return f"({value})" if value else None


def _count_text(row: Row, column: str) -> str | None:
    value = row[column].strip()
    if not value:
        return None
    if _FRACTION.match(value) and not float(value).is_integer():
        return value  # a share of linked attacks' figure, as for nkill
    number = count(row, column, UNKNOWN)
    return str(number) if number else None
