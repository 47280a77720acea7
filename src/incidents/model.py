"""The incident model: what is known about one attack, and how sure we are.

Pydantic v2 models with ``extra="forbid"``: a misspelt field in the store is
an error, not a silently ignored key.  No I/O happens here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from incidents.dates import DateInterval, PartialDate


class _Category(StrEnum):
    """A GTD codebook category: the label is stored, the code is GTD's number."""

    @property
    def code(self) -> int:
        return list(type(self)).index(self) + 1

    @classmethod
    def from_code(cls, code: int) -> _Category:
        members = list(cls)
        if not 1 <= code <= len(members):
            raise ValueError(f"{cls.__name__} has no GTD code {code}")
        return members[code - 1]


# Member order is GTD's code order: code == position + 1.
class AttackType(_Category):
    ASSASSINATION = "Assassination"
    ARMED_ASSAULT = "Armed Assault"
    BOMBING = "Bombing/Explosion"
    HIJACKING = "Hijacking"
    BARRICADE = "Hostage Taking (Barricade Incident)"
    KIDNAPPING = "Hostage Taking (Kidnapping)"
    FACILITY = "Facility/Infrastructure Attack"
    UNARMED_ASSAULT = "Unarmed Assault"
    UNKNOWN = "Unknown"


class TargetType(_Category):
    BUSINESS = "Business"
    GOVERNMENT = "Government (General)"
    POLICE = "Police"
    MILITARY = "Military"
    ABORTION = "Abortion Related"
    AIRPORTS = "Airports & Aircraft"
    DIPLOMATIC = "Government (Diplomatic)"
    EDUCATIONAL = "Educational Institution"
    FOOD_WATER = "Food or Water Supply"
    MEDIA = "Journalists & Media"
    MARITIME = "Maritime"
    NGO = "NGO"
    OTHER = "Other"
    PRIVATE = "Private Citizens & Property"
    RELIGIOUS = "Religious Figures/Institutions"
    TELECOM = "Telecommunication"
    NON_STATE = "Terrorists/Non-State Militia"
    TOURISTS = "Tourists"
    TRANSPORTATION = "Transportation"
    UNKNOWN = "Unknown"
    UTILITIES = "Utilities"
    POLITICAL_PARTY = "Violent Political Party"


class WeaponType(_Category):
    BIOLOGICAL = "Biological"
    CHEMICAL = "Chemical"
    RADIOLOGICAL = "Radiological"
    NUCLEAR = "Nuclear"
    FIREARMS = "Firearms"
    EXPLOSIVES = "Explosives"
    FAKE = "Fake Weapons"
    INCENDIARY = "Incendiary"
    MELEE = "Melee"
    VEHICLE = "Vehicle"
    SABOTAGE = "Sabotage Equipment"
    OTHER = "Other"
    UNKNOWN = "Unknown"


class Attribution(StrEnum):
    CLAIMED = "claimed"
    # Named by a data set (GTD without doubt, ACLED, UCDP) but not known to be
    # claimed: neither a claim nor a mere suspicion.
    ATTRIBUTED = "attributed"
    SUSPECTED = "suspected"
    UNKNOWN = "unknown"


class CoordinatePrecision(StrEnum):
    EXACT = "exact"
    SITE = "site"
    CITY = "city"
    DISTRICT = "district"
    PROVINCE = "province"
    COUNTRY = "country"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Count(_Strict):
    """A casualty figure that is not one exact number.

    ``{"min": 1}`` is "at least one"; ``{"min": 3, "max": 5}`` is a range;
    ``best`` is a best estimate inside the range.  An exact figure is stored
    as a plain integer and an unknown one as null: see ``Casualties``.
    """

    min: NonNegativeInt
    max: NonNegativeInt | None = None
    best: NonNegativeInt | None = None

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
Casualties = NonNegativeInt | Count | None


def count_bounds(count: Casualties) -> tuple[int, int | None]:
    """The lowest and highest value a count allows; highest None is unbounded."""
    if count is None:
        return 0, None
    if isinstance(count, int):
        return count, count
    return count.min, count.max


class Coordinates(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    precision: CoordinatePrecision


class Location(_Strict):
    country: str = Field(min_length=1)
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

    def most_precise_place(self) -> str:
        return self.city or self.district or self.province or self.country

    def label(self) -> str:
        """A short human name: the most precise settled place and its province."""
        settled = self.city or self.district
        parts = [settled, self.province] if settled else [self.province or self.country]
        if settled and self.province and settled == self.province:
            parts = [settled]
        return ", ".join(p for p in parts if p)


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


class Origin(_Strict):
    """Where an imported incident came from, so a newer export can update it."""

    dataset: str = Field(min_length=1, description="The data set: gtd, acled, ucdp")
    id: str = Field(min_length=1, description="The incident's id in that data set")
    event_type: str | None = Field(
        None, description="The data set's own classification, e.g. ACLED's event type"
    )

    def __str__(self) -> str:
        return f"{self.dataset}:{self.id}"


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
    sources: list[Source] = Field(min_length=1)
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


class Store(BaseModel):
    """The whole store file: ``{"incidents": [...]}``."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    schema_url: str | None = Field(None, alias="$schema")
    incidents: list[Incident]
