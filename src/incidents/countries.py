"""Country names and their ISO 3166 alpha-3 codes.

The codes and names come from pycountry (the Debian iso-codes data: ISO
3166-1 for today's countries, ISO 3166-3 for those withdrawn).  What the
library cannot know is how the data sets write a country; those spellings
are facts of usage, listed here:

- a state that was only renamed takes today's code, so that one query finds
  it under both names: Zaire is COD, Burma MMR, Rhodesia ZWE;
- a state that split up or was absorbed keeps its ISO 3166-3 code: the
  Soviet Union is SUN, Yugoslavia YUG, Czechoslovakia CSK, East Germany DDR,
  South Yemen YMD; the half that went on under its own code keeps it: West
  Germany is DEU, North Yemen YEM, South Vietnam VNM;
- UCDP writes today's name with the former one in brackets, "DR Congo
  (Zaire)": a name not known as a whole is looked up without its brackets;
- Kosovo has no ISO code; XKX, the user-assigned code the European Union and
  the IMF use for it, stands in.

The store keeps each name as its source wrote it; the code is added beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from incidents.vocabulary import place_key

# ISO 3166-3 codes of states that were renamed, not dissolved: today's code.
_RENAMED = {
    "AFI": "DJI",  # French Afars and Issas: Djibouti
    "BUR": "MMR",  # Burma: Myanmar
    "BYS": "BLR",  # Byelorussian SSR: Belarus
    "DHY": "BEN",  # Dahomey: Benin
    "HVO": "BFA",  # Upper Volta: Burkina Faso
    "NHB": "VUT",  # New Hebrides: Vanuatu
    "RHO": "ZWE",  # Southern Rhodesia: Zimbabwe
    "TMP": "TLS",  # East Timor: Timor-Leste
    "ZAR": "COD",  # Zaire: Democratic Republic of the Congo
}

# Spellings of GTD, ACLED, UCDP and the news that ISO's names do not cover.
_DATASET_NAMES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE",),
    "BES": ("Caribbean Netherlands", "Bonaire"),
    "BFA": ("Upper Volta",),
    "BIH": ("Bosnia-Herzegovina",),
    "BRN": ("Brunei",),
    "CIV": ("Ivory Coast",),
    "COD": (
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "DR Congo",
        "DRC",
        "Congo (Kinshasa)",
        "Congo-Kinshasa",
        "Zaire",
    ),
    "COG": ("Republic of Congo", "Congo (Brazzaville)", "People's Republic of the Congo"),
    "CPV": ("Cape Verde",),
    "CSK": ("Czechoslovakia",),
    "DDR": ("East Germany", "East Germany (GDR)"),
    "DEU": ("West Germany", "West Germany (FRG)"),
    "FLK": ("Falkland Islands",),
    "FRA": ("Corsica",),
    "FSM": ("Micronesia",),
    "GBR": ("Great Britain", "Britain", "UK", "Northern Ireland"),
    "KHM": ("Kampuchea",),
    "KNA": ("St. Kitts and Nevis",),
    "LCA": ("St. Lucia",),
    "MAC": ("Macau",),
    "MDG": ("Malagasy Republic",),
    "MKD": ("Macedonia", "Macedonia, FYR", "FYR Macedonia"),
    "MMR": ("Burma",),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "West Bank and Gaza Strip",
        "Palestinian Territories",
    ),
    "RUS": ("Russia",),
    "SCG": ("Serbia-Montenegro",),
    "SUN": ("Soviet Union", "USSR"),
    "SWZ": ("Swaziland",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey",),
    "USA": ("USA", "US"),
    "VAT": ("Vatican City", "Vatican"),
    "VCT": ("St. Vincent and the Grenadines",),
    "VDR": ("North Vietnam",),
    "VIR": ("Virgin Islands (U.S.)",),
    "VNM": ("South Vietnam",),
    "XKX": ("Kosovo",),
    "YEM": ("North Yemen",),
    "YMD": ("South Yemen",),
    "YUG": ("Yugoslavia",),
    "ZWE": ("Rhodesia",),
}

# "DR Congo (Zaire)": a name, and a former one in brackets.
_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\([^()]*\)\s*$")
_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class _Table:
    codes: dict[str, str]  # place key of a name: its code
    spellings: dict[str, str]  # place key of a name: the name as written
    known_codes: frozenset[str]


@cache
def _table() -> _Table:
    codes: dict[str, str] = {}
    spellings: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        key = place_key(name)
        codes.setdefault(key, code)
        spellings.setdefault(key, name)

    # Names of the data sets first: they decide where ISO's old names differ
    # (ISO's "East Timor" is TMP, withdrawn when it became Timor-Leste).
    for code, names in _DATASET_NAMES.items():
        for name in names:
            add(name, code)
    existing, withdrawn = _iso_records()
    for country in existing:
        # The common name first: the one suggestions should show.
        for field in ("common_name", "name", "official_name"):
            spelling = country.get(field)
            if spelling:
                add(spelling, country["alpha_3"])
    historic = {country["alpha_3"]: country["name"] for country in withdrawn}
    for code, name in historic.items():
        add(name, _RENAMED.get(code, code))
    known = frozenset(codes.values()) | frozenset(historic)
    return _Table(codes, spellings, known)


Records = list[dict[str, str]]


def _iso_records() -> tuple[Records, Records]:
    """ISO 3166-1 and 3166-3 as pycountry holds them, in its order.  Its data
    files are read as they are: importing pycountry itself (its indexes, its
    version looked up in the package metadata) would take a question more
    time than the question."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pycountry")
    folders = spec.submodule_search_locations if spec else None
    if folders:
        databases = Path(next(iter(folders))) / "databases"
        try:
            records = [
                json.loads((databases / f"iso{part}.json").read_text(encoding="utf-8"))[part]
                for part in ("3166-1", "3166-3")
            ]
            return records[0], records[1]
        except (OSError, ValueError, KeyError):
            pass  # laid out otherwise: asked through its API
    return _iso_records_of_pycountry()


def _iso_records_of_pycountry() -> tuple[Records, Records]:
    import pycountry

    fields = ("alpha_3", "name", "common_name", "official_name")

    def records(countries: Any) -> Records:
        return [
            {field: str(getattr(c, field)) for field in fields if getattr(c, field, None)}
            for c in countries
        ]

    return records(pycountry.countries), records(pycountry.historic_countries)


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """The ISO alpha-3 code of a country by any usual name, or None if not known."""
    table = _table()
    code = table.codes.get(place_key(name))
    if code is None and (bracketed := _BRACKETED.match(name)):
        code = table.codes.get(place_key(bracketed["name"]))
    return code


def is_country_code(text: str) -> bool:
    """Whether the text is an alpha-3 code, in capitals, of a country known to ISO
    3166-1 or 3166-3 (or Kosovo's XKX)."""
    return bool(_CODE.match(text)) and text in _table().known_codes


def closest_countries(name: str, count: int = 3) -> list[str]:
    """The known country names closest to a misspelt one, closest first."""
    import difflib

    table = _table()
    if is_country_code(name.upper()):  # a code given for a name: the code's name
        return [next(table.spellings[k] for k, code in table.codes.items() if code == name.upper())]
    close = difflib.get_close_matches(place_key(name), list(table.spellings), n=count, cutoff=0.75)
    return [table.spellings[key] for key in close]


@lru_cache(maxsize=1024)
def unknown_country(name: str) -> str | None:
    """What is wrong with a name given as a country, or None when it is one."""
    if country_code(name) is not None:
        return None
    close = closest_countries(name)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"{name!r} is not a country name that this tool knows{hint}"
