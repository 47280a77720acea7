"""Attacks of known truth, rendered as GTD, ACLED and UCDP GED would record them.

    python bench/truth.py 20000 -o /tmp/truth     # about 20,000 records per data set

Each synthetic attack (a day, a site, a kind, a group, a toll) is written as
a row under each data set's real header, with that data set's habits and
noise, all invented (no row of the real data sets is used):

- GTD: the day (sometimes a day off, or only the month), the coordinates of
  the town (``specificity`` 1), or of a district or province centroid
  (2 to 4), or none (5); its attack and target type codes; the group's GTD
  name, or "Unknown"; ``nkill`` near the truth, sometimes blank.
- ACLED: the day, or a day of the week (``time_precision`` 2) or of the
  month (3); the town's or a nearby village's coordinates, or a district or
  province centroid (``geo_precision``); its event and sub-event types; the
  group's ACLED name or an unidentified armed group; the lowest figure
  reported as ``fatalities``.
- UCDP GED: only deaths it can attribute to a group; a window of days
  (``date_prec`` 2 to 5); the site, a point within 25 km, a centroid or the
  country (``where_prec``); one-sided violence against civilians, or a fight
  between the government and the group; low, best and high estimates.

Some attacks are missing from each data set.  ``truth.json`` maps every
record (data set and id) to the attack it renders.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.datasets import ACLED_HEADER, GTD_HEADER, UCDP_HEADER  # noqa: E402

# (country, {province: [towns]}), weighted: public place names; the
# coordinates are made up, from a seed, within a rough box of the country.
COUNTRIES: list[tuple[str, tuple[float, float, float, float], dict[str, list[str]], int]] = [
    (
        "Afghanistan",
        (31.0, 62.0, 37.0, 71.0),
        {
            "Kabul": ["Kabul", "Paghman", "Surobi"],
            "Kandahar": ["Kandahar", "Spin Boldak", "Arghandab"],
            "Nangarhar": ["Jalalabad", "Achin", "Khogyani"],
            "Kunduz": ["Kunduz", "Imam Sahib", "Chahar Dara"],
            "Balkh": ["Mazar-i-Sharif", "Balkh", "Chimtal"],
            "Herat": ["Herat", "Shindand", "Guzara"],
            "Helmand": ["Lashkar Gah", "Sangin", "Musa Qala"],
            "Ghazni": ["Ghazni", "Andar", "Qarabagh"],
        },
        24,
    ),
    (
        "Iraq",
        (30.0, 40.0, 36.5, 47.5),
        {
            "Baghdad": ["Baghdad", "Abu Ghraib", "Taji"],
            "Nineveh": ["Mosul", "Tal Afar", "Sinjar"],
            "Anbar": ["Ramadi", "Fallujah", "Hit"],
            "Diyala": ["Baqubah", "Muqdadiyah", "Khanaqin"],
            "Kirkuk": ["Kirkuk", "Hawija"],
            "Saladin": ["Tikrit", "Samarra", "Baiji"],
        },
        20,
    ),
    (
        "Pakistan",
        (25.0, 62.0, 36.0, 75.0),
        {
            "Khyber Pakhtunkhwa": ["Peshawar", "Bannu", "Dera Ismail Khan"],
            "Balochistan": ["Quetta", "Turbat", "Gwadar"],
            "Sindh": ["Karachi", "Hyderabad"],
            "Punjab": ["Lahore", "Rawalpindi"],
        },
        14,
    ),
    (
        "Nigeria",
        (6.0, 4.0, 13.5, 14.0),
        {
            "Borno": ["Maiduguri", "Bama", "Gwoza", "Konduga"],
            "Yobe": ["Damaturu", "Potiskum"],
            "Adamawa": ["Yola", "Mubi", "Madagali"],
        },
        9,
    ),
    (
        "Somalia",
        (-1.0, 42.0, 10.0, 50.0),
        {
            "Banaadir": ["Mogadishu"],
            "Lower Shabelle": ["Merca", "Afgooye", "Wanlaweyn"],
            "Bay": ["Baidoa", "Burhakaba"],
        },
        8,
    ),
    (
        "Syria",
        (32.5, 36.0, 37.0, 42.0),
        {
            "Aleppo": ["Aleppo", "Al-Bab", "Manbij"],
            "Idlib": ["Idlib", "Maarat al-Numan"],
            "Deir ez-Zor": ["Deir ez-Zor", "Al-Mayadin", "Abu Kamal"],
        },
        8,
    ),
    (
        "India",
        (15.0, 72.0, 34.0, 94.0),
        {
            "Jammu and Kashmir": ["Srinagar", "Anantnag", "Baramulla"],
            "Chhattisgarh": ["Raipur", "Dantewada", "Sukma"],
            "Manipur": ["Imphal", "Churachandpur"],
        },
        7,
    ),
    (
        "Philippines",
        (5.0, 119.0, 18.0, 126.0),
        {
            "Maguindanao": ["Cotabato", "Datu Piang"],
            "Sulu": ["Jolo", "Patikul"],
            "Lanao del Sur": ["Marawi"],
        },
        4,
    ),
    (
        "Colombia",
        (0.0, -77.0, 11.0, -70.0),
        {"Antioquia": ["Medellín", "Segovia"], "Cauca": ["Popayán", "Toribío"]},
        3,
    ),
    ("Yemen", (13.0, 43.0, 17.0, 50.0), {"Aden": ["Aden"], "Abyan": ["Zinjibar", "Lawdar"]}, 3),
]

# A group: its name in GTD, in ACLED, in UCDP GED; where it acts.
GROUPS: dict[str, list[tuple[str, str, str]]] = {
    "Afghanistan": [
        ("Taliban", "Taliban", "Taleban"),
        ("Khorasan Chapter of the Islamic State", "Islamic State (Afghanistan)", "IS"),
    ],
    "Iraq": [("Islamic State of Iraq and the Levant (ISIL)", "Islamic State (Iraq)", "IS")],
    "Pakistan": [
        ("Tehrik-i-Taliban Pakistan (TTP)", "TTP: Tehreek-i-Taliban Pakistan", "TTP"),
        ("Baloch Liberation Army (BLA)", "BLA: Balochistan Liberation Army", "BLA"),
    ],
    "Nigeria": [
        (
            "Boko Haram",
            "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
            "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad",
        ),
        ("Fulani extremists", "Fulani Ethnic Militia (Nigeria)", "Fulani"),
    ],
    "Somalia": [("Al-Shabaab", "Al Shabaab", "Al-Shabaab")],
    "Syria": [("Islamic State of Iraq and the Levant (ISIL)", "Islamic State (Syria)", "IS")],
    "India": [
        ("Maoists", "CPI (Maoist): Communist Party of India (Maoist)", "CPI-Maoist"),
        ("Hizbul Mujahideen (HM)", "Hizbul Mujahideen", "Hizbul Mujahideen"),
    ],
    "Philippines": [
        ("New People's Army (NPA)", "NPA: New People's Army", "CPP"),
        ("Abu Sayyaf Group (ASG)", "Abu Sayyaf Group", "ASG"),
    ],
    "Colombia": [
        ("National Liberation Army of Colombia (ELN)", "ELN: National Liberation Army", "ELN")
    ],
    "Yemen": [
        (
            "Al-Qaida in the Arabian Peninsula (AQAP)",
            "AQAP: Al Qaeda in the Arabian Peninsula",
            "AQAP",
        )
    ],
}

KINDS = ("bombing", "armed", "kidnapping", "facility", "unarmed")
KIND_WEIGHTS = (50, 34, 7, 6, 3)
SIDES = ("civilian", "state", "nonstate")
SIDE_WEIGHTS = (55, 38, 7)
SITES = {
    "civilian": ["mosque", "market", "school", "wedding", "bus", "shrine", "hotel", "village"],
    "state": ["checkpoint", "convoy", "police station", "army post", "government office"],
    "nonstate": ["militia post", "camp"],
}
FIRST_DAY = date(2000, 1, 1)
DAYS = (date(2021, 12, 31) - FIRST_DAY).days + 1
KM_PER_DEGREE = 111.2


@dataclass
class Place:
    country: str
    province: str
    town: str
    lat: float
    lon: float
    district: tuple[float, float]  # the town's district's centroid
    province_centroid: tuple[float, float]


@dataclass
class Attack:
    number: int
    day: date
    place: Place
    lat: float  # the site itself
    lon: float
    kind: str
    side: str
    site: str
    group: tuple[str, str, str] | None
    killed: int
    wounded: int


def _offset(
    rng: random.Random, lat: float, lon: float, km: float, most: float = math.inf
) -> tuple[float, float]:
    """A point about ``km`` (at most ``most``) from (lat, lon), in a random direction."""
    angle, distance = rng.uniform(0, 2 * math.pi), min(most, abs(rng.gauss(0, km)))
    dlat = distance * math.cos(angle) / KM_PER_DEGREE
    dlon = distance * math.sin(angle) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def geography(rng: random.Random) -> list[tuple[list[Place], int]]:
    """Each country's towns (with made-up coordinates) and its weight."""
    world = []
    for country, (south, west, north, east), provinces, weight in COUNTRIES:
        places = []
        for province, towns in provinces.items():
            centre = (rng.uniform(south + 1, north - 1), rng.uniform(west + 1, east - 1))
            for town in towns:
                lat, lon = _offset(rng, *centre, 50)
                district = _offset(rng, lat, lon, 12)
                places.append(Place(country, province, town, lat, lon, district, centre))
        world.append((places, weight))
    return world


