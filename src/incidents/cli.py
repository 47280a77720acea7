"""The command line: parse options, call the core once, render, print.

Only this module imports click.  The core is imported inside the commands so
that ``incidents --help`` stays fast and never touches the store.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    from incidents.query import Filters, IncidentSource, SortKey
    from incidents.store import StoreLocation

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

SHOWN_PROBLEMS = 5


@dataclass
class AppContext:
    """What the group's options give every command."""

    store_option: str | None
    use_index: bool = True
    _incidents: list[Incident] | None = field(default=None, repr=False)
    _source: IncidentSource | None = field(default=None, repr=False)

    def source(self) -> IncidentSource:
        """What reading commands query: the store's index, or (``--no-index``)
        the store loaded into memory.  Both answer alike."""
        if self._source is None:
            self._source = self._open_source()
        return self._source

    def _open_source(self) -> IncidentSource:
        from incidents.index import SQLITE_SUFFIXES, IndexUnwritable, open_index
        from incidents.query import Filters, InMemory
        from incidents.store import StoreError

        path = self.location().path
        sqlite_store = path.suffix.lower() in SQLITE_SUFFIXES
        if not (self.use_index or sqlite_store):
            return InMemory(self.incidents())
        try:
            source = open_index(path, progress=index_progress())
        except IndexUnwritable as error:
            click.echo(f"Note: {error}; answering without it.", err=True)
            return InMemory(self.incidents())
        except StoreError as error:
            fail_with_problems(error.problems)
        if not self.use_index:
            return InMemory(source.incidents(Filters()))
        return source

    def location(self) -> StoreLocation:
        from incidents.store import locate_store

        return locate_store(self.store_option)

    def incidents(self) -> list[Incident]:
        """The store's incidents, loaded and validated once per command."""
        if self._incidents is None:
            from incidents.checks import check_store, errors
            from incidents.store import StoreError, load_store

            location = self.location()
            try:
                store = load_store(location.path)
            except StoreError as error:
                fail_with_problems(error.problems)
            # A store that `incidents validate` rejects is refused by every command.
            problems = errors(check_store(store, str(location.path)))
            if problems:
                fail_with_problems(problems)
            self._incidents = store.incidents
        return self._incidents


pass_app = click.make_pass_decorator(AppContext)


def fail_with_problems(problems: Sequence[object], hint: str | None = None) -> NoReturn:
    """Exit 1 with the first few problems and a hint (by default: run validate)."""
    shown = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more problems")
    if hint is None:
        import shlex

        file = getattr(problems[0], "file", None) if problems else None
        target = f" {shlex.quote(file)}" if file else ""
        hint = f"Run `incidents validate{target}` to list every problem."
    shown.append(hint)
    raise click.ClickException("\n".join(shown))


FILTERS = "Filters"
OUTPUT = "Output"
INCIDENT_FIELDS = "Incident fields"
OTHER_OPTIONS = "Options"
SECTION_ORDER = (FILTERS, INCIDENT_FIELDS, OUTPUT, OTHER_OPTIONS)


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
@click.option(
    "--no-index",
    is_flag=True,
    help="Answer from the store loaded into memory instead of its query index "
    "(a SQLite file in the cache directory, rebuilt whenever the store changes).",
)
@click.version_option(package_name="incidents", prog_name="incidents")
@click.pass_context
def cli(ctx: click.Context, store_option: str | None, no_index: bool) -> None:
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
    ctx.obj = AppContext(store_option, use_index=not no_index)


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
Filters: repeat an option for "any of these"; different options must all hold.
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
            help="All of these words in the summary, target or site; a word of four letters "
            "or more also finds longer words it begins (hussainiya: hussainiyas).",
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


def index_progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr for an index build that takes more than a
    second, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    shown: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if "bar" not in shown:
            if time.monotonic() - started < 1:
                return
            from rich.progress import Progress

            shown["bar"] = Progress(transient=True, console=prompt_console())
            shown["bar"].start()
            shown["task"] = shown["bar"].add_task("Building the query index", total=total or None)
        shown["bar"].update(shown["task"], completed=done)
        if total and done >= total:
            shown["bar"].stop()

    return report


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


# --- shell completion ----------------------------------------------------------
# Callbacks run while the shell asks for completions: they must be quick, and
# never print anything but completions (a broken store completes nothing).


