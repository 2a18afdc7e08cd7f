"""`auditor fetch` for Bluesky: the threads an account's posts are in (`app.bsky.feed.getPostThread`), so
replies by others that notifications do not bring (to each other, or to an account fetched without its
own login) are in the store, and threads that get replies after a fetch are read again for a week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from auditor.activity.ingest import bluesky_api
from auditor.activity.ingest.fetch_networks import adapters, fetch_network
from auditor.activity.sources.store_reader import read_store
from auditor.activity.store import Store
from tests.factories import policy
from tests.activity.ingest.fake_bluesky import NOW, scenario
from tests.activity.ingest.test_bluesky_fetch import ENV, Recorder, run

ACCOUNTS = [{"handle": "acme.bsky.social", "platform": "bluesky", "kind": "brand"},
            {"handle": "jdoe.bsky.social", "platform": "bluesky", "kind": "employee"}]


@pytest.fixture
def loaded(tmp_path):
    return policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                  accounts=ACCOUNTS)


@pytest.fixture
def sky():
    """The usual scenario, with dave answering carol in acme's thread, and jdoe (no login) asked a question."""
    fake = scenario()
    dave = fake.person("did:plc:dave", "dave.bsky.social")
    jdoe = fake.person("did:plc:jdoe", "jdoe.bsky.social")
    ask = next(p for p in fake.posts if p["record"]["text"] == "it broke my setup, how do I roll back?")
    fake.post(dave, "same here, did you find a fix?", NOW - timedelta(days=4, hours=-1), reply_to=ask)
    talk = fake.post(jdoe, "Slides from my talk are up", NOW - timedelta(days=2))
    fake.post("did:plc:carol", "where can I find the recording?", NOW - timedelta(days=1), reply_to=talk)
    return fake


def texts(path):
    return {p.text: p for p in read_store(path).posts}


def test_replies_by_others_in_the_accounts_threads_are_fetched(sky, loaded, tmp_path):
    summary = run(loaded, tmp_path / "s.db", sky)
    assert summary.exit_code == 0
    posts = texts(tmp_path / "s.db")
    # dave answered carol, not acme: no notification brings it, the thread does
    dave = posts["same here, did you find a fix?"]
    assert (dave.author, dave.in_reply_to_author) == ("dave.bsky.social", "carol.bsky.social")
    assert dave.conversation_id == "at://did:plc:acme/app.bsky.feed.post/3l000001"
    # jdoe has no login of its own: notifications are not read for it, its thread is
    question = posts["where can I find the recording?"]
    assert (question.author, question.in_reply_to_author) == ("carol.bsky.social", "jdoe.bsky.social")
    threads = [q["uri"] for m, q in sky.calls if m == "app.bsky.feed.getPostThread"]
    assert sorted(threads) == ["at://did:plc:acme/app.bsky.feed.post/3l000001",
                               "at://did:plc:jdoe/app.bsky.feed.post/3l000006"]  # each thread once
    with Store(tmp_path / "s.db") as store:
        coverage = {(row.account, row.endpoint): row.status for row in store.coverage()}
    assert coverage[("jdoe.bsky.social", "threads")] == "ok"
    assert coverage[("jdoe.bsky.social", "mentions")] == "not_fetched"
    assert read_store(tmp_path / "s.db").sources[0].channels == ("mention", "reply", "dm")


def test_threads_of_the_last_week_are_read_again_for_late_replies(sky, loaded, tmp_path):
    run(loaded, tmp_path / "s.db", sky)
    # a reply to acme's thread of five days ago, after the first fetch; and one to a post of three weeks ago
    old = sky.post("did:plc:jdoe", "An old talk", NOW - timedelta(days=21))
    news = next(p for p in sky.posts if p["uri"] == "at://did:plc:acme/app.bsky.feed.post/3l000001")
    sky.post("did:plc:erin", "late to the party: does it work on ARM?", NOW + timedelta(hours=1), reply_to=news)
    sky.post("did:plc:erin", "still relevant?", NOW + timedelta(hours=1), reply_to=old)
    sky.calls.clear()
    later = NOW + timedelta(hours=2)
    [adapter] = adapters(loaded, env=ENV, factories={"bluesky": sky.client_factory},
                         clock=lambda: later.timestamp()).values()
    fetch_network(loaded, tmp_path / "s.db", adapter, clock=lambda: later.timestamp(), sleep=lambda s: None,
                  progress=Recorder().lines.append)
    posts = texts(tmp_path / "s.db")
    assert "late to the party: does it work on ARM?" in posts
    assert "still relevant?" not in posts  # its thread is three weeks older than the last fetch
    threads = {q["uri"] for m, q in sky.calls if m == "app.bsky.feed.getPostThread"}
    assert old["uri"] not in threads and news["uri"] in threads


def test_a_thread_that_cannot_be_read_is_passed_over_and_a_huge_one_is_cut(sky, loaded, tmp_path, monkeypatch):
    sky.fail("app.bsky.feed.getPostThread", 400, body={"error": "NotFound", "message": "Post not found"})
    monkeypatch.setattr(bluesky_api, "THREAD_POSTS", 2)
    summary = run(loaded, tmp_path / "s.db", sky)
    assert summary.exit_code == 0, summary.missing()
    posts = texts(tmp_path / "s.db")
    assert "where can I find the recording?" in posts or "same here, did you find a fix?" in posts
    assert len([m for m, _ in sky.calls if m == "app.bsky.feed.getPostThread"]) == 2


def test_a_400_is_a_named_gap_not_a_surprise(sky, loaded, tmp_path):
    """A 400 (an account that does not exist: "Profile not found") was "unexpected BadRequestError"."""
    sky.fail("app.bsky.feed.getAuthorFeed", 400, times=2, body={"error": "InvalidRequest", "message": "Profile not found"})
    summary = run(loaded, tmp_path / "s.db", sky)
    assert summary.exit_code == 1
    assert summary.missing() == [
        "@acme.bsky.social posts, @acme.bsky.social threads (400 InvalidRequest: Profile not found)"]
