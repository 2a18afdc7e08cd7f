"""Durations and periods from arbitrary text: a value or the parser's own error (ValueError), and round trips hold."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from auditor.time.period import Period, parse_period, period_from_dates
from auditor.time.durations import format_duration, parse_duration
from tests.fuzz.support import budget, messy_text

DURATION_ALPHABET = "0123456789wdhmsWDHMSPTpt \t\n\r.-+:,٤²"

# Time zones with odd offsets, daylight saving at midnight, the date line, and plain UTC.
ZONES = ("UTC", "America/Toronto", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12",
         "Etc/GMT-14", "America/Santiago", "Asia/Kathmandu", "Australia/Lord_Howe", "Africa/Casablanca")


def durations_text() -> st.SearchStrategy[str]:
    numbers = st.one_of(st.integers(0, 999_999), st.integers(0, 10**12), st.just(999_999))
    compact = st.lists(st.tuples(numbers, st.sampled_from("wdhmsWDHMS")), min_size=1, max_size=5).map(
        lambda parts: " ".join(f"{n}{unit}" for n, unit in parts))
    iso = st.tuples(numbers, numbers, numbers).map(lambda t: f"P{t[0]}DT{t[1]}H{t[2]}M")
    return st.one_of(st.text(DURATION_ALPHABET, max_size=70), messy_text(70), compact, iso)


@budget(150)
@given(durations_text())
@example("999999w")
@example("142858w")  # 1,000,006 days: was formatted as "1000006d", which does not parse
@example("999999w999999d999999h999999m999999s")
@example("P999999W999999DT999999H999999M999999S")
@example("0h0m")
@example("4h" + " " * 62)
def test_a_duration_or_a_value_error_and_its_format_parses_back(text):
    try:
        value = parse_duration(text)
    except ValueError as error:
        message = str(error)
        assert message.startswith("expected a duration like 4h, 90m, 1h30m or PT4H, got '")
        assert len(message.splitlines()) == 1
        return
    assert isinstance(value, timedelta) and value > timedelta(0)
    assert value.microseconds == 0
    written = format_duration(value)
    assert parse_duration(written) == value, written
    assert format_duration(parse_duration(written)) == written


@budget(30)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=5), st.lists(st.text(max_size=3), max_size=2)))
def test_a_duration_that_is_not_text_is_a_value_error(value):
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(value)


# -- periods -------------------------------------------------------------------------------------

def period_text() -> st.SearchStrategy[str]:
    years = st.one_of(st.integers(0, 9999), st.sampled_from([1, 2, 9998, 9999, 2026]))
    return st.one_of(
        st.tuples(years, st.integers(0, 13)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
        st.tuples(years, st.integers(0, 13)).map(lambda t: f"{t[0]:04d}-{t[1]}"),
        st.tuples(years, st.integers(0, 9), st.sampled_from("qQ")).map(lambda t: f"{t[0]:04d}-{t[2]}{t[1]}"),
        years.map(lambda y: f"{y:04d}"),
        st.sampled_from(["last-month", "this-month", "last-quarter", "this-quarter", "last-year", "this-year",
                         " LAST-MONTH ", "last_month", "2026-10-01", "2026/10", "2026-10 ", "\t2026\n", "２０２６"]),
        messy_text(20),
    )


def check_period(period: Period, zone: ZoneInfo) -> None:
    assert period.start.utcoffset() is not None and period.end.utcoffset() is not None
    assert period.start < period.end
    assert period.first_day <= period.last_day
    # local midnight starts it, and the day after its last day ends it
    assert period.start.astimezone(zone).date() == period.first_day
    assert period.end.astimezone(zone).date() == period.last_day + timedelta(days=1)
    assert period.contains(period.start) and not period.contains(period.end)
    # the days it covers give it back as a range...
    try:
        again = period_from_dates(period.first_day, period.last_day, zone)
    except ValueError as error:
        # ...unless the range of as many days before it (its trend) would start before year 1 (Q2 of year 1)
        assert "year out of range" in str(error) and period.first_day.year <= 2, error
    else:
        assert (again.start, again.end) == (period.start, period.end)
    # and the period before it, which every audit evaluates, exists and tiles
    before = period.previous()
    assert before.end.astimezone(timezone.utc) == period.start.astimezone(timezone.utc)
    assert before.kind == period.kind


@budget(150)
@given(period_text(), st.sampled_from(ZONES), st.dates())
@example("0001-01", "UTC", date(2026, 1, 1))  # its previous month (the trend) is year 0: crashed the audit
@example("0001", "America/Toronto", date(2026, 1, 1))
@example("this-month", "UTC", date(1, 1, 15))
@example("last-month", "Asia/Tokyo", date(1, 2, 15))
@example("9998-12", "Etc/GMT+12", date(2026, 1, 1))
@example("0001-Q2", "UTC", date(2000, 1, 1))  # a quarter with one before it, whose days as a range have none
@example("this-year", "Pacific/Kiritimati", date(9999, 12, 31))
def test_a_period_or_a_value_error(text, zone_name, today):
    zone = ZoneInfo(zone_name)
    try:
        period = parse_period(text, zone, today)
    except ValueError as error:
        assert str(error).startswith(("bad period", "period ")), error
        assert len(str(error).splitlines()) == 1
        return
    check_period(period, zone)


@budget(150)
@given(st.dates(), st.dates(), st.sampled_from(ZONES))
@example(date(1, 1, 1), date(1, 1, 5), "UTC")  # the range before it would start before year 1
@example(date(1, 1, 2), date(1, 1, 5), "Asia/Tokyo")
@example(date(1, 1, 1), date(9998, 12, 31), "America/Toronto")
@example(date(9998, 12, 31), date(9998, 12, 31), "Etc/GMT-14")
def test_a_date_range_or_a_value_error(first, last, zone_name):
    zone = ZoneInfo(zone_name)
    try:
        period = period_from_dates(first, last, zone)
    except ValueError as error:
        assert str(error).startswith(("bad date", "bad period", "period ")), error
        return
    assert (period.first_day, period.last_day) == (first, last)
    check_period(period, zone)


@budget(60)
@given(messy_text(), messy_text(), st.sampled_from(ZONES))
@example("2026-10-01", "2026-W44-6", "UTC")
@example("20261001", "2026-10-31\n", "UTC")
def test_dates_as_text_give_a_range_or_a_value_error(first, last, zone_name):
    zone = ZoneInfo(zone_name)
    try:
        period = period_from_dates(first, last, zone)
    except ValueError:
        return
    check_period(period, zone)
