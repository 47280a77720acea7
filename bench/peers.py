"""The peers the benchmark measures us against, as commands: jq, sqlite3, DuckDB.

Each peer answers the same question or does the same change on the same
data as `incidents`, in a process of its own, so that start-up counts for
both.  DuckDB runs through its Python package (``pip install '.[bench]'``)
in a small script of its own, ``duck.py``; jq and sqlite3 are Debian's.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

KILLED = (
    '(if .killed == null then 0 elif (.killed | type) == "number" then .killed '
    "else .killed.min end)"
)
CSV_FIELDS = (
    '[.id, .date, .location.country, (.location.province // ""), (.location.city // ""), '
    '.target_type, .attack_type, (.perpetrator.name // ""), .summary]'
)


@dataclass(frozen=True)
class Question:
    name: str
    ours: list[str]
    jq: str
    duckdb: str  # SQL over the table ``incidents`` made from our CSV export
    cold: bool = False  # the store changes before each of our runs


QUESTIONS = [
    Question(
        "count and killed, one target type since a year",
        ["total", "--target-type", "police", "--since", "2015", "--format", "json"],
        '[.incidents[] | select(.target_type == "Police" and (.date[0:4] | tonumber) >= 2015)]'
        f" | {{incidents: length, killed: (map({KILLED}) | add)}}",
        "SELECT count(*), sum(killed_min) FROM incidents "
        "WHERE target_type = 'Police' AND left(date, 4) >= '2015'",
    ),
    Question(
        "totals by year for one country",
        ["total", "--by", "year", "--location", "Iraq", "--format", "json"],
        '[.incidents[] | select(.location.country == "Iraq")] | group_by(.date[0:4])'
        f" | map({{year: .[0].date[0:4], incidents: length, killed: (map({KILLED}) | add)}})",
        "SELECT left(date, 4) AS year, count(*), sum(killed_min) FROM incidents "
        "WHERE country = 'Iraq' GROUP BY year ORDER BY year",
    ),
    Question(
        "the 20 deadliest in a province",
        ["list", "--location", "Kandahar", "--sort", "killed", "--limit", "20", "--format", "json"],
        f'[.incidents[] | select(.location.province == "Kandahar")] | sort_by(-{KILLED}) | .[:20]',
        "SELECT * FROM incidents WHERE province = 'Kandahar' "
        "ORDER BY killed_min DESC NULLS LAST LIMIT 20",
    ),
    Question(
        "export one country as CSV",
        ["export", "--location", "Afghanistan", "--format", "csv"],
        f'-r .incidents[] | select(.location.country == "Afghanistan") | {CSV_FIELDS} | @csv',
        "COPY (SELECT * FROM incidents WHERE country = 'Afghanistan') TO '/dev/stdout' (HEADER)",
    ),
]
COLD = Question(
    "cold: the first question, just after one byte of the store changed",
    QUESTIONS[0].ours,
    QUESTIONS[0].jq,
    "",
    cold=True,
)


def jq_question(question: Question, store: Path) -> list[str]:
    if question.jq.startswith("-r "):
        return ["jq", "-r", question.jq.removeprefix("-r "), str(store)]
    return ["jq", "-c", question.jq, str(store)]


def duckdb(database: Path, sql: str) -> list[str]:
    return [sys.executable, str(HERE / "duck.py"), str(database), sql]


def duckdb_table_from_csv(database: Path, csv_file: Path, table: str = "incidents") -> list[str]:
    """DuckDB's own CSV loader into a native table: the import peer."""
    return duckdb(database, f"CREATE TABLE {table} AS SELECT * FROM read_csv('{csv_file}')")


def sqlite3_import(database: Path, csv_file: Path, table: str = "gtd") -> list[str]:
    return ["sqlite3", str(database), "-cmd", ".mode csv", f".import {csv_file} {table}"]


def sqlite3_insert(database: Path, table: str, values: dict[str, str]) -> list[str]:
    columns = ", ".join(f'"{c}"' for c in values)
    cells = ", ".join("'" + v.replace("'", "''") + "'" for v in values.values())
    return ["sqlite3", str(database), f"INSERT INTO {table} ({columns}) VALUES ({cells})"]


def jq_in_place(store: Path, program: str, *args: str) -> list[str]:
    """jq rewriting the whole store, as a user would: to a new file, renamed over it."""
    script = f'jq "$@" > "{store}.jq.tmp" && mv "{store}.jq.tmp" "{store}"'
    return ["sh", "-c", script, "jq", *args, program, str(store)]


def jq_append(store: Path, incident_json: str) -> list[str]:
    return jq_in_place(store, ".incidents += [$new]", "--argjson", "new", incident_json)


def jq_edit(store: Path, incident_id: str, killed: int) -> list[str]:
    program = f'(.incidents[] | select(.id == "{incident_id}") | .killed) = {killed}'
    return jq_in_place(store, program)
