"""What a store holds, in counts: the first thing one asks of an imported
store (``incidents stats``).  The index counts; this says what is counted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DatasetCount:
    """The incidents of one data set (None: kept by hand) and their years."""

    name: str | None
    incidents: int
    first_year: str
    last_year: str


@dataclass(frozen=True)
class TollCount:
    """How one figure (killed, wounded) is known across the incidents."""

    exact: int = 0
    bounded: int = 0  # at least N, a range, or a best estimate in a range
    unknown: int = 0


@dataclass
class StoreStats:
    incidents: int
    datasets: list[DatasetCount] = field(default_factory=list)
    # How precisely dates are known: "day", "month", "year", "span".
    dates: dict[str, int] = field(default_factory=dict)
    # How precisely places are known, on ``certainty``'s one scale, finest first.
    places: dict[str, int] = field(default_factory=dict)
    killed: TollCount = field(default_factory=TollCount)
    wounded: TollCount = field(default_factory=TollCount)
    attributions: dict[str, int] = field(default_factory=dict)
    # The data sets' own codes: name -> value -> incidents.
    codes: dict[str, dict[int, int]] = field(default_factory=dict)
