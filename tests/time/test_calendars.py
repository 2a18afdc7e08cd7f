"""Business-hours clocks: open time between two instants, and the deadline for an SLA.

Dates used (America/Toronto, 2026): Thanksgiving is Monday 2026-10-12; daylight
saving ends Sunday 2026-11-01 at 02:00 EDT (clocks go back to 01:00 EST) and
starts Sunday 2026-03-08 at 02:00 EST (clocks jump to 03:00 EDT).
"""

import time as _time
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.time.calendars import (
    WEEKDAYS,
    BusinessClock,
    WallClock,
    check_holiday_region,
    parse_hours,
)

TORONTO = ZoneInfo("America/Toronto")
UTC = timezone.utc
H = timedelta(hours=1)
M = timedelta(minutes=1)
MON_FRI = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


def toronto(*args, fold=0):
    return datetime(*args, tzinfo=TORONTO, fold=fold)


def office(hours="09:00-17:00", country=None, subdivision=None, closed=(), weekdays=MON_FRI, tz=TORONTO):
    return BusinessClock(
        tz=tz,
        weekdays=frozenset(weekdays),
        hours=parse_hours(hours),
        holiday_country=country,
        holiday_subdivision=subdivision,
        closed=frozenset(closed),
    )


def always(tz=TORONTO):
    return office("00:00-24:00", weekdays=EVERY_DAY, tz=tz)


def same_instant(a, b):
    """Aware datetimes with the *same* tzinfo compare by wall time, ignoring fold; compare in UTC."""
    return a.astimezone(UTC) == b.astimezone(UTC)


# --- parse_hours ------------------------------------------------------------------------


def test_weekdays_are_monday_first():
    assert WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:00", ((time(9), time(17)),)),
        ("9:00-17:30", ((time(9), time(17, 30)),)),
        (" 09:00 - 12:00 , 13:00-17:00 ", ((time(9), time(12)), (time(13), time(17)))),
        ("13:00-17:00, 09:00-12:00", ((time(9), time(12)), (time(13), time(17)))),  # sorted
        ("09:00-12:00, 12:00-17:00", ((time(9), time(12)), (time(12), time(17)))),  # touching is fine
        ("00:00-24:00", ((time(0), None),)),
        ("22:00-24:00", ((time(22), None),)),
    ],
)
def test_parse_hours(text, expected):
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "hours are empty; expected ranges like 09:00-17:00 or 09:00-12:00, 13:00-17:00"),
        ("9-5", "bad hours range '9-5'; expected ranges like 09:00-17:00 or 09:00-12:00, 13:00-17:00"),
        ("9am-5pm", "bad hours range '9am-5pm'; expected ranges like 09:00-17:00 or 09:00-12:00, 13:00-17:00"),
        ("09:00-17:00,", "bad hours range ''; expected ranges like 09:00-17:00 or 09:00-12:00, 13:00-17:00"),
        ("09:00-25:00", "bad time '25:00' in hours range '09:00-25:00'; times go from 00:00 to 24:00"),
        ("09:60-17:00", "bad time '09:60' in hours range '09:60-17:00'; times go from 00:00 to 24:00"),
        ("24:00-24:00", "hours range '24:00-24:00' starts at 24:00; a range must start before midnight"),
        ("09:00-24:30", "bad time '24:30' in hours range '09:00-24:30'; times go from 00:00 to 24:00"),
        (
            "17:00-09:00",
            "hours range '17:00-09:00' ends before it starts; "
            "a range cannot cross midnight: split it, e.g. '00:00-06:00, 22:00-24:00'",
        ),
        (
            "09:00-09:00",
            "hours range '09:00-09:00' ends before it starts; "
            "a range cannot cross midnight: split it, e.g. '00:00-06:00, 22:00-24:00'",
        ),
        ("09:00-13:00, 12:00-17:00", "hours ranges '09:00-13:00' and '12:00-17:00' overlap"),
        ("12:00-24:00, 13:00-14:00", "hours ranges '12:00-24:00' and '13:00-14:00' overlap"),
    ],
)
def test_parse_hours_rejects(text, message):
    with pytest.raises(ValueError) as info:
        parse_hours(text)
    assert str(info.value) == message


