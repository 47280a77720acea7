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
from incidents.matching.blocking import candidate_pairs
from incidents.matching.groups import POSSIBLE, Pair, settle
from incidents.matching.records import MatchRecord, match_record
from incidents.matching.scoring import compare, explain, score_of

DUPLICATE_EVIDENCE = "literal duplicates: the same in every field but their ids"


@dataclass
class Outcome:
    """What a run found, and the links of the store after it."""

    pairs: list[Pair]
    records: int = 0
    changed: int = 0
    compared: int = 0  # candidate pairs scored
    new: int = 0  # links that were not there before
    dropped: int = 0  # links found before whose records changed or went
    by_status: dict[LinkStatus, int] = field(default_factory=dict)


def read_records(datas: Iterable[Mapping[str, Any]]) -> list[MatchRecord]:
    return [match_record(position, data) for position, data in enumerate(datas)]


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
    dropped = 0
    for pair in existing:
        present = pair.first in dataset_of and pair.second in dataset_of
        if pair.status.decided or (present and not fresh & set(pair.keys)):
            kept[pair.keys] = pair
        else:
            dropped += 1
    outcome = Outcome([], records=len(records), changed=len(fresh), dropped=dropped)
    found = _scored(records, changed, outcome) + _duplicates(records, fresh)
    for i, j, score in found:
        a, b = records[i], records[j]
        pair = Pair.of(a.key, b.key, LinkStatus.POSSIBLE)
        before = kept.get(pair.keys)
        if before is not None and before.status.decided:
            pair = before  # a person's decision stands; its evidence is brought up to date
        elif before is None:
            outcome.new += 1
        if score == 1.0 and a.dataset == b.dataset:
            pair.score, pair.evidence = 1.0, DUPLICATE_EVIDENCE
        else:
            explained = explain(a, b)
            assert explained is not None, "explain and compare weigh alike"
            pair.score, pair.evidence = round(explained[0], 3), explained[1]
        kept[pair.keys] = pair
    pairs = sorted(kept.values(), key=lambda p: p.keys)
    settle(pairs, dataset_of)
    outcome.pairs = pairs
    for pair in pairs:
        outcome.by_status[pair.status] = outcome.by_status.get(pair.status, 0) + 1
    return outcome


def _scored(
    records: Sequence[MatchRecord], changed: Sequence[bool] | None, outcome: Outcome
) -> list[tuple[int, int, float]]:
    """Candidate pairs that score at least ``POSSIBLE``."""
    found = []
    compared = 0
    for i, j in candidate_pairs(records, changed):
        compared += 1
        points = compare(records[i], records[j])
        if points is not None:
            score = score_of(points)
            if score >= POSSIBLE:
                found.append((i, j, score))
    outcome.compared = compared
    return found


def _duplicates(records: Sequence[MatchRecord], fresh: set[str]) -> list[tuple[int, int, float]]:
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
                    found.append((i, j, 1.0))
    return found
