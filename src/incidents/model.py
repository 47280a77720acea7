"""The incident model: what is known about one attack, and how sure we are.

Pydantic v2 models with ``extra="forbid"``: a misspelt field in the store is
an error, not a silently ignored key.  No I/O happens here.
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from incidents.categories import (
    AttackType,
    Attribution,
    CoordinatePrecision,
    LinkStatus,
    TargetType,
    WeaponType,
)
from incidents.certainty import CODES, check_codes
from incidents.countries import country_code
from incidents.dates import DateInterval, PartialDate
from incidents.vocabulary import place_label

__all__ = [
    "AttackType",
    "Attribution",
    "Casualties",
    "Claim",
    "CoordinatePrecision",
    "Coordinates",
    "Count",
    "DatasetCodes",
    "Incident",
    "Link",
    "LinkStatus",
    "Location",
    "Origin",
    "Perpetrator",
    "PropertyDamage",
    "Source",
    "Store",
    "TargetType",
    "WeaponType",
]


# More people than live on Earth: no source reports it, and every sum of
# such figures stays far below the 2**63 that SQLite's integer columns and
# sums can hold (a larger one in a store would overflow them).
MAX_FIGURE = 10_000_000_000
Figure = Annotated[int, Field(ge=0, le=MAX_FIGURE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# A decimal best estimate: finite and not negative.
Estimate = Annotated[float, Field(ge=0, le=MAX_FIGURE, allow_inf_nan=False)]


class Count(_Strict):
    """A casualty figure that is not one exact number.

    ``{"min": 1}`` is "at least one"; ``{"min": 3, "max": 5}`` is a range;
    ``best`` is a best estimate inside the range.  An exact figure is stored
    as a plain integer and an unknown one as null: see ``Casualties``.

    A best estimate may be a decimal where the source gives one: older GTD
    releases share the casualties of linked attacks among them (19.8 killed
    in each of the sixteen 1993 Bombay bombings), a figure kept as given so
    that sums over the linked attacks come to the source's own.
    """

    min: Figure
    max: Figure | None = None
    best: Figure | Estimate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Count:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.best is not None and (
            self.best < self.min or (self.max is not None and self.best > self.max)
        ):
            raise ValueError(f"best {self.best} lies outside min {self.min} .. max {self.max}")
        return self


# An exact count (16), a bound or range (Count), or null: not known.
Casualties = Figure | Count | None


class Coordinates(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    precision: CoordinatePrecision


class Location(_Strict):
    country: str = Field(min_length=1, description="As the source names it")
    country_code: str | None = Field(
        None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of the country (ISO 3166-3 for a state that "
        "split up, e.g. SUN); when absent, the tool derives it from the name",
    )
    province: str | None = None
    district: str | None = None
    city: str | None = None
    site: str | None = Field(None, description="The place itself, e.g. 'Pakistani embassy'")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other spellings of this place used by the sources, found by --location",
    )
    coordinates: Coordinates | None = None

    def places(self) -> list[str]:
        """Every place name of this location, largest first."""
        levels = (self.country, self.province, self.district, self.city)
        return [name for name in levels if name] + list(self.aliases)

    def code(self) -> str | None:
        """The country's ISO code: as stored, else from its name (None if not known)."""
        return self.country_code or country_code(self.country)

    def label(self) -> str:
        """A short human name: the most precise settled place and its province."""
        return place_label(self.city, self.district, self.province, self.country)


class Perpetrator(_Strict):
    name: str | None = Field(None, description="Who did it; null when not known")
    attribution: Attribution

    @model_validator(mode="after")
    def _named_when_attributed(self) -> Perpetrator:
        if self.attribution is Attribution.UNKNOWN and self.name is not None:
            raise ValueError("an unknown perpetrator has no name; use 'suspected' instead")
        if self.attribution is not Attribution.UNKNOWN and self.name is None:
            raise ValueError(f"a {self.attribution.value} attribution needs a name")
        return self


class Claim(_Strict):
    by: str = Field(min_length=1)
    date: PartialDate | None = Field(None, description="When the claim was made, if known")
    channel: str | None = Field(None, description="Where it was made, e.g. Telegram")


class PropertyDamage(_Strict):
    occurred: bool | None = Field(description="true, false, or null when not known")
    description: str | None = None


class Source(_Strict):
    publisher: str = Field(min_length=1)
    date: PartialDate | None = None
    title: str | None = None
    url: str | None = None


def _code(name: str) -> str:
    code = CODES[name]
    meanings = ", ".join(f"{value} {meaning}" for value, meaning in code.values.items())
    return f"{code.dataset.upper()}'s {name}: {code.title} ({meanings})"


