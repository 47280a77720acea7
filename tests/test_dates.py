"""Partial dates and the dates users type."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.dates import (
    DateError,
    DateInterval,
    DayMonthOrder,
    PartialDate,
    Precision,
    day_month_order,
    parse_user_date,
)


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
        ("Sept. 2022", "2022-09"),
        ("5th of September 2022", "2022-09-05"),
        ("Monday, 5 September 2022", "2022-09-05"),
        ("2022 Sep", "2022-09"),
        ("Sep-2022", "2022-09"),
        ("05/2022", "2022-05"),
        ("0800", "0800"),
    ],
)
def test_user_dates_keep_the_precision_typed(typed, stored):
    assert str(parse_user_date(typed)) == stored


@pytest.mark.parametrize(
    "typed", ["5 September", "yesterday-ish", "", "2022-02-30", "13/13/2022", "0000", "early 2022"]
)
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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2022/09/05", "2022-09-05"),
        ("2022-9-5", "2022-09-05"),
        ("2022.09.05", "2022-09-05"),
        ("2022 09 05", "2022-09-05"),
        ("20220905", "2022-09-05"),
        ("2022-09-05T10:00", "2022-09-05"),
        ("2022-09-05T10:00:00Z", "2022-09-05"),
        ("2022-09-05T23:30:00.5-05:00", "2022-09-05"),  # the date written, not UTC's
        ("2022-09-05 10:00", "2022-09-05"),
        ("Mon, 05 Sep 2022 10:00:00 +0000", "2022-09-05"),
        ("2022.12", "2022-12"),
        ("2022/9", "2022-09"),
    ],
)
def test_a_date_that_starts_with_its_year_is_year_month_day(typed, stored):
    assert str(parse_user_date(typed)) == stored


@pytest.mark.parametrize("typed", ["9/5/2022", "09-05-2022", "9.5.2022"])
def test_a_day_month_order_that_cannot_be_known_is_refused_naming_both(typed):
    with pytest.raises(DateError) as caught:
        parse_user_date(typed)
    assert str(caught.value).startswith(
        f"{typed}: 9 May or 5 September 2022? write 2022-05-09 or 2022-09-05, or say how you"
        " write dates: --date-order dmy|mdy or $INCIDENTS_DATE_ORDER"
    )
    assert str(parse_user_date(typed, DayMonthOrder.DMY)) == "2022-05-09"
    assert str(parse_user_date(typed, DayMonthOrder.MDY)) == "2022-09-05"


def test_the_order_set_for_the_command_is_the_default():
    token = day_month_order.set(DayMonthOrder.MDY)
    try:
        assert str(parse_user_date("9/5/2022")) == "2022-09-05"
        assert str(parse_user_date("9/5/2022", DayMonthOrder.DMY)) == "2022-05-09"
    finally:
        day_month_order.reset(token)
    with pytest.raises(DateError, match="9 May or 5 September"):
        parse_user_date("9/5/2022")


@pytest.mark.parametrize("order", [None, DayMonthOrder.DMY, DayMonthOrder.MDY])
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("31/12/2022", "2022-12-31"), ("12/31/2022", "2022-12-31"), ("5/5/2022", "2022-05-05")],
)
def test_a_date_that_reads_one_way_only_is_read_so(typed, stored, order):
    assert str(parse_user_date(typed, order)) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/31/2022", "31/31/2022: neither 31 nor 31 can be a month"),
        ("30/02/2022", "30/02/2022: day 30 does not exist in 2022-02"),
        ("2022/02/30", "2022/02/30: day 30 does not exist in 2022-02"),
        ("2022-02-30", "day 30 does not exist in 2022-02"),
        ("2022/31/12", "2022/31/12: month 31 does not exist (a date that starts with its year"),
        ("9/5/22", "9/5/22: write the year in full (is 22 1922 or 2022?)"),
        ("5-Sep-22", "5-Sep-22: write the year in full (is 22 1922 or 2022?)"),
        ("9/5", "9/5: no year written in full"),
        ("Sept 5", "'Sept 5' has no year"),
        ("2022-09T10:00", "2022-09T10:00: a time of day needs a day"),
        ("2022-09-05T25:00", "2022-09-05T25:00: T25:00 is not a time of day"),
        ("Tuesday 5 September 2022", "5 September 2022 is a Monday, not a Tuesday"),
        ("202209", "cannot read '202209' as a date"),
    ],
)
def test_impossible_and_half_written_dates_say_what_is_wrong(typed, message):
    for order in (None, DayMonthOrder.DMY, DayMonthOrder.MDY):
        with pytest.raises(DateError) as caught:
            parse_user_date(typed, order)
        assert message in str(caught.value)


DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(
    DAYS,
    st.sampled_from([4, 7, 10]),
    st.sampled_from(["-", "/", ".", " "]),
    st.booleans(),
    st.sampled_from(["", "T10:00", "T10:00:00Z", " 23:59", "T08:30:00+04:30"]),
)
def test_any_date_written_year_first_reads_back_as_itself(day, length, sep, padded, time):
    expected = day.isoformat()[:length]
    parts = expected.split("-")
    if not padded:
        parts = [parts[0]] + [str(int(p)) for p in parts[1:]]
    typed = sep.join(parts) + (time if length == 10 else "")
    assert str(parse_user_date(typed)) == expected
    for order in DayMonthOrder:
        assert str(parse_user_date(typed, order)) == expected
    if length == 10:
        assert str(parse_user_date(expected.replace("-", ""))) == expected


@given(DAYS, st.sampled_from(["/", "-", "."]))
def test_a_date_written_year_last_is_read_as_meant_or_refused_naming_both(day, sep):
    day_first = sep.join([str(day.day), str(day.month), f"{day.year:04d}"])
    month_first = sep.join([str(day.month), str(day.day), f"{day.year:04d}"])
    expected = day.isoformat()
    assert str(parse_user_date(day_first, DayMonthOrder.DMY)) == expected
    assert str(parse_user_date(month_first, DayMonthOrder.MDY)) == expected
    if day.day > 12 or day.day == day.month:
        assert str(parse_user_date(day_first)) == expected
        assert str(parse_user_date(month_first)) == expected
    else:
        # Both readings, day first then month first, in the order typed.
        swapped = date(day.year, day.day, day.month).isoformat()
        for typed, readings in (
            (day_first, (expected, swapped)),
            (month_first, (swapped, expected)),
        ):
            with pytest.raises(DateError, match=f"write {readings[0]} or {readings[1]},"):
                parse_user_date(typed)


# English names: Python does not set a locale unless asked.
MONTHS = list(calendar.month_name)[1:]


@given(DAYS, st.booleans(), st.sampled_from(["{d} {m} {y}", "{m} {d}, {y}", "{d}-{m}-{y}"]))
def test_a_date_with_its_month_named_reads_back_as_itself(day, short, layout):
    month = MONTHS[day.month - 1][: 3 if short else None]
    typed = layout.format(d=day.day, m=month, y=f"{day.year:04d}")
    assert str(parse_user_date(typed)) == day.isoformat()
    assert str(parse_user_date(f"{month} {day.year:04d}")) == day.isoformat()[:7]
