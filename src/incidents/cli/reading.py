"""Reading commands: list, show, total, export, where, timeline."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.completing import complete_ids
from incidents.cli.options import (
    OUTPUT,
    build_filters,
    filter_options,
    format_option,
    no_svg_unless_table,
    section_option,
    svg_option,
)
from incidents.cli.output import print_renderable, save_svg

if TYPE_CHECKING:
    from incidents.formats import Format
    from incidents.model import Incident
    from incidents.query import Filters, IncidentSource, SortKey

T = TypeVar("T")


@cli.command("list")
@filter_options
@section_option(
    OUTPUT,
    "--sort",
    type=click.Choice(["date", "killed", "wounded"]),
    default="date",
    show_default=True,
    help="Order: oldest first, or highest toll first (unknown last).",
)
@section_option(OUTPUT, "--limit", type=click.IntRange(min=1), metavar="N", help="Show at most N.")
@format_option(["table", "csv", "json", "ndjson", "geojson", "markdown"], "table", "Output format.")
@svg_option
@pass_app
def list_command(
    app: AppContext,
    /,
    sort: str,
    limit: int | None,
    output_format: str,
    svg: Path | None,
    **options: Any,
) -> None:
    """List incidents as a table (or csv, json, geojson, markdown...).

    \b
    Examples:
      incidents list --target-type embassy
      incidents list --location "Mazar-e Sharif" --format json
      incidents list --since 2022-09-01 --until "December 2022"
      incidents list --sort killed --limit 3
      incidents list --since 2022 --svg attacks.svg
    """
    from incidents.formats import Format
    from incidents.query import SortKey

    no_svg_unless_table(svg, output_format)
    source, filters = app.source(), build_filters(options)
    fmt = Format(output_format)
    if fmt is Format.TABLE:
        from incidents.formats.table import incidents_table

        table = incidents_table(source.list_rows(filters, SortKey(sort), limit), source.count())
        print_renderable(table)
        save_svg(table, svg)
    else:
        write_selection(fmt, source, filters, sys.stdout, SortKey(sort), limit)


def write_selection(
    fmt: Format,
    source: IncidentSource,
    filters: Filters,
    stream: Any,
    sort: SortKey | None = None,
    limit: int | None = None,
) -> int:
    """Write the matching incidents in a data format; returns how many.

    CSV and JSON stream from flat records and stored texts, so that the
    index answers them without building model objects.
    """
    from incidents.formats import Format
    from incidents.formats import csv as csv_format
    from incidents.formats import geojson as geojson_format
    from incidents.formats import json as json_format
    from incidents.formats import markdown as markdown_format

    written = 0

    def counted(items: Iterable[T]) -> Iterator[T]:
        nonlocal written
        for item in items:
            written += 1
            yield item

    if fmt is Format.CSV:
        csv_format.write_lines(counted(source.csv_lines(filters, sort, limit)), stream)
    elif fmt is Format.JSON:
        json_format.write_store_texts(counted(source.stored_texts(filters, sort, limit)), stream)
    elif fmt is Format.NDJSON:
        json_format.write_lines(counted(source.json_lines(filters, sort, limit)), stream)
    elif fmt is Format.MARKDOWN:
        # The list table's rows, with its marks: "~" for a date that may fall outside.
        rows = source.list_rows(filters, sort, limit)
        markdown_format.write_rows(rows, stream)
        written = len(rows)
    else:
        incidents = source.incidents(filters, sort, limit)
        geojson_format.write_incidents(incidents, stream)
        warn_without_coordinates(incidents)
        written = len(incidents)
    return written


@cli.command()
@click.argument("incident_id", metavar="ID", shell_complete=complete_ids)
@format_option(["table", "json"], "table", "Output format.")
@pass_app
def show(app: AppContext, incident_id: str, output_format: str) -> None:
    """Show every field of one incident, with its sources.

    \b
    Example:
      incidents show 2022-12-02-kabul
    """
    incident = app.source().incident(incident_id)
    if output_format == "json":
        from incidents.store import incident_json

        click.echo(incident_json(incident, indent=2))
    else:
        from incidents.formats.table import incident_details

        print_renderable(incident_details(incident))


@cli.command()
@filter_options
@section_option(
    OUTPUT,
    "--by",
    type=click.Choice(
        [
            "target-type",
            "attack-type",
            "perpetrator",
            "country",
            "province",
            "city",
            "year",
            "month",
        ]
    ),
    help="One row per group, and a total row.",
)
@format_option(["table", "csv", "json", "ndjson"], "table", "Output format.")
@svg_option
@pass_app
def total(
    app: AppContext, /, by: str | None, output_format: str, svg: Path | None, **options: Any
) -> None:
    """Count incidents and total the killed and wounded.

    A sum is exact only when every figure in it is exact. Otherwise it is a
    bound ("at least 235") with the number of incidents that had no figure.
    In JSON each group is {"key", "incidents", "killed": {"min", "max",
    "unknown", "best"}, "wounded": {...}}: max is null when any count is
    unbounded or unknown; best sums the best estimates (UCDP gives them), and
    is null when no figure has one.

    \b
    Examples:
      incidents total
      incidents total --by target-type
      incidents total --by month --location kunduz
      incidents total --by target-type --svg totals.svg
    """
    from incidents.formats import Format
    from incidents.formats import csv as csv_format
    from incidents.formats import json as json_format
    from incidents.query import GroupBy

    no_svg_unless_table(svg, output_format)
    totals = app.source().totals(build_filters(options), GroupBy(by) if by else None)
    fmt = Format(output_format)
    if fmt is Format.TABLE:
        from incidents.formats.table import totals_table

        table = totals_table(totals)
        print_renderable(table)
        save_svg(table, svg)
    elif fmt is Format.CSV:
        csv_format.write_totals(totals, sys.stdout)
    elif fmt is Format.JSON:
        json_format.write_totals(totals, sys.stdout)
    else:
        json_format.write_totals_lines(totals, sys.stdout)


@cli.command()
@filter_options
@format_option(
    ["csv", "json", "ndjson", "geojson", "markdown"],
    None,
    "Output format [default: from the -o file's ending, else csv]. "
    "JSON is itself a store, readable with --store.",
)
@section_option(
    OUTPUT,
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (whole or not at all) instead of standard output.",
)
@pass_app
def export(
    app: AppContext, /, output_format: str | None, output: Path | None, **options: Any
) -> None:
    """Export incidents as CSV, JSON, NDJSON, GeoJSON or Markdown.

    CSV has a header and one flat row per incident; a count's min and max
    are both empty when it is not known, and max alone is empty when there
    is only a lower bound.  Cells that a spreadsheet would run as a formula
    are prefixed with '.

    GeoJSON is a FeatureCollection for a map: one Point per incident, with
    the CSV columns as properties (null where empty); an incident without
    coordinates has a null geometry.  Markdown is a table to paste in a
    report, marked like the terminal's (≥1 at least one, ? not known).

    \b
    Examples:
      incidents export --format csv > attacks.csv
      incidents export --format json --target-type mosque -o religious.json
      incidents export -o attacks.geojson
      incidents export --format markdown --since 2022-09
    """
    from incidents.formats import Format
    from incidents.store import atomic_writer

    fmt = Format(output_format) if output_format else None
    if fmt is None:
        fmt = (Format.from_suffix(output.suffix) if output else None) or Format.CSV
    source, filters = app.source(), build_filters(options)
    if output is None:
        write_selection(fmt, source, filters, sys.stdout)
        return
    with atomic_writer(output, newline="") as stream:
        written = write_selection(fmt, source, filters, stream)
    plural = "incident" if written == 1 else "incidents"
    click.echo(f"Wrote {written} {plural} to {output} ({fmt.value}).", err=True)


@cli.command()
@pass_app
def where(app: AppContext) -> None:
    """Say which store file is in use, and why.

    \b
    Order: --store PATH, $INCIDENTS_STORE, ./incidents.json, the bundled copy.
    Example:
      incidents where
    """
    from incidents.index import SQLITE_SUFFIXES, index_path_for

    location = app.location()
    click.echo(str(location.path))
    click.echo(f"({location.reason})", err=True)
    if location.path.suffix.lower() not in SQLITE_SUFFIXES:
        click.echo(f"Its query index: {index_path_for(location.path)}", err=True)


def warn_without_coordinates(incidents: Sequence[Incident]) -> None:
    from incidents.formats.geojson import without_coordinates

    missing = without_coordinates(incidents)
    if missing:
        plural = "incident has" if len(missing) == 1 else "incidents have"
        click.echo(
            f"{len(missing)} {plural} no coordinates and no point on the map "
            f"(null geometry): {', '.join(i.id for i in missing)}.",
            err=True,
        )


@cli.command("timeline")
@filter_options
@section_option(
    OUTPUT,
    "--by",
    type=click.Choice(["year", "month", "week"]),
    default="month",
    show_default=True,
    help="One bar per year, month or ISO week (Monday to Sunday).",
)
@svg_option
@pass_app
def timeline_command(app: AppContext, /, by: str, svg: Path | None, **options: Any) -> None:
    """Chart incidents and the killed per month (or year, or week).

    Every period from the first incident to the last has a line, empty ones
    too.  An incident counts in a period only when its date surely lies in
    it: one known only to the year is shown apart from the months, one
    known only to the month apart from the weeks.  The killed bar is solid
    up to the sure figure; + means there may be more.

    \b
    Examples:
      incidents timeline
      incidents timeline --by week --since 2022-09
      incidents timeline --target-type mosque --by year
      incidents timeline --svg timeline.svg
    """
    from incidents.formats.timeline import timeline_chart
    from incidents.timeline import Step, timeline

    chart = timeline_chart(timeline(app.source().incidents(build_filters(options)), Step(by)))
    print_renderable(chart)
    save_svg(chart, svg)
