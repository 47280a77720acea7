"""One coarse taxonomy of political violence, onto which each data set's own
vocabulary maps: GTD's attack, weapon and target types (which hand-kept
incidents share), ACLED's event and sub-event types (kept by the importer in
``origin.event_type``), UCDP's type of violence.

Two records can be one attack only when their kinds are compatible: some
means of attack in common (a GTD bombing and an ACLED suicide bomb, or
anything and a record that does not say how) and some side attacked in
common (civilians, the state, armed groups).  And when their perpetrators
are compatible: a group known under one of its names in each data set, or
one of them unknown.  The tables here are written once, from the codebooks;
nobody is asked to write a taxonomy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntFlag
from functools import lru_cache
from typing import Any

from incidents.categories import AttackType, TargetType, WeaponType
from incidents.vocabulary import fold


class Means(IntFlag):
    """How an attack was carried out, coarsely."""

    EXPLOSIVE = 1  # bombs, IEDs, suicide attacks, grenades
    REMOTE = 2  # shelling, rockets, missiles, air and drone strikes
    ARMED = 4  # shooting, armed assault, clashes
    ABDUCTION = 8  # kidnapping, hijacking, hostage taking
    FACILITY = 16  # arson, sabotage, destruction of property
    UNARMED = 32  # beatings, mob violence, sexual violence, chemicals


class Side(IntFlag):
    """Who was attacked, coarsely."""

    CIVILIAN = 1
    STATE = 2  # government, police, the military, diplomats
    NONSTATE = 4  # armed groups, militias


ANY_MEANS = Means(sum(Means))
ANY_SIDE = Side(sum(Side))


@dataclass(frozen=True, slots=True)
class Kind:
    """A record's kind of violence: its means and sides (``Means`` and
    ``Side`` flags, as plain numbers: matching tests them millions of times),
    and the data set's own word for it (None when the record does not say how)."""

    means: int
    sides: int
    word: str | None


# --- GTD and hand-kept incidents: the GTD codebook's categories ------------------

_ATTACK_MEANS: dict[AttackType, Means] = {
    AttackType.ASSASSINATION: Means.ARMED | Means.EXPLOSIVE,
    AttackType.ARMED_ASSAULT: Means.ARMED,
    AttackType.BOMBING: Means.EXPLOSIVE | Means.REMOTE,
    AttackType.HIJACKING: Means.ABDUCTION,
    AttackType.BARRICADE: Means.ABDUCTION | Means.ARMED,
    AttackType.KIDNAPPING: Means.ABDUCTION,
    AttackType.FACILITY: Means.FACILITY,
    AttackType.UNARMED_ASSAULT: Means.UNARMED,
    AttackType.UNKNOWN: ANY_MEANS,
}
# A weapon widens a known attack type: GTD codes a shooting with a grenade
# thrown as an armed assault, which an ACLED grenade event may describe.
_WEAPON_MEANS: dict[WeaponType, Means] = {
    WeaponType.EXPLOSIVES: Means.EXPLOSIVE | Means.REMOTE,
    WeaponType.FIREARMS: Means.ARMED,
    WeaponType.INCENDIARY: Means.FACILITY,
    WeaponType.MELEE: Means.UNARMED | Means.ARMED,
    WeaponType.CHEMICAL: Means.UNARMED,
    WeaponType.VEHICLE: Means.UNARMED | Means.ARMED,
    WeaponType.SABOTAGE: Means.FACILITY,
}
_ATTACK_WORDS: dict[AttackType, str] = {
    AttackType.ASSASSINATION: "assassination",
    AttackType.ARMED_ASSAULT: "armed assault",
    AttackType.BOMBING: "bombing",
    AttackType.HIJACKING: "hijacking",
    AttackType.BARRICADE: "hostage taking",
    AttackType.KIDNAPPING: "kidnapping",
    AttackType.FACILITY: "attack on a facility",
    AttackType.UNARMED_ASSAULT: "unarmed assault",
}

