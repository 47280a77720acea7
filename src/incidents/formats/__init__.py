"""Output formats: one module each, chosen by the ``Format`` enum through
one table of renderers.

A format draws what a command shows for the terminal (a rich renderable:
the table) or writes it to a stream as data.  ``RENDERERS`` says, for each
format, how it renders a selection of incidents (list, export) and a set of
totals (total); a command offers the formats that render what it shows.

Adding a format is adding its module, a member here and its renderer: a
test loops over the enum.  The renderers import their modules when called,
so that ``incidents --help`` can list the choices without loading them.

What lives where: ``listing`` (the list: a table on the terminal, TSV lines
when piped) and its ``columns``, ``details`` (one incident, for ``show``),
``table`` (the totals and cross-tables), ``timeline`` (the terminal's chart),
``stats`` (what a store holds), ``csv``, ``json`` (and NDJSON), ``geojson``,
``markdown``; ``labels``, the marks they share; ``answers``, what an answer
counted, in words; ``charts/``, the SVG charts for a report (--svg, --png).
Text from the store reaches them all through ``inert``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.console import RenderableType

    from incidents.query import Filters, IncidentSource, SortKey, Totals

T = TypeVar("T")


class Format(StrEnum):
    TABLE = "table"
    TSV = "tsv"
    CSV = "csv"
    JSON = "json"
    NDJSON = "ndjson"
    GEOJSON = "geojson"
    MARKDOWN = "markdown"

    @classmethod
    def from_suffix(cls, suffix: str) -> Format | None:
        """The data format a file name ending implies (``.csv``, ``.json``...)."""
        return _ENDINGS.get(suffix.lower())

    @staticmethod
    def suffixes(formats: Iterable[str]) -> list[str]:
        """The file name endings of these formats."""
        wanted = set(formats)
        return [ending for ending, fmt in _ENDINGS.items() if fmt.value in wanted]


_ENDINGS = {
    ".csv": Format.CSV,
    ".tsv": Format.TSV,
    ".json": Format.JSON,
    ".ndjson": Format.NDJSON,
    ".jsonl": Format.NDJSON,
    ".geojson": Format.GEOJSON,
    ".md": Format.MARKDOWN,
}


@dataclass(frozen=True)
class Selection:
    """The incidents a command shows: what matches, in order, at most ``limit``."""

    source: IncidentSource
    filters: Filters
    sort: SortKey | None = None
    limit: int | None = None
    columns: tuple[str, ...] | None = None  # the list's columns (table, TSV), by name
    schema_url: str | None = None  # the "$schema" a JSON document names


@dataclass
class Written:
    """What a writer wrote: how many incidents, and notes for stderr."""

    count: int = 0
    notes: list[str] = field(default_factory=list)

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.count += 1
            yield item


@dataclass(frozen=True)
class Renderer:
    """How one format renders incidents and totals; None where it cannot."""

    incidents_view: Callable[[Selection], RenderableType] | None = None
    write_incidents: Callable[[Selection, TextIO], Written] | None = None
    totals_view: Callable[[Totals], RenderableType] | None = None
    write_totals: Callable[[Totals, TextIO], None] | None = None

    @property
    def shows_incidents(self) -> bool:
        return self.incidents_view is not None or self.write_incidents is not None

    @property
    def shows_totals(self) -> bool:
        return self.totals_view is not None or self.write_totals is not None


# --- the renderers: CSV and JSON stream from flat records and stored texts,
# so that the index answers them without building model objects.


def _matched(selection: Selection, shown: int) -> int | None:
    """How many match, when a limit may have left some out."""
    if selection.limit is None or shown < selection.limit:
        return None
    return selection.source.tally(selection.filters).incidents


def _incidents_table(selection: Selection) -> RenderableType:
    from incidents.formats.listing import incidents_table

    source = selection.source
    rows = source.list_rows(selection.filters, selection.sort, selection.limit)
    matched = _matched(selection, len(rows))
    return incidents_table(rows, source.count(), selection.columns, matched)


def _tsv_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import listing
    from incidents.formats.columns import DISTINCT_PIPED_COLUMNS, PIPED_COLUMNS

    source = selection.source
    rows = source.list_rows(selection.filters, selection.sort, selection.limit)
    counted_once = any(row.reported_by for row in rows)
    columns = selection.columns or (DISTINCT_PIPED_COLUMNS if counted_once else PIPED_COLUMNS)
    listing.write_lines(rows, stream, columns)
    matched = _matched(selection, len(rows))
    return Written(len(rows), listing.notes(rows, source.count(), columns, matched))


def _totals_table(totals: Totals) -> RenderableType:
    from incidents.formats.table import totals_table

    return totals_table(totals)


def _csv_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import csv as csv_format

    written = Written()
    lines = selection.source.csv_lines(selection.filters, selection.sort, selection.limit)
    csv_format.write_lines(written.counted(lines), stream)
    return written


def _csv_totals(totals: Totals, stream: TextIO) -> None:
    from incidents.formats import csv as csv_format

    csv_format.write_totals(totals, stream)


def _json_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import json as json_format

    written = Written()
    texts = selection.source.stored_texts(selection.filters, selection.sort, selection.limit)
    json_format.write_store_texts(written.counted(texts), stream, selection.schema_url)
    return written


def _json_totals(totals: Totals, stream: TextIO) -> None:
    from incidents.formats import json as json_format

    json_format.write_totals(totals, stream)


def _ndjson_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import json as json_format

    written = Written()
    lines = selection.source.json_lines(selection.filters, selection.sort, selection.limit)
    json_format.write_lines(written.counted(lines), stream)
    return written


def _ndjson_totals(totals: Totals, stream: TextIO) -> None:
    from incidents.formats import json as json_format

    json_format.write_totals_lines(totals, stream)


def _geojson_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import geojson as geojson_format

    incidents = selection.source.incidents(selection.filters, selection.sort, selection.limit)
    geojson_format.write_incidents(incidents, stream)
    return Written(len(incidents), geojson_format.notes_without_coordinates(incidents))


def _markdown_incidents(selection: Selection, stream: TextIO) -> Written:
    from incidents.formats import markdown as markdown_format

    # The list table's rows, with its marks: "~" for a date that may fall outside.
    rows = selection.source.list_rows(selection.filters, selection.sort, selection.limit)
    markdown_format.write_rows(rows, stream)
    return Written(len(rows))


RENDERERS: dict[Format, Renderer] = {
    Format.TABLE: Renderer(incidents_view=_incidents_table, totals_view=_totals_table),
    Format.TSV: Renderer(write_incidents=_tsv_incidents),
    Format.CSV: Renderer(write_incidents=_csv_incidents, write_totals=_csv_totals),
    Format.JSON: Renderer(write_incidents=_json_incidents, write_totals=_json_totals),
    Format.NDJSON: Renderer(write_incidents=_ndjson_incidents, write_totals=_ndjson_totals),
    Format.GEOJSON: Renderer(write_incidents=_geojson_incidents),
    Format.MARKDOWN: Renderer(write_incidents=_markdown_incidents),
}


def incident_formats(*, data_only: bool = False) -> list[str]:
    """The formats that show a selection of incidents (only as data, for export)."""
    return [
        fmt.value
        for fmt, renderer in RENDERERS.items()
        if (renderer.write_incidents if data_only else renderer.shows_incidents)
    ]


def totals_formats() -> list[str]:
    return [fmt.value for fmt, renderer in RENDERERS.items() if renderer.shows_totals]
