"""A matching run: candidate pairs, their scores and evidence, literal
duplicates, and the links that result, keeping every decision people made.

A run looks only at what changed: the records added or changed since the
last run (``changed``) are compared with every record; the links found
before between records that did not change are kept as they were.  The
first run, or one told to, compares everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.categories import LinkStatus
from incidents.index.schema import collector_paused
from incidents.matching.blocking import candidate_pairs
from incidents.matching.groups import POSSIBLE, Pair, groups, settle
from incidents.matching.records import MatchRecord, match_record
from incidents.matching.scoring import compare, explain, score_of

DUPLICATE_EVIDENCE = "literal duplicates: the same in every field but their ids"


@dataclass
class Outcome:
    """What a run found, and the links of the store after it."""

    pairs: list[Pair]
    groups: list[list[str]] = field(default_factory=list)  # of records of one attack
    records: int = 0
    changed: int = 0
    compared: int = 0  # candidate pairs scored
    new: int = 0  # links that were not there before
    dropped: int = 0  # links found before whose records changed or went
    absent: int = 0  # decisions on records no longer in the store, kept
    settled: bool = False  # nothing changed: the store's links stand as they are
    by_status: dict[LinkStatus, int] = field(default_factory=dict)


def read_records(datas: Iterable[Mapping[str, Any]]) -> list[MatchRecord]:
    return [match_record(position, data) for position, data in enumerate(datas)]


def unchanged(pairs: list[Pair], dataset_of: Mapping[str, str]) -> Outcome:
    """The outcome of a run when no record changed since the last: the links
    as they are (settled when they were written)."""
    outcome = Outcome(pairs, groups(pairs, dataset_of), records=len(dataset_of), changed=0)
    outcome.settled = True
    for pair in pairs:
        outcome.by_status[pair.status] = outcome.by_status.get(pair.status, 0) + 1
    return outcome


def run(
    records: Sequence[MatchRecord],
    existing: Sequence[Pair],
    changed: Sequence[bool] | None = None,
) -> Outcome:
    """Match ``records`` (every record of the store); ``changed`` marks the
    ones to compare with all the others (None: every one)."""
    dataset_of = {record.key: record.dataset for record in records}
    fresh = (
        {r.key for r in records}
        if changed is None
        else {r.key for r, c in zip(records, changed, strict=True) if c}
    )
    kept: dict[tuple[str, str], Pair] = {}
    outcome = Outcome([], records=len(records), changed=len(fresh))
    for pair in existing:
        present = pair.first in dataset_of and pair.second in dataset_of
        if pair.status.decided or (present and not fresh & set(pair.keys)):
            kept[pair.keys] = pair
            outcome.absent += not present
        else:
            outcome.dropped += 1
    with collector_paused():
        found = _scored(records, changed, outcome) + _duplicates(records, fresh)
        for i, j, score, evidence in found:
            pair = Pair.of(records[i].key, records[j].key, LinkStatus.POSSIBLE)
            before = kept.get(pair.keys)
            if before is not None and before.status.decided:
                pair = before  # a person's decision stands; its evidence is brought up to date
            elif before is None:
                outcome.new += 1
            pair.score, pair.evidence = score, evidence
            kept[pair.keys] = pair
        pairs = sorted(kept.values(), key=lambda p: p.keys)
        outcome.groups = settle(pairs, dataset_of)
    outcome.pairs = pairs
    for pair in pairs:
        outcome.by_status[pair.status] = outcome.by_status.get(pair.status, 0) + 1
    return outcome


# Found pairs as (i, j, score, evidence).
Found = list[tuple[int, int, float, str]]
# Below this many records one process does it all: a second costs more than it saves.
SHARE_FROM = 50_000
_SHARED: tuple[Sequence[MatchRecord], Sequence[bool] | None] | None = None


def _scored(
    records: Sequence[MatchRecord], changed: Sequence[bool] | None, outcome: Outcome
) -> Found:
    """Candidate pairs that score at least ``POSSIBLE``, with their evidence:
    on both cores, each taking a share of the grid, where the platform forks
    and there is enough to share."""
    import multiprocessing

    global _SHARED
    shares = 2 if len(records) >= SHARE_FROM else 1
    if shares == 1 or "fork" not in multiprocessing.get_all_start_methods():
        found, outcome.compared = _score_share(records, changed, (0, 1))
        return found
    _SHARED = (records, changed)  # the workers inherit it: nothing is pickled to them
    try:
        with multiprocessing.get_context("fork").Pool(shares) as pool:
            results = pool.map(_score_shared, [(share, shares) for share in range(shares)])
    finally:
        _SHARED = None
    outcome.compared = sum(compared for _, compared in results)
    return [pair for found, _ in results for pair in found]


def _score_shared(part: tuple[int, int]) -> tuple[Found, int]:
    assert _SHARED is not None
    return _score_share(*_SHARED, part)


def _score_share(
    records: Sequence[MatchRecord], changed: Sequence[bool] | None, part: tuple[int, int]
) -> tuple[Found, int]:
    found: Found = []
    compared = 0
    for i, j in candidate_pairs(records, changed, part):
        compared += 1
        points = compare(records[i], records[j])
        if points is not None and score_of(points) >= POSSIBLE:
            explained = explain(records[i], records[j])
            assert explained is not None, "explain and compare weigh alike"
            found.append((i, j, round(explained[0], 3), explained[1]))
    return found, compared


def _duplicates(records: Sequence[MatchRecord], fresh: set[str]) -> Found:
    """Pairs of records of one data set that are the same in every field but
    their ids, at least one of them changed."""
    alike: defaultdict[tuple[str, bytes], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        alike[(record.dataset, record.literal)].append(index)
    found = []
    for members in alike.values():
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                if records[i].key in fresh or records[j].key in fresh:
                    found.append((i, j, 1.0, DUPLICATE_EVIDENCE))
    return found
