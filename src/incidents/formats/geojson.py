"""GeoJSON (RFC 7946): a FeatureCollection with one Feature per incident.

A Feature's geometry is a Point at the incident's coordinates (longitude
first, as RFC 7946 requires) and its properties are the CSV export's flat
fields, with numbers as numbers and null where a field is empty.  An
incident without coordinates is still a Feature, with a null geometry, so
that nothing is dropped on the way to a map.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from incidents.records import flat_fields

if TYPE_CHECKING:
    from incidents.model import Incident


def feature(incident: Incident) -> dict[str, Any]:
    coordinates = incident.location.coordinates
    geometry = (
        {"type": "Point", "coordinates": [coordinates.lon, coordinates.lat]}
        if coordinates
        else None
    )
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": geometry,
        "properties": flat_fields(incident),
    }


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    collection = {"type": "FeatureCollection", "features": [feature(i) for i in incidents]}
    stream.write(json.dumps(collection, indent=2, ensure_ascii=False) + "\n")


def notes_without_coordinates(incidents: Sequence[Incident]) -> list[str]:
    """A note naming the incidents that have a null geometry, if any."""
    missing = [i.id for i in incidents if i.location.coordinates is None]
    if not missing:
        return []
    plural = "incident has" if len(missing) == 1 else "incidents have"
    return [
        f"{len(missing)} {plural} no coordinates and no point on the map "
        f"(null geometry): {', '.join(missing)}."
    ]