def test_business_clock_validates_hours_given_directly():
    with pytest.raises(ValueError, match="overlap"):
        BusinessClock(TORONTO, MON_FRI, ((time(9), time(13)), (time(12), time(17))), None, None, frozenset())
    with pytest.raises(ValueError, match="ends before it starts"):
        BusinessClock(TORONTO, MON_FRI, ((time(17), time(9)),), None, None, frozenset())
    with pytest.raises(ValueError, match="weekday"):
        BusinessClock(TORONTO, frozenset({7}), parse_hours("09:00-17:00"), None, None, frozenset())


# --- check_holiday_region ---------------------------------------------------------------


def test_check_holiday_region_accepts_and_normalises():
    assert check_holiday_region("CA", "ON") == ("CA", "ON")
    assert check_holiday_region("CA", None) == ("CA", None)
    assert check_holiday_region("ca", "on") == ("CA", "ON")  # the holidays package itself is case-sensitive
    assert check_holiday_region("CAN", "Ontario") == ("CA", "ON")  # alpha-3 codes and names are aliases


def test_check_holiday_region_unknown_country():
    with pytest.raises(ValueError) as info:
        check_holiday_region("XX", None)
    assert str(info.value) == "unknown holiday country 'XX'; expected an ISO 3166 country code such as CA, US, GB or DE"


def test_check_holiday_region_rejects_module_attributes_as_countries():
    # holidays.country_holidays() looks the code up with getattr() on the module,
    # so "HolidayBase" would "work" there; it must not here
    with pytest.raises(ValueError, match="unknown holiday country 'HolidayBase'"):
        check_holiday_region("HolidayBase", None)


def test_check_holiday_region_unknown_subdivision():
    with pytest.raises(ValueError) as info:
        check_holiday_region("CA", "ZZ")
    assert str(info.value) == (
        "unknown subdivision 'ZZ' for CA; known: AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT"
    )


def test_check_holiday_region_long_lists_are_capped():
    with pytest.raises(ValueError) as info:
        check_holiday_region("US", "ZZ")
    message = str(info.value)
    assert message.startswith("unknown subdivision 'ZZ' for US; known: AK, AL, AR, AS, AZ, CA,")
    assert message.endswith("(and 37 more)")


def test_check_holiday_region_country_without_subdivisions():
    with pytest.raises(ValueError) as info:
        check_holiday_region("IS", "X")
    assert str(info.value) == "unknown subdivision 'X' for IS; IS has no subdivisions"


def test_check_holiday_region_subdivision_needs_a_country():
    with pytest.raises(ValueError) as info:
        check_holiday_region(None, "ON")
    assert str(info.value) == "holiday subdivision 'ON' given without a country"


def test_business_clock_checks_its_holiday_region():
    with pytest.raises(ValueError, match="unknown subdivision 'ZZ' for CA"):
        office(country="CA", subdivision="ZZ")


# --- WallClock --------------------------------------------------------------------------


def test_wall_clock_open_between():
    clock = WallClock()
    assert clock.open_between(toronto(2026, 10, 5, 9), toronto(2026, 10, 5, 13, 30)) == timedelta(hours=4, minutes=30)
    assert clock.open_between(toronto(2026, 10, 5, 9), toronto(2026, 10, 5, 9)) == timedelta(0)
    assert clock.open_between(toronto(2026, 10, 5, 9), toronto(2026, 10, 5, 8)) == timedelta(0)


def test_wall_clock_counts_real_time_across_the_autumn_change():
    # Python subtracts two datetimes with the same tzinfo by wall time (3h here); the night had 4h
    clock = WallClock()
    assert clock.open_between(toronto(2026, 11, 1, 0), toronto(2026, 11, 1, 3)) == 4 * H
    assert clock.open_between(toronto(2026, 11, 1, 1, 30), toronto(2026, 11, 1, 1, 30, fold=1)) == 1 * H


