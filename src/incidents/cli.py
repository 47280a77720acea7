"""The command line: parse options, call the core once, render, print.

Only this module imports click.  The core is imported inside the commands so
that ``incidents --help`` stays fast and never touches the store.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from incidents.categories import Category
    from incidents.dates import PartialDate
    from incidents.formats import Format
    from incidents.model import Incident
    from incidents.query import Filters, Match
    from incidents.store import StoreLocation

F = TypeVar("F", bound=Callable[..., Any])

SHOWN_PROBLEMS = 5


@dataclass
class AppContext:
    """What the group's options give every command."""

    store_option: str | None
    _incidents: list[Incident] | None = field(default=None, repr=False)

    def location(self) -> StoreLocation:
        from incidents.store import locate_store

        return locate_store(self.store_option)

    def incidents(self) -> list[Incident]:
        """The store's incidents, loaded and validated once per command."""
        if self._incidents is None:
            from incidents.store import StoreError, load_store

            location = self.location()
            try:
                self._incidents = load_store(location.path).incidents
            except StoreError as error:
                fail_with_problems(error.problems)
        return self._incidents


pass_app = click.make_pass_decorator(AppContext)


def fail_with_problems(problems: Sequence[object]) -> NoReturn:
    shown = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more problems")
    raise click.ClickException("\n".join(shown))


FILTERS = "Filters"
OUTPUT = "Output"
OTHER_OPTIONS = "Options"
SECTION_ORDER = (FILTERS, OUTPUT, OTHER_OPTIONS)


class SectionOption(click.Option):
    """An option listed under a heading of its own in --help (Filters, Output...)."""

    def __init__(self, *args: Any, section: str = OTHER_OPTIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section


def section_option(section: str, *names: str, **attrs: Any) -> Callable[[F], F]:
    return click.option(*names, cls=SectionOption, section=section, **attrs)


class IncidentsCommand(click.Command):
    """A command whose --help lists its options in sections, filters apart from output."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            section = param.section if isinstance(param, SectionOption) else OTHER_OPTIONS
            sections.setdefault(section, []).append(record)
        known = [name for name in SECTION_ORDER if name in sections]
        for name in known + sorted(set(sections) - set(known)):
            with formatter.section(name):
                formatter.write_dl(sections[name])


class IncidentsGroup(click.Group):
    """Turns the core's errors into clean exits and suggests mistyped commands."""

    command_class = IncidentsCommand

    def invoke(self, ctx: click.Context) -> Any:
        from incidents.errors import IncidentsError

        try:
            return super().invoke(ctx)
        except IncidentsError as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                raise click.UsageError(f"No such command {name!r}. Did you mean {close[0]!r}?", ctx)
        return super().resolve_command(ctx, args)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=IncidentsGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--store",
    "store_option",
    metavar="PATH",
    type=click.Path(),  # so that shells complete file names
    help="Store file to use. Otherwise $INCIDENTS_STORE, then ./incidents.json, "
    "then the copy bundled with the tool (see `incidents where`).",
)
@click.version_option(package_name="incidents", prog_name="incidents")
@click.pass_context
def cli(ctx: click.Context, store_option: str | None) -> None:
    """Look up terrorist and political violence incidents.

    Dates known only to the month or year stay that way, unknown casualty
    figures stay unknown, and totals say when they are only a lower bound.

    \b
    Examples:
      incidents list --target-type embassy
      incidents list --location "Mazar-e Sharif" --since 2022
      incidents total --by target-type
      incidents export --format csv > attacks.csv
    """
    ctx.obj = AppContext(store_option)


# --- shared options ----------------------------------------------------------


def _date_option(
    ctx: click.Context, param: click.Parameter, value: str | tuple[str, ...] | None
) -> PartialDate | tuple[PartialDate, ...] | None:
    from incidents.dates import DateError, parse_user_date

    if value is None:
        return None
    try:
        if isinstance(value, tuple):
            return tuple(parse_user_date(v) for v in value)
        return parse_user_date(value)
    except DateError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def _category_option(
    kind: str,
) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], frozenset[Category]]:
    def convert(
        ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
    ) -> frozenset[Category]:
        from incidents import categories
        from incidents.vocabulary import VocabularyError, resolve_category

        category: type[Category] = getattr(categories, kind)
        try:
            return frozenset(resolve_category(category, v) for v in values)
        except VocabularyError as error:
            raise click.BadParameter(str(error), ctx, param) from None

    return convert


