"""Importing outside data sets (GTD, ACLED, UCDP GED) into a store.

One module per data set turns one row into one incident, or raises
``RowError`` naming the cell that cannot be mapped.  This module reads a
file row by row, keeps the rows that pass the filters, and merges them into
the store's incidents by origin (data set and original id): an incident
already there is updated when the row says something new and left alone
otherwise, so importing the same file twice adds nothing.

Nothing here writes: the caller writes the merged store once, at the end.

What lives where: ``mapping`` (rows mapped on both cores for a large file),
``tabular`` (CSV and .xlsx files, headers), ``spreadsheet``
(an .xlsx sheet, within bounds), ``encodings``
(one encoding per file, mixed files refused), ``quotes`` (a quote left open),
``common`` (cell readers shared by the data sets), ``layouts`` (dates as each
codebook writes them), ``gtd``, ``acled``, ``ucdp`` (one row to one incident,
by each codebook), ``checking`` (the store's checks on each incident).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Protocol

from incidents.errors import IncidentsError
from incidents.importers.common import LeftOut, RowError
from incidents.importers.mapping import OUTSIDE, PARALLEL_FROM_ROWS, Done, Mapped, RowMapper
from incidents.importers.tabular import BadRow, Columns, HeaderMismatch, Row, TableFile
from incidents.model import Incident
from incidents.query import Filters, select
from incidents.vocabulary import place_key

DEFAULT_MAX_ERRORS = 100
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class DataSet:
    """An outside data set: its header, and how one row becomes an incident."""

    name: str
    title: str
    columns: Columns
    country_column: str
    origin_id: Callable[[Row], str]
    to_incident: Callable[[Row], Incident]
    # The first and last year a row's incident may fall in, read cheaply, or
    # None when the cells do not say: rows outside --since/--until are then
    # passed over before they are mapped, and are not counted as bad rows.
    years: Callable[[Row], tuple[int, int] | None]

    @classmethod
    def from_module(cls, module: ModuleType) -> DataSet:
        return cls(
            name=module.DATASET,
            title=module.TITLE,
            columns=module.COLUMNS,
            country_column=module.COUNTRY_COLUMN,
            origin_id=module.origin_id,
            to_incident=module.to_incident,
            years=module.years,
        )


def datasets() -> dict[str, DataSet]:
    from incidents.importers import acled, gtd, ucdp

    return {m.DATASET: DataSet.from_module(m) for m in (gtd, acled, ucdp)}


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped: where it is, which cell, and why."""

    file: str
    line: int
    reason: str
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        if self.column is None:
            return f"{where} {self.reason}"
        return f"{where} {self.column} {_quoted(self.value or '')}: {self.reason}"


def _quoted(value: str) -> str:
    import json

    shown = value if len(value) <= 60 else value[:57] + "..."
    return json.dumps(shown, ensure_ascii=False)


