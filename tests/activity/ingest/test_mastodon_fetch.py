"""`auditor fetch` for Mastodon accounts, against a fake instance (tests/activity/ingest/fake_mastodon.py)."""

from __future__ import annotations

import pytest
import responses
from typer.testing import CliRunner

from auditor.activity.ingest.fetch_networks import adapters, fetch_network
from auditor.activity.store import Store
from auditor.activity.sources.store_reader import read_store
from auditor.cli import app
from tests.factories import policy
from tests.activity.ingest.fake_mastodon import BASE, NOW, scenario

ENV = {"MASTODON_ACCESS_TOKEN": "tok-acme"}
ACCOUNTS = [{"handle": "@acme@mastodon.social", "platform": "mastodon", "kind": "brand"}]


class Recorder:
    def __init__(self):
        self.lines, self.sleeps = [], []


@pytest.fixture
def masto():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = scenario()
        fake.install(mock)
        yield fake


@pytest.fixture
def loaded(tmp_path):
    return policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                  accounts=ACCOUNTS)


def run(loaded, path, env=ENV, recorder=None):
    recorder = recorder or Recorder()
    [adapter] = adapters(loaded, env=env, clock=lambda: NOW.timestamp()).values()
    return fetch_network(loaded, path, adapter, clock=lambda: NOW.timestamp(), sleep=recorder.sleeps.append,
                         progress=recorder.lines.append)


def rows(path):
    with Store(path) as store:
        return store.db.execute("SELECT platform, kind, id, author, json FROM events ORDER BY id").fetchall()


def test_statuses_mentions_and_direct_conversations_become_posts_and_dms(masto, loaded, tmp_path):
    summary = run(loaded, tmp_path / "s.db")
    assert summary.exit_code == 0
    assert summary.line() == "fetched 1 account in 5 requests: 6 new events, 0 updated"
    read = read_store(tmp_path / "s.db")
    posts = {p.text: p for p in read.posts}
    ask = posts["@acme it broke my setup, how do I roll back?"]
    answer = posts["@dave sorry! DM us your order number"]
    assert (ask.author, ask.in_reply_to_author, ask.platform) == ("dave@mastodon.social", "acme@mastodon.social", "mastodon")
    assert answer.in_reply_to == ask.id == "https://mastodon.social/users/dave/statuses/110000000000000002"
    assert ask.link == "https://mastodon.social/@dave/110000000000000002"
    assert posts["@acme is there a student discount?"].author == "erin@fosstodon.org"
    assert sorted((d.sender, d.recipients, d.conversation_id) for d in read.dms) == [
        ("acme@mastodon.social", ("dave@mastodon.social",), "acme@mastodon.social:dave@mastodon.social"),
        ("dave@mastodon.social", ("acme@mastodon.social",), "acme@mastodon.social:dave@mastodon.social")]
    [source] = read.sources
    assert (source.kind, source.channels, source.dm_accounts) == (
        "mastodon-api", ("mention", "reply", "dm"), frozenset({"acme@mastodon.social"}))


def test_pages_follow_the_link_header_and_a_second_run_asks_only_back_to_what_it_has(masto, loaded, tmp_path):
    run(loaded, tmp_path / "s.db")
    paged = [q.get("max_id") for path, q in masto.calls if path == "/api/v1/notifications"]
    assert paged == [None, "9110000000000000004"]  # two notifications a page: the Link header's max_id next
    masto.calls.clear()
    again = run(loaded, tmp_path / "s.db")
    assert (again.added, again.exit_code) == (0, 0)
    # Newest first, and the first page already reaches back past the newest time stored: one page each.
    assert [path for path, _ in masto.calls].count("/api/v1/notifications") == 1


def test_a_run_killed_between_pages_resumes_at_the_next_one(masto, loaded, tmp_path):
    whole = tmp_path / "whole.db"
    run(loaded, whole)
    pages = []

    def die(path, query):
        if path == "/api/v1/notifications":
            pages.append(query)
            if len(pages) == 2:
                raise KeyboardInterrupt
    masto.before_answer = die
    with pytest.raises(KeyboardInterrupt):
        run(loaded, tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        assert store.fetch_state("acme@mastodon.social", "mentions").next_token == "9110000000000000004"
    masto.before_answer = None
    masto.calls.clear()
    recorder = Recorder()
    summary = run(loaded, tmp_path / "s.db", recorder=recorder)
    assert [q.get("max_id") for path, q in masto.calls if path == "/api/v1/notifications"][0] == "9110000000000000004"
    assert "@acme@mastodon.social mentions: resuming an interrupted fetch" in recorder.lines
    assert summary.resumed == 1
    assert [r[:4] for r in rows(tmp_path / "s.db")] == [r[:4] for r in rows(whole)]


def test_a_rate_limit_is_waited_out_until_the_reset_the_instance_names(masto, loaded, tmp_path):
    reset = "2026-10-20T12:02:30.000Z"  # Mastodon sends X-RateLimit-Reset as an ISO time
    masto.fail(r"/notifications$", 429, headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                                                   "X-RateLimit-Reset": reset})
    recorder = Recorder()
    summary = run(loaded, tmp_path / "s.db", recorder=recorder)
    assert summary.exit_code == 0
    assert sum(recorder.sleeps) == 151  # until the reset, plus a second
    assert "  @acme@mastodon.social mentions: rate limited; waiting 2m 31s until 12:02:31 UTC" in recorder.lines


def test_server_errors_are_retried_and_a_lasting_one_is_a_named_gap(masto, loaded, tmp_path):
    masto.fail(r"/conversations/?$", 503, times=99)
    recorder = Recorder()
    summary = run(loaded, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2, 4, 8, 16, 32]
    assert summary.exit_code == 1
    assert summary.missing() == ["@acme@mastodon.social dms (503 Service Unavailable, 5 retries failed)"]


@pytest.mark.parametrize("env", [{"MASTODON_ACCESS_TOKEN": "tok-expired-4f9a8b7c6d5e"},
                                 {"MASTODON_ACCESS_TOKENS": "acme@mastodon.social=tok-expired-4f9a8b7c6d5e"}])
def test_a_refused_token_exits_2_with_one_line_and_no_secret(masto, loaded, tmp_path, monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(loaded.path), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "error: mastodon.social refused the Mastodon access token (401 Unauthorized: The access token is invalid): "
        "it is revoked, expired or mistyped: check MASTODON_ACCESS_TOKEN"]
    assert "4f9a8b7c6d5e" not in result.output


def test_without_a_token_public_statuses_are_read_and_mentions_and_dms_are_not_fetched(masto, loaded, tmp_path):
    summary = run(loaded, tmp_path / "s.db", env={})
    assert summary.exit_code == 0
    [account] = summary.accounts
    assert account.not_fetched == {
        "mentions": "not fetched: no token of this account (MASTODON_ACCESS_TOKEN or MASTODON_ACCESS_TOKENS)",
        "dms": "not fetched: no token of this account (MASTODON_ACCESS_TOKEN or MASTODON_ACCESS_TOKENS)"}
    read = read_store(tmp_path / "s.db")
    assert read.dms == [] and read.sources[0].dm_accounts == frozenset()
    assert {path for path, _ in masto.calls} == {"/api/v1/accounts/lookup", "/api/v1/accounts/1/statuses",
                                                 "/api/v1/statuses/110000000000000002"}
