"""Durations as policy authors write them (`4h`, `1h30m`, `PT4H`) and as reports show them."""

import re
from datetime import timedelta

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.time.durations import DURATION_PATTERN, format_duration, format_elapsed, parse_duration

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", 90 * M),
        ("4h", 4 * H),
        ("2d", timedelta(days=2)),
        ("1h30m", 90 * M),
        ("45s", timedelta(seconds=45)),
        ("1d2h", timedelta(days=1, hours=2)),
        ("1w", timedelta(days=7)),
        ("1w2d3h4m5s", timedelta(days=9, hours=3, minutes=4, seconds=5)),
        ("0h30m", 30 * M),  # a zero part is fine as long as the whole is not zero
        ("04h", 4 * H),
        ("1h90m", timedelta(hours=2, minutes=30)),  # not canonical, but unambiguous
        ("2d 3h", timedelta(days=2, hours=3)),  # what format_duration writes
        ("1h 30m", 90 * M),
        # ISO 8601
        ("PT4H", 4 * H),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT90M", 90 * M),
        ("P2D", timedelta(days=2)),
        ("P1W", timedelta(days=7)),
        ("PT1H30M15S", timedelta(hours=1, minutes=30, seconds=15)),
        # case and surrounding whitespace
        ("4H", 4 * H),
        ("pt4h", 4 * H),
        ("P1dT2h", timedelta(days=1, hours=2)),
        ("  4h  ", 4 * H),
        ("\t90m\n", 90 * M),
        ("999999s", timedelta(seconds=999999)),
    ],
)
def test_parse_duration_accepts(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0h",
        "0m0s",
        "PT0H",
        "P0D",
        "-4h",
        "-PT4H",
        "4",  # a bare number: minutes? hours? refuse to guess
        "h",
        "4 h",
        "4hours",
        "4hrs",
        "1.5h",
        "4h4h",  # each unit at most once
        "30m1h",  # largest unit first
        "1d 2h 3",
        "4h,",
        "P",
        "PT",
        "P1DT",  # T must be followed by a time part
        "P1M",  # ISO months: calendar-dependent, and too easily mistaken for minutes
        "P1Y",
        "PT4H5D",
        "4h PT1H",
        "T4H",
        "1000000s",  # at most six digits per number: keeps every value far from overflow
        "abc",
        "٤h",  # Arabic-Indic digit: int() would take it, the schema pattern would not
        "4h\x00",
    ],
)
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value) == f"expected a duration like 4h, 90m, 1h30m or PT4H, got {_echo(text)}"


def _echo(text: str) -> str:
    shown = text.replace("\t", "\\t").replace("\n", "\\n").replace("\x00", "\\x00")
    return f"'{shown}'"


def test_parse_duration_error_message_is_exact():
    with pytest.raises(ValueError) as info:
        parse_duration("soon")
    assert str(info.value) == "expected a duration like 4h, 90m, 1h30m or PT4H, got 'soon'"


def test_parse_duration_rejects_long_input_and_truncates_the_echo():
    text = "1h" + " " * 62 + "x"  # 65 characters
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value) == "expected a duration like 4h, 90m, 1h30m or PT4H, got '" + "1h" + " " * 37 + "…'"


def test_parse_duration_length_limit_is_64_characters():
    # whitespace counts: the limit is on what the user wrote, before trimming
    assert parse_duration("4h" + " " * 62) == 4 * H  # 64 characters
    with pytest.raises(ValueError):
        parse_duration("4h" + " " * 63)  # 65 characters


def test_parse_duration_echo_of_exactly_40_characters_is_not_truncated():
    text = "x" * 40
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value).endswith("got '" + "x" * 40 + "'")


def test_parse_duration_echo_is_one_line():
    with pytest.raises(ValueError) as info:
        parse_duration("4h\nrm -rf /")
    assert "\n" not in str(info.value)
    assert str(info.value).endswith("got '4h\\nrm -rf /'")