def attacks(count: int, seed: int, days: int = DAYS) -> Iterator[Attack]:
    """``count`` attacks over the first ``days`` days from 2000 (the density of
    attacks, and so how hard matching is, grows as ``days`` shrinks)."""
    rng = random.Random(seed)
    world = geography(rng)
    weights = [w for _, w in world]
    for number in range(count):
        places = rng.choices(world, weights)[0][0]
        # The first town of each province is its capital: more attacks there.
        place = rng.choices(places, [3 if p.town == places[0].town else 1 for p in places])[0]
        rural = rng.random() < 0.3
        lat, lon = _offset(rng, place.lat, place.lon, 8 if rural else 2.5)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        # Kidnappings, arson and beatings: of civilians, as ACLED codes them.
        side = rng.choices(SIDES, SIDE_WEIGHTS)[0] if kind in ("bombing", "armed") else "civilian"
        groups = GROUPS[place.country]
        killed = 0 if rng.random() < 0.25 else max(1, int(rng.expovariate(1 / 6)))
        yield Attack(
            number=number,
            day=FIRST_DAY + timedelta(days=rng.randrange(days)),
            place=place,
            lat=lat,
            lon=lon,
            kind=kind,
            side=side,
            site=rng.choice(SITES[side]),
            group=rng.choice(groups) if rng.random() < 0.85 else None,
            killed=killed,
            wounded=0 if rng.random() < 0.3 else int(rng.expovariate(1 / 10)),
        )


