"""Audit periods: `--period 2026-10`, `2026-Q3`, `last-month`, `--from/--to`, in the policy's time zone."""

import dataclasses
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from auditor.time.period import Period, audit_window, local_instant, parse_period, period_from_dates

TORONTO = ZoneInfo("America/Toronto")
SANTIAGO = ZoneInfo("America/Santiago")  # clocks jump from 24:00 to 01:00 on 2026-09-06
UTC = timezone.utc
TODAY = date(2026, 11, 15)
FORMS = (
    "expected 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year), "
    "last-month, this-month, last-quarter, this-quarter, last-year, this-year, "
    "or --from/--to dates"
)


def bounds(period):
    return period.start.isoformat(), period.end.isoformat()


# --- parse_period -----------------------------------------------------------------------


def test_month():
    period = parse_period("2026-10", TORONTO, TODAY)
    assert bounds(period) == ("2026-10-01T00:00:00-04:00", "2026-11-01T00:00:00-04:00")
    assert period.label == "October 2026"
    assert period.tz_name == "America/Toronto"
    assert period.kind == "month"
    assert period.start.tzinfo is TORONTO
    assert (period.first_day, period.last_day) == (date(2026, 10, 1), date(2026, 10, 31))


def test_month_with_the_autumn_change_has_an_extra_hour():
    period = parse_period("2026-11", TORONTO, TODAY)
    assert bounds(period) == ("2026-11-01T00:00:00-04:00", "2026-12-01T00:00:00-05:00")
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(days=30, hours=1)


def test_quarter():
    period = parse_period("2026-Q3", TORONTO, TODAY)
    assert bounds(period) == ("2026-07-01T00:00:00-04:00", "2026-10-01T00:00:00-04:00")
    assert (period.label, period.kind) == ("Q3 2026", "quarter")
    q4 = parse_period("2026-q4", TORONTO, TODAY)
    assert bounds(q4) == ("2026-10-01T00:00:00-04:00", "2027-01-01T00:00:00-05:00")


def test_year():
    period = parse_period("2026", TORONTO, TODAY)
    assert bounds(period) == ("2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00")
    assert (period.label, period.kind) == ("2026", "year")


def test_whitespace_and_single_digit_month():
    assert parse_period(" 2026-3 ", TORONTO, TODAY) == parse_period("2026-03", TORONTO, TODAY)


@pytest.mark.parametrize(
    ("text", "today", "label"),
    [
        ("last-month", date(2026, 11, 15), "October 2026"),
        ("this-month", date(2026, 11, 15), "November 2026"),
        ("last-quarter", date(2026, 11, 15), "Q3 2026"),
        ("this-quarter", date(2026, 11, 15), "Q4 2026"),
        ("last-year", date(2026, 11, 15), "2025"),
        ("this-year", date(2026, 11, 15), "2026"),
        ("last-month", date(2026, 1, 10), "December 2025"),  # across a year
        ("last-quarter", date(2026, 2, 28), "Q4 2025"),
        ("last-month", date(2026, 3, 31), "February 2026"),  # no "31 days ago" arithmetic
        ("last-month", date(2026, 11, 1), "October 2026"),
        ("LAST-MONTH", date(2026, 11, 1), "October 2026"),
    ],
)
def test_relative_periods(text, today, label):
    assert parse_period(text, TORONTO, today).label == label


def test_relative_period_is_the_same_as_the_explicit_one():
    assert parse_period("last-month", TORONTO, TODAY) == parse_period("2026-10", TORONTO, TODAY)
    assert parse_period("last-quarter", TORONTO, TODAY) == parse_period("2026-Q3", TORONTO, TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("october", f"bad period 'october': {FORMS}"),
        ("", f"bad period '': {FORMS}"),
        ("26-10", f"bad period '26-10': {FORMS}"),
        ("2026-10-05", f"bad period '2026-10-05': {FORMS}"),
        ("2026-13", f"bad period '2026-13' (no month 13): {FORMS}"),
        ("2026-00", f"bad period '2026-00' (no month 0): {FORMS}"),
        ("2026-Q5", f"bad period '2026-Q5' (no quarter 5): {FORMS}"),
        ("0000", f"bad period '0000' (year out of range): {FORMS}"),
        ("9999", f"bad period '9999' (year out of range): {FORMS}"),
        ("next-month", f"bad period 'next-month': {FORMS}"),
        ("x" * 100, f"bad period '{'x' * 39}…': {FORMS}"),
        ("2026-10\nrm", f"bad period '2026-10\\nrm': {FORMS}"),
    ],
)
def test_bad_periods(text, message):
    with pytest.raises(ValueError) as info:
        parse_period(text, TORONTO, TODAY)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


