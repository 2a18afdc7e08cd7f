"""Times as each reader words a bad one: the words land in report.json's skipped lines, so they stay put."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from auditor.time.instants import parse_instant, parse_x_time, utc_iso

UTC = timezone.utc


@pytest.mark.parametrize("text, moment", [
    ("2026-10-05T14:02:00Z", datetime(2026, 10, 5, 14, 2, tzinfo=UTC)),
    ("2026-10-05T16:02:00+02:00", datetime(2026, 10, 5, 14, 2, tzinfo=UTC)),
])
def test_an_iso_time_with_an_offset_is_read_in_utc(text, moment):
    assert parse_instant(text) == moment


@pytest.mark.parametrize("text, message", [
    ("yesterday", "created_at is not an ISO 8601 time: 'yesterday'"),
    ("2026-10-05T14:02:00", "created_at has no UTC offset: '2026-10-05T14:02:00' (add Z or +00:00)"),
    ("0001-01-01T00:30+01:00", "created_at is out of range in UTC: '0001-01-01T00:30+01:00'"),
])
def test_a_bad_canonical_time_is_worded_as_event_files_always_were(text, message):
    with pytest.raises(ValueError) as caught:
        parse_instant(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text, moment", [
    ("Wed Nov 02 21:30:39 +0000 2022", datetime(2022, 11, 2, 21, 30, 39, tzinfo=UTC)),
    ("Wed Nov 02 21:30:39 -0500 2022", datetime(2022, 11, 3, 2, 30, 39, tzinfo=UTC)),
    ("2022-10-19T20:58:00.000Z", datetime(2022, 10, 19, 20, 58, tzinfo=UTC)),
])
def test_x_times_in_both_of_its_forms(text, moment):
    assert parse_x_time(text) == moment


@pytest.mark.parametrize("text, message", [
    ("Tue Oct 32 10:00:00 +0000 2026", "created_at is not a time: 'Tue Oct 32 10:00:00 +0000 2026'"),
    ("2026-13-01T00:00:00Z", "created_at is not a time: '2026-13-01T00:00:00Z'"),
    ("2026-10-05T14:02:00", "created_at has no UTC offset: '2026-10-05T14:02:00'"),
    ("0001-01-01T00:30+01:00", "created_at is not a time: '0001-01-01T00:30+01:00'"),
])
def test_a_bad_x_time_is_worded_as_the_archive_reader_always_did(text, message):
    with pytest.raises(ValueError) as caught:
        parse_x_time(text)
    assert str(caught.value) == message


def _strftime_iso(moment: datetime) -> str:
    """How report.json always wrote an instant."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 10, 5, 14, 2, 3, tzinfo=timezone.utc), "2026-10-05T14:02:03Z"),
    (datetime(2026, 10, 5, 14, 2, 3, 999999, tzinfo=timezone.utc), "2026-10-05T14:02:03Z"),  # cut, not rounded
    (datetime(2026, 10, 5, 23, 59, 59, 1, tzinfo=timezone.utc), "2026-10-05T23:59:59Z"),
    (datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/Toronto")), "2026-11-01T05:30:00Z"),
    (datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/Toronto")), "2026-11-01T06:30:00Z"),
    (datetime(2026, 3, 1, 5, 45, 30, 500000, tzinfo=timezone(timedelta(hours=5, minutes=45))), "2026-03-01T00:00:30Z"),
    (datetime(1000, 1, 1, tzinfo=timezone.utc), "1000-01-01T00:00:00Z"),
    (datetime(999, 12, 31, 23, 59, 59, 5, tzinfo=timezone.utc), "999-12-31T23:59:59Z"),  # strftime's unpadded year
    (datetime(1, 1, 1, tzinfo=timezone.utc), "1-01-01T00:00:00Z"),
    (datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=-1))), "1-01-01T01:30:00Z"),
    (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc), "9999-12-31T23:59:59Z"),
])
def test_utc_iso_writes_whole_utc_seconds_as_strftime_did(moment, text):
    assert utc_iso(moment) == _strftime_iso(moment) == text


def test_utc_iso_of_nothing_is_none():
    assert utc_iso(None) is None


def test_utc_iso_matches_strftime_over_many_instants():
    start = datetime(1, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=3652, hours=7, minutes=13, seconds=17, microseconds=123457)
    moments = [start + n * step for n in range(1000)]
    assert moments[-1].year > 9000
    assert [utc_iso(m) for m in moments] == [_strftime_iso(m) for m in moments]
