"""What matching needs to know of one record, read from its JSON data.

A record is named by its ``key``: ``dataset:id`` of its origin for an
imported incident (so that a link survives a newer export of it), the
incident's id for a hand-kept one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from incidents.categories import CoordinatePrecision
from incidents.dates import PartialDate
from incidents.matching.taxonomy import Kind, actors_of, kind_of
from incidents.matching.windows import radius_km
from incidents.vocabulary import place_key

HAND_KEPT = "hand-kept"

# (lowest, highest or None when unbounded, the source's best estimate if any)
Toll = tuple[int, int | None, int | None]


def record_key(data: Mapping[str, Any]) -> str:
    origin = data.get("origin")
    return f"{origin['dataset']}:{origin['id']}" if origin else str(data["id"])


def dataset_of(data: Mapping[str, Any]) -> str:
    origin = data.get("origin")
    return str(origin["dataset"]) if origin else HAND_KEPT


DATASET_NAMES = {"gtd": "GTD", "acled": "ACLED", "ucdp": "UCDP GED", HAND_KEPT: "hand-kept"}


def dataset_name(dataset: str) -> str:
    return DATASET_NAMES.get(dataset, dataset.upper())


# Hand-kept records first, then the data sets: the first record of a group
# describes the attack (``distinct``), and lists name them in this order.
DATASET_ORDER = (HAND_KEPT, "gtd", "acled", "ucdp")


def dataset_rank(dataset: str) -> tuple[int, str]:
    order = DATASET_ORDER.index(dataset) if dataset in DATASET_ORDER else len(DATASET_ORDER)
    return order, dataset


@dataclass(slots=True, eq=False)
class MatchRecord:
    position: int  # in the store
    key: str
    id: str
    dataset: str
    start: int  # first and last day it may have happened on, as day numbers
    end: int
    lat: float | None  # None: placed only by its names
    lon: float | None
    radius: float  # km; 0 when not placed by coordinates
    precision: CoordinatePrecision | None
    country: str  # place keys
    province: str | None
    district: str | None
    city: str | None
    place: str  # the most precise place name, for the evidence
    kind: Kind
    actors: frozenset[str]
    unnamed: bool  # a side it does not name: compatible with any group
    words: frozenset[str]  # words for the place attacked: mosque, embassy, school
    killed: Toll | None
    wounded: Toll | None
    # The same for two literal duplicates within one data set (a digest of
    # every field but the ids).
    literal: bytes

    @property
    def located(self) -> bool:
        return self.lat is not None

    @property
    def days(self) -> int:
        return self.end - self.start + 1


@lru_cache(maxsize=65536)
def _day_numbers(date: str, end_date: str | None) -> tuple[int, int]:
    first = PartialDate.parse(date).first_day
    last = PartialDate.parse(end_date or date).last_day
    return first.toordinal(), last.toordinal()


# Names of one place differ by the word for its level ("Kabul district",
# "Kunduz Province"): matching leaves it out.
_LEVEL_WORD = re.compile(
    r"\s+(?:district|province|governorate|prefecture|region|state|county|city|town)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return place_key(_LEVEL_WORD.sub("", name) or name)


def toll(figure: Any) -> Toll | None:
    """A casualty figure as stored (int, {"min", "max", "best"}, null)."""
    if figure is None:
        return None
    if isinstance(figure, int):
        return figure, figure, None
    return figure["min"], figure.get("max"), figure.get("best")


def toll_text(value: Toll) -> str:
    """``6``, ``at least 6``, ``5–8 (best 6)``."""
    low, high, best = value
    if high == low:
        return str(low)
    text = f"at least {low}" if high is None else f"{low}–{high}"
    return text + (f" (best {best})" if best is not None else "")


def match_record(position: int, data: Mapping[str, Any]) -> MatchRecord:
    """The matching view of an incident, from its JSON data."""
    location = data["location"]
    coordinates = location.get("coordinates")
    precision = CoordinatePrecision(coordinates["precision"]) if coordinates else None
    radius = radius_km(precision) if precision else None
    located = coordinates is not None and radius is not None
    start, end = _day_numbers(data["date"], data.get("end_date"))
    province, district, city = (location.get(level) for level in ("province", "district", "city"))
    origin = data.get("origin") or {}
    actors, unnamed = actors_of(data)
    summary = str(data["summary"])
    if origin:  # UCDP's summaries name the event's id: two duplicates differ only there
        summary = summary.replace(str(origin["id"]), "")
    return MatchRecord(
        position=position,
        key=record_key(data),
        id=str(data["id"]),
        dataset=dataset_of(data),
        start=start,
        end=end,
        lat=coordinates["lat"] if located else None,
        lon=coordinates["lon"] if located else None,
        radius=radius if located and radius else 0.0,
        precision=precision,
        country=_key(location["country"]),
        province=_key(province) if province else None,
        district=_key(district) if district else None,
        city=_key(city) if city else None,
        place=city or district or province or location["country"],
        kind=kind_of(data),
        actors=actors,
        unnamed=unnamed,
        words=site_words(data["target"], location.get("site"), data["summary"]),
        killed=toll(data["killed"]),
        wounded=toll(data["wounded"]),
        literal=_digest(
            (
                data["date"],
                data.get("end_date"),
                location,
                data["perpetrator"],
                data["attack_type"],
                data["target_type"],
                data["target"],
                data["killed"],
                data["wounded"],
                summary,
            )
        ),
    )


def _digest(value: object) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()


_WORD = re.compile(r"[^\W\d_]{3,}")
# Words for the place attacked, as summaries and target descriptions write
# them: two records that both say "embassy" agree on something.  Each
# spelling or plural stands for its first word.
_SITES = (
    # A Shia congregation hall is "a Shia mosque" in most reports.
    ("mosque", "mosques", "masjid", "hussainiya", "husseiniya", "hussainiyah", "imambargah"),
    ("shrine", "shrines"),
    ("church", "churches"),
    ("temple", "temples", "gurdwara", "synagogue"),
    ("embassy", "embassies", "consulate"),
    ("school", "schools"),
    ("madrasa", "madrassa", "madrasah", "seminary"),
    ("university", "college"),
    ("market", "bazaar", "marketplace"),
    ("wedding",),
    ("hotel", "guesthouse"),
    ("restaurant", "cafe"),
    ("bank",),
    ("hospital", "clinic"),
    ("airport",),
    ("bus", "minibus"),
    ("checkpoint", "checkpoints"),
    ("convoy",),
    ("pipeline",),
    ("funeral",),
    ("prison", "jail"),
)
SITE_WORDS = {spelling: words[0] for words in _SITES for spelling in words}


def site_words(*texts: str | None) -> frozenset[str]:
    found = {word for text in texts if text for word in _WORD.findall(text.casefold())}
    return frozenset(SITE_WORDS[word] for word in found if word in SITE_WORDS)


def fingerprint(text: str) -> bytes:
    """A short digest of a record's stored text: what changed since the last match."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
