"""`decode_line` takes only lines orjson reads to the same fields, and the reader stays equal on the lines it refuses.

The fast reader trusts a line `decode_line` takes without asking orjson: a line orjson would
refuse (and the plain reader skip) must never become an event. Checked on byte-level mutations
of canonical lines, and on the known ways two JSON parsers differ.
"""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.activity.fast_events import DMLine, NotTaken, PostLine, decode_line
from tests.activity.sources.test_jsonl_equal import GOOD_DM, GOOD_POST, assert_same, compact, write_lines

CANONICAL = [compact(GOOD_POST), compact(GOOD_DM), compact({**GOOD_POST, "text": "\\ud83d é \u2028 \"q\""})]
# Bytes a mutation splices in: JSON's own punctuation, numbers, escapes, broken UTF-8, whitespace of every kind.
PIECES = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b" ", b"\t", b"\r", b"\x0c", b"\x00", b"\xff", b"\xed\xa0\x80",
          b"\\u", b"\\ud800", b"\\udc00", b"\\n", b"1e400", b"-0", b"01", b"NaN", b"Infinity", b"null", b"true",
          b'"type":"dm"', b'"type":"post"', b'"id":"2"', b'"x":1e999', b'"mentions":[]', b"\xef\xbb\xbf", b"\xc3\xa9"]


@st.composite
def mutated(draw) -> bytes:
    line = draw(st.sampled_from(CANONICAL))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(line)))
        cut = draw(st.integers(0, 3))
        line = line[:at] + draw(st.sampled_from(PIECES + [b""])) + line[at + cut:]
    return line


def fields(line: PostLine | DMLine) -> dict:
    return {name: getattr(line, name) for name in line.__struct_fields__}


@settings(max_examples=3000, deadline=None)
@given(raw=mutated())
def test_a_line_decode_line_takes_is_one_orjson_reads_to_the_same_fields(raw):
    try:
        line = decode_line(raw)
    except NotTaken:
        return
    obj = orjson.loads(raw)  # raises if decode_line took a line orjson refuses
    assert obj["type"] == ("post" if type(line) is PostLine else "dm")
    assert set(obj) - {"type"} <= set(line.__struct_fields__)  # nothing it does not know
    assert {name: value for name, value in fields(line).items() if name in obj} == {
        name: value for name, value in obj.items() if name != "type"}


@pytest.mark.parametrize("raw", [
    # orjson refuses a number too large for a double; a field decode_line does not know could hold one
    compact(GOOD_POST)[:-1] + b',"views":1e400}',
    compact(GOOD_POST)[:-1] + b',"views":[[[[1]]]]}',
    # the last of two equal keys wins in orjson: this line is a DM, and not a valid one
    compact(GOOD_POST)[:-1] + b',"type":"dm"}',
    compact(GOOD_DM)[:-1] + b',"type":"post"}',
    compact(GOOD_POST)[:-1] + b',"id":"8"}',
    # the type last, or twice the same
    b'{' + compact({k: v for k, v in GOOD_POST.items() if k != "type"})[1:-1] + b',"type":"post"}',
    b'{"type":"post",' + compact(GOOD_POST)[1:],
])
def test_lines_where_two_parsers_could_differ_read_the_same_both_ways(tmp_path, raw):
    path = tmp_path / "odd.jsonl"
    path.write_bytes(raw + b"\n" + compact(GOOD_DM) + b"\n")
    activity = assert_same(path)
    assert len(activity.dms) >= 1  # the good line after it is read


def test_a_line_with_a_field_the_writer_never_writes_is_left_to_parse_event():
    with pytest.raises(NotTaken):
        decode_line(compact({**GOOD_POST, "views": 3}))
    assert type(decode_line(compact(GOOD_POST))) is PostLine
    assert type(decode_line(compact(GOOD_DM))) is DMLine


