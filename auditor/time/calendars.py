"""Clocks for service-level limits: the wall clock, and business-hours calendars.

A response-time rule asks two questions of a clock, about 100,000 times per
audit, so both are answered without per-minute loops:

* `open_between(start, end)`: how much open time passed between two instants;
* `deadline(start, within)`: the earliest instant by which `within` of open
  time has passed since `start` (`None` if that is more than 10 years away).

A :class:`BusinessClock` is open during its `hours` on its `weekdays`, in its
own time zone, except on public holidays (from the `holidays` package) and on
`closed` dates. Each day's open intervals are built from local wall-clock
times with zoneinfo and kept as UTC instants, so everything after that is
plain arithmetic on real elapsed time: the night the clocks go back has 25
hours, the night they go forward 23, and an open range spanning the change
counts what really elapsed. How impossible and repeated wall-clock readings
are resolved is described in :func:`auditor.time.period.local_instant`.

All datetimes given must be aware (any time zone); results come back in the
time zone of `start`. Arithmetic is done in UTC throughout, because Python
subtracts and compares two datetimes that share a ZoneInfo by their *wall*
readings, which is wrong across a daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

from auditor.time.instants import parse_day
from auditor.time.period import local_instant

__all__ = [
    "WEEKDAYS",
    "BusinessClock",
    "Clock",
    "WallClock",
    "check_holiday_region",
    "parse_hours",
]

#: Day names in policy files; the index is `date.weekday()` (0 = Monday).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Hours = tuple[tuple[time, time | None], ...]

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
#: How far `deadline` looks: 10 years of calendar time, leap days included.
HORIZON = timedelta(days=3653)
_UTC = timezone.utc
# instants outside these years would overflow datetime once shifted by a
# time zone or by the 10-year horizon; real activity data is nowhere near them
_MIN_YEAR, _MAX_YEAR = 2, 9987
SUPPORTED_YEARS = range(_MIN_YEAR, _MAX_YEAR + 1)


class Clock(Protocol):
    """What rules need from a clock; both clocks here provide it."""

    def open_between(self, start: datetime, end: datetime) -> timedelta: ...

    def deadline(self, start: datetime, within: timedelta) -> datetime | None: ...


def _utc(dt: datetime, name: str) -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a datetime with a time zone, got {dt!r}")
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        raise ValueError(f"{name} {dt.isoformat()} is outside the supported years")
    return dt.astimezone(_UTC)


def _check_within(within: timedelta) -> None:
    if within < _ZERO:
        raise ValueError(f"a time limit cannot be negative, got {within}")


class WallClock:
    """Every moment counts (24/7). Real elapsed time, whatever the time zones."""

    def open_between(self, start: datetime, end: datetime) -> timedelta:
        """Elapsed time from `start` to `end`; zero if `end` is not after `start`."""
        elapsed = _utc(end, "end") - _utc(start, "start")
        return elapsed if elapsed > _ZERO else _ZERO

    def deadline(self, start: datetime, within: timedelta) -> datetime | None:
        """`start + within` in real time, in `start`'s time zone; None beyond the 10-year horizon
        (the same contract as :meth:`BusinessClock.deadline`, and no datetime overflow)."""
        _check_within(within)
        if within > HORIZON:
            return None
        return (_utc(start, "start") + within).astimezone(start.tzinfo)

    def __repr__(self) -> str:
        return "WallClock()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WallClock)

    def __hash__(self) -> int:
        return hash(WallClock)


class BusinessClock:
    """Open during `hours` on `weekdays` in `tz`, except public holidays and `closed` dates.

    `weekdays`: 0 = Monday .. 6 = Sunday. `hours`: open ranges of each open day,
    as :func:`parse_hours` returns them (an end of None is midnight, 24:00).
    `holiday_country` / `holiday_subdivision`: a region of the `holidays`
    package (e.g. "CA", "ON"); codes are case-insensitive, aliases allowed.
    Observed holidays count as closed too (Boxing Day 2026 falls on a Saturday
    and is observed on Monday December 28th).
    """

    def __init__(
        self,
        tz: ZoneInfo,
        weekdays: Iterable[int],
        hours: Hours,
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        closed: Iterable[date] = frozenset(),
    ) -> None:
        if isinstance(tz, str):
            tz = ZoneInfo(tz)
        if not isinstance(tz, tzinfo):
            raise ValueError(f"a calendar needs a time zone, got {tz!r}")
        self.tz = tz
        self.weekdays = frozenset(weekdays)
        bad = sorted(d for d in self.weekdays if not (isinstance(d, int) and 0 <= d <= 6))
        if bad:
            raise ValueError(f"weekdays are numbered 0 (Monday) to 6 (Sunday), got {bad}")
        self.hours: Hours = _check_ranges(tuple(hours))
        if holiday_country is None and holiday_subdivision is None:
            self.holiday_country, self.holiday_subdivision = None, None
        else:
            self.holiday_country, self.holiday_subdivision = check_holiday_region(
                holiday_country, holiday_subdivision
            )
        self.closed = frozenset(parse_day(d, "a closed day", day_of_time=True) for d in closed)
        # Nothing can ever be open: answer at once instead of walking ten years.
        self._never_open = not self.weekdays or not self.hours
        # local date -> that day's open intervals as (start, end) UTC instants
        self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        # year -> that year's public holidays, computed on first use
        self._holidays: dict[int, frozenset[date]] = {}

    def __repr__(self) -> str:
        hours = ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in self.hours)
        days = ",".join(WEEKDAYS[d] for d in sorted(self.weekdays))
        region = f", holidays={self.holiday_country}" if self.holiday_country else ""
        if self.holiday_subdivision:
            region += f"-{self.holiday_subdivision}"
        return f"BusinessClock({self.tz}, {days}, {hours}{region}, closed={len(self.closed)})"

    # -- the two questions ---------------------------------------------------------------

    def open_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from `start` to `end` (aware, any time zone); zero if `end` <= `start`."""
        lo, hi = _utc(start, "start"), _utc(end, "end")
        if hi <= lo or self._never_open:
            return _ZERO
        total = _ZERO
        # Each day's intervals lie within that local day, so only the local
        # days from the one holding `start` to the one holding `end` can count.
        day = lo.astimezone(self.tz).date()
        last = hi.astimezone(self.tz).date()
        while day <= last:
            for open_, close in self._intervals(day):
                a = open_ if open_ > lo else lo
                b = close if close < hi else hi
                if b > a:
                    total += b - a
            day += _ONE_DAY
        return total

    def deadline(self, start: datetime, within: timedelta) -> datetime | None:
        """The earliest instant at which the open time since `start` equals `within`.

        Outside open hours the count starts at the next opening. A limit that
        runs out exactly at closing time is due at closing time, not at the
        next opening. Returns None when that instant is more than 10 years
        after `start` (a calendar that is never open, or an absurd limit).
        The result is in `start`'s time zone.
        """
        _check_within(within)
        lo = _utc(start, "start")
        if within == _ZERO:
            return start
        if self._never_open:
            return None
        remaining = within
        day = lo.astimezone(self.tz).date()
        last = day + HORIZON + _ONE_DAY  # the walk is bounded whatever the calendar
        while day <= last:
            for open_, close in self._intervals(day):
                if close <= lo:
                    continue
                a = open_ if open_ > lo else lo
                available = close - a
                if available >= remaining:
                    due = a + remaining
                    return due.astimezone(start.tzinfo) if due - lo <= HORIZON else None
                remaining -= available
            day += _ONE_DAY
        return None

    def intervals_between(self, first: datetime, last: datetime) -> list[tuple[datetime, datetime]]:
        """The open intervals (UTC instants, in order) of every local day from `first`'s to `last`'s."""
        day = _utc(first, "first").astimezone(self.tz).date()
        end = _utc(last, "last").astimezone(self.tz).date()
        found: list[tuple[datetime, datetime]] = []
        while day <= end and not self._never_open:
            found += self._intervals(day)
            day += _ONE_DAY
        return found

    # -- days ----------------------------------------------------------------------------

    def _intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The open intervals of a local day, as UTC instants; computed once per day."""
        intervals = self._days.get(day)
        if intervals is None:
            if day.weekday() not in self.weekdays or day in self.closed or self._is_holiday(day):
                intervals = ()
            else:
                pairs = ((local_instant(day, s, self.tz), local_instant(day, e, self.tz)) for s, e in self.hours)
                # a range entirely inside a spring-forward gap never happens: drop it
                intervals = tuple((a, b) for a, b in pairs if b > a)
            self._days[day] = intervals
        return intervals

    def _is_holiday(self, day: date) -> bool:
        if self.holiday_country is None:
            return False
        year = self._holidays.get(day.year)
        if year is None:
            # One year at a time: the package computes holidays per year, and an
            # audit touches one or two. Observed days of year Y (e.g. New Year's
            # Day 2022 observed on 2021-12-31 in the US) come with year Y's
            # object of the date's own year, so looking up day.year is enough.
            found = holidays.country_holidays(
                self.holiday_country, subdiv=self.holiday_subdivision, years=day.year
            )
            year = frozenset(found.keys())
            self._holidays[day.year] = year
        return day in year


# -- hours ---------------------------------------------------------------------------------

_HOURS_HINT = "expected ranges like 09:00-17:00 or 09:00-12:00, 13:00-17:00"
_RANGE_RE = re.compile(r"[ \t]*([0-9]{1,2}:[0-9]{2})[ \t]*[-–][ \t]*([0-9]{1,2}:[0-9]{2})[ \t]*")


def _hhmm(t: time | None) -> str:
    return "24:00" if t is None else t.strftime("%H:%M")


def _short(text: str) -> str:
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_hours(text: str) -> Hours:
    """Read opening hours: `"09:00-17:00"`, `"09:00-12:00, 13:00-17:00"`, `"00:00-24:00"`.

    Returns the ranges sorted by start, each `(start, end)` with `end` None for
    24:00. A range cannot cross midnight (write `00:00-06:00, 22:00-24:00`);
    ranges may touch but not overlap.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"hours are empty; {_HOURS_HINT}")
    ranges = []
    for part in text.split(","):
        match = _RANGE_RE.fullmatch(part)
        if match is None:
            raise ValueError(f"bad hours range '{_short(part.strip())}'; {_HOURS_HINT}")
        label = f"{match[1]}-{match[2]}"
        start = _clock_time(match[1], label)
        end = _clock_time(match[2], label)
        if start is None:
            raise ValueError(f"hours range '{label}' starts at 24:00; a range must start before midnight")
        ranges.append((start, end))
    return _check_ranges(tuple(ranges))


