"""Country outlines for the map, shipped with the tool.

The shapes are Natural Earth's 1:110m Admin 0 countries (public domain,
naturalearthdata.com), from the copy geopandas 0.14.4 packaged as
``naturalearth_lowres`` (which draws Crimea with Ukraine), with their
coordinates rounded to a hundredth of a degree: ``countries-110m.json``
beside this module, 177 countries in about 80 kB.  At that scale a border
is right to ten kilometres or so: enough to show where, not to tell which
side of a border a town lies.
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from importlib.resources import files

from incidents.vocabulary import fold

LAND = "#e4e2dc"
BORDER = "#a9a59b"
NAME = "#8a867c"
NAME_SIZE = 11.0

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    name: str
    code: str
    rings: list[Ring]
    """Longitude, latitude; outer rings clockwise, holes counter-clockwise."""

    @functools.cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, east, south, north."""
        lons = [lon for ring in self.rings for lon, _ in ring]
        lats = [lat for ring in self.rings for _, lat in ring]
        return min(lons), max(lons), min(lats), max(lats)


@functools.cache
def countries() -> list[Country]:
    data = json.loads(files(__package__).joinpath("countries-110m.json").read_text("utf-8"))
    return [
        Country(name, code, [_ring(steps) for steps in rings])
        for name, code, rings in data["countries"]
    ]


def _ring(steps: list[int]) -> Ring:
    """A ring from its first point and the steps to each next one, in
    hundredths of a degree."""
    lon, lat = steps[0], steps[1]
    ring = [(lon / 100, lat / 100)]
    for index in range(2, len(steps), 2):
        lon, lat = lon + steps[index], lat + steps[index + 1]
        ring.append((lon / 100, lat / 100))
    return ring


def country_of(name: str, lon: float, lat: float) -> Country | None:
    """The country an incident lies in: by its name, else by where its point is."""
    wanted = fold(name)
    for country in countries():
        if fold(country.name) == wanted:
            return country
    for country in countries():
        west, east, south, north = country.bounds
        inside_bounds = west <= lon <= east and south <= lat <= north
        if inside_bounds and any(contains(ring, lon, lat) for ring in country.rings):
            return country
    return None


def contains(ring: Ring, x: float, y: float) -> bool:
    """Whether the point lies inside the closed ring (even-odd rule)."""
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside
