"""How sure the data sets are: their own codes, kept on an import, and one
scale for how precisely an incident's place is known.

The codes are each codebook's, under its own column names, so that an
analyst can make the selections the codebooks' users make ("doubtterr = 0",
UCDP's clear events only):

- GTD: ``doubtterr`` (1 doubt that the incident is terrorism, 0 none, -9 not
  recorded), the inclusion criteria ``crit1``..``crit3`` (1 met, 0 not), and
  ``specificity`` (1 the city itself .. 5 not even the province known).
- UCDP GED: ``event_clarity`` (1 the event is reported clearly, 2 it is not:
  an aggregate or a vague report) and ``where_prec`` (1 the exact place ..
  7 international waters or airspace).
- ACLED: ``civilian_targeting`` (1 civilians were the target, 0 not) and
  ``geo_precision`` (1 the town itself, 2 near it or part of a region, 3 only
  the region).

A place is known, finest first, to the exact spot, the site, the city, the
district, the province or only the country.  An imported incident's level
comes from its data set's code; otherwise from its coordinates' precision,
and without coordinates from the most precise place it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from incidents.categories import CoordinatePrecision


@dataclass(frozen=True)
class Code:
    """One code of one data set: its values and what each means."""

    dataset: str
    title: str
    values: Mapping[int, str]


CODES: dict[str, Code] = {
    "doubtterr": Code(
        "gtd",
        "doubt that it is terrorism",
        {0: "no doubt", 1: "doubt", -9: "not recorded"},
    ),
    "crit1": Code(
        "gtd", "a political, economic, religious or social aim", {1: "met", 0: "not met"}
    ),
    "crit2": Code(
        "gtd", "meant to coerce or send a message beyond the victims", {1: "met", 0: "not met"}
    ),
    "crit3": Code("gtd", "outside international humanitarian law", {1: "met", 0: "not met"}),
    "specificity": Code(
        "gtd",
        "how precisely the place is known",
        {
            1: "the city itself",
            2: "the city, its coordinates the region's",
            3: "not in a city: the smallest region",
            4: "the province",
            5: "not even the province",
        },
    ),
    "event_clarity": Code("ucdp", "how clearly the event is reported", {1: "clear", 2: "unclear"}),
    "where_prec": Code(
        "ucdp",
        "how precisely the place is known",
        {
            1: "the exact place",
            2: "within 25 km of a known place",
            3: "the district",
            4: "the province",
            5: "along a road or river, or between regions",
            6: "the country",
            7: "international waters or airspace",
        },
    ),
    "civilian_targeting": Code("acled", "civilians were the target", {1: "yes", 0: "no"}),
    "geo_precision": Code(
        "acled",
        "how precisely the place is known",
        {1: "the town itself", 2: "near a town, or part of a region", 3: "only the region"},
    ),
}


def check_codes(dataset: str, codes: Mapping[str, int]) -> str | None:
    """What is wrong with these codes for a record of this data set, or None."""
    for name, value in codes.items():
        code = CODES.get(name)
        if code is None:
            return f"{name!r} is not a data set's code; the codes are {', '.join(CODES)}"
        if code.dataset != dataset:
            return f"{name} is a code of {code.dataset}, not of {dataset}"
        if value not in code.values:
            allowed = ", ".join(str(v) for v in code.values)
            return f"{name} is {value}; {code.dataset.upper()}'s codebook has {allowed}"
    return None


def codes_text(codes: Mapping[str, int] | None) -> str:
    """The codes as the index keeps them, to be searched: ``|doubtterr=0|crit1=1|``."""
    given = {name: value for name, value in (codes or {}).items() if value is not None}
    if not given:
        return ""
    return "|" + "".join(f"{name}={value}|" for name, value in given.items())


def code_term(name: str, value: int) -> str:
    """What ``codes_text`` holds when the code has this value."""
    return f"|{name}={value}|"


# --- where: one scale ---------------------------------------------------------------

# Finest first: a filter for a level keeps it and every finer one.
PLACE_LEVELS: tuple[CoordinatePrecision, ...] = tuple(CoordinatePrecision)

_LEVELS_OF_CODES: dict[str, dict[int, CoordinatePrecision]] = {
    "specificity": {
        1: CoordinatePrecision.CITY,
        2: CoordinatePrecision.CITY,  # in the city; only its coordinates are the region's
        3: CoordinatePrecision.DISTRICT,
        4: CoordinatePrecision.PROVINCE,
        5: CoordinatePrecision.COUNTRY,
    },
    "geo_precision": {
        1: CoordinatePrecision.CITY,
        2: CoordinatePrecision.DISTRICT,
        3: CoordinatePrecision.PROVINCE,
    },
    "where_prec": {
        1: CoordinatePrecision.EXACT,
        2: CoordinatePrecision.CITY,
        3: CoordinatePrecision.DISTRICT,
        4: CoordinatePrecision.PROVINCE,
        5: CoordinatePrecision.PROVINCE,
        6: CoordinatePrecision.COUNTRY,
        7: CoordinatePrecision.COUNTRY,
    },
}


def place_precision(
    codes: Mapping[str, int] | None,
    coordinates_precision: str | None,
    site: str | None,
    city: str | None,
    district: str | None,
    province: str | None,
) -> CoordinatePrecision:
    """How precisely an incident's place is known, on the one scale."""
    for name, levels in _LEVELS_OF_CODES.items():
        value = (codes or {}).get(name)
        if value in levels:
            return levels[value]
    if coordinates_precision:
        return CoordinatePrecision(coordinates_precision)
    given: tuple[tuple[CoordinatePrecision, str | None], ...] = (
        (CoordinatePrecision.SITE, site),
        (CoordinatePrecision.CITY, city),
        (CoordinatePrecision.DISTRICT, district),
        (CoordinatePrecision.PROVINCE, province),
    )
    for level, place in given:
        if place:
            return level
    return CoordinatePrecision.COUNTRY


def place_rank(level: CoordinatePrecision | str) -> int:
    """0 for the finest level, up to 5 for the country."""
    return PLACE_LEVELS.index(CoordinatePrecision(level))
