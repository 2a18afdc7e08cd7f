"""The fast JSONL reader gives exactly the `Activity` of the plain one (`AUDITOR_SPEEDUPS=off`).

The plain reader takes each line through `readline`, `orjson.loads` and `parse_event`; the fast
one splits blocks itself and builds the common events with `EventBuilder`. Compared on real
data turned into canonical lines, on a generated month, and on random files of good and bad
lines of every kind.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor import progress
from auditor.activity.events import event_to_dict
from auditor.activity.sources import jsonl_lines
from auditor.activity.sources.archive import read_archive
from auditor.activity.sources.csv_source import read_csv
from auditor.activity.sources.jsonl import read_jsonl
from auditor.activity.sources.jsonl_lines import line_blocks, lines
from auditor.networks import mentions_in
from auditor.sample.generate import write_jsonl
from tests.shared_data import shared

OCTOBER = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))


def read_both(path: Path, window=None):
    """(fast, plain) activities of one file, and the events each reader counted for its progress line."""
    results = []
    for switch in ("on", "off"):
        with mock.patch.dict(os.environ, {"AUDITOR_SPEEDUPS": switch}), progress.reporter("read", quiet=True) as shown:
            activity = read_jsonl(path, name="data.jsonl", window=window)
        results.append((activity, [task.count for task in shown.tasks]))
    return results


def assert_same(path: Path, window=None):
    (fast, fast_counts), (plain, plain_counts) = read_both(path, window)
    assert fast.posts == plain.posts
    assert fast.dms == plain.dms
    assert fast.skipped == plain.skipped
    assert fast.sources == plain.sources  # counts, channels, dm_accounts
    assert fast == plain
    assert fast_counts == plain_counts
    return fast


def compact(obj) -> bytes:
    """As exporters write it: no spaces, UTF-8 (a lone surrogate makes a line that is not UTF-8)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


def spaced(obj) -> bytes:
    """A hand-written style: spaces after separators, every non-ASCII character escaped."""
    return json.dumps(obj).encode()


def write_lines(path: Path, events, dumps=compact, newline=b"\n") -> Path:
    path.write_bytes(b"".join(dumps(event) + newline for event in events))
    return path


# Real data, as canonical lines: two real X archives, the TWCS rows, and posts made of real tweets' texts.

def archive_events(name: str):
    activity = read_archive(shared("x-archive", name))
    return [event_to_dict(event) for event in [*activity.posts, *activity.dms]]


def twcs_events():
    activity = read_csv(shared("twcs", "twcs-rows-0-2499.csv"), "twcs")
    return [event_to_dict(event) for event in [*activity.posts, *activity.dms]]


def tweet_texts() -> list[str]:
    texts = [line for line in shared("tone", "tweeteval-offensive", "train_text.txt").read_text("utf-8").splitlines()]
    with shared("tone", "davidson", "labeled_data.csv").open(encoding="utf-8", newline="") as handle:
        texts += [row["tweet"] for row in csv.DictReader(handle)]
    vader = shared("tone", "vader", "tweets_GroundTruth.txt").read_text("utf-8", errors="replace")
    texts += [line.split("\t", 2)[2] for line in vader.splitlines() if line.count("\t") >= 2]
    return texts


def text_events():
    """Posts and DMs carrying real tweets' texts: quotes, backslashes, emoji, entities, mentions."""
    start = datetime(2026, 10, 1, tzinfo=timezone.utc)
    events = []
    for i, text in enumerate(tweet_texts()):
        when = (start + timedelta(minutes=7 * i)).isoformat().replace("+00:00", "Z")
        author = ("Acme_Support", "@lchen", " maya ", "user")[i % 4]
        if i % 5 == 4:
            events.append({"type": "dm", "id": f"d{i}", "sender": author, "recipients": ["acme_support"],
                           "created_at": when, "text": text})
            continue
        event = {"type": "post", "id": str(1000 + i), "author": author, "created_at": when, "text": text,
                 "in_reply_to": str(999 + i) if i % 3 else None, "conversation_id": str(1000 + i - i % 3)}
        if i % 2:
            event["mentions"] = list(mentions_in(text))
        events.append(event)
    return events


