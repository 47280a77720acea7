"""Rough bounding boxes of countries, to catch coordinates far from their place.

A box is (south, north, west, east) in decimal degrees, drawn loosely around
the country's territory; it catches swapped latitude and longitude, a sign
dropped from a longitude, or a point copied from the wrong incident, and is
not meant for anything finer.  A west edge greater than the east edge means
the box crosses the 180th meridian.  Countries not listed are not checked.
"""

from __future__ import annotations

from incidents.vocabulary import fold

# How far outside its box (in degrees) a point may lie before it is reported.
MARGIN_DEGREES = 1.0

Box = tuple[float, float, float, float]

_BOXES: dict[str, Box] = {
    "Afghanistan": (29.3, 38.5, 60.5, 74.9),
    "Algeria": (18.9, 37.1, -8.7, 12.0),
    "Argentina": (-55.1, -21.8, -73.6, -53.6),
    "Australia": (-43.7, -10.1, 113.1, 153.7),
    "Bahrain": (25.5, 26.4, 50.3, 50.9),
    "Bangladesh": (20.7, 26.7, 88.0, 92.7),
    "Belgium": (49.5, 51.6, 2.5, 6.4),
    "Benin": (6.2, 12.5, 0.7, 3.9),
    "Brazil": (-33.8, 5.3, -74.0, -34.8),
    "Burkina Faso": (9.4, 15.1, -5.6, 2.4),
    "Cameroon": (1.6, 13.1, 8.4, 16.2),
    "Canada": (41.6, 83.2, -141.1, -52.6),
    "Central African Republic": (2.2, 11.1, 14.4, 27.5),
    "Chad": (7.4, 23.5, 13.4, 24.0),
    "Chile": (-56.0, -17.5, -75.7, -66.4),
    "China": (18.1, 53.6, 73.5, 134.8),
    "Colombia": (-4.3, 13.4, -81.8, -66.8),
    "Democratic Republic of the Congo": (-13.5, 5.4, 12.2, 31.3),
    "Egypt": (22.0, 31.7, 24.7, 36.9),
    "Ethiopia": (3.4, 14.9, 33.0, 48.0),
    "France": (41.3, 51.1, -5.2, 9.6),
    "Germany": (47.2, 55.1, 5.8, 15.1),
    "Ghana": (4.7, 11.2, -3.3, 1.2),
    "India": (6.7, 35.7, 68.1, 97.4),
    "Indonesia": (-11.0, 6.1, 95.0, 141.0),
    "Iran": (25.0, 39.8, 44.0, 63.4),
    "Iraq": (29.0, 37.4, 38.8, 48.6),
    "Israel": (29.5, 33.3, 34.2, 35.9),
    "Ivory Coast": (4.3, 10.8, -8.6, -2.5),
    "Jordan": (29.2, 33.4, 34.9, 39.3),
    "Kenya": (-4.7, 5.0, 33.9, 41.9),
    "Kuwait": (28.5, 30.1, 46.5, 48.5),
    "Lebanon": (33.0, 34.7, 35.1, 36.6),
    "Libya": (19.5, 33.2, 9.3, 25.2),
    "Mali": (10.1, 25.0, -12.3, 4.3),
    "Mauritania": (14.7, 27.3, -17.1, -4.8),
    "Mexico": (14.5, 32.7, -118.4, -86.7),
    "Morocco": (20.7, 35.9, -17.1, -1.0),
    "Mozambique": (-26.9, -10.5, 30.2, 40.9),
    "Myanmar": (9.8, 28.6, 92.2, 101.2),
    "Nepal": (26.3, 30.5, 80.0, 88.2),
    "New Zealand": (-47.3, -34.4, 166.4, 178.6),
    "Niger": (11.7, 23.5, 0.1, 16.0),
    "Nigeria": (4.2, 13.9, 2.7, 14.7),
    "Oman": (16.6, 26.4, 51.9, 59.9),
    "Pakistan": (23.6, 37.1, 60.9, 77.8),
    "Palestine": (31.2, 32.6, 34.2, 35.6),
    "Peru": (-18.4, 0.0, -81.4, -68.6),
    "Philippines": (4.6, 21.1, 116.9, 126.6),
    "Qatar": (24.4, 26.2, 50.7, 51.7),
    "Russia": (41.2, 81.9, 19.6, -169.0),
    "Saudi Arabia": (16.3, 32.2, 34.5, 55.7),
    "Somalia": (-1.7, 12.0, 40.9, 51.4),
    "South Sudan": (3.5, 12.3, 23.4, 35.9),
    "Spain": (27.6, 43.8, -18.2, 4.4),
    "Sri Lanka": (5.9, 9.9, 79.6, 81.9),
    "Sudan": (8.6, 22.3, 21.8, 38.6),
    "Syria": (32.3, 37.4, 35.7, 42.4),
    "Tajikistan": (36.6, 41.1, 67.3, 75.2),
    "Tanzania": (-11.8, -1.0, 29.3, 40.5),
    "Thailand": (5.6, 20.5, 97.3, 105.7),
    "Togo": (6.1, 11.2, -0.2, 1.8),
    "Tunisia": (30.2, 37.6, 7.5, 11.6),
    "Turkey": (35.8, 42.1, 25.6, 44.8),
    "Turkmenistan": (35.1, 42.8, 52.4, 66.7),
    "Uganda": (-1.5, 4.3, 29.5, 35.1),
    "Ukraine": (44.3, 52.4, 22.1, 40.3),
    "United Arab Emirates": (22.6, 26.1, 51.5, 56.4),
    "United Kingdom": (49.8, 60.9, -8.7, 1.8),
    "United States": (18.9, 71.4, -179.2, -66.9),
    "Uzbekistan": (37.1, 45.6, 56.0, 73.2),
    "Venezuela": (0.6, 12.2, -73.4, -59.8),
    "Yemen": (12.1, 19.0, 42.5, 54.6),
}

