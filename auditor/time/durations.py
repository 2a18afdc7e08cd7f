"""Durations in policies (`within: 4h`) and in reports ("waited 1d 2h").

Accepted forms, case-insensitive, with optional surrounding whitespace:

* compact: whole numbers with units, largest first, each unit at most once:
  `90m`, `4h`, `2d`, `1h30m`, `45s`, `1d2h`, `1w`; the parts may be separated by
  spaces (`2d 3h`), which is what :func:`format_duration` writes, so every
  serialised policy parses back.
* ISO 8601 with weeks, days, hours, minutes, seconds: `PT4H`, `P1DT2H`, `PT90M`.

Deliberately refused:

* zero, negative and bare numbers (`4`: minutes? hours?): an SLA of nothing is a mistake;
* ISO years and months (`P1Y`, `P1M`): their length depends on the calendar, and
  `P1M` (a month) is too easily written meaning `PT1M` (a minute);
* fractions (`1.5h`): write `1h30m`;
* more than 6 digits in one number, and more than 64 characters in all: the
  largest value left (about 19,000 years) stays far inside `timedelta`, so a
  hostile policy gets an error, never an OverflowError.

One regular expression, :data:`DURATION_PATTERN`, decides what is accepted,
both here and in the JSON Schema of the policy format, so the editor and the
validator can never disagree. It is written in the common subset of Python
`re` and ECMA-262 (what JSON Schema specifies, and what editors run): no inline
flags, no `\\d` or `\\s` (both are Unicode-aware in Python, and differently so
in JavaScript), no `\\Z`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

__all__ = ["DURATION_PATTERN", "format_duration", "parse_duration"]

MAX_LENGTH = 64
_ECHO_LENGTH = 40

_NUM = "([0-9]{1,6})"
_MAX_NUMBER = 999_999  # the largest number _NUM matches
_WS = "[ \\t\\r\\n]*"
_SEP = "[ \\t]*"  # between compact parts: "2d 3h"


def _unit(letter: str) -> str:
    # case-insensitive without the (?i) flag, which ECMA-262 regexes do not have
    return f"[{letter.lower()}{letter.upper()}]"


_COMPACT = "".join(
    [
        f"(?:{_NUM}{_unit('w')}{_SEP})?",
        f"(?:{_NUM}{_unit('d')}{_SEP})?",
        f"(?:{_NUM}{_unit('h')}{_SEP})?",
        f"(?:{_NUM}{_unit('m')}{_SEP})?",
        f"(?:{_NUM}{_unit('s')})?",
    ]
)
_ISO = "".join(
    [
        _unit("p"),
        f"(?:{_NUM}{_unit('w')})?",
        f"(?:{_NUM}{_unit('d')})?",
        # "T" only when a time part follows: "P1DT" is not a duration
        f"(?:{_unit('t')}(?=[0-9])",
        f"(?:{_NUM}{_unit('h')})?",
        f"(?:{_NUM}{_unit('m')})?",
        f"(?:{_NUM}{_unit('s')})?",
        ")?",
    ]
)

#: A regular expression (Python `re` and ECMA-262 alike) matching exactly the
#: strings :func:`parse_duration` accepts; anchored, for a JSON Schema `pattern`.
DURATION_PATTERN = (
    "^"
    # at most 64 characters; a negative look-ahead, because a `$` inside a
    # look-ahead also matches before a final newline in Python but not in JavaScript
    f"(?![\\s\\S]{{{MAX_LENGTH + 1}}})"
    # some digit other than 0: digits only occur in the numbers, so this says
    # "at least one part, and not all of them zero" in one step
    "(?=[\\s\\S]*[1-9])"
    f"{_WS}(?:{_COMPACT}|{_ISO}){_WS}"
    "$"
)

_RE = re.compile(DURATION_PATTERN)
_COMPACT_GROUPS = 5  # w d h m s; the ISO alternative's groups follow

_SECONDS_PER = (7 * 86400, 86400, 3600, 60, 1)


def parse_duration(text: str) -> timedelta:
    """Read a positive duration such as `4h`, `90m`, `1h30m`, `1w` or `PT4H`.

    Raises ValueError("expected a duration like 4h, 90m, 1h30m or PT4H, got '...'")
    for anything else, with the input shown on one line and cut to 40 characters.
    """
    if not isinstance(text, str):
        raise ValueError(_message(str(text)))
    # re.search, not fullmatch, because that is how JSON Schema applies a pattern
    match = _RE.search(text)
    if match is None:
        raise ValueError(_message(text))
    groups = match.groups()
    compact, iso = groups[:_COMPACT_GROUPS], groups[_COMPACT_GROUPS:]
    numbers = compact if any(g is not None for g in compact) else iso
    seconds = sum(int(n) * unit for n, unit in zip(numbers, _SECONDS_PER) if n is not None)
    return timedelta(seconds=seconds)


def _message(text: str) -> str:
    # errors are one line: control characters are shown escaped, the rest as typed
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(shown) > _ECHO_LENGTH:
        shown = shown[: _ECHO_LENGTH - 1] + "…"
    return f"expected a duration like 4h, 90m, 1h30m or PT4H, got '{shown}'"


def format_duration(td: timedelta) -> str:
    """The compact human form used in reports: `4h`, `1h30m`, `2d 3h`, `45s`, `0s`.

    Days are the largest unit (`7d`, not `1w`: people compare days more easily), up to
    999,999 days; beyond that weeks carry the rest, so that the result still parses.
    Zero parts are left out. A partial second rounds *up*, so a response that
    missed a 4h limit by a fraction of a second never reads as "4h". The
    result parses back with :func:`parse_duration` (for every positive duration
    that it accepts).
    """
    if td < timedelta(0):
        return "-" + format_duration(-td)
    micros = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    seconds = -(-micros // 1_000_000)  # ceiling division
    if seconds == 0:
        return "0s"
    days, rest = divmod(seconds, 86400)
    if days > _MAX_NUMBER:
        return _format_huge(seconds)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n)
    return " ".join(part for part in (f"{days}d" if days else "", clock) if part)


def _format_huge(seconds: int) -> str:
    # More than 999,999 days cannot be written in days, yet the parser accepts up to 999,999 of
    # each unit ("142858w" is 1,000,006 days, and was formatted as "1000006d", which does not
    # parse: found by tests/fuzz). Taking as many of each unit as a number may hold, weeks
    # first, writes back every value the parser accepts; anything larger cannot parse anyway.
    parts = []
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count = min(_MAX_NUMBER, seconds // size) if unit != "s" else seconds
        seconds -= count * size
        parts.append((count, unit))
    week_day = " ".join(f"{n}{unit}" for n, unit in parts[:2] if n)
    clock = "".join(f"{n}{unit}" for n, unit in parts[2:] if n)
    return " ".join(part for part in (week_day, clock) if part)


def format_elapsed(td: timedelta) -> str:
    """A waiting time as managers read it: whole minutes, rounded up (so a miss never reads as the limit).

    Under a minute keeps its seconds.
    """
    if td < timedelta(minutes=1):
        return format_duration(td)
    micros = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    minutes = -(-micros // 60_000_000)
    return format_duration(timedelta(minutes=minutes))


def format_open_hours(td: timedelta) -> str:
    """Time on a business-hours clock: hours and minutes, rounded up, never days ("142h40m").

    "7d" of open hours would read as a week; 168 open hours are four working weeks."""
    if td < timedelta(minutes=1):
        return format_duration(td)
    micros = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    hours, minutes = divmod(-(-micros // 60_000_000), 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"


def format_on_clock(on_clock: timedelta, business_hours: bool) -> str:
    """A wait on a rule's clock as findings write it: "142h40m of open hours" on a calendar, else "1d 30m"."""
    return f"{format_open_hours(on_clock)} of open hours" if business_hours else format_elapsed(on_clock)


def format_wait(on_clock: timedelta, calendar: timedelta, business_hours: bool) -> str:
    """One wait, as every report says it: the time on the rule's clock, labelled, and on a
    business-hours clock the calendar time beside it once ("142h40m of open hours (6d 2h calendar time)")."""
    if not business_hours:
        return format_on_clock(on_clock, business_hours)
    if calendar >= timedelta(days=1) or calendar > timedelta(hours=23, minutes=59):  # "1d", never "24h"
        # To the nearest hour: the open hours judge the wait, and a second past three days is not "3d 1h".
        hours = (int(calendar.total_seconds()) + 1800) // 3600
        spent = format_duration(timedelta(hours=hours))
    else:
        spent = format_open_hours(calendar)  # under a day, written as the open hours beside it ("4h01m")
    return f"{format_on_clock(on_clock, business_hours)} ({spent} calendar time)"


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"expected a duration like 4h, 90m, 1h30m or PT4H, got {value!r}")
    return parse_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["4h", "90m", "1h30m", "PT4H"]}),
]
