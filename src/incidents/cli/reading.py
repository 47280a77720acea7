"""Reading commands: list, show, total, export, where, timeline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.completing import complete_ids
from incidents.cli.options import (
    LARGEST_INTEGER,
    OUTPUT,
    build_pictures,
    distinct_option,
    filter_options,
    format_option,
    picture_options,
    section_option,
)
from incidents.cli.output import (
    OutputFile,
    caption,
    console,
    print_renderable,
    save_pictures,
    write_output,
)
from incidents.formats import incident_formats, totals_formats
from incidents.inert import for_terminal, inert

if TYPE_CHECKING:
    from incidents.formats import Renderer, Selection
    from incidents.formats.charts import Body, Caption


def _columns_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    from incidents.formats.columns import parse_columns

    if value is None:
        return None
    try:
        return parse_columns(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


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
@section_option(
    OUTPUT,
    "--limit",
    type=click.IntRange(min=1, max=LARGEST_INTEGER),
    metavar="N",
    help="Show at most N.",
)
@format_option(
    incident_formats(),
    None,
    "Output format [default: table on a terminal; tsv, one line per incident, when piped].",
)
@section_option(
    OUTPUT,
    "--columns",
    metavar="NAMES",
    callback=_columns_option,
    help="The table's (or tsv's) columns, ',' between them: id, date, country, place, site, "
    "target-type, attack-type, perpetrator, killed, wounded [default: as many as the "
    "terminal has room for; piped: all].",
)
@picture_options
@pass_app
def list_command(
    app: AppContext,
    /,
    sort: str,
    limit: int | None,
    output_format: str | None,
    columns: tuple[str, ...] | None,
    distinct: bool,
    **options: Any,
) -> None:
    """List incidents: a table on a terminal, one line each when piped.

    On a terminal, a table as wide as the terminal: ids, dates and numbers
    are never wrapped or cut, and columns that do not fit are left out.
    Piped or redirected, one line per incident: a header line, then the
    columns separated by tabs (--format tsv), for grep, sort, cut and awk;
    the count and what the marks mean go to stderr.

    --svg and --png draw the incidents on a map, where they have coordinates.

    \b
    Examples:
      incidents list --target-type embassy
      incidents list --location "Mazar-e Sharif" --format json
      incidents list --since 2022-09-01 --until "December 2022"
      incidents list --sort killed --limit 3
      incidents list --columns id,date,place,killed
      incidents list --since 2022 --svg attacks.svg
      incidents list --distinct --format csv    (each attack once: see match)
    """
    from incidents.formats import RENDERERS, Format, Selection
    from incidents.query import SortKey

    pictures = build_pictures(options, output_format or "table")
    if output_format is None:
        drawn_as_shown = pictures.wanted and pictures.terminal
        output_format = "table" if drawn_as_shown or console().is_terminal else "tsv"
    if columns is not None and output_format not in ("table", "tsv"):
        raise click.UsageError(
            f"--columns picks the columns of a table or tsv; not of --format {output_format}."
        )
    renderer = RENDERERS[Format(output_format)]
    selection = Selection(app.source(distinct), app.filters(options), SortKey(sort), limit, columns)
    table = None
    if renderer.incidents_view is not None:
        table = renderer.incidents_view(selection)
        print_renderable(table)
    else:
        write_selection(renderer, selection, for_terminal(sys.stdout))

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.map import TITLE, incidents_map

        shown = selection.source.incidents(selection.filters, selection.sort, limit)
        extra = [f"the first {limit} by {sort}"] if limit is not None else []
        return caption(app, selection.filters, TITLE, shown, extra), incidents_map(shown)

    save_pictures(pictures, draw, table)


def write_selection(renderer: Renderer, selection: Selection, stream: TextIO) -> int:
    """Write the selection in a data format, its notes on stderr; returns how many."""
    assert renderer.write_incidents is not None, "offered only where it can"
    written = renderer.write_incidents(selection, stream)
    for note in written.notes:
        click.echo(inert(note), err=True)
    return written.count


@cli.command()
@click.argument(
    "incident_ids", metavar="ID...", nargs=-1, required=True, shell_complete=complete_ids
)
@format_option(["table", "json"], "table", "Output format.")
@pass_app
def show(app: AppContext, incident_ids: tuple[str, ...], output_format: str) -> None:
    """Show every field of one incident or more, with its sources.

    An ID may be typed in any case, and shortened to its beginning when no
    other id begins the same way (an ambiguous beginning lists the ids it
    could be, and exits 2). Several incidents are shown one after another;
    in JSON, one object after another.

    \b
    Examples:
      incidents show 2022-12-02-kabul
      incidents show 2022-12-02-K 2022-09-05
    """
    from incidents.query import AmbiguousId, resolve_id

    source = app.source()
    try:
        ids = list(dict.fromkeys(resolve_id(source, typed) for typed in incident_ids))
    except AmbiguousId as error:
        raise click.BadParameter(inert(str(error)), param_hint="ID") from None
    if output_format == "json":
        from incidents.store import incident_json

        stream = for_terminal(sys.stdout)
        for incident_id in ids:
            stream.write(incident_json(source.incident(incident_id), indent=2) + "\n")
        return
    from rich.console import Group, NewLine

    from incidents.formats.details import incident_details
    from incidents.formats.matching import twin_fields
    from incidents.matching.sources import twins

    shown: list[Any] = []
    for incident_id in ids:
        shown += [NewLine()] if shown else []
        incident = source.incident(incident_id)
        shown.append(incident_details(incident, twin_fields(twins(source, incident))))
    print_renderable(Group(*shown))


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
@picture_options
@pass_app
def total(
    app: AppContext, /, by: str | None, output_format: str, distinct: bool, **options: Any
) -> None:
    """Count incidents and total the killed and wounded.

    A sum is exact only when every figure in it is exact. Otherwise it is a
    bound ("at least 235") with the number of incidents that had no figure.
    In JSON each group is {"key", "incidents", "killed": {"min", "max",
    "unknown", "best"}, "wounded": {...}}: max is null when any count is
    unbounded or unknown; best sums the best estimates (UCDP gives them), and
    is null when no figure has one.

    By perpetrator, country, province or city, the rows are what the filters
    match: every alias or spelling of one group or place is one row (ISKP
    and Islamic State Khorasan Province; Yemen and "Yemen (North Yemen)",
    one ISO code; no perpetrator and GTD's "Unknown"). A row is named as the
    tool's vocabulary names it, else by its most frequent spelling (ties:
    alphabetical order).

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

    pictures = build_pictures(options, output_format)
    filters = app.filters(options)
    totals = app.source(distinct).totals(filters, GroupBy(by) if by else None)
    renderer = RENDERERS[Format(output_format)]
    table = None
    if renderer.totals_view is not None:
        table = renderer.totals_view(totals)
        print_renderable(table)
    else:
        assert renderer.write_totals is not None, "offered only where it can"
        renderer.write_totals(totals, for_terminal(sys.stdout))

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.totals import title, totals_bars

        counted = app.source().incidents(filters)  # for the source line: which data sets
        return caption(app, filters, title(totals), counted), totals_bars(totals)

    save_pictures(pictures, draw, table)


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
    type=OutputFile(),
    help="Write to this file (a file is replaced whole or not at all; a device or "
    "named pipe is written as a stream) instead of standard output.",
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

    fmt = Format(output_format) if output_format else None
    if fmt is None:
        fmt = (Format.from_suffix(output.suffix) if output else None) or Format.CSV
    renderer = RENDERERS[fmt]
    selection = Selection(app.source(distinct), app.filters(options))
    if output is None:
        write_selection(renderer, selection, for_terminal(sys.stdout))
        return
    with write_output(output, newline="") as stream:
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
@picture_options
@pass_app
def timeline_command(app: AppContext, /, by: str, distinct: bool, **options: Any) -> None:
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

    pictures = build_pictures(options)
    filters = app.filters(options)
    incidents = app.source(distinct).incidents(filters)
    counted = timeline(incidents, Step(by))
    chart = timeline_chart(counted)
    print_renderable(chart)

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.timeline import timeline_bars, title

        return caption(app, filters, title(counted.step), incidents), timeline_bars(counted)

    save_pictures(pictures, draw, chart)
