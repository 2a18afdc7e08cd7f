"""The store reader gives exactly the events `row_event` gives (`AUDITOR_SPEEDUPS=off`), row by row.

`row_builder` decodes the rows the writer wrote into typed fields and shares equal strings;
every other row goes through `row_event`. Compared on stores of real data, a generated month
and Bluesky and Mastodon posts, and on rows edited into every odd shape a store could hold.
"""

from __future__ import annotations

import json
import os
import sqlite3
from msgspec.structs import replace
from datetime import datetime, timezone
from unittest import mock

import pytest

from auditor.activity.ingest.importing import import_sources
from auditor.activity.model import Activity, SourceInfo
from auditor.activity.sources.store_reader import read_store
from auditor.activity.store import Store
from auditor.activity.store_format import row_builder, row_event
from auditor.bundled import sample_data
from auditor.sample.generate import write_jsonl
from tests.factories import dm, post
from tests.shared_data import shared

OCTOBER = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))


def read_both(path, since=None, until=None) -> Activity:
    activities = []
    for switch in ("on", "off"):
        with mock.patch.dict(os.environ, {"AUDITOR_SPEEDUPS": switch}):
            activities.append(read_store(path, since, until))
    fast, plain = activities
    # repr too: equal datetimes in two zones are ==, and a time must come back in UTC
    assert repr(fast.posts) == repr(plain.posts) and repr(fast.dms) == repr(plain.dms)
    assert fast.posts == plain.posts
    assert fast.dms == plain.dms
    assert fast == plain
    return fast


def test_stores_of_real_and_generated_data_read_the_same_both_ways(tmp_path):
    month = tmp_path / "month.jsonl"
    write_jsonl(month, events=5_000, accounts=40, seed=3, start="2026-10-01", end="2026-11-01")
    paths = [shared("x-archive", "andreruffert"), shared("x-archive", "alrocar"), sample_data(), month]
    list(import_sources(paths, tmp_path / "s.db"))
    list(import_sources([shared("twcs", "twcs-rows-0-2499.csv")], tmp_path / "s.db", mapping="twcs"))
    activity = read_both(tmp_path / "s.db")
    assert len(activity.posts) > 5_000 and activity.dms
    read_both(tmp_path / "s.db", *OCTOBER)


def test_posts_of_other_networks_and_odd_fields_read_the_same_both_ways(tmp_path):
    events = [
        replace(post("alice.bsky.social", "2026-10-05 10:00", "@acme.bsky.social hi", id="at://a/1",
                     mentions=("acme.bsky.social",), real_id=False), platform="bluesky"),
        replace(post("bob@mastodon.social", "2026-10-05 11:00", "hello", id="110"), platform="mastodon",
                url="https://mastodon.social/@bob/110"),
        post("bob", "2026-10-05 12:00:00.250000", "", id="5", lang="fr"),
        post("carol", "2026-10-05 13:00", "@acme_support @bob two", id="6", mentions=("acme_support", "bob")),
        replace(dm("bob", "acme_support", "2026-10-05 14:00", "order"), recipients=("acme_support", "carol")),
    ]
    activity = Activity(posts=[e for e in events if hasattr(e, "author")], dms=[e for e in events if hasattr(e, "sender")])
    activity.sources.append(SourceInfo("test", "jsonl"))
    with Store(tmp_path / "s.db") as store:
        store.add_activity(activity, "test")
    read = read_both(tmp_path / "s.db")
    assert sorted(read.posts, key=lambda p: p.id) == sorted(activity.posts, key=lambda p: p.id)
    assert read.dms == activity.dms


GOOD_POST = {"type": "post", "id": "7", "author": "acme_support", "created_at": "2026-10-05T14:02:00Z",
             "text": "@bob sorry", "in_reply_to": "6", "in_reply_to_author": "bob", "conversation_id": "5",
             "mentions": ["bob"], "repost_of": None, "quote_of": None, "url": None, "platform": "x"}
GOOD_DM = {"type": "dm", "id": "d9", "conversation_id": "acme_support:bob", "sender": "bob",
           "recipients": ["acme_support"], "created_at": "2026-10-05T10:30:00Z", "text": "order 5531", "platform": "x"}
