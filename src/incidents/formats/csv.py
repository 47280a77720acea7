"""CSV: a header row and one flat row per incident (RFC 4180 quoting).

A text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that it shows as text.  Numeric columns are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from incidents.model import Incident, count_bounds
from incidents.query import CountSum, Totals

INCIDENT_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "end_date",
    "country",
    "province",
    "district",
    "city",
    "site",
    "latitude",
    "longitude",
    "coordinates_precision",
    "perpetrator",
    "attribution",
    "claimed_on",
    "claim_channel",
    "attack_type",
    "target_type",
    "target",
    "weapons",
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "summary",
    "sources",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _bounds(count: object) -> tuple[str, str]:
    """(min, max) cells: both empty when unknown, max empty when unbounded."""
    if count is None:
        return "", ""
    low, high = count_bounds(count)  # type: ignore[arg-type]
    return str(low), "" if high is None else str(high)


def flat_row(incident: Incident) -> dict[str, str]:
    """The incident as flat text cells, keyed by INCIDENT_COLUMNS."""
    location = incident.location
    coordinates = location.coordinates
    claim = incident.claim
    killed_min, killed_max = _bounds(incident.killed)
    wounded_min, wounded_max = _bounds(incident.wounded)
    text = {
        "id": incident.id,
        "date": str(incident.date),
        "date_precision": incident.date.precision.value,
        "end_date": str(incident.end_date) if incident.end_date else "",
        "country": location.country,
        "province": location.province or "",
        "district": location.district or "",
        "city": location.city or "",
        "site": location.site or "",
        "coordinates_precision": coordinates.precision.value if coordinates else "",
        "perpetrator": incident.perpetrator.name or "",
        "attribution": incident.perpetrator.attribution.value,
        "claimed_on": str(claim.date) if claim and claim.date else "",
        "claim_channel": (claim.channel or "") if claim else "",
        "attack_type": incident.attack_type.value,
        "target_type": incident.target_type.value,
        "target": incident.target,
        "weapons": "; ".join(w.value for w in incident.weapon_types),
        "summary": incident.summary,
        "sources": "; ".join(
            " ".join(filter(None, (s.publisher, f"({s.date})" if s.date else None, s.url)))
            for s in incident.sources
        ),
    }
    row = {column: neutralise(value) for column, value in text.items()}
    row.update(
        latitude=str(coordinates.lat) if coordinates else "",
        longitude=str(coordinates.lon) if coordinates else "",
        killed_min=killed_min,
        killed_max=killed_max,
        wounded_min=wounded_min,
        wounded_max=wounded_max,
    )
    return {column: row[column] for column in INCIDENT_COLUMNS}


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=INCIDENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for incident in incidents:
        writer.writerow(flat_row(incident))


TOTAL_COLUMNS = (
    "key",
    "incidents",
    "killed_min",
    "killed_max",
    "killed_unknown",
    "wounded_min",
    "wounded_max",
    "wounded_unknown",
    "killed_best",
    "wounded_best",
)


def _sum_cells(prefix: str, total: CountSum) -> dict[str, str]:
    return {
        f"{prefix}_min": str(total.low),
        f"{prefix}_max": "" if total.high is None else str(total.high),
        f"{prefix}_unknown": str(total.unknown),
        f"{prefix}_best": "" if total.best is None else str(total.best),
    }


def write_totals(totals: Totals, stream: TextIO) -> None:
    """One row per group, then the overall row keyed ``total``."""
    writer = csv.DictWriter(stream, fieldnames=TOTAL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for group in [*totals.groups, totals.overall]:
        writer.writerow(
            {
                "key": neutralise(group.key),
                "incidents": str(group.incidents),
                **_sum_cells("killed", group.killed),
                **_sum_cells("wounded", group.wounded),
            }
        )
