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
    argument,
    build_pictures,
    build_sort,
    distinct_option,
    filter_options,
    format_option,
    order_options,
    picture_options,
    section_option,
)
from incidents.cli.output import (
    OutputFile,
    caption,
    console,
    print_renderable,
    save_pictures,
    say_what_was_counted,
    write_output,
)
from incidents.formats import incident_formats
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
@order_options
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
      incidents list --sort -date --limit 10    (the newest ten)
      incidents list --columns id,date,place,killed
      incidents list --since 2022 --svg attacks.svg
      incidents list --distinct --format csv    (each attack once: see match)
    """
    from incidents.formats import RENDERERS, Format, Selection

    sort = build_sort(options)
    pictures = build_pictures(options, output_format or "table")
    if output_format is None:
        drawn_as_shown = pictures.wanted and pictures.terminal
        output_format = "table" if drawn_as_shown or console().is_terminal else "tsv"
    if columns is not None and output_format not in ("table", "tsv"):
        raise click.UsageError(
            f"--columns picks the columns of a table or tsv; not of --format {output_format}."
        )
    renderer = RENDERERS[Format(output_format)]
    selection = Selection(app.source(distinct), app.filters(options), sort, limit, columns)
    table = None
    if renderer.incidents_view is not None:
        table = renderer.incidents_view(selection)
        print_renderable(table)
    else:
        write_selection(renderer, selection, for_terminal(sys.stdout))
    extra = [f"the first {limit}, {sort.words}"] if limit is not None else []
    say_what_was_counted(selection.source, selection.filters, extra)

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.map import TITLE, incidents_map

        shown = selection.source.incidents(selection.filters, selection.sort, limit)
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
@argument(
    "incident_ids",
    metavar="ID...",
    nargs=-1,
    required=True,
    shell_complete=complete_ids,
    description="Ids of incidents, or their beginnings (in any case).",
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
@order_options
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
    limit: int | None,
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
    The incidents come in the order `incidents list` shows them (oldest
    first unless --sort says otherwise).

    \b
    Examples:
      incidents export --format csv > attacks.csv
      incidents export --format json --target-type mosque -o religious.json
      incidents export --sort -date --limit 100 -o latest.csv
      incidents export -o attacks.geojson
      incidents export --format markdown --since 2022-09
    """
    from incidents.formats import RENDERERS, Format, Selection
    from incidents.formats.answers import incidents_text, uncertain_sentence
    from incidents.query import Tally
    from incidents.store import schema_url_of

    fmt = Format(output_format) if output_format else None
    if fmt is None and output is not None and output.suffix:
        fmt = Format.from_suffix(output.suffix)
        if fmt is None or fmt not in incident_formats(data_only=True):
            endings = ", ".join(Format.suffixes(incident_formats(data_only=True)))
            raise click.BadParameter(
                f"{inert(output.name)} ends in {inert(output.suffix)}, which is no format "
                f"this tool writes: end it in {endings}, or give --format "
                f"({', '.join(incident_formats(data_only=True))})",
                param_hint="'--output' / '-o'",
            )
    renderer = RENDERERS[fmt or Format.CSV]
    source, sort = app.source(distinct), build_sort(options)
    filters = app.filters(options)
    schema = schema_url_of(app.location().path)
    selection = Selection(source, filters, sort, limit, schema_url=schema)
    if output is None:
        written = write_selection(renderer, selection, for_terminal(sys.stdout))
    else:
        with write_output(output, newline="") as stream:
            written = write_selection(renderer, selection, stream)
    # Without dates asked for, no incident may fall outside them, and what
    # was written is what matched: the store need not be asked again.
    dated = filters.since or filters.until or filters.on
    tally = source.tally(filters, sort, limit) if dated else Tally(written, 0)
    said = [uncertain_sentence(tally)]
    if output is not None:
        wrote = f"{incidents_text(tally.incidents)} to {inert(str(output))}"
        said.insert(0, f"Wrote {wrote} ({(fmt or Format.CSV).value}).")
    for sentence in filter(None, said):
        click.echo(sentence, err=True)
    extra = [f"the first {limit}, {sort.words}"] if limit is not None else []
    say_what_was_counted(source, filters, extra)


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
    if not location.path.exists():
        click.echo(
            f"Warning: {inert(str(location.path))} does not exist: reading commands will fail; "
            "`incidents import` creates it.",
            err=True,
        )
    if location.path.suffix.lower() not in SQLITE_SUFFIXES:
        click.echo(f"Its query index: {index_path_for(location.path)}", err=True)