def _near(rng: random.Random, truth: int, spread: float) -> int:
    """A count as another source gives it: mostly the same, sometimes off."""
    if rng.random() < 0.7 or truth == 0:
        return truth
    return max(0, round(truth * rng.uniform(1 - spread, 1 + spread)))


def _shifted(rng: random.Random, day: date) -> date:
    """A day as a data set records it: now and then a day off."""
    roll = rng.random()
    return day + timedelta(days=(-1 if roll < 0.03 else 1 if roll < 0.07 else 0))


# --- GTD ---------------------------------------------------------------------------

_GTD_ATTACK = {"bombing": 3, "armed": 2, "kidnapping": 6, "facility": 7, "unarmed": 8}
_GTD_TARGET = {"civilian": (14, 15, 8, 1), "state": (3, 4, 2), "nonstate": (17,)}
_GTD_WEAPON = {"bombing": 6, "armed": 5, "kidnapping": 5, "facility": 8, "unarmed": 9}


def gtd_row(rng: random.Random, attack: Attack, record: int) -> dict[str, str]:
    day = _shifted(rng, attack.day)
    month, mday = day.month, day.day
    roll = rng.random()
    if roll < 0.02:
        mday = 0
    elif roll < 0.025:
        month = mday = 0
    place = attack.place
    specificity = rng.choices((1, 2, 3, 4, 5), (80, 8, 6, 5, 1))[0]
    lat, lon = {
        1: (place.lat, place.lon),
        2: place.district,
        3: place.district,
        4: place.province_centroid,
    }.get(specificity, ("", ""))
    attack_code = 9 if rng.random() < 0.04 else _GTD_ATTACK[attack.kind]
    if attack.kind == "armed" and rng.random() < 0.15:
        attack_code = 1  # an assassination
    named = attack.group is not None and rng.random() < 0.8
    site = attack.site if rng.random() < 0.7 else "civilians"
    return {
        "eventid": f"{day.year}{month:02d}{mday:02d}{record:07d}",
        "iyear": str(day.year),
        "imonth": str(month),
        "iday": str(mday),
        "country_txt": place.country,
        "provstate": place.province,
        "city": place.town if specificity < 4 else "Unknown",
        "latitude": str(lat),
        "longitude": str(lon),
        "specificity": str(specificity),
        "summary": f"Assailants attacked a {site} in {place.town}, {place.province}.",
        "attacktype1": str(attack_code),
        "targtype1": str(rng.choice(_GTD_TARGET[attack.side])),
        "target1": site.capitalize(),
        "gname": attack.group[0] if named and attack.group else "Unknown",
        "guncertain1": "1" if rng.random() < 0.1 else "0",
        "weaptype1": str(_GTD_WEAPON[attack.kind]),
        "nkill": "" if rng.random() < 0.05 else str(_near(rng, attack.killed, 0.3)),
        "nwound": "" if rng.random() < 0.15 else str(_near(rng, attack.wounded, 0.4)),
        "scite1": f"Invented report of attack {attack.number}, Example Wire.",
    }


