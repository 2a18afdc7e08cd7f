"""Open time in bulk (auditor/time/open_time.py) equals the business clock's own answer, pair by pair.

Random calendars (time zones with and without daylight saving, split and touching hours,
ranges inside the spring gap, holidays of a region, closed days) and random pairs of
instants around the days that are hard: the clocks going forward and back, public
holidays, a closed day, a year's end.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.time.calendars import BusinessClock, WallClock
from auditor.time.open_time import OpenTime, open_between_many, to_micros

UTC = timezone.utc
ZONES = ("America/Toronto", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata",
         "Pacific/Apia", "UTC")
REGIONS = (None, ("CA", "ON"), ("US", None), ("GB", "ENG"), ("DE", "BY"))
# Days that are hard somewhere in ZONES or REGIONS: daylight saving changes (Toronto, London,
# Lord Howe, Santiago), Canada Day, Christmas to Boxing Day observed, New Year.
HARD_DAYS = (date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 9, 6), date(2026, 10, 4),
             date(2026, 10, 25), date(2026, 11, 1), date(2026, 7, 1), date(2026, 12, 24), date(2026, 12, 28),
             date(2027, 1, 1))


@st.composite
def hours(draw):
    """Non-overlapping open ranges of a day on a quarter-hour grid (touching allowed, 24:00 allowed)."""
    cuts = sorted(draw(st.sets(st.integers(0, 96), min_size=2, max_size=6)))
    ranges = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        ranges.append((time(start // 4, start % 4 * 15), None if end == 96 else time(end // 4, end % 4 * 15)))
    if draw(st.booleans()) and len(cuts) >= 3:  # two ranges that touch: 09:00-12:00, 12:00-17:00
        middle = cuts[1]
        ranges = [(time(cuts[0] // 4, cuts[0] % 4 * 15), time(middle // 4, middle % 4 * 15)),
                  (time(middle // 4, middle % 4 * 15), None if cuts[2] == 96 else time(cuts[2] // 4, cuts[2] % 4 * 15))]
    return tuple(r for r in ranges if r[0] != time(0) or r[1] != time(0))


@st.composite
def clocks(draw):
    region = draw(st.sampled_from(REGIONS))
    return BusinessClock(
        tz=ZoneInfo(draw(st.sampled_from(ZONES))),
        weekdays=draw(st.sets(st.integers(0, 6), min_size=0, max_size=7)),
        hours=draw(hours()),
        holiday_country=region[0] if region else None,
        holiday_subdivision=region[1] if region else None,
        closed=draw(st.sets(st.sampled_from(HARD_DAYS + (date(2026, 10, 13),)), max_size=3)),
    )


@st.composite
def instants(draw):
    day = draw(st.sampled_from(HARD_DAYS))
    seconds = draw(st.integers(-3 * 86400, 3 * 86400))
    micros = draw(st.sampled_from((0, 0, 1, 999_999, draw(st.integers(0, 999_999)))))
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=micros)
    # any time zone may be given: the answer must not depend on it
    return moment.astimezone(draw(st.sampled_from((UTC, ZoneInfo("America/Toronto"), ZoneInfo("Asia/Tokyo")))))


@st.composite
def pairs(draw):
    starts = draw(st.lists(instants(), min_size=64, max_size=90))
    ends = []
    for start in starts:
        kind = draw(st.integers(0, 3))
        if kind == 0:
            ends.append(draw(instants()))  # anywhere, also before the start
        elif kind == 1:
            ends.append(start)
        else:
            ends.append(start + timedelta(seconds=draw(st.integers(0, 10 * 86400))))
    return starts, ends


@settings(max_examples=150, deadline=None)
@given(clock=clocks(), both=pairs())
def test_open_time_in_bulk_is_the_clocks_own(clock, both):
    starts, ends = both
    assert open_between_many(clock, starts, ends) == [clock.open_between(s, e) for s, e in zip(starts, ends)]


@settings(max_examples=60, deadline=None)
@given(clock=clocks(), moments=st.lists(instants(), min_size=1, max_size=40))
def test_open_time_before_an_instant_is_the_open_time_since_the_first_day(clock, moments):
    first = min(moments, key=lambda m: m.astimezone(UTC))
    last = max(moments, key=lambda m: m.astimezone(UTC))
    table = OpenTime(clock, first, last)
    intervals = clock.intervals_between(first, last)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    micros = np.array([(m - epoch) // timedelta(microseconds=1) for m in moments], dtype=np.int64)
    found = table.open_before(micros).tolist()
    if not intervals:
        assert found == [0] * len(moments)
        return
    origin = intervals[0][0]  # the table counts from the first interval of the first local day
    assert found == [clock.open_between(origin, m) // timedelta(microseconds=1) for m in moments]


def test_a_wall_clock_and_few_pairs_are_asked_of_the_clock_itself():
    start = datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert open_between_many(WallClock(), [start], [start + timedelta(hours=3)]) == [timedelta(hours=3)]
    office = BusinessClock(ZoneInfo("America/Toronto"), range(5), ((time(9), time(17)),))
    # Friday 16:00 to Monday 10:00 in Toronto: one hour on Friday, one on Monday
    friday = datetime(2026, 10, 30, 20, tzinfo=UTC)
    assert open_between_many(office, [friday] * 64, [friday + timedelta(days=2, hours=19)] * 64) == [
        timedelta(hours=2)] * 64


def test_a_naive_time_gets_the_clocks_own_error():
    office = BusinessClock(ZoneInfo("America/Toronto"), range(5), ((time(9), time(17)),))
    aware = datetime(2026, 10, 30, 20, tzinfo=UTC)
    with pytest.raises(ValueError, match="must be a datetime with a time zone"):
        open_between_many(office, [aware] * 63 + [datetime(2026, 10, 30)], [aware] * 64)


@settings(max_examples=200, deadline=None)
@given(moments=st.lists(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
                                     timezones=st.sampled_from([UTC, *map(ZoneInfo, ZONES)])), max_size=20))
def test_to_micros_gives_each_instants_microseconds_since_1970(moments):
    # Counted the long way: the instant's UTC wall time, less 1970's, in whole microseconds.
    expected = [(m.astimezone(UTC).replace(tzinfo=None) - datetime(1970, 1, 1)) // timedelta(microseconds=1)
                for m in moments]
    assert to_micros(moments).tolist() == expected
    assert to_micros(iter(moments), len(moments)).tolist() == expected


def test_to_micros_refuses_a_naive_time():
    with pytest.raises(TypeError):
        to_micros([datetime(2026, 10, 30, 20, tzinfo=UTC), datetime(2026, 10, 30)])
