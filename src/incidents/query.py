"""What a question asks (filters, order, grouping) and what totals hold.

Every list, total and export is answered by one engine, the SQLite index
(``index.StoreIndex``).  Plain Python predicates remain only where one
incident at a time is tested against filters: an import's filters, as rows
stream in (``select``); the tests hold the two to the same answers.

Partial dates filter as intervals.  An incident of "September 2022" lies
wholly inside ``--since 2022-09-01`` and matches for certain; against
``--since 2022-09-10`` it only *may* match, so it is kept and marked
uncertain (or dropped with ``strict_dates``).  Casualty sums keep the same
honesty: unknown figures are counted, never added as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from incidents.categories import (
    AttackType,
    Attribution,
    CoordinatePrecision,
    TargetType,
    WeaponType,
)
from incidents.certainty import place_precision, place_rank
from incidents.dates import DateInterval, PartialDate
from incidents.errors import QueryError
from incidents.groups import NO_VALUE as NO_VALUE
from incidents.locations import location_queries, matches
from incidents.periods import period_of as period_of
from incidents.records import ListRow, figure_bounds
from incidents.totals import CountSum as CountSum
from incidents.totals import Excluded as Excluded
from incidents.totals import Group as Group
from incidents.totals import GroupBy as GroupBy
from incidents.totals import GroupOrder as GroupOrder
from incidents.totals import Tally as Tally
from incidents.totals import Totals as Totals
from incidents.vocabulary import fold, normalise, perpetrator_names

if TYPE_CHECKING:
    from incidents.model import Incident, Link
    from incidents.stats import StoreStats


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
    max_killed: int | None = None
    min_wounded: int | None = None
    max_wounded: int | None = None
    attributions: frozenset[Attribution] = frozenset()
    # Known at least this precisely (``certainty``'s one scale).
    place_precision: CoordinatePrecision | None = None
    # A data set's own codes (name, value): values of one name are alternatives.
    codes: tuple[tuple[str, int], ...] = ()
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
    """The incidents that pass every filter, tested one by one, in the order given
    (for incidents not in a store yet: a question to a store goes to its index)."""
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
    for name in ("killed", "wounded"):
        least, most = getattr(filters, f"min_{name}"), getattr(filters, f"max_{name}")
        if least is not None or most is not None:
            tests.append(_toll_test(name, least, most))
    if filters.attributions:
        tests.append(lambda i: i.perpetrator.attribution in filters.attributions)
    if filters.place_precision is not None:
        coarsest = place_rank(filters.place_precision)
        tests.append(lambda i: place_rank(incident_place_precision(i)) <= coarsest)
    if filters.codes:
        tests.append(_codes_test(filters.codes))
    return tests


def _toll_test(name: str, least: int | None, most: int | None) -> Callable[[Incident], bool]:
    """Killed or wounded surely within ``least``..``most``: an unknown toll never is."""

    def test(incident: Incident) -> bool:
        figure = getattr(incident, name)
        if figure is None:
            return False
        low, high = figure_bounds(figure)
        if least is not None and low < least:
            return False
        return most is None or (high is not None and high <= most)

    return test


def incident_place_precision(incident: Incident) -> CoordinatePrecision:
    location = incident.location
    codes = incident.origin.codes if incident.origin else None
    coordinates = location.coordinates
    return place_precision(
        codes.given() if codes else None,
        coordinates.precision.value if coordinates else None,
        location.site,
        location.city,
        location.district,
        location.province,
    )


def wanted_codes(codes: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    """--code values by name: any value of one name, every name."""
    wanted: dict[str, set[int]] = {}
    for name, value in codes:
        wanted.setdefault(name, set()).add(value)
    return wanted


def _codes_test(codes: Iterable[tuple[str, int]]) -> Callable[[Incident], bool]:
    wanted = wanted_codes(codes)

    def test(incident: Incident) -> bool:
        given = incident.origin.codes if incident.origin else None
        values = given.given() if given else {}
        return all(values.get(name) in allowed for name, allowed in wanted.items())

    return test


def _location_test(queries: Sequence[str]) -> Callable[[Incident], bool]:
    wanted = location_queries(queries)
    return lambda incident: any(matches(incident.location, query) for query in wanted)


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


class SortKey(StrEnum):
    """Date: oldest first.  Casualties: highest lower bound first, unknown last.
    ``-`` before a key turns the order round (newest first; fewest first,
    unknown still last)."""

    DATE = "date"
    KILLED = "killed"
    WOUNDED = "wounded"
    NEWEST = "-date"
    FEWEST_KILLED = "-killed"
    FEWEST_WOUNDED = "-wounded"

    def reversed(self) -> SortKey:
        value = self.value
        return SortKey(value[1:] if value.startswith("-") else "-" + value)

    @property
    def words(self) -> str:
        """The order in words: ``by date``, ``newest first``."""
        return _SORT_WORDS[self]


_SORT_WORDS = {
    SortKey.DATE: "oldest first",
    SortKey.NEWEST: "newest first",
    SortKey.KILLED: "most killed first",
    SortKey.FEWEST_KILLED: "fewest killed first",
    SortKey.WOUNDED: "most wounded first",
    SortKey.FEWEST_WOUNDED: "fewest wounded first",
}


# --- ids -----------------------------------------------------------------------


def find_incident(incidents: Sequence[Incident], incident_id: str) -> Incident:
    """The incident with this id, or QueryError naming the closest ids."""
    for incident in incidents:
        if incident.id == incident_id:
            return incident
    raise unknown_id(incident_id, [incident.id for incident in incidents])


def suggestion_prefix(incident_id: str) -> str:
    """Ids suggested for a mistyped one begin as it does, or contain it whole."""
    return incident_id[:3]


def unknown_id(incident_id: str, ids: Sequence[str]) -> QueryError:
    """The error for an id not in the store, naming the closest ones."""
    import difflib

    prefix = suggestion_prefix(incident_id)
    ids = [i for i in ids if i.startswith(prefix) or incident_id in i]
    close = difflib.get_close_matches(incident_id, ids, n=3, cutoff=0.5)
    close += [i for i in ids if incident_id and incident_id in i and i not in close][:3]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return QueryError(f"no incident has the id {incident_id!r}.{hint}")


class AmbiguousId(QueryError):
    """An id typed short that begins several ids."""


SHOWN_CANDIDATES = 10


def resolve_id(source: IncidentSource, typed: str) -> str:
    """The id that ``typed`` names: itself in any case, or the only id that
    begins with it.  AmbiguousId lists the ids it begins; an id that nothing
    begins raises the unknown-id error, with its suggestions."""
    wanted = typed.lower()  # ids are lower case
    found = source.ids_starting(wanted, SHOWN_CANDIDATES + 1) if wanted else []
    # In id order, the id itself comes before every longer one it begins.
    if found and (found[0] == wanted or len(found) == 1):
        return found[0]
    if found:
        listed = ", ".join(found[:SHOWN_CANDIDATES])
        more = " and more" if len(found) > SHOWN_CANDIDATES else ""
        raise AmbiguousId(
            f"{typed!r} is the beginning of several ids: {listed}{more}; "
            "type more of the one you mean."
        )
    return source.incident(typed).id  # raises, naming the closest ids


# --- what every reading command asks -------------------------------------------


class IncidentSource(Protocol):
    """What every reading command asks of the store.  One engine answers:
    ``index.StoreIndex``, over the store's index in the cache, an index built
    in memory (``--no-index``) or a sqlite store; a source that narrows
    another wraps it."""

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

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        """The ids that begin with ``prefix``, in id order, at most ``limit``."""
        ...

    def totals(
        self,
        filters: Filters,
        by: GroupBy | Sequence[GroupBy] | None = None,
        order: GroupOrder | None = None,
        reverse: bool = False,
        limit: int | None = None,
    ) -> Totals: ...

    def matches_any(self, filters: Filters) -> bool: ...

    def tally(
        self, filters: Filters, sort: SortKey | None = None, limit: int | None = None
    ) -> Tally: ...

    def left_out(self, filters: Filters) -> list[Excluded]: ...

    def stats(self, filters: Filters) -> StoreStats: ...

    def place_names(self) -> list[str]: ...

    def perpetrators(self) -> list[str]: ...

    def links(self) -> list[Link]:
        """The store's links between records of one attack (``incidents match``)."""
        ...
