"""Reading commands: list, show, total, export, where, timeline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.completing import complete_ids
from incidents.cli.options import (
    OUTPUT,
    build_filters,
    distinct_option,
    filter_options,
    format_option,
    no_svg_unless_table,
    section_option,
    svg_option,
)
from incidents.cli.output import print_renderable, save_svg
from incidents.formats import incident_formats, totals_formats

if TYPE_CHECKING:
    from incidents.formats import Renderer, Selection


@cli.command("list")
@filter_options
@distinct_option
@section_option(
    OUTPUT,
    "--sort",
    type=click.Choice(["date", "killed", "wounded"]),
    default="date",
    show_default=True,
    help="Order: oldest first, or highest toll first (unknown last).",
)
@section_option(OUTPUT, "--limit", type=click.IntRange(min=1), metavar="N", help="Show at most N.")
@format_option(incident_formats(), "table", "Output format.")
@svg_option
@pass_app
def list_command(
    app: AppContext,
    /,
    sort: str,
    limit: int | None,
    output_format: str,
    svg: Path | None,
    distinct: bool,
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
      incidents list --distinct --format csv    (each attack once: see match)
    """
    from incidents.formats import RENDERERS, Format, Selection
    from incidents.query import SortKey

    no_svg_unless_table(svg, output_format)
    renderer = RENDERERS[Format(output_format)]
    selection = Selection(app.source(distinct), build_filters(options), SortKey(sort), limit)
    if renderer.incidents_view is not None:
        table = renderer.incidents_view(selection)
        print_renderable(table)
        save_svg(table, svg)
    else:
        write_selection(renderer, selection, sys.stdout)


def write_selection(renderer: Renderer, selection: Selection, stream: TextIO) -> int:
    """Write the selection in a data format, its notes on stderr; returns how many."""
    assert renderer.write_incidents is not None, "offered only where it can"
    written = renderer.write_incidents(selection, stream)
    for note in written.notes:
        click.echo(note, err=True)
    return written.count


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
    source = app.source()
    incident = source.incident(incident_id)
    if output_format == "json":
        from incidents.store import incident_json

        click.echo(incident_json(incident, indent=2))
    else:
        from incidents.formats.matching import add_twins
        from incidents.formats.table import incident_details
        from incidents.matching.sources import twins

        print_renderable(add_twins(incident_details(incident), twins(source, incident)))


@cli.command()
@filter_options
@distinct_option
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
@format_option(totals_formats(), "table", "Output format.")
@svg_option
@pass_app
def total(
    app: AppContext,
    /,
    by: str | None,
    output_format: str,
    svg: Path | None,
    distinct: bool,
    **options: Any,
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
      incidents total --by year --distinct    (each attack once: see match)
    """
    from incidents.formats import RENDERERS, Format
    from incidents.query import GroupBy

    no_svg_unless_table(svg, output_format)
    totals = app.source(distinct).totals(build_filters(options), GroupBy(by) if by else None)
    renderer = RENDERERS[Format(output_format)]
    if renderer.totals_view is not None:
        table = renderer.totals_view(totals)
        print_renderable(table)
        save_svg(table, svg)
    else:
        assert renderer.write_totals is not None, "offered only where it can"
        renderer.write_totals(totals, sys.stdout)


@cli.command()
@filter_options
@distinct_option
@format_option(
    incident_formats(data_only=True),
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
    app: AppContext,
    /,
    output_format: str | None,
    output: Path | None,
    distinct: bool,
    **options: Any,
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
    from incidents.formats import RENDERERS, Format, Selection
    from incidents.store import atomic_writer

    fmt = Format(output_format) if output_format else None
    if fmt is None:
        fmt = (Format.from_suffix(output.suffix) if output else None) or Format.CSV
    renderer = RENDERERS[fmt]
    selection = Selection(app.source(distinct), build_filters(options))
    if output is None:
        write_selection(renderer, selection, sys.stdout)
        return
    with atomic_writer(output, newline="") as stream:
        written = write_selection(renderer, selection, stream)
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


@cli.command("timeline")
@filter_options
@distinct_option
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
def timeline_command(
    app: AppContext, /, by: str, svg: Path | None, distinct: bool, **options: Any
) -> None:
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

    incidents = app.source(distinct).incidents(build_filters(options))
    chart = timeline_chart(timeline(incidents, Step(by)))
    print_renderable(chart)
    save_svg(chart, svg)