def _non_empty(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    if any(not v.strip() for v in values):
        raise click.BadParameter("must not be empty", ctx, param)
    return values


FILTER_HELP = """
\b
Filters (repeat an option for "any of these"; different options must all hold):
Dates are intervals: an incident of "2022-09" is on every day of September. It
matches --since/--until/--on for certain when its whole interval lies inside
them; when it only may (e.g. "2022-09" against --since 2022-09-10) it is kept
and its date marked "~" in tables, unless --strict-dates is given."""


def filter_options(command: F) -> F:
    """The filters every reading command shares, applied in the same order."""
    options = [
        section_option(
            FILTERS,
            "--since",
            metavar="DATE",
            callback=_date_option,
            help="On or after DATE: 2022-09-01, 2022-09, 'Sept 2022', 2022.",
        ),
        section_option(
            FILTERS, "--until", metavar="DATE", callback=_date_option, help="On or before DATE."
        ),
        section_option(
            FILTERS,
            "--on",
            metavar="DATE",
            multiple=True,
            callback=_date_option,
            help="Within DATE: a day, a month or a year.",
        ),
        section_option(
            FILTERS,
            "--strict-dates",
            is_flag=True,
            help="Leave out incidents whose date only may fall within the dates asked for.",
        ),
        section_option(
            FILTERS,
            "--target-type",
            "target_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("TargetType"),
            shell_complete=_complete_words("TargetType"),
            help="Target category or a word for it: embassy, mosque, school, police...",
        ),
        section_option(
            FILTERS,
            "--attack-type",
            "attack_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("AttackType"),
            shell_complete=_complete_words("AttackType"),
            help="Attack category: bombing, armed assault, assassination, kidnapping...",
        ),
        section_option(
            FILTERS,
            "--weapon",
            "weapon_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("WeaponType"),
            shell_complete=_complete_words("WeaponType"),
            help="Weapon category: explosives, firearms, incendiary, vehicle...",
        ),
        section_option(
            FILTERS,
            "--location",
            "locations",
            metavar="PLACE",
            multiple=True,
            callback=_non_empty,
            shell_complete=_complete_from_store("place_names"),
            help="Country, province, district, city or site, any spelling "
            "(Mazar-e Sharif = Mazar-i-Sharif).",
        ),
        section_option(
            FILTERS,
            "--perpetrator",
            "perpetrators",
            metavar="NAME",
            multiple=True,
            callback=_non_empty,
            shell_complete=_complete_from_store("perpetrator_names"),
            help="Group name or alias (ISIS-K, ISKP...); 'unknown' for unattributed.",
        ),
        section_option(
            FILTERS,
            "--text",
            "texts",
            metavar="WORDS",
            multiple=True,
            callback=_non_empty,
            help="All of these words in the summary, target or site.",
        ),
        section_option(
            FILTERS,
            "--min-killed",
            type=click.IntRange(min=0),
            metavar="N",
            help="At least N killed for certain (unknown tolls do not match).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    # Dedent first: the appended text starts at column 0, and click dedents
    # the whole help by its least indented line.
    command.__doc__ = inspect.cleandoc(command.__doc__ or "") + "\n" + FILTER_HELP
    return command


def build_filters(options: dict[str, Any]) -> Filters:
    from incidents.query import Filters

    return Filters(
        since=options.pop("since"),
        until=options.pop("until"),
        on=options.pop("on"),
        strict_dates=options.pop("strict_dates"),
        target_types=options.pop("target_types"),
        attack_types=options.pop("attack_types"),
        weapon_types=options.pop("weapon_types"),
        locations=options.pop("locations"),
        perpetrators=options.pop("perpetrators"),
        texts=options.pop("texts"),
        min_killed=options.pop("min_killed"),
    )


def _format_option(choices: Sequence[str], default: str | None, help_text: str) -> Callable[[F], F]:
    return section_option(
        OUTPUT,
        "--format",
        "-f",
        "output_format",
        type=click.Choice(list(choices), case_sensitive=False),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def console() -> Console:
    from rich.console import Console

    # rich already honours NO_COLOR and drops colour when not a terminal.
    return Console(highlight=False, soft_wrap=False)


def print_renderable(renderable: RenderableType) -> None:
    out = console()
    if out.is_terminal:
        out.print(renderable)
        return
    # Piped or redirected: plain lines without the padding rich adds.
    with out.capture() as captured:
        out.print(renderable)
    for line in captured.get().splitlines():
        click.echo(line.rstrip())


def save_svg(renderable: RenderableType, svg: Path | None) -> None:
    """Draw the renderable as it was printed (same width, in colour) into an SVG file."""
    if svg is None:
        return
    import io

    from rich.console import Console

    from incidents.store import atomic_writer

    recorder = Console(
        file=io.StringIO(),
        record=True,
        width=console().width,
        force_terminal=True,
        no_color=False,
        highlight=False,
        soft_wrap=False,
    )
    recorder.print(renderable)
    picture = recorder.export_svg(title=click.get_current_context().command_path)
    with atomic_writer(svg) as stream:
        stream.write(picture)
    click.echo(f"Saved the picture to {svg}.", err=True)


def svg_option(command: F) -> F:
    return section_option(
        OUTPUT,
        "--svg",
        metavar="FILE",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Also save the table or chart, as shown, to FILE as an SVG picture.",
    )(command)


def no_svg_unless_table(svg: Path | None, output_format: str) -> None:
    if svg is not None and output_format != "table":
        raise click.UsageError(
            f"--svg draws the table; it cannot go with --format {output_format}."
        )


def selected(app: AppContext, options: dict[str, Any]) -> list[Match]:
    from incidents.query import select

    return select(app.incidents(), build_filters(options))


# --- shell completion ----------------------------------------------------------
# Callbacks run while the shell asks for completions: they must be quick, and
# never print anything but completions (a broken store completes nothing).


def _complete_words(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import completion, model

        return completion.matching(completion.category_choices(getattr(model, kind)), incomplete)

    return complete


def _complete_from_store(
    choices: str,
) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import completion

        incidents = completion.load_quietly(ctx.find_root().params.get("store_option"))
        return completion.matching(getattr(completion, choices)(incidents), incomplete)

    return complete


complete_ids = _complete_from_store("incident_ids")


# --- commands ----------------------------------------------------------------


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
@_format_option(
    ["table", "csv", "json", "ndjson", "geojson", "markdown"], "table", "Output format."
)
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
    from incidents.query import SortKey, sort_matches

    no_svg_unless_table(svg, output_format)

    matches = sort_matches(selected(app, options), SortKey(sort))[:limit]
    fmt = Format(output_format)
    if fmt is Format.TABLE:
        from incidents.formats.table import incidents_table
        from incidents.records import list_row

        rows = [list_row(m.incident, m.date_uncertain) for m in matches]
        table = incidents_table(rows, len(app.incidents()))
        print_renderable(table)
        save_svg(table, svg)
    else:
        write_incidents(fmt, [m.incident for m in matches], sys.stdout)


def write_incidents(fmt: Format, incidents: Sequence[Incident], stream: Any) -> None:
    from incidents.formats import Format
    from incidents.formats import csv as csv_format
    from incidents.formats import geojson as geojson_format
    from incidents.formats import json as json_format
    from incidents.formats import markdown as markdown_format

    writers = {
        Format.CSV: csv_format.write_incidents,
        Format.JSON: json_format.write_incidents,
        Format.NDJSON: json_format.write_incidents_lines,
        Format.GEOJSON: geojson_format.write_incidents,
        Format.MARKDOWN: markdown_format.write_incidents,
    }
    writers[fmt](incidents, stream)
    if fmt is Format.GEOJSON:
        warn_without_coordinates(incidents)


@cli.command()
@click.argument("incident_id", metavar="ID", shell_complete=complete_ids)
@_format_option(["table", "json"], "table", "Output format.")
@pass_app
def show(app: AppContext, incident_id: str, output_format: str) -> None:
    """Show every field of one incident, with its sources.

    \b
    Example:
      incidents show 2022-12-02-kabul
    """
    from incidents.query import find_incident

    incident = find_incident(app.incidents(), incident_id)
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
@_format_option(["table", "csv", "json", "ndjson"], "table", "Output format.")
@svg_option
@pass_app
def total(
    app: AppContext, /, by: str | None, output_format: str, svg: Path | None, **options: Any
) -> None:
    """Count incidents and total the killed and wounded.

    A sum is exact only when every figure in it is exact. Otherwise it is a
    bound ("at least 235") with the number of incidents that had no figure.
    In JSON each group is {"key", "incidents", "killed": {"min", "max",
    "unknown"}, "wounded": {...}}: max is null when any count is unbounded
    or unknown.

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
    from incidents.query import total as compute_total

    no_svg_unless_table(svg, output_format)
    totals = compute_total(
        (m.incident for m in selected(app, options)), GroupBy(by) if by else None
    )
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
@_format_option(
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
    incidents = [m.incident for m in selected(app, options)]
    if output is None:
        write_incidents(fmt, incidents, sys.stdout)
        return
    with atomic_writer(output, newline="") as stream:
        write_incidents(fmt, incidents, stream)
    plural = "incident" if len(incidents) == 1 else "incidents"
    click.echo(f"Wrote {len(incidents)} {plural} to {output} ({fmt.value}).", err=True)


@cli.command()
@pass_app
def where(app: AppContext) -> None:
    """Say which store file is in use, and why.

    \b
    Order: --store PATH, $INCIDENTS_STORE, ./incidents.json, the bundled copy.
    Example:
      incidents where
    """
    location = app.location()
    click.echo(str(location.path))
    click.echo(f"({location.reason})", err=True)


# --- timeline, map export (issue 6) ---------------------------------------------


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

    chart = timeline_chart(timeline((m.incident for m in selected(app, options)), Step(by)))
    print_renderable(chart)
    save_svg(chart, svg)


def main() -> None:
    # Output piped into `head` and closed early is not an error worth a traceback.
    try:
        cli(prog_name="incidents")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