# --- --from / --to ----------------------------------------------------------------------


def test_from_to_dates_are_both_included():
    period = period_from_dates(date(2026, 10, 1), date(2026, 10, 31), TORONTO)
    assert bounds(period) == ("2026-10-01T00:00:00-04:00", "2026-11-01T00:00:00-04:00")
    assert (period.label, period.kind) == ("2026-10-01 to 2026-10-31", "range")
    assert (period.first_day, period.last_day) == (date(2026, 10, 1), date(2026, 10, 31))


def test_from_to_accepts_iso_strings_and_datetimes():
    expected = period_from_dates(date(2026, 10, 1), date(2026, 10, 31), TORONTO)
    assert period_from_dates("2026-10-01", " 2026-10-31 ", TORONTO) == expected
    assert period_from_dates(datetime(2026, 10, 1, 15), datetime(2026, 10, 31), TORONTO) == expected


def test_single_day():
    period = period_from_dates(date(2026, 11, 1), date(2026, 11, 1), TORONTO)
    assert bounds(period) == ("2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00")
    assert period.label == "2026-11-01"


def test_to_before_from():
    with pytest.raises(ValueError) as info:
        period_from_dates(date(2026, 10, 31), date(2026, 10, 1), TORONTO)
    assert str(info.value) == (
        "bad dates: --to 2026-10-01 is before --from 2026-10-31; "
        "expected --from and --to as YYYY-MM-DD, --to on or after --from (both days included)"
    )


def test_bad_date_text():
    with pytest.raises(ValueError) as info:
        period_from_dates("2026-10-32", "2026-11-01", TORONTO)
    assert str(info.value) == "--from must be a date (YYYY-MM-DD), got '2026-10-32'"


# --- previous ---------------------------------------------------------------------------


def test_previous_month_quarter_year():
    assert parse_period("2026-10", TORONTO, TODAY).previous() == parse_period("2026-09", TORONTO, TODAY)
    assert parse_period("2026-01", TORONTO, TODAY).previous() == parse_period("2025-12", TORONTO, TODAY)
    assert parse_period("2026-03", TORONTO, TODAY).previous().label == "February 2026"
    assert parse_period("2026-Q1", TORONTO, TODAY).previous() == parse_period("2025-Q4", TORONTO, TODAY)
    assert parse_period("2026-Q3", TORONTO, TODAY).previous() == parse_period("2026-Q2", TORONTO, TODAY)
    assert parse_period("2026", TORONTO, TODAY).previous() == parse_period("2025", TORONTO, TODAY)


def test_previous_of_a_date_range_is_as_many_days_just_before():
    period = period_from_dates(date(2026, 10, 1), date(2026, 10, 31), TORONTO)
    previous = period.previous()
    assert (previous.first_day, previous.last_day) == (date(2026, 8, 31), date(2026, 9, 30))
    assert previous.end == period.start
    assert previous.kind == "range"


# --- contains ---------------------------------------------------------------------------


def test_contains_start_inclusive_end_exclusive():
    period = parse_period("2026-10", TORONTO, TODAY)
    assert period.contains(datetime(2026, 10, 1, tzinfo=TORONTO))
    assert period.contains(datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=TORONTO))
    assert not period.contains(datetime(2026, 11, 1, tzinfo=TORONTO))
    assert not period.contains(datetime(2026, 9, 30, 23, 59, tzinfo=TORONTO))


def test_contains_any_time_zone():
    period = parse_period("2026-10", TORONTO, TODAY)
    assert not period.contains(datetime(2026, 10, 1, 3, 59, tzinfo=UTC))  # 23:59 on Sep 30 in Toronto
    assert period.contains(datetime(2026, 10, 1, 4, 0, tzinfo=UTC))
    assert period.contains(datetime(2026, 11, 1, 3, 59, tzinfo=UTC))
    assert not period.contains(datetime(2026, 11, 1, 4, 0, tzinfo=UTC))


def test_contains_the_repeated_hour():
    period = period_from_dates(date(2026, 11, 1), date(2026, 11, 1), TORONTO)
    assert period.contains(datetime(2026, 11, 1, 1, 30, tzinfo=TORONTO, fold=1))
    assert period.contains(datetime(2026, 11, 1, 23, 59, tzinfo=TORONTO))


