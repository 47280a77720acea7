"""The matching benchmark runs with its one command, on known truth, and
writes its own section of BENCHMARKS.md, leaving the rest alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

BENCH = REPO_ROOT / "bench"
sys.path.insert(0, str(BENCH))

import sections  # type: ignore[import-not-found]  # noqa: E402
import truth  # type: ignore[import-not-found]  # noqa: E402


def test_the_truth_maps_each_record_to_its_attack(tmp_path: Path) -> None:
    found = truth.write(200, tmp_path, days=400)
    assert set(found) == {"gtd", "acled", "ucdp"}
    header = (tmp_path / "acled.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("event_id_cnty,event_date,year,time_precision")
    for name, records in found.items():
        rows = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").count("\n") - 1
        assert rows == len(records) > 100
    shared = set(found["gtd"].values()) & set(found["acled"].values())
    assert shared, "some attacks are in two data sets"
    assert json.loads((tmp_path / "truth.json").read_text(encoding="utf-8")) == found


def test_the_benchmark_writes_its_own_section(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nThe other figures.\n", encoding="utf-8")
    command = [sys.executable, str(BENCH / "match.py"), "--records", "300", "--days", "200"]
    command += ["--data", str(tmp_path / "data"), "--report", str(report)]
    for _ in range(2):  # a second run replaces the section
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        assert finished.returncode == 0, finished.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nThe other figures.\n\n<!-- bench/match.py: start -->")
    assert text.count("## Matching records of one attack across data sets") == 1
    assert "| day | town or finer |" in text
    assert "| matching: candidates, scores, evidence, links |" in text
    assert sections.sections(report) == [text[text.index("<!--") :].rstrip("\n")]


def test_a_section_is_replaced_in_place(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    sections.replace_section(report, "one", ["first"])
    sections.replace_section(report, "two", ["second"])
    sections.replace_section(report, "one", ["again"])
    assert report.read_text(encoding="utf-8") == (
        "<!-- bench/one: start -->\nagain\n<!-- bench/one: end -->\n\n"
        "<!-- bench/two: start -->\nsecond\n<!-- bench/two: end -->\n"
    )
