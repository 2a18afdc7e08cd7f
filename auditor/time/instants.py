"""The one reader of days and instants (and writer of instants) for every input: policies, rosters,
waivers, cases, command-line options, event files, exports, archives and the APIs. One wording
for every mistake, naming what was being read:

    created_at is not an ISO 8601 time: 'yesterday'
    created_at has no UTC offset: '2026-10-05T14:02:00' (add Z or +00:00)
    expires must be a date (YYYY-MM-DD), got 'soon'

X's own times (`parse_x_time`: archives, TWCS) keep the words their readers always wrote into a
report's skipped lines ("created_at is not a time: ..."), so a report of the same export stays the
same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any


def parse_instant(value: Any, what: str = "created_at") -> datetime:
    """An ISO 8601 time with a UTC offset ("2026-10-05T14:02:00Z"), as an aware time in UTC."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} is not an ISO 8601 time: {value[:40]!r}") from None
    if moment.tzinfo is timezone.utc:
        return moment  # "Z" and "+00:00" read as UTC already
    if moment.tzinfo is None:
        raise ValueError(f"{what} has no UTC offset: {value[:40]!r} (add Z or +00:00)")
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:30+01:00 is before year 1 in UTC (found by tests/fuzz)
        raise ValueError(f"{what} is out of range in UTC: {value[:40]!r}") from None


def utc_iso(moment: datetime | None) -> str | None:
    """An instant as report.json writes it: UTC, whole seconds (cut, not rounded), `Z`."""
    if not moment:
        return None
    if moment.tzinfo is timezone.utc:
        return _utc_text(moment)
    return _utc_text.__wrapped__(moment.astimezone(timezone.utc))


# A finding writes the same instant three or four times (when it started, its wait, its evidence):
# each is worked out once. Only for UTC times: two equal datetimes of one ZoneInfo zone may be two
# instants an hour apart (the autumn overlap: == ignores fold), but two equal UTC times are one.
@lru_cache(maxsize=1024)
def _utc_text(utc: datetime) -> str:
    if utc.year < 1000:  # strftime writes the year unpadded ("999-..."), isoformat pads it: keep strftime's
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Half strftime's cost (a report writes one a finding and one an item of evidence); the first
    # 19 characters are the whole seconds, whatever the microseconds.
    return utc.isoformat()[:19] + "Z"


_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def parse_x_time(value: object, what: str = "created_at") -> datetime:
    """X's times: "Wed Nov 02 21:30:39 +0000 2022" (tweets, TWCS) or ISO 8601 ("2022-10-19T20:58:00.000Z").

    Parsed by hand: `strptime` costs ~11 µs a call and is the largest cost of reading an archive.
    """
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string")
    text = value.strip()
    if text[:1].isdigit():
        try:
            return parse_instant(text, what)
        except ValueError:
            hint = "has no UTC offset" if _naive(text) else "is not a time"
            raise ValueError(f"{what} {hint}: {value[:40]!r}") from None
    parts = text.split()
    try:
        _, month, day, clock, offset, year = parts
        hour, minute, second = clock.split(":")
        moment = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
        if offset != "+0000":
            sign = -1 if offset[0] == "-" else 1
            if offset[0] not in "+-" or len(offset) != 5 or not offset[1:].isdigit():
                raise ValueError
            moment -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    except (ValueError, KeyError, OverflowError):
        # OverflowError: an offset that moves the time out of years 1-9999 ("+0100" on 1 January 0001; tests/fuzz)
        raise ValueError(f"{what} is not a time: {value[:40]!r}") from None
    return moment


def _naive(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is None
    except ValueError:
        return False


def parse_since(text: str, what: str = "--since") -> datetime:
    """Where a fetch starts: a date (midnight UTC) or a time with a UTC offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} is not a date or a time: {text[:40]!r}") from None
    if moment.tzinfo is None:
        if len(text.strip()) > 10:
            raise ValueError(f"{what} has no UTC offset: {text[:40]!r} (add Z or +00:00)")
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError(f"{what} is out of range in UTC: {text[:40]!r}") from None


def parse_day(value: Any, what: str, *, day_of_time: bool = False) -> date:
    """A day: `YYYY-MM-DD`, or a date YAML already read. A time is refused, unless `day_of_time`
    takes its day (a calendar's closed day written as a time still closes that day)."""
    if isinstance(value, datetime):  # a datetime is a date too
        if day_of_time:
            return value.date()
        raise ValueError(f"{what} must be a date (YYYY-MM-DD), not a time: {value.isoformat()}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date (YYYY-MM-DD), got {str(value)[:40]!r}")
