"""Generate a synthetic incident store of any size, with the project's own model.

    python bench/generate.py 200000 -o /tmp/store-200k.json

Every incident is built and validated as an ``Incident`` and written in the
store's own layout, streaming, so that millions fit in little memory.  The
mix (countries, partial dates, unknown and bounded counts, perpetrators,
text) is random with a fixed seed: the same count gives the same file.

``--real-text`` gives text of the lengths real GTD rows have, instead of
one short sentence: measured on the first 1,209 rows of GTD's 0718 release
(a public extract), the summary is filled in 45% of rows with a mean of
270 characters (median 253), the citations ``scite1..3`` in 45%, 38% and
24% with means of 122, 101 and 112, ``addnotes`` in 36% (mean 271),
``motive`` in 30% (57), ``propcomment`` in 28% (50), ``target1`` in 98%
(30), ``corp1`` in 63% (21).  Later GTD years fill the summary in almost
every row, so the generator fills it in 90% of rows and the first citation
in every row: the text a store of recent GTD rows holds.
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
# Words for invented prose: lengths and spread, not meaning, are what matter.
PROSE_WORDS = (  # noqa: SIM905  (a sentence reads better than a list)
    "assailants attacked opened fire on detonated an explosive device near the checkpoint in "
    "district province village market convoy police officers soldiers civilians were killed "
    "and wounded in the attack no group claimed responsibility although sources attributed "
    "it to militants the victims included a local official two children and a guard the "
    "device was planted on a motorcycle parked outside the building which was damaged "
    "authorities said the gunmen fled after a firefight with security forces who arrested "
    "three suspects later that week reports differ on the number of casualties"
).split()
PUBLISHERS = ("Associated Press", "Agence France Presse", "BBC Monitoring", "Reuters", "Dawn")


def prose(rng: random.Random, mean: int) -> str:
    """Invented text whose length varies around ``mean`` characters."""
    wanted = max(20, int(rng.gauss(mean, mean * 0.45)))
    words: list[str] = []
    length = 0
    while length < wanted:
        word = rng.choice(PROSE_WORDS)
        words.append(word)
        length += len(word) + 1
    return (" ".join(words)).capitalize() + "."


def citation(rng: random.Random, mean: int, year: int) -> str:
    """A citation shaped like GTD's: publisher, title, date."""
    title = prose(rng, max(20, mean - 45)).rstrip(".")
    return f'{rng.choice(PUBLISHERS)}, "{title}," {rng.choice(PUBLISHERS)}, June 3, {year}.'


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


def incident(rng: random.Random, number: int, real_text: bool = False) -> Incident:
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
    if real_text:
        data["summary"] = f"{date}: " + prose(rng, 270)
        data["sources"] = [
            {"publisher": rng.choice(PUBLISHERS), "date": date, "title": prose(rng, mean)}
            for mean, share in ((122, 1.0), (101, 0.85), (112, 0.55))
            if rng.random() < share
        ]
        if rng.random() < 0.36:
            data["notes"] = prose(rng, 271)
    return Incident.model_validate(data, strict=False)


def incidents(total: int, seed: int = 20221205, real_text: bool = False) -> Iterator[Incident]:
    rng = random.Random(seed)
    for number in range(total):
        yield incident(rng, number, real_text)


def write_store(total: int, path: Path, real_text: bool = False) -> None:
    """Write in exactly the layout of ``store.dump_store``, one incident at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "incidents": [')
        for number, item in enumerate(incidents(total, real_text=real_text)):
            text = json.dumps(
                item.model_dump(mode="json", exclude_defaults=True), indent=2, ensure_ascii=False
            )
            out.write(("," if number else "") + "\n    " + text.replace("\n", "\n    "))
        out.write("\n  ]\n}\n" if total else "]\n}\n")


def write_gtd_csv(total: int, path: Path, seed: int = 20221205, real_text: bool = False) -> None:
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
            if real_text:
                row.update(real_gtd_text(rng, year))
            writer.writerow([row[column] for column in GTD_HEADER])


def real_gtd_text(rng: random.Random, year: int) -> dict[str, str]:
    """GTD's text columns at the lengths and fill rates of real rows (module docstring)."""
    filled = {
        "summary": (0.9, 270),
        "addnotes": (0.36, 271),
        "motive": (0.3, 57),
        "propcomment": (0.28, 50),
        "corp1": (0.63, 21),
    }
    cells = {
        column: prose(rng, mean) if rng.random() < share else ""
        for column, (share, mean) in filled.items()
    }
    cells["target1"] = prose(rng, 30)
    # The coded columns real rows fill beside the text (labels of GTD's codebook).
    cells.update(
        region="6",
        region_txt="South Asia",
        success="1",
        suicide="0",
        vicinity="0",
        crit1="1",
        crit2="1",
        crit3="1",
        doubtterr="0",
        multiple="0",
        attacktype1_txt="Bombing/Explosion",
        targtype1_txt="Private Citizens & Property",
        targsubtype1="67",
        targsubtype1_txt="Unnamed Civilian/Unspecified",
        natlty1="4",
        natlty1_txt="Afghanistan",
        weaptype1_txt="Explosives",
        weapsubtype1="16",
        weapsubtype1_txt="Unknown Explosive Type",
        weapdetail=prose(rng, 21),
        property="1",
        propextent="4",
        propextent_txt="Minor (likely < $1 million)",
        ishostkid="0",
        dbsource=rng.choice(["START Primary Collection", "CETIS", "ISVG", "PGIS"]),
        INT_LOG="0",
        INT_IDEO="0",
        INT_MISC="0",
        INT_ANY="0",
    )
    for number, (share, mean) in enumerate(((1.0, 122), (0.85, 101), (0.55, 112)), 1):
        cells[f"scite{number}"] = citation(rng, mean, year) if rng.random() < share else ""
    return cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--gtd-csv", action="store_true", help="write a GTD-shaped CSV instead")
    parser.add_argument(
        "--real-text", action="store_true", help="text of real GTD lengths (see above)"
    )
    args = parser.parse_args(argv)
    if args.gtd_csv:
        write_gtd_csv(args.count, args.output, real_text=args.real_text)
    else:
        write_store(args.count, args.output, real_text=args.real_text)
    print(f"wrote {args.count} incidents to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