def test_wall_clock_deadline_is_real_time():
    clock = WallClock()
    due = clock.deadline(toronto(2026, 10, 31, 12), timedelta(hours=24))
    assert due.isoformat() == "2026-11-01T11:00:00-05:00"
    assert clock.deadline(toronto(2026, 10, 5, 9), timedelta(0)) == toronto(2026, 10, 5, 9)


def test_wall_clock_deadline_beyond_ten_years_is_none():
    clock = WallClock()
    assert clock.deadline(toronto(2026, 10, 5, 9), timedelta(weeks=999999)) is None
    assert clock.deadline(toronto(2026, 10, 5, 9), timedelta(days=3653)) is not None


# --- office hours: inside, outside, weekends --------------------------------------------


def test_start_inside_hours():
    clock = office()
    assert clock.deadline(toronto(2026, 10, 6, 10), 2 * H) == toronto(2026, 10, 6, 12)
    assert clock.open_between(toronto(2026, 10, 6, 10), toronto(2026, 10, 6, 12)) == 2 * H


def test_start_before_opening_waits_for_it():
    clock = office()
    assert clock.deadline(toronto(2026, 10, 6, 7), 2 * H) == toronto(2026, 10, 6, 11)
    assert clock.open_between(toronto(2026, 10, 6, 7), toronto(2026, 10, 6, 11)) == 2 * H


def test_start_after_closing_continues_next_morning():
    clock = office()
    assert clock.deadline(toronto(2026, 10, 6, 18), 2 * H) == toronto(2026, 10, 7, 11)
    assert clock.open_between(toronto(2026, 10, 6, 18), toronto(2026, 10, 7, 8)) == timedelta(0)


def test_friday_afternoon_plus_four_business_hours_is_monday_noon():
    clock = office()
    friday = toronto(2026, 10, 16, 16)
    assert clock.deadline(friday, 4 * H) == toronto(2026, 10, 19, 12)
    assert clock.open_between(friday, toronto(2026, 10, 19, 12)) == 4 * H


def test_saturday_start_counts_from_monday_opening():
    clock = office()
    assert clock.deadline(toronto(2026, 10, 17, 10), 1 * H) == toronto(2026, 10, 19, 10)


def test_deadline_at_closing_time_is_that_evening_not_next_morning():
    # "within the limit, the limit itself included": the earliest instant wins
    clock = office()
    assert clock.deadline(toronto(2026, 10, 6, 16), 1 * H) == toronto(2026, 10, 6, 17)
    assert clock.deadline(toronto(2026, 10, 6, 9), 8 * H) == toronto(2026, 10, 6, 17)
    assert clock.deadline(toronto(2026, 10, 6, 9), 8 * H + timedelta(microseconds=1)) == toronto(
        2026, 10, 7, 9, 0, 0, 1
    )


def test_lunch_break_is_not_counted():
    clock = office("09:00-12:00, 13:00-17:00")
    assert clock.deadline(toronto(2026, 10, 6, 11), 2 * H) == toronto(2026, 10, 6, 14)
    assert clock.open_between(toronto(2026, 10, 6, 11), toronto(2026, 10, 6, 14)) == 2 * H
    assert clock.open_between(toronto(2026, 10, 5, 0), toronto(2026, 10, 10, 0)) == 5 * 7 * H


def test_zero_length_and_reversed_intervals():
    clock = office()
    t = toronto(2026, 10, 6, 10)
    assert clock.open_between(t, t) == timedelta(0)
    assert clock.open_between(t, t - H) == timedelta(0)
    assert clock.open_between(toronto(2026, 10, 7, 12), toronto(2026, 10, 6, 12)) == timedelta(0)
    assert clock.deadline(t, timedelta(0)) == t
    # zero within outside hours: the earliest instant with zero open time is the start itself
    assert clock.deadline(toronto(2026, 10, 6, 20), timedelta(0)) == toronto(2026, 10, 6, 20)


def test_negative_within_is_an_error():
    with pytest.raises(ValueError):
        office().deadline(toronto(2026, 10, 6, 10), -H)


