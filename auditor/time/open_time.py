"""Open time for many (start, end) pairs at once: a calendar's open intervals as one cumulative column.

`BusinessClock.open_between` walks the local days from `start` to `end` for each pair it
is asked about; a response-time rule asks it once per waiting episode (a third of a
million at a million events). Here the open intervals of every day the pairs touch are
laid end to end once, as UTC microseconds, with the open time before each interval
summed: the open time before any instant is then one binary search and one subtraction,
and `open_between(start, end)` is the difference of two of them. Integer microseconds
throughout, so the answers are the same `timedelta`s as the clock's own, to the
microsecond (`tests/time/test_open_time.py` holds them equal on random calendars,
including daylight-saving changes, holidays and closed days).

With `AUDITOR_SPEEDUPS=off` each pair is asked of the clock itself; a wall clock's open time is the
elapsed time, a subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone

import numpy as np

from auditor.speedups import enabled
from auditor.time.calendars import BusinessClock, Clock, WallClock

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
# Below this many pairs, laying out the days costs more than asking the clock.
_MIN_PAIRS = 64


def open_between_many(clock: Clock, starts: Sequence[datetime], ends: Sequence[datetime]) -> list[timedelta]:
    """`[clock.open_between(s, e) for s, e in zip(starts, ends)]`, computed in bulk for a business clock."""
    if len(starts) != len(ends):
        raise ValueError("open_between_many needs as many ends as starts")
    try:
        lo, hi = to_micros(starts), to_micros(ends)
    except (TypeError, OverflowError):  # a naive datetime, or one out of range: the clock says what is wrong
        return [clock.open_between(start, end) for start, end in zip(starts, ends)]
    return [timedelta(microseconds=value) for value in open_micros_between(clock, lo, hi).tolist()]


def open_micros_between(clock: Clock, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The clock's open time from each instant of `lo` to the one of `hi` (UTC microseconds), in microseconds."""
    if enabled() and isinstance(clock, WallClock):
        return np.maximum(hi - lo, 0)
    if enabled() and isinstance(clock, BusinessClock) and len(lo) >= _MIN_PAIRS:
        first, last = _at(int(min(lo.min(), hi.min()))), _at(int(max(lo.max(), hi.max())))
        try:
            table = OpenTime(clock, first, last)
        except ValueError:  # outside the years a clock reads (it says which pair), or intervals that overlap
            pass
        else:
            return np.where(hi > lo, table.open_before(hi) - table.open_before(lo), 0)
    pairs = zip(lo.tolist(), hi.tolist())
    return np.array([clock.open_between(_at(a), _at(b)) // _MICROSECOND for a, b in pairs], dtype=np.int64)


class OpenTime:
    """A business clock's open time before any instant from `first` to `last`, as UTC microseconds."""

    def __init__(self, clock: BusinessClock, first: datetime, last: datetime) -> None:
        intervals = clock.intervals_between(first, last)  # sorted, never overlapping (checked below)
        opens = np.fromiter((_at_micros(a) for a, _ in intervals), dtype=np.int64, count=len(intervals))
        closes = np.fromiter((_at_micros(b) for _, b in intervals), dtype=np.int64, count=len(intervals))
        if len(opens) and (np.any(closes <= opens) or np.any(opens[1:] < closes[:-1])):
            raise ValueError(f"{clock!r}: open intervals overlap or run backwards")
        self.opens, self.closes = opens, closes
        lengths = closes - opens
        # open time before each interval opens
        self.before = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64) if len(lengths) else lengths

    def open_before(self, instants: np.ndarray) -> np.ndarray:
        """Open microseconds from the first interval to each instant (in UTC microseconds)."""
        if not len(self.opens):
            return np.zeros(len(instants), dtype=np.int64)
        last_open = np.searchsorted(self.opens, instants, side="right") - 1
        inside = np.clip(last_open, 0, None)
        into = np.minimum(instants - self.opens[inside], self.closes[inside] - self.opens[inside])
        return np.where(last_open < 0, 0, self.before[inside] + into)


def _at_micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _at(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def to_micros(moments: Iterable[datetime], count: int = -1) -> np.ndarray:
    """Aware instants as UTC microseconds since 1970 (int64)."""
    return np.fromiter((_at_micros(m) for m in moments), dtype=np.int64, count=count)