# --- ACLED -------------------------------------------------------------------------

_ACLED_EVENTS = {
    "bombing": [
        ("Explosions/Remote violence", "Suicide bomb"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Explosions/Remote violence", "Grenade"),
    ],
    "armed": [("Violence against civilians", "Attack")],
    "kidnapping": [("Violence against civilians", "Abduction/forced disappearance")],
    "facility": [("Strategic developments", "Looting/property destruction")],
    "unarmed": [("Riots", "Mob violence")],
}
_ACLED_TARGETS = {
    "civilian": ("Civilians ({country})", "Civilians"),
    "state": ("Military Forces of {country}", "State forces"),
    "nonstate": ("Unidentified Armed Group ({country})", "Rebel group"),
}


def acled_row(rng: random.Random, attack: Attack, record: int) -> dict[str, str]:
    place = attack.place
    precision = rng.choices((1, 2, 3), (90, 8, 2))[0]
    day = _shifted(rng, attack.day)
    if precision == 2:
        day = attack.day + timedelta(days=rng.randint(-3, 3))  # the middle of the week
    elif precision == 3:
        day = day.replace(day=rng.randint(1, calendar.monthrange(day.year, day.month)[1]))
    geo = rng.choices((1, 2, 3), (75, 20, 5))[0]
    location, (lat, lon) = place.town, (place.lat, place.lon)
    if geo == 1 and rng.random() < 0.2:  # a village near the town, by its own name
        location, (lat, lon) = f"{place.town} Kalay", (attack.lat, attack.lon)
    elif geo == 2:
        lat, lon = place.district
    elif geo == 3:
        location, (lat, lon) = place.province, place.province_centroid
    event, sub_event = rng.choice(_ACLED_EVENTS[attack.kind])
    if attack.kind == "armed" and attack.side != "civilian":
        event, sub_event = "Battles", "Armed clash"
    named = attack.group is not None and rng.random() < 0.75
    actor2, inter2 = _ACLED_TARGETS[attack.side]
    site = attack.site if rng.random() < 0.6 else "area"
    return {
        "event_id_cnty": f"X{record}",
        "event_date": day.isoformat(),
        "year": str(day.year),
        "time_precision": str(precision),
        "event_type": event,
        "sub_event_type": sub_event,
        "actor1": attack.group[1]
        if named and attack.group
        else f"Unidentified Armed Group ({place.country})",
        "actor2": actor2.format(country=place.country),
        "inter2": inter2,
        "country": place.country,
        "admin1": place.province,
        "admin2": place.town,
        "location": location,
        "latitude": str(lat),
        "longitude": str(lon),
        "geo_precision": str(geo),
        "notes": f"On {day.isoformat()}, an attack on a {site} near {location}.",
        "fatalities": str(max(0, _near(rng, attack.killed, 0.3) - (rng.random() < 0.2))),
    }


# --- UCDP GED ------------------------------------------------------------------------


def ucdp_row(rng: random.Random, attack: Attack, record: int) -> dict[str, str]:
    assert attack.group is not None
    place = attack.place
    precision = rng.choices((1, 2, 3, 4, 5), (75, 14, 2, 7, 2))[0]
    first = last = _shifted(rng, attack.day)
    if precision in (2, 3):
        width = rng.randint(2, 6) if precision == 2 else 7
        first = attack.day - timedelta(days=rng.randrange(width))
        last = first + timedelta(days=width - 1)
    elif precision == 4:
        first = attack.day.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    elif precision == 5:
        first, last = date(attack.day.year, 1, 1), date(attack.day.year, 12, 31)
    where = rng.choices((1, 2, 3, 4, 6), (60, 20, 10, 6, 4))[0]
    lat, lon = {
        1: (attack.lat, attack.lon),
        2: _offset(rng, attack.lat, attack.lon, 10, most=25),
        3: place.district,
        4: place.province_centroid,
        6: place.province_centroid,  # a country's centroid, as far as matching cares
    }[where]
    best = _near(rng, attack.killed, 0.3)
    low = max(1, best - int(rng.random() < 0.3) * rng.randint(0, best))
    one_sided = attack.side == "civilian"
    site = attack.site if rng.random() < 0.3 else "town"
    government = f"Government of {place.country}"
    return {
        "id": str(record),
        "year": str(first.year),
        "type_of_violence": "3" if one_sided else "1",
        "side_a": attack.group[2] if one_sided else government,
        "side_b": "Civilians" if one_sided else attack.group[2],
        "where_prec": str(where),
        "where_description": f"{site}, {place.town}",
        "adm_1": f"{place.province} province",
        "adm_2": f"{place.town} district",
        "latitude": str(lat),
        "longitude": str(lon),
        "country": place.country,
        "event_clarity": "1",
        "date_prec": str(precision),
        "date_start": first.isoformat(),
        "date_end": last.isoformat(),
        "best": str(max(best, low)),
        "low": str(low),
        "high": str(max(best, low) + rng.randint(0, 3)),
    }


RENDERERS = {
    "gtd": (GTD_HEADER, gtd_row),
    "acled": (ACLED_HEADER, acled_row),
    "ucdp": (UCDP_HEADER, ucdp_row),
}
# Each data set records this share of the attacks (of those UCDP can attribute).
COVERAGE = {"gtd": 0.625, "acled": 0.625, "ucdp": 0.92}


def write(
    records: int, directory: Path, seed: int = 20190619, days: int = DAYS
) -> dict[str, dict[str, int]]:
    """About ``records`` rows per data set, in ``directory``/{gtd,acled,ucdp}.csv;
    returns (and writes to truth.json) the attack of each record."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    count = round(records / COVERAGE["gtd"])
    truth: dict[str, dict[str, int]] = {name: {} for name in RENDERERS}
    files = {
        name: (directory / f"{name}.csv").open("w", newline="", encoding="utf-8")
        for name in RENDERERS
    }
    writers = {name: csv.writer(stream) for name, stream in files.items()}
    for name, (header, _) in RENDERERS.items():
        writers[name].writerow(header)
    numbers = dict.fromkeys(RENDERERS, 0)
    try:
        for attack in attacks(count, seed, days):
            for name, (header, render) in RENDERERS.items():
                if name == "ucdp" and (attack.group is None or attack.killed == 0):
                    continue  # UCDP GED: deaths it can attribute to an organised group
                if rng.random() >= COVERAGE[name]:
                    continue
                numbers[name] += 1
                row = render(rng, attack, numbers[name])
                key = row.get("eventid") or row.get("event_id_cnty") or row["id"]
                truth[name][key] = attack.number
                writers[name].writerow([row.get(column, "") for column in header])
    finally:
        for stream in files.values():
            stream.close()
    (directory / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int, help="about this many records per data set")
    parser.add_argument("-o", "--output", type=Path, required=True, help="a directory")
    parser.add_argument("--days", type=int, default=DAYS, help="over this many days from 2000")
    args = parser.parse_args()
    truth = write(args.records, args.output, days=args.days)
    counts = ", ".join(f"{name} {len(found):,}" for name, found in truth.items())
    print(f"wrote {counts} records to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
