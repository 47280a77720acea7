"""Words users type, resolved to the model's categories, places and groups.

Users type ``--target-type embassy``, not ``Government (Diplomatic)`` or 7;
they type ``Mazar-e Sharif`` where the store says ``Mazar-i-Sharif``.  This
module holds those equivalences (facts from the GTD codebook and common
transliterations) and the normalisation that makes matching case-, accent-
and punctuation-insensitive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TypeVar

from incidents.categories import AttackType, Category, TargetType, WeaponType

C = TypeVar("C", bound=Category)


class VocabularyError(ValueError):
    """A word that names no category; the message lists the choices."""


# Letters and digits of any script are kept; everything else separates words.
_NON_WORD = re.compile(r"[\W_]+")
# Persian and Arabic place names join words with an izafe vowel that is
# written "-i-", "-e-", "-e " or "i " by turns: Mazar-i-Sharif, Mazar-e Sharif.
_IZAFE = re.compile(r"(?<=\w) (?:e|i|ye|al|el) (?=\w)")


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation turned into single spaces."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", folded).strip()


@cache
def normalise(name: str) -> str:
    """A name folded for matching, izafe vowels removed."""
    return _IZAFE.sub(" ", fold(name))


# --- categories --------------------------------------------------------------

TARGET_WORDS: dict[str, TargetType] = {
    "business": TargetType.BUSINESS,
    "company": TargetType.BUSINESS,
    "bank": TargetType.BUSINESS,
    "hotel": TargetType.BUSINESS,
    "restaurant": TargetType.BUSINESS,
    "shop": TargetType.BUSINESS,
    "government": TargetType.GOVERNMENT,
    "official": TargetType.GOVERNMENT,
    "ministry": TargetType.GOVERNMENT,
    "politician": TargetType.GOVERNMENT,
    "police": TargetType.POLICE,
    "checkpoint": TargetType.POLICE,
    "military": TargetType.MILITARY,
    "army": TargetType.MILITARY,
    "soldier": TargetType.MILITARY,
    "soldiers": TargetType.MILITARY,
    "abortion": TargetType.ABORTION,
    "airport": TargetType.AIRPORTS,
    "aircraft": TargetType.AIRPORTS,
    "airline": TargetType.AIRPORTS,
    "embassy": TargetType.DIPLOMATIC,
    "embassies": TargetType.DIPLOMATIC,
    "consulate": TargetType.DIPLOMATIC,
    "diplomat": TargetType.DIPLOMATIC,
    "diplomatic": TargetType.DIPLOMATIC,
    "school": TargetType.EDUCATIONAL,
    "schools": TargetType.EDUCATIONAL,
    "madrasa": TargetType.EDUCATIONAL,
    "madrassa": TargetType.EDUCATIONAL,
    "madrasah": TargetType.EDUCATIONAL,
    "university": TargetType.EDUCATIONAL,
    "college": TargetType.EDUCATIONAL,
    "education": TargetType.EDUCATIONAL,
    "educational": TargetType.EDUCATIONAL,
    "student": TargetType.EDUCATIONAL,
    "students": TargetType.EDUCATIONAL,
    "teacher": TargetType.EDUCATIONAL,
    "food": TargetType.FOOD_WATER,
    "water": TargetType.FOOD_WATER,
    "journalist": TargetType.MEDIA,
    "journalists": TargetType.MEDIA,
    "media": TargetType.MEDIA,
    "press": TargetType.MEDIA,
    "maritime": TargetType.MARITIME,
    "ship": TargetType.MARITIME,
    "port": TargetType.MARITIME,
    "ngo": TargetType.NGO,
    "aid worker": TargetType.NGO,
    "charity": TargetType.NGO,
    "other": TargetType.OTHER,
    "civilian": TargetType.PRIVATE,
    "civilians": TargetType.PRIVATE,
    "private": TargetType.PRIVATE,
    "citizens": TargetType.PRIVATE,
    "market": TargetType.PRIVATE,
    "wedding": TargetType.PRIVATE,
    "religious": TargetType.RELIGIOUS,
    "mosque": TargetType.RELIGIOUS,
    "mosques": TargetType.RELIGIOUS,
    "hussainiya": TargetType.RELIGIOUS,
    "husseiniya": TargetType.RELIGIOUS,
    "hussainiyah": TargetType.RELIGIOUS,
    "imambargah": TargetType.RELIGIOUS,
    "shrine": TargetType.RELIGIOUS,
    "church": TargetType.RELIGIOUS,
    "temple": TargetType.RELIGIOUS,
    "gurdwara": TargetType.RELIGIOUS,
    "synagogue": TargetType.RELIGIOUS,
    "cleric": TargetType.RELIGIOUS,
    "imam": TargetType.RELIGIOUS,
    "telecommunication": TargetType.TELECOM,
    "telecom": TargetType.TELECOM,
    "militia": TargetType.NON_STATE,
    "terrorists": TargetType.NON_STATE,
    "tourist": TargetType.TOURISTS,
    "tourists": TargetType.TOURISTS,
    "transportation": TargetType.TRANSPORTATION,
    "transport": TargetType.TRANSPORTATION,
    "bus": TargetType.TRANSPORTATION,
    "train": TargetType.TRANSPORTATION,
    "unknown": TargetType.UNKNOWN,
    "utilities": TargetType.UTILITIES,
    "electricity": TargetType.UTILITIES,
    "power": TargetType.UTILITIES,
    "pipeline": TargetType.UTILITIES,
    "party": TargetType.POLITICAL_PARTY,
}

ATTACK_WORDS: dict[str, AttackType] = {
    "assassination": AttackType.ASSASSINATION,
    "armed assault": AttackType.ARMED_ASSAULT,
    "assault": AttackType.ARMED_ASSAULT,
    "shooting": AttackType.ARMED_ASSAULT,
    "gunmen": AttackType.ARMED_ASSAULT,
    "bombing": AttackType.BOMBING,
    "bomb": AttackType.BOMBING,
    "explosion": AttackType.BOMBING,
    "suicide bombing": AttackType.BOMBING,
    "ied": AttackType.BOMBING,
    "hijacking": AttackType.HIJACKING,
    "hijack": AttackType.HIJACKING,
    "barricade": AttackType.BARRICADE,
    "hostage": AttackType.BARRICADE,
    "kidnapping": AttackType.KIDNAPPING,
    "kidnap": AttackType.KIDNAPPING,
    "abduction": AttackType.KIDNAPPING,
    "facility": AttackType.FACILITY,
    "infrastructure": AttackType.FACILITY,
    "arson": AttackType.FACILITY,
    "unarmed assault": AttackType.UNARMED_ASSAULT,
    "unarmed": AttackType.UNARMED_ASSAULT,
    "unknown": AttackType.UNKNOWN,
}

WEAPON_WORDS: dict[str, WeaponType] = {
    "biological": WeaponType.BIOLOGICAL,
    "chemical": WeaponType.CHEMICAL,
    "radiological": WeaponType.RADIOLOGICAL,
    "nuclear": WeaponType.NUCLEAR,
    "firearms": WeaponType.FIREARMS,
    "firearm": WeaponType.FIREARMS,
    "gun": WeaponType.FIREARMS,
    "guns": WeaponType.FIREARMS,
    "rifle": WeaponType.FIREARMS,
    "sniper": WeaponType.FIREARMS,
    "explosives": WeaponType.EXPLOSIVES,
    "explosive": WeaponType.EXPLOSIVES,
    "bomb": WeaponType.EXPLOSIVES,
    "ied": WeaponType.EXPLOSIVES,
    "grenade": WeaponType.EXPLOSIVES,
    "rocket": WeaponType.EXPLOSIVES,
    "mortar": WeaponType.EXPLOSIVES,
    "fake": WeaponType.FAKE,
    "incendiary": WeaponType.INCENDIARY,
    "arson": WeaponType.INCENDIARY,
    "fire": WeaponType.INCENDIARY,
    "melee": WeaponType.MELEE,
    "knife": WeaponType.MELEE,
    "vehicle": WeaponType.VEHICLE,
    "car": WeaponType.VEHICLE,
    "truck": WeaponType.VEHICLE,
    "sabotage": WeaponType.SABOTAGE,
    "other": WeaponType.OTHER,
    "unknown": WeaponType.UNKNOWN,
}


def _words_for(category: type[C], extra: Mapping[str, C]) -> dict[str, C]:
    """Every word that names a member: its label, its GTD code, and the extras."""
    words: dict[str, C] = {}
    for member in category:
        words[normalise(member.value)] = member
        words[str(member.code)] = member
    for word, member in extra.items():
        words[normalise(word)] = member
    return words


_LOOKUP: dict[type[Category], dict[str, Category]] = {
    TargetType: _words_for(TargetType, TARGET_WORDS),
    AttackType: _words_for(AttackType, ATTACK_WORDS),
    WeaponType: _words_for(WeaponType, WEAPON_WORDS),
}


def resolve_category(category: type[C], word: str) -> C:
    """The member a user's word names, or VocabularyError with suggestions."""
    words = _LOOKUP[category]
    key = normalise(word)
    if key in words:
        return words[key]  # type: ignore[return-value]
    # A unique prefix of a label is clear enough: "diplo", "educ".
    prefixed = {member for w, member in words.items() if key and w.startswith(key)}
    if len(prefixed) == 1:
        return prefixed.pop()  # type: ignore[return-value]
    import difflib  # only for a word that is not known

    close = difflib.get_close_matches(key, list(words), n=3, cutoff=0.7)
    hint = f" Did you mean {', '.join(repr(w) for w in close)}?" if close else ""
    choices = ", ".join(member.value for member in category)
    raise VocabularyError(f"{word!r} is not a known category.{hint} Choices: {choices}")