# What an older store, a hand edit or a merge of two sources could leave in a row that `row_event` still reads.
ODD_ROWS = [
    ("post", {**GOOD_POST, "mentions": None}),
    ("post", {k: v for k, v in GOOD_POST.items() if k != "mentions"}),
    ("post", {k: v for k, v in GOOD_POST.items() if k not in ("platform", "url", "in_reply_to")}),
    ("post", {**GOOD_POST, "created_at": "2026-10-05T16:02:00+02:00"}),
    ("post", {**GOOD_POST, "created_at": "2026-10-05T14:02:00.500+00:00"}),
    ("post", {**GOOD_POST, "platform": ""}),
    ("post", {**GOOD_POST, "lang": ""}),
    ("post", {**GOOD_POST, "url": "https://x.com/acme_support/status/7"}),
    ("post", {**GOOD_POST, "url": "https://x.com/acme_support/status/7", "platform": None}),
    ("post", {**GOOD_POST, "text": None}),
    ("post", {**GOOD_POST, "views": 3}),
    ("post", {**GOOD_POST, "mentions": ["bob", "bob"]}),
    ("post", {**GOOD_POST, "type": "dm"}),  # the row's kind column says post
    ("dm", {**GOOD_DM, "conversation_id": None}),
    ("dm", {**GOOD_DM, "platform": None}),
    ("dm", {**GOOD_DM, "recipients": []}),
    ("dm", {**GOOD_DM, "recipients": ["acme_support", "carol", "acme_support"]}),
    ("dm", {**GOOD_DM, "text": ""}),
]
# Rows `row_event` cannot read: the store reader says the store is damaged (DataError), whichever builds.
BROKEN_ROWS = [
    ("dm", {k: v for k, v in GOOD_DM.items() if k != "conversation_id"}),
    ("post", {k: v for k, v in GOOD_POST.items() if k != "author"}),
    ("post", {**GOOD_POST, "created_at": "yesterday"}),
    ("dm", {**GOOD_DM, "created_at": None}),
]


@pytest.mark.parametrize("kind, obj", ODD_ROWS)
@pytest.mark.parametrize("real_id", [False, True])
def test_each_odd_row_is_built_as_row_event_builds_it(kind, obj, real_id):
    text = json.dumps(obj)
    built, expected = row_builder()(kind, text, real_id), row_event(kind, text, real_id)
    assert built == expected and repr(built) == repr(expected)


@pytest.mark.parametrize("kind, obj", BROKEN_ROWS)
def test_a_row_row_event_cannot_read_is_not_read_by_the_builder_either(kind, obj):
    text = json.dumps(obj)
    with pytest.raises((KeyError, ValueError, TypeError)) as plain:
        row_event(kind, text, False)
    with pytest.raises(plain.type):
        row_builder()(kind, text, False)


def test_odd_rows_in_a_store_read_the_same_both_ways(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.add_activity(Activity(posts=[post("bob", "2026-10-05 12:00", id=str(n)) for n in range(len(ODD_ROWS))],
                                    sources=[SourceInfo("test", "jsonl")]), "test")
    with sqlite3.connect(tmp_path / "s.db") as db:
        for n, (kind, obj) in enumerate(ODD_ROWS):
            db.execute("UPDATE events SET kind = ?, json = ? WHERE id = ?", (kind, json.dumps({**obj, "id": str(n)}), str(n)))
    read = read_both(tmp_path / "s.db")
    assert len(read.posts) + len(read.dms) == len(ODD_ROWS)


def test_equal_texts_and_handles_are_held_once():
    build = row_builder()
    first, second = (build("post", json.dumps({**GOOD_POST, "id": n}), False) for n in ("1", "2"))
    assert first.text is second.text and first.author is second.author and first.mentions is second.mentions


def test_ids_that_name_a_post_share_its_string():
    # A month holds hundreds of thousands of replies: each one's parent and conversation id is the post's
    # own id string, not a copy (about 90 MB at a million stored events).
    build = row_builder()
    root = build("post", json.dumps({**GOOD_POST, "id": "100", "in_reply_to": None, "in_reply_to_author": None,
                                     "conversation_id": "100", "mentions": []}), False)
    reply = build("post", json.dumps({**GOOD_POST, "id": "101", "in_reply_to": "100", "conversation_id": "100",
                                      "quote_of": "100"}), False)
    repost = build("post", json.dumps({**GOOD_POST, "id": "102", "repost_of": "101"}), False)
    assert root.conversation_id is root.id
    assert reply.in_reply_to is reply.conversation_id is reply.quote_of is root.id
    assert repost.repost_of is reply.id
    # A reply's mention of whom it answers is that handle's one tuple, as the recipients of a DM to it are.
    message = build("dm", json.dumps({**GOOD_DM, "sender": "acme_support", "recipients": ["bob"]}), False)
    assert reply.mentions is message.recipients and reply.mentions[0] is reply.in_reply_to_author


@pytest.mark.parametrize("mentions", [[], ["bob"], ["BOB"], ["carol"], ["bob", "bob"], ["carol", "bob"]])
@pytest.mark.parametrize("replied", [None, "bob", "carol"])
def test_a_reply_and_its_mentions_are_built_as_row_event_builds_them(mentions, replied):
    text = json.dumps({**GOOD_POST, "mentions": mentions, "in_reply_to_author": replied})
    built, expected = row_builder()("post", text, False), row_event("post", text, False)
    assert built == expected and repr(built) == repr(expected)


def test_networks_and_languages_are_held_once():
    # A stored month of X API posts names its network and language on every row: two short strings
    # a post, which kept apart cost a hundred bytes a post.
    build = row_builder()
    first, second = (build("post", json.dumps({**GOOD_POST, "id": n, "lang": "en"}), False) for n in ("1", "2"))
    message, other = (build("dm", json.dumps({**GOOD_DM, "id": n}), False) for n in ("d1", "d2"))
    assert first.lang == "en" and first.lang is second.lang
    assert first.platform == "x" and first.platform is second.platform is message.platform is other.platform
