"""incidents import: a GTD, ACLED or UCDP export into the store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from incidents.cli.app import AppContext, cli, fail_with_problems, pass_app
from incidents.cli.options import build_filters, filter_options, non_empty

if TYPE_CHECKING:
    pass


@cli.command("import")
@click.argument("dataset", type=click.Choice(["gtd", "acled", "ucdp"], case_sensitive=False))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
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
    from incidents.importers import ImportOptions, datasets, import_file
    from incidents.index import SQLITE_SUFFIXES, SqliteStoreImport
    from incidents.model import Store
    from incidents.store import (
        StoreError,
        atomic_writer,
        bundled_store,
        link_texts,
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
                    (stored_json(i) for i in report.incidents),
                    store.schema_url,
                    link_texts(store.links),  # links name records by origin: they hold
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
