"""From links between pairs of records to groups of records of one attack.

A group holds at most one record of each data set (two records of one data
set are one attack only as literal duplicates), never two records a person
rejected as one, and every pair a person confirmed.  Groups grow greedily:
confirmed links first, then likely ones from the highest score down.

``settle`` decides which links found by ``incidents match`` are likely (sure
enough to count as one attack) and which are only possible (left for
review): a likely link scores at least ``LIKELY``, has no rival nearly as
good (another record of the same data set that fits as well), and fits in
its group; or joins two records that other links put in one group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from incidents.categories import LinkStatus
from incidents.matching.records import dataset_rank
from incidents.matching.scoring import points_of

LIKELY = 0.7  # the score from which a link may count as one attack
POSSIBLE = 0.5  # the score from which a link is kept, to review
RIVAL_MARGIN = 1.0  # points: a rival this close makes a link only possible


@dataclass(slots=True)
class Pair:
    """A link as matching handles it: its two keys in order, and what is known."""

    first: str
    second: str
    status: LinkStatus
    score: float | None = None
    evidence: str | None = None

    @property
    def keys(self) -> tuple[str, str]:
        return self.first, self.second

    @classmethod
    def of(
        cls,
        a: str,
        b: str,
        status: LinkStatus,
        score: float | None = None,
        evidence: str | None = None,
    ) -> Pair:
        first, second = sorted((a, b))
        return cls(first, second, status, score, evidence)


class _Grouper:
    """Union-find over record keys, refusing joins that a group cannot hold."""

    def __init__(self, dataset_of: Mapping[str, str], rejected: Iterable[tuple[str, str]]) -> None:
        self.dataset_of = dataset_of
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.datasets: dict[str, Counter[str]] = {}
        self.rejected: defaultdict[str, set[str]] = defaultdict(set)
        for a, b in rejected:
            self.rejected[a].add(b)
            self.rejected[b].add(a)

    def find(self, key: str) -> str:
        parent = self.parent.get(key)
        if parent is None:
            self.parent[key] = key
            self.members[key] = [key]
            self.datasets[key] = Counter([self.dataset_of[key]])
            return key
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: str, b: str, decided: bool = False) -> bool:
        """Put a and b in one group; False when the groups cannot be one."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        duplicates = self.dataset_of[a] == self.dataset_of[b]
        if not (decided or duplicates) and self.datasets[root_a].keys() & self.datasets[root_b]:
            return False
        small, large = sorted((root_a, root_b), key=lambda root: len(self.members[root]))
        large_members = set(self.members[large])
        if any(self.rejected[m] & large_members for m in self.members[small] if m in self.rejected):
            return False
        self.parent[small] = large
        self.members[large] += self.members.pop(small)
        self.datasets[large] += self.datasets.pop(small)
        return True

    def groups(self) -> list[list[str]]:
        return [sorted(members) for members in self.members.values() if len(members) > 1]


def _present(pair: Pair, dataset_of: Mapping[str, str]) -> bool:
    return pair.first in dataset_of and pair.second in dataset_of


def _grouper(pairs: Sequence[Pair], dataset_of: Mapping[str, str]) -> _Grouper:
    """A grouper holding the decisions: confirmed pairs joined, rejected ones apart."""
    rejected = [p.keys for p in pairs if p.status is LinkStatus.REJECTED]
    grouper = _Grouper(dataset_of, rejected)
    for pair in pairs:
        if pair.status is LinkStatus.CONFIRMED and _present(pair, dataset_of):
            grouper.join(pair.first, pair.second, decided=True)
    return grouper


def _by_score(pairs: Iterable[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: (-(p.score or 0.0), p.first, p.second))


def groups(pairs: Sequence[Pair], dataset_of: Mapping[str, str]) -> list[list[str]]:
    """The groups of records of one attack: confirmed and likely links, among
    records in the store (``dataset_of`` names their data sets)."""
    grouper = _grouper(pairs, dataset_of)
    likely = (p for p in pairs if p.status is LinkStatus.LIKELY and _present(p, dataset_of))
    for pair in _by_score(likely):
        grouper.join(pair.first, pair.second)
    return sorted(grouper.groups())


def settle(pairs: Sequence[Pair], dataset_of: Mapping[str, str]) -> list[list[str]]:
    """Set each undecided link of records in the store to likely or possible;
    returns the groups that result (as ``groups`` would find them)."""
    grouper = _grouper(pairs, dataset_of)
    found = [p for p in pairs if not p.status.decided and _present(p, dataset_of)]
    contested = _contested(found, dataset_of)
    for pair in _by_score(found):
        sure = (pair.score or 0.0) >= LIKELY and id(pair) not in contested
        if sure and grouper.join(pair.first, pair.second):
            pair.status = LinkStatus.LIKELY
        else:
            pair.status = LinkStatus.POSSIBLE
    for pair in found:  # two records of one group by other links: one attack
        if grouper.find(pair.first) == grouper.find(pair.second):
            pair.status = LinkStatus.LIKELY
    return sorted(grouper.groups())


def _contested(pairs: Sequence[Pair], dataset_of: Mapping[str, str]) -> set[int]:
    """The pairs (by id) with a rival nearly as good: for one of the two, a
    record of the other's data set that fits it nearly as well, and that it
    fits nearly as well as anything else (a record better matched elsewhere
    is no rival)."""
    duplicates = {frozenset(p.keys) for p in pairs if dataset_of[p.first] == dataset_of[p.second]}
    points = {id(p): points_of(p.score or 0.0) for p in pairs}
    options: defaultdict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for pair in pairs:
        options[(pair.first, dataset_of[pair.second])].append((points[id(pair)], pair.second))
        options[(pair.second, dataset_of[pair.first])].append((points[id(pair)], pair.first))
    best = {key: max(found)[0] for key, found in options.items()}
    contested = set()
    for pair in pairs:
        least = points[id(pair)] - RIVAL_MARGIN
        for own, other in ((pair.first, pair.second), (pair.second, pair.first)):
            own_dataset = dataset_of[own]
            if any(
                rival != other
                and rival_points >= least
                and rival_points >= best[(rival, own_dataset)] - RIVAL_MARGIN
                and frozenset((rival, other)) not in duplicates
                for rival_points, rival in options[(own, dataset_of[other])]
            ):
                contested.add(id(pair))
                break
    return contested


def overlap(
    groups: Sequence[Sequence[str]], dataset_of: Mapping[str, str]
) -> Counter[tuple[str, ...]]:
    """How many attacks each combination of data sets reports: every record in
    the store stands alone unless it is in a group."""
    grouped = {key for group in groups for key in group}
    combinations: Counter[tuple[str, ...]] = Counter(
        (dataset,) for key, dataset in dataset_of.items() if key not in grouped
    )
    for group in groups:
        combinations[tuple(sorted({dataset_of[key] for key in group}, key=dataset_rank))] += 1
    return combinations