# Words that name more than one category: a filter searches them all, while
# a new incident takes the first (``resolve_category``).
_WIDER_WORDS: dict[type[Category], dict[str, tuple[Category, ...]]] = {
    TargetType: {"government": (TargetType.GOVERNMENT, TargetType.DIPLOMATIC)},
    AttackType: {"hostage": (AttackType.BARRICADE, AttackType.KIDNAPPING)},
}


def search_categories(category: type[C], word: str) -> tuple[frozenset[C], str | None]:
    """The members a filter word searches, and a note saying so when they are
    not what the word itself names ("church: searched for Religious
    Figures/Institutions"); VocabularyError for a word that names none."""
    key = normalise(word)
    wider = _WIDER_WORDS.get(category, {}).get(key)
    members: tuple[C, ...] = wider or (resolve_category(category, word),)  # type: ignore[assignment]
    if len(members) == 1 and _is_own_name(key, members[0]):
        return frozenset(members), None
    return frozenset(members), f"{word}: searched for {' and '.join(m.value for m in members)}"


def _is_own_name(key: str, member: Category) -> bool:
    """The code, the label, or its beginning or some of its words ("religious",
    "diplomatic", "educ"): nothing to say."""
    label = normalise(member.value)
    return (
        key == str(member.code) or label.startswith(key) or set(key.split()) <= set(label.split())
    )


