"""`fetch` against a fake X API (full-field payloads): mapping, paging, incremental runs, resume, errors, secrets."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest

from auditor.activity.ingest.x_api import CredentialsError, credentials_from_env, fetch
from auditor.activity.store import Store
from auditor.activity.sources.store_reader import read_store
from tests.activity.ingest.support import APP_ENV, BEARER, FULL_ENV, SECRETS, USER_KEYS, Recorder, run_fetch as run, requests_to
from tests.activity.ingest.fake_x import NOW


def store_rows(path) -> tuple[list, list]:
    with sqlite3.connect(path) as db:
        events = db.execute("SELECT platform, kind, id, created_at, json FROM events ORDER BY id, kind").fetchall()
        state = db.execute("SELECT account, endpoint, newest_id, next_token, params FROM fetch_state ORDER BY 1, 2").fetchall()
    return events, state


def test_fetch_maps_posts_mentions_conversation_replies_and_dms(fake, roster_policy, tmp_path):
    summary = run(roster_policy, tmp_path / "s.db")
    activity = read_store(tmp_path / "s.db")
    posts = {p.text: p for p in activity.posts}
    complaint = posts["@acme_support my order 5531 is late & nobody answers"]  # &amp; unescaped
    answer = posts["@bob sorry about that, DM us your order number"]
    assert (complaint.author, complaint.mentions) == ("bob", ("acme_support",))
    assert (answer.author, answer.in_reply_to, answer.in_reply_to_author) == ("acme_support", complaint.id, "bob")
    assert answer.conversation_id == complaint.id
    assert answer.link == f"https://x.com/acme_support/status/{answer.id}"
    # A reply without an @mention is found only by searching the conversation.
    quiet = posts["same here, three weeks now"]
    assert (quiet.author, quiet.in_reply_to_author, quiet.conversation_id) == ("carol", "acme_support", complaint.id)
    assert posts["RT @carol: Lovely shop"].repost_of == posts["Lovely shop"].id
    assert {(d.sender, d.recipients, d.conversation_id) for d in activity.dms} == {
        ("bob", ("acme_support",), "100-200"), ("acme_support", ("bob",), "100-200"), ("carol", ("acme_support",), "100-300")}
    assert len(activity.posts) == 8 and len(activity.dms) == 3
    [source] = activity.sources
    assert source.kind == "x-api" and source.channels == ("mention", "reply", "dm")
    assert "@jdoe dms: not fetched: the user-context keys are @acme_support's" in source.notes
    assert summary.added == 11 and summary.failures == 0 and summary.exit_code == 0


def test_fetch_asks_for_the_fields_that_name_people_and_pages_with_next_token(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    first = requests_to(fake, "/2/users/100/tweets")[0]
    assert first["tweet.fields"] == ("created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,"
                                     "lang,note_tweet,edit_history_tweet_ids")
    assert first["expansions"].startswith("author_id,in_reply_to_user_id,referenced_tweets.id")
    assert first["user.fields"] == "username"
    assert [q.get("pagination_token") for q in requests_to(fake, "/2/users/100/tweets")] == [None, "p2"]
    assert [q.get("next_token") for q in requests_to(fake, "/search/recent")[:3]] == [None, "p2", "p4"]
    dm_request = requests_to(fake, "/2/dm_events")[0]
    assert dm_request["dm_event.fields"] == ("event_type,sender_id,dm_conversation_id,participant_ids,created_at,text,"
                                             "attachments,referenced_tweets")
    assert dm_request["expansions"] == "sender_id,participant_ids"
    assert dm_request["event_types"] == "MessageCreate,ParticipantsJoin,ParticipantsLeave"
    # Recent search only reaches back 7 days, and asks for the conversations of the account's posts.
    search = requests_to(fake, "/search/recent")[0]
    assert search["start_time"] == "2026-10-13T12:05:00Z"
    assert search["query"].count("conversation_id:") == 3


def test_second_fetch_asks_only_for_what_is_newer(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        newest_posts = store.fetch_state("acme_support", "posts").newest_id
        newest_mentions = store.fetch_state("acme_support", "mentions").newest_id
    assert newest_posts == max((t["id"] for t in fake.tweets if t["author_id"] == "100"), key=int)
    fresh = fake.tweet("bob", "@acme_support still waiting", NOW - timedelta(hours=1))
    fake.calls.clear()

    summary = run(roster_policy, tmp_path / "s.db")
    timelines = requests_to(fake, "/tweets") + requests_to(fake, "/mentions")
    assert timelines and all("since_id" in q for q in timelines)
    assert requests_to(fake, "/2/users/100/tweets")[0]["since_id"] == newest_posts
    assert requests_to(fake, "/2/users/100/mentions")[0]["since_id"] == newest_mentions
    assert all("pagination_token" not in q for q in timelines)  # one page each: nothing old asked again
    assert len(requests_to(fake, "/2/dm_events")) == 1  # the first page reaches DMs already stored
    assert summary.added == 1
    assert fresh["id"] in {p.id for p in read_store(tmp_path / "s.db").posts}


def test_a_run_killed_mid_way_resumes_and_ends_with_the_same_store(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "whole.db")
    fake.calls.clear()

    def kill_on_page_two(path, query):
        if path.endswith("/2/users/100/tweets") and "pagination_token" in query:
            raise KeyboardInterrupt  # the process dies after page 1 was committed

    fake.before_answer = kill_on_page_two
    with pytest.raises(KeyboardInterrupt):
        run(roster_policy, tmp_path / "cut.db")
    with Store(tmp_path / "cut.db") as store:
        state = store.fetch_state("acme_support", "posts")
        assert state.next_token == "p2" and state.newest_id is None
        assert store.count() == {"post": 4}  # page 1: two posts, and the two posts they reference
    fake.before_answer = None
    fake.calls.clear()
    run(roster_policy, tmp_path / "cut.db")
    assert requests_to(fake, "/2/users/100/tweets")[0] == {**requests_to(fake, "/2/users/100/tweets")[0], "pagination_token": "p2"}
    assert "since_id" not in requests_to(fake, "/2/users/100/tweets")[0]
    whole_events, whole_state = store_rows(tmp_path / "whole.db")
    cut_events, cut_state = store_rows(tmp_path / "cut.db")
    assert cut_events == whole_events
    assert cut_state == whole_state


def test_rate_limit_waits_until_reset_with_a_countdown_then_goes_on(fake, roster_policy, tmp_path):
    reset = int(NOW.timestamp()) + 150
    fake.fail("/mentions", 429, body={"title": "Too Many Requests", "detail": "Too Many Requests"},
              headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"})
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert sum(recorder.sleeps) == 151 and recorder.sleeps == [60, 60, 31]
    assert any("rate limited; waiting 2m 31s until 12:02:31 UTC" in line for line in recorder.lines)
    assert any("1m 31s left" in line for line in recorder.lines)
    assert summary.failures == 0  # jdoe's DMs, which these keys cannot read, are not needed
    assert len(requests_to(fake, "/2/users/100/mentions")) == 2


def test_server_errors_are_retried_with_back_off(fake, roster_policy, tmp_path):
    fake.fail("/2/users/100/tweets", 500, times=2)
    fake.fail("/2/users/101/tweets", 503, times=1)
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2, 4, 2]
    assert any("500 Internal Server Error; retry 2/5 in 4s" in line for line in recorder.lines)
    assert summary.failures == 0
    with Store(tmp_path / "s.db") as store:
        assert {(r.account, r.endpoint, r.status) for r in store.coverage() if r.status != "ok"} == {("jdoe", "dms", "not_fetched")}


def test_an_endpoint_that_keeps_failing_is_recorded_and_the_rest_goes_on(fake, roster_policy, tmp_path):
    fake.fail("/2/users/100/mentions", 500, times=99)
    fake.fail("/2/dm_events", 403, body={"title": "Forbidden", "detail": "You are not permitted to use this endpoint"})
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    with Store(tmp_path / "s.db") as store:
        gaps = {(r.account, r.endpoint): r.reason for r in store.coverage() if r.status != "ok"}
    assert gaps[("acme_support", "mentions")] == "500 Internal Server Error, 5 retries failed"
    assert gaps[("acme_support", "dms")].startswith("403 Forbidden: You are not permitted to use this endpoint")
    assert len(recorder.sleeps) == 5
    activity = read_store(tmp_path / "s.db")
    assert "jdoe" in {p.author for p in activity.posts}  # the next account was still fetched
    [source] = activity.sources
    assert any(note.startswith("@acme_support mentions: 500") for note in source.notes)


def test_401_stops_with_one_clear_line(fake, roster_policy, tmp_path):
    fake.fail("/2/users/by/username/", 401, body={"title": "Unauthorized", "type": "about:blank", "status": 401,
                                                  "detail": "Unauthorized"})
    with pytest.raises(CredentialsError) as caught:
        run(roster_policy, tmp_path / "s.db", env=APP_ENV)
    message = str(caught.value)
    assert message == "the X API refused the credentials (401 Unauthorized) for @acme_support: check X_BEARER_TOKEN"
    assert "\n" not in message and caught.value.__suppress_context__


def test_missing_or_partial_credentials_name_the_variables():
    with pytest.raises(CredentialsError, match="set X_BEARER_TOKEN .app., and for DMs X_CONSUMER_KEY, X_CONSUMER_SECRET, "
                                               "X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET .OAuth 1.0a user context. or "
                                               "X_OAUTH2_USER_TOKEN"):
        credentials_from_env({})
    with pytest.raises(CredentialsError, match="X_ACCESS_TOKEN_SECRET not set"):
        credentials_from_env({k: v for k, v in FULL_ENV.items() if k != "X_ACCESS_TOKEN_SECRET"})
    assert not credentials_from_env(APP_ENV).user_context
    assert BEARER not in repr(credentials_from_env(FULL_ENV))


def test_app_only_credentials_fetch_everything_but_dms(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db", env=APP_ENV)
    assert not requests_to(fake, "/dm_events") and not requests_to(fake, "/users/me")
    activity = read_store(tmp_path / "s.db")
    assert activity.dms == [] and activity.sources[0].channels == ("mention", "reply")
    assert any("dms: not fetched: no user-context credentials" in n for n in activity.sources[0].notes)


def test_credentials_never_reach_logs_messages_errors_or_the_store(fake, roster_policy, tmp_path, caplog, capsys):
    caplog.set_level(logging.DEBUG)  # tweepy logs request headers, the bearer token among them, at DEBUG
    # A hostile or buggy server echoing a token back in its error must not carry it further.
    fake.fail("/2/users/101/mentions", 403, body={"title": "Forbidden", "detail": f"token {BEARER} is not allowed"})
    fake.fail("/2/users/101/tweets", 500, body={"detail": f"oops {USER_KEYS['X_ACCESS_TOKEN']}"}, times=9)
    recorder = Recorder()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in FULL_ENV.items():
            patch.setenv(name, value)
        fetch(roster_policy, tmp_path / "s.db", env=None, clock=lambda: NOW.timestamp(), sleep=recorder.sleep,
              progress=recorder.progress)
        fake.fail("/2/users/me", 401, body={"detail": f"bad {BEARER}"})  # the user ids are in the store now
        with pytest.raises(CredentialsError) as caught:
            fetch(roster_policy, tmp_path / "s.db", clock=lambda: NOW.timestamp(), sleep=recorder.sleep,
                  progress=recorder.progress)
    assert "Making API request" in caplog.text and "Authorization" in caplog.text  # the log was there to leak
    captured = capsys.readouterr()
    store_bytes = (tmp_path / "s.db").read_bytes()
    with Store(tmp_path / "s.db") as store:
        reasons = " ".join(r.reason for r in store.coverage())
    assert "***" in reasons
    for secret in SECRETS:
        for form in {secret, secret.replace("%2B", "+").replace("%2F", "/")}:
            assert form not in caplog.text
            assert form not in captured.out + captured.err
            assert form not in "\n".join(recorder.lines)
            assert form not in str(caught.value)
            assert form.encode() not in store_bytes
            assert form not in reasons