def _clock_time(text: str, label: str) -> time | None:
    hour, minute = (int(n) for n in text.split(":"))
    if (hour, minute) == (24, 0):
        return None
    if hour > 23 or minute > 59:
        raise ValueError(f"bad time '{text}' in hours range '{label}'; times go from 00:00 to 24:00")
    return time(hour, minute)


def _check_ranges(ranges: tuple) -> Hours:
    """Sort ranges and check each is non-empty and none overlap (also for hours built in code)."""
    for start, end in ranges:
        if not isinstance(start, time) or not (end is None or isinstance(end, time)):
            raise ValueError(f"hours must be (time, time or None) pairs, got {(start, end)!r}")
        if end is not None and end <= start:
            raise ValueError(
                f"hours range '{_hhmm(start)}-{_hhmm(end)}' ends before it starts; "
                "a range cannot cross midnight: split it, e.g. '00:00-06:00, 22:00-24:00'"
            )
    ordered = tuple(sorted(ranges, key=lambda r: r[0]))
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:]):
        if e1 is None or s2 < e1:
            raise ValueError(f"hours ranges '{_hhmm(s1)}-{_hhmm(e1)}' and '{_hhmm(s2)}-{_hhmm(e2)}' overlap")
    return ordered


# -- holiday regions -----------------------------------------------------------------------

