"""What ``incidents match`` shows: two records side by side for review, the
overlap of the data sets, and the twins of a record under ``show``.

Text from the store is put in cells as plain text, never read as markup.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from rich import box
from rich.console import Group as RenderGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from incidents.formats.labels import count_text, dataset_mark
from incidents.inert import inert
from incidents.matching.records import dataset_name, dataset_of, dataset_rank
from incidents.records import Bounds, Figure, date_text
from incidents.vocabulary import place_label

if TYPE_CHECKING:
    from incidents.matching.groups import Pair
    from incidents.matching.sources import Twin


def marks_legend(datasets: Sequence[str]) -> str:
    shown = sorted(set(datasets), key=dataset_rank)
    return "Sets: " + ", ".join(f"{dataset_mark(d)} {dataset_name(d)}" for d in shown)


def _figure(value: Any) -> Figure:
    return Bounds(**value) if isinstance(value, dict) else value


def _kind(data: Mapping[str, Any]) -> str:
    origin = data.get("origin") or {}
    own = origin.get("event_type")
    return f"{data['attack_type']} ({own})" if own else str(data["attack_type"])


def _place(data: Mapping[str, Any]) -> str:
    location = data["location"]
    label = place_label(
        location.get("city"),
        location.get("district"),
        location.get("province"),
        location["country"],
    )
    site = location.get("site")
    return f"{site}, {label}" if site else label


def _coordinates(data: Mapping[str, Any]) -> str:
    c = data["location"].get("coordinates")
    return f"{c['lat']}, {c['lon']} ({c['precision']})" if c else "none"


def _perpetrator(data: Mapping[str, Any]) -> str:
    perpetrator = data["perpetrator"]
    return f"{perpetrator.get('name') or 'unknown'} ({perpetrator['attribution']})"


_ROWS = (
    ("Date", lambda d: date_text(d["date"], d.get("end_date"))),
    ("Place", _place),
    ("Coordinates", _coordinates),
    ("Kind", _kind),
    ("Target", lambda d: f"{d['target']} ({d['target_type']})"),
    ("Perpetrator", _perpetrator),
    ("Killed", lambda d: count_text(_figure(d["killed"]))),
    ("Wounded", lambda d: count_text(_figure(d["wounded"]))),
    ("Summary", lambda d: str(d["summary"])),
)


def pair_view(
    first: Mapping[str, Any], second: Mapping[str, Any], pair: Pair, number: int, total: int
) -> RenderableType:
    """Two records side by side, with the link's score and evidence."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("")
    for data in (first, second):
        table.add_column(Text(inert(f"{data['id']} ({dataset_name(dataset_of(data))})")), ratio=1)
    for label, cell in _ROWS:
        row = (Text(inert(cell(first), lines=True)), Text(inert(cell(second), lines=True)))
        table.add_row(Text(label, style="bold"), *row)
    score = f", score {pair.score:.2f}" if pair.score is not None else ""
    heading = Text(f"Link {number} of {total}: {pair.status.value}{score}", style="bold")
    evidence = Text(inert("Evidence: " + (pair.evidence or "none recorded")))
    return RenderGroup(heading, table, evidence)


def twin_fields(twins: Sequence[Twin]) -> list[tuple[str, str]]:
    """The twins of an incident as labelled fields for ``details``: the
    records linked to it, what is known of each link, and why."""
    fields = []
    for twin in twins:
        link = twin.link
        score = f", score {link.score:.2f}" if link.score is not None else ""
        named = twin.id or f"{twin.key} (not in the store)"
        line = f"{named}: {link.status.value}{score}"
        if link.evidence:
            line += f"; {link.evidence}"
        fields.append((_TWIN_LABELS[link.status.value], line))
    return fields


_TWIN_LABELS = {
    "likely": "Same attack as",
    "confirmed": "Same attack as",
    "possible": "Maybe the same",
    "rejected": "Not the same",
}


# --- which data sets report which attacks -------------------------------------------


def _datasets(combinations: Counter[tuple[str, ...]]) -> list[str]:
    return sorted({d for combination in combinations for d in combination}, key=dataset_rank)


def _ordered(combinations: Counter[tuple[str, ...]]) -> list[tuple[tuple[str, ...], int]]:
    return sorted(
        combinations.items(),
        key=lambda item: (-len(item[0]), [dataset_rank(d) for d in item[0]], -item[1]),
    )


def overlap_table(combinations: Counter[tuple[str, ...]]) -> RenderableType:
    """One row per combination of data sets, a mark under each that reports
    the attacks, and how many attacks."""
    datasets = _datasets(combinations)
    table = Table(
        box=box.SIMPLE_HEAD, header_style="bold", show_footer=True, pad_edge=False, show_edge=False
    )
    total = sum(combinations.values())
    for number, dataset in enumerate(datasets):
        heading = inert(dataset_name(dataset))
        table.add_column(heading, "Total" if number == 0 else "", justify="center")
    table.add_column("Attacks", f"{total:,}", justify="right")
    for combination, count in _ordered(combinations):
        marks = ["●" if d in combination else "" for d in datasets]
        table.add_row(*marks, f"{count:,}")
    per_dataset = [
        f"{inert(dataset_name(d))} reports {_sum_with(combinations, d):,} attacks, "
        f"{_shared(combinations, d):,} of them also in another data set"
        for d in datasets
    ]
    return RenderGroup(table, Text("\n".join(per_dataset), style="dim"))


def _sum_with(combinations: Counter[tuple[str, ...]], dataset: str) -> int:
    return sum(n for c, n in combinations.items() if dataset in c)


def _shared(combinations: Counter[tuple[str, ...]], dataset: str) -> int:
    return sum(n for c, n in combinations.items() if dataset in c and len(c) > 1)


def overlap_data(combinations: Counter[tuple[str, ...]]) -> dict[str, Any]:
    datasets = _datasets(combinations)
    return {
        "datasets": datasets,
        "combinations": [{"reported_by": list(c), "attacks": n} for c, n in _ordered(combinations)],
        "attacks": sum(combinations.values()),
        "by_dataset": {
            d: {"attacks": _sum_with(combinations, d), "also_elsewhere": _shared(combinations, d)}
            for d in datasets
        },
    }


def write_overlap(combinations: Counter[tuple[str, ...]], fmt: str, stream: TextIO) -> None:
    """The overlap as JSON, or as CSV: one row per combination."""
    if fmt == "json":
        stream.write(json.dumps(overlap_data(combinations), indent=2, ensure_ascii=False) + "\n")
        return
    writer = csv.writer(stream, lineterminator="\r\n")
    datasets = _datasets(combinations)
    writer.writerow([*datasets, "attacks"])
    for combination, count in _ordered(combinations):
        writer.writerow([*("1" if d in combination else "0" for d in datasets), count])