_INFRASTRUCTURE = Side.CIVILIAN | Side.STATE
_TARGET_SIDES: dict[TargetType, Side] = {
    TargetType.BUSINESS: Side.CIVILIAN,
    TargetType.GOVERNMENT: Side.STATE,
    TargetType.POLICE: Side.STATE,
    TargetType.MILITARY: Side.STATE,
    TargetType.ABORTION: Side.CIVILIAN,
    TargetType.AIRPORTS: _INFRASTRUCTURE,
    # Embassies: diplomats, and the people queueing at the gate.
    TargetType.DIPLOMATIC: Side.STATE | Side.CIVILIAN,
    TargetType.EDUCATIONAL: Side.CIVILIAN,
    TargetType.FOOD_WATER: _INFRASTRUCTURE,
    TargetType.MEDIA: Side.CIVILIAN,
    TargetType.MARITIME: _INFRASTRUCTURE,
    TargetType.NGO: Side.CIVILIAN,
    TargetType.OTHER: ANY_SIDE,
    TargetType.PRIVATE: Side.CIVILIAN,
    TargetType.RELIGIOUS: Side.CIVILIAN,
    TargetType.TELECOM: _INFRASTRUCTURE,
    TargetType.NON_STATE: Side.NONSTATE,
    TargetType.TOURISTS: Side.CIVILIAN,
    TargetType.TRANSPORTATION: _INFRASTRUCTURE,
    TargetType.UNKNOWN: ANY_SIDE,
    TargetType.UTILITIES: _INFRASTRUCTURE,
    TargetType.POLITICAL_PARTY: Side.NONSTATE | Side.CIVILIAN,
}

# --- ACLED: event and sub-event types ----------------------------------------------

_ACLED_SUB_EVENTS: dict[str, Means] = {
    "armed clash": Means.ARMED,
    "government regains territory": Means.ARMED,
    "non-state actor overtakes territory": Means.ARMED,
    "attack": Means.ARMED | Means.UNARMED,
    "sexual violence": Means.UNARMED,
    "abduction/forced disappearance": Means.ABDUCTION,
    "chemical weapon": Means.UNARMED,
    "air/drone strike": Means.REMOTE,
    "suicide bomb": Means.EXPLOSIVE,
    "shelling/artillery/missile attack": Means.REMOTE,
    "remote explosive/landmine/ied": Means.EXPLOSIVE,
    "grenade": Means.EXPLOSIVE,
    "excessive force against protesters": Means.ARMED | Means.UNARMED,
    "excessive force against protestors": Means.ARMED | Means.UNARMED,
    "violent demonstration": Means.UNARMED | Means.FACILITY,
    "mob violence": Means.UNARMED | Means.FACILITY,
    "looting/property destruction": Means.FACILITY,
}
_ACLED_EVENTS: dict[str, Means] = {
    "battles": Means.ARMED,
    "battle-no change of territory": Means.ARMED,
    "battle-government regains territory": Means.ARMED,
    "battle-non-state actor overtakes territory": Means.ARMED,
    "battle-non-state actors overtake territory": Means.ARMED,
    "explosions/remote violence": Means.EXPLOSIVE | Means.REMOTE,
    "remote violence": Means.EXPLOSIVE | Means.REMOTE,
    "violence against civilians": ANY_MEANS,
    "riots": Means.UNARMED | Means.FACILITY,
}
_ARMED_SIDES = Side.STATE | Side.NONSTATE

# --- UCDP GED: type of violence, as the importer words it ---------------------------

_UCDP_SIDES: dict[str, Side] = {
    "state-based conflict": _ARMED_SIDES,
    "non-state conflict": _ARMED_SIDES,
    "one-sided violence": Side.CIVILIAN,
}
# Fights between two armed sides: either may be named as the perpetrator.
TWO_SIDED = frozenset({"state-based conflict", "non-state conflict"})


def kind_of(data: Mapping[str, Any]) -> Kind:
    """The kind of violence of an incident, from its JSON data."""
    origin = data.get("origin") or {}
    weapons = tuple(data.get("weapon_types", ()))
    return _kind(
        origin.get("dataset"),
        origin.get("event_type"),
        data["attack_type"],
        data["target_type"],
        weapons,
    )


@lru_cache(maxsize=4096)
def _kind(
    dataset: str | None,
    event_type: str | None,
    attack_type: str,
    target_type: str,
    weapons: tuple[str, ...],
) -> Kind:
    if dataset == "acled" and event_type:
        return _acled_kind(event_type, TargetType(target_type))
    if dataset == "ucdp" and event_type:
        return Kind(int(ANY_MEANS), int(_UCDP_SIDES.get(event_type, ANY_SIDE)), None)
    attack = AttackType(attack_type)
    means = _ATTACK_MEANS[attack]
    if attack is not AttackType.UNKNOWN:
        for weapon in weapons:
            means |= _WEAPON_MEANS.get(WeaponType(weapon), Means(0))
    sides = _TARGET_SIDES[TargetType(target_type)]
    return Kind(int(means), int(sides), _ATTACK_WORDS.get(attack))


