"""Counting each attack once: the store's records with each group of linked
records made one incident.

The incident of a group is described by its first record, a hand-kept one
first, then GTD's, ACLED's, UCDP's (the order of ``DATASET_ORDER``), except:

- its dates are what all its records agree on: the days within every
  record's dates, or, when they do not meet, the span of them all;
- its place is its most precise record's, with the other records' names
  for it kept as other spellings;
- its perpetrator is the most firmly attributed one (claimed, then
  attributed, then suspected), its categories the first known;
- its tolls combine the sources honestly: at least the largest lower bound
  any source gives, at most the largest upper bound (none when any is
  open), the best estimate of the sources that give one; the notes say each
  source's figure, so that the spread between them shows;
- it cites every record's sources.

The same function makes the view for the index and for memory, so both
answer ``--distinct`` alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from incidents.categories import LinkStatus
from incidents.dates import PartialDate
from incidents.matching.groups import Pair, groups
from incidents.matching.records import (
    dataset_name,
    dataset_of,
    dataset_rank,
    record_key,
    toll,
    toll_text,
)
from incidents.vocabulary import place_key

if TYPE_CHECKING:
    from incidents.model import Link

_ATTRIBUTION_ORDER = ("claimed", "attributed", "suspected", "unknown")
_PRECISION_ORDER = ("exact", "site", "city", "district", "province", "country")


def pairs_of(links: Sequence[Link]) -> list[Pair]:
    return [
        Pair.of(link.records[0], link.records[1], link.status, link.score, link.evidence)
        for link in links
    ]


@dataclass
class DistinctView:
    """The store's incidents counted once, in store order (a group where its
    first record stands), and the data sets that report each."""

    texts: list[str] = field(default_factory=list)
    reported_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    records: int = 0
    groups: int = 0
    grouped: int = 0  # records in groups
    pending: int = 0  # possible links, awaiting review

    @property
    def attacks(self) -> int:
        return len(self.texts)


def distinct_view(
    texts: Sequence[str], datas: Sequence[Mapping[str, Any]], links: Sequence[Link]
) -> DistinctView:
    """The view of a store given as its incidents' stored texts and their data."""
    from incidents.store import stored_json_of

    keys = [record_key(data) for data in datas]
    datasets = {key: dataset_of(data) for key, data in zip(keys, datas, strict=True)}
    pairs = pairs_of(links)
    found = groups(pairs, datasets)
    position_of = {key: position for position, key in enumerate(keys)}
    leader: dict[int, list[int]] = {}  # first record's position -> the group's positions
    for group in found:
        members = sorted(
            (position_of[key] for key in group),
            key=lambda p: (dataset_rank(datasets[keys[p]]), p),
        )
        leader[members[0]] = members
    grouped = {position for members in leader.values() for position in members}
    view = DistinctView(records=len(texts), groups=len(found), grouped=len(grouped))
    view.pending = sum(
        p.status is LinkStatus.POSSIBLE and p.first in datasets and p.second in datasets
        for p in pairs
    )
    for position, text in enumerate(texts):
        data = datas[position]
        if position in leader:
            chosen = [datas[p] for p in leader[position]]
            view.texts.append(stored_json_of(combine(chosen)))
            reported = {dataset_of(member) for member in chosen}
            view.reported_by[str(data["id"])] = tuple(sorted(reported, key=dataset_rank))
        elif position not in grouped:
            view.texts.append(text)
            view.reported_by[str(data["id"])] = (dataset_of(data),)
    return view


