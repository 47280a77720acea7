"""Helpers for the matching tests: records of each data set as JSON data."""

from __future__ import annotations

from typing import Any

from incidents.matching.records import MatchRecord, match_record
from tests.conftest import incident_data

KABUL = (34.5200, 69.1800)
EVENT_TYPES = {"acled": "Explosions/Remote violence: Suicide bomb", "ucdp": "one-sided violence"}


def record_data(
    dataset: str = "gtd",
    original: str = "1",
    at: tuple[float, float] | None = KABUL,
    precision: str = "exact",
    event_type: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """A record of a data set ("hand-kept": no origin) as JSON data: by
    default a bombing at a mosque in Kabul, on 15 January 2022."""
    data = incident_data(**{"id": f"{dataset}-{original}".lower(), **changes})
    if at is not None:
        coordinates = {"lat": at[0], "lon": at[1], "precision": precision}
        data["location"] = {**data["location"], "coordinates": coordinates}
    if dataset != "hand-kept":
        data["origin"] = {"dataset": dataset, "id": original}
        if event_type or dataset in EVENT_TYPES:
            data["origin"]["event_type"] = event_type or EVENT_TYPES[dataset]
    return data


def record(dataset: str = "gtd", original: str = "1", **changes: Any) -> MatchRecord:
    return match_record(0, record_data(dataset, original, **changes))
