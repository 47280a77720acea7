"""CSV: a header row and one flat row per incident (RFC 4180 quoting).

A text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that it shows as text.  Numeric columns are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from incidents.model import Casualties, Incident, count_bounds
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


FlatValue = str | int | float | None


def _bounds(count: Casualties) -> tuple[int | None, int | None]:
    """(min, max): both None when unknown, max None when unbounded."""
    if count is None:
        return None, None
    return count_bounds(count)


def _joined(values: Iterable[str]) -> str | None:
    return "; ".join(values) or None


def flat_fields(incident: Incident) -> dict[str, FlatValue]:
    """The incident as flat fields keyed by INCIDENT_COLUMNS; None where empty.

    Shared by every flat format: CSV writes them as text cells, GeoJSON as
    a Feature's properties.
    """
    location = incident.location
    coordinates = location.coordinates
    claim = incident.claim
    killed_min, killed_max = _bounds(incident.killed)
    wounded_min, wounded_max = _bounds(incident.wounded)
    fields: dict[str, FlatValue] = {
        "id": incident.id,
        "date": str(incident.date),
        "date_precision": incident.date.precision.value,
        "end_date": str(incident.end_date) if incident.end_date else None,
        "country": location.country,
        "province": location.province,
        "district": location.district,
        "city": location.city,
        "site": location.site,
        "latitude": coordinates.lat if coordinates else None,
        "longitude": coordinates.lon if coordinates else None,
        "coordinates_precision": coordinates.precision.value if coordinates else None,
        "perpetrator": incident.perpetrator.name,
        "attribution": incident.perpetrator.attribution.value,
        "claimed_on": str(claim.date) if claim and claim.date else None,
        "claim_channel": claim.channel if claim else None,
        "attack_type": incident.attack_type.value,
        "target_type": incident.target_type.value,
        "target": incident.target,
        "weapons": _joined(w.value for w in incident.weapon_types),
        "killed_min": killed_min,
        "killed_max": killed_max,
        "wounded_min": wounded_min,
        "wounded_max": wounded_max,
        "summary": incident.summary,
        "sources": _joined(
            " ".join(filter(None, (s.publisher, f"({s.date})" if s.date else None, s.url)))
            for s in incident.sources
        ),
    }
    return {column: fields[column] for column in INCIDENT_COLUMNS}


def _cell(value: FlatValue) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def flat_row(incident: Incident) -> dict[str, str]:
    """The incident as flat text cells, keyed by INCIDENT_COLUMNS."""
    return {column: _cell(value) for column, value in flat_fields(incident).items()}


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
)


def _sum_cells(prefix: str, total: CountSum) -> dict[str, str]:
    return {
        f"{prefix}_min": str(total.low),
        f"{prefix}_max": "" if total.high is None else str(total.high),
        f"{prefix}_unknown": str(total.unknown),
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
