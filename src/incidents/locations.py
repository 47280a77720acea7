"""What a ``--location`` value names, and whether a location is there.

A value names a place at any level (country, province, district, city, the
other spellings an incident records) in any spelling the vocabulary knows,
or words of a site ("pakistani embassy").  A country may also be named by
any of its usual names or, in capitals, by its ISO alpha-3 code (``AFG``):
"Zaire" finds the incidents of "DR Congo (Zaire)", both being COD.

A value with commas is also read as a place path, "Kabul, Afghanistan":
an incident is there when every part names one of its places (in any
order).  A name that itself holds a comma ("Macedonia, FYR") still matches
as a whole, so the two readings are alternatives.

The SQLite index asks the same questions in SQL (``index.queries``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidents.countries import country_code, is_country_code
from incidents.vocabulary import fold, place_key, place_keys

if TYPE_CHECKING:
    from incidents.model import Location


@dataclass(frozen=True)
class PlaceName:
    """One place as a user typed it: its place key, the country codes it names,
    and its folded words, looked for in sites."""

    text: str
    key: str
    codes: frozenset[str]
    phrase: str

    @classmethod
    def of(cls, text: str) -> PlaceName:
        text = text.strip()
        codes = {code for code in (country_code(text),) if code}
        if is_country_code(text):
            codes.add(text)
        return cls(text, place_key(text), frozenset(codes), fold(text))


@dataclass(frozen=True)
class LocationQuery:
    """One ``--location`` value: the whole, or (with commas) all of its parts."""

    text: str
    whole: PlaceName
    parts: tuple[PlaceName, ...] = ()

    @classmethod
    def of(cls, text: str) -> LocationQuery:
        parts = [part for part in text.split(",") if fold(part)]
        path = tuple(PlaceName.of(part) for part in parts) if len(parts) > 1 else ()
        return cls(text, PlaceName.of(text), path)


def location_queries(texts: Iterable[str]) -> list[LocationQuery]:
    return [LocationQuery.of(text) for text in texts]


def is_at(location: Location, place: PlaceName) -> bool:
    """Whether one of the location's places (or its site's words) is this place."""
    if place.key and place.key in place_keys(location.places()):
        return True
    if place.codes and location.code() in place.codes:
        return True
    site = fold(location.site or "")
    return bool(site and place.phrase) and f" {place.phrase} " in f" {site} "


def matches(location: Location, query: LocationQuery) -> bool:
    if is_at(location, query.whole):
        return True
    return bool(query.parts) and all(is_at(location, part) for part in query.parts)
