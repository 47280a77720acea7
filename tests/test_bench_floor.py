"""The floor script times each step a .sqlite store takes for the incidents
of a store an import wrote, and leaves that store as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from incidents.cli import cli
from tests.conftest import REPO_ROOT, bench_generator

STEPS = ["index rows", "compact JSON", "CSV lines", "dictionary", "packing", "inserts"]


def test_the_floor_of_an_imported_store_names_each_step_and_counts_every_incident(
    tmp_path: Path,
) -> None:
    export, store = tmp_path / "gtd.csv", tmp_path / "store.sqlite"
    bench_generator().write_gtd_csv(1200, export, real_text=True)  # enough to learn from
    imported = CliRunner().invoke(cli, ["--store", str(store), "import", "gtd", str(export)])
    assert imported.exit_code == 0, imported.stderr
    before = store.read_bytes()
    finished = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "floor.py"), str(store)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (finished.returncode, finished.stderr) == (0, "")
    lines = finished.stdout.splitlines()
    assert [line[:13].strip() for line in lines] == [*STEPS, "indexes", "commit", "in all"]
    assert lines[-1].endswith("s CPU for 1,200 incidents")
    assert store.read_bytes() == before
