"""incidents import: a GTD, ACLED or UCDP export into the store."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Any

import click

from incidents.cli.app import AppContext, cli, fail_with_problems, pass_app
from incidents.cli.options import argument, build_filters, filter_options, non_empty
from incidents.inert import inert


@cli.command("import")
@argument(
    "dataset",
    type=click.Choice(["gtd", "acled", "ucdp"], case_sensitive=False),
    description="Which data set the file is an export of: gtd, acled or ucdp.",
)
@argument(
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    description="The export: a CSV file (or GTD's .xlsx).",
)
@click.option(
    "--country",
    "countries",
    metavar="NAME",
    multiple=True,
    callback=non_empty,
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
    from incidents.cli.output import writing
    from incidents.importers.streams import readable_file
    from incidents.index import SQLITE_SUFFIXES

    location = app.location()
    store = _store_to_import_into(location.path)
    chosen, import_options = _import_setup(dataset, countries, max_errors, strict, options)
    notes: list[str] = []
    # The lock is held from the reading of the store to its writing, so that
    # no other writer's change lands in between and is lost.
    with writing(store, dry_run), readable_file(file) as file:
        if store.suffix.lower() in SQLITE_SUFFIXES:
            report = _into_sqlite(store, chosen, file, import_options, dry_run)
            written = not dry_run
        else:
            report, written = _into_json(store, chosen, file, import_options, dry_run, notes)
    for note in notes:
        click.echo(inert(note), err=True)
    for line in _import_summary(report, location.path, dry_run, written):
        click.echo(line, err=True)


def _store_to_import_into(path: Path) -> Path:
    """The store named, refused when it is the bundled copy or no file."""
    from incidents.files import kind_of, status
    from incidents.store import bundled_store

    if path == bundled_store():
        raise click.UsageError(
            "no store to import into: give --store PATH (the file is created if it does not "
            "exist) or set $INCIDENTS_STORE."
        )
    found = status(path)
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise click.UsageError(f"{path}: {kind_of(found.st_mode)}, not a store file to write")
    return path


def _import_setup(
    dataset: str,
    countries: tuple[str, ...],
    max_errors: int,
    strict: bool,
    options: dict[str, Any],
) -> tuple[Any, Any]:
    from incidents.importers import ImportOptions, datasets

    chosen = datasets()[dataset.lower()]
    import_options = ImportOptions(
        countries=countries,
        filters=build_filters(options),
        max_errors=max_errors,
        strict=strict,
    )
    return chosen, import_options


def _into_sqlite(store: Path, chosen: Any, file: Path, options: Any, dry_run: bool) -> Any:
    """Merge the file into a sqlite store as it is read: it is never loaded whole."""
    from incidents.index import SqliteStoreImport

    return _streamed(SqliteStoreImport(store, chosen.name), chosen, file, options, dry_run)


def _streamed(merge: Any, chosen: Any, file: Path, options: Any, dry_run: bool) -> Any:
    """The file's incidents merged as they are read into a store that writes
    them as they come (``commit``, or ``abort`` for a dry run or a failure)."""
    from incidents.importers import import_file

    try:
        with _ImportProgress() as progress:
            report = import_file(
                chosen,
                file,
                merge,
                options,
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
    return report


def _into_json(
    store: Path, chosen: Any, file: Path, options: Any, dry_run: bool, notes: list[str]
) -> tuple[Any, bool]:
    """Merge the file into a JSON store in memory, and write it once, at the end."""
    from incidents.files import atomic_writer
    from incidents.importers import import_file
    from incidents.index import kept_up
    from incidents.model import Store
    from incidents.store import StoreError, link_texts, load_store, store_document, stored_json

    if not store.exists():
        return _into_new_json(store, chosen, file, options, dry_run, notes)
    current = Store(incidents=[])
    if store.exists():
        try:
            current = load_store(store)
        except StoreError as error:
            fail_with_problems(error.problems)
    with _ImportProgress() as progress:
        report = import_file(
            chosen,
            file,
            current.incidents,
            options,
            on_progress=progress.update,
            on_problem=progress.problem,
        )
    if dry_run or not (report.changed or not store.exists()):
        return report, False
    if sys.stderr.isatty():
        count = len(report.incidents)
        click.echo(f"Writing {count:,} incidents to {store}...", err=True)
    # Still under the lock: the next question finds the index up to date.
    with kept_up(store), atomic_writer(store, notes=notes) as stream:
        texts = (stored_json(i) for i in report.incidents)
        # Links name records by their origin: they hold through the import.
        for piece in store_document(texts, current.schema_url, link_texts(current.links)):
            stream.write(piece)
    return report, True


def _into_new_json(
    store: Path, chosen: Any, file: Path, options: Any, dry_run: bool, notes: list[str]
) -> tuple[Any, bool]:
    """Write the file's incidents into a new JSON store as they are read, and
    its index with them: the store is never held whole."""
    from incidents.index.json_import import JsonStoreImport

    merge = JsonStoreImport(store, chosen.name, notes)
    return _streamed(merge, chosen, file, options, dry_run), not dry_run


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
            self._bar.console.print(inert(str(problem)), markup=False, emoji=False)
        else:
            click.echo(inert(str(problem)), err=True)


def _import_summary(report: Any, store_path: Path, dry_run: bool, written: bool) -> list[str]:
    from incidents.importers.encodings import UTF8, UTF8_BOM, encoding_name

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
        kinds = ", ".join(f"{n:,} {inert(kind)}" for kind, n in report.left_out.most_common())
        total = sum(report.left_out.values())
        verb = "is" if total == 1 else "are"
        lines.append(f"Left out {rows(total)} that {verb} not violence ({kinds}).")
    if report.problems:
        lines.append(f"Skipped {rows(len(report.problems))} that could not be read (listed above).")
    return lines
