"""How well and how fast `incidents match` links the records of one attack.

    python bench/match.py                   # 200,000 records per data set (minutes)
    python bench/match.py --records 20000   # a quick look

Needs the project installed in the running Python (``pip install .``).
Attacks of known truth are rendered as GTD, ACLED and UCDP GED rows
(``truth.py``, into ``bench/data/`` or ``--data DIR``, once per size) and
read by the tool's own importers.  Then the matcher runs over all of them
at once, as ``incidents match`` does on a store that holds the three
imports; its links are held against the truth.

The report gives precision and recall of the pairs of records that the
links join into one attack (what ``--distinct`` counts once), for each
stratum of precision (the coarser of the two records' dates: day, week or
month and wider; and of their places: the town or finer, a district, a
province or coarser); and the time of each step.  It goes into its own
section of BENCHMARKS.md; the other sections are left as they are.
``--cli`` also times the ``incidents match`` command on a JSON store of the
three imports (it builds the store first, which takes minutes more).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import truth as truth_module  # noqa: E402  (the generator beside this script)
from sections import replace_section  # noqa: E402

from incidents.categories import LinkStatus  # noqa: E402
from incidents.importers import datasets, import_file  # noqa: E402
from incidents.matching.engine import run  # noqa: E402
from incidents.matching.groups import groups  # noqa: E402
from incidents.matching.records import MatchRecord, match_record  # noqa: E402

DATE_STRATA = ("day", "week", "month or wider")
PLACE_STRATA = ("town or finer", "district", "province or coarser")


class _Records:
    """An import's ``Merge`` that keeps each incident only as a matching record."""

    def __init__(self, records: list[MatchRecord]) -> None:
        self.incidents: list[Any] = []
        self.records = records
        self.seconds = 0.0

    def add(self, incident: Any) -> str:
        started = time.perf_counter()
        data = incident.model_dump(mode="json", exclude_defaults=True)
        self.records.append(match_record(len(self.records), data))
        self.seconds += time.perf_counter() - started
        return "added"


@dataclass
class Tally:
    found: int = 0  # pairs the links join into one attack
    right: int = 0  # of those, pairs of one attack
    real: int = 0  # pairs of one attack

    def cells(self) -> list[str]:
        precision = f"{self.right / self.found:.3f}" if self.found else "–"
        recall = f"{self.right / self.real:.3f}" if self.real else "–"
        return [f"{self.real:,}", f"{self.found:,}", precision, recall]


@dataclass
class Result:
    records: Counter[str] = field(default_factory=Counter)
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    overall: Tally = field(default_factory=Tally)
    with_review: Tally = field(default_factory=Tally)
    seconds: dict[str, float] = field(default_factory=dict)
    compared: int = 0
    links: Counter[str] = field(default_factory=Counter)


def date_stratum(record: MatchRecord) -> int:
    return 0 if record.days == 1 else 1 if record.days <= 8 else 2


def place_stratum(record: MatchRecord) -> int:
    if record.lat is None or record.precision is None:
        return 2
    return {"exact": 0, "site": 0, "city": 0, "district": 1}.get(record.precision.value, 2)


def stratum(a: MatchRecord, b: MatchRecord) -> tuple[str, str]:
    return (
        DATE_STRATA[max(date_stratum(a), date_stratum(b))],
        PLACE_STRATA[max(place_stratum(a), place_stratum(b))],
    )


def pairs_within(groups_: Iterable[list[str]]) -> set[frozenset[str]]:
    return {frozenset((a, b)) for g in groups_ for i, a in enumerate(g) for b in g[i + 1 :]}