def test_inputs_in_any_time_zone():
    clock = office()
    start_utc = datetime(2026, 10, 16, 20, tzinfo=UTC)  # Friday 16:00 EDT
    due = clock.deadline(start_utc, 4 * H)
    assert due == datetime(2026, 10, 19, 16, tzinfo=UTC)  # Monday 12:00 EDT
    assert due.tzinfo is UTC  # the deadline comes back in the start's time zone
    tokyo = ZoneInfo("Asia/Tokyo")
    assert clock.open_between(start_utc.astimezone(tokyo), due.astimezone(tokyo)) == 4 * H


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        office().open_between(datetime(2026, 10, 6, 10), toronto(2026, 10, 6, 12))
    with pytest.raises(ValueError, match="time zone"):
        WallClock().deadline(datetime(2026, 10, 6, 10), H)


# --- holidays and closed days -----------------------------------------------------------


def test_thanksgiving_in_ontario_is_closed():
    clock = office(country="CA", subdivision="ON")
    friday = toronto(2026, 10, 9, 16)
    assert clock.deadline(friday, 4 * H) == toronto(2026, 10, 13, 12)  # Tuesday: Monday is Thanksgiving
    assert clock.open_between(toronto(2026, 10, 12, 0), toronto(2026, 10, 13, 0)) == timedelta(0)
    # without holidays the same Friday lands on Monday
    assert office().deadline(friday, 4 * H) == toronto(2026, 10, 12, 12)


def test_closed_dates():
    clock = office(closed=[date(2026, 12, 24)])
    assert clock.deadline(toronto(2026, 12, 23, 16), 4 * H) == toronto(2026, 12, 25, 12)
    assert clock.open_between(toronto(2026, 12, 24, 0), toronto(2026, 12, 25, 0)) == timedelta(0)


def test_closed_dates_may_be_given_as_datetimes_or_text():
    # a datetime never equals a date: without normalising, this would close nothing
    assert office(closed=[datetime(2026, 12, 24, 0, 0)]).closed == frozenset({date(2026, 12, 24)})
    assert office(closed=["2026-12-24"]).closed == frozenset({date(2026, 12, 24)})


def test_closed_dates_holidays_and_observed_holidays_together():
    # Dec 24 closed, Dec 25 Christmas (Fri), weekend, Dec 28 Boxing Day observed (Mon; Dec 26 is a Saturday)
    clock = office(country="CA", subdivision="ON", closed=[date(2026, 12, 24)])
    assert clock.deadline(toronto(2026, 12, 23, 16), 4 * H) == toronto(2026, 12, 29, 12)


def test_holidays_are_looked_up_per_year():
    clock = office(country="CA", subdivision="ON")
    # New Year's Day 2027 is a Friday; Thursday 2026-12-31 is open
    assert clock.deadline(toronto(2026, 12, 31, 16), 4 * H) == toronto(2027, 1, 4, 12)


# --- daylight saving time ---------------------------------------------------------------


def test_the_night_of_the_autumn_change_has_25_hours_on_a_24_7_clock():
    clock = always()
    assert clock.open_between(toronto(2026, 11, 1, 0), toronto(2026, 11, 2, 0)) == 25 * H
    assert clock.open_between(toronto(2026, 10, 31, 22), toronto(2026, 11, 1, 22)) == 25 * H
    assert clock.open_between(toronto(2026, 11, 1, 1, 30), toronto(2026, 11, 1, 1, 30, fold=1)) == H


def test_the_spring_change_day_has_23_hours_on_a_24_7_clock():
    clock = always()
    assert clock.open_between(toronto(2026, 3, 8, 0), toronto(2026, 3, 9, 0)) == 23 * H


def test_24_7_deadline_across_the_autumn_change():
    clock = always()
    due = clock.deadline(toronto(2026, 11, 1, 0), 2 * H)
    assert due.isoformat() == "2026-11-01T01:00:00-05:00"  # the second 01:00
    assert due.fold == 1
    assert clock.deadline(toronto(2026, 10, 31, 12), 24 * H).isoformat() == "2026-11-01T11:00:00-05:00"