REAL = {"andreruffert": lambda: archive_events("andreruffert"), "alrocar": lambda: archive_events("alrocar"),
        "twcs": twcs_events, "tweet texts": text_events}


@pytest.mark.parametrize("source", sorted(REAL))
@pytest.mark.parametrize("style", ["compact", "spaced, CRLF"])
def test_real_data_reads_the_same_both_ways(tmp_path, source, style):
    events = REAL[source]()
    dumps, newline = (compact, b"\n") if style == "compact" else (spaced, b"\r\n")
    path = write_lines(tmp_path / "real.jsonl", events, dumps, newline)
    activity = assert_same(path)
    assert len(activity.posts) + len(activity.dms) + activity.skipped_count == len(events)
    # and one month of it, with the older posts its replies answer
    times = sorted(event["created_at"] for event in events)
    middle = datetime.fromisoformat(times[len(times) // 2])
    assert_same(path, window=(middle, middle + timedelta(days=31)))


def test_a_generated_month_reads_the_same_both_ways(tmp_path):
    path = tmp_path / "month.jsonl"
    count = write_jsonl(path, events=20_000, accounts=50, seed=7, start="2026-10-01", end="2026-11-01")
    activity = assert_same(path)
    assert activity.skipped_count == 0 and len(activity.posts) + len(activity.dms) == count
    assert_same(path, window=(datetime(2026, 10, 10, tzinfo=timezone.utc), datetime(2026, 10, 20, tzinfo=timezone.utc)))


def test_the_demo_data_reads_the_same_both_ways():
    from auditor.bundled import sample_data

    assert_same(sample_data())
    assert_same(sample_data(), window=OCTOBER)


# Random files.

GOOD_HANDLES = ["acme_support", "@Acme_Support", " Maya ", "ÄNDERS", "x" * 16, "lchen"]
ODD_HANDLES = ["@", "", " ", "\t", "did:plc:abc", "a:b", "alice.bsky.social", "@bob@mastodon.social", "@bob", "a.b"]
HANDLES = GOOD_HANDLES + ODD_HANDLES
handles = st.sampled_from(GOOD_HANDLES * 8 + ODD_HANDLES)  # mostly X handles, which the fast reader builds
TIMES = ["2026-10-01T09:00:00Z", "2026-10-15T23:59:59Z", "2026-09-20T12:00:00Z", "2026-11-01T00:00:00Z",
         "2026-10-01T09:00:00+02:00", "2026-10-01T09:00:00.250Z", "2026-10-01T09:00:00", "yesterday",
         "0001-01-01T00:30+01:00", "2026-10-05T14:02:00-04:00", "2026-10-05T14:02:00+00:00"]
times = st.sampled_from(TIMES[:2] * 20 + TIMES)
IDS = [str(n) for n in range(1, 12)]
ids = st.sampled_from(IDS * 2 + ["", " ", "\u2003"])
optional_ids = st.one_of(st.none(), st.sampled_from(IDS))
texts = st.one_of(st.sampled_from(["hi @acme_support", "DM us your order", "thanks!", "", "\\\"quoted\\\"", "🙏 ok"]),
                  st.text(max_size=30))
odd = st.one_of(st.none(), st.integers(-5, 10**20), st.floats(allow_nan=False), st.booleans(), st.just([]),
                st.just({}), st.text(max_size=5))


POST_FIELDS = {
    "in_reply_to": optional_ids,
    "in_reply_to_author": st.one_of(st.none(), handles),
    "conversation_id": optional_ids,
    "mentions": st.lists(handles, max_size=3),
    "repost_of": optional_ids,
    "quote_of": optional_ids,
    "url": st.one_of(st.none(), st.sampled_from(["https://x.com/acme_support/status/1", "https://x.com/lchen/status/2",
                                                 "https://example.com/p"])),
    "platform": st.sampled_from([None, "x"] * 10 + ["bluesky", "mastodon", "", "X", "twitter"]),
}
POST_REQUIRED = {"type": st.just("post"), "id": ids, "author": handles, "created_at": times, "text": texts}
LANG = {"lang": st.one_of(st.none(), st.sampled_from(["en", "fr", ""])), "extra": st.integers()}
DM_REQUIRED = {"type": st.just("dm"), "id": st.sampled_from(["d1", "d2", "d3", " "]), "sender": handles,
               "recipients": st.lists(handles, max_size=3), "created_at": times, "text": texts}
DM_FIELDS = {"conversation_id": st.sampled_from(["", "acme_support:bob", "c1"]),
             "platform": st.one_of(st.just("x"), st.sampled_from(["mastodon", "bluesky", ""]))}
FIELDS = sorted({*POST_REQUIRED, *POST_FIELDS, *LANG, *DM_REQUIRED, *DM_FIELDS})


def sometimes_odd(objects):
    """Objects as they come, or with one field (there or not) set to a value of the wrong type."""
    return st.tuples(objects, st.sampled_from([None] * 2 * len(FIELDS) + FIELDS), odd).map(
        lambda drawn: drawn[0] if drawn[1] is None else {**drawn[0], drawn[1]: drawn[2]})


# As exporters write them (every field), and as people write them (some fields).
posts = sometimes_odd(st.one_of(st.fixed_dictionaries({**POST_REQUIRED, **POST_FIELDS}, optional=LANG),
                                st.fixed_dictionaries(POST_REQUIRED, optional={**POST_FIELDS, **LANG})))
dms = sometimes_odd(st.fixed_dictionaries(DM_REQUIRED, optional=DM_FIELDS))
coverage = st.fixed_dictionaries(
    {"type": st.just("coverage"), "dms": st.one_of(st.sampled_from(["all", "none", "some"]),
                                                   st.lists(handles, max_size=3), odd)},
    optional={"note": st.just("x")},
)
others = st.one_of(coverage, st.fixed_dictionaries({"type": st.sampled_from(["like", None, 3, "Post"])}), odd,
                   st.just([1, 2]))
OBJECTS = {"post": posts, "dm": dms, "other": others}


@st.composite
def lines_of(draw) -> bytes:
    kind = draw(st.sampled_from(["compact"] * 6 + ["spaced"] * 3 + ["raw"]))
    if kind == "raw":
        return draw(st.sampled_from([b"{not json", b"[1, 2", b"", b"   ", b"\x0c", b"\t", b"null", b'"post"', b"\r",
                                     b'{"type": "post", "id": "1"', b"\xff\xfe", b"x" * 700, b'{"a": 1} {"b": 2}']))
    obj = draw(OBJECTS[draw(st.sampled_from(["post"] * 5 + ["dm"] * 3 + ["other"]))])
    line = compact(obj) if kind == "compact" else spaced(obj)
    if draw(st.integers(0, 9)) == 0:
        line += b" " * 600  # past the (lowered) line limit, still JSON
    return line


@st.composite
def files(draw) -> bytes:
    body = b""
    for line in draw(st.lists(lines_of(), max_size=25)):
        body += line + draw(st.sampled_from([b"\n", b"\n", b"\r\n"]))
    if draw(st.booleans()):
        body = body.rstrip(b"\n")  # the last line without its newline
    if draw(st.booleans()):
        body = jsonl_lines.BOM + body
    return body


WINDOWS = st.one_of(st.none(), st.just(OCTOBER),
                    st.just((datetime(2026, 10, 1, 9, tzinfo=timezone.utc), datetime(2026, 10, 16, tzinfo=timezone.utc))))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=files(), window=WINDOWS, limit=st.sampled_from([200, 600, 1000]), block=st.sampled_from([1, 7, 64, 4096]))
@example(body=b"\xef\xbb\xbf" + b"y" * 300 + b"\n" + b'{"type": "coverage", "dms": "all"}', window=None, limit=200,
         block=64)
def test_random_files_read_the_same_both_ways(tmp_path, body, window, limit, block):
    path = tmp_path / "random.jsonl"
    path.write_bytes(body)
    with mock.patch.object(jsonl_lines, "MAX_LINE", limit), mock.patch.object(jsonl_lines, "BLOCK", block):
        assert_same(path, window)


def flattened(handle) -> list[tuple[int, bytes | None]]:
    """`line_blocks` as `lines` gives them: numbered, each with its newline."""
    out = []
    for block, ended in line_blocks(handle):
        for raw in block:
            out.append((len(out) + 1, raw + b"\n" if ended and raw is not None else raw))
    return out


@settings(max_examples=500, deadline=None)
@given(body=st.lists(st.sampled_from([b"\n", b"\r\n", b"a", b"bc", b"\xef\xbb\xbf", b"x" * 9, b" "]), max_size=40)
       .map(b"".join), limit=st.integers(1, 12), block=st.integers(1, 16))
def test_line_blocks_give_the_lines_readline_gives(body, limit, block):
    with mock.patch.object(jsonl_lines, "MAX_LINE", limit), mock.patch.object(jsonl_lines, "BLOCK", block):
        assert flattened(io.BytesIO(body)) == list(lines(io.BytesIO(body)))


def test_an_overlong_line_across_blocks_is_one_skipped_line_and_the_next_is_read(tmp_path):
    good = b'{"type": "post", "id": "1", "author": "bob", "created_at": "2026-10-05T12:00:00Z", "text": "hi"}'
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"z" * 50 + b"\n" + good + b"\n" + b"q" * 35 + b"\r\n" + good)
    with mock.patch.object(jsonl_lines, "MAX_LINE", 120), mock.patch.object(jsonl_lines, "BLOCK", 16):
        activity = assert_same(path)
    assert [(s.line, s.reason) for s in activity.skipped] == [(1, "not valid JSON (column 1): unexpected character, expected a JSON value"),
                                                             (3, "not valid JSON (column 1): unexpected character, expected a JSON value")]
    assert [p.id for p in activity.posts] == ["1", "1"]
    with mock.patch.object(jsonl_lines, "MAX_LINE", 40), mock.patch.object(jsonl_lines, "BLOCK", 16):
        activity = assert_same(path)
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (1, "line longer than 1 MB"), (2, "line longer than 1 MB"), (3, "not valid JSON (column 1): unexpected character, expected a JSON value"),
        (4, "line longer than 1 MB")]  # the limit lowered to 40 bytes: the reason names the real one


