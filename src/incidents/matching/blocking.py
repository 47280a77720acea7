"""Candidate pairs without comparing every record with every other.

Each record placed by coordinates covers a box of grid cells (its point and
its radius) and a run of time slots (its days, and the tolerance after
them); it is put in every (cell, slot) bucket it covers.  Two records whose
windows meet share at least one bucket, so only records sharing a bucket
are paired, and a pair is given once, from the first bucket both cover.  A
record placed only by its names (no coordinates, or coordinates of a whole
country) is paired with the records of its country that share a time slot.

Records of one data set are never paired here: literal duplicates within a
data set are found apart, by their content (``engine``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence

from incidents.matching.records import MatchRecord
from incidents.matching.windows import DATE_TOLERANCE_DAYS, KM_PER_DEGREE

CELL_DEGREES = 0.5
SLOT_DAYS = 8

# (first and last cell east-west, north-south, first and last time slot)
_Box = tuple[int, int, int, int, int, int]


def _box(record: MatchRecord) -> _Box:
    first_slot = record.start // SLOT_DAYS
    last_slot = (record.end + DATE_TOLERANCE_DAYS) // SLOT_DAYS
    if record.lat is None or record.lon is None:
        return 0, 0, 0, 0, first_slot, last_slot
    reach = record.radius / KM_PER_DEGREE
    wide = reach / max(0.05, math.cos(math.radians(record.lat)))
    return (
        math.floor((record.lon - wide) / CELL_DEGREES),
        math.floor((record.lon + wide) / CELL_DEGREES),
        math.floor((record.lat - reach) / CELL_DEGREES),
        math.floor((record.lat + reach) / CELL_DEGREES),
        first_slot,
        last_slot,
    )


def candidate_pairs(
    records: Sequence[MatchRecord], wanted: Sequence[bool] | None = None
) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, of records of two data sets whose windows may
    meet; with ``wanted``, only the pairs with at least one wanted record."""
    boxes = [_box(record) for record in records]
    datasets = [record.dataset for record in records]
    located = [record.lat is not None for record in records]
    want = wanted if wanted is not None else [True] * len(records)
    grid: defaultdict[tuple[int, int, int], list[int]] = defaultdict(list)
    by_country: defaultdict[tuple[str, int], list[int]] = defaultdict(list)
    for index, (record, box) in enumerate(zip(records, boxes, strict=True)):
        x0, x1, y0, y1, t0, t1 = box
        for slot in range(t0, t1 + 1):
            by_country[(record.country, slot)].append(index)
            if located[index]:
                for x in range(x0, x1 + 1):
                    for y in range(y0, y1 + 1):
                        grid[(x, y, slot)].append(index)
    for (x, y, slot), members in grid.items():
        for i, j in _pairs(members, datasets, want):
            first, second = boxes[i], boxes[j]
            if (
                max(first[0], second[0]) == x
                and max(first[2], second[2]) == y
                and max(first[4], second[4]) == slot
            ):
                yield i, j
    for (_, slot), members in by_country.items():
        for i, j in _pairs(members, datasets, want):
            if (not located[i] or not located[j]) and max(boxes[i][4], boxes[j][4]) == slot:
                yield i, j


def _pairs(
    members: list[int], datasets: Sequence[str], want: Sequence[bool]
) -> Iterator[tuple[int, int]]:
    """Pairs of a bucket's members from two data sets, at least one wanted."""
    if len(members) < 2:
        return
    for position, i in enumerate(members):
        dataset, wanted = datasets[i], want[i]
        for j in members[position + 1 :]:
            if datasets[j] != dataset and (wanted or want[j]):
                yield i, j
