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

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidents.categories import CoordinatePrecision
from incidents.formats.charts import NOTHING, Body, svg, world
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
WHOLE_COUNTRY = 40.0  # degrees: a country no wider or taller is shown whole
MOST_LABELLED_PLACES = 15
SHOWN_MISSING = 10

_COARSE = {CoordinatePrecision.DISTRICT, CoordinatePrecision.PROVINCE, CoordinatePrecision.COUNTRY}
_GRID_STEPS = (0.5, 1, 2, 5, 10, 15, 30, 45, 60)

TITLE = "Where the incidents happened"
FRAME_ID = "map-frame"


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
    """A view around the points (and places), with a margin, in the page's proportions."""
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


def incidents_map(incidents: Sequence[Incident]) -> Body:
    """The incidents with coordinates, over the countries and a graticule."""
    placed = [i for i in incidents if i.location.coordinates is not None]
    missing = [i.id for i in incidents if i.location.coordinates is None]
    notes = _missing_note(missing, len(incidents))
    if not placed:
        message = "No incident here has coordinates: nothing to map." if incidents else NOTHING
        return Body(WIDTH, 20, [svg.text(0, 14, message, 13)], notes=notes)
    coordinates = [i.location.coordinates for i in placed if i.location.coordinates]
    lons, lats = [c.lon for c in coordinates], [c.lat for c in coordinates]
    for west, east, south, north in _whole_countries(placed):
        lons += [west, east]
        lats += [south, north]
    view = fit(lons, lats)
    frame = (0.0, 0.0, view.width, view.height)
    inside = [svg.rect(*frame, fill=SEA), *_countries(view), *_graticule(view)]
    parts = [
        f'<defs><clipPath id="{FRAME_ID}">{svg.rect(*frame)}</clipPath></defs>',
        svg.group(inside, clip_path=f"url(#{FRAME_ID})"),
        *_graticule_labels(view),
    ]
    points = [_point(incident, view) for incident in placed]
    marks = [shape for point in sorted(points, key=lambda p: -p.radius) for shape in _mark(point)]
    parts.append(svg.group(marks, **MARK_STYLE))
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


def _whole_countries(placed: Sequence[Incident]) -> list[tuple[float, float, float, float]]:
    """The bounds of the countries the incidents lie in, so that the map shows
    them whole; not those too large for that to help (Russia, say)."""
    first_point: dict[str, tuple[float, float]] = {}
    for incident in placed:
        coordinates = incident.location.coordinates
        if coordinates is not None:
            first_point.setdefault(incident.location.country, (coordinates.lon, coordinates.lat))
    found = [world.country_of(name, *point) for name, point in first_point.items()]
    bounds = [country.bounds for country in found if country is not None]
    return [b for b in bounds if b[1] - b[0] <= WHOLE_COUNTRY and b[3] - b[2] <= WHOLE_COUNTRY]


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


# Every mark's fill and edge, set once on the group of marks (a map may have
# tens of thousands); a dashed ring sets its own.
MARK_STYLE: dict[str, str | float | None] = {
    "fill": KILLED,
    "fill_opacity": 0.55,
    "stroke": "#7a1f1d",
    "stroke_width": 0.8,
}
RING_STYLE: dict[str, str | float | None] = {
    "fill": "none",
    "stroke": KILLED,
    "stroke_width": 1,
    "stroke_dasharray": DASHES,
}


def _mark(point: _Point) -> list[str]:
    incident, x, y, r = point.incident, point.x, point.y, point.radius
    coordinates = incident.location.coordinates
    assert coordinates is not None
    if coordinates.precision in _COARSE:
        side = r * math.sqrt(math.pi / 2)  # a diamond of the circle's area
        corners = [(x, y - side), (x + side, y), (x, y + side), (x - side, y)]
        parts = [svg.path(svg.polyline_path(corners, closed=True))]
    else:
        parts = [svg.circle(x, y, r)]
    low, high = figure_bounds(incident.killed)
    if incident.killed is None or high != low:
        ring = r + 3 if high is None else max(radius(high), r + 2)
        parts.append(svg.circle(x, y, ring, **RING_STYLE))
    return parts


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _place_labels(points: list[_Point], view: View) -> list[str]:
    """Each place's name beside it (with how many incidents), when there are
    few enough places for names to be read: on the first side where it
    covers no other name or mark, or not at all."""
    places: dict[tuple[float, float], list[_Point]] = {}
    for point in points:
        places.setdefault((round(point.x, 1), round(point.y, 1)), []).append(point)
    if len(places) > MOST_LABELLED_PLACES:
        return []
    marks = {where: max(p.radius for p in here) + 2 for where, here in places.items()}
    taken: list[Box] = [(x - r, y - r, x + r, y + r) for (x, y), r in marks.items()]
    parts = []
    for (x, y), here in sorted(places.items(), key=lambda item: -len(item[1])):
        location = here[0].incident.location
        name = location.city or location.district or location.province or location.country
        label = name if len(here) == 1 else f"{name} ({len(here)})"
        own = (x - marks[x, y], y - marks[x, y], x + marks[x, y], y + marks[x, y])
        for box, anchor_x, anchor in _label_places(x, y, marks[x, y] + 1, label):
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= view.width - 2
            clear = all(not _overlap(box, other) for other in taken if other != own)
            if inside and box[3] <= view.height - 2 and clear:
                parts.append(svg.text(anchor_x, box[3] - 3, label, LABEL_SIZE, anchor))
                taken.append(box)
                break
    return parts


