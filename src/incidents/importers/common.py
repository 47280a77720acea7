"""Reading one cell of a data set's row into the model's terms.

Each reader names the column it read, so that a row that cannot be mapped
is reported as: which line, which column, what value, and why.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from incidents.certainty import CODES, Code
from incidents.dates import PartialDate
from incidents.importers.layouts import (
    Layout,
    NotADay,
    day_named_month,
    iso,
    named_month_day,
    read_day,
)
from incidents.importers.tabular import Row
from incidents.model import (
    Attribution,
    CoordinatePrecision,
    Coordinates,
    DatasetCodes,
    Perpetrator,
    Source,
)

M = TypeVar("M", bound=BaseModel)


def made(model: type[M], **fields: Any) -> M:
    """``model(**fields)``: validated by pydantic alike, refused with the same
    errors, without BaseModel.__init__'s layer of Python (a third of what a
    small model costs, and a row makes about ten)."""
    validated: M = model.__pydantic_validator__.validate_python(fields)
    return validated


class RowError(ValueError):
    """A cell that cannot be mapped onto the model."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        self.column = column
        self.value = value
        self.reason = reason
        super().__init__(f"{column} {value!r}: {reason}")


class LeftOut(Exception):
    """A row that is not an incident of this tool's kind (an ACLED protest, say).

    ``kind`` groups such rows in the import's summary.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


def text(row: Row, column: str) -> str | None:
    """The cell's text without surrounding space; None when blank."""
    value = row[column].strip()
    return value or None


def required_text(row: Row, column: str) -> str:
    value = text(row, column)
    if value is None:
        raise RowError(column, "", "is blank, but every row needs it")
    return value


_NUMBER = re.compile(r"^[+-]?\d+(?:\.0*)?$")


def integer(row: Row, column: str, unknown: Collection[int] = ()) -> int | None:
    """A whole number; None when blank or one of the ``unknown`` codes."""
    number = whole_number(column, row[column].strip())
    return None if number in unknown else number


def whole_number(column: str, value: str) -> int | None:
    """``integer`` of a cell's text, stripped, that is known to be in ``column``."""
    if not value:
        return None
    if value.isdigit():  # the common case, without the regular expression
        return int(value)
    if _NUMBER.match(value):
        return int(value.split(".")[0])
    raise RowError(column, value, "expected a whole number, or blank when not known")


def count(row: Row, column: str, unknown: Collection[int] = ()) -> int | None:
    """A number of people: blank (or an ``unknown`` code) is not known, never 0."""
    number = integer(row, column, unknown)
    if number is not None and number < 0:
        raise RowError(column, row[column].strip(), "a count cannot be negative")
    return number


# A flag's cell as GTD writes it nearly always: read without a number's parse.
_FLAGS: dict[str, bool | None] = {"1": True, "0": False, "": None, "-9": None, "-99": None}


def flag(row: Row, column: str) -> bool | None:
    """GTD-style 1 / 0 with -9 (or blank) for not known."""
    value = row[column]
    if value in _FLAGS:
        return _FLAGS[value]
    number = integer(row, column, unknown=(-9, -99))
    if number is None:
        return None
    if number not in (0, 1):
        raise RowError(column, row[column].strip(), "expected 1 (yes), 0 (no) or -9 (unknown)")
    return number == 1


def coordinates(
    row: Row, lat_column: str, lon_column: str, precision: CoordinatePrecision
) -> Coordinates | None:
    """Latitude and longitude, or None when both are blank."""
    lat_text, lon_text = row[lat_column].strip(), row[lon_column].strip()
    if not lat_text and not lon_text:
        return None
    lat = _degrees(lat_column, lat_text, 90)
    lon = _degrees(lon_column, lon_text, 180)
    return made(Coordinates, lat=lat, lon=lon, precision=precision)


def _degrees(column: str, value: str, limit: float) -> float:
    if not value:
        raise RowError(column, value, "is blank, but the other coordinate is given")
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise RowError(column, value, "expected a number of degrees") from None
    if not -limit <= number <= limit:
        raise RowError(column, value, f"expected degrees between -{limit:g} and {limit:g}")
    return number


def dataset_codes(
    row: Row, dataset: str, read: Mapping[str, int | None] | None = None
) -> DatasetCodes | None:
    """The certainty codes of this data set (``certainty.CODES``) that the row
    gives, each from its column unless ``read`` holds it (read otherwise than
    as a number); a blank or absent cell gives none."""
    cells = row.cells(tuple(name for name, _ in _codes_of(dataset)))
    return _codes_in(dataset, cells, tuple(read.items()) if read else ())


# The models below are frozen, and a data set gives the same few codes, and
# names the same groups, again and again: each is made once and shared.
@functools.lru_cache(maxsize=4096)
def _codes_in(
    dataset: str, cells: tuple[str, ...], read: tuple[tuple[str, int | None], ...]
) -> DatasetCodes | None:
    """``dataset_codes`` of a row whose code columns hold ``cells``."""
    known = dict(read)
    given: dict[str, int] = {}
    for (name, code), cell in zip(_codes_of(dataset), cells, strict=True):
        number = known[name] if name in known else whole_number(name, cell.strip())
        if number is None:
            continue
        if number not in code.values:
            expected = ", ".join(str(v) for v in code.values)
            raise RowError(name, cell.strip(), f"expected one of {expected}")
        given[name] = number
    return DatasetCodes.model_validate(given) if given else None


