"""Huge JSONL input: memory stays bounded, whatever the file holds.

Peak memory is measured in a child Python (`ru_maxrss` after the imports, then after reading),
so the test process's own allocations do not blur it. The default sizes keep each test to a
few seconds; `AUDITOR_FUZZ=1` runs the same tests on 1 GB files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from auditor.activity.events import MAX_TEXT
from auditor.activity.sources.jsonl import MAX_LINE, read_jsonl

HEAVY = os.environ.get("AUDITOR_FUZZ", "").strip() not in ("", "0")  # as tests/conftest.py reads it
MB = 1_000_000
ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json, resource, sys
from datetime import datetime
from pathlib import Path
from auditor.activity.sources.jsonl import read_jsonl

def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux

path, window = Path(sys.argv[1]), None
if len(sys.argv) > 2:
    window = (datetime.fromisoformat(sys.argv[2]), datetime.fromisoformat(sys.argv[3]))
baseline = peak_kb()
activity = read_jsonl(path, window=window)
print(json.dumps({
    "growth_mb": (peak_kb() - baseline) / 1000,
    "posts": sorted(p.id for p in activity.posts),
    "dms": sorted(d.id for d in activity.dms),
    "events": activity.sources[0].events,
    "skipped": [[s.line, s.reason] for s in activity.skipped],
    "skipped_count": activity.skipped_count,
}))
"""