def combine(members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One incident's JSON data from a group's records, first record first;
    keys in the model's order, defaults left out, as a store holds it."""
    first = members[0]
    start, end = agreed_dates(members)
    located = min(members, key=_location_rank)
    named = min(members, key=lambda m: _ATTRIBUTION_ORDER.index(m["perpetrator"]["attribution"]))
    attack = next((m for m in members if m["attack_type"] != "Unknown"), first)
    target = next((m for m in members if m["target_type"] != "Unknown"), first)
    data: dict[str, Any] = {"id": first["id"], "date": start}
    if end is not None:
        data["end_date"] = end
    data["location"] = _location(located, members)
    data["perpetrator"] = dict(named["perpetrator"])
    if named.get("claim"):
        data["claim"] = named["claim"]
    data["attack_type"] = attack["attack_type"]
    data["target_type"] = target["target_type"]
    data["target"] = first["target"]
    if attack.get("weapon_types"):
        data["weapon_types"] = attack["weapon_types"]
    data["killed"] = combined_figure([m["killed"] for m in members])
    data["wounded"] = combined_figure([m["wounded"] for m in members])
    data["summary"] = first["summary"]
    damage = next((m["property_damage"] for m in members if m.get("property_damage")), None)
    if damage:
        data["property_damage"] = damage
    data["sources"] = _sources(members)
    data["notes"] = " ".join(filter(None, (_group_notes(members), first.get("notes"))))
    if first.get("origin"):
        data["origin"] = first["origin"]
    return data


def agreed_dates(members: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """The days all the records allow, as a date and an end date (ISO text)."""
    intervals = []
    for member in members:
        first = PartialDate.parse(member["date"]).first_day
        last = PartialDate.parse(member.get("end_date") or member["date"]).last_day
        intervals.append((first, last))
    start, end = max(i[0] for i in intervals), min(i[1] for i in intervals)
    if start > end:  # the records disagree: the attack is somewhere in the span of them all
        start, end = min(i[0] for i in intervals), max(i[1] for i in intervals)
    return _date_texts(start, end)


def _date_texts(start: date, end: date) -> tuple[str, str | None]:
    if start == end:
        return start.isoformat(), None
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}", None
    next_day = date.fromordinal(end.toordinal() + 1)
    if start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}", None
    return start.isoformat(), end.isoformat()


def combined_figure(figures: Sequence[Any]) -> Any:
    """A toll from the sources' figures as stored (int, {"min", "max",
    "best"}, null): unknown only when no source gives one."""
    known = [value for value in (toll(f) for f in figures) if value is not None]
    if not known:
        return None
    low = max(value[0] for value in known)
    highs = [value[1] for value in known]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    bests = sorted(value[2] for value in known if value[2] is not None)
    best = bests[(len(bests) - 1) // 2] if bests else None
    if best is not None:
        best = max(best, low) if high is None else min(max(best, low), high)
    if high == low and (best is None or best == low):
        return low
    figure: dict[str, int] = {"min": low}
    if high is not None:
        figure["max"] = high
    if best is not None:
        figure["best"] = best
    return figure


def _location_rank(member: Mapping[str, Any]) -> int:
    coordinates = member["location"].get("coordinates")
    if coordinates is None:
        return len(_PRECISION_ORDER)
    return _PRECISION_ORDER.index(coordinates["precision"])


def _location(located: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The most precise record's location; the others' names for places it
    does not name kept as other spellings, so that --location finds any."""
    location = dict(located["location"])
    known = {place_key(name) for name in _names(location)}
    aliases = list(location.get("aliases", ()))
    for member in members:
        for name in _names(member["location"]):
            if place_key(name) not in known:
                known.add(place_key(name))
                aliases.append(name)
    if aliases:
        # The model's order: aliases come after site, before coordinates.
        location.pop("coordinates", None)
        location["aliases"] = aliases
        if located["location"].get("coordinates"):
            location["coordinates"] = located["location"]["coordinates"]
    return location


def _names(location: Mapping[str, Any]) -> list[str]:
    levels = ("province", "district", "city")
    return [location[level] for level in levels if location.get(level)] + list(
        location.get("aliases", ())
    )


def _sources(members: Sequence[Mapping[str, Any]]) -> list[Any]:
    sources: list[Any] = []
    for member in members:
        for source in member["sources"]:
            if source not in sources:
                sources.append(source)
    return sources


def _group_notes(members: Sequence[Mapping[str, Any]]) -> str:
    named = [f"{dataset_name(dataset_of(m))} ({m['id']})" for m in members]
    listed = ", ".join(named[:-1]) + f" and {named[-1]}"
    tolls = [
        f"{dataset_name(dataset_of(m))} {toll_text(toll(m['killed']) or (0, 0, None))}"
        for m in members
        if m["killed"] is not None
    ]
    notes = f"One attack, reported by {listed}: counted once."
    return notes + (f" Killed: {'; '.join(tolls)}." if tolls else "")