def category_words(category: type[Category]) -> list[str]:
    """The words a user may type for a category, for help and completion."""
    return sorted(w for w in _LOOKUP[category] if not w.isdigit())


# --- places ------------------------------------------------------------------

# Spellings of one place, first the one this tool prints.  Facts of usage,
# not of any one source; a source's own odd spelling belongs on the incident
# (Location.aliases), not here.
PLACE_NAMES: tuple[tuple[str, ...], ...] = (
    ("Afghanistan", "Afghanestan"),
    ("Kabul", "Kabol", "Kaboul"),
    ("Mazar-i-Sharif", "Mazar-e Sharif", "Mazar-e-Sharif", "Mazari Sharif", "Mazar"),
    ("Kunduz", "Kondoz", "Qunduz", "Konduz"),
    ("Imam Sahib", "Emam Saheb", "Imam Saheb", "Emam Sahib"),
    ("Herat", "Hirat", "Harat"),
    ("Aybak", "Aibak", "Samangan city"),
    ("Balkh",),
    ("Samangan",),
    ("Nangarhar", "Ningarhar"),
    ("Jalalabad", "Jalal-Abad"),
    ("Kandahar", "Qandahar", "Kandahar city"),
    ("Pakistan",),
    ("Peshawar",),
)

_CANONICAL_PLACE: dict[str, str] = {
    normalise(variant): normalise(names[0]) for names in PLACE_NAMES for variant in names
}


