"""Partial dates and the dates users type."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.dates import DateError, DateInterval, PartialDate, Precision, parse_user_date


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2022", Precision.YEAR, date(2022, 1, 1), date(2022, 12, 31)),
        ("2022-02", Precision.MONTH, date(2022, 2, 1), date(2022, 2, 28)),
        ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2022-09-05", Precision.DAY, date(2022, 9, 5), date(2022, 9, 5)),
    ],
)
def test_partial_date_is_the_interval_it_covers(text, precision, first, last):
    parsed = PartialDate.parse(text)
    assert parsed.precision is precision
    assert (parsed.first_day, parsed.last_day) == (first, last)
    assert str(parsed) == text


def test_a_month_only_date_is_not_the_first_of_the_month():
    october = PartialDate.parse("2021-10")
    assert october.day is None
    assert str(october) == "2021-10"
    assert october != PartialDate.parse("2021-10-01")


@pytest.mark.parametrize(
    "text", ["2022-02-30", "2022-13", "2022-00", "22-09", "2022/09", "", "2022-9"]
)
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(DateError):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2022-09", "2022-09"),
        ("Sept 2022", "2022-09"),
        ("September 2022", "2022-09"),
        ("December 2022", "2022-12"),
        ("5 September 2022", "2022-09-05"),
        ("September 5, 2022", "2022-09-05"),
        ("2022-09-05", "2022-09-05"),
        ("2022", "2022"),
        ("Oct 2021", "2021-10"),
        ("  2022-09-01 ", "2022-09-01"),
    ],
)
def test_user_dates_keep_the_precision_typed(typed, stored):
    assert str(parse_user_date(typed)) == stored


@pytest.mark.parametrize("typed", ["5 September", "yesterday-ish", "", "2022-02-30", "13/13/2022"])
def test_user_dates_without_year_or_sense_are_refused(typed):
    with pytest.raises(DateError):
        parse_user_date(typed)


def test_interval_contains_and_overlaps():
    september = PartialDate.parse("2022-09").interval
    from_first = DateInterval(date(2022, 9, 1), None)
    from_tenth = DateInterval(date(2022, 9, 10), None)
    assert from_first.contains(september)
    assert not from_tenth.contains(september)
    assert from_tenth.overlaps(september)
    assert not DateInterval(date(2022, 10, 1), None).overlaps(september)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.sampled_from([4, 7, 10]))
def test_any_date_round_trips_at_any_precision(day, length):
    text = day.isoformat()[:length]
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.first_day <= day <= parsed.last_day


@given(st.text(max_size=40))
def test_user_date_parser_never_fails_uncleanly(text):
    try:
        parsed = parse_user_date(text)
    except DateError:
        return
    assert isinstance(parsed, PartialDate)
