"""The windows within which two records can be one attack, from each
record's own precision, not one fixed window for all.

When: a record stands for every day its date allows (a month-only date is
its whole month, an ACLED date known to the week is that week, a UCDP
record its window of days).  Two records can be one attack when their
intervals come within ``DATE_TOLERANCE_DAYS`` of each other: a report dated
the day after a night attack, or an article that counts the days wrongly,
still describes the same attack (each day apart costs it points).

Where: coordinates stand for a place known to some precision: the site
itself, a town, or the centroid of a district or a province (ACLED
``geo_precision``, UCDP ``where_prec`` and GTD ``specificity``, put on one
scale by the importers).  The attack lies within ``RADIUS_KM`` of a point of
that precision, so two records can be one attack when their points are no
farther apart than the sum of their radii: a province centroid can match
its exact twin 100 km away, and two exact points 40 km apart cannot match.
Coordinates that stand for a whole country say nothing: such a record, or
one without coordinates, is placed by its names (same country, and the
same province, district or town where both name one).
"""

from __future__ import annotations

import math

from incidents.categories import CoordinatePrecision

DATE_TOLERANCE_DAYS = 2

RADIUS_KM: dict[CoordinatePrecision, float] = {
    CoordinatePrecision.EXACT: 2.0,
    CoordinatePrecision.SITE: 3.0,
    # A town: its extent, and UCDP's "within 25 km of a known point".
    CoordinatePrecision.CITY: 25.0,
    CoordinatePrecision.DISTRICT: 40.0,
    CoordinatePrecision.PROVINCE: 120.0,
}

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


def radius_km(precision: CoordinatePrecision) -> float | None:
    """How far from its point an attack of this precision may lie; None: anywhere
    in the country."""
    return RADIUS_KM.get(precision)


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def days_apart(start_a: int, end_a: int, start_b: int, end_b: int) -> int:
    """Days between two intervals of day numbers (0 when they overlap)."""
    return max(start_b - end_a, start_a - end_b, 0)


def within_dates(start_a: int, end_a: int, start_b: int, end_b: int) -> bool:
    return days_apart(start_a, end_a, start_b, end_b) <= DATE_TOLERANCE_DAYS


def within_reach(distance: float, radius_a: float, radius_b: float) -> bool:
    return distance <= radius_a + radius_b
