"""Flat views of an incident: the cells of a CSV row and the columns of a list.

The index makes these from its own columns and the incidents' stored JSON,
without loading the model (nothing here imports pydantic); the model's own
(``list_row``, ``flat_record``) serve incidents that are in no store yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from incidents.countries import country_code
from incidents.vocabulary import place_label

if TYPE_CHECKING:
    from incidents.model import Incident


class CountLike(Protocol):
    """A bound or range: ``model.Count`` or ``records.Bounds``."""

    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int | None: ...
    @property
    def best(self) -> int | float | None: ...


@dataclass(frozen=True, slots=True)
class Bounds:
    """A casualty figure rebuilt from index columns, shaped like ``model.Count``."""

    min: int
    max: int | None = None
    best: int | float | None = None


Figure = int | CountLike | None


def estimate_number(value: float) -> int | float:
    """A best estimate, or a sum of them, as it is shown: a whole number as an
    integer, a decimal to six places, so that sixteen times GTD's 19.8 reads
    316.8 and not the 316.80000000000007 of binary arithmetic."""
    if isinstance(value, int):
        return value
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded


def figure_bounds(figure: Figure) -> tuple[int, int | None]:
    """The lowest and highest value a figure allows; highest None is unbounded.

    An unknown figure allows anything: 0 .. unbounded.
    """
    if figure is None:
        return 0, None
    if isinstance(figure, int):
        return figure, figure
    return figure.min, figure.max


def figure_from_columns(
    low: int, high: int | None, best: int | float | None, unknown: int
) -> Figure:
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
    "country_code",
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
    # Added after the others, so that the columns before keep their places.
    "killed_best",
    "wounded_best",
)

# Columns that hold numbers; the rest is text a spreadsheet might misread.
NUMERIC_COLUMNS = frozenset(
    {
        "latitude",
        "longitude",
        "killed_min",
        "killed_max",
        "wounded_min",
        "wounded_max",
        "killed_best",
        "wounded_best",
    }
)


# A text cell a spreadsheet would run as a formula starts with one of these;
# it is written with a ' before it so that it shows as text.
FORMULA_FIRST_CHARACTERS = frozenset("=+-@\t\r")
_TEXT_POSITIONS = frozenset(i for i, c in enumerate(FLAT_COLUMNS) if c not in NUMERIC_COLUMNS)
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: Sequence[str]) -> str:
    """A flat record as one CSV line (RFC 4180 quoting, no line end), with
    formula-like text neutralised.  The same bytes as ``csv.writer`` writes."""
    out = []
    for position, cell in enumerate(cells):
        if cell[:1] in FORMULA_FIRST_CHARACTERS and position in _TEXT_POSITIONS:
            cell = "'" + cell
        if _NEEDS_QUOTES.search(cell):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out)


def _bound_cells(figure: Any) -> tuple[str, str]:
    """(min, max) of a figure as stored (int, {"min", "max"} or null): both
    empty when unknown, max empty when unbounded."""
    if figure is None:
        return "", ""
    if isinstance(figure, int):
        return str(figure), str(figure)
    high = figure.get("max")
    return str(figure["min"]), "" if high is None else str(high)


def _best_cell(figure: Any) -> str:
    """The best estimate of a figure as stored: an exact figure is its own,
    a bound or range has one only where the source gave it (UCDP's best)."""
    if figure is None or isinstance(figure, int):
        return "" if figure is None else str(figure)
    best = figure.get("best")
    return "" if best is None else str(estimate_number(best))


_PRECISION = {4: "year", 7: "month", 10: "day"}


def flat_cells(data: Mapping[str, Any]) -> tuple[str, ...]:
    """An incident's flat text cells, in FLAT_COLUMNS order, from its JSON data.

    Working on the data as the store holds it lets the query index build
    these cells without making model objects.
    """
    location = data["location"]
    coordinates = location.get("coordinates") or {}
    claim = data.get("claim") or {}
    perpetrator = data["perpetrator"]
    killed_min, killed_max = _bound_cells(data["killed"])
    wounded_min, wounded_max = _bound_cells(data["wounded"])
    return (
        data["id"],
        data["date"],
        _PRECISION[len(data["date"])],
        data.get("end_date") or "",
        location["country"],
        location.get("country_code") or country_code(location["country"]) or "",
        location.get("province") or "",
        location.get("district") or "",
        location.get("city") or "",
        location.get("site") or "",
        str(coordinates["lat"]) if coordinates else "",
        str(coordinates["lon"]) if coordinates else "",
        coordinates.get("precision", ""),
        perpetrator.get("name") or "",
        perpetrator["attribution"],
        claim.get("date") or "",
        claim.get("channel") or "",
        data["attack_type"],
        data["target_type"],
        data["target"],
        "; ".join(data.get("weapon_types", ())),
        killed_min,
        killed_max,
        wounded_min,
        wounded_max,
        data["summary"],
        "; ".join(_source_cell(source) for source in data["sources"]),
        _best_cell(data["killed"]),
        _best_cell(data["wounded"]),
    )


def _source_cell(source: Mapping[str, Any]) -> str:
    date = source.get("date")
    parts = (source.get("publisher"), f"({date})" if date else None, source.get("url"))
    return " ".join(part for part in parts if part)


def flat_record(incident: Incident) -> tuple[str, ...]:
    """The incident as flat text cells, in FLAT_COLUMNS order."""
    return flat_cells(incident.model_dump(mode="json"))


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
    country: str
    site: str | None = None
    date_uncertain: bool = False
    # With --distinct: the data sets that report the attack (``incidents match``).
    reported_by: tuple[str, ...] = ()


def date_text(date: str, end_date: str | None) -> str:
    """``2022-09-05``, or ``2020-01-20 – 2020-02-05`` for a span (it wraps at the dash)."""
    return f"{date} – {end_date}" if end_date and end_date != date else date


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
        country=location.country,
        site=location.site,
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
            # A best estimate may be a decimal (GTD's shared figures: 19.8).
            is_decimal = column in ("latitude", "longitude") or "." in cell
            fields[column] = float(cell) if is_decimal else int(cell)
        else:
            fields[column] = cell
    return fields