def test_office_hours_after_the_autumn_change_are_in_standard_time():
    clock = office()
    friday = toronto(2026, 10, 30, 16)  # EDT
    due = clock.deadline(friday, 4 * H)
    assert due.isoformat() == "2026-11-02T12:00:00-05:00"  # Monday noon, EST
    # 68 hours by the wall clock, 69 in real time (the extra hour of Sunday night)
    assert due.astimezone(UTC) - friday.astimezone(UTC) == timedelta(hours=69)


def test_open_interval_spanning_the_autumn_change_counts_real_time():
    clock = office("00:00-03:00", weekdays=EVERY_DAY)
    assert clock.open_between(toronto(2026, 11, 1, 0), toronto(2026, 11, 2, 0)) == 4 * H
    assert clock.deadline(toronto(2026, 11, 1, 0), 4 * H).isoformat() == "2026-11-01T03:00:00-05:00"


def test_open_interval_spanning_the_spring_change_counts_real_time():
    clock = office("01:00-04:00", weekdays=EVERY_DAY)
    assert clock.open_between(toronto(2026, 3, 8, 0), toronto(2026, 3, 9, 0)) == 2 * H


def test_local_times_that_never_happen_are_read_as_the_moment_the_clocks_jumped():
    # 02:00-03:00 does not exist on 2026-03-08; a range ending at 02:30 ends at the jump,
    # one inside the gap is empty, and nothing is ever counted twice or negative
    assert office("01:00-02:30", weekdays=EVERY_DAY).open_between(
        toronto(2026, 3, 8, 0), toronto(2026, 3, 9, 0)
    ) == H
    assert office("02:15-02:45", weekdays=EVERY_DAY).open_between(
        toronto(2026, 3, 8, 0), toronto(2026, 3, 9, 0)
    ) == timedelta(0)
    assert office("02:45-03:30", weekdays=EVERY_DAY).open_between(
        toronto(2026, 3, 8, 0), toronto(2026, 3, 9, 0)
    ) == 30 * M
    assert office("02:15-02:45", weekdays=EVERY_DAY).deadline(toronto(2026, 3, 8, 0), 30 * M) == toronto(
        2026, 3, 9, 2, 45
    )


def test_midnight_that_never_happens():
    # America/Santiago moved clocks from 24:00 to 01:00 on 2026-09-06 (a Sunday);
    # the 24/7 day boundaries must still tile time exactly
    santiago = ZoneInfo("America/Santiago")
    clock = always(santiago)
    day = datetime(2026, 9, 5, 12, tzinfo=santiago)
    assert clock.open_between(day, day + timedelta(days=3)) == timedelta(days=3) - H
    assert clock.open_between(datetime(2026, 9, 6, 1, tzinfo=santiago), datetime(2026, 9, 7, tzinfo=santiago)) == 23 * H


# --- limits and speed -------------------------------------------------------------------


def test_a_calendar_that_never_opens_has_no_deadline():
    never = office(weekdays=())
    assert never.deadline(toronto(2026, 10, 6, 10), H) is None
    assert never.open_between(toronto(2026, 10, 6, 10), toronto(2026, 11, 6, 10)) == timedelta(0)


def test_deadline_gives_up_after_ten_years():
    # open on Mondays only, but every Monday for eleven years is closed: a bounded walk, then None
    start = date(2026, 10, 5)
    mondays = [start + timedelta(weeks=n) for n in range(11 * 53)]
    clock = office(weekdays={0}, closed=mondays)
    t0 = _time.perf_counter()
    assert clock.deadline(toronto(2026, 10, 5, 10), H) is None
    assert _time.perf_counter() - t0 < 2.0


def test_deadline_of_ten_years_of_office_hours_is_none():
    assert office().deadline(toronto(2026, 10, 5, 10), timedelta(days=3653)) is None