def _acled_kind(event_type: str, target: TargetType) -> Kind:
    event, _, sub_event = (part.strip().casefold() for part in event_type.partition(":"))
    means = _ACLED_SUB_EVENTS.get(sub_event) or _ACLED_EVENTS.get(event, ANY_MEANS)
    if event.startswith("battle"):
        sides = _ARMED_SIDES
    elif event == "violence against civilians":
        sides = Side.CIVILIAN
    else:
        sides = _TARGET_SIDES[target]
    word = sub_event or (event if means != ANY_MEANS else None)
    return Kind(int(means), int(sides), word)


def is_two_sided(data: Mapping[str, Any]) -> bool:
    """A fight between two armed sides (ACLED battles, UCDP state-based and
    non-state conflict): the data set does not say which side attacked."""
    origin = data.get("origin") or {}
    event_type = (origin.get("event_type") or "").casefold()
    if origin.get("dataset") == "acled":
        return event_type.startswith("battle")
    return origin.get("dataset") == "ucdp" and event_type in TWO_SIDED


# --- perpetrators --------------------------------------------------------------------

STATE_FORCES = "state forces"

# A group's names in the data sets, as whole words of the folded name, first
# match wins (so the Pakistani Taliban are found before the Taliban).  Facts
# from the data sets' actor lists.
FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Boko Haram", ("boko haram", "jama atu ahlis sunna", "jamaatu ahli is sunnah", "jas")),
    ("Tehrik-i-Taliban Pakistan", ("tehrik i taliban", "tehreek i taliban", "ttp")),
    (
        "Islamic State",
        ("islamic state", "isis", "isil", "daesh", "iskp", "is k", "is kp", "iswap", "iscap"),
    ),
    ("Taliban", ("taliban", "taleban", "islamic emirate of afghanistan")),
    ("Al-Shabaab", ("shabaab", "shabab")),
    ("Al-Qaida", ("al qaida", "al qaeda", "al qa ida", "aqap", "aqim", "aqis", "qaeda", "qaida")),
    ("Communist Party of the Philippines", ("new people s army", "npa", "cpp")),
    ("FARC", ("farc", "revolutionary armed forces of colombia")),
    ("ELN", ("eln", "national liberation army")),
    ("Communist Party of India (Maoist)", ("maoist", "maoists", "cpi maoist", "naxalites")),
    ("Houthis", ("houthi", "houthis", "ansar allah")),
    ("PKK", ("pkk", "kurdistan workers")),
    ("Fulani militias", ("fulani",)),
    ("Baloch Liberation Army", ("baloch liberation army", "balochistan liberation army")),
    (
        STATE_FORCES,
        ("government of", "military forces of", "police forces of", "armed forces of"),
    ),
)
# Names that stand for a family only as a whole ("IS"), not as a word of another.
_WHOLE_NAMES = {"is": "Islamic State"}
_FAMILY_PHRASES = tuple((family, tuple(f" {p} " for p in phrases)) for family, phrases in FAMILIES)
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*")


_ACRONYM = re.compile(r"^[A-Za-z]{2,6}$")


@lru_cache(maxsize=65536)
def family(name: str) -> str:
    """The group a perpetrator's name stands for: a family of ``FAMILIES``, or
    the name itself, folded, without a qualifier such as "(Afghanistan)"."""
    bare = fold(_QUALIFIER.sub(" ", name)) or fold(name)
    padded = f" {fold(name)} "
    for key, phrases in _FAMILY_PHRASES:
        if any(phrase in padded for phrase in phrases):
            return key
    return _WHOLE_NAMES.get(bare, bare)


@lru_cache(maxsize=65536)
def names_of(name: str) -> frozenset[str]:
    """Every key a group's name gives: its family, and the acronym it carries
    in the data sets' habits, "Abu Sayyaf Group (ASG)" or "ASG: Abu Sayyaf
    Group", so that a data set that writes only "ASG" meets it."""
    keys = {family(name)}
    short, colon, rest = name.partition(":")
    if colon and _ACRONYM.match(short.strip()):
        keys |= {fold(short), family(rest)}
    for inner in re.findall(r"\(([^)]*)\)", name):
        if _ACRONYM.match(inner.strip()) and inner.strip().isupper():
            keys.add(fold(inner))
    return frozenset(keys)


def actors_of(data: Mapping[str, Any]) -> tuple[frozenset[str], bool]:
    """The groups a record names as taking part (their keys): its perpetrator
    and claimant, and in a fight between two armed sides the other side too;
    and whether a side of it is unnamed (unknown is compatible with anyone)."""
    perpetrator = data["perpetrator"].get("name")
    names = [perpetrator, (data.get("claim") or {}).get("by")]
    if is_two_sided(data):
        names.append(data.get("target"))
    actors = frozenset(key for name in names if name for key in names_of(name))
    return actors, perpetrator is None
