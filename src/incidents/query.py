"""Filters, sorting and totals over incidents, as plain functions.

Partial dates filter as intervals.  An incident of "September 2022" lies
wholly inside ``--since 2022-09-01`` and matches for certain; against
``--since 2022-09-10`` it only *may* match, so it is kept and marked
uncertain (or dropped with ``strict_dates``).  Casualty sums keep the same
honesty: unknown figures are counted, never added as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from incidents.categories import AttackType, Attribution, TargetType, WeaponType
from incidents.dates import DateInterval, PartialDate
from incidents.errors import QueryError
from incidents.records import (
    Figure,
    ListRow,
    csv_line,
    figure_bounds,
    flat_record,
    list_row,
)
from incidents.vocabulary import fold, normalise, perpetrator_names, place_key, place_keys

if TYPE_CHECKING:
    from incidents.model import Incident, Link


@dataclass(frozen=True)
class Filters:
    """What to keep.  Values within one field are alternatives ("any of");
    different fields must all hold."""

    since: PartialDate | None = None
    until: PartialDate | None = None
    on: tuple[PartialDate, ...] = ()
    target_types: frozenset[TargetType] = frozenset()
    attack_types: frozenset[AttackType] = frozenset()
    weapon_types: frozenset[WeaponType] = frozenset()
    locations: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    min_killed: int | None = None
    strict_dates: bool = False

    @property
    def window(self) -> DateInterval:
        """The days between --since and --until (open where not given)."""
        return DateInterval(
            self.since.first_day if self.since else None,
            self.until.last_day if self.until else None,
        )


@dataclass(frozen=True)
class Match:
    incident: Incident
    date_uncertain: bool = False  # the incident may fall outside the dates asked for


def select(incidents: Iterable[Incident], filters: Filters) -> list[Match]:
    """The incidents that pass every filter, in store order."""
    tests = _tests(filters)
    window = filters.window
    on_intervals = [d.interval for d in filters.on]
    kept = []
    for incident in incidents:
        if not all(test(incident) for test in tests):
            continue
        fit = _date_fit(incident.interval, window, on_intervals)
        if fit is None or (fit is False and filters.strict_dates):
            continue
        kept.append(Match(incident, date_uncertain=not fit))
    return kept


def _date_fit(
    interval: DateInterval, window: DateInterval, on_intervals: Sequence[DateInterval]
) -> bool | None:
    """True: surely within the dates asked; False: may be; None: surely not."""
    if not window.overlaps(interval):
        return None
    certain = window.contains(interval)
    if on_intervals:
        overlapping = [i for i in on_intervals if i.overlaps(interval)]
        if not overlapping:
            return None
        certain = certain and any(i.contains(interval) for i in overlapping)
    return certain


def _tests(filters: Filters) -> list[Callable[[Incident], bool]]:
    tests: list[Callable[[Incident], bool]] = []
    if filters.target_types:
        tests.append(lambda i: i.target_type in filters.target_types)
    if filters.attack_types:
        tests.append(lambda i: i.attack_type in filters.attack_types)
    if filters.weapon_types:
        tests.append(lambda i: not filters.weapon_types.isdisjoint(i.weapon_types))
    if filters.locations:
        tests.append(_location_test(filters.locations))
    if filters.perpetrators:
        tests.append(_perpetrator_test(filters.perpetrators))
    if filters.texts:
        tests.append(_text_test(filters.texts))
    if filters.min_killed is not None:
        least = filters.min_killed
        tests.append(lambda i: figure_bounds(i.killed)[0] >= least and i.killed is not None)
    return tests


def _location_test(queries: Sequence[str]) -> Callable[[Incident], bool]:
    keys = place_keys(queries)
    folded = [fold(q) for q in queries]

    def test(incident: Incident) -> bool:
        location = incident.location
        if not keys.isdisjoint(place_keys(location.places())):
            return True
        site = fold(location.site or "")
        return bool(site) and any(q and _has_words(site, q) for q in folded)

    return test


def _perpetrator_test(queries: Sequence[str]) -> Callable[[Incident], bool]:
    wanted = [normalise(q) for q in queries]
    wants_unknown = any(w == "unknown" for w in wanted)

    def test(incident: Incident) -> bool:
        if wants_unknown and incident.perpetrator.attribution is Attribution.UNKNOWN:
            return True
        names = [incident.perpetrator.name, incident.claim.by if incident.claim else None]
        known = [alias for name in names if name for alias in perpetrator_names(name)]
        return any(_has_words(alias, w) for alias in known for w in wanted if w)

    return test


def text_query_words(queries: Sequence[str]) -> list[list[str]] | None:
    """Each --text value as its folded words; None when one has no words
    (it then matches everything)."""
    wanted = [fold(q).split() for q in queries]
    return None if any(not words for words in wanted) else wanted


# A word of four letters or more also matches the longer words it begins
# ("hussainiya" finds "hussainiyas"); a shorter one only itself.  This is
# the rule SQLite's full-text index applies to "word" and "word"*.
PREFIX_MATCH_LENGTH = 4


def _text_test(queries: Sequence[str]) -> Callable[[Incident], bool]:
    wanted = text_query_words(queries)

    def test(incident: Incident) -> bool:
        if wanted is None:
            return True
        site = incident.location.site
        haystack = " ".join(filter(None, (incident.summary, incident.target, site)))
        tokens = set(fold(haystack).split())
        return any(all(_word_in(w, tokens) for w in words) for words in wanted)

    return test


def _word_in(word: str, tokens: set[str]) -> bool:
    if word in tokens:
        return True
    return len(word) >= PREFIX_MATCH_LENGTH and any(t.startswith(word) for t in tokens)


def _has_words(text: str, phrase: str) -> bool:
    """True when ``phrase`` stands in ``text`` as whole words."""
    return f" {phrase} " in f" {text} "


# --- sorting -------------------------------------------------------------------


class SortKey(StrEnum):
    DATE = "date"
    KILLED = "killed"
    WOUNDED = "wounded"


def sort_matches(matches: Sequence[Match], key: SortKey) -> list[Match]:
    """Date: oldest first.  Casualties: highest lower bound first, unknown last."""
    if key is SortKey.DATE:
        return sorted(matches, key=lambda m: (m.incident.date.first_day, m.incident.id))

    def casualty_order(match: Match) -> tuple[bool, int, int]:
        count = match.incident.killed if key is SortKey.KILLED else match.incident.wounded
        low, high = figure_bounds(count)
        return (count is None, -low, -(high if high is not None else low))

    return sorted(matches, key=casualty_order)


def find_incident(incidents: Sequence[Incident], incident_id: str) -> Incident:
    """The incident with this id, or QueryError naming the closest ids."""
    for incident in incidents:
        if incident.id == incident_id:
            return incident
    raise unknown_id(incident_id, [incident.id for incident in incidents])


def unknown_id(incident_id: str, ids: Sequence[str]) -> QueryError:
    """The error for an id not in the store, naming the closest ones."""
    import difflib

    close = difflib.get_close_matches(incident_id, ids, n=3, cutoff=0.5)
    close += [i for i in ids if incident_id and incident_id in i and i not in close][:3]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return QueryError(f"no incident has the id {incident_id!r}.{hint}")


# --- totals --------------------------------------------------------------------


@dataclass
class CountSum:
    """A sum of counts that may be bounds or unknown.

    ``low`` adds every lower bound; ``high`` adds the upper bounds and is None
    once any count is unbounded or unknown; ``unknown`` counts incidents with
    no figure at all.
    """

    low: int = 0
    high: int | None = 0
    unknown: int = 0
    # The sum of best estimates: a count's own best estimate where it has one,
    # otherwise its exact value or lower bound.  Worth showing only when at
    # least one count had a best estimate (``estimated``).
    estimate: int = 0
    estimated: int = 0

    def add(self, count: Figure) -> None:
        if count is None:
            self.unknown += 1
            self.high = None
            return
        low, high = figure_bounds(count)
        self.low += low
        self.high = None if self.high is None or high is None else self.high + high
        best = None if isinstance(count, int) else count.best
        self.estimate += low if best is None else best
        self.estimated += best is not None

    @property
    def best(self) -> int | None:
        """The best-estimate sum, or None when no count gave a best estimate."""
        return self.estimate if self.estimated else None

    @property
    def exact(self) -> bool:
        return self.high == self.low and self.unknown == 0


class GroupBy(StrEnum):
    TARGET_TYPE = "target-type"
    ATTACK_TYPE = "attack-type"
    PERPETRATOR = "perpetrator"
    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    YEAR = "year"
    MONTH = "month"


@dataclass
class Group:
    key: str
    incidents: int = 0
    killed: CountSum = field(default_factory=CountSum)
    wounded: CountSum = field(default_factory=CountSum)

    def add(self, incident: Incident) -> None:
        self.incidents += 1
        self.killed.add(incident.killed)
        self.wounded.add(incident.wounded)


@dataclass
class Totals:
    by: GroupBy | None
    groups: list[Group]
    overall: Group


NO_VALUE = "(none)"


def period_key(incident: Incident, precision_of: int) -> str:
    """The year (4) or month (7) an incident falls in, as ISO text.

    An incident known only to a coarser precision keys on what is known: a
    year-only incident grouped by month stands as its year, apart from the
    months, rather than being spread or dropped.
    """
    end = str(incident.end_date) if incident.end_date else None
    return period_of(str(incident.date), end, precision_of)


def period_of(start: str, end: str | None, precision_of: int) -> str:
    """``period_key`` from the dates' ISO text."""
    end = end or start
    key = start[:precision_of]
    if end[:precision_of] != key:
        key = start[:4] if end[:4] == start[:4] else f"{start[:4]}/{end[:4]}"
    return key