_LIST_CAP = 20


def check_holiday_region(country: str | None, subdivision: str | None = None) -> tuple[str, str | None]:
    """Check a `holidays` region and return it in canonical form, e.g. ("CA", "ON").

    Codes are matched case-insensitively (the package itself is case-sensitive),
    alpha-3 codes and subdivision names are accepted as the package's aliases
    ("CAN", "Ontario"). Raises ValueError with a short message otherwise;
    lists of known subdivisions are capped at 20.
    """
    if country is None or not str(country).strip():
        if subdivision is not None:
            raise ValueError(f"holiday subdivision {subdivision!r} given without a country")
        raise ValueError("holiday country is empty; expected an ISO 3166 country code such as CA, US, GB or DE")
    # Look the code up in the package's list first: country_holidays() itself
    # does getattr(holidays, code), so "HolidayBase" or "utils" would get through.
    supported = holidays.list_supported_countries()  # code (alpha-2 and alpha-3) -> subdivision codes
    by_upper = {code.upper(): code for code in supported}
    code = by_upper.get(str(country).strip().upper())
    if code is None:
        raise ValueError(
            f"unknown holiday country '{_short(str(country))}'; "
            "expected an ISO 3166 country code such as CA, US, GB or DE"
        )
    entity = getattr(holidays, code)
    canonical = entity.country  # "CAN" -> "CA"
    if subdivision is None:
        return canonical, None
    codes = list(supported[code])
    lookup = {alias.upper(): sub for alias, sub in (getattr(entity, "subdivisions_aliases", None) or {}).items()}
    lookup.update({sub.upper(): sub for sub in codes})  # codes win over names
    found = lookup.get(str(subdivision).strip().upper())
    if found is None:
        shown = _short(str(subdivision))
        if not codes:
            raise ValueError(f"unknown subdivision '{shown}' for {canonical}; {canonical} has no subdivisions")
        listed = ", ".join(codes[:_LIST_CAP])
        if len(codes) > _LIST_CAP:
            listed += f", … (and {len(codes) - _LIST_CAP} more)"
        raise ValueError(f"unknown subdivision '{shown}' for {canonical}; known: {listed}")
    return canonical, found
