"""The group, the context every command gets, and turning errors into exits."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from incidents.cli.options import (
    ARGUMENTS,
    OTHER_OPTIONS,
    SECTION_ORDER,
    DescribedArgument,
    SectionOption,
)
from incidents.cli.output import index_progress
from incidents.inert import inert

if TYPE_CHECKING:
    from incidents.matching.sources import DistinctSource
    from incidents.model import Incident
    from incidents.query import Filters, IncidentSource
    from incidents.store import StoreLocation


SHOWN_PROBLEMS = 5


@dataclass
class AppContext:
    """What the group's options give every command."""

    store_option: str | None
    use_index: bool = True
    _incidents: list[Incident] | None = field(default=None, repr=False)
    _source: IncidentSource | None = field(default=None, repr=False)
    _distinct: DistinctSource | None = field(default=None, repr=False)

    def source(self, distinct: bool = False) -> IncidentSource:
        """What reading commands query: the store's index in the cache, or
        (``--no-index``, or a cache that cannot hold it) one built in memory
        by the same code.  One engine answers either way.  ``distinct``: the
        store with each linked group of records as one incident, indexed by
        the same code (in the cache beside the store's, or in memory)."""
        if self._source is None:
            self._source = self._open_source()
        if not distinct:
            return self._source
        from incidents.index import index_path_for
        from incidents.matching.sources import distinct_source

        path = self.location().path
        cache = None
        if self.use_index and (path.is_file() or not path.exists()):
            index = index_path_for(path)
            cache = index.with_name(index.stem + ".distinct.sqlite")
        if self._distinct is None:
            self._distinct = distinct_source(self._source, cache)
            click.echo(self._distinct.counted.note(), err=True)
        return self._distinct

    def _open_source(self) -> IncidentSource:
        from incidents.index import IndexUnwritable, open_index, open_memory_index
        from incidents.store import StoreError

        path = self.location().path
        # A store read from a pipe (--store /dev/stdin) can be read only once,
        # and has no index kept for it: it is indexed in memory.
        streamed = path.exists() and not path.is_file()
        try:
            if self.use_index and not streamed:
                try:
                    return open_index(path, progress=index_progress())
                except IndexUnwritable as error:
                    click.echo(inert(f"Note: {error}; answering without it."), err=True)
            return open_memory_index(path, progress=index_progress())
        except StoreError as error:
            fail_with_problems(error.problems, missing_store_hint(path))

    def filters(self, options: dict[str, Any]) -> Filters:
        """The filter options as Filters; a place or perpetrator that no incident
        of the store has is said on stderr, with the closest names."""
        from incidents.cli.options import build_filters
        from incidents.unmatched import unmatched_notes

        filters = build_filters(options)
        for note in unmatched_notes(self.source(), filters):
            click.echo(note, err=True)
        return filters

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
                fail_with_problems(error.problems, missing_store_hint(location.path))
            # A store that `incidents validate` rejects is refused by every command.
            problems = errors(check_store(store, str(location.path)))
            if problems:
                fail_with_problems(problems)
            self._incidents = store.incidents
        return self._incidents


pass_app = click.make_pass_decorator(AppContext)


def missing_store_hint(path: Path) -> str | None:
    """For a store file that is not there, where to look instead of `validate`."""
    if path.exists() or path.is_symlink():
        return None
    return "See `incidents where` for which store is used and why, or give --store PATH."


def fail_with_problems(problems: Sequence[object], hint: str | None = None) -> NoReturn:
    """Exit 1 with the first few problems and a hint (by default: run validate)."""
    shown = [inert(str(p)) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more problems")
    if hint is None:
        import shlex

        file = getattr(problems[0], "file", None) if problems else None
        target = f" {shlex.quote(file)}" if file else ""
        hint = f"Run `incidents validate{target}` to list every problem."
    shown.append(hint)
    raise click.ClickException("\n".join(shown))


STORE_HELP = (
    "Store file to use. Otherwise $INCIDENTS_STORE, then ./incidents.json, "
    "then the copy bundled with the tool (see `incidents where`)."
)
STORE_META = "incidents.store"  # where a --store given after the command is kept


def _store_after_command(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``incidents list --store x.json`` as ``incidents --store x.json list``."""
    if value is None:
        return
    root = ctx.find_root()
    before = root.params.get("store_option")
    if before is not None and before != value:
        raise click.UsageError(
            f"--store is given twice, {before!r} before the command and {value!r} after it: "
            "give one store",
            ctx,
        )
    root.meta[STORE_META] = value
    app = root.obj
    if isinstance(app, AppContext):
        app.store_option = value


class IncidentsCommand(click.Command):
    """A command whose --help lists its options in sections, filters apart from
    output, and that takes --store after its name as the group does before it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--store", "store_after_command"],
                metavar="PATH",
                type=click.Path(),
                is_eager=True,  # before -o is checked against the store in use
                expose_value=False,
                callback=_store_after_command,
                help=STORE_HELP + " Before or after the command.",
            )
        )

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            section = param.section if isinstance(param, SectionOption) else OTHER_OPTIONS
            if isinstance(param, click.Argument):
                if not isinstance(param, DescribedArgument):
                    continue  # a bare name says nothing more than the usage line
                section = ARGUMENTS
            sections.setdefault(section, []).append(record)
        known = [name for name in SECTION_ORDER if name in sections]
        for name in known + sorted(set(sections) - set(known)):
            with formatter.section(name):
                formatter.write_dl(sections[name])


