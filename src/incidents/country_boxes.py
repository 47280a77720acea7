"""Rough bounding boxes of countries, to catch coordinates far from their place.

A box is (south, north, west, east) in decimal degrees, drawn loosely around
the country's territory; it catches swapped latitude and longitude, a sign
dropped from a longitude, or a point copied from the wrong incident, and is
not meant for anything finer.  A west edge greater than the east edge means
the box crosses the 180th meridian.  Boxes are keyed by ISO 3166-1 alpha-3
code (``countries.country_code`` gives it for any usual name); countries not
listed are not checked.
"""

from __future__ import annotations

# How far outside its box (in degrees) a point may lie before it is reported.
MARGIN_DEGREES = 1.0

Box = tuple[float, float, float, float]

_BOXES: dict[str, Box] = {
    "AFG": (29.3, 38.5, 60.5, 74.9),  # Afghanistan
    "DZA": (18.9, 37.1, -8.7, 12.0),  # Algeria
    "ARG": (-55.1, -21.8, -73.6, -53.6),  # Argentina
    "AUS": (-43.7, -10.1, 113.1, 153.7),  # Australia
    "BHR": (25.5, 26.4, 50.3, 50.9),  # Bahrain
    "BGD": (20.7, 26.7, 88.0, 92.7),  # Bangladesh
    "BEL": (49.5, 51.6, 2.5, 6.4),  # Belgium
    "BEN": (6.2, 12.5, 0.7, 3.9),  # Benin
    "BRA": (-33.8, 5.3, -74.0, -34.8),  # Brazil
    "BFA": (9.4, 15.1, -5.6, 2.4),  # Burkina Faso
    "CMR": (1.6, 13.1, 8.4, 16.2),  # Cameroon
    "CAN": (41.6, 83.2, -141.1, -52.6),  # Canada
    "CAF": (2.2, 11.1, 14.4, 27.5),  # Central African Republic
    "TCD": (7.4, 23.5, 13.4, 24.0),  # Chad
    "CHL": (-56.0, -17.5, -75.7, -66.4),  # Chile
    "CHN": (18.1, 53.6, 73.5, 134.8),  # China
    "COL": (-4.3, 13.4, -81.8, -66.8),  # Colombia
    "COD": (-13.5, 5.4, 12.2, 31.3),  # Democratic Republic of the Congo
    "EGY": (22.0, 31.7, 24.7, 36.9),  # Egypt
    "ETH": (3.4, 14.9, 33.0, 48.0),  # Ethiopia
    "FRA": (41.3, 51.1, -5.2, 9.6),  # France
    "DEU": (47.2, 55.1, 5.8, 15.1),  # Germany
    "GHA": (4.7, 11.2, -3.3, 1.2),  # Ghana
    "IND": (6.7, 35.7, 68.1, 97.4),  # India
    "IDN": (-11.0, 6.1, 95.0, 141.0),  # Indonesia
    "IRN": (25.0, 39.8, 44.0, 63.4),  # Iran
    "IRQ": (29.0, 37.4, 38.8, 48.6),  # Iraq
    "ISR": (29.5, 33.3, 34.2, 35.9),  # Israel
    "CIV": (4.3, 10.8, -8.6, -2.5),  # Ivory Coast
    "JOR": (29.2, 33.4, 34.9, 39.3),  # Jordan
    "KEN": (-4.7, 5.0, 33.9, 41.9),  # Kenya
    "KWT": (28.5, 30.1, 46.5, 48.5),  # Kuwait
    "LBN": (33.0, 34.7, 35.1, 36.6),  # Lebanon
    "LBY": (19.5, 33.2, 9.3, 25.2),  # Libya
    "MLI": (10.1, 25.0, -12.3, 4.3),  # Mali
    "MRT": (14.7, 27.3, -17.1, -4.8),  # Mauritania
    "MEX": (14.5, 32.7, -118.4, -86.7),  # Mexico
    "MAR": (20.7, 35.9, -17.1, -1.0),  # Morocco
    "MOZ": (-26.9, -10.5, 30.2, 40.9),  # Mozambique
    "MMR": (9.8, 28.6, 92.2, 101.2),  # Myanmar
    "NPL": (26.3, 30.5, 80.0, 88.2),  # Nepal
    "NZL": (-47.3, -34.4, 166.4, 178.6),  # New Zealand
    "NER": (11.7, 23.5, 0.1, 16.0),  # Niger
    "NGA": (4.2, 13.9, 2.7, 14.7),  # Nigeria
    "OMN": (16.6, 26.4, 51.9, 59.9),  # Oman
    "PAK": (23.6, 37.1, 60.9, 77.8),  # Pakistan
    "PSE": (31.2, 32.6, 34.2, 35.6),  # Palestine
    "PER": (-18.4, 0.0, -81.4, -68.6),  # Peru
    "PHL": (4.6, 21.1, 116.9, 126.6),  # Philippines
    "QAT": (24.4, 26.2, 50.7, 51.7),  # Qatar
    "RUS": (41.2, 81.9, 19.6, -169.0),  # Russia
    "SAU": (16.3, 32.2, 34.5, 55.7),  # Saudi Arabia
    "SOM": (-1.7, 12.0, 40.9, 51.4),  # Somalia
    "SSD": (3.5, 12.3, 23.4, 35.9),  # South Sudan
    "ESP": (27.6, 43.8, -18.2, 4.4),  # Spain
    "LKA": (5.9, 9.9, 79.6, 81.9),  # Sri Lanka
    "SDN": (8.6, 22.3, 21.8, 38.6),  # Sudan
    "SYR": (32.3, 37.4, 35.7, 42.4),  # Syria
    "TJK": (36.6, 41.1, 67.3, 75.2),  # Tajikistan
    "TZA": (-11.8, -1.0, 29.3, 40.5),  # Tanzania
    "THA": (5.6, 20.5, 97.3, 105.7),  # Thailand
    "TGO": (6.1, 11.2, -0.2, 1.8),  # Togo
    "TUN": (30.2, 37.6, 7.5, 11.6),  # Tunisia
    "TUR": (35.8, 42.1, 25.6, 44.8),  # Turkey
    "TKM": (35.1, 42.8, 52.4, 66.7),  # Turkmenistan
    "UGA": (-1.5, 4.3, 29.5, 35.1),  # Uganda
    "UKR": (44.3, 52.4, 22.1, 40.3),  # Ukraine
    "ARE": (22.6, 26.1, 51.5, 56.4),  # United Arab Emirates
    "GBR": (49.8, 60.9, -8.7, 1.8),  # United Kingdom
    "USA": (18.9, 71.4, -179.2, -66.9),  # United States
    "UZB": (37.1, 45.6, 56.0, 73.2),  # Uzbekistan
    "VEN": (0.6, 12.2, -73.4, -59.8),  # Venezuela
    "YEM": (12.1, 19.0, 42.5, 54.6),  # Yemen
}


def near_country(code: str | None, lat: float, lon: float) -> bool | None:
    """Whether the point lies in (or just outside) the box of the country with
    this code; None if its box is not known."""
    box = _BOXES.get(code) if code else None
    if box is None:
        return None
    south, north, west, east = box
    if not south - MARGIN_DEGREES <= lat <= north + MARGIN_DEGREES:
        return False
    if west <= east:
        return west - MARGIN_DEGREES <= lon <= east + MARGIN_DEGREES
    # The box crosses the 180th meridian: east of its west edge or west of its east edge.
    return lon >= west - MARGIN_DEGREES or lon <= east + MARGIN_DEGREES