def test_many_calls_are_fast():
    clock = office(country="CA", subdivision="ON")
    start = toronto(2026, 10, 1, 8)
    t0 = _time.perf_counter()
    for i in range(20_000):
        a = start + timedelta(minutes=37 * i % 40000)
        clock.open_between(a, a + timedelta(hours=50))
        clock.deadline(a, 4 * H)
    assert _time.perf_counter() - t0 < 5.0  # a per-minute loop would take minutes


# --- properties -------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.sampled_from([TORONTO, UTC])
)
withins = st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(hours=200))
OFFICE = office("09:00-12:00, 13:00-17:00", country="CA", subdivision="ON", closed=[date(2026, 12, 24)])


@settings(max_examples=300, database=None, deadline=None)
@given(starts, withins)
def test_open_time_until_the_deadline_is_the_limit(start, within):
    due = OFFICE.deadline(start, within)
    assert OFFICE.open_between(start, due) == within
    # ... and it is the earliest such instant
    assert OFFICE.open_between(start, due - timedelta(microseconds=1)) < within


@settings(max_examples=200, database=None, deadline=None)
@given(starts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), st.floats(0, 1))
def test_open_time_adds_up(start, span, split):
    # arithmetic in UTC: adding to a zoned datetime moves the wall clock, not real time
    end = (start.astimezone(UTC) + span).astimezone(start.tzinfo)
    middle = (start.astimezone(UTC) + span * split).astimezone(start.tzinfo)
    assert OFFICE.open_between(start, middle) + OFFICE.open_between(middle, end) == OFFICE.open_between(start, end)


@settings(max_examples=200, database=None, deadline=None)
@given(starts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_a_24_7_calendar_is_the_wall_clock(start, span):
    end = (start.astimezone(UTC) + span).astimezone(start.tzinfo)
    assert always().open_between(start, end) == WallClock().open_between(start, end) == span


# around the daylight-saving changes, with ranges that start, end or lie inside the
# spring gap (02:00-03:00) and the autumn repeat (01:00-02:00)
ODD = office("00:00-01:30, 01:45-02:15, 02:30-02:45, 03:00-09:00, 22:00-24:00", weekdays=EVERY_DAY)
CHANGES = [datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)]
near_changes = st.builds(
    lambda change, offset, tz: (change + offset).astimezone(tz),
    st.sampled_from(CHANGES),
    st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=2)),
    st.sampled_from([TORONTO, UTC]),
)


@settings(max_examples=300, database=None, deadline=None)
@given(near_changes, st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(hours=30)))
def test_deadline_property_around_daylight_saving_changes(start, within):
    for clock in (ODD, always()):
        due = clock.deadline(start, within)
        assert clock.open_between(start, due) == within
        assert clock.open_between(start, due - timedelta(microseconds=1)) < within


@settings(max_examples=200, database=None, deadline=None)
@given(near_changes, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)), st.floats(0, 1))
def test_open_time_adds_up_around_daylight_saving_changes(start, span, split):
    end = (start.astimezone(UTC) + span).astimezone(start.tzinfo)
    middle = (start.astimezone(UTC) + span * split).astimezone(start.tzinfo)
    assert ODD.open_between(start, middle) + ODD.open_between(middle, end) == ODD.open_between(start, end)
    assert ODD.open_between(start, end) <= span


def test_odd_hours_on_the_change_days():
    day = timedelta(days=1)
    # spring: 00:00-01:30 (1.5h), 01:45-02:15 (15m, up to the jump), 02:30-02:45 (never), 03:00-09:00 (6h), 22-24 (2h)
    assert ODD.open_between(toronto(2026, 3, 8), toronto(2026, 3, 8) + day) == timedelta(hours=9, minutes=45)
    # autumn: 00:00-01:30 first pass (1.5h), 01:45 first pass to 02:15 EST (1.5h), 02:30-02:45, 03:00-09:00, 22-24
    assert ODD.open_between(toronto(2026, 11, 1), toronto(2026, 11, 1) + day) == timedelta(hours=11, minutes=15)
    assert ODD.open_between(toronto(2026, 10, 1), toronto(2026, 10, 1) + day) == timedelta(hours=10, minutes=15)