def measure(records_per_dataset: int, data: Path, days: int = truth_module.DAYS) -> Result:
    directory = data / f"match-{records_per_dataset}-{days}"
    if not (directory / "truth.json").exists():
        print(f"generating about {records_per_dataset:,} records per data set ...", file=sys.stderr)
        truth_module.write(records_per_dataset, directory, days=days)
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    result = Result()
    records: list[MatchRecord] = []
    merge = _Records(records)
    started = time.perf_counter()
    for name in ("gtd", "acled", "ucdp"):
        before = len(records)
        import_file(datasets()[name], directory / f"{name}.csv", merge)
        result.records[name] = len(records) - before
        print(f"  imported {result.records[name]:,} {name} records", file=sys.stderr)
    result.seconds["import (the tool's importers, not timed as matching)"] = (
        time.perf_counter() - started - merge.seconds
    )
    result.seconds["records read for matching (from the imported incidents)"] = merge.seconds
    started = time.perf_counter()
    outcome = run(records, [])
    result.seconds["matching: candidates, scores, evidence, links"] = time.perf_counter() - started
    result.compared = outcome.compared
    result.links = Counter(p.status.value for p in outcome.pairs)
    by_key = {record.key: record for record in records}
    dataset_of = {record.key: record.dataset for record in records}
    attack_of = {
        f"{name}:{original}": attack
        for name, found in truth.items()
        for original, attack in found.items()
    }
    started = time.perf_counter()
    found = pairs_within(groups(outcome.pairs, dataset_of))
    result.seconds["groups from the links"] = time.perf_counter() - started
    members: defaultdict[int, list[str]] = defaultdict(list)
    for key in by_key:
        members[attack_of[key]].append(key)
    real = {
        pair
        for keys in members.values()
        for pair in pairs_within([keys])
        if len({dataset_of[k] for k in pair}) == 2
    }
    reviewed = found | {frozenset(p.keys) for p in outcome.pairs if p.status is LinkStatus.POSSIBLE}
    for pair in found | real:
        a, b = (by_key[key] for key in pair)
        tally = result.tallies[stratum(a, b)]
        for counted in (tally, result.overall):
            counted.found += pair in found
            counted.real += pair in real
            counted.right += pair in found and pair in real
    for pair in reviewed | real:
        result.with_review.found += pair in reviewed
        result.with_review.real += pair in real
        result.with_review.right += pair in reviewed and pair in real
    return result


def report(result: Result, records_per_dataset: int, load: str) -> list[str]:
    counts = ", ".join(f"{name.upper()} {n:,}" for name, n in result.records.items())
    total = sum(result.records.values())
    lines = [
        "## Matching records of one attack across data sets",
        "",
        f"Written by `python bench/match.py --records {records_per_dataset}` (see its docstring); "
        "do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; {load}. {total:,} records of attacks of known truth "
        f"({counts}), rendered by `bench/truth.py` with each data set's habits and read by the "
        "tool's own importers; matched all at once, as a first `incidents match` over the three "
        f"imports does. {result.compared:,} candidate pairs were scored (blocking by grid cell "
        f"and time slot); links: {result.links['likely']:,} likely, "
        f"{result.links['possible']:,} possible (for review).",
        "",
        "Precision and recall of the pairs of records that likely links join into one attack, "
        "by the coarser precision of the two records:",
        "",
        "| date | place | pairs of one attack | pairs linked | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for when in DATE_STRATA:
        for where in PLACE_STRATA:
            tally = result.tallies.get((when, where))
            if tally is not None and (tally.real or tally.found):
                lines.append(f"| {when} | {where} | " + " | ".join(tally.cells()) + " |")
    lines.append("| all | all | " + " | ".join(result.overall.cells()) + " |")
    reviewed = result.with_review.cells()
    lines += [
        "",
        f"Were every possible link confirmed on review: precision {reviewed[2]}, recall "
        f"{reviewed[3]}.",
        "",
        "| step | seconds |",
        "|---|---|",
    ]
    lines += [f"| {step} | {seconds:.1f} |" for step, seconds in result.seconds.items()]
    return lines


def time_cli(directory: Path) -> list[str]:
    """Import the three files into a JSON store, then time `incidents match` on it."""
    cache = Path(tempfile.mkdtemp(prefix="incidents-bench-match-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}
    store = directory / "matched.json"
    store.unlink(missing_ok=True)
    base = [sys.executable, "-m", "incidents", "--store", str(store)]
    for name in ("gtd", "acled", "ucdp"):
        subprocess.run([*base, "import", name, str(directory / f"{name}.csv")], env=env, check=True)
    subprocess.run([*base, "total"], env=env, check=True, capture_output=True)  # the index
    lines = []
    for label, args in (
        ("first run (every record)", ["match"]),
        ("run again, nothing changed", ["match"]),
        ("`total --distinct` (builds the counted-once view)", ["total", "--distinct"]),
    ):
        started = time.perf_counter()
        subprocess.run([*base, *args], env=env, check=True, capture_output=True)
        lines.append(f"| `incidents match`: {label} | {time.perf_counter() - started:.1f} |")
    size = store.stat().st_size / 2**20
    return [*lines, f"| (the JSON store: {size:,.0f} MiB) | |"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000, help="per data set")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--report", type=Path, default=HERE.parent / "BENCHMARKS.md")
    parser.add_argument("--cli", action="store_true", help="also time the command on a store")
    parser.add_argument(
        "--days",
        type=int,
        default=truth_module.DAYS,
        help="spread the attacks over fewer days than 2000-2021: as dense as a larger run",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    result = measure(args.records, args.data, args.days)
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    lines = report(result, args.records, load)
    if args.cli:
        lines += time_cli(args.data / f"match-{args.records}-{args.days}")
    replace_section(args.report, "match.py", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