def place_key(name: str) -> str:
    """One key for every spelling of a place: equal keys are the same place."""
    key = normalise(name)
    return _CANONICAL_PLACE.get(key, key)


def place_keys(names: Iterable[str]) -> set[str]:
    return {place_key(name) for name in names}


_PLACE_DISPLAY: dict[str, str] = {normalise(names[0]): names[0] for names in PLACE_NAMES}


def place_name(name: str) -> str:
    """The name this tool prints for a place: the vocabulary's when it knows
    the spelling ("Hirat": "Herat"), otherwise the name as given."""
    return _PLACE_DISPLAY.get(place_key(name), name)


def place_label(city: str | None, district: str | None, province: str | None, country: str) -> str:
    """A short human name: the most precise settled place and its province."""
    settled = city or district
    if not settled:
        return province or country
    if province and province != settled:
        return f"{settled}, {province}"
    return settled


# --- perpetrators ------------------------------------------------------------

# Names of one group, first the one this tool prints; then how GTD, ACLED and
# UCDP write it (ACLED names the Islamic State's branches by country).
PERPETRATOR_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "Islamic State Khorasan Province",
        "ISKP",
        "ISIS-K",
        "ISIS-Khorasan",
        "IS-K",
        "IS-KP",
        "Khorasan Chapter of the Islamic State",
        "Daesh Khorasan",
        "Islamic State (Afghanistan)",
    ),
    (
        "Islamic State",
        "ISIS",
        "ISIL",
        "IS",
        "Daesh",
        "Islamic State of Iraq and the Levant (ISIL)",
    ),
    ("Taliban", "Taleban", "Islamic Emirate of Afghanistan"),
    (
        "Tehrik-i-Taliban Pakistan",
        "TTP",
        "Pakistani Taliban",
        "Tehrik-i-Taliban Pakistan (TTP)",
    ),
)
# GTD writes "Unknown" where no perpetrator is known: the same as none.
UNKNOWN_PERPETRATOR = "unknown"

_PERPETRATOR_ALIASES: dict[str, tuple[str, ...]] = {
    normalise(variant): tuple(normalise(n) for n in names)
    for names in PERPETRATOR_NAMES
    for variant in names
}


def perpetrator_names(name: str) -> tuple[str, ...]:
    """The normalised name and every alias known for that group."""
    key = normalise(name)
    return _PERPETRATOR_ALIASES.get(key, (key,))


def perpetrator_key(name: str | None) -> str:
    """One key for every name of a group; GTD's "Unknown" and no name at all
    are both the unknown perpetrator."""
    if name is None:
        return UNKNOWN_PERPETRATOR
    return perpetrator_names(name)[0]


_PERPETRATOR_DISPLAY = {normalise(names[0]): names[0] for names in PERPETRATOR_NAMES}


def perpetrator_name(name: str | None) -> str:
    """The name this tool prints for a group: the vocabulary's first name when it
    knows the group ("ISKP": "Islamic State Khorasan Province"), "unknown" for
    no name, otherwise the name as given."""
    if name is None or perpetrator_key(name) == UNKNOWN_PERPETRATOR:
        return UNKNOWN_PERPETRATOR
    return _PERPETRATOR_DISPLAY.get(perpetrator_key(name), name)