def test_contains_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="time zone"):
        parse_period("2026-10", TORONTO, TODAY).contains(datetime(2026, 10, 5))


def test_period_is_frozen_with_five_fields():
    period = parse_period("2026-10", TORONTO, TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.label = "x"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(period)] == ["start", "end", "label", "tz_name", "kind"]
    assert str(period) == "October 2026"


def test_utc_policy():
    period = parse_period("2026-10", ZoneInfo("UTC"), TODAY)
    assert bounds(period) == ("2026-10-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00")
    assert period.tz_name == "UTC"


# --- midnights that do not exist, and local_instant ------------------------------------


def test_a_day_whose_midnight_never_happens_starts_when_the_clocks_jump():
    day = period_from_dates(date(2026, 9, 6), date(2026, 9, 6), SANTIAGO)
    assert bounds(day) == ("2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00")
    before = period_from_dates(date(2026, 9, 5), date(2026, 9, 5), SANTIAGO)
    assert before.end.astimezone(UTC) == day.start.astimezone(UTC)  # consecutive days tile
    assert before.end.astimezone(UTC) - before.start.astimezone(UTC) == timedelta(hours=24)
    assert day.end.astimezone(UTC) - day.start.astimezone(UTC) == timedelta(hours=23)


def test_local_instant():
    assert local_instant(date(2026, 10, 5), time(9), TORONTO) == datetime(2026, 10, 5, 13, tzinfo=UTC)
    assert local_instant(date(2026, 10, 5), None, TORONTO) == datetime(2026, 10, 6, 4, tzinfo=UTC)
    # repeated reading: the first one (EDT)
    assert local_instant(date(2026, 11, 1), time(1, 30), TORONTO) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # readings that never happen: the moment of the jump, 02:00 EST = 07:00 UTC
    jump = datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert local_instant(date(2026, 3, 8), time(2, 0), TORONTO) == jump
    assert local_instant(date(2026, 3, 8), time(2, 30), TORONTO) == jump
    assert local_instant(date(2026, 3, 8), time(2, 59, 59, 999999), TORONTO) == jump
    assert local_instant(date(2026, 3, 8), time(3, 0), TORONTO) == jump
    assert local_instant(date(2026, 3, 8), time(1, 59), TORONTO) == jump - timedelta(minutes=1)
    assert local_instant(date(2026, 9, 6), time(0), SANTIAGO) == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert local_instant(date(2026, 10, 5), time(9), UTC) == datetime(2026, 10, 5, 9, tzinfo=UTC)


def test_local_instant_never_goes_backwards():
    day = date(2026, 3, 8)
    previous = None
    for minute in range(0, 24 * 60, 5):
        instant = local_instant(day, time(minute // 60, minute % 60), TORONTO)
        assert previous is None or instant >= previous
        previous = instant


def test_period_built_directly_defaults_to_a_date_range():
    period = Period(
        start=datetime(2026, 10, 1, tzinfo=TORONTO),
        end=datetime(2026, 10, 8, tzinfo=TORONTO),
        label="first week",
        tz_name="America/Toronto",
    )
    assert period.kind == "range"
    assert (period.previous().first_day, period.previous().last_day) == (date(2026, 9, 24), date(2026, 9, 30))
    with pytest.raises(ValueError, match="end after it starts"):
        Period(period.end, period.start, "backwards", "America/Toronto")
    with pytest.raises(ValueError, match="time zone"):
        Period(datetime(2026, 10, 1), datetime(2026, 10, 8), "naive", "America/Toronto")


def test_the_audit_window_is_in_utc_and_reaches_as_far_as_local_days_do():
    # Readers compare every event's UTC time with the window: bounds in another zone made each
    # comparison convert both sides (1 µs instead of 0.02), seconds at a million events.
    toronto = ZoneInfo("America/Toronto")
    period = parse_period("2026-10", toronto, date(2026, 11, 20))
    start, end = audit_window(period)
    assert start.tzinfo is timezone.utc and end.tzinfo is timezone.utc
    # seven local days before September, and thirty after October, across the November clock change
    assert start == datetime(2026, 8, 25, tzinfo=toronto)
    assert end == datetime(2026, 12, 1, tzinfo=toronto) == datetime(2026, 12, 1, 5, tzinfo=timezone.utc)