def test_parse_duration_rejects_non_strings_with_the_same_message():
    with pytest.raises(ValueError) as info:
        parse_duration(4)  # type: ignore[arg-type]
    assert str(info.value) == "expected a duration like 4h, 90m, 1h30m or PT4H, got '4'"


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (4 * H, "4h"),
        (90 * M, "1h30m"),
        (timedelta(days=2, hours=3), "2d 3h"),
        (timedelta(seconds=45), "45s"),
        (timedelta(days=2), "2d"),
        (timedelta(days=7), "7d"),
        (timedelta(days=1, hours=2, minutes=3, seconds=4), "1d 2h3m4s"),
        (timedelta(hours=1, seconds=5), "1h5s"),
        (timedelta(0), "0s"),
        # partial seconds round up, so a breach by a fraction never reads as "exactly the limit"
        (4 * H + timedelta(microseconds=1), "4h1s"),
        (timedelta(microseconds=500), "1s"),
        (-90 * M, "-1h30m"),
    ],
)
def test_format_duration(td, expected):
    assert format_duration(td) == expected


@settings(database=None)
@given(st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=999999)))
def test_format_duration_round_trips_through_the_parser(td):
    td = timedelta(seconds=int(td.total_seconds()))  # whole seconds: what the parser can express
    assert parse_duration(format_duration(td)) == td


# --- the JSON Schema pattern must agree with the parser, character for character ---------


def _parses(text: str) -> bool:
    try:
        parse_duration(text)
    except ValueError:
        return False
    return True


def _schema_accepts(text: str) -> bool:
    try:
        jsonschema.validate(text, {"type": "string", "pattern": DURATION_PATTERN})
    except jsonschema.ValidationError:
        return False
    return True


_TRICKY = [
    "4h",
    "4h\n",
    "4h\n\n",
    "\n4h",
    "PT4H",
    "P1DT",
    "0h",
    "1m",
    "P1M",
    "4h" + " " * 62,
    "4h" + " " * 63,
    "4h" + " " * 61 + "\n",
    "4h" + " " * 62 + "\n",
    "",
    "٤h",
    "4h\u00a0",  # no-break space: not whitespace we accept
    "4h\x1c",  # Python's \s would take this, JavaScript's would not; we take neither
]


@pytest.mark.parametrize("text", _TRICKY)
def test_pattern_agrees_with_parser_on_tricky_input(text):
    assert _schema_accepts(text) == _parses(text)


@settings(max_examples=500, database=None)
@given(st.text(alphabet="0123456789wdhmsWDHMSPTpt \t\n.-x", max_size=70))
@example("1d 2h")
@example("P1W2DT3H")
def test_pattern_agrees_with_parser(text):
    assert _schema_accepts(text) == _parses(text)


def test_pattern_is_anchored_and_portable():
    # JSON Schema patterns are ECMA-262 and unanchored; no inline flags, no \d, no \Z
    assert DURATION_PATTERN.startswith("^") and DURATION_PATTERN.endswith("$")
    assert "(?i" not in DURATION_PATTERN and "\\d" not in DURATION_PATTERN and "\\Z" not in DURATION_PATTERN
    re.compile(DURATION_PATTERN)


@pytest.mark.parametrize(
    ("elapsed", "text"),
    [
        (timedelta(seconds=45), "45s"),
        (timedelta(hours=4), "4h"),
        (timedelta(hours=4, seconds=1), "4h1m"),
        (timedelta(days=6, hours=21, minutes=46, seconds=56), "6d 21h47m"),
    ],
)
def test_format_elapsed_rounds_up_to_minutes(elapsed, text):
    assert format_elapsed(elapsed) == text


def test_a_wait_on_a_calendar_says_both_times_alike_and_the_calendar_time_to_the_nearest_hour():
    from auditor.time.durations import format_wait

    minutes = timedelta(hours=4, seconds=1)
    assert format_wait(minutes, minutes, business_hours=True) == "4h01m of open hours (4h01m calendar time)"
    # past a day, the calendar time to the nearest hour: one second does not make it an hour more
    assert format_wait(timedelta(hours=7, seconds=1), timedelta(days=3, seconds=1), business_hours=True) == (
        "7h01m of open hours (3d calendar time)")
    assert format_wait(timedelta(hours=4, seconds=1), timedelta(days=2, hours=21, seconds=1), business_hours=True) == (
        "4h01m of open hours (2d 21h calendar time)")
    assert format_wait(timedelta(hours=30), timedelta(days=3, hours=6, minutes=31), business_hours=True) == (
        "30h of open hours (3d 7h calendar time)")
    # just under a day is written as a day, as a day is
    assert format_wait(timedelta(hours=5), timedelta(hours=23, minutes=59, seconds=30), business_hours=True) == (
        "5h of open hours (1d calendar time)")
