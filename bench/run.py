"""Time `incidents` against jq, sqlite3 and DuckDB on the same data, in one run.

    pip install '.[bench]'              # DuckDB's Python package; jq and sqlite3 from Debian
    python bench/run.py                 # 1,000 and 200,000 incidents: questions, writes, imports
    python bench/run.py --huge          # and a 2,000,000-row import into a sqlite store
    python bench/run.py --sizes 1000 --skip imports,writes   # a quick look

Synthetic stores and GTD-shaped CSVs are generated once, with a fixed seed,
into ``bench/data/`` (``--data DIR``); see ``generate.py`` for the text
lengths, taken from real GTD rows.  Every measurement runs ours and the
peer in turn, alternating, ``--rounds`` times; the report gives median wall
time, peak memory (the whole process tree, sampled every 5 ms) and our time
as a fraction of the peer's, and is written into ``BENCHMARKS.md``.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this script)
import peers  # noqa: E402
from sections import sections  # noqa: E402

Command = list[str]
Prepare = Callable[[], None]


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def add(self, seconds: float, peak_kib: int) -> None:
        self.seconds.append(seconds)
        self.peak_kib = max(self.peak_kib, peak_kib)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> str:
        return f"{self.peak_kib / 1024:.0f} MiB"


def run(command: Command, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, all processes of the command)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise Failed(f"{' '.join(command[:6])}... failed ({process.returncode}): {error}")
    return elapsed, peak


class Failed(Exception):
    """A measured command exited with an error: the report says so."""


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


@dataclass
class Bench:
    data: Path
    rounds: int
    env: dict[str, str]
    rows: list[str] = field(default_factory=list)

    def ours(self, store: Path, *args: str) -> Command:
        return [sys.executable, "-m", "incidents", "--store", str(store), *args]

    def compare(
        self,
        what: str,
        ours: Command,
        peer_name: str,
        peer: Command,
        before_ours: Prepare | None = None,
        before_peer: Prepare | None = None,
        rounds: int | None = None,
    ) -> tuple[Measure, Measure]:
        """Ours and the peer in turn; one row of the report."""
        mine, theirs = Measure(), Measure()
        try:
            self._alternate(
                what, ours, peer_name, peer, mine, theirs, before_ours, before_peer, rounds
            )
        except Failed as failure:
            print(failure, file=sys.stderr)
            reason = str(failure).splitlines()[0].replace("|", "/")
            self.rows.append(f"| {what} | failed: {reason} | | {peer_name} | | | |")
            return mine, theirs
        self.rows.append(
            f"| {what} | {mine.median:.3f} s | {mine.peak} | {peer_name} | "
            f"{theirs.median:.3f} s | {theirs.peak} | {mine.median / theirs.median:.3f} |"
        )
        return mine, theirs

    def _alternate(
        self,
        what: str,
        ours: Command,
        peer_name: str,
        peer: Command,
        mine: Measure,
        theirs: Measure,
        before_ours: Prepare | None,
        before_peer: Prepare | None,
        rounds: int | None,
    ) -> None:
        for number in range(rounds or self.rounds):
            if before_ours:
                before_ours()
            mine.add(*run(ours, self.env))
            if before_peer:
                before_peer()
            theirs.add(*run(peer, self.env))
            print(
                f"  {what}: round {number + 1}: ours {mine.seconds[-1]:.3f} s, "
                f"{peer_name} {theirs.seconds[-1]:.3f} s",
                file=sys.stderr,
            )

    def alone(self, what: str, command: Command, before: Prepare | None = None) -> Measure:
        measure = Measure()
        for _ in range(self.rounds):
            if before:
                before()
            measure.add(*run(command, self.env))
        self.rows.append(f"| {what} | {measure.median:.3f} s | {measure.peak} | | | | |")
        return measure

    # --- data ------------------------------------------------------------------------

    def store(self, size: int, real_text: bool = False) -> Path:
        path = self.data / f"store-{size}{'-real' if real_text else ''}.json"
        if not path.exists():
            print(f"generating {size:,} incidents ...", file=sys.stderr)
            generate.write_store(size, path, real_text=real_text)
        return path

    def gtd_csv(self, size: int) -> Path:
        path = self.data / f"gtd-{size}-real.csv"
        if not path.exists():
            print(f"generating a {size:,}-row GTD-shaped CSV ...", file=sys.stderr)
            generate.write_gtd_csv(size, path, real_text=True)
        return path

    def duckdb_of_store(self, store: Path) -> Path:
        """DuckDB's native table of the store, made once from our flat CSV export."""
        database = store.with_suffix(".duckdb")
        if not database.exists():
            flat = store.with_suffix(".flat.csv")
            with flat.open("w") as out:
                subprocess.run(
                    self.ours(store, "export", "--format", "csv"),
                    stdout=out,
                    check=True,
                    env=self.env,
                )
            run(peers.duckdb_table_from_csv(database, flat), self.env)
        return database


