"""The store's own checks, applied to each imported incident as it is made.

An import must never write a store that the reading commands then refuse.
So every error that ``checks`` would find in the store is looked for in each
incident before it is kept: a bad value in a secondary field (an end date, a
claim's date, a source's date) is left out with a note saying what the row
gave, and only an incident whose own date is impossible is refused, so that
its row is skipped and reported.
"""

from __future__ import annotations

import re
from datetime import date

from incidents.checks import check_incidents, surely_no_errors
from incidents.importers.common import sentences
from incidents.model import Incident

_SOURCE_DATE = re.compile(r"^sources\[(\d+)\]\.date$")
# The checks name today's date; a note in the store must not change from one
# day to the next, or importing the same file again would update every row.
_TODAY = re.compile(r"\s*\(today is [^)]*\)")


class ImpossibleIncident(ValueError):
    """An incident whose own date fails the store's checks: the row is skipped."""


def checked(incident: Incident, today: date | None = None) -> Incident:
    """The incident with every secondary date the checks refuse left out and
    noted; ``ImpossibleIncident`` when its own date is refused."""
    today = today or date.today()
    if surely_no_errors(incident, today):
        return incident
    problems = check_incidents([(0, incident)], "", today, warnings=False)
    if not problems:
        return incident
    update: dict[str, object] = {}
    notes: list[str] = []
    sources = list(incident.sources)
    for problem in problems:
        field, reason = problem.field or "", _TODAY.sub("", problem.message)
        if field == "end_date" and incident.end_date is not None:
            update["end_date"] = None
            notes.append(f"The end date is left out: {reason}")
        elif field == "claim.date" and incident.claim and incident.claim.date:
            update["claim"] = incident.claim.model_copy(update={"date": None})
            notes.append(f"The claim's date is left out: {reason}")
        elif (found := _SOURCE_DATE.match(field)) and sources[int(found[1])].date:
            position = int(found[1])
            source = sources[position]
            sources[position] = source.model_copy(update={"date": None})
            notes.append(f"The date of the source {source.publisher} is left out: {reason}")
        else:
            raise ImpossibleIncident(f"cannot keep it: {field or 'incident'}: {problem.message}")
    if sources != incident.sources:
        update["sources"] = sources
    update["notes"] = sentences(incident.notes, *notes)
    return incident.model_copy(update=update)
