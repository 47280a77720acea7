"""Checks beyond the model's types: what a well-formed store can still get wrong.

The model already refuses days that do not exist, an end date before the
start and a range whose minimum exceeds its maximum.  These checks look at
a store as a whole (duplicate ids) and at facts the types cannot know: an
attack, a claim or a source dated in the future (an end date may be: a
window known to the week can end after today), a claim made before the
attack, coordinates far from the named country, no source, a source older
than the attack.  A date before 1970 is no error: the GTD starts then, but
hand-kept stores of older attacks are legitimate.

Errors make a store invalid.  Warnings are reported and let through: a
point outside its country's rough box may be right, and an incident may be
recorded before its sources are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from incidents.countries import is_country_code, unknown_country
from incidents.country_boxes import near_country
from incidents.dates import PartialDate
from incidents.model import Incident, Store
from incidents.store import Problem, Severity, StoreError, parse_store, read_text
from incidents.vocabulary import place_key


def check_store(store: Store, name: str, today: date | None = None) -> list[Problem]:
    """Every error and warning the checks find in a store that parsed."""
    return check_incidents(list(enumerate(store.incidents)), name, today)


def check_incidents(
    indexed: Sequence[tuple[int, Incident]],
    name: str,
    today: date | None = None,
    warnings: bool = True,
) -> list[Problem]:
    """The checks over incidents that passed the model, each with its store index;
    errors only when ``warnings`` is false."""
    today = today or date.today()
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, incident in indexed:
        found: list[tuple[str, str, Severity]] = []
        if incident.id in first_index:
            duplicate = f"duplicate id: incidents[{first_index[incident.id]}] has it too"
            found.append(("id", duplicate, Severity.ERROR))
        else:
            first_index[incident.id] = index
        found += [(f, m, Severity.ERROR) for f, m in _date_problems(incident, today)]
        if warnings:
            found += [(f, m, Severity.WARNING) for f, m in _warnings(incident)]
        problems += [
            Problem(name, message, index=index, incident_id=incident.id, field=f, severity=s)
            for f, message, s in found
        ]
    return problems


def _date_problems(incident: Incident, today: date) -> Iterable[tuple[str, str]]:
    dated: list[tuple[str, PartialDate | None]] = [
        ("date", incident.date),
        ("end_date", incident.end_date),
        ("claim.date", incident.claim.date if incident.claim else None),
    ]
    dated += [(f"sources[{i}].date", source.date) for i, source in enumerate(incident.sources)]
    for field, value in dated:
        # A month or year still under way is not in the future: only its first
        # day counts.  Nor is a window that only ends after today (an event of
        # yesterday known to the week): an end date is never in the future.
        if field != "end_date" and value is not None and value.first_day > today:
            yield field, f"{value} is in the future (today is {today.isoformat()})"
    claimed_on = incident.claim.date if incident.claim else None
    if claimed_on is not None and claimed_on.last_day < incident.date.first_day:
        yield "claim.date", f"the claim ({claimed_on}) is dated before the attack ({incident.date})"


def surely_no_errors(incident: Incident, today: date) -> bool:
    """Whether ``check_incidents`` surely finds no error in this incident on its
    own, known without asking it (nearly every row of an import): its errors
    for one incident are ``_date_problems``' (a date other than the end date
    after today, and a claim's date before the attack's), and this must
    change with them (a property test holds the two together)."""
    if incident.claim is not None and incident.claim.date is not None:
        return False
    for when in (incident.date, *(source.date for source in incident.sources)):
        # A year before this one is surely past, without making its first day.
        if when is not None and when.year >= today.year and when.first_day > today:
            return False
    return True


def _warnings(incident: Incident) -> Iterable[tuple[str, str]]:
    location = incident.location
    coordinates = location.coordinates
    country = location.country
    if location.country_code is None and (problem := unknown_country(country)):
        yield "location.country", problem
    if location.country_code is not None and not is_country_code(location.country_code):
        yield (
            "location.country_code",
            f"{location.country_code} is not an ISO 3166 alpha-3 country code",
        )
    near = near_country(location.code(), coordinates.lat, coordinates.lon) if coordinates else None
    if coordinates is not None and near is False:
        yield (
            "location.coordinates",
            f"{coordinates.lat}, {coordinates.lon} lies far outside {country}"
            " (latitude and longitude swapped, or a sign lost?)",
        )
    if not incident.sources:
        yield "sources", "no source is cited; add one (publisher, date, title or url)"
    for index, source in enumerate(incident.sources):
        if source.date is not None and source.date.last_day < incident.date.first_day:
            yield (
                f"sources[{index}].date",
                f"the source ({source.date}) is dated before the attack ({incident.date})",
            )


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


# --- validating a file ---------------------------------------------------------


def validate_text(text: str, name: str, today: date | None = None) -> list[Problem]:
    """Every problem in store text: model errors, and the checks on every incident that passed.

    When the store as a whole does not parse, each incident is still tried
    on its own so that one broken incident does not hide a duplicate id or a
    future date elsewhere.
    """
    try:
        store = parse_store(text, name)
    except StoreError as error:
        problems = list(error.problems)
        indexed = _valid_incidents(text) if problems and problems[0].line is None else []
        problems += check_incidents(indexed, name, today)
        return sorted(problems, key=lambda p: -1 if p.index is None else p.index)
    return check_store(store, name, today)


def validate_file(
    path: str, today: date | None = None, read: Callable[[Path], str] = read_text
) -> list[Problem]:
    """Every problem of the store at ``path``, whose text ``read`` gives."""
    try:
        text = read(Path(path))
    except StoreError as error:
        return list(error.problems)
    return validate_text(text, path, today)


def _valid_incidents(text: str) -> list[tuple[int, Incident]]:
    from pydantic import ValidationError

    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return []
    raw = document.get("incidents") if isinstance(document, dict) else None
    if not isinstance(raw, list):
        return []
    valid = []
    for index, item in enumerate(raw):
        try:
            valid.append((index, Incident.model_validate_json(json.dumps(item))))
        except (ValidationError, RecursionError, ValueError):
            continue
    return valid


# --- twins ---------------------------------------------------------------------


def likely_twin(new: Incident, stored: Iterable[Incident]) -> Incident | None:
    """A stored incident that is probably the same attack: the dates overlap, the
    places overlap and the target type is the same."""
    for other in stored:
        if (
            other.id != new.id
            and other.target_type is new.target_type
            and other.interval.overlaps(new.interval)
            and _places_overlap(new, other)
        ):
            return other
    return None


def _places_overlap(a: Incident, b: Incident) -> bool:
    """Same country, and the places below it share a name, or one names none."""
    if place_key(a.location.country) != place_key(b.location.country):
        return False
    below_a = _local_places(a)
    below_b = _local_places(b)
    return not below_a or not below_b or not below_a.isdisjoint(below_b)


def _local_places(incident: Incident) -> set[str]:
    location = incident.location
    names = [location.province, location.district, location.city, *location.aliases]
    return {place_key(name) for name in names if name}
