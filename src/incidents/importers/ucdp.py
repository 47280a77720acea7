"""UCDP Georeferenced Event Dataset (GED): one CSV row to one incident.

Facts from the GED codebook used here: ``date_start``..``date_end`` is the
window the event happened in, and ``date_prec`` (1 exact .. 5 a year or more)
says how it was known; ``type_of_violence`` 1 state-based, 2 non-state,
3 one-sided (side A attacks civilians, side B); ``low``/``best``/``high`` are
the death estimates; ``where_prec`` 1 exact place .. 7 international waters;
``adm_1``/``adm_2`` carry a " province"/" district" suffix.  UCDP records no
wounded and no means of attack.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from incidents.countries import country_code
from incidents.dates import DateError, PartialDate
from incidents.importers.common import (
    RowError,
    coordinates,
    count,
    dataset_codes,
    dataset_source,
    day,
    incident_id,
    integer,
    labelled,
    made,
    perpetrator_of,
    required_text,
    sentences,
    text,
)
from incidents.importers.layouts import iso
from incidents.importers.tabular import Columns, Row
from incidents.model import (
    AttackType,
    Attribution,
    Casualties,
    CoordinatePrecision,
    Count,
    Incident,
    Location,
    Origin,
    Source,
    TargetType,
    WeaponType,
)

DATASET = "ucdp"
TITLE = "UCDP GED"
PUBLISHER = "UCDP Georeferenced Event Dataset"

COLUMNS = Columns(
    dataset=TITLE,
    required=(
        "id",
        "type_of_violence",
        "side_a",
        "side_b",
        "country",
        "date_prec",
        "date_start",
        "date_end",
        "low",
        "best",
        "high",
    ),
)
COUNTRY_COLUMN = "country"
ID_COLUMN = "id"

_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

_DATE_PRECISION = {
    1: None,
    2: "UCDP knows the date to within 2 to 6 days",
    3: "UCDP knows only the week",
    4: "UCDP knows the date to within 8 to 30 days, or only the month",
    5: "UCDP knows the date only to within more than a month, or the year",
}

_WHERE_PRECISION = {
    1: CoordinatePrecision.EXACT,
    2: CoordinatePrecision.CITY,  # within 25 km of a known place
    3: CoordinatePrecision.DISTRICT,
    4: CoordinatePrecision.PROVINCE,
    5: CoordinatePrecision.PROVINCE,  # along a road or river, or between regions
    6: CoordinatePrecision.COUNTRY,
    7: CoordinatePrecision.COUNTRY,  # international waters or airspace
}


def origin_id(row: Row) -> str:
    return required_text(row, ID_COLUMN)


def years(row: Row) -> tuple[int, int] | None:
    """The years of date_start and date_end."""
    first, last = row["date_start"].strip()[:4], row["date_end"].strip()[:4]
    if not (first.isdigit() and last.isdigit() and len(first) == len(last) == 4):
        return None
    return int(first), max(int(first), int(last))


def to_incident(row: Row) -> Incident:
    """The incident a UCDP GED row describes; RowError names the cell that is wrong."""
    original = origin_id(row)
    violence = integer(row, "type_of_violence")
    if violence not in _VIOLENCE:
        raise RowError("type_of_violence", row["type_of_violence"].strip(), "expected 1, 2 or 3")
    kind = _VIOLENCE[violence]
    start, end, date_note = _dates(row)
    killed, deaths_note = _deaths(row)
    side_a = required_text(row, "side_a")
    side_b = required_text(row, "side_b")
    where = text(row, "where_description")
    location = made(
        Location,
        country=required_text(row, COUNTRY_COLUMN),
        country_code=country_code(row[COUNTRY_COLUMN]),
        province=_without_suffix(text(row, "adm_1"), " province"),
        district=_without_suffix(text(row, "adm_2"), " district"),
        site=where,
        coordinates=coordinates(row, "latitude", "longitude", _where_precision(row)),
    )
    if violence == 3:
        summary = f"One-sided violence by {side_a} against {side_b}"
    else:
        summary = f"Fighting between {side_a} and {side_b} ({kind})"
    place = where or location.label()
    summary += f" at {place}, {location.country} (UCDP GED event {original})."
    return made(
        Incident,
        id=incident_id(DATASET, original),
        date=start,
        end_date=end,
        location=location,
        perpetrator=perpetrator_of(side_a, Attribution.ATTRIBUTED),
        attack_type=AttackType.UNKNOWN,
        target_type=TargetType.PRIVATE if violence == 3 else TargetType.NON_STATE,
        target=side_b,
        weapon_types=[WeaponType.UNKNOWN],
        killed=killed,
        wounded=None,
        summary=summary,
        sources=[dataset_source(PUBLISHER, f"UCDP GED event {original}"), *_sources(row)],
        notes=sentences(
            date_note,
            "UCDP does not say which side attacked" if violence != 3 else None,
            labelled("Conflict", text(row, "conflict_name")),
            labelled("Dyad", text(row, "dyad_name")),
            labelled("Coordinates stand for", text(row, "where_coordinates")),
            _deaths_by_side(row),
            deaths_note,
            "Lower clarity: the row may sum up several events over a period"
            if integer(row, "event_clarity") == 2
            else None,
        ),
        origin=made(
            Origin, dataset=DATASET, id=original, event_type=kind, codes=dataset_codes(row, DATASET)
        ),
    )


_DATE_EXPECTED = "as UCDP writes them (2009-02-20 00:00:00.000)"


def _dates(row: Row) -> tuple[PartialDate, PartialDate | None, str | None]:
    """The event's window, and notes on its precision and on an end that
    cannot be one (unreadable, or before the start): the end is then unknown."""
    first = day(row, "date_start", (iso,), _DATE_EXPECTED)
    precision = integer(row, "date_prec")
    if precision not in _DATE_PRECISION:
        raise RowError("date_prec", row["date_prec"].strip(), "expected 1 to 5")
    note = _DATE_PRECISION[precision]
    given = row["date_end"].strip()
    if not given:
        return PartialDate.from_date(first), None, sentences(note, "UCDP gives no date_end")
    try:
        last = day(row, "date_end", (iso,), _DATE_EXPECTED)
    except RowError as error:
        return (
            PartialDate.from_date(first),
            None,
            sentences(note, f"UCDP's date_end {given!r} is left out: {error.reason}"),
        )
    if last < first:
        return (
            PartialDate.from_date(first),
            None,
            sentences(note, f"UCDP's date_end {given} is left out: it is before date_start"),
        )
    whole = _whole_period(first, last)
    if whole is not None:
        return whole, None, note
    end = PartialDate.from_date(last) if last != first else None
    return PartialDate.from_date(first), end, note


def _whole_period(first: date, last: date) -> PartialDate | None:
    """A window that is exactly one month or one year, as that month or year."""
    if first == last or first.day != 1 or first.year != last.year:
        return None
    if first.month == 1 and (last.month, last.day) == (12, 31):
        return PartialDate(first.year)
    month_end = calendar.monthrange(first.year, first.month)[1]
    if last.month == first.month and last.day == month_end:
        return PartialDate(first.year, first.month)
    return None


def _where_precision(row: Row) -> CoordinatePrecision:
    precision = integer(row, "where_prec")
    if precision is None:
        return CoordinatePrecision.DISTRICT
    if precision not in _WHERE_PRECISION:
        raise RowError("where_prec", row["where_prec"].strip(), "expected 1 to 7")
    return _WHERE_PRECISION[precision]


def _without_suffix(name: str | None, suffix: str) -> str | None:
    if name and name.casefold().endswith(suffix) and len(name) > len(suffix):
        return name[: -len(suffix)].strip()
    return name


def _deaths(row: Row) -> tuple[Casualties, str | None]:
    """UCDP's death estimates, and a note when they are not in order.

    About 1% of GED rows break low <= best <= high.  ``best`` is UCDP's own
    figure and is kept; the range is widened to cover all three.
    """
    low, best, high = count(row, "low"), count(row, "best"), count(row, "high")
    if low is None and best is None and high is None:
        return None, None
    if low is None or best is None or high is None:
        blank = next(c for c, v in (("low", low), ("best", best), ("high", high)) if v is None)
        raise RowError(blank, "", "is blank, but the other death estimates are given")
    note = None
    if not low <= best <= high:
        note = (
            f"UCDP's death estimates are out of order (low {low}, best {best}, high {high}): "
            "the range covers all three"
        )
        low, high = min(low, best, high), max(low, best, high)
    if low == high:
        return low, note
    return made(Count, min=low, max=high, best=best), note


def _deaths_by_side(row: Row) -> str | None:
    parts = [
        f"{label} {number}"
        for label, column in (
            ("side A", "deaths_a"),
            ("side B", "deaths_b"),
            ("civilians", "deaths_civilians"),
            ("unknown", "deaths_unknown"),
        )
        if (number := count(row, column)) is not None
    ]
    return f"Deaths (best estimate) of {', '.join(parts)}" if parts else None


# One article as UCDP cites it: "Publisher,YYYY-MM-DD,Headline".
_ARTICLE = re.compile(
    r"^(?P<publisher>[^,]+),\s*(?P<date>\d{4}-\d{2}-\d{2})\s*(?:,(?P<title>.*))?$"
)


def _sources(row: Row) -> list[Source]:
    sources = []
    for article in (text(row, "source_article") or "").split(";"):
        article = " ".join(article.split())
        if not article:
            continue
        found = _ARTICLE.match(article)
        try:
            when = PartialDate.parse(found["date"]) if found else None
        except DateError:
            found = when = None
        if found:
            title = (found["title"] or "").strip().strip('"').strip() or None
            sources.append(
                made(Source, publisher=found["publisher"].strip(), date=when, title=title)
            )
        else:
            sources.append(made(Source, publisher=article))
    return sources
