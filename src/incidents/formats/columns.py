"""The list's columns: what each shows of an incident, in the terminal's
table and in the lines piped to other tools (``--columns`` names them).

A cell's text is made inert here, once, for every layout.  How much a cell
says depends on the room: a narrow table names the most precise place and
the short names of categories and groups; a wide one, and the piped lines,
give everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from incidents.formats.labels import (
    AT_LEAST_MARK,
    MAYBE_OUTSIDE_MARK,
    SUSPECTED_LEGEND,
    UNKNOWN_MARK,
    count_text,
    dataset_mark,
    perpetrator_text,
    short_category,
)
from incidents.inert import inert
from incidents.records import ListRow


class Detail(IntEnum):
    """How much a cell says: the table's tiers by width; piped lines say all."""

    COMPACT = 0  # the most precise place only; counts without best estimates
    MEDIUM = 1  # place and province, best estimates; short category and group names
    FULL = 2  # full category and group names


@dataclass(frozen=True)
class Column:
    name: str  # as --columns takes it, and the piped lines' header
    heading: str
    text_of: Callable[[ListRow, Detail], str]
    numeric: bool = False  # right-aligned, never wrapped
    short_heading: str = ""

    def text(self, row: ListRow, detail: Detail = Detail.FULL) -> str:
        return inert(self.text_of(row, detail))


def _date(row: ListRow, detail: Detail) -> str:
    return row.date_text + (MAYBE_OUTSIDE_MARK if row.date_uncertain else "")


def _place(row: ListRow, detail: Detail) -> str:
    return row.short_place if detail is Detail.COMPACT else row.place_label


def _category(label: str, detail: Detail) -> str:
    return label if detail is Detail.FULL else short_category(label)


def _perpetrator(row: ListRow, detail: Detail) -> str:
    return perpetrator_text(row.perpetrator, row.suspected, short=detail is not Detail.FULL)


COLUMNS: dict[str, Column] = {
    column.name: column
    for column in (
        Column("id", "ID", lambda row, _: row.id),
        Column("date", "Date", _date),
        Column("country", "Country", lambda row, _: row.country),
        Column("place", "Place", _place),
        Column("site", "Site", lambda row, _: row.site or ""),
        Column("target-type", "Target", lambda row, d: _category(row.target_type, d)),
        Column("attack-type", "Attack", lambda row, d: _category(row.attack_type, d)),
        Column("perpetrator", "Perpetrator", _perpetrator, short_heading="Perp."),
        Column(
            "killed",
            "Killed",
            lambda row, d: count_text(row.killed, with_best=d is not Detail.COMPACT),
            numeric=True,
        ),
        Column(
            "wounded",
            "Wounded",
            lambda row, d: count_text(row.wounded, with_best=d is not Detail.COMPACT),
            numeric=True,
        ),
        # With --distinct: the data sets that report each attack (empty otherwise).
        Column("sets", "Sets", lambda row, _: "".join(map(dataset_mark, row.reported_by))),
    )
}

# The piped lines' columns unless --columns is given: every one, always the
# same, so that scripts can rely on them (with --distinct, and the sets).
PIPED_COLUMNS = tuple(name for name in COLUMNS if name != "sets")
DISTINCT_PIPED_COLUMNS = (*PIPED_COLUMNS, "sets")


def parse_columns(text: str) -> tuple[str, ...]:
    """``id,date,killed`` as column names; ValueError naming the choices."""
    names = tuple(name.strip().lower() for name in text.split(","))
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ValueError(
            f"unknown column {unknown[0]!r}; choose from {', '.join(COLUMNS)} (',' between them)"
        )
    return names


def legend(rows: Sequence[ListRow], shown: Sequence[str]) -> str:
    """Explain only the marks that the columns shown use."""
    counts = [
        count_text(getattr(row, name))
        for row in rows
        for name in ("killed", "wounded")
        if name in shown
    ]
    notes = []
    if any(text.startswith(AT_LEAST_MARK) for text in counts):
        notes.append(f"{AT_LEAST_MARK}N at least N")
    named = "perpetrator" in shown
    if UNKNOWN_MARK in counts or (named and any(row.perpetrator is None for row in rows)):
        notes.append(f"{UNKNOWN_MARK} not known")
    if named and any(row.suspected for row in rows):
        notes.append(SUSPECTED_LEGEND)
    if "date" in shown and any(row.date_uncertain for row in rows):
        notes.append(f"{MAYBE_OUTSIDE_MARK} may fall outside the dates asked for")
    if "sets" in shown and any(row.reported_by for row in rows):
        from incidents.formats.matching import marks_legend

        notes.append(marks_legend([d for row in rows for d in row.reported_by]))
    return "; ".join(notes) + "." if notes else ""


def summary(shown: int, total_in_store: int | None, matched: int | None = None) -> str:
    """``8 incidents.``, ``2 incidents of 8.``, and when a limit left some
    out, ``3 of the 10 incidents that match (the store has 100).``"""
    if matched is not None and matched > shown:
        text = f"{shown} of the {matched} incidents that match"
        if total_in_store is not None and total_in_store != matched:
            text += f" (the store has {total_in_store})"
        return text + "."
    text = f"{shown} incident{'s' if shown != 1 else ''}"
    if total_in_store is not None and total_in_store != shown:
        text += f" of {total_in_store}"
    return text + "."
