"""Questions asked of an index or a sqlite store: filters, sorting and
totals as SQL.  The one engine every reading command asks, whatever the
store and wherever its index is (the cache, memory, a sqlite store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from incidents.index.filtering import (
    ensure_search as ensure_search,
)
from incidents.index.filtering import (
    filter_sql,
    maybe_toll_sql,
)
from incidents.index.filtering import (
    update_search as update_search,
)
from incidents.index.grouping import totals as grouped_totals
from incidents.index.schema import collector_paused
from incidents.index.texts import StoreTexts, text_data, texts_at
from incidents.query import (
    Excluded,
    Filters,
    GroupBy,
    GroupOrder,
    SortKey,
    Tally,
    Totals,
)
from incidents.records import (
    ListRow,
    csv_line,
    date_text,
    figure_from_columns,
    flat_cells,
)
from incidents.vocabulary import place_label

if TYPE_CHECKING:
    from incidents.index.lines import LinesKept
    from incidents.model import Incident, Link
    from incidents.stats import StoreStats


_ORDER = {
    SortKey.DATE: "date_start, id",
    SortKey.NEWEST: "date_start DESC, id DESC",
    SortKey.KILLED: "killed_unknown, -killed_low, -coalesce(killed_high, killed_low), pos",
    SortKey.FEWEST_KILLED: "killed_unknown, killed_low, coalesce(killed_high, killed_low), pos",
    SortKey.WOUNDED: "wounded_unknown, -wounded_low, -coalesce(wounded_high, wounded_low), pos",
    SortKey.FEWEST_WOUNDED: (
        "wounded_unknown, wounded_low, coalesce(wounded_high, wounded_low), pos"
    ),
}

_LIST_COLUMNS = (
    "id, date, end_date, city, district, province, country, target_type, attack_type, "
    "perpetrator, attribution, killed_low, killed_high, killed_best, killed_unknown, "
    "wounded_low, wounded_high, wounded_best, wounded_unknown, "
    "(SELECT name FROM sites WHERE sites.pos = facts.pos)"
)


# How many lines of a CSV export are read before those not made yet are made.
_LINES_AT_ONCE = 1000


class StoreIndex:
    """Queries over an index (with the store file its texts are read from)
    or a sqlite store."""

    def __init__(self, connection: sqlite3.Connection, texts: StoreTexts | None = None) -> None:
        self.connection = connection
        self.texts = texts

    def close(self) -> None:
        self.connection.close()
        if self.texts is not None:
            self.texts.close()

    def count(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM facts").fetchone()
        return int(row[0])

    def ids(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT id FROM facts ORDER BY pos")]

    def place_names(self) -> list[str]:
        """Every place name in the store, at every level, and the other spellings
        its incidents record."""
        names: set[str] = set()
        for level in ("country", "province", "district", "city"):
            query = f"SELECT DISTINCT {level} FROM facts WHERE {level} IS NOT NULL"
            names.update(row[0] for row in self.connection.execute(query))
        names.update(row[0] for row in self.connection.execute("SELECT name FROM aliases"))
        return sorted(names)

    def perpetrators(self) -> list[str]:
        query = "SELECT DISTINCT perpetrator FROM facts WHERE perpetrator IS NOT NULL"
        return sorted(row[0] for row in self.connection.execute(query))

    def _matching(
        self,
        filters: Filters,
        sort: SortKey | None = None,
        limit: int | None = None,
        columns: str = "",
    ) -> list[tuple[Any, ...]]:
        """(pos, uncertain, *columns) of the matching incidents, in order."""
        return self._matching_rows(filters, sort, limit, columns).fetchall()

    def _matching_rows(
        self, filters: Filters, sort: SortKey | None, limit: int | None, columns: str
    ) -> sqlite3.Cursor:
        sql = filter_sql(filters, self.connection)
        query = f"SELECT pos, NOT ({sql.certain}){', ' + columns if columns else ''} FROM facts"
        if sql.where:
            query += " WHERE " + " AND ".join(sql.where)
        query += f" ORDER BY {_ORDER[sort] if sort else 'pos'}"
        params = sql.certain_params + sql.params
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return self.connection.execute(query, params)

    def _details(self, columns: str, positions: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``details`` for these positions, in the order given."""
        if columns == "json":
            return ((text,) for text in texts_at(self.connection, self.texts, positions))
        return self._detail_rows(columns, positions)

    def _detail_rows(self, columns: str, positions: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        step = 500
        for start in range(0, len(positions), step):
            chunk = positions[start : start + step]
            marks = ", ".join("?" for _ in chunk)
            found = {
                row[0]: row[1:]
                for row in self.connection.execute(
                    f"SELECT pos, {columns} FROM details WHERE pos IN ({marks})", chunk
                )
            }
            for pos in chunk:
                yield found[pos]

    def list_rows(
        self, filters: Filters, sort: SortKey | None, limit: int | None = None
    ) -> list[ListRow]:
        rows = []
        for r in self._matching(filters, sort, limit, _LIST_COLUMNS):
            city, district, province, country = r[5], r[6], r[7], r[8]
            rows.append(
                ListRow(
                    id=r[2],
                    date_text=date_text(r[3], r[4]),
                    place_label=place_label(city, district, province, country),
                    short_place=city or district or province or country,
                    target_type=r[9],
                    attack_type=r[10],
                    perpetrator=r[11],
                    suspected=r[12] == "suspected",
                    killed=figure_from_columns(*r[13:17]),
                    wounded=figure_from_columns(*r[17:21]),
                    country=country,
                    site=r[21],
                    date_uncertain=bool(r[1]),
                )
            )
        return rows

    def csv_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """The matching incidents' lines of the CSV export, read as the matching
        incidents are found (a store of millions is not held whole); the lines
        not made yet are made, and kept for the next export (``index.lines``)."""
        # A JSON store's index keeps its lines in its own table: read and
        # written there, not through the view that also reads the store file.
        kept = "main.texts" if self.texts is not None else "details"
        column = f"(SELECT csv FROM {kept} AS kept WHERE kept.pos = facts.pos)"
        keeping = self._lines_kept()
        found: list[tuple[int, str | None]] = []  # from the first line not made yet
        for pos, _, line in self._matching_rows(filters, sort, limit, column):
            if line is not None and not found:
                yield line
                continue
            found.append((pos, line))
            if len(found) == _LINES_AT_ONCE:
                yield from self._lines_made(found, keeping)
                found = []
        yield from self._lines_made(found, keeping)
        keeping.keep()

    def _lines_kept(self) -> LinesKept:
        """Where the lines an export makes are kept: in an index's own table,
        or in a sqlite store's frames (packed), or its table of schema 9."""
        from incidents.index.lines import LinesKept
        from incidents.index.packing import packed

        if self.texts is not None:
            return LinesKept(self.connection, "main.texts", packed=False)
        if packed(self.connection):
            return LinesKept(self.connection, "main.frames", packed=True)
        return LinesKept(self.connection, "main.details", packed=False)

    def _lines_made(
        self, found: Sequence[tuple[int, str | None]], keeping: LinesKept
    ) -> Iterator[str]:
        """The lines found, with those not made yet made from the incidents'
        JSON (read together), and kept."""
        missing = [pos for pos, line in found if line is None]
        read = texts_at(self.connection, self.texts, missing, laid_out=False)
        texts = dict(zip(missing, read, strict=True))
        for pos, line in found:
            if line is None:
                line = csv_line(flat_cells(text_data(self.connection, pos, texts[pos])))
                keeping.add(pos, line)
            yield line

    def stored_texts(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """Each incident's JSON as a store file lays it out."""
        return self._detail("json", filters, sort, limit)

    def json_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """Each incident's JSON on one line, without spaces (SQLite's json())."""
        return self._detail("json(json)", filters, sort, limit)

    def _detail(
        self, column: str, filters: Filters, sort: SortKey | None, limit: int | None
    ) -> Iterator[str]:
        positions = [m[0] for m in self._matching(filters, sort, limit)]
        return (row[0] for row in self._details(column, positions))

    def incidents(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> list[Incident]:
        """Model objects, for the matching incidents only."""
        from pydantic import TypeAdapter

        from incidents.model import Incident

        texts = list(self.stored_texts(filters, sort, limit))
        with collector_paused():
            return TypeAdapter(list[Incident]).validate_json("[" + ",".join(texts) + "]")

    def incident(self, incident_id: str) -> Incident:
        from incidents.model import Incident
        from incidents.query import suggestion_prefix, unknown_id

        row = self.connection.execute(
            "SELECT json FROM details WHERE pos = "
            "(SELECT pos FROM facts WHERE id = ? ORDER BY pos LIMIT 1)",
            (incident_id,),
        ).fetchone()
        if row is not None:
            return Incident.model_validate_json(row[0])
        # Suggestions from the ids that may be close, not from every id of a
        # store of millions; ``unknown_id`` picks among them by the same rule.
        prefix = suggestion_prefix(incident_id)
        candidates = [
            r[0]
            for r in self.connection.execute(
                "SELECT id FROM facts WHERE substr(id, 1, ?) = ? OR instr(id, ?) > 0 "
                "ORDER BY pos LIMIT 20000",
                (len(prefix), prefix, incident_id),
            )
        ]
        raise unknown_id(incident_id, candidates)

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        # Ids are ASCII: every id that begins with the prefix sorts below it
        # followed by the highest code point, so the id index finds them.
        query = "SELECT id FROM facts WHERE id >= ? AND id < ? ORDER BY id LIMIT ?"
        rows = self.connection.execute(query, (prefix, prefix + "\U0010ffff", limit))
        return [row[0] for row in rows]

    def totals(
        self,
        filters: Filters,
        by: GroupBy | Sequence[GroupBy] | None = None,
        order: GroupOrder | None = None,
        reverse: bool = False,
        limit: int | None = None,
    ) -> Totals:
        """Totals overall and by up to two groupings (a cross-table), the
        first grouping's groups in ``order`` (turned round), at most ``limit``."""
        groupings = [] if by is None else [by] if isinstance(by, GroupBy) else list(by)
        sql = filter_sql(filters, self.connection)
        return grouped_totals(self.connection, sql, groupings, order, reverse, limit)

    def links(self) -> list[Link]:
        from incidents.index.links import read_links

        return read_links(self.connection)

    def matches_any(self, filters: Filters) -> bool:
        """Whether any incident matches: the first one found answers."""
        sql = filter_sql(filters, self.connection)
        where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
        query = f"SELECT EXISTS (SELECT 1 FROM facts{where})"
        return bool(self.connection.execute(query, sql.params).fetchone()[0])

    def tally(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Tally:
        """How many incidents match (the first ``limit`` in order), and how many
        of them may fall outside the dates asked for."""
        if limit is None:
            sql = filter_sql(filters, self.connection)
            where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""
            row = self.connection.execute(
                f"SELECT count(*), sum(NOT ({sql.certain})) FROM facts{where}",
                sql.certain_params + sql.params,
            ).fetchone()
            return Tally(int(row[0]), int(row[1] or 0))
        matching = self._matching(filters, sort, limit)
        return Tally(len(matching), sum(1 for m in matching if m[1]))

    def stats(self, filters: Filters) -> StoreStats:
        """What the incidents that match hold: data sets, years, how precisely
        dates and places are known, how many tolls are not known, the codes."""
        from incidents.index.describing import describe

        return describe(self.connection, filter_sql(filters, self.connection))

    def left_out(self, filters: Filters) -> list[Excluded]:
        """What the filters left out that they only may not have matched: incidents
        whose date may fall within the dates (--strict-dates), whose toll may meet
        a bound but is not known to, or that have no code of a data set asked for."""
        import dataclasses

        found: list[Excluded] = []

        def count(without: Filters, condition: str, params: Sequence[Any]) -> int:
            sql = filter_sql(without, self.connection)
            where = " AND ".join([*sql.where, condition])
            query = f"SELECT count(*) FROM facts WHERE {where}"
            return int(self.connection.execute(query, [*sql.params, *params]).fetchone()[0])

        if filters.strict_dates:
            loose = dataclasses.replace(filters, strict_dates=False)
            sql = filter_sql(loose, self.connection)
            condition = f"NOT ({sql.certain})"
            found.append(Excluded("strict_dates", count(loose, condition, sql.certain_params)))
        for figure in ("killed", "wounded"):
            for bound in ("min", "max"):
                option = f"{bound}_{figure}"
                value = getattr(filters, option)
                if value is not None:
                    cleared: dict[str, Any] = {option: None}
                    without = dataclasses.replace(filters, **cleared)
                    doubtful = count(without, maybe_toll_sql(figure, bound), [value, value])
                    found.append(Excluded(option, doubtful, str(value)))
        for name in dict.fromkeys(name for name, _ in filters.codes):
            others = tuple(code for code in filters.codes if code[0] != name)
            without = dataclasses.replace(filters, codes=others)
            uncoded = count(without, "instr(codes, ?) = 0", [f"|{name}="])
            found.append(Excluded("codes", uncoded, name))
        return [excluded for excluded in found if excluded.count]