@functools.lru_cache(maxsize=65536)
def perpetrator_of(name: str | None, attribution: Attribution) -> Perpetrator:
    """The perpetrator of this name and attribution (the model checks them)."""
    return made(Perpetrator, name=name, attribution=attribution)


@functools.cache
def _codes_of(dataset: str) -> tuple[tuple[str, Code], ...]:
    return tuple((name, code) for name, code in CODES.items() if code.dataset == dataset)


def day(row: Row, column: str, layouts: Sequence[Layout], expected: str) -> date:
    """A full date written in one of the data set's ``layouts``; ``expected``
    names them for the message when it is not (``m/d/yyyy, as 10/31/2001``)."""
    value = row[column].strip()
    if not value:
        raise RowError(column, value, "is blank, but every row needs a date")
    try:
        return read_day(value, layouts)
    except NotADay as error:
        raise RowError(column, value, f"expected a date written {expected} ({error})") from None


def dataset_source(publisher: str, title: str, url: str | None = None) -> Source:
    """The data set itself, cited as a source of the incident."""
    return made(Source, publisher=publisher, title=title, url=url)


_URL = re.compile(r"https?://[^\s\"<>]+")
# A citation as GTD and others write them: "Title," Publisher, Month D, YYYY.
_QUOTED_TITLE = re.compile(r'^["“](?P<title>.+?)[,.]?["”][,.]?\s*(?P<rest>.*)$', re.DOTALL)
_TRAILING_DATE = re.compile(
    r"[,;]?\s*(?P<date>(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})|(?:\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})"
    r"|(?:\d{4}-\d{2}-\d{2}))\.?\s*$"
)


_CITATION_LAYOUTS = (named_month_day, day_named_month, iso)


def citation_source(citation: str) -> Source:
    """A source from a free-text citation, with its title, publisher, date and
    address when they can be told apart; otherwise the whole citation stands
    as the publisher, so that nothing is lost."""
    # Not cached by its text: most citations are cited once, and a cache
    # of long texts costs more for them than it saves for the others.
    whole = _single_spaced(citation)
    url_match = _URL.search(whole) if "http" in whole else None
    url = url_match.group(0).rstrip(".,;)") if url_match else None
    rest = (_URL.sub("", whole) if url_match else whole).strip(" .,;")
    title = None
    quoted = _QUOTED_TITLE.match(rest)
    if quoted:
        title = quoted["title"].strip()
        rest = quoted["rest"].strip(" .,;")
    when = None
    # Each of _TRAILING_DATE's dates ends in a digit, and ``rest`` ends where it would.
    dated = _TRAILING_DATE.search(rest, _last_words(rest)) if rest[-1:].isdigit() else None
    if dated:
        when = _citation_date(dated["date"])
        if when is not None:
            rest = rest[: dated.start()].strip(" .,;")
    if not rest or (title is None and when is None and url is None):
        return made(Source, publisher=whole or "unnamed source", url=url)
    return made(Source, publisher=rest, date=when, title=title, url=url)


def _single_spaced(text: str) -> str:
    """The text with each run of blanks one space, and none at either end."""
    # Printable text has no blank but the space (str.split's blanks are all
    # control characters or separators): without two spaces in a row, only
    # its ends can change.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _citation_date(written: str) -> PartialDate | None:
    """The day a citation's date names; None for one that names none
    ("February 30, 2011": the text stays in the publisher)."""
    try:
        return PartialDate.from_date(read_day(written, _CITATION_LAYOUTS))
    except NotADay:
        return None


def _last_words(text: str, words: int = 3) -> int:
    """Where a date at the end of a citation can begin, at the earliest.

    Each of ``_TRAILING_DATE``'s dates spans three words at most (June 3,
    2011; 3 June 2011; 2011-06-03), with a comma or semicolon and spaces
    before it: its match begins no earlier than the space and the one
    character before the third word from the end.  Searched for from there,
    it is found without trying every place of a long citation.  The text's
    only blanks are spaces (``citation_source`` joined its words with them).
    """
    end = len(text)
    if "  " not in text:  # as nearly always: no run of spaces to pass over
        for _ in range(words):
            end = text.rfind(" ", 0, end)
            if end < 0:
                return 0
        return max(0, end - 1)
    for _ in range(words):
        space = text.rfind(" ", 0, end)
        if space < 0:
            return 0
        end = space
        while end > 0 and text[end - 1] == " ":
            end -= 1
    return max(0, end - 1)


def labelled(label: str, value: str | None) -> str | None:
    """``Label: value`` for notes, or None when there is no value."""
    return f"{label}: {value}" if value else None


def sentences(*parts: str | None) -> str | None:
    """Notes from the parts that are given, each ended as a sentence."""
    kept = []
    for part in parts:
        if part:
            stripped = part.strip()
            kept.append(stripped if stripped.endswith((".", "!", "?")) else stripped + ".")
    return " ".join(kept) or None


_ID_UNSAFE = re.compile(r"[^a-z0-9._:-]+")


def incident_id(dataset: str, original: str) -> str:
    """Our id for an imported incident: ``gtd-201710080012``, ``acled-afg12345``."""
    key = original.strip().lower()
    if key.isascii() and key.isalnum():  # as ids nearly always are: nothing to replace
        return f"{dataset}-{key}"
    return f"{dataset}-{_ID_UNSAFE.sub('-', key).strip('-')}"
