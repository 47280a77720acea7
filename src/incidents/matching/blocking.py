"""Candidate pairs without comparing every record with every other.

Each record placed by coordinates covers the grid cells of its point and
its radius; within each cell the records are swept in order of their first
day, keeping those whose last day (and the tolerance after it) has not yet
passed, so that a record meets only the records of its cell whose dates it
may share.  Two records whose windows meet share at least one cell, and a
pair is given once, from the first cell both cover.  A record placed only by
its names (no coordinates, or coordinates of a whole country) is swept with
the records of its country.

Before a pair is given, what costs nothing to test is tested: two data
sets, kinds of violence in common, groups that can be one, tolls within
each other's reach, points no farther apart than the reach of both.  The
tests only ever leave out pairs that ``scoring`` would refuse.
Records of one data set are never paired here: literal duplicates within a
data set are found apart, by their content (``engine``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence

from incidents.matching.records import MatchRecord
from incidents.matching.scoring import TOLL_FACTOR, TOLL_SLACK
from incidents.matching.windows import DATE_TOLERANCE_DAYS, KM_PER_DEGREE

CELL_DEGREES = 1.0
# Longitude degrees are shorter away from the equator; a little less than the
# cosine keeps the test on the safe side for the distances matching allows.
_SAFE = 0.9


def candidate_pairs(
    records: Sequence[MatchRecord],
    wanted: Sequence[bool] | None = None,
    part: tuple[int, int] = (0, 1),
) -> Iterator[tuple[int, int]]:
    """Pairs (i, j) of records of two data sets whose windows may meet; with
    ``wanted``, only the pairs with at least one wanted record.  ``part``
    (k, n): only the pairs of the k-th of n shares of the cells and countries,
    for n processes to share the work."""
    share, shares = part
    order = sorted(range(len(records)), key=lambda i: records[i].start)
    cells: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    by_country: defaultdict[str, list[int]] = defaultdict(list)
    corner: dict[int, tuple[int, int]] = {}
    for index in order:
        record = records[index]
        by_country[record.country].append(index)
        if record.lat is None or record.lon is None:
            continue
        reach = record.radius / KM_PER_DEGREE
        wide = reach / max(0.05, math.cos(math.radians(record.lat)))
        x0 = math.floor((record.lon - wide) / CELL_DEGREES)
        y0 = math.floor((record.lat - reach) / CELL_DEGREES)
        corner[index] = (x0, y0)
        for x in range(x0, math.floor((record.lon + wide) / CELL_DEGREES) + 1):
            for y in range(y0, math.floor((record.lat + reach) / CELL_DEGREES) + 1):
                cells[(x, y)].append(index)
    sweep = _Sweep(records, wanted)
    for (x, y), members in cells.items():
        if (x * 7919 + y) % shares != share:
            continue
        for i, j in sweep.pairs(members, located=True):
            first, second = corner[i], corner[j]
            if max(first[0], second[0]) == x and max(first[1], second[1]) == y:
                yield i, j
    for number, country in enumerate(sorted(by_country)):
        if number % shares == share:
            yield from sweep.pairs(by_country[country], located=False)


class _Sweep:
    """The records' fields as plain lists, for the inner loop."""

    def __init__(self, records: Sequence[MatchRecord], wanted: Sequence[bool] | None) -> None:
        self.start = [r.start for r in records]
        self.until = [r.end + DATE_TOLERANCE_DAYS for r in records]
        self.dataset = [r.dataset for r in records]
        self.means = [r.kind.means for r in records]
        self.sides = [r.kind.sides for r in records]
        self.lat = [r.lat for r in records]
        self.lon = [r.lon for r in records]
        self.radius = [r.radius for r in records]
        self.cos = [
            _SAFE * math.cos(math.radians(r.lat)) if r.lat is not None else 0.0 for r in records
        ]
        # Groups named by both (and no side left unnamed) must meet.
        self.actors = [r.actors if not r.unnamed else frozenset() for r in records]
        # Tolls must come within scoring's factor: the highest each allows.
        self.killed_low = [r.killed[0] if r.killed else 0 for r in records]
        self.killed_most = [
            math.inf
            if not r.killed or r.killed[1] is None
            else TOLL_FACTOR * r.killed[1] + TOLL_SLACK
            for r in records
        ]
        self.wanted = wanted

    def pairs(self, members: list[int], located: bool) -> Iterator[tuple[int, int]]:
        """Pairs of ``members`` (in order of first day) whose dates may meet and
        that pass the cheap tests.  Not ``located``: the members of a country,
        where only pairs with a record placed by its names are wanted."""
        start, until, lat = self.start, self.until, self.lat
        active: list[int] = []  # in a country: the records placed by names only
        placed: list[int] = []  # in a country: the others
        for i in members:
            first_day = start[i]
            active = [j for j in active if until[j] >= first_day]
            if located:
                yield from self._with(i, active, located)
                active.append(i)
                continue
            placed = [j for j in placed if until[j] >= first_day]
            if lat[i] is None:
                yield from self._with(i, active + placed, located)
                active.append(i)
            else:
                yield from self._with(i, active, located)
                placed.append(i)

    def _with(self, i: int, others: list[int], located: bool) -> Iterator[tuple[int, int]]:
        dataset, means, sides, wanted = self.dataset, self.means, self.sides, self.wanted
        lat, lon, radius, cos = self.lat, self.lon, self.radius, self.cos
        actors, low, most = self.actors, self.killed_low, self.killed_most
        dataset_i, means_i, sides_i = dataset[i], means[i], sides[i]
        wanted_i = wanted is None or wanted[i]
        lat_i, lon_i, radius_i, cos_i = lat[i], lon[i], radius[i], cos[i]
        actors_i, low_i, most_i = actors[i], low[i], most[i]
        for j in others:
            if (
                dataset[j] == dataset_i
                or not (means[j] & means_i and sides[j] & sides_i)
                or not (wanted_i or (wanted is not None and wanted[j]))
                or low[j] > most_i
                or low_i > most[j]
                or (actors_i and actors[j] and actors_i.isdisjoint(actors[j]))
            ):
                continue
            if located:
                reach = (radius_i + radius[j]) / KM_PER_DEGREE
                if abs(lat[j] - lat_i) > reach:  # type: ignore[operator]
                    continue
                if abs(lon[j] - lon_i) * min(cos_i, cos[j]) > reach:  # type: ignore[operator]
                    continue
            yield (j, i) if j < i else (i, j)
