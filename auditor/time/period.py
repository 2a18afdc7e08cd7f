"""The audit period (`--period 2026-10`, `--from/--to`), bounded by local midnights.

A period runs from local midnight of its first day to local midnight after its
last day, in the policy's time zone (end exclusive). So `2026-11` in
America/Toronto is 2026-11-01T00:00-04:00 to 2026-12-01T00:00-05:00: 721 real
hours, because the clocks go back on November 1st.

This module also holds :func:`local_instant`, the one place where a local
date and wall-clock time become an instant; business-hours calendars use it
too, so period boundaries and open hours resolve daylight-saving changes the
same way. It imports nothing from the package outside `auditor/time/` on purpose.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from auditor.time.instants import parse_day

__all__ = ["Period", "local_instant", "parse_period", "period_from_dates"]

_ONE_DAY = timedelta(days=1)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()

_FORMS = (
    "expected 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year), "
    "last-month, this-month, last-quarter, this-quarter, last-year, this-year, "
    "or --from/--to dates"
)


def local_instant(day: date, at: time | None, tz: tzinfo) -> datetime:
    """The instant (in UTC) at which clocks in `tz` show `day` at `at`; `None` means 24:00.

    Daylight saving makes some wall-clock readings ambiguous and others impossible:

    * a reading shown twice (the autumn overlap, e.g. 01:30 in Toronto on
      2026-11-01) is its *first* occurrence (fold=0);
    * a reading never shown (the spring gap, e.g. 02:30 on 2026-03-08, or
      midnight itself where clocks jump at 00:00) is the moment the clocks
      jumped. zoneinfo alone would read it with the old offset, which lands
      *after* later readings (02:45 would come after 03:30) and can turn an
      open range like 02:45-03:30 inside out.

    With both rules the mapping from wall time to instant never goes backwards,
    and 24:00 of one day is exactly 00:00 of the next, so consecutive days tile.
    """
    if at is None:
        day, at = day + _ONE_DAY, time(0)
    wall = datetime.combine(day, at, tzinfo=tz)  # fold=0
    instant = wall.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    # In a gap fold=0 uses the offset from before the jump and fold=1 the one
    # after, so the jump lies between the two readings. Transitions fall on
    # whole seconds: bisect on seconds (a gap of a day takes 17 steps).
    before = math.floor(wall.replace(fold=1).astimezone(timezone.utc).timestamp())
    after = math.ceil(instant.timestamp())
    old_offset = datetime.fromtimestamp(before, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == old_offset:
            before = middle
        else:
            after = middle
    return datetime.fromtimestamp(after, timezone.utc)


def _zone(tz: tzinfo) -> tuple[ZoneInfo, str]:
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    if tz is timezone.utc:
        tz = ZoneInfo("UTC")
    if not isinstance(tz, ZoneInfo):
        raise ValueError(f"a period needs an IANA time zone such as America/Toronto, got {tz!r}")
    return tz, tz.key


@dataclass(frozen=True)
class Period:
    """A span of whole local days: `start` <= instant < `end`, both aware, in the policy's zone.

    `kind` (month, quarter, year or range) is what :meth:`previous` steps back by.
    """

    start: datetime
    end: datetime
    label: str
    tz_name: str
    kind: str = "range"

    def __post_init__(self) -> None:
        if self.start.utcoffset() is None or self.end.utcoffset() is None:
            raise ValueError("a period's start and end need a time zone")
        # the bounds in UTC, for comparisons: two datetimes with the same ZoneInfo
        # compare by wall time and ignore fold, which is wrong in the autumn overlap.
        # (Plain attributes, not fields, so asdict() and == see only the five fields.)
        object.__setattr__(self, "_start_utc", self.start.astimezone(timezone.utc))
        object.__setattr__(self, "_end_utc", self.end.astimezone(timezone.utc))
        if self._end_utc <= self._start_utc:
            raise ValueError("a period must end after it starts")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def first_day(self) -> date:
        """The first local day in the period."""
        return self.start.astimezone(self.tz).date()

    @property
    def last_day(self) -> date:
        """The last local day in the period (inclusive)."""
        return self.end.astimezone(self.tz).date() - _ONE_DAY

    def contains(self, dt: datetime) -> bool:
        """Whether the aware instant `dt` (any time zone) lies in [start, end)."""
        if dt.tzinfo is timezone.utc:  # every event's time: compared as it is, without a conversion
            return self._start_utc <= dt < self._end_utc
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"cannot place a datetime without a time zone in a period: {dt.isoformat()}")
        return self._start_utc <= dt.astimezone(timezone.utc) < self._end_utc

    def previous(self) -> Period:
        """The period of the same kind just before: the previous month, quarter or year;
        for a date range, the same number of days ending the day before it starts.

        ValueError when that period would begin before year 1 (`parse_period` and
        `period_from_dates` refuse such periods, so theirs always have one)."""
        first = self.first_day
        if self.kind == "month":
            year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
            return _month(year, month, self.tz)
        if self.kind == "quarter":
            quarter = (first.month - 1) // 3 + 1
            year, quarter = (first.year, quarter - 1) if quarter > 1 else (first.year - 1, 4)
            return _quarter(year, quarter, self.tz)
        if self.kind == "year":
            return _year(first.year - 1, self.tz)
        days = (self.last_day - first).days + 1
        try:
            start = first - timedelta(days=days)
        except OverflowError:
            # a range reaching back before year 1 (found by tests/fuzz): a ValueError like the other kinds
            raise ValueError(f"bad dates: the {days} days before {first.isoformat()} start before year 1") from None
        return _days(start, first - _ONE_DAY, self.tz)

    def __str__(self) -> str:
        return self.label


def _span(first: date, last: date, tz: ZoneInfo, label: str, kind: str) -> Period:
    try:
        start = local_instant(first, time(0), tz).astimezone(tz)
        end = local_instant(last, None, tz).astimezone(tz)
    except OverflowError:
        raise ValueError(f"period {label} is outside the supported years") from None
    return Period(start=start, end=end, label=label, tz_name=tz.key, kind=kind)


def _check_year(year: int, text: str) -> None:
    # the end of a period is the day after it, so the last year datetime can hold is out
    if not 1 <= year <= 9998:
        raise ValueError(f"bad period '{text}' (year out of range): {_FORMS}")


def _month(year: int, month: int, tz: ZoneInfo) -> Period:
    _check_year(year, f"{year:04d}-{month:02d}")
    first = date(year, month, 1)
    last = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - _ONE_DAY
    return _span(first, last, tz, f"{_MONTHS[month - 1]} {year}", "month")


def _quarter(year: int, quarter: int, tz: ZoneInfo) -> Period:
    _check_year(year, f"{year:04d}-Q{quarter}")
    first = date(year, 3 * quarter - 2, 1)
    last = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - _ONE_DAY
    return _span(first, last, tz, f"Q{quarter} {year}", "quarter")


def _year(year: int, tz: ZoneInfo) -> Period:
    _check_year(year, f"{year:04d}")
    return _span(date(year, 1, 1), date(year, 12, 31), tz, f"{year}", "year")


def _days(first: date, last: date, tz: ZoneInfo) -> Period:
    label = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    if last.year > 9998:
        raise ValueError(f"bad dates {label} (year out of range): expected --from and --to as YYYY-MM-DD")
    return _span(first, last, tz, label, "range")


_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_QUARTER_RE = re.compile(r"([0-9]{4})-[qQ]([0-9])")
_YEAR_RE = re.compile(r"([0-9]{4})")


def parse_period(text: str, tz: ZoneInfo, today: date) -> Period:
    """Read `--period`: `2026-10`, `2026-Q3`, `2026`, or `last-month`, `this-month`,
    `last-quarter`, `this-quarter`, `last-year`, `this-year` relative to `today`
    (passed in, so the caller, and tests, own the clock)."""
    zone, _ = _zone(tz)
    if not isinstance(text, str):
        raise ValueError(f"bad period '{str(text)[:40]}': {_FORMS}")
    cleaned = text.strip()
    # echoed on one line and short: control characters escaped, cut to 40 characters
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cleaned)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    if match := _MONTH_RE.fullmatch(cleaned):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"bad period '{shown}' (no month {month}): {_FORMS}")
        return _with_previous(_month(year, month, zone))
    if match := _QUARTER_RE.fullmatch(cleaned):
        year, quarter = int(match[1]), int(match[2])
        if not 1 <= quarter <= 4:
            raise ValueError(f"bad period '{shown}' (no quarter {quarter}): {_FORMS}")
        return _with_previous(_quarter(year, quarter, zone))
    if match := _YEAR_RE.fullmatch(cleaned):
        return _with_previous(_year(int(match[1]), zone))
    quarter = (today.month - 1) // 3 + 1
    relative = {
        "this-month": lambda: _month(today.year, today.month, zone),
        "last-month": lambda: _month(today.year, today.month, zone).previous(),
        "this-quarter": lambda: _quarter(today.year, quarter, zone),
        "last-quarter": lambda: _quarter(today.year, quarter, zone).previous(),
        "this-year": lambda: _year(today.year, zone),
        "last-year": lambda: _year(today.year - 1, zone),
    }
    make = relative.get(cleaned.lower())
    if make is None:
        raise ValueError(f"bad period '{shown}': {_FORMS}")
    return _with_previous(make())


def period_from_dates(from_date: date | str, to_date: date | str, tz: ZoneInfo) -> Period:
    """The period for `--from FROM --to TO`, both days included: from local
    midnight starting FROM to local midnight after TO."""
    zone, _ = _zone(tz)
    first = parse_day(from_date, "--from", day_of_time=True)
    last = parse_day(to_date, "--to", day_of_time=True)
    if last < first:
        raise ValueError(
            f"bad dates: --to {last.isoformat()} is before --from {first.isoformat()}; "
            "expected --from and --to as YYYY-MM-DD, --to on or after --from (both days included)"
        )
    return _with_previous(_days(first, last, zone))


def _with_previous(period: Period) -> Period:
    """The period, if the one before it exists too: every audit also evaluates the previous period
    (for the trend), and `2026`-style periods of year 1, or ranges reaching back past year 1,
    crashed it with a ValueError or an OverflowError from `previous()` (found by tests/fuzz)."""
    try:
        period.previous()
    except ValueError:
        raise ValueError(f"bad period '{period.label}' (year out of range: the period before it, "
                         "for the trend, would start before year 1)") from None
    return period


# How long after its period an audit reads: answers to items inside the period may come after it.
LOOK_AHEAD = timedelta(days=30)


def audit_window(period, look_back: timedelta = timedelta(days=7), look_ahead: timedelta = LOOK_AHEAD):
    """The time window an audit of `period` reads from a store.

    From the start of the previous period (the report's trend) minus `look_back` (episodes
    whose first item came just before), to the period's end plus `look_ahead` (answers to
    items inside the period may come after it).

    In UTC: readers compare every event's time, in UTC, with both bounds, and two datetimes in
    different zones compare by converting each (fifty times slower). Converted after the
    arithmetic, so the days reached are local days across a clock change.
    """
    previous = period.previous()
    return ((previous.start - look_back).astimezone(timezone.utc), (period.end + look_ahead).astimezone(timezone.utc))
