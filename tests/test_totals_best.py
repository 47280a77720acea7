"""Totals over counts with best estimates (UCDP's low/best/high)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import incident_data

Runner = Callable[..., Result]


def _store(write_store: Callable[..., Path]) -> Path:
    return write_store(
        [
            incident_data(id="a", killed={"min": 25, "max": 40, "best": 31}, wounded=2),
            incident_data(id="b", killed=6, wounded=None),
            incident_data(id="c", killed={"min": 3}, wounded=1),
        ]
    )


def test_json_totals_carry_the_best_estimate_sum(
    run: Runner, write_store: Callable[..., Path]
) -> None:
    result = run("total", "--format", "json", store=_store(write_store))
    assert result.exit_code == 0
    total = json.loads(result.stdout)["total"]
    # 31 (best) + 6 (exact) + 3 (a lower bound stands as itself).
    assert total["killed"] == {"min": 34, "max": None, "unknown": 0, "best": 40}
    assert total["wounded"] == {"min": 3, "max": None, "unknown": 1, "best": None}


def test_csv_totals_add_best_columns_at_the_end(
    run: Runner, write_store: Callable[..., Path]
) -> None:
    result = run("total", "--format", "csv", store=_store(write_store))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # Each column added after the first eight, so that those keep their places.
    assert list(rows[0])[-3:] == ["killed_best", "wounded_best", "maybe_outside_dates"]
    assert (rows[-1]["killed_best"], rows[-1]["wounded_best"]) == ("40", "")


def test_tables_show_the_best_estimate(run: Runner, write_store: Callable[..., Path]) -> None:
    store = _store(write_store)
    overall = run("total", store=store)
    assert "Killed     at least 34; best estimate 40" in overall.stdout
    grouped = run("total", "--by", "country", store=store)
    assert "≥34 (best 40)" in grouped.stdout
    assert "best: the sum of best estimates" in grouped.stdout


def test_without_best_estimates_totals_look_as_before(run: Runner) -> None:
    result = run("total", "--by", "country")
    assert "best" not in result.stdout
    data = json.loads(run("total", "--format", "json").stdout)
    assert data["total"]["killed"]["best"] is None