class DatasetCodes(_Strict):
    """A data set's own codes for how sure it is, as its codebook gives them,
    kept by an import so that the codebook's usual selections can be made
    (``--code doubtterr=0``)."""

    doubtterr: Literal[0, 1, -9] | None = Field(None, description=_code("doubtterr"))
    crit1: Literal[0, 1] | None = Field(None, description=_code("crit1"))
    crit2: Literal[0, 1] | None = Field(None, description=_code("crit2"))
    crit3: Literal[0, 1] | None = Field(None, description=_code("crit3"))
    specificity: Literal[1, 2, 3, 4, 5] | None = Field(None, description=_code("specificity"))
    event_clarity: Literal[1, 2] | None = Field(None, description=_code("event_clarity"))
    where_prec: Literal[1, 2, 3, 4, 5, 6, 7] | None = Field(None, description=_code("where_prec"))
    civilian_targeting: Literal[0, 1] | None = Field(None, description=_code("civilian_targeting"))
    geo_precision: Literal[1, 2, 3] | None = Field(None, description=_code("geo_precision"))

    def given(self) -> dict[str, int]:
        """The codes the data set gave, by name (read from the fields as they
        stand: every incident imported asks, as the model validates it)."""
        return {name: value for name, value in self.__dict__.items() if value is not None}


class Origin(_Strict):
    """Where an imported incident came from, so a newer export can update it."""

    dataset: str = Field(min_length=1, description="The data set: gtd, acled, ucdp")
    id: str = Field(min_length=1, description="The incident's id in that data set")
    event_type: str | None = Field(
        None, description="The data set's own classification, e.g. ACLED's event type"
    )
    codes: DatasetCodes | None = Field(
        None, description="The data set's own codes for how sure it is, as it gives them"
    )

    @model_validator(mode="after")
    def _codes_of_its_dataset(self) -> Origin:
        problem = _codes_problem(self.dataset, self.codes) if self.codes else None
        if problem:
            raise ValueError(problem)
        return self

    def __str__(self) -> str:
        return f"{self.dataset}:{self.id}"


# Stores and imports repeat a few combinations of codes, and pydantic runs
# an Origin's check again each time an Incident is given the Origin: each
# combination is checked once (the codes are frozen, so hashable).
@functools.lru_cache(maxsize=4096)
def _codes_problem(dataset: str, codes: DatasetCodes) -> str | None:
    """``check_codes`` of a data set's codes."""
    return check_codes(dataset, codes.given())


INCIDENT_ID_PATTERN = r"^[a-z0-9][a-z0-9._:-]*$"


class Incident(_Strict):
    id: str = Field(pattern=INCIDENT_ID_PATTERN, max_length=100)
    date: PartialDate
    end_date: PartialDate | None = Field(
        None, description="Last day of an attack that lasted, or of an uncertain window"
    )
    location: Location
    perpetrator: Perpetrator
    claim: Claim | None = None
    attack_type: AttackType
    target_type: TargetType
    target: str = Field(description="What or who was attacked, in words")
    weapon_types: list[WeaponType] = Field(default_factory=list)
    killed: Casualties
    wounded: Casualties
    summary: str
    property_damage: PropertyDamage | None = None
    sources: list[Source] = Field(
        description="Who reported it; an empty list is allowed but `incidents validate` warns"
    )
    notes: str | None = None
    origin: Origin | None = Field(None, description="The data set it was imported from")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Incident:
        if self.end_date is not None and self.end_date.last_day < self.date.first_day:
            raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        return self

    @property
    def interval(self) -> DateInterval:
        """Every day on which the incident may have happened."""
        last = self.end_date or self.date
        return DateInterval(self.date.first_day, last.last_day)


class Link(_Strict):
    """Two records thought to report one attack (``incidents match``), and
    what a person decided about them.

    A record is named by its origin, ``dataset:id`` (``acled:AFG12001``), so
    that the link holds when a newer export updates it; a hand-kept incident,
    which has no origin, by its id.
    """

    records: list[str] = Field(
        min_length=2,
        max_length=2,
        description="The two records: 'dataset:id' of an imported one, the id of a hand-kept one",
    )
    status: LinkStatus = Field(
        description="likely and possible: found by `incidents match`; confirmed and rejected: "
        "decided by a person. Likely and confirmed links count as one attack (--distinct)."
    )
    score: float | None = Field(None, ge=0, le=1, description="How alike the two are, 0 to 1")
    evidence: str | None = Field(None, description="Why they are thought alike, in words")

    @model_validator(mode="after")
    def _two_records(self) -> Link:
        first, second = self.records
        if not first or not second:
            raise ValueError("a record is named by 'dataset:id' or an incident id, not ''")
        if first == second:
            raise ValueError(f"a link joins two records, not {first!r} with itself")
        return self


class Store(BaseModel):
    """The whole store file: ``{"incidents": [...], "links": [...]}``."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    schema_url: str | None = Field(None, alias="$schema")
    incidents: list[Incident]
    links: list[Link] = Field(
        default_factory=list,
        description="Records found to report the same attack, and the decisions on them",
    )

    @model_validator(mode="after")
    def _each_pair_once(self) -> Store:
        problem = twice_linked(self.links)
        if problem:
            raise ValueError(problem)
        return self


def twice_linked(links: list[Link]) -> str | None:
    """A message naming two links of the same two records, or None."""
    seen: dict[frozenset[str], int] = {}
    for position, link in enumerate(links):
        pair = frozenset(link.records)
        if pair in seen:
            first, second = sorted(pair)
            return (
                f"links[{seen[pair]}] and links[{position}] both link {first!r} and {second!r}; "
                "keep one"
            )
        seen[pair] = position
    return None
