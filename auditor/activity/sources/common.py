"""Small pieces every source shares: collecting events and skipped records, X's two time formats."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from auditor.activity.model import MAX_SKIPPED_KEPT
from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo


_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


class Collector:
    """Gathers one source's events and skipped records into an `Activity` with its `SourceInfo`."""

    def __init__(self, name: str, kind: str):
        self.activity = Activity()
        self.info = SourceInfo(name=name, kind=kind)
        self.activity.sources.append(self.info)

    def add(self, event: Post | DirectMessage) -> None:
        (self.activity.posts if type(event) is Post else self.activity.dms).append(event)

    def skip(self, source: str, line: int, reason: str) -> None:
        self.info.skipped += 1
        if len(self.activity.skipped) < MAX_SKIPPED_KEPT:
            self.activity.skipped.append(Skipped(source, line, one_line(reason)))

    def note(self, text: str) -> None:
        self.info.notes.append(text)

    def done(self) -> Activity:
        self.info.events = len(self.activity.posts) + len(self.activity.dms)
        self.activity.skipped_count = self.info.skipped
        return self.activity


def parse_x_time(value: object, field_name: str = "created_at") -> datetime:
    """X's times: "Wed Nov 02 21:30:39 +0000 2022" (tweets, TWCS) or ISO 8601 ("2022-10-19T20:58:00.000Z").

    Parsed by hand: `strptime` costs ~11 µs a call and is the largest cost of reading an archive.
    """
    if not isinstance(value, str):
        raise ValueError(f"{field_name} must be a string")
    text = value.strip()
    if text[:1].isdigit():
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{field_name} is not a time: {value[:40]!r}") from None
        if moment.tzinfo is None:
            raise ValueError(f"{field_name} has no UTC offset: {value[:40]!r}")
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            # 0001-01-01 at +01:00 is in year 0 in UTC (found by tests/fuzz): a bad time, not a crash
            raise ValueError(f"{field_name} is not a time: {value[:40]!r}") from None
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
        raise ValueError(f"{field_name} is not a time: {value[:40]!r}") from None
    return moment


def one_line(text: str) -> str:
    """A reason on one line. Reasons quote ids and cells, which may hold line breaks: a duplicate id
    with a form feed split its row's reason in two (found by tests/fuzz). Unprintable characters are escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def unescape_x(text: str) -> str:
    """X escapes exactly &, < and > in tweet text; anything else that looks like an entity is the author's."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