GOOD_POST = {"type": "post", "id": "7", "author": "@Acme_Support", "created_at": "2026-10-05T14:02:00Z",
             "text": "@bob sorry, DM us", "in_reply_to": "6", "in_reply_to_author": "bob", "conversation_id": "5",
             "mentions": ["bob", "@Bob"], "repost_of": None, "quote_of": None,
             "url": "https://x.com/acme_support/status/7", "platform": "x", "lang": "en"}
GOOD_DM = {"type": "dm", "id": "d9", "conversation_id": "acme_support:bob", "sender": "bob",
           "recipients": ["acme_support"], "created_at": "2026-10-05T10:30:00Z", "text": "order 5531", "platform": "x"}
ODD_VALUES = [None, 0, 5, 10**20, 1.5, True, False, "", " ", "5", [], ["bob"], {}, "did:plc:abc", "a.b", "@bob@m.social"]


@pytest.mark.parametrize("base", [GOOD_POST, GOOD_DM], ids=["post", "dm"])
def test_each_field_missing_or_of_any_odd_value_reads_the_same_both_ways(tmp_path, base):
    """Every field of an exporter's post and DM, one at a time, left out or set to each odd value."""
    events = [base]
    for field in sorted({*GOOD_POST, *GOOD_DM} - {"type"}):
        events.append({k: v for k, v in base.items() if k != field})
        events += [{**base, field: value} for value in ODD_VALUES]
    path = write_lines(tmp_path / "odd.jsonl", events)
    activity = assert_same(path)
    assert activity.skipped_count > 0 and len(activity.posts) + len(activity.dms) > len(ODD_VALUES)