def test_ids_that_name_a_post_share_its_string(tmp_path):
    # A month holds hundreds of thousands of replies: each one's `in_reply_to` and conversation id is
    # the replied-to post's own id string rather than a copy of it (equal either way, as the plain reader's).
    root = {**GOOD_POST, "id": "100", "mentions": [], "in_reply_to": None, "in_reply_to_author": None,
            "conversation_id": "100"}
    reply = {**GOOD_POST, "id": "101", "created_at": "2026-10-01T12:00:00Z", "in_reply_to": "100",
             "conversation_id": "100", "quote_of": "100"}
    repost = {**reply, "id": "102", "repost_of": "101", "in_reply_to": None, "quote_of": None}
    path = write_lines(tmp_path / "thread.jsonl", [reply, root, repost])  # the reply first: order does not matter
    posts = {post.id: post for post in assert_same(path).posts}
    assert posts["101"].in_reply_to is posts["100"].id
    assert posts["101"].conversation_id is posts["100"].id is posts["100"].conversation_id
    assert posts["101"].quote_of is posts["100"].id
    assert posts["102"].repost_of is posts["101"].id


def test_events_written_one_after_the_other_in_the_same_second_share_one_datetime(tmp_path):
    first = {**GOOD_POST, "id": "200", "created_at": "2026-10-01T12:00:00Z"}
    second = {**GOOD_POST, "id": "201", "created_at": "2026-10-01T12:00:00Z"}
    message = {**GOOD_DM, "id": "d1", "created_at": "2026-10-01T12:00:00Z"}
    later = {**GOOD_POST, "id": "202", "created_at": "2026-10-01T12:00:01Z"}
    activity = assert_same(write_lines(tmp_path / "busy.jsonl", [first, second, message, later]))
    posts = {post.id: post for post in activity.posts}
    assert posts["200"].created_at is posts["201"].created_at is activity.dms[0].created_at
    assert posts["202"].created_at is not posts["200"].created_at


def test_languages_are_held_once(tmp_path):
    posts = [{**GOOD_POST, "id": str(n), "lang": "en"} for n in (300, 301)]
    first, second = assert_same(write_lines(tmp_path / "langs.jsonl", posts)).posts
    assert first.lang == "en" and first.lang is second.lang


# Spellings of one handle, and handles the builder leaves to `parse_event` (another network's, empty).
SPELLINGS = ["bob", "@Bob", "BOB", " bob", "acme_support", "@acme_support", "a.b", "", "did:plc:abc", "@bob@m.social"]


@settings(max_examples=300, deadline=None)
@given(author=st.sampled_from(SPELLINGS), replied=st.none() | st.sampled_from(SPELLINGS),
       mentions=st.lists(st.sampled_from(SPELLINGS), max_size=3), root=st.booleans())
def test_a_post_whose_handles_repeat_reads_the_same_both_ways(tmp_path_factory, author, replied, mentions, root):
    # The builder keeps one canonical string and one-handle tuple per handle however it is spelled, and
    # one string per id: the event must be the one `parse_event` builds from the same line, whatever the
    # spellings of the author, the author replied to and the mentions, and whether the post is a thread's first.
    post = {**GOOD_POST, "author": author, "in_reply_to_author": replied, "mentions": mentions,
            "in_reply_to": None if replied is None else "6", "conversation_id": "7" if root else "5"}
    message = {**GOOD_DM, "sender": author, "recipients": mentions}
    assert_same(write_lines(tmp_path_factory.mktemp("handles") / "posts.jsonl", [post, post, message]))


def test_handles_and_one_handle_lists_are_held_once(tmp_path):
    reply = {**GOOD_POST, "in_reply_to_author": "bob", "mentions": ["bob"], "conversation_id": "7"}
    other = {**GOOD_POST, "id": "8", "author": "bob", "in_reply_to_author": "@Bob", "mentions": ["@Bob"],
             "conversation_id": "5"}
    message = {**GOOD_DM, "sender": "acme_support", "recipients": ["bob"]}
    activity = assert_same(write_lines(tmp_path / "handles.jsonl", [reply, other, message]))
    first, second = activity.posts
    assert first.mentions is activity.dms[0].recipients  # "bob" alone, the same tuple
    assert first.mentions[0] is first.in_reply_to_author is second.author
    assert first.conversation_id is first.id  # a thread's first post names itself