_KEYS: dict[GroupBy, Callable[[Incident], str]] = {
    GroupBy.TARGET_TYPE: lambda i: i.target_type.value,
    GroupBy.ATTACK_TYPE: lambda i: i.attack_type.value,
    GroupBy.PERPETRATOR: lambda i: i.perpetrator.name or "unknown",
    GroupBy.COUNTRY: lambda i: i.location.country,
    GroupBy.PROVINCE: lambda i: i.location.province or NO_VALUE,
    GroupBy.CITY: lambda i: i.location.city or NO_VALUE,
    GroupBy.YEAR: lambda i: period_key(i, 4),
    GroupBy.MONTH: lambda i: period_key(i, 7),
}


def group_key(incident: Incident, by: GroupBy) -> str:
    return _KEYS[by](incident)


def total(incidents: Iterable[Incident], by: GroupBy | None = None) -> Totals:
    """Counts and casualty sums over the incidents, overall and per group.

    Places group by their canonical spelling, so "Mazar-e Sharif" and
    "Mazar-i-Sharif" are one row, named as first seen.
    """
    overall = Group("total")
    groups: dict[str, Group] = {}
    for incident in incidents:
        overall.add(incident)
        if by is None:
            continue
        key = group_key(incident, by)
        identity = place_key(key) if by in _PLACE_GROUPS and key != NO_VALUE else key
        groups.setdefault(identity, Group(key)).add(incident)
    if by in (GroupBy.YEAR, GroupBy.MONTH):
        ordered = sorted(groups.values(), key=lambda g: g.key)
    else:
        ordered = sorted(groups.values(), key=lambda g: (-g.incidents, g.key))
    return Totals(by, ordered, overall)


