"""Flat views of an incident: the cells of a CSV row and the columns of a list.

Both the in-memory path and the SQLite index produce these, so that the two
print the same thing to the letter.  Nothing here imports pydantic: the
index builds these rows from its own columns without loading the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from incidents.model import Incident


class CountLike(Protocol):
    """A bound or range: ``model.Count`` or ``records.Bounds``."""

    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int | None: ...
    @property
    def best(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Bounds:
    """A casualty figure rebuilt from index columns, shaped like ``model.Count``."""

    min: int
    max: int | None = None
    best: int | None = None


Figure = int | CountLike | None


def figure_bounds(figure: Figure) -> tuple[int, int | None]:
    """The lowest and highest value a figure allows; highest None is unbounded.

    An unknown figure allows anything: 0 .. unbounded.
    """
    if figure is None:
        return 0, None
    if isinstance(figure, int):
        return figure, figure
    return figure.min, figure.max


def figure_from_columns(low: int, high: int | None, best: int | None, unknown: int) -> Figure:
    if unknown:
        return None
    if high == low and best is None:
        return low
    return Bounds(low, high, best)


# The CSV export's columns, in order; also the flat columns of the index.
FLAT_COLUMNS = (
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

# Columns that hold numbers; the rest is text a spreadsheet might misread.
NUMERIC_COLUMNS = frozenset(
    {"latitude", "longitude", "killed_min", "killed_max", "wounded_min", "wounded_max"}
)


def _bound_cells(figure: Figure) -> tuple[str, str]:
    """(min, max): both empty when unknown, max empty when unbounded."""
    if figure is None:
        return "", ""
    low, high = figure_bounds(figure)
    return str(low), "" if high is None else str(high)


def flat_record(incident: Incident) -> tuple[str, ...]:
    """The incident as flat text cells, in FLAT_COLUMNS order."""
    location = incident.location
    coordinates = location.coordinates
    claim = incident.claim
    killed_min, killed_max = _bound_cells(incident.killed)
    wounded_min, wounded_max = _bound_cells(incident.wounded)
    return (
        incident.id,
        str(incident.date),
        incident.date.precision.value,
        str(incident.end_date) if incident.end_date else "",
        location.country,
        location.province or "",
        location.district or "",
        location.city or "",
        location.site or "",
        str(coordinates.lat) if coordinates else "",
        str(coordinates.lon) if coordinates else "",
        coordinates.precision.value if coordinates else "",
        incident.perpetrator.name or "",
        incident.perpetrator.attribution.value,
        str(claim.date) if claim and claim.date else "",
        (claim.channel or "") if claim else "",
        incident.attack_type.value,
        incident.target_type.value,
        incident.target,
        "; ".join(w.value for w in incident.weapon_types),
        killed_min,
        killed_max,
        wounded_min,
        wounded_max,
        incident.summary,
        "; ".join(
            " ".join(filter(None, (s.publisher, f"({s.date})" if s.date else None, s.url)))
            for s in incident.sources
        ),
    )


@dataclass(frozen=True, slots=True)
class ListRow:
    """What one line of the ``list`` table shows."""

    id: str
    date_text: str
    place_label: str
    short_place: str
    target_type: str
    attack_type: str
    perpetrator: str | None
    suspected: bool
    killed: Figure
    wounded: Figure
    date_uncertain: bool = False


def place_label(city: str | None, district: str | None, province: str | None, country: str) -> str:
    """A short human name: the most precise settled place and its province."""
    settled = city or district
    if not settled:
        return province or country
    if province and province != settled:
        return f"{settled}, {province}"
    return settled


def date_text(date: str, end_date: str | None) -> str:
    return f"{date}..{end_date}" if end_date and end_date != date else date


def list_row(incident: Incident, date_uncertain: bool = False) -> ListRow:
    location = incident.location
    return ListRow(
        id=incident.id,
        date_text=date_text(str(incident.date), str(incident.end_date or "")),
        place_label=place_label(
            location.city, location.district, location.province, location.country
        ),
        short_place=location.city or location.district or location.province or location.country,
        target_type=incident.target_type.value,
        attack_type=incident.attack_type.value,
        perpetrator=incident.perpetrator.name,
        suspected=incident.perpetrator.attribution.value == "suspected",
        killed=incident.killed,
        wounded=incident.wounded,
        date_uncertain=date_uncertain,
    )


FlatValue = str | int | float | None


def flat_fields(incident: Incident) -> dict[str, FlatValue]:
    """The flat record with numbers as numbers and None where a cell is empty,
    for formats that have types (GeoJSON properties)."""
    fields: dict[str, FlatValue] = {}
    for column, cell in zip(FLAT_COLUMNS, flat_record(incident), strict=True):
        if cell == "":
            fields[column] = None
        elif column in NUMERIC_COLUMNS:
            fields[column] = float(cell) if column in ("latitude", "longitude") else int(cell)
        else:
            fields[column] = cell
    return fields