def _label_places(x: float, y: float, r: float, label: str) -> list[tuple[Box, float, str]]:
    """Where a label may go: right of the mark, left, above, below."""
    width, height = svg.text_width(label, LABEL_SIZE), LABEL_SIZE + 3
    return [
        ((x + r, y - height / 2, x + r + width, y + height / 2), x + r, "start"),
        ((x - r - width, y - height / 2, x - r, y + height / 2), x - r, "end"),
        ((x - width / 2, y - r - height, x + width / 2, y - r), x, "middle"),
        ((x - width / 2, y + r, x + width / 2, y + r + height), x, "middle"),
    ]


def _overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _grid(view: View) -> tuple[list[float], list[float]]:
    """The meridians and parallels to draw: round degrees, six or so across."""
    span = min(view.north - view.south, view.east - view.west)
    step = next((s for s in _GRID_STEPS if span / s <= 8), _GRID_STEPS[-1])

    def between(low: float, high: float) -> list[float]:
        first = math.ceil(low / step)
        return [n * step for n in range(first, math.floor(high / step) + 1)]

    return between(view.west, view.east), between(view.south, view.north)


def _graticule(view: View) -> list[str]:
    meridians, parallels = _grid(view)
    lines = [svg.line(view.x(lon), 0, view.x(lon), view.height) for lon in meridians]
    lines += [svg.line(0, view.y(lat), view.width, view.y(lat)) for lat in parallels]
    return [svg.group(lines, stroke=GRID, stroke_width=0.6)]


def _graticule_labels(view: View) -> list[str]:
    meridians, parallels = _grid(view)
    parts = [
        svg.text(view.x(lon), view.height + 13, _degrees(lon, "E", "W"), TICK_SIZE, "middle")
        for lon in meridians
    ]
    parts += [
        svg.text(-4, view.y(lat) + 3.5, _degrees(lat, "N", "S"), TICK_SIZE, "end")
        for lat in parallels
    ]
    return parts


def _countries(view: View) -> list[str]:
    """The outlines of the countries in view, and the names of those with
    room for them."""
    shapes, names = [], []
    for country in world.countries():
        west, east, south, north = country.bounds
        if east < view.west or west > view.east or north < view.south or south > view.north:
            continue
        rings = [[(view.x(lon), view.y(lat)) for lon, lat in ring] for ring in country.rings]
        shapes.append(svg.path("".join(svg.polyline_path(r, closed=True) for r in rings)))
        name = _name(country.name, max(rings, key=_area), view)
        if name:
            names.append(name)
    outlines = svg.group(shapes, fill=world.LAND, stroke=world.BORDER, stroke_width=0.7)
    return [outlines, *names]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(_signed_area(ring))


def _signed_area(ring: list[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _name(name: str, ring: list[tuple[float, float]], view: View) -> str | None:
    """The country's name at the middle of its largest part, when it fits there."""
    area = _signed_area(ring)
    if not area:
        return None
    pairs = list(itertools.pairwise(ring))
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    width = svg.text_width(name, world.NAME_SIZE)
    xs = [x for x, _ in ring]
    fits = max(xs) - min(xs) > width + 8 and _area(ring) > width * world.NAME_SIZE * 4
    inside_view = width / 2 < cx < view.width - width / 2 and 20 < cy < view.height - 10
    if not (fits and inside_view and world.contains(ring, cx, cy)):
        return None
    return svg.text(cx, cy, name, world.NAME_SIZE, "middle", fill=world.NAME)


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
        parts.append(svg.circle(x + r, middle, r, **MARK_STYLE))
        parts.append(svg.text(x + 2 * r + 4, middle + 4, str(killed), LABEL_SIZE))
        x += 2 * r + 8 + svg.text_width(str(killed), LABEL_SIZE) + 10
    return parts, 2 * radius(100)