_PLACE_GROUPS = {GroupBy.COUNTRY, GroupBy.PROVINCE, GroupBy.CITY}


# --- the two ways to answer: in memory, or from the index ------------------------


class IncidentSource(Protocol):
    """What every reading command asks of the store, answered the same way by
    the in-memory path (``InMemory``) and the SQLite index (``index.StoreIndex``)."""

    def count(self) -> int: ...

    def list_rows(
        self, filters: Filters, sort: SortKey | None, limit: int | None
    ) -> list[ListRow]: ...

    def csv_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]: ...

    def stored_texts(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]: ...

    def json_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]: ...

    def incidents(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> list[Incident]: ...

    def incident(self, incident_id: str) -> Incident: ...

    def totals(self, filters: Filters, by: GroupBy | None) -> Totals: ...

    def links(self) -> list[Link]:
        """The store's links between records of one attack (``incidents match``)."""
        ...


class InMemory:
    """Answers from incidents loaded into memory: the reference the index is held to."""

    def __init__(self, incidents: Sequence[Incident], links: Sequence[Link] = ()) -> None:
        self._incidents = incidents
        self._links = list(links)

    def count(self) -> int:
        return len(self._incidents)

    def _matches(self, filters: Filters, sort: SortKey | None, limit: int | None) -> list[Match]:
        matches = select(self._incidents, filters)
        if sort is not None:
            matches = sort_matches(matches, sort)
        return matches[:limit]

    def list_rows(self, filters: Filters, sort: SortKey | None, limit: int | None) -> list[ListRow]:
        return [list_row(m.incident, m.date_uncertain) for m in self._matches(filters, sort, limit)]

    def csv_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        for match in self._matches(filters, sort, limit):
            yield csv_line(flat_record(match.incident))

    def stored_texts(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        from incidents.store import stored_json

        for match in self._matches(filters, sort, limit):
            yield stored_json(match.incident)

    def json_lines(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Iterator[str]:
        from incidents.store import incident_json

        for match in self._matches(filters, sort, limit):
            yield incident_json(match.incident)

    def incidents(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> list[Incident]:
        return [m.incident for m in self._matches(filters, sort, limit)]

    def incident(self, incident_id: str) -> Incident:
        return find_incident(self._incidents, incident_id)

    def totals(self, filters: Filters, by: GroupBy | None) -> Totals:
        return total((m.incident for m in select(self._incidents, filters)), by)

    def links(self) -> list[Link]:
        return list(self._links)