# --- sections ---------------------------------------------------------------------


def questions(bench: Bench, size: int) -> None:
    store = bench.store(size)
    database = bench.duckdb_of_store(store)
    run(bench.ours(store, "total"), bench.env)  # the index is built once: warm
    for question in peers.QUESTIONS:
        what = f"{size:,}: {question.name}"
        bench.compare(
            what, bench.ours(store, *question.ours), "jq", peers.jq_question(question, store)
        )
        bench.compare(
            what,
            bench.ours(store, *question.ours),
            "DuckDB",
            peers.duckdb(database, question.duckdb),
        )


def cold(bench: Bench, size: int, real_text: bool) -> None:
    store = bench.store(size, real_text)
    question = peers.COLD

    def touch_content() -> None:
        with store.open("a") as handle:  # a change of content: the index is stale
            handle.write(" ")

    label = "real-length text" if real_text else "short text"
    bench.compare(
        f"{size:,} ({label}): {question.name}",
        bench.ours(store, *question.ours),
        "jq",
        peers.jq_question(question, store),
        before_ours=touch_content,
    )


NEW_INCIDENT = {
    "id": "bench-added",
    "date": "2022-12-02",
    "location": {"country": "Afghanistan", "province": "Kabul", "city": "Kabul"},
    "perpetrator": {"name": None, "attribution": "unknown"},
    "attack_type": "Bombing/Explosion",
    "target_type": "Police",
    "target": "Checkpoint",
    "weapon_types": ["Explosives"],
    "killed": 3,
    "wounded": 4,
    "summary": "A bomb went off at a police checkpoint.",
    "sources": [{"publisher": "Bench Wire", "date": "2022-12-03"}],
}
ADD_OPTIONS = [
    "add", "--date", "2022-12-02", "--country", "Afghanistan", "--province", "Kabul",
    "--city", "Kabul", "--attack-type", "bombing", "--target-type", "police",
    "--target", "Checkpoint", "--weapon", "explosives", "--killed", "3", "--wounded", "4",
    "--summary", "A bomb went off at a police checkpoint.",
    "--source", "Bench Wire | 2022-12-03", "--force", "--yes",
]  # fmt: skip


def writes(bench: Bench, size: int) -> None:
    import json

    source = bench.store(size)
    ours, theirs = bench.data / "writes-ours.json", bench.data / "writes-jq.json"
    for copy in (ours, theirs):
        shutil.copyfile(source, copy)
    run(bench.ours(ours, "total"), bench.env)  # warm before the first write
    bench.compare(
        f"{size:,}: add one incident to the JSON store",
        bench.ours(ours, *ADD_OPTIONS),
        "jq",
        peers.jq_append(theirs, json.dumps(NEW_INCIDENT)),
    )
    bench.alone(f"{size:,}: the question right after an add", bench.ours(ours, "total"))
    bench.compare(
        f"{size:,}: edit one field in the JSON store",
        bench.ours(ours, "edit", "syn-0000001", "--set", "killed=7"),
        "jq",
        peers.jq_edit(theirs, "syn-0000001", 7),
    )
    for copy in (ours, theirs):
        copy.unlink()


def imports(bench: Bench, size: int) -> None:
    csv_file = bench.gtd_csv(size)
    mib = csv_file.stat().st_size / 2**20
    json_store = bench.data / f"imported-{size}.json"
    sqlite_store = bench.data / f"imported-{size}.sqlite"
    duck = bench.data / f"imported-{size}.duckdb"
    lite = bench.data / f"imported-{size}.sqlite3-cli.db"

    def fresh(*paths: Path) -> Prepare:
        def remove() -> None:
            for path in paths:
                path.unlink(missing_ok=True)

        return remove

    what = f"import a {size:,}-row GTD CSV ({mib:.0f} MiB, real-length text)"
    bench.compare(
        f"{what} into a new JSON store",
        bench.ours(json_store, "import", "gtd", str(csv_file)),
        "DuckDB read_csv",
        peers.duckdb_table_from_csv(duck, csv_file),
        before_ours=fresh(json_store),
        before_peer=fresh(duck),
    )
    bench.compare(
        f"{what} into a new .sqlite store",
        bench.ours(sqlite_store, "import", "gtd", str(csv_file)),
        "DuckDB read_csv",
        peers.duckdb_table_from_csv(duck, csv_file),
        before_ours=fresh(sqlite_store),
        before_peer=fresh(duck),
    )
    bench.compare(
        f"{what} into a new .sqlite store",
        bench.ours(sqlite_store, "import", "gtd", str(csv_file)),
        "sqlite3 .import",
        peers.sqlite3_import(lite, csv_file),
        before_ours=fresh(sqlite_store),
        before_peer=fresh(lite),
    )
    bench.compare(
        f"{size:,}: add one incident to a .sqlite store",
        bench.ours(sqlite_store, *ADD_OPTIONS),
        "sqlite3 insert",
        peers.sqlite3_insert(lite, "gtd", {"eventid": "1", "summary": "A bomb went off."}),
    )
    sizes = {
        "the CSV": csv_file,
        "our .sqlite store": sqlite_store,
        "our JSON store": json_store,
        "DuckDB's table": duck,
        "sqlite3's .import table": lite,
    }
    index = _index_of(bench, json_store)
    if index:
        sizes["the query index of our JSON store"] = index
    listed = ", ".join(
        f"{name} {path.stat().st_size / 2**20:.0f} MiB" for name, path in sizes.items()
    )
    bench.rows.append(f"| sizes on disk after the {size:,}-row import: {listed} | | | | | | |")