def _complete_words(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import categories, completion
        from incidents.vocabulary import category_words

        return completion.matching(category_words(getattr(categories, kind)), incomplete)

    return complete


def _complete_from_store(
    choices: str,
) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import completion

        store = completion.open_quietly(ctx.find_root().params.get("store_option"))
        if store is None:
            return []
        return completion.matching(getattr(completion, choices)(store), incomplete)

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
@_format_option(["table", "json"], "table", "Output format.")
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

    chart = timeline_chart(timeline(app.source().incidents(build_filters(options)), Step(by)))
    print_renderable(chart)
    save_svg(chart, svg)


# --- checking and changing the store -------------------------------------------


@cli.command()
@click.argument("path", required=False)
@_format_option(["text", "json"], "text", "One line per problem, or the problems as JSON data.")
@pass_app
def validate(app: AppContext, path: str | None, output_format: str) -> None:
    """Check a store and report every problem in it, one line each.

    PATH is the store in use unless given (see `incidents where`). A line
    names the file and either the line:column of a JSON syntax error or the
    incident (index and id) and the field, and says what was expected. Exit 0
    when there is no error (warnings allowed), 1 when there is one.

    \b
    Errors:
      not JSON, not UTF-8; wrong types, unknown or missing fields; unknown
      categories; a day that does not exist (2022-02-30); a negative count,
      or a range whose min exceeds its max; latitude or longitude out of
      range; duplicate ids; a date in the future or before 1970; an end date
      or a claim date before the attack.
    Warnings:
      coordinates far outside the named country (a rough box per country);
      an incident that cites no source (the model allows an empty "sources"
      list so that an incident can be recorded before it is sourced); a
      source dated before the attack.

    \b
    Examples:
      incidents validate
      incidents validate drafts.json --format json
    """
    from incidents.checks import validate_file
    from incidents.store import Severity

    file = path or str(app.location().path)
    problems = validate_file(file)
    error_count = sum(p.severity is Severity.ERROR for p in problems)
    warning_count = len(problems) - error_count
    if output_format == "json":
        import json

        report = {
            "file": file,
            "valid": error_count == 0,
            "errors": error_count,
            "warnings": warning_count,
            "problems": [p.as_data() for p in problems],
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        summary = f"{_plural(error_count, 'error')}, {_plural(warning_count, 'warning')}"
        click.echo(f"{file}: {'valid' if not error_count else 'not valid'} ({summary}).", err=True)
    if error_count:
        raise click.exceptions.Exit(1)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@cli.command()
def schema() -> None:
    """Print the store's JSON Schema, generated from the model.

    The repository keeps it as incidents.schema.json, and the store names it
    in its "$schema" key so that editors check the file while it is typed.
    `incidents validate` checks more than a schema can (duplicate ids,
    dates in the future, ...).

    \b
    Example:
      incidents schema > incidents.schema.json
    """
    from incidents.schema import schema_text

    click.echo(schema_text(), nl=False)


# Options of `incidents add`: (option, field in the store, metavar, help).
INCIDENT_OPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("--id", "id", "ID", "Id to store it under [default: date and place, e.g. 2022-12-02-kabul]."),
    ("--date", "date", "DATE", "When: 2022-12-02, 'Oct 2021', 2022."),
    ("--end-date", "end_date", "DATE", "Last day, for an attack that lasted."),
    ("--country", "location.country", "NAME", "Country."),
    ("--province", "location.province", "NAME", "Province (first administrative level)."),
    ("--district", "location.district", "NAME", "District."),
    ("--city", "location.city", "NAME", "City, town or village."),
    ("--site", "location.site", "TEXT", "The place itself: 'Pakistani embassy'."),
    ("--alias", "location.aliases", "NAMES", "Other spellings of the place, ';' between them."),
    ("--coordinates", "location.coordinates", "LAT,LON", "Decimal degrees, latitude first."),
    (
        "--coordinates-precision",
        "location.coordinates.precision",
        "LEVEL",
        "exact, site, city, district, province or country [default: the most precise place].",
    ),
    ("--perpetrator", "perpetrator.name", "NAME", "Who did it [default: unknown]."),
    (
        "--attribution",
        "perpetrator.attribution",
        "HOW",
        "claimed, suspected or unknown [default: claimed with a claim option, else suspected].",
    ),
    ("--claim-by", "claim.by", "NAME", "Who claimed it [default: the perpetrator]."),
    ("--claim-date", "claim.date", "DATE", "When it was claimed."),
    ("--claim-channel", "claim.channel", "TEXT", "Where it was claimed: Telegram, Amaq..."),
    ("--attack-type", "attack_type", "WORD", "bombing, armed assault, assassination..."),
    ("--target-type", "target_type", "WORD", "embassy, mosque, school, police..."),
    ("--target", "target", "TEXT", "What or who was attacked, in words."),
    ("--weapon", "weapon_types", "WORDS", "explosives, firearms, vehicle...; ',' between them."),
    ("--killed", "killed", "COUNT", "16, 'at least 3', '3-5', 'unknown' [default: unknown]."),
    ("--wounded", "wounded", "COUNT", "As --killed [default: unknown]."),
    ("--summary", "summary", "TEXT", "What happened, in a sentence or two."),
    ("--property-damage", "property_damage.occurred", "YES/NO", "yes, no or unknown."),
    ("--damage", "property_damage.description", "TEXT", "What was damaged."),
    ("--notes", "notes", "TEXT", "Anything else: doubts, conflicting figures."),
)
_OPTION_OF_FIELD = {field: option for option, field, _, _ in INCIDENT_OPTIONS}
_OPTION_OF_FIELD["sources"] = "--source"
ADD_REQUIRED = ("date", "location.country", "attack_type", "target_type", "target", "summary")

# What `incidents add` asks on a terminal, in this order: (field, question).
ADD_PROMPTS: tuple[tuple[str, str], ...] = (
    ("date", "Date (2022-12-02, 'Oct 2021', 2022)"),
    ("location.country", "Country"),
    ("location.province", "Province"),
    ("location.city", "City"),
    ("attack_type", "Attack type"),
    ("target_type", "Target type"),
    ("target", "Target, in words"),
    ("weapon_types", "Weapons (',' between them)"),
    ("perpetrator.name", "Perpetrator (empty if unknown)"),
    ("killed", "Killed (16, 'at least 3', '3-5', unknown)"),
    ("wounded", "Wounded"),
    ("summary", "Summary"),
)
_PROMPT_CATEGORIES = {
    "attack_type": "AttackType",
    "target_type": "TargetType",
    "weapon_types": "WeaponType",
}


def _option_dest(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


def incident_options(command: F) -> F:
    """One option per field of an incident, as `incidents add` takes them."""
    for option, _, metavar, help_text in reversed(INCIDENT_OPTIONS):
        command = section_option(
            INCIDENT_FIELDS, option, _option_dest(option), metavar=metavar, help=help_text
        )(command)
    return command


def on_terminal() -> bool:
    """Whether a person is there to answer questions (prompts go to stderr)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def prompt_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=False)


def dry_run_option(command: F) -> F:
    return click.option(
        "--dry-run", is_flag=True, help="Show what would change (a diff) and write nothing."
    )(command)


def _store_to_change(app: AppContext, dry_run: bool) -> Path:
    """The store in use, refused before any prompt when it cannot be written."""
    from incidents.editing import ensure_writable

    path = app.location().path
    if not dry_run:
        ensure_writable(path)
    return path


def run_change(change: Callable[[], Any], option_hint: Callable[[str | None], str]) -> Any:
    """Run a core change; bad values are command-line errors (exit 2), a bad store exit 1."""
    from incidents.editing import WriteRefused
    from incidents.parsing import ParseError
    from incidents.store import StoreError

    try:
        return change()
    except ParseError as error:
        raise click.BadParameter(str(error), param_hint=option_hint(error.field)) from None
    except WriteRefused as error:
        fail_with_problems(error.problems, "Nothing was written: the store is unchanged.")
    except StoreError as error:
        fail_with_problems(error.problems)


def report_change(change: Any, done: str) -> None:
    """Warnings, then what was done (``done`` names {id} and {path}) or the dry run's diff."""
    for warning in change.warnings:
        click.echo(str(warning), err=True)
    if change.written or change.before == change.after:
        click.echo(done.format(id=change.incident.id, path=change.path), err=True)
    else:
        click.echo(change.diff(), nl=False)
        click.echo("Dry run: nothing was written.", err=True)


@cli.command()
@incident_options
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="SOURCE",
    help="'PUBLISHER | DATE | TITLE | URL', only the publisher required; repeat for more.",
)
@click.option("--force", is_flag=True, help="Add it even if it looks like a stored incident.")
@click.option("--yes", "-y", is_flag=True, help="On a terminal, save without asking.")
@dry_run_option
@pass_app
def add(
    app: AppContext,
    /,
    sources: tuple[str, ...],
    force: bool,
    yes: bool,
    dry_run: bool,
    **given: str | None,
) -> None:
    """Add an incident to the store.

    Every field has an option. --date, --country, --attack-type,
    --target-type, --target and --summary are needed: on a terminal, when
    any is left out, the main fields not given are asked for one by one.
    On a terminal the incident is shown before it is saved (--yes skips
    that). Casualties left out are unknown, never zero.

    A new incident whose dates overlap a stored one with the same place and
    target type is refused, naming the likely twin, unless --force. The whole
    new store is validated before it is written (atomically, under a lock);
    the new id is printed.

    \b
    Examples:
      incidents add --date 2022-12-02 --country Afghanistan --city Kabul \\
        --attack-type "armed assault" --target-type embassy \\
        --target "Pakistani embassy" --killed 0 --wounded "at least 1" \\
        --summary "Gunmen fired on the Pakistani embassy." \\
        --source "Sky News Arabia | 2022-12-05"
      incidents add --dry-run ...    (show the change, write nothing)
    """
    from incidents.editing import add_incident, new_incident_data

    path = _store_to_change(app, dry_run)
    settings = {
        key: value
        for option, key, _, _ in INCIDENT_OPTIONS
        if (value := given[_option_dest(option)]) is not None
    }
    source_list = list(sources)
    interactive = on_terminal()
    missing = [_OPTION_OF_FIELD[key] for key in ADD_REQUIRED if key not in settings]
    if missing and interactive:
        _ask_missing(settings, source_list)
    elif missing:
        raise click.UsageError(
            f"missing {', '.join(missing)} (on a terminal, `incidents add` asks for them)"
        )

    def option_of(key: str | None) -> str:
        return _OPTION_OF_FIELD.get(key or "", "an option")

    data = run_change(lambda: new_incident_data(settings.items(), source_list), option_of)
    if interactive and not yes and not dry_run:
        from rich.prompt import Confirm

        from incidents.formats.table import incident_details

        preview = run_change(lambda: add_incident(path, data, force=force, dry_run=True), option_of)
        prompts = prompt_console()
        prompts.print(incident_details(preview.incident))
        if not Confirm.ask(f"Save it to {path}?", console=prompts, default=True):
            raise click.ClickException("Not saved.")
    change = run_change(lambda: add_incident(path, data, force=force, dry_run=dry_run), option_of)
    report_change(change, "Added {id} to {path}.")
    if change.written:
        click.echo(change.incident.id)


def _ask_missing(settings: dict[str, str], sources: list[str]) -> None:
    """Ask on the terminal for each field not given, re-asking until it reads."""
    from rich.prompt import Prompt

    from incidents import categories
    from incidents.editing import apply_setting
    from incidents.parsing import ParseError

    prompts = prompt_console()
    for key, question in ADD_PROMPTS:
        if key in settings:
            continue
        if key in _PROMPT_CATEGORIES:
            category: type[Category] = getattr(categories, _PROMPT_CATEGORIES[key])
            choices = ", ".join(member.value for member in category)
            prompts.print(f"[dim]{choices} (or a word for one)[/dim]")
        while True:
            answer = Prompt.ask(question, console=prompts, default="", show_default=False)
            try:
                apply_setting({}, key, answer)
            except ParseError as error:
                prompts.print(f"[red]{error}[/red]")
                continue
            if answer.strip() or key not in ADD_REQUIRED:
                break
            prompts.print("[red]This one is needed.[/red]")
        if answer.strip():
            settings[key] = answer
    while not sources:
        answer = Prompt.ask(
            "Source (PUBLISHER | DATE | TITLE | URL; empty for none)",
            console=prompts,
            default="",
            show_default=False,
        )
        if not answer.strip():
            break
        sources.append(answer)


@cli.command()
@click.argument("incident_id", metavar="ID", shell_complete=complete_ids)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Set a field; repeat for more. An empty VALUE clears it.",
)
@click.option("--add-source", "sources", multiple=True, metavar="SOURCE", help="Cite a source.")
@dry_run_option
@pass_app
def edit(
    app: AppContext,
    incident_id: str,
    settings: tuple[str, ...],
    sources: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Change fields of one incident.

    Values are typed as for `incidents add`: dates as 'Oct 2021', counts as
    16, 'at least 3', '3-5' or 'unknown', categories as words (embassy,
    bombing). Sources are 'PUBLISHER | DATE | TITLE | URL'. The whole new
    store is validated before it is written.

    \b
    FIELDs: id, date, end_date, location.country, location.province,
    location.district, location.city, location.site, location.aliases (';'
    between names), location.coordinates (LAT,LON), location.coordinates.lat,
    location.coordinates.lon, location.coordinates.precision,
    perpetrator.name, perpetrator.attribution, claim.by, claim.date,
    claim.channel, attack_type, target_type, target, weapon_types (','
    between them), killed, wounded, summary, property_damage.occurred,
    property_damage.description, notes. Cleared with an empty value (set
    their fields one by one): claim, property_damage.

    \b
    Examples:
      incidents edit 2022-12-02-kabul --set killed=1 --set "wounded=at least 2"
      incidents edit 2022-05-kabul --set "date=May 2022" --dry-run
      incidents edit 2022-09-herat --add-source "Reuters | 2022-09-02"
    """
    from incidents.editing import edit_incident, parse_setting
    from incidents.parsing import ParseError

    if not settings and not sources:
        raise click.UsageError("nothing to change: give --set FIELD=VALUE or --add-source")
    try:
        pairs = [parse_setting(text) for text in settings]
    except ParseError as error:
        raise click.BadParameter(str(error), param_hint="--set") from None
    path = _store_to_change(app, dry_run)

    def option_of(key: str | None) -> str:
        return "--add-source" if key == "sources" else f"--set {key}"

    change = run_change(
        lambda: edit_incident(path, incident_id, pairs, sources, dry_run=dry_run), option_of
    )
    report_change(change, "Changed {id} in {path}.")


@cli.command()
@click.argument("incident_id", metavar="ID", shell_complete=complete_ids)
@click.option("--yes", "-y", is_flag=True, help="Remove without asking.")
@dry_run_option
@pass_app
def remove(app: AppContext, incident_id: str, yes: bool, dry_run: bool) -> None:
    """Remove one incident from the store.

    On a terminal it asks first, unless --yes.

    \b
    Examples:
      incidents remove 2022-06-imam-sahib
      incidents remove 2022-06-imam-sahib --dry-run
    """
    from incidents.editing import remove_incident

    path = _store_to_change(app, dry_run)
    if on_terminal() and not yes and not dry_run:
        from incidents.query import find_incident
        from incidents.records import list_row

        incident = find_incident(app.incidents(), incident_id)
        question = (
            f"Remove {incident.id} ({list_row(incident).date_text}, {incident.location.label()}: "
            f"{incident.target}) from {path}?"
        )
        if not click.confirm(question, err=True):
            raise click.ClickException("Nothing removed.")
    change = run_change(
        lambda: remove_incident(path, incident_id, dry_run=dry_run), lambda key: "ID"
    )
    report_change(change, "Removed {id} from {path}.")


# --- import ------------------------------------------------------------------


@cli.command("import")
@click.argument("dataset", type=click.Choice(["gtd", "acled", "ucdp"], case_sensitive=False))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--country",
    "countries",
    metavar="NAME",
    multiple=True,
    callback=_non_empty,
    help="Only incidents in this country (repeat for several). Fast on large files.",
)
@filter_options
@click.option(
    "--max-errors",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    metavar="N",
    help="Give up, writing nothing, at the N-th row that cannot be read; 0: never.",
)
@click.option("--strict", is_flag=True, help="Give up at the first bad row, writing nothing.")
@click.option("--dry-run", is_flag=True, help="Read and report, but do not write the store.")
@pass_app
def import_command(
    app: AppContext,
    /,
    dataset: str,
    file: Path,
    countries: tuple[str, ...],
    max_errors: int,
    strict: bool,
    dry_run: bool,
    **options: Any,
) -> None:
    """Import a GTD, ACLED or UCDP GED export into the store.

    FILE is the data set's CSV export (UTF-8 or Latin-1), or for GTD its
    .xlsx file when openpyxl is installed (pip install 'incidents[xlsx]').
    Each incident keeps its origin (data set and original id), so importing
    the same file again adds nothing, and a newer export updates the
    incidents already imported. Rows that cannot be read are listed and
    skipped. The store is written once, at the end; it is created if the
    --store file does not exist yet.

    \b
    Examples:
      incidents --store afg.json import gtd gtd.csv --country Afghanistan
      incidents --store afg.json import acled acled-export.csv --since 2020
      incidents --store afg.json import ucdp ged.csv --dry-run
    """
    from incidents.importers import ImportOptions, datasets, import_file
    from incidents.index import SQLITE_SUFFIXES, SqliteStoreImport
    from incidents.model import Store
    from incidents.store import (
        StoreError,
        atomic_writer,
        bundled_store,
        load_store,
        store_document,
        stored_json,
    )

    location = app.location()
    if location.path == bundled_store():
        raise click.UsageError(
            "no store to import into: give --store PATH (the file is created if it does not "
            "exist) or set $INCIDENTS_STORE."
        )
    chosen = datasets()[dataset.lower()]
    import_options = ImportOptions(
        countries=countries,
        filters=build_filters(options),
        max_errors=max_errors,
        strict=strict,
    )
    if location.path.suffix.lower() in SQLITE_SUFFIXES:
        # A sqlite store takes the incidents as they come: it is never loaded whole.
        merge = SqliteStoreImport(location.path, chosen.name)
        try:
            with _ImportProgress() as progress:
                report = import_file(
                    chosen,
                    file,
                    merge,
                    import_options,
                    on_progress=progress.update,
                    on_problem=progress.problem,
                )
        except BaseException:
            merge.abort()
            raise
        if dry_run:
            merge.abort()
        else:
            merge.commit()
        written = not dry_run
    else:
        store = Store(incidents=[])
        if location.path.exists():
            try:
                store = load_store(location.path)
            except StoreError as error:
                fail_with_problems(error.problems)
        with _ImportProgress() as progress:
            report = import_file(
                chosen,
                file,
                store.incidents,
                import_options,
                on_progress=progress.update,
                on_problem=progress.problem,
            )
        written = False
        if not dry_run and (report.changed or not location.path.exists()):
            if sys.stderr.isatty():
                count = len(report.incidents)
                click.echo(f"Writing {count:,} incidents to {location.path}...", err=True)
            with atomic_writer(location.path) as stream:
                for piece in store_document(
                    (stored_json(i) for i in report.incidents), store.schema_url
                ):
                    stream.write(piece)
            written = True
    for line in _import_summary(report, location.path, dry_run, written):
        click.echo(line, err=True)


class _ImportProgress:
    """A progress bar on stderr when it is a terminal; problems printed above it."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _ImportProgress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("rows"),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True, highlight=False),
                transient=True,
            )
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, done: int, estimate: int | None) -> None:
        if self._bar is None:
            return
        if self._task is None:
            self._task = self._bar.add_task("import", total=estimate, rate="")
        task = self._bar.tasks[0]
        speed = task.speed
        rate = f"{speed:,.0f} rows/s" if speed else ""
        self._bar.update(self._task, completed=done, total=max(estimate or done, done), rate=rate)

    def problem(self, problem: object) -> None:
        if self._bar is not None:
            self._bar.console.print(str(problem), markup=False)
        else:
            click.echo(str(problem), err=True)


