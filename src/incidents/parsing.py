"""Values as people type them: counts, coordinates, sources, yes/no/unknown.

``--killed "at least 3"`` is a lower bound, ``3-5`` a range and ``unknown``
is not known (never zero).  Each parser returns JSON data in the store's own
shape, so that the model validates it like any other store content, and
raises ``ParseError`` with the accepted forms when the text is not one of
them.  Dates are read by ``dates.parse_user_date``.
"""

from __future__ import annotations

import re
from typing import Any

from incidents.dates import DateError, NotADate, parse_user_date
from incidents.model import MAX_FIGURE


class ParseError(ValueError):
    """Text that is not a value of the kind asked for; the message says what is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


UNKNOWN_WORDS = frozenset({"unknown", "?", "null", "none", "n/a", "na", "not known", "unclear"})
# For a count, "none" means no one, as in "none were killed": zero, not unknown.
ZERO_WORDS = frozenset({"none", "no one", "noone", "nobody", "zero", "nil"})
_UNKNOWN_COUNT_WORDS = UNKNOWN_WORDS - ZERO_WORDS

# The model's bound on a figure: more people than live on Earth.
LARGEST_COUNT = MAX_FIGURE

_NUMBER = r"(\d+)"
_COUNT_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_NUMBER}$"), "exact"),
    (re.compile(rf"^(?:at least|no fewer than|min(?:imum)?|>=|≥)\s*{_NUMBER}$"), "min"),
    (re.compile(rf"^{_NUMBER}\s*(?:\+|or more)$"), "min"),
    (re.compile(rf"^(?:more than|over|>)\s*{_NUMBER}$"), "above"),
    (re.compile(rf"^(?:at most|up to|no more than|max(?:imum)?|<=|≤)\s*{_NUMBER}$"), "max"),
    (re.compile(rf"^{_NUMBER}\s*(?:-|–|—|to|\.\.)\s*{_NUMBER}$"), "range"),
)
_BEST = re.compile(r"^(.*?)[,;(]?\s*(?:best|likely|about|around|~)\s*(\d+)\)?$")
# Figures as reporters write them when they do not know: refused with the
# forms that say what is known for certain.
_ABOUT = re.compile(
    r"^(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|circa|ca?\.|~|≈)"
    rf"\s*{_NUMBER}$|^{_NUMBER}\s*(?:or so|odd|-?ish)$"
)
_VAGUE_WORDS = {
    "a dozen": 12,
    "a hundred": 100,
    "a couple": 2,
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "tens": 20,
    "several": 3,
    "a few": 2,
    "few": 2,
    "some": 1,
    "many": 2,
    "numerous": 2,
    "multiple": 2,
}

COUNT_FORMS_HELP = (
    "a number (16), 'at least 3' (or 3+), '3-5', '3-5 best 4', none (0), or unknown (or ?)"
)


def parse_count(text: str) -> int | dict[str, int] | None:
    """A casualty figure: 16, ``{"min": 3}``, ``{"min": 3, "max": 5}`` or None (unknown)."""
    cleaned = " ".join(text.strip().lower().split()).replace(",", "") if text else ""
    if not cleaned or cleaned in _UNKNOWN_COUNT_WORDS:
        return None
    if cleaned in ZERO_WORDS:
        return 0
    _refuse_vague(cleaned, text)
    best: int | None = None
    found_best = _BEST.match(cleaned)
    if found_best and found_best.group(1).strip():
        cleaned, best = found_best.group(1).strip(), _whole_number(found_best.group(2))
    for pattern, kind in _COUNT_FORMS:
        found = pattern.match(cleaned)
        if not found:
            continue
        numbers = [_whole_number(n) for n in found.groups()]
        if kind == "exact" and best is None:
            return numbers[0]
        count = _count_of(kind, numbers, text)
        if best is not None:
            count["best"] = best
        if max(count.values()) > LARGEST_COUNT:
            raise _too_large(max(count.values()))
        return count
    raise ParseError(f"expected {COUNT_FORMS_HELP}; got {text!r}")


def _whole_number(digits: str) -> int:
    # Python refuses to read integers of thousands of digits: check the width first.
    if len(digits) > len(str(LARGEST_COUNT)) or int(digits) > LARGEST_COUNT:
        raise _too_large(digits)
    return int(digits)


def _too_large(number: object) -> ParseError:
    digits = str(number)
    shown = digits if len(digits) <= 20 else f"{digits[:10]}... ({len(digits)} digits)"
    return ParseError(
        f"{shown} is more people than live on Earth; a count is at most {LARGEST_COUNT:,}"
    )


def _refuse_vague(cleaned: str, text: str) -> None:
    """'about 20' or 'dozens' says nothing certain: ask for what the source supports."""
    about = _ABOUT.match(cleaned)
    if about:
        guess = _whole_number(about.group(1) or about.group(2))
        spread = max(1, round(guess / 4))
        low, high = max(0, guess - spread), guess + spread
        raise ParseError(
            f"{text.strip()!r} is vague; write what the source supports: 'at least {guess}',"
            f" a range such as '{low}-{high}', or '{low}-{high} best {guess}'"
        )
    if cleaned in _VAGUE_WORDS:
        raise ParseError(
            f"{text.strip()!r} is vague; write what the source supports for certain,"
            f" such as 'at least {_VAGUE_WORDS[cleaned]}', or a range such as '15-25'"
        )


def _count_of(kind: str, numbers: list[int], text: str) -> dict[str, int]:
    if kind == "exact":
        return {"min": numbers[0], "max": numbers[0]}
    if kind == "min":
        return {"min": numbers[0]}
    if kind == "above":
        return {"min": numbers[0] + 1}
    if kind == "max":
        return {"min": 0, "max": numbers[0]}
    low, high = numbers
    if low > high:
        raise ParseError(f"the range {text!r} runs backwards; write the smaller number first")
    return {"min": low, "max": high}


def parse_coordinates(text: str) -> tuple[float, float]:
    """``"36.709, 67.11"`` (latitude first) as a (lat, lon) pair, each within range."""
    parts = re.split(r"[,;\s]+", text.strip())
    try:
        lat, lon = (float(p) for p in parts if p)
    except ValueError:
        raise ParseError(
            f"expected 'LATITUDE, LONGITUDE' in decimal degrees, e.g. '36.709, 67.11'; got {text!r}"
        ) from None
    if not -90 <= lat <= 90:
        raise ParseError(f"latitude {lat} is outside -90 .. 90")
    if not -180 <= lon <= 180:
        raise ParseError(f"longitude {lon} is outside -180 .. 180")
    return lat, lon


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_yes_no_unknown(text: str) -> bool | None:
    cleaned = text.strip().lower()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    if cleaned in UNKNOWN_WORDS or not cleaned:
        return None
    raise ParseError(f"expected yes, no or unknown; got {text!r}")


SOURCE_FORMS_HELP = "'PUBLISHER | DATE | TITLE | URL' (only the publisher is required)"


def parse_source(text: str) -> dict[str, Any]:
    """``"Reuters | 5 Dec 2022 | https://..."``: a publisher, then a date, title, url.

    Parts after the publisher are told apart by their form (a url starts with
    http, a date reads as one), so they may come in any order or be left out.
    """
    parts = [part.strip() for part in text.split("|")]
    if not parts[0]:
        raise ParseError(f"a source needs a publisher first: {SOURCE_FORMS_HELP}; got {text!r}")
    source: dict[str, Any] = {"publisher": parts[0]}
    for part in parts[1:]:
        if not part:
            continue
        key = "url" if re.match(r"^[a-z][a-z0-9+.-]*://", part, re.IGNORECASE) else None
        value: str = part
        if key is None:
            try:
                value, key = str(parse_user_date(part)), "date"
            except NotADate:
                key = "title"
            except DateError as error:
                raise ParseError(f"the source {text!r}: {error}") from None
        if key in source:
            raise ParseError(f"the source {text!r} has two {key}s; expected {SOURCE_FORMS_HELP}")
        source[key] = value
    return source


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for ids: 'Mazar-i-Sharif' -> 'mazar-i-sharif'."""
    from incidents.vocabulary import fold

    return "-".join(word for word in fold(text).split() if word.isascii())
