"""`auditor fetch` for Bluesky accounts, against a fake PDS behind the SDK's transport (tests/activity/ingest/fake_bluesky.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from auditor.activity.ingest import bluesky_api
from auditor.activity.ingest.fetch_networks import adapters, fetch_network
from auditor.activity.store import Store
from auditor.activity.sources.store_reader import read_store
from auditor.cli import app
from tests.factories import policy
from tests.activity.ingest.fake_bluesky import NOW, SERVICE, scenario

ENV = {"BLUESKY_HANDLE": "acme.bsky.social", "BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop", "BLUESKY_SERVICE": SERVICE}
ACCOUNTS = [{"handle": "acme.bsky.social", "platform": "bluesky", "kind": "brand"}]


class Recorder:
    def __init__(self):
        self.lines, self.sleeps = [], []


@pytest.fixture
def sky():
    return scenario()


@pytest.fixture
def loaded(tmp_path):
    return policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                  accounts=ACCOUNTS)


def run(loaded, path, fake, env=ENV, recorder=None):
    recorder = recorder or Recorder()
    [adapter] = adapters(loaded, env=env, factories={"bluesky": fake.client_factory},
                         clock=lambda: NOW.timestamp()).values()
    return fetch_network(loaded, path, adapter, clock=lambda: NOW.timestamp(), sleep=recorder.sleeps.append,
                         progress=recorder.lines.append)


def keys(path):
    with Store(path) as store:
        return store.db.execute("SELECT platform, kind, id, author FROM events ORDER BY id").fetchall()


def test_the_author_feed_notifications_and_chat_become_posts_and_dms(sky, loaded, tmp_path):
    summary = run(loaded, tmp_path / "s.db", sky)
    assert (summary.exit_code, summary.line()) == (0, "fetched 1 account in 5 requests: 6 new events, 0 updated")
    read = read_store(tmp_path / "s.db")
    posts = {p.text: p for p in read.posts}
    ask, answer = posts["it broke my setup, how do I roll back?"], posts["sorry! DM us your order number"]
    assert (ask.author, ask.in_reply_to_author, ask.platform) == ("carol.bsky.social", "acme.bsky.social", "bluesky")
    assert answer.in_reply_to == ask.id == "at://did:plc:carol/app.bsky.feed.post/3l000002"
    assert answer.conversation_id == ask.conversation_id == "at://did:plc:acme/app.bsky.feed.post/3l000001"
    assert ask.link == "https://bsky.app/profile/carol.bsky.social/post/3l000002"
    assert posts["@acme.bsky.social is there a student discount?"].mentions == ("acme.bsky.social",)
    assert sorted((d.sender, d.recipients, d.text) for d in read.dms) == [
        ("acme.bsky.social", ("carol.bsky.social",), "thanks, refund on its way"),
        ("carol.bsky.social", ("acme.bsky.social",), "order 5531")]
    [source] = read.sources
    assert (source.kind, source.channels, source.dm_accounts) == (
        "bluesky-api", ("mention", "reply", "dm"), frozenset({"acme.bsky.social"}))


def test_pages_follow_the_cursor_and_a_killed_run_resumes_at_the_next_page(sky, loaded, tmp_path):
    sky.page_size = 1
    whole = tmp_path / "whole.db"
    run(loaded, whole, sky)
    # the posts endpoint pages the author feed, then the threads endpoint does again for the threads of its posts
    assert [q.get("cursor") for m, q in sky.calls if m == "app.bsky.feed.getAuthorFeed"] == [None, "1", None, "1"]
    fresh = scenario()
    fresh.page_size = 1
    pages = []

    def die(method, query):
        if method == "app.bsky.notification.listNotifications":
            pages.append(query)
            if len(pages) == 2:
                raise KeyboardInterrupt
    fresh.before_answer = die
    with pytest.raises(KeyboardInterrupt):
        run(loaded, tmp_path / "s.db", fresh)
    with Store(tmp_path / "s.db") as store:
        assert store.fetch_state("acme.bsky.social", "mentions").next_token == "1"
    fresh.before_answer = None
    fresh.calls.clear()
    recorder = Recorder()
    summary = run(loaded, tmp_path / "s.db", fresh, recorder=recorder)
    assert [q.get("cursor") for m, q in fresh.calls if m == "app.bsky.notification.listNotifications"][0] == "1"
    assert "@acme.bsky.social mentions: resuming an interrupted fetch" in recorder.lines
    assert (summary.resumed, summary.exit_code) == (1, 0)
    assert keys(tmp_path / "s.db") == keys(whole)


def test_a_rate_limit_waits_until_ratelimit_reset(sky, loaded, tmp_path):
    reset = int(NOW.timestamp()) + 90
    sky.fail("app.bsky.feed.getAuthorFeed", 429, headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0",
                                                          "ratelimit-reset": str(reset)},
             body={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})
    recorder = Recorder()
    summary = run(loaded, tmp_path / "s.db", sky, recorder=recorder)
    assert summary.exit_code == 0
    assert recorder.sleeps == [60, 31]
    assert "  @acme.bsky.social posts: rate limited; waiting 1m 31s until 12:01:31 UTC" in recorder.lines


def test_an_app_password_without_dm_access_reads_the_rest_and_names_the_gap(sky, loaded, tmp_path):
    sky.chat_allowed.clear()
    summary = run(loaded, tmp_path / "s.db", sky)
    assert summary.exit_code == 1
    assert summary.missing() == [
        "@acme.bsky.social dms (401 InvalidToken: Bad token scope: the app password may not read DMs: create "
        "one with \"Allow access to your direct messages\" (Settings, Privacy and security, App passwords))"]
    assert read_store(tmp_path / "s.db").sources[0].dm_accounts == frozenset()


def test_a_wrong_app_password_exits_2_with_one_line_and_no_secret(sky, loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(bluesky_api, "default_client", sky.client_factory)
    for name, value in (ENV | {"BLUESKY_APP_PASSWORD": "wxyz-wrong-pass-9876"}).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(loaded.path), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "error: Bluesky refused the login of @acme.bsky.social (401 AuthenticationRequired: Invalid identifier or "
        "password): check BLUESKY_APP_PASSWORD (an app password: Settings, Privacy and security, App passwords)"]
    assert "wxyz" not in result.output


def test_no_bluesky_credentials_exit_2_before_any_request(sky, loaded, tmp_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bluesky_api, "default_client", sky.client_factory)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(loaded.path), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert result.output.strip() == ("error: no Bluesky credentials: set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD "
                                     "(an app password), or BLUESKY_APP_PASSWORDS (handle=app-password pairs)")
    assert sky.calls == []
