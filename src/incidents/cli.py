"""The command line: parse options, call the core once, render, print.

Only this module imports click.  The core is imported inside the commands so
that ``incidents --help`` stays fast and never touches the store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from incidents.dates import PartialDate
    from incidents.formats import Format
    from incidents.model import Incident, _Category
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


class IncidentsGroup(click.Group):
    """Turns the core's errors into clean exits and suggests mistyped commands."""

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
) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], frozenset[_Category]]:
    def convert(
        ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
    ) -> frozenset[_Category]:
        from incidents import model
        from incidents.vocabulary import VocabularyError, resolve_category

        category: type[_Category] = getattr(model, kind)
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
        click.option(
            "--since",
            metavar="DATE",
            callback=_date_option,
            help="On or after DATE: 2022-09-01, 2022-09, 'Sept 2022', 2022.",
        ),
        click.option("--until", metavar="DATE", callback=_date_option, help="On or before DATE."),
        click.option(
            "--on",
            metavar="DATE",
            multiple=True,
            callback=_date_option,
            help="Within DATE: a day, a month or a year.",
        ),
        click.option(
            "--strict-dates",
            is_flag=True,
            help="Leave out incidents whose date only may fall within the dates asked for.",
        ),
        click.option(
            "--target-type",
            "target_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("TargetType"),
            help="Target category or a word for it: embassy, mosque, school, police...",
        ),
        click.option(
            "--attack-type",
            "attack_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("AttackType"),
            help="Attack category: bombing, armed assault, assassination, kidnapping...",
        ),
        click.option(
            "--weapon",
            "weapon_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("WeaponType"),
            help="Weapon category: explosives, firearms, incendiary, vehicle...",
        ),
        click.option(
            "--location",
            "locations",
            metavar="PLACE",
            multiple=True,
            callback=_non_empty,
            help="Country, province, district, city or site, any spelling "
            "(Mazar-e Sharif = Mazar-i-Sharif).",
        ),
        click.option(
            "--perpetrator",
            "perpetrators",
            metavar="NAME",
            multiple=True,
            callback=_non_empty,
            help="Group name or alias (ISIS-K, ISKP...); 'unknown' for unattributed.",
        ),
        click.option(
            "--text",
            "texts",
            metavar="WORDS",
            multiple=True,
            callback=_non_empty,
            help="All of these words in the summary, target or site.",
        ),
        click.option(
            "--min-killed",
            type=click.IntRange(min=0),
            metavar="N",
            help="At least N killed for certain (unknown tolls do not match).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    command.__doc__ = (command.__doc__ or "") + FILTER_HELP
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
    return click.option(
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
    console().print(renderable)


def selected(app: AppContext, options: dict[str, Any]) -> list[Match]:
    from incidents.query import select

    return select(app.incidents(), build_filters(options))


# --- commands ----------------------------------------------------------------


@cli.command("list")
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["date", "killed", "wounded"]),
    default="date",
    show_default=True,
    help="Order: oldest first, or highest toll first (unknown last).",
)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Show at most N.")
@_format_option(["table", "csv", "json", "ndjson"], "table", "Output format.")
@pass_app
def list_command(
    app: AppContext, /, sort: str, limit: int | None, output_format: str, **options: Any
) -> None:
    """List incidents as a table (or csv, json, ndjson).

    \b
    Examples:
      incidents list --target-type embassy
      incidents list --location "Mazar-e Sharif" --format json
      incidents list --since 2022-09-01 --until "December 2022"
      incidents list --sort killed --limit 3
    """
    from incidents.formats import Format
    from incidents.query import SortKey, sort_matches

    matches = sort_matches(selected(app, options), SortKey(sort))[:limit]
    fmt = Format(output_format)
    if fmt is Format.TABLE:
        from incidents.formats.table import incidents_table

        print_renderable(incidents_table(matches, len(app.incidents())))
    else:
        write_incidents(fmt, [m.incident for m in matches], sys.stdout)


def write_incidents(fmt: Format, incidents: Sequence[Incident], stream: Any) -> None:
    from incidents.formats import Format
    from incidents.formats import csv as csv_format
    from incidents.formats import json as json_format

    writers = {
        Format.CSV: csv_format.write_incidents,
        Format.JSON: json_format.write_incidents,
        Format.NDJSON: json_format.write_incidents_lines,
    }
    writers[fmt](incidents, stream)


@cli.command()
@click.argument("incident_id", metavar="ID")
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
@click.option(
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
@pass_app
def total(app: AppContext, /, by: str | None, output_format: str, **options: Any) -> None:
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
    """
    from incidents.formats import Format
    from incidents.formats import csv as csv_format
    from incidents.formats import json as json_format
    from incidents.query import GroupBy
    from incidents.query import total as compute_total

    totals = compute_total(
        (m.incident for m in selected(app, options)), GroupBy(by) if by else None
    )
    fmt = Format(output_format)
    if fmt is Format.TABLE:
        from incidents.formats.table import totals_table

        print_renderable(totals_table(totals))
    elif fmt is Format.CSV:
        csv_format.write_totals(totals, sys.stdout)
    elif fmt is Format.JSON:
        json_format.write_totals(totals, sys.stdout)
    else:
        json_format.write_totals_lines(totals, sys.stdout)


@cli.command()
@filter_options
@_format_option(
    ["csv", "json", "ndjson"],
    None,
    "Output format [default: from the -o file's ending, else csv]. "
    "JSON is itself a store, readable with --store.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (whole or not at all) instead of standard output.",
)
@pass_app
def export(
    app: AppContext, /, output_format: str | None, output: Path | None, **options: Any
) -> None:
    """Export incidents as CSV, JSON or NDJSON.

    CSV has a header and one flat row per incident; a count's min and max
    are both empty when it is not known, and max alone is empty when there
    is only a lower bound.  Cells that a spreadsheet would run as a formula
    are prefixed with '.

    \b
    Examples:
      incidents export --format csv > attacks.csv
      incidents export --format json --target-type mosque -o religious.json
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
    from incidents.model import Store
    from incidents.store import StoreError, atomic_writer, bundled_store, dump_store, load_store

    location = app.location()
    if location.path == bundled_store():
        raise click.UsageError(
            "no store to import into: give --store PATH (the file is created if it does not "
            "exist) or set $INCIDENTS_STORE."
        )
    store = Store(incidents=[])
    if location.path.exists():
        try:
            store = load_store(location.path)
        except StoreError as error:
            fail_with_problems(error.problems)
    chosen = datasets()[dataset.lower()]
    import_options = ImportOptions(
        countries=countries,
        filters=build_filters(options),
        max_errors=max_errors,
        strict=strict,
    )
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
            stream.write(dump_store(store.model_copy(update={"incidents": report.incidents})))
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