def _index_of(bench: Bench, store: Path) -> Path | None:
    run(bench.ours(store, "total"), bench.env)
    result = subprocess.run(
        bench.ours(store, "where"), capture_output=True, text=True, env=bench.env, check=True
    )
    for line in result.stderr.splitlines():
        if line.startswith("Its query index: "):
            return Path(line.removeprefix("Its query index: "))
    return None


def huge(bench: Bench) -> None:
    size = 2_000_000
    csv_file = bench.gtd_csv(size)
    store, duck = bench.data / f"imported-{size}.sqlite", bench.data / f"imported-{size}.duckdb"

    def fresh(path: Path) -> Prepare:
        return lambda: path.unlink(missing_ok=True)

    bench.compare(
        f"import a {size:,}-row GTD CSV ({csv_file.stat().st_size / 2**30:.1f} GiB) "
        "into a new .sqlite store",
        bench.ours(store, "import", "gtd", str(csv_file)),
        "DuckDB read_csv",
        peers.duckdb_table_from_csv(duck, csv_file),
        before_ours=fresh(store),
        before_peer=fresh(duck),
        rounds=1,
    )
    # The GTD-shaped rows name other places than the synthetic stores.
    places = {"Kandahar": "Balochistan", "Iraq": "Pakistan"}
    for question in peers.QUESTIONS:
        asked = [places.get(word, word) for word in question.ours]
        bench.alone(f"{size:,} (.sqlite store): {question.name}", bench.ours(store, *asked))


SECTIONS = ("questions", "cold", "writes", "imports")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,200000", help="comma-separated store sizes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--huge", action="store_true", help="also 2,000,000 rows into sqlite")
    parser.add_argument("--skip", default="", help=f"sections to skip: {', '.join(SECTIONS)}")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--report", type=Path, default=HERE.parent / "BENCHMARKS.md")
    args = parser.parse_args()
    for tool in ("jq", "sqlite3"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not on the PATH (Debian: apt-get install {tool})")
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise SystemExit("DuckDB is not installed: pip install '.[bench]'") from None
    skip = {s for s in args.skip.split(",") if s}
    args.data.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="incidents-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}
    bench = Bench(args.data, args.rounds, env)
    sizes = [int(s) for s in args.sizes.split(",")]
    largest = max(sizes)
    if "questions" not in skip:
        for size in sizes:
            questions(bench, size)
    if "cold" not in skip:
        cold(bench, largest, real_text=False)
        cold(bench, largest, real_text=True)
    if "writes" not in skip:
        writes(bench, largest)
    if "imports" not in skip:
        imports(bench, largest)
    if args.huge:
        huge(bench)
    help_times = [run([sys.executable, "-m", "incidents", "--help"], env)[0] for _ in range(5)]
    report = [
        "# Benchmarks",
        "",
        "Written by `python bench/run.py` (see its docstring); do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite {_version(['sqlite3', '--version'])}, "
        f"{_version(['jq', '--version'])}, DuckDB {_duckdb_version()}. Medians of "
        f"{args.rounds} runs, ours and the peer's in turn; peak memory is the largest sum "
        "over the command's processes, sampled every 5 ms. Warm questions run with the "
        "query index fresh; a cold question changes one byte of the store before each of "
        "our runs, so that it includes validating the store and rebuilding the index (jq "
        "has no index: its cold time is its time). DuckDB answers from a native table "
        "made once from our CSV export, in a Python process of its own.",
        "",
        "| what | ours (median) | our peak memory | peer | peer (median) "
        "| peer peak memory | ours / peer |",
        "|---|---|---|---|---|---|---|",
        *bench.rows,
        "",
        f"`incidents --help`: median {statistics.median(help_times):.3f} s over 5 runs.",
    ]
    report += ["", *sections(args.report)]  # the other benchmarks' own sections
    args.report.write_text("\n".join(report).rstrip("\n") + "\n", encoding="utf-8")
    print("\n".join(report))
    shutil.rmtree(cache, ignore_errors=True)
    return 0


def _version(command: Command) -> str:
    output = subprocess.run(command, capture_output=True, text=True).stdout.split()
    return output[0] if output else "?"


def _duckdb_version() -> str:
    import duckdb

    return str(duckdb.__version__)


if __name__ == "__main__":
    sys.exit(main())
