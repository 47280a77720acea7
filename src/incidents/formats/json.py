"""JSON and NDJSON.

``json`` writes a whole store document (``{"incidents": [...]}``), so an
export can be read back with ``--store``; ``ndjson`` writes one incident per
line for streaming tools.  Totals follow the shape documented on ``total``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from incidents.query import CountSum, Group, Totals
from incidents.store import incident_json, store_document, stored_json

if TYPE_CHECKING:
    from incidents.model import Incident
    from incidents.timeline import Timeline


def write_incidents(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_store_texts((stored_json(incident) for incident in incidents), stream)


def write_store_texts(texts: Iterable[str], stream: TextIO, schema_url: str | None = None) -> None:
    """A store document from incidents' ``store.stored_json`` texts."""
    for piece in store_document(texts, schema_url):
        stream.write(piece)


def write_incidents_lines(incidents: Iterable[Incident], stream: TextIO) -> None:
    write_lines((incident_json(incident) for incident in incidents), stream)


def write_lines(texts: Iterable[str], stream: TextIO) -> None:
    """NDJSON from incidents' one-line JSON texts."""
    for text in texts:
        stream.write(text + "\n")


def _sum(total: CountSum) -> dict[str, int | float | None]:
    return {"min": total.low, "max": total.high, "unknown": total.unknown, "best": total.best}


def group_data(group: Group, columns: Sequence[Group] = ()) -> dict[str, Any]:
    """A group; in a cross-table, with its ``cells`` by the second grouping."""
    data = {
        "key": group.key,
        "incidents": group.incidents,
        "killed": _sum(group.killed),
        "wounded": _sum(group.wounded),
        "maybe_outside_dates": group.uncertain,
    }
    if columns:
        data["cells"] = [group_data(group.cells[c.key]) for c in columns if c.key in group.cells]
    return data


def totals_data(totals: Totals) -> dict[str, Any]:
    data: dict[str, Any] = {"by": totals.by.value if totals.by else None}
    if totals.across is not None:
        data["across"] = totals.across.value
    data["groups"] = [group_data(g, totals.columns) for g in totals.groups]
    if totals.across is not None:
        data["columns"] = [group_data(c) for c in totals.columns]
    data["total"] = group_data(totals.overall)
    if totals.hidden:
        data["groups_not_shown"] = totals.hidden
    return data


def write_totals(totals: Totals, stream: TextIO) -> None:
    stream.write(json.dumps(totals_data(totals), indent=2, ensure_ascii=False) + "\n")


def write_totals_lines(totals: Totals, stream: TextIO) -> None:
    for group in [*totals.groups, totals.overall]:
        columns = totals.columns if group is not totals.overall else ()
        stream.write(json.dumps(group_data(group, columns), ensure_ascii=False) + "\n")


def write_timeline(timeline: Timeline, stream: TextIO) -> None:
    """``{"by", "periods", "apart", "total"}``: the periods in order, then the
    dates in no one period, each group as in totals."""
    data = {
        "by": timeline.step.value,
        "periods": [group_data(g) for g in timeline.periods],
        "apart": [group_data(g) for g in timeline.apart],
        "total": group_data(timeline.overall),
    }
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
