"""A store's records and links, as ``incidents match`` reads, changes and
writes them: a run, people's decisions, the groups and their overlap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.categories import LinkStatus
from incidents.matching.distinct import pairs_of
from incidents.matching.engine import Outcome, read_records, run, unchanged
from incidents.matching.groups import Pair, groups, overlap
from incidents.matching.persistence import (
    Memory,
    link_text,
    links_digest,
    recall,
    remember,
    save_decisions,
    save_pairs,
    store_token,
)
from incidents.matching.records import (
    MatchRecord,
    dataset_of,
    fingerprint,
    match_record,
    record_key,
)
from incidents.matching.scoring import explain
from incidents.query import Filters

if TYPE_CHECKING:
    from incidents.query import IncidentSource


@dataclass
class Session:
    path: Path
    texts: list[str]
    datas: list[dict[str, Any]]
    pairs: list[Pair]
    token: str

    @classmethod
    def open(cls, source: IncidentSource, path: Path) -> Session:
        """Read every record and link of the store that ``source`` answers for."""
        from pydantic_core import from_json

        texts = list(source.stored_texts(Filters()))
        datas = [from_json(text) for text in texts]
        return cls(path, texts, datas, pairs_of(source.links()), _token(source, path))

    @cached_property
    def keys(self) -> list[str]:
        return [record_key(data) for data in self.datas]

    @cached_property
    def records(self) -> list[MatchRecord]:
        """What matching reads of each record: made only when a run needs it."""
        return read_records(self.datas)

    @property
    def dataset_of(self) -> dict[str, str]:
        return {key: dataset_of(d) for key, d in zip(self.keys, self.datas, strict=True)}

    @cached_property
    def fingerprints(self) -> dict[str, bytes]:
        return {key: fingerprint(t) for key, t in zip(self.keys, self.texts, strict=True)}

    def run(self, everything: bool = False) -> Outcome:
        """Match what changed since the last run (``everything``: all records)."""
        memory = None if everything else recall(self.path)
        changed = None
        if memory is not None and memory.links == links_digest(map(link_text, self.pairs)):
            seen, now = memory.fingerprints, self.fingerprints
            changed = [seen.get(key) != now[key] for key in self.keys]
            if not any(changed) and seen.keys() == now.keys():
                return unchanged(self.pairs, self.dataset_of)
        return run(self.records, self.pairs, changed)

    def save_run(self, outcome: Outcome) -> None:
        if outcome.settled:
            return  # nothing changed: nothing to write
        digest = save_pairs(self.path, outcome.pairs, self.token)
        remember(self.path, Memory(self.fingerprints, digest))
        self.pairs = outcome.pairs

    def record(self, name: str) -> MatchRecord:
        """A record by its incident id or its key (``acled:AFG12001``)."""
        from incidents.query import unknown_id

        for position, (key, data) in enumerate(zip(self.keys, self.datas, strict=True)):
            if name in (data["id"], key):
                return match_record(position, data)
        raise unknown_id(name, [str(data["id"]) for data in self.datas])

    def decision(self, first: str, second: str, status: LinkStatus) -> Pair:
        """A person's decision on two records named by id or key."""
        from incidents.errors import QueryError

        a, b = self.record(first), self.record(second)
        if a.key == b.key:
            raise QueryError(f"{first!r} and {second!r} are one record: link two")
        explained = explain(a, b)
        if explained is None:
            return Pair.of(a.key, b.key, status)
        return Pair.of(a.key, b.key, status, round(explained[0], 3), explained[1])

    def save_decisions(self, decisions: Sequence[Pair]) -> None:
        """Record the decisions; what the last run saw still holds for the next."""
        before = recall(self.path)
        was = links_digest(map(link_text, self.pairs))
        self.pairs = save_decisions(self.path, decisions, self.dataset_of)
        if before is not None and before.links == was:
            remember(
                self.path, Memory(before.fingerprints, links_digest(map(link_text, self.pairs)))
            )

    def to_review(self) -> list[Pair]:
        """Links no one decided on, between records in the store: the possible
        ones first (best first), then the likely ones (weakest first)."""
        present = self.dataset_of
        open_ = [
            p
            for p in self.pairs
            if not p.status.decided and p.first in present and p.second in present
        ]
        possible = [p for p in open_ if p.status is LinkStatus.POSSIBLE]
        likely = [p for p in open_ if p.status is LinkStatus.LIKELY]
        return sorted(possible, key=lambda p: -(p.score or 0)) + sorted(
            likely, key=lambda p: p.score or 0
        )

    def groups(self) -> list[list[str]]:
        return groups(self.pairs, self.dataset_of)

    def overlap(self) -> Counter[tuple[str, ...]]:
        return overlap(self.groups(), self.dataset_of)

    def data_of(self, key: str) -> dict[str, Any]:
        return self.datas[self.keys.index(key)]


def _token(source: IncidentSource, path: Path) -> str:
    from incidents.index import StoreIndex
    from incidents.index.schema import read_meta

    if isinstance(source, StoreIndex):
        meta = read_meta(source.connection)
        if meta.get("kind") == "index" and meta.get("sha256"):
            return meta["sha256"]
    return store_token(path)
