"""The GTD codebook's categories and the other closed vocabularies of the model.

Plain enums, free of pydantic, so that the query index can use them without
loading the model.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """A GTD codebook category: the label is stored, the code is GTD's number."""

    @property
    def code(self) -> int:
        return list(type(self)).index(self) + 1

    @classmethod
    def from_code(cls, code: int) -> Category:
        members = list(cls)
        if not 1 <= code <= len(members):
            raise ValueError(f"{cls.__name__} has no GTD code {code}")
        return members[code - 1]


# Member order is GTD's code order: code == position + 1.
class AttackType(Category):
    ASSASSINATION = "Assassination"
    ARMED_ASSAULT = "Armed Assault"
    BOMBING = "Bombing/Explosion"
    HIJACKING = "Hijacking"
    BARRICADE = "Hostage Taking (Barricade Incident)"
    KIDNAPPING = "Hostage Taking (Kidnapping)"
    FACILITY = "Facility/Infrastructure Attack"
    UNARMED_ASSAULT = "Unarmed Assault"
    UNKNOWN = "Unknown"


class TargetType(Category):
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


class WeaponType(Category):
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


class LinkStatus(StrEnum):
    """What is known of two records thought to report one attack."""

    # Found by `incidents match` and sure enough to count the two as one.
    LIKELY = "likely"
    # Found, but not sure enough (a weak score, or a rival candidate): awaits review.
    POSSIBLE = "possible"
    # Decided by a person: the same attack, or not.
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

    @property
    def decided(self) -> bool:
        return self in (LinkStatus.CONFIRMED, LinkStatus.REJECTED)