def _import_summary(report: Any, store_path: Path, dry_run: bool, written: bool) -> list[str]:
    from incidents.importers.tabular import UTF8, UTF8_BOM, encoding_name

    def rows(number: int) -> str:
        return f"{number:,} row{'s' if number != 1 else ''}"

    read = f"Read {rows(report.rows)} of {report.path} as {report.dataset.title}"
    if report.encoding not in (None, UTF8, UTF8_BOM):
        read += f" (not UTF-8: read as {encoding_name(report.encoding)})"
    counts = f"added {report.added:,}, updated {report.updated:,}, {report.unchanged:,} unchanged"
    if dry_run:
        outcome = f"Dry run: would have {counts}; {store_path} not written."
    elif written:
        outcome = f"{store_path}: {counts}."
    else:
        outcome = f"{store_path}: nothing new ({counts}); not rewritten."
    lines = [read + ".", outcome]
    if report.outside_filters:
        lines.append(f"Left out {rows(report.outside_filters)} outside the filters.")
    if report.left_out:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in report.left_out.most_common())
        total = sum(report.left_out.values())
        verb = "is" if total == 1 else "are"
        lines.append(f"Left out {rows(total)} that {verb} not violence ({kinds}).")
    if report.problems:
        lines.append(f"Skipped {rows(len(report.problems))} that could not be read (listed above).")
    return lines


def main() -> None:
    # Output piped into `head` and closed early is not an error worth a traceback.
    try:
        cli(prog_name="incidents")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
