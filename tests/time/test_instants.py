"""Times as each reader words a bad one: the words land in report.json's skipped lines, so they stay put."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.time.instants import parse_instant, parse_x_time

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