def read_in_child(path: Path, *window: datetime) -> dict:
    args = [sys.executable, "-c", CHILD, str(path), *(moment.isoformat() for moment in window)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def event(i: int, when: datetime, text: str = "hello", **extra) -> bytes:
    obj = {"type": "post", "id": str(i), "author": "bob", "created_at": when.isoformat(), "text": text, **extra}
    return json.dumps(obj).encode() + b"\n"


T0 = datetime(2026, 10, 5, 12, tzinfo=timezone.utc)
WINDOW = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_an_overlong_line_is_skipped_with_its_number_and_the_rest_is_read(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(event(1, T0) + event(2, T0, "x" * (MAX_LINE + 10)) + b"\n" + event(3, T0)
                     + b"[" * (3 * MAX_LINE) + b"\n" + event(4, T0))
    activity = read_jsonl(path)
    assert [p.id for p in activity.posts] == ["1", "3", "4"]
    assert [(s.line, s.reason) for s in activity.skipped] == [(2, "line longer than 1 MB"), (5, "line longer than 1 MB")]
    assert activity.skipped_count == 2


def test_a_line_of_exactly_the_limit_is_still_read(tmp_path):
    line = event(1, T0, "")
    padded = line[:-2] + b" " * (MAX_LINE - len(line) + 1) + b"}\n"  # JSON with trailing spaces inside
    assert len(padded) == MAX_LINE + 1  # MAX_LINE bytes and the newline
    path = tmp_path / "d.jsonl"
    path.write_bytes(padded + event(2, T0))
    activity = read_jsonl(path)
    assert [p.id for p in activity.posts] == ["1", "2"] and activity.skipped == []


def test_a_byte_order_mark_does_not_count_in_the_first_line_s_length(tmp_path):
    line = event(1, T0, "")
    padded = line[:-2] + b" " * (MAX_LINE - len(line) + 1) + b"}\n"  # MAX_LINE bytes and the newline
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + padded + event(2, T0))
    activity = read_jsonl(path)
    assert [p.id for p in activity.posts] == ["1", "2"] and activity.skipped == []


def test_a_text_longer_than_an_event_may_hold_is_a_skipped_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(event(1, T0, "x" * (MAX_TEXT + 1)) + event(2, T0, "x" * MAX_TEXT))
    activity = read_jsonl(path)
    assert [p.id for p in activity.posts] == ["2"]
    assert [(s.line, s.reason) for s in activity.skipped] == [(1, f"text is longer than {MAX_TEXT} characters")]


def write_single_line_file(path: Path, size: int) -> None:
    chunk = b"a" * MB
    with path.open("wb") as handle:
        handle.write(event(1, T0))
        handle.write(b'{"type": "post", "text": "')
        for _ in range(size // MB):
            handle.write(chunk)
        handle.write(b'"}\n')
        handle.write(event(2, T0))
        handle.write(b"x" * (2 * MB))  # and a last overlong line with no newline at all


def test_a_huge_single_line_is_never_held_in_memory(tmp_path):
    size = 1000 * MB if HEAVY else 30 * MB
    path = tmp_path / "one-line.jsonl"
    write_single_line_file(path, size)
    result = read_in_child(path)
    assert result["posts"] == ["1", "2"]
    assert result["skipped"] == [[2, "line longer than 1 MB"], [4, "line longer than 1 MB"]]
    # Reading it whole would need the file's size at least (and twice that to decode it).
    assert result["growth_mb"] < 10, result["growth_mb"]


def write_many_events(path: Path, size: int, when: datetime) -> int:
    """~4 KB lines dated `when` until the file is `size` bytes; returns how many."""
    # `mentions` given: deriving them from the text scans it at ~45 MB/s, which is not what is tested here.
    head, tail = event(0, when, "a long enough post " * 200, mentions=[]).split(b'"id": "0"')
    count = 0
    with path.open("wb") as handle:
        while count * len(head + tail) < size:
            handle.write(b"".join(b'%s"id": "%d"%s' % (head, 10_000 + count + i, tail) for i in range(1000)))
            count += 1000
    return count


def test_events_outside_the_window_are_not_kept_while_streaming(tmp_path):
    size = 1000 * MB if HEAVY else 100 * MB
    path = tmp_path / "years.jsonl"
    count = write_many_events(path, size, datetime(2025, 1, 1, tzinfo=timezone.utc))
    root = event(1, datetime(2026, 9, 1, tzinfo=timezone.utc), "older question")  # before the window
    with path.open("ab") as handle:
        handle.write(event(2, T0, "an answer in the window", in_reply_to="1") + root)
    result = read_in_child(path, *WINDOW)
    assert result["posts"] == ["1", "2"]  # the answer, and the older post it answers
    assert result["events"] == 2 and result["skipped_count"] == 0
    # Keeping the events would cost more than the file's size (each post is ~1 KB of text plus
    # its object); streaming costs a few buffers.
    assert result["growth_mb"] < 40, (result["growth_mb"], count)


def test_the_window_keeps_only_its_events_and_the_chain_its_replies_answer(tmp_path):
    before, inside, after = T0 - timedelta(days=60), T0, T0 + timedelta(days=60)
    lines = [
        event(1, before - timedelta(days=2), "root, two levels up"),
        event(2, before - timedelta(days=1), "its reply, still before", in_reply_to="1"),
        event(3, before, "unrelated old post"),
        event(4, inside, "the reply in the window", in_reply_to="2"),
        b'{"broken\n',
        event(5, after, "after the window"),
        json.dumps({"type": "dm", "id": "d1", "sender": "bob", "recipients": ["acme"], "created_at": inside.isoformat(),
                    "text": "hi"}).encode() + b"\n",
        json.dumps({"type": "dm", "id": "d2", "sender": "bob", "recipients": ["acme"], "created_at": after.isoformat(),
                    "text": "late"}).encode() + b"\n",
    ]
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(lines))
    windowed = read_jsonl(path, window=WINDOW)
    assert sorted(p.id for p in windowed.posts) == ["1", "2", "4"]
    assert [d.id for d in windowed.dms] == ["d1"]
    assert [(s.line, s.reason) for s in windowed.skipped] == [(5, "not valid JSON (column 9): unexpected end of data")]
    assert windowed.sources[0].events == 4
    whole = read_jsonl(path)
    assert sorted(p.id for p in whole.posts) == ["1", "2", "3", "4", "5"] and len(whole.dms) == 2
