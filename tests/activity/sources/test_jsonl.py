"""The canonical JSONL reader: streaming, one bad line skipped with its number and reason."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from auditor.activity.events import event_to_dict, parse_event
from auditor.activity.sources.jsonl import read_jsonl

GOOD_POST = {"type": "post", "id": "1001", "author": "@ACME_Support", "created_at": "2026-10-05T14:02:00Z",
             "text": "@bob sorry about that, DM us your order number", "in_reply_to": "1000",
             "in_reply_to_author": "bob", "conversation_id": "1000", "mentions": ["bob"],
             "repost_of": None, "quote_of": None, "url": "https://x.com/acme_support/status/1001", "platform": "x",
             "lang": "en"}
GOOD_DM = {"type": "dm", "id": "d-77", "conversation_id": "bob:acme_support", "sender": "bob",
           "recipients": ["acme_support"], "created_at": "2026-10-05T10:30:00-04:00", "text": "order 5531"}


def write(tmp_path, lines):
    path = tmp_path / "activity.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def test_reads_posts_and_dms_with_handles_normalised_and_times_in_utc(tmp_path):
    activity = read_jsonl(write(tmp_path, [GOOD_POST, GOOD_DM]))
    [post], [message] = activity.posts, activity.dms
    assert post.author == "acme_support"
    assert post.in_reply_to_author == "bob"
    assert message.created_at == datetime(2026, 10, 5, 14, 30, tzinfo=timezone.utc)
    assert activity.skipped_count == 0
    assert activity.sources[0].events == 2


def test_bad_lines_are_skipped_with_line_number_and_reason_and_the_rest_is_read(tmp_path):
    lines = [
        GOOD_POST,
        "{not json",
        {**GOOD_POST, "id": "2", "created_at": "2026-10-05T14:02:00"},
        {**GOOD_POST, "id": "3", "type": "like"},
        {k: v for k, v in GOOD_DM.items() if k != "recipients"},
        {k: v for k, v in GOOD_POST.items() if k != "author"},
        "[1, 2]",
        "",
        GOOD_DM,
    ]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert len(activity.posts) == 1 and len(activity.dms) == 1
    assert activity.skipped_count == 6
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (2, "not valid JSON (column 2): unexpected character, expected a string key"),
        (3, "created_at has no UTC offset: '2026-10-05T14:02:00' (add Z or +00:00)"),
        (4, "unknown type 'like' (expected 'post' or 'dm')"),
        (5, "missing required field 'recipients'"),
        (6, "missing required field 'author'"),
        (7, "an event must be a JSON object"),
    ]


def test_handles_of_only_whitespace_and_at_signs_are_empty(tmp_path):
    """A tab, an ideographic space or "@\t@" is no handle: a sender or author of one is refused, a mention of
    one is dropped (a tab used to be read as the handle '', found by tests/fuzz)."""
    lines = [
        {**GOOD_DM, "sender": "\t"},
        {**GOOD_POST, "id": "2", "author": "\u3000"},
        {**GOOD_POST, "id": "3", "in_reply_to_author": "@\t@"},
        {**GOOD_DM, "id": "d-78", "recipients": ["acme_support", "\t"]},
        {**GOOD_POST, "id": "4", "mentions": ["bob", "\t", "@\u3000"]},
    ]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (1, "sender is empty"), (2, "author is empty"), (3, "in_reply_to_author is empty")]
    [dm], [post] = activity.dms, activity.posts
    assert dm.recipients == ("acme_support",)
    assert post.mentions == ("bob",)


def test_a_handle_that_is_no_x_handle_is_refused_with_its_reason(tmp_path):
    lines = [
        {**GOOD_POST, "id": "2", "author": "acme\x1b[2Jsupport"},
        {**GOOD_DM, "id": "d-2", "sender": "a b"},
        {**GOOD_DM, "id": "d-3", "recipients": ["acme_support", "<img src=http://evil.example/x>"]},
        {**GOOD_POST, "id": "3", "in_reply_to_author": "=cmd|' /C calc'!A0"},
        {**GOOD_POST, "id": "4", "author": "x" * 500},
        {**GOOD_POST, "id": "5", "author": "rtl\u202egnp"},
        {**GOOD_POST, "id": "6", "author": "Jane_Doe-42"},
    ]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert [s.line for s in activity.skipped] == [1, 2, 3, 4, 5, 6]
    assert all("is not an X handle" in s.reason for s in activity.skipped)
    assert [post.author for post in activity.posts] == ["jane_doe-42"]


def test_a_mention_that_is_no_x_handle_is_dropped_and_the_line_kept(tmp_path):
    # `mentions` is optional (derived from the text when missing): one bad entry loses no reply.
    lines = [{**GOOD_POST, "id": "2", "mentions": ["rob", "Rob Smith", "<b>"]}]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert activity.skipped_count == 0
    assert [post.mentions for post in activity.posts] == [("rob",)]


def test_a_url_that_is_no_web_link_is_dropped_and_vouches_for_nothing(tmp_path):
    lines = [{**GOOD_POST, "id": str(n), "url": url} for n, url in enumerate([
        "javascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd",
        "https://x.com/cust/status/1005\nX", "https://example.com/ok"], start=1)]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert activity.skipped_count == 0
    assert [(post.link, post.real_id) for post in activity.posts] == [
        (None, False), (None, False), (None, False), (None, False), ("https://example.com/ok", True)]


def test_a_url_or_a_language_that_is_a_number_is_refused(tmp_path):
    lines = [{**GOOD_POST, "id": "1", "url": 5}, {**GOOD_POST, "id": "2", "lang": 5}, {**GOOD_POST, "id": "3", "lang": "en"}]
    activity = read_jsonl(write(tmp_path, lines), name="a.jsonl")
    assert [(s.line, s.reason) for s in activity.skipped] == [(1, "url must be a string"), (2, "lang must be a string")]


def test_optional_fields_are_derived(tmp_path):
    minimal = {"type": "post", "id": "5", "author": "bob", "created_at": "2026-10-05T14:02:00+02:00",
               "text": "hey @Acme_Support and @lchen, help"}
    dm_minimal = {"type": "dm", "id": "d1", "sender": "bob", "recipients": ["@Acme_Support"],
                  "created_at": "2026-10-05T14:02:00Z", "text": "hi"}
    activity = read_jsonl(write(tmp_path, [minimal, dm_minimal]))
    assert activity.posts[0].mentions == ("acme_support", "lchen")
    assert activity.dms[0].conversation_id == "acme_support:bob"


def test_event_round_trips_through_its_dict():
    event = parse_event(GOOD_POST)
    assert parse_event(event_to_dict(event)) == event
    message = parse_event(GOOD_DM)
    assert parse_event(event_to_dict(message)) == message


def test_a_line_cut_short_says_so(tmp_path):
    whole = json.dumps(GOOD_DM)
    activity = read_jsonl(write(tmp_path, [whole[:40], whole]), name="a.jsonl")
    assert [(s.line, s.reason) for s in activity.skipped] == [(1, "not valid JSON (column 41): unexpected end of data")]
    assert len(activity.dms) == 1
