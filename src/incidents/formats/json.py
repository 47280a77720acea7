"""JSON and NDJSON.

``json`` writes a whole store document (``{"incidents": [...]}``), so an
export can be read back with ``--store``; ``ndjson`` writes one incident per
line for streaming tools.  Totals follow the shape documented on ``total``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from incidents.query import CountSum, Group, Totals
from incidents.store import incident_json, store_document, stored_json

if TYPE_CHECKING:
    from incidents.model import Incident


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_store_texts((stored_json(incident) for incident in incidents), stream)


def write_store_texts(texts: Iterable[str], stream: TextIO) -> None:
    """A store document from incidents' ``store.stored_json`` texts."""
    for piece in store_document(texts):
        stream.write(piece)


def write_incidents_lines(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_lines((incident_json(incident) for incident in incidents), stream)


def write_lines(texts: Iterable[str], stream: TextIO) -> None:
    """NDJSON from incidents' one-line JSON texts."""
    for text in texts:
        stream.write(text + "\n")


def _sum(total: CountSum) -> dict[str, int | float | None]:
    return {"min": total.low, "max": total.high, "unknown": total.unknown, "best": total.best}


def group_data(group: Group) -> dict[str, Any]:
    return {
        "key": group.key,
        "incidents": group.incidents,
        "killed": _sum(group.killed),
        "wounded": _sum(group.wounded),
    }


def totals_data(totals: Totals) -> dict[str, Any]:
    return {
        "by": totals.by.value if totals.by else None,
        "groups": [group_data(g) for g in totals.groups],
        "total": group_data(totals.overall),
    }


def write_totals(totals: Totals, stream: TextIO) -> None:
    stream.write(json.dumps(totals_data(totals), indent=2, ensure_ascii=False) + "\n")


def write_totals_lines(totals: Totals, stream: TextIO) -> None:
    for group in [*totals.groups, totals.overall]:
        stream.write(json.dumps(group_data(group), ensure_ascii=False) + "\n")
