"""The one reader of days and instants (and writer of instants) for every input: policies, rosters,
waivers, cases, command-line options, event files, exports and the APIs. One wording for every
mistake, naming what was being read."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any


def parse_instant(value: Any, field_name: str = "created_at") -> datetime:
    """An ISO 8601 time with a UTC offset ("2026-10-05T14:02:00Z"), as an aware time in UTC."""
    if not isinstance(value, str):
        raise ValueError(f"{field_name} must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field_name} is not an ISO 8601 time: {value[:40]!r}") from None
    if moment.tzinfo is timezone.utc:
        return moment  # "Z" and "+00:00" read as UTC already
    if moment.tzinfo is None:
        raise ValueError(f"{field_name} has no UTC offset: {value[:40]!r} (add Z or +00:00)")
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:30+01:00 is before year 1 in UTC (found by tests/fuzz)
        raise ValueError(f"{field_name} is out of range in UTC: {value[:40]!r}") from None


def utc_iso(moment: datetime | None) -> str | None:
    """An instant as report.json writes it: UTC, whole seconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