# The module of each command, imported when the command is asked for: a
# question does not build the options of every other command first.
COMMAND_MODULES = {
    "list": "reading",
    "show": "reading",
    "export": "reading",
    "where": "reading",
    "total": "counting",
    "timeline": "counting",
    "stats": "counting",
    "add": "changing",
    "edit": "changing",
    "remove": "changing",
    "import": "importing",
    "validate": "keeping",
    "schema": "keeping",
    "match": "matching",
    "convert": "converting",
    "completion": "shells",
}


class IncidentsGroup(click.Group):
    """Turns the core's errors into clean exits and suggests mistyped commands;
    imports a command's module when the command is asked for."""

    command_class = IncidentsCommand

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"incidents.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        every_command()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        from incidents.errors import IncidentsError

        try:
            return super().invoke(ctx)
        except IncidentsError as error:
            raise click.ClickException(inert(str(error), lines=True)) from None
        except Exception as error:
            broken = _broken_frame(error)
            if broken is None:
                raise
            raise click.ClickException(inert(broken)) from None
        except KeyboardInterrupt as stop:
            # SIGTERM and SIGHUP arrive as a KeyboardInterrupt that names them
            # while a temporary file is being written (``temporary.Terminated``).
            number = getattr(stop, "signum", signal.SIGINT)
            click.echo("Interrupted." if number == signal.SIGINT else "Terminated.", err=True)
            ctx.exit(128 + number)

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


def _broken_frame(error: Exception) -> str | None:
    """The line naming a sqlite store's text that could not be read, when
    that is what SQLite reports (its functions say only that they failed)."""
    packing = sys.modules.get("incidents.index.packing")
    return None if packing is None else packing.broken_frame(error)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=IncidentsGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--store",
    "store_option",
    metavar="PATH",
    type=click.Path(),  # so that shells complete file names
    help=STORE_HELP + " Before or after the command.",
)
@click.option(
    "--no-index",
    is_flag=True,
    help="Answer from a query index built in memory instead of the one kept in the "
    "cache directory (a SQLite file, rebuilt whenever the store changes).",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"], case_sensitive=False),
    envvar="INCIDENTS_DATE_ORDER",
    show_envvar=True,
    help="How you write a date whose year comes last: dmy reads 9/5/2022 as 9 May, mdy as "
    "5 September. Without it, such a date is refused unless it reads only one way "
    "(31/12/2022). A date that starts with its year is always year, month, day.",
)
@click.version_option(package_name="incidents", prog_name="incidents")
@click.pass_context
def cli(
    ctx: click.Context, store_option: str | None, no_index: bool, date_order: str | None
) -> None:
    """Look up terrorist and political violence incidents.

    Dates known only to the month or year stay that way, unknown casualty
    figures stay unknown, and totals say when they are only a lower bound.

    \b
    Examples:
      incidents list --target-type embassy
      incidents list --location "Mazar-e Sharif" --since 2022
      incidents total --by target-type
      incidents export --format csv > attacks.csv

    Tab completion: `incidents completion bash >> ~/.bashrc` (or zsh, fish:
    see `incidents completion --help`).
    """
    ctx.obj = AppContext(store_option, use_index=not no_index)
    from incidents.dates import DayMonthOrder, day_month_order

    # Every date the command reads from its options, prompts and --set values.
    order = day_month_order.set(DayMonthOrder(date_order.lower()) if date_order else None)
    ctx.call_on_close(lambda: day_month_order.reset(order))


# What click reads to know that a shell asks for completions (for "incidents").
COMPLETE_VARIABLE = "_INCIDENTS_COMPLETE"


def every_command() -> Mapping[str, click.Command]:
    """The group's commands, every module of them imported."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"incidents.cli.{module}")
    return cli.commands


def main() -> None:
    # On its way out, Python would look through every object still alive for
    # cycles to collect: the model's and the libraries' classes, 20-30 ms,
    # longer than an `add` to a store of 200,000 takes.  Frozen, they are
    # freed with the process (every file and database a command writes is
    # closed before it returns).
    atexit.register(gc.freeze)
    if COMPLETE_VARIABLE in os.environ:  # a shell asks for completions
        importlib.import_module("incidents.cli.shells")  # which has bash's own, quoted
    # Output piped into `head` and closed early is not an error worth a traceback.
    try:
        cli(prog_name="incidents")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
