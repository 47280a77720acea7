"""Incidents on a map: a circle where each one happened, sized by the killed.

The map is fitted around the incidents (never less than a few degrees
across) in an equirectangular projection, stretched by the cosine of the
middle latitude so that shapes keep roughly their proportions at that
latitude.  A graticule with its degrees frames it.

What is unsure is drawn so: a circle's area is the sure number killed; a
dashed ring round it says the toll may be higher ("at least", a range, or
not known); a diamond instead of a circle is an incident placed only to its
district, province or country.  Incidents without coordinates are not drawn
and the page says how many.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidents.categories import CoordinatePrecision
from incidents.formats.charts import Body, svg
from incidents.formats.charts.bars import DASHES, KILLED
from incidents.records import figure_bounds

if TYPE_CHECKING:
    from incidents.model import Incident

WIDTH = 760.0
HEIGHT = 480.0
LABEL_SIZE = 11.0
TICK_SIZE = 10.0
SEA = "#f3f7fa"
GRID = "#d5dde3"
MIN_SPAN = 5.0
MOST_LABELLED_PLACES = 15
SHOWN_MISSING = 10

_COARSE = {CoordinatePrecision.DISTRICT, CoordinatePrecision.PROVINCE, CoordinatePrecision.COUNTRY}
_GRID_STEPS = (0.5, 1, 2, 5, 10, 15, 30, 45, 60)

TITLE = "Where the incidents happened"


@dataclass(frozen=True)
class View:
    """The part of the world shown, and how a longitude and latitude map to the page."""

    west: float
    east: float
    south: float
    north: float
    scale: float
    stretch: float

    def x(self, lon: float) -> float:
        return (lon - self.west) * self.stretch * self.scale

    def y(self, lat: float) -> float:
        return (self.north - lat) * self.scale

    @property
    def width(self) -> float:
        return self.x(self.east)

    @property
    def height(self) -> float:
        return self.y(self.south)


def fit(lons: Sequence[float], lats: Sequence[float]) -> View:
    """A view around the points, with a margin, in the page's proportions."""
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_lon = max((east - west) * 0.15, (MIN_SPAN - (east - west)) / 2, 1.0)
    pad_lat = max((north - south) * 0.15, (MIN_SPAN - (north - south)) / 2, 1.0)
    west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
    stretch = math.cos(math.radians(max(-70.0, min(70.0, (south + north) / 2))))
    # Widen the narrower side to the page's proportions, inside the world's edges.
    wide, tall = (east - west) * stretch, north - south
    if wide / tall < WIDTH / HEIGHT:
        grow = (tall * WIDTH / HEIGHT / stretch - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (wide * HEIGHT / WIDTH - tall) / 2
        south, north = south - grow, north + grow
    west, east = _inside(west, east, -180.0, 180.0)
    south, north = _inside(south, north, -85.0, 85.0)
    scale = min(WIDTH / ((east - west) * stretch), HEIGHT / (north - south))
    return View(west, east, south, north, scale, stretch)


def _inside(low: float, high: float, floor: float, ceiling: float) -> tuple[float, float]:
    """The range moved (then cut) to lie within floor..ceiling."""
    if high - low >= ceiling - floor:
        return floor, ceiling
    if low < floor:
        return floor, high + floor - low
    if high > ceiling:
        return low - (high - ceiling), ceiling
    return low, high


@dataclass(frozen=True)
class _Point:
    incident: Incident
    x: float
    y: float
    radius: float


def incidents_map(
    incidents: Sequence[Incident],
    background: Callable[[View], list[str]] | None = None,
) -> Body:
    """The incidents with coordinates, on a graticule (over ``background``,
    the country outlines, when given)."""
    placed = [i for i in incidents if i.location.coordinates is not None]
    missing = [i.id for i in incidents if i.location.coordinates is None]
    notes = _missing_note(missing, len(incidents))
    if not placed:
        message = "No incident here has coordinates: nothing to map."
        return Body(WIDTH, 20, [svg.text(0, 14, message, 13)], notes=notes)
    coordinates = [i.location.coordinates for i in placed if i.location.coordinates]
    view = fit([c.lon for c in coordinates], [c.lat for c in coordinates])
    frame = (0.0, 0.0, view.width, view.height)
    parts = [svg.rect(*frame, fill=SEA)]
    if background is not None:
        parts += background(view)
    parts += _graticule(view)
    points = [_point(incident, view) for incident in placed]
    for point in sorted(points, key=lambda p: -p.radius):
        parts += _mark(point)
    parts += _place_labels(points, view)
    parts.append(svg.rect(*frame, fill="none", stroke=svg.MUTED))
    gutter = svg.text_width("88.5°N", TICK_SIZE) + 6
    key, key_height = _key(view.height + 30)
    drawn = [svg.group(parts, transform=f"translate({svg.num(gutter)} 0)"), *key]
    on_map = len(placed)
    summary = [f"{on_map:,} incident{'' if on_map == 1 else 's'} on the map."]
    legend = [
        "Circle area: the number killed for sure. A dashed ring: the toll may be higher "
        "(an “at least” figure, a range, or none given). A diamond: placed only to the "
        "district, province or country, not to the town or site."
    ]
    height = view.height + 30 + key_height
    return Body(gutter + view.width, height, drawn, summary, legend, notes)


def _missing_note(missing: list[str], count: int) -> list[str]:
    if not missing:
        return []
    shown = ", ".join(missing[:SHOWN_MISSING])
    more = f" and {len(missing) - SHOWN_MISSING:,} more" if len(missing) > SHOWN_MISSING else ""
    verb = "has" if len(missing) == 1 else "have"
    return [f"Not on the map: {len(missing):,} of {count:,} {verb} no coordinates ({shown}{more})."]


def radius(killed: int) -> float:
    """A circle whose area grows with the number killed; 3 pixels for none."""
    return min(3.0 + 2.2 * math.sqrt(killed), 26.0)


def _point(incident: Incident, view: View) -> _Point:
    coordinates = incident.location.coordinates
    assert coordinates is not None
    low, _ = figure_bounds(incident.killed)
    return _Point(incident, view.x(coordinates.lon), view.y(coordinates.lat), radius(low))


def _mark(point: _Point) -> list[str]:
    incident, x, y, r = point.incident, point.x, point.y, point.radius
    coordinates = incident.location.coordinates
    assert coordinates is not None
    style: dict[str, str | float | None] = {
        "fill": KILLED,
        "fill_opacity": 0.55,
        "stroke": "#7a1f1d",
        "stroke_width": 0.8,
    }
    if coordinates.precision in _COARSE:
        side = r * math.sqrt(math.pi / 2)  # a diamond of the circle's area
        corners = [(x, y - side), (x + side, y), (x, y + side), (x - side, y)]
        parts = [svg.path(svg.polyline_path(corners, closed=True), **style)]
    else:
        parts = [svg.circle(x, y, r, **style)]
    low, high = figure_bounds(incident.killed)
    if incident.killed is None or high != low:
        ring = r + 3 if high is None else max(radius(high), r + 2)
        parts.append(svg.circle(x, y, ring, fill="none", stroke=KILLED, stroke_dasharray=DASHES))
    return parts


def _place_labels(points: list[_Point], view: View) -> list[str]:
    """Each place's name beside it (with how many incidents), when there are
    few enough places for names to be read."""
    places: dict[tuple[float, float], list[_Point]] = {}
    for point in points:
        places.setdefault((round(point.x, 1), round(point.y, 1)), []).append(point)
    if len(places) > MOST_LABELLED_PLACES:
        return []
    parts = []
    for (x, y), here in places.items():
        location = here[0].incident.location
        name = location.city or location.district or location.province or location.country
        label = name if len(here) == 1 else f"{name} ({len(here)})"
        r = max(p.radius for p in here) + 3
        width = svg.text_width(label, LABEL_SIZE)
        if x + r + width <= view.width:
            parts.append(svg.text(x + r, y + 4, label, LABEL_SIZE))
        else:
            parts.append(svg.text(x - r, y + 4, label, LABEL_SIZE, "end"))
    return parts


def _graticule(view: View) -> list[str]:
    span = min(view.north - view.south, view.east - view.west)
    step = next((s for s in _GRID_STEPS if span / s <= 8), _GRID_STEPS[-1])
    parts = []
    lon = math.ceil(view.west / step) * step
    while lon <= view.east:
        x = view.x(lon)
        parts.append(svg.line(x, 0, x, view.height, stroke=GRID, stroke_width=0.6))
        parts.append(svg.text(x, view.height + 13, _degrees(lon, "E", "W"), TICK_SIZE, "middle"))
        lon += step
    lat = math.ceil(view.south / step) * step
    while lat <= view.north:
        y = view.y(lat)
        parts.append(svg.line(0, y, view.width, y, stroke=GRID, stroke_width=0.6))
        parts.append(svg.text(-4, y + 3.5, _degrees(lat, "N", "S"), TICK_SIZE, "end"))
        lat += step
    return parts


def _degrees(value: float, positive: str, negative: str) -> str:
    shown = f"{abs(value):g}°"
    return shown if value == 0 else shown + (positive if value > 0 else negative)


def _key(top: float) -> tuple[list[str], float]:
    """Circles for a few numbers killed, to read the sizes by."""
    middle = top + radius(100)
    parts = [svg.text(0, middle + 4, "Killed:", LABEL_SIZE, fill=svg.MUTED)]
    x = svg.text_width("Killed: ", LABEL_SIZE) + 4
    for killed in (1, 10, 50, 100):
        r = radius(killed)
        parts.append(svg.circle(x + r, middle, r, fill=KILLED, fill_opacity=0.55, stroke="#7a1f1d"))
        parts.append(svg.text(x + 2 * r + 4, middle + 4, str(killed), LABEL_SIZE))
        x += 2 * r + 8 + svg.text_width(str(killed), LABEL_SIZE) + 10
    return parts, 2 * radius(100)
