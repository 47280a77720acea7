"""Generate a synthetic incident store of any size, with the project's own model.

    python bench/generate.py 200000 -o /tmp/store-200k.json

Every incident is built and validated as an ``Incident`` and written in the
store's own layout, streaming, so that millions fit in little memory.  The
mix (countries, partial dates, unknown and bounded counts, perpetrators,
text) is random with a fixed seed: the same count gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from incidents.dates import PartialDate
from incidents.model import AttackType, Attribution, Incident, TargetType, WeaponType

# (country, rough bounding box, {province: [cities]}); public place names.
PLACES: list[tuple[str, tuple[float, float, float, float], dict[str, list[str]]]] = [
    (
        "Afghanistan",
        (29.4, 60.5, 38.5, 74.9),
        {
            "Kabul": ["Kabul"],
            "Kandahar": ["Kandahar", "Spin Boldak"],
            "Nangarhar": ["Jalalabad"],
            "Kunduz": ["Kunduz", "Imam Sahib"],
            "Balkh": ["Mazar-i-Sharif"],
            "Herat": ["Herat"],
            "Helmand": ["Lashkar Gah"],
        },
    ),
    (
        "Iraq",
        (29.0, 38.8, 37.4, 48.6),
        {
            "Baghdad": ["Baghdad"],
            "Nineveh": ["Mosul", "Tal Afar"],
            "Anbar": ["Ramadi", "Fallujah"],
            "Diyala": ["Baqubah"],
            "Kirkuk": ["Kirkuk"],
            "Saladin": ["Tikrit", "Samarra"],
        },
    ),
    (
        "Pakistan",
        (23.6, 60.9, 37.1, 77.8),
        {
            "Khyber Pakhtunkhwa": ["Peshawar", "Bannu"],
            "Balochistan": ["Quetta"],
            "Sindh": ["Karachi"],
            "Punjab": ["Lahore"],
        },
    ),
    (
        "Nigeria",
        (4.2, 2.7, 13.9, 14.7),
        {
            "Borno": ["Maiduguri", "Bama"],
            "Yobe": ["Damaturu"],
            "Adamawa": ["Yola"],
        },
    ),
    (
        "Somalia",
        (-1.7, 41.0, 12.0, 51.4),
        {
            "Banaadir": ["Mogadishu"],
            "Lower Shabelle": ["Merca"],
            "Bay": ["Baidoa"],
        },
    ),
    (
        "Syria",
        (32.3, 35.7, 37.3, 42.4),
        {
            "Aleppo": ["Aleppo"],
            "Idlib": ["Idlib"],
            "Deir ez-Zor": ["Deir ez-Zor"],
            "Damascus": ["Damascus"],
        },
    ),
    (
        "India",
        (6.7, 68.1, 35.5, 97.4),
        {
            "Jammu and Kashmir": ["Srinagar"],
            "Chhattisgarh": ["Raipur"],
            "Manipur": ["Imphal"],
        },
    ),
    (
        "Philippines",
        (4.6, 116.9, 21.1, 126.6),
        {
            "Maguindanao": ["Cotabato"],
            "Sulu": ["Jolo"],
            "Lanao del Sur": ["Marawi"],
        },
    ),
    (
        "Colombia",
        (-4.2, -79.0, 12.5, -66.9),
        {
            "Antioquia": ["Medellín"],
            "Cauca": ["Popayán"],
            "Norte de Santander": ["Cúcuta"],
        },
    ),
    (
        "Yemen",
        (12.1, 42.5, 19.0, 53.1),
        {
            "Aden": ["Aden"],
            "Abyan": ["Zinjibar"],
            "Sana'a": ["Sana'a"],
        },
    ),
]
COUNTRY_WEIGHTS = [24, 20, 14, 9, 8, 8, 7, 4, 4, 2]
PERPETRATORS = [
    "Taliban",
    "Islamic State of Iraq and the Levant (ISIL)",
    "Al-Shabaab",
    "Boko Haram",
    "Islamic State Khorasan Province",
    "Tehrik-i-Taliban Pakistan (TTP)",
    "New People's Army (NPA)",
    "Revolutionary Armed Forces of Colombia (FARC)",
    "Al-Qaida in the Arabian Peninsula (AQAP)",
    "Maoists",
]
TARGET_WEIGHTS = [8, 12, 14, 13, 0, 1, 2, 3, 0, 1, 0, 1, 1, 28, 4, 1, 3, 0, 3, 2, 2, 1]
ATTACK_WEIGHTS = [9, 24, 48, 0, 1, 7, 6, 1, 4]
TARGET_WORDS = [
    "checkpoint",
    "market",
    "mosque",
    "school",
    "convoy",
    "police station",
    "village",
    "government office",
    "bus",
    "shrine",
    "wedding",
    "patrol",
]


def count(rng: random.Random, scale: float) -> Any:
    roll = rng.random()
    if roll < 0.22:
        return None
    figure = int(rng.expovariate(1 / scale)) + (1 if roll < 0.27 else 0)
    if roll < 0.27:
        return {"min": figure}
    if roll < 0.31:
        return {"min": figure, "max": figure + rng.randint(1, 20)}
    return figure


def incident(rng: random.Random, number: int) -> Incident:
    country, (south, west, north, east), provinces = rng.choices(PLACES, COUNTRY_WEIGHTS)[0]
    province = rng.choice(list(provinces))
    city = rng.choice(provinces[province])
    year = rng.randint(1970, 2021)
    roll = rng.random()
    month = None if roll < 0.04 else rng.randint(1, 12)
    day = None if month is None or roll < 0.12 else rng.randint(1, 28)
    date = PartialDate(year, month, day)
    named = rng.random() < 0.6
    attribution = (
        Attribution.UNKNOWN
        if not named
        else Attribution.SUSPECTED
        if rng.random() < 0.2
        else Attribution.CLAIMED
    )
    target_type = rng.choices(list(TargetType), TARGET_WEIGHTS)[0]
    attack_type = rng.choices(list(AttackType), ATTACK_WEIGHTS)[0]
    weapon = {
        AttackType.BOMBING: WeaponType.EXPLOSIVES,
        AttackType.ARMED_ASSAULT: WeaponType.FIREARMS,
        AttackType.ASSASSINATION: WeaponType.FIREARMS,
        AttackType.FACILITY: WeaponType.INCENDIARY,
    }.get(attack_type, WeaponType.UNKNOWN)
    word = rng.choice(TARGET_WORDS)
    data: dict[str, Any] = {
        "id": f"syn-{number:07d}",
        "date": date,
        "location": {
            "country": country,
            "province": province,
            "city": city,
            "coordinates": {
                "lat": round(rng.uniform(south, north), 4),
                "lon": round(rng.uniform(west, east), 4),
                "precision": "city",
            }
            if rng.random() < 0.9
            else None,
        },
        "perpetrator": {
            "name": rng.choice(PERPETRATORS) if named else None,
            "attribution": attribution,
        },
        "attack_type": attack_type,
        "target_type": target_type,
        "target": f"{word.capitalize()} in {city}",
        "weapon_types": [weapon],
        "killed": count(rng, 4),
        "wounded": count(rng, 7),
        "summary": (
            f"{date}: assailants attacked a {word} in {city}, {province}, {country}. "
            f"Incident number {number} of a synthetic data set for benchmarks."
        ),
        "sources": [{"publisher": rng.choice(["Wire A", "Daily B", "Radio C"]), "date": date}],
    }
    return Incident.model_validate(data, strict=False)


def incidents(total: int, seed: int = 20221205) -> Iterator[Incident]:
    rng = random.Random(seed)
    for number in range(total):
        yield incident(rng, number)


def write_store(total: int, path: Path) -> None:
    """Write in exactly the layout of ``store.dump_store``, one incident at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "incidents": [')
        for number, item in enumerate(incidents(total)):
            text = json.dumps(
                item.model_dump(mode="json", exclude_defaults=True), indent=2, ensure_ascii=False
            )
            out.write(("," if number else "") + "\n    " + text.replace("\n", "\n    "))
        out.write("\n  ]\n}\n" if total else "]\n}\n")


def write_gtd_csv(total: int, path: Path, seed: int = 20221205) -> None:
    """A GTD-shaped CSV (GTD's full header) of invented rows, for import benchmarks."""
    import csv

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fixtures.datasets import GTD_HEADER

    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(GTD_HEADER)
        blank = dict.fromkeys(GTD_HEADER, "")
        for number in range(total):
            country, (south, west, north, east), provinces = rng.choices(PLACES, COUNTRY_WEIGHTS)[0]
            province = rng.choice(list(provinces))
            year, month = rng.randint(1970, 2021), rng.choice([0, *range(1, 13)])
            day = 0 if month == 0 else rng.randint(0, 28)
            row = dict(blank)
            row.update(
                eventid=f"{year}{month:02d}{day:02d}{number:07d}",
                iyear=year,
                imonth=month,
                iday=day,
                country_txt=country,
                provstate=province,
                city=rng.choice(provinces[province]),
                latitude=f"{rng.uniform(south, north):.5f}",
                longitude=f"{rng.uniform(west, east):.5f}",
                specificity=rng.randint(1, 5),
                summary=f'{year}: an invented attack, number {number}, with "quotes", and commas.',
                attacktype1=rng.choices(range(1, 10), ATTACK_WEIGHTS)[0],
                targtype1=rng.choices(range(1, 23), TARGET_WEIGHTS)[0],
                target1=f"{rng.choice(TARGET_WORDS).capitalize()}",
                gname=rng.choice(["Unknown", "Unknown", *PERPETRATORS]),
                guncertain1=rng.randint(0, 1),
                claimed=rng.choice([0, 1, -9]),
                weaptype1=rng.randint(1, 13),
                nkill=rng.choice(["", 0, 1, 2, 5, 12, 40]),
                nwound=rng.choice(["", 0, 3, 7, 25]),
                scite1=f"Invented report {number}, Example Wire.",
            )
            writer.writerow([row[column] for column in GTD_HEADER])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--gtd-csv", action="store_true", help="write a GTD-shaped CSV instead")
    args = parser.parse_args(argv)
    if args.gtd_csv:
        write_gtd_csv(args.count, args.output)
    else:
        write_store(args.count, args.output)
    print(f"wrote {args.count} incidents to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
