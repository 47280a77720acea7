"""Time `incidents` against jq on the same stores, for the same questions.

    python bench/run.py                 # 1,000 and 200,000 incidents
    python bench/run.py --huge          # and 2,000,000 in a sqlite store
    python bench/run.py --sizes 1000    # a quick look

Needs the project installed in the running Python (``pip install .``) and
``jq`` on the PATH.  Synthetic stores are generated once, with the project's
own model and a fixed seed, into ``bench/data/`` (or ``--data DIR``).  Each
question is asked of both tools in turn, alternating, ``--rounds`` times;
the report gives median wall time, peak memory (the whole process tree,
sampled) and our time as a fraction of jq's, and is written into
``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this script)
from sections import sections  # noqa: E402

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
    cold: bool = False  # the store changes before each of our runs


QUESTIONS = [
    Question(
        "count and killed, one target type since a year",
        ["total", "--target-type", "police", "--since", "2015", "--format", "json"],
        '[.incidents[] | select(.target_type == "Police" and (.date[0:4] | tonumber) >= 2015)]'
        f" | {{incidents: length, killed: (map({KILLED}) | add)}}",
    ),
    Question(
        "totals by year for one country",
        ["total", "--by", "year", "--location", "Iraq", "--format", "json"],
        '[.incidents[] | select(.location.country == "Iraq")] | group_by(.date[0:4])'
        f" | map({{year: .[0].date[0:4], incidents: length, killed: (map({KILLED}) | add)}})",
    ),
    Question(
        "the 20 deadliest in a province",
        ["list", "--location", "Kandahar", "--sort", "killed", "--limit", "20", "--format", "json"],
        f'[.incidents[] | select(.location.province == "Kandahar")] | sort_by(-{KILLED}) | .[:20]',
    ),
    Question(
        "export one country as CSV",
        ["export", "--location", "Afghanistan", "--format", "csv"],
        f'-r .incidents[] | select(.location.country == "Afghanistan") | {CSV_FIELDS} | @csv',
    ),
    Question(
        "cold: the first question, just after the store changed",
        ["total", "--target-type", "police", "--since", "2015", "--format", "json"],
        '[.incidents[] | select(.target_type == "Police" and (.date[0:4] | tonumber) >= 2015)]'
        f" | {{incidents: length, killed: (map({KILLED}) | add)}}",
        cold=True,
    ),
]


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, all processes of the command)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error}")
    return elapsed, peak


def _tree_rss(pid: int) -> int:
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        pending.extend(int(child) for child in children)
    return total


def ensure_store(size: int, data: Path) -> Path:
    path = data / f"store-{size}.json"
    if not path.exists():
        print(f"generating {size:,} incidents ...", file=sys.stderr)
        generate.write_store(size, path)
    return path


def bench_size(size: int, data: Path, rounds: int, env: dict[str, str]) -> list[str]:
    store = ensure_store(size, data)
    ours_base = [sys.executable, "-m", "incidents", "--store", str(store)]
    # Warm the index once so that warm questions are warm.
    run([*ours_base, "total"], env)
    rows = []
    for question in QUESTIONS:
        ours, jq = Measure(), Measure()
        for round_number in range(rounds):
            if question.cold:
                with store.open("a") as handle:  # a change of content: the index is stale
                    handle.write(" ")
            seconds, peak = run([*ours_base, *question.ours], env)
            ours.seconds.append(seconds)
            ours.peak_kib = max(ours.peak_kib, peak)
            seconds, peak = run(jq_command(question, store), env)
            jq.seconds.append(seconds)
            jq.peak_kib = max(jq.peak_kib, peak)
            print(
                f"  {size:>9,} {question.name}: round {round_number + 1}: "
                f"ours {ours.seconds[-1]:.3f} s, jq {jq.seconds[-1]:.3f} s",
                file=sys.stderr,
            )
        rows.append(
            f"| {size:,} | {question.name} | {ours.median:.3f} s | {_mib(ours.peak_kib)} "
            f"| {jq.median:.3f} s | {_mib(jq.peak_kib)} | {ours.median / jq.median:.3f} |"
        )
    return rows


def jq_command(question: Question, store: Path) -> list[str]:
    if question.jq.startswith("-r "):
        return ["jq", "-r", question.jq.removeprefix("-r "), str(store)]
    return ["jq", "-c", question.jq, str(store)]


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def bench_help(env: dict[str, str], rounds: int) -> str:
    times = [run([sys.executable, "-m", "incidents", "--help"], env)[0] for _ in range(rounds)]
    return f"`incidents --help`: median {statistics.median(times):.3f} s over {rounds} runs."


def bench_import(size: int, data: Path, env: dict[str, str], suffix: str) -> str:
    """Import a GTD-shaped CSV of ``size`` rows into a new store; one line of report."""
    csv_file = data / f"gtd-{size}.csv"
    if not csv_file.exists():
        print(f"generating a {size:,}-row GTD-shaped CSV ...", file=sys.stderr)
        generate.write_gtd_csv(size, csv_file)
    store = data / f"imported-{size}{suffix}"
    store.unlink(missing_ok=True)
    base = [sys.executable, "-m", "incidents", "--store", str(store)]
    seconds, peak = run([*base, "import", "gtd", str(csv_file)], env)
    kind = "sqlite" if suffix == ".sqlite" else "JSON"
    return (
        f"Import of a {size:,}-row GTD-shaped CSV ({csv_file.stat().st_size / 2**20:.0f} MiB) "
        f"into a new {kind} store: {seconds:.0f} s ({size / seconds:,.0f} rows/s), "
        f"peak memory {_mib(peak)}."
    )


def bench_huge(data: Path, rounds: int, env: dict[str, str]) -> list[str]:
    """2,000,000 incidents: import a GTD-shaped CSV into a sqlite store, then ask."""
    size = 2_000_000
    database = data / f"imported-{size}.sqlite"
    base = [sys.executable, "-m", "incidents", "--store", str(database)]
    lines = [
        bench_import(size, data, env, ".sqlite"),
        "",
        "| question (2,000,000 incidents, sqlite store) | median | peak memory |",
        "|---|---|---|",
    ]
    # The GTD-shaped rows name other places than the synthetic stores.
    places = {"Kandahar": "Balochistan", "Iraq": "Pakistan"}
    for question in QUESTIONS[:4]:
        asked = [places.get(word, word) for word in question.ours]
        measure = Measure()
        for _ in range(rounds):
            seconds, peak = run([*base, *asked], env)
            measure.seconds.append(seconds)
            measure.peak_kib = max(measure.peak_kib, peak)
        lines.append(f"| {question.name} | {measure.median:.3f} s | {_mib(measure.peak_kib)} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,200000", help="comma-separated store sizes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--huge", action="store_true", help="also 2,000,000 in a sqlite store")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--report", type=Path, default=HERE.parent / "BENCHMARKS.md")
    args = parser.parse_args()
    if shutil.which("jq") is None:
        raise SystemExit("jq is not on the PATH (Debian: apt-get install jq)")
    args.data.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="incidents-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}
    jq_version = subprocess.run(["jq", "--version"], capture_output=True, text=True).stdout.strip()
    table = [
        "| incidents | question | incidents (median) | peak memory | jq (median) "
        "| jq peak memory | ours / jq |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in (int(s) for s in args.sizes.split(",")):
        table += bench_size(size, args.data, args.rounds, env)
    report = [
        "# Benchmarks",
        "",
        "Written by `python bench/run.py` (see its docstring); do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite {_sqlite_version()}, {jq_version}. "
        f"Medians of {args.rounds} alternating runs; peak memory is the largest sum over the "
        "command's processes, sampled every 5 ms. Warm questions run with the query index "
        "fresh; the cold question changes the store before each of our runs, so that it "
        "includes validating the store and rebuilding the index (jq has no index: its cold "
        "time is its time).",
        "",
        *table,
        "",
        bench_help(env, 5),
        "",
        bench_import(200_000, args.data, env, ".json"),
    ]
    if args.huge:
        report += ["", "## 2,000,000 incidents", "", *bench_huge(args.data, args.rounds, env)]
    report += ["", *sections(args.report)]  # the other benchmarks' own sections
    args.report.write_text("\n".join(report).rstrip("\n") + "\n", encoding="utf-8")
    print("\n".join(report))
    shutil.rmtree(cache, ignore_errors=True)
    return 0


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    sys.exit(main())