# Other names data sets use for the same countries (GTD, ACLED, UCDP, news).
_OTHER_NAMES: dict[str, str] = {
    "Afghanestan": "Afghanistan",
    "Burma": "Myanmar",
    "Côte d'Ivoire": "Ivory Coast",
    "Cote d'Ivoire": "Ivory Coast",
    "DR Congo": "Democratic Republic of the Congo",
    "DRC": "Democratic Republic of the Congo",
    "Congo (Kinshasa)": "Democratic Republic of the Congo",
    "Democratic Republic of Congo": "Democratic Republic of the Congo",
    "Great Britain": "United Kingdom",
    "UK": "United Kingdom",
    "United States of America": "United States",
    "USA": "United States",
    "US": "United States",
    "Iran (Islamic Republic of)": "Iran",
    "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria",
    "Türkiye": "Turkey",
    "Turkiye": "Turkey",
    "West Bank and Gaza Strip": "Palestine",
    "Palestinian Territories": "Palestine",
    "State of Palestine": "Palestine",
    "Yemen (North Yemen)": "Yemen",
    "UAE": "United Arab Emirates",
}

_BY_KEY: dict[str, Box] = {fold(name): box for name, box in _BOXES.items()} | {
    fold(other): _BOXES[name] for other, name in _OTHER_NAMES.items()
}


def country_box(country: str) -> Box | None:
    """The rough box of a country by any of its usual names, or None if not known."""
    return _BY_KEY.get(fold(country))


def near_country(country: str, lat: float, lon: float) -> bool | None:
    """Whether the point lies in (or just outside) the country's box; None if unknown."""
    box = country_box(country)
    if box is None:
        return None
    south, north, west, east = box
    if not south - MARGIN_DEGREES <= lat <= north + MARGIN_DEGREES:
        return False
    if west <= east:
        return west - MARGIN_DEGREES <= lon <= east + MARGIN_DEGREES
    # The box crosses the 180th meridian: east of its west edge or west of its east edge.
    return lon >= west - MARGIN_DEGREES or lon <= east + MARGIN_DEGREES