class ImportAborted(IncidentsError):
    """Too many bad rows, or one under --strict: nothing is to be written."""

    def __init__(self, message: str, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__(message)


@dataclass
class ImportReport:
    """What an import found and did; ``incidents`` is the merged store."""

    dataset: DataSet
    path: Path
    incidents: list[Incident]
    encoding: str | None = None
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    outside_filters: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


@dataclass(frozen=True)
class ImportOptions:
    countries: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    max_errors: int = DEFAULT_MAX_ERRORS  # 0: no limit
    strict: bool = False


ProgressCallback = Callable[[int, int | None], None]
ProblemCallback = Callable[[RowProblem], None]


class Merge(Protocol):
    """Where imported incidents go: ``add`` says "added", "updated" or "unchanged".

    A store may also take an incident mapped in the forked process from its
    text (``add_text``), and say what it makes of such a text (``prepare``,
    which that process runs when it is well ahead: ``importers.mapping``)."""

    incidents: list[Incident]

    def add(self, incident: Incident) -> str: ...


def import_file(
    dataset: DataSet,
    path: Path,
    existing: Sequence[Incident] | Merge,
    options: ImportOptions | None = None,
    on_progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
) -> ImportReport:
    """Read ``path`` as ``dataset`` and merge its incidents into ``existing``:
    a store's incidents (merged in memory), or a ``Merge`` that writes as it
    goes (``index.SqliteStoreImport``, for stores of millions).

    ``on_progress(rows_read, estimated_rows)`` is called every so often;
    ``on_problem`` for each skipped row as it is found.  Raises
    ``ImportAborted`` on the first bad row under ``strict`` or when
    ``max_errors`` bad rows are reached, and ``FileFormatError`` for a file
    that is not of this data set.
    """
    from incidents.index.schema import collector_paused

    options = options or ImportOptions()
    table = TableFile(path, dataset.columns)
    merge = _Merge(dataset.name, existing) if isinstance(existing, Sequence) else existing
    report = ImportReport(dataset, path, merge.incidents, encoding=table.encoding)
    filtering = options.filters != Filters()

    def skip(problem: RowProblem) -> None:
        report.problems.append(problem)
        if on_problem:
            on_problem(problem)
        if options.strict:
            raise ImportAborted(
                "stopped at the first bad row (--strict); nothing was written", [problem]
            )
        if options.max_errors and len(report.problems) >= options.max_errors:
            raise ImportAborted(
                f"stopped after {len(report.problems)} bad rows (--max-errors); nothing was "
                "written. Is this the right file and data set?",
                report.problems,
            )

    parallel = (
        not table.is_spreadsheet
        and path.is_file()
        and (table.estimated_rows or 0) >= PARALLEL_FROM_ROWS
    )
    outside = _outside_filters(dataset, options)
    mapper = RowMapper(
        lambda: _rows(table, dataset),
        lambda item: not outside(item),
        dataset.origin_id,
        dataset.to_incident,
        lambda incident: not filtering or bool(select([incident], options.filters)),
        _validation_text,
        parallel,
        getattr(merge, "prepare", None),
    )
    # Hundreds of thousands of short-lived models, and a growing store held
    # or batched: the cyclic collector would run again and again for nothing.
    before = _identity(path)
    with collector_paused(), contextlib.closing(mapper):
        _import_rows(table, dataset, outside, options, merge, report, mapper, on_progress, skip)
    if _identity(path) != before:
        # Its rows were read from two versions (and by two processes, each
        # its own): what was read is not one export.
        raise ImportAborted(
            f"{path}: changed while it was read (is it still being written?); nothing was "
            "written. Import it again once it is whole.",
            [],
        )
    if on_progress:
        on_progress(report.rows, report.rows)
    return report


def _identity(path: Path) -> tuple[int, ...] | None:
    """What changes when a file's content does (None when it cannot be seen)."""
    from incidents.index.state import Identity

    try:
        return Identity.of(path).content()
    except OSError:
        return None


def _import_rows(
    table: TableFile,
    dataset: DataSet,
    outside: Callable[[Row], bool],
    options: ImportOptions,
    merge: Merge,
    report: ImportReport,
    mapper: RowMapper,
    on_progress: ProgressCallback | None,
    skip: ProblemCallback,
) -> None:
    path = table.path
    filtering = options.filters != Filters()
    first_line: dict[str, int] = {}
    for item in mapper.items():
        report.rows += 1
        if on_progress and report.rows % PROGRESS_EVERY == 0:
            on_progress(report.rows, table.estimated_rows)
        if isinstance(item, BadRow):
            skip(RowProblem(str(path), item.line, item.reason))
            continue
        if item is OUTSIDE or (isinstance(item, Row) and outside(item)):
            report.outside_filters += 1
            continue
        try:
            original = item.origin_id if isinstance(item, Done) else dataset.origin_id(item)
            if original in first_line:
                raise RowError(
                    dataset.columns.required[0],
                    original,
                    f"the same event as line {first_line[original]}; the row is skipped",
                )
            incident = mapper.map(item)
            first_line[original] = item.line
        except RowError as error:
            skip(RowProblem(str(path), item.line, error.reason, error.column, error.value))
            continue
        except LeftOut as left:
            report.left_out[left.kind] += 1
            continue
        except ValueError as error:  # the model refused what the row gave
            skip(RowProblem(str(path), item.line, _validation_text(error)))
            continue
        if isinstance(incident, Mapped):
            kept = incident.selected
        else:
            kept = not filtering or bool(select([incident], options.filters))
        if not kept:
            report.outside_filters += 1
            continue
        outcome = _merged(merge, incident)
        if outcome == "added":
            report.added += 1
        elif outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1


def _merged(merge: Merge, incident: Incident | Mapped) -> str:
    """What merging the incident did: "added", "updated" or "unchanged"."""
    if isinstance(incident, Mapped):
        add_text = getattr(merge, "add_text", None)
        done = add_text(incident) if add_text is not None else None
        if done is not None:
            return str(done)
        incident = incident.incident()
    return merge.add(incident)


def _outside_filters(dataset: DataSet, options: ImportOptions) -> Callable[[Row], bool]:
    """Whether a row is surely outside --country or the dates, read cheaply
    from its cells before it is mapped."""
    wanted_countries = {place_key(c) for c in options.countries}
    wanted_years = _years_wanted(options.filters)

    def outside(row: Row) -> bool:
        if wanted_countries and place_key(row[dataset.country_column]) not in wanted_countries:
            return True
        return bool(wanted_years) and _surely_outside(dataset.years(row), wanted_years)

    return outside


def _years_wanted(filters: Filters) -> list[tuple[int, int]]:
    """The spans of years the date filters allow (several for --on), or none
    when the dates are not filtered."""
    if not (filters.since or filters.until or filters.on):
        return []
    since = filters.since.first_day.year if filters.since else 1
    until = filters.until.last_day.year if filters.until else 9999
    spans = [(on.first_day.year, on.last_day.year) for on in filters.on] or [(since, until)]
    return [(max(first, since), min(last, until)) for first, last in spans]


def _surely_outside(years: tuple[int, int] | None, wanted: list[tuple[int, int]]) -> bool:
    if years is None:
        return False
    first, last = years
    return all(last < since or first > until for since, until in wanted)


def _rows(table: TableFile, dataset: DataSet) -> Iterable[Row | BadRow]:
    try:
        yield from table.rows()
    except HeaderMismatch as mismatch:
        hint = _other_dataset(mismatch.found, dataset)
        if hint is None:
            raise
        raise HeaderMismatch(
            mismatch.path, mismatch.columns, mismatch.found, mismatch.missing, hint
        ) from None


def _other_dataset(found: list[str], wanted: DataSet) -> str | None:
    for other in datasets().values():
        if other.name != wanted.name:
            names = [other.columns.canonical(cell) for cell in found]
            if not other.columns.missing(names):
                article = "an" if other.title[0] in "AEIO" else "a"
                return f"It looks like {article} {other.title} export: import it as {other.name}."
    return None


def _validation_text(error: ValueError) -> str:
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return str(error)
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"cannot make an incident of it: {where}: {message}" if where else message


class _Merge:
    """The store's incidents, with new ones added and known ones updated by origin."""

    def __init__(self, dataset: str, existing: Sequence[Incident]) -> None:
        self.dataset = dataset
        self.incidents = list(existing)
        self.ids = {incident.id for incident in existing}
        self.by_origin = {
            incident.origin.id: position
            for position, incident in enumerate(existing)
            if incident.origin is not None and incident.origin.dataset == dataset
        }

    def add(self, incident: Incident) -> str:
        if incident.origin is None:
            raise ValueError("an imported incident needs its origin")
        origin_id = incident.origin.id
        position = self.by_origin.get(origin_id)
        if position is not None:
            old = self.incidents[position]
            # The store's id stays: it may have been renamed, and others cite it.
            new = incident.model_copy(update={"id": old.id})
            if new == old:
                return "unchanged"
            self.incidents[position] = new
            return "updated"
        new_id = self._free_id(incident.id)
        if new_id != incident.id:
            incident = incident.model_copy(update={"id": new_id})
        self.ids.add(new_id)
        self.by_origin[origin_id] = len(self.incidents)
        self.incidents.append(incident)
        return "added"

    def _free_id(self, wanted: str) -> str:
        if wanted not in self.ids:
            return wanted
        number = 2
        while f"{wanted}-{number}" in self.ids:
            number += 1
        return f"{wanted}-{number}"
