"""`auditor fetch` when the X API or the machine misbehaves.

429 storms, server errors, timeouts, bodies cut short, refused credentials, and runs killed
mid-way (by an exception, and by SIGKILL in a child process). Every wait goes through a fake
`sleep`: no test sleeps. After each fault, a later run must leave the store exactly as an
undisturbed run does: the same rows, each event once.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from typer.testing import CliRunner

from auditor.activity.ingest.x_api import CredentialsError
from auditor.activity.ingest.x_api_calls import MAX_RATE_WAIT, MAX_RATE_WAITS, MAX_RETRIES
from auditor.activity.store import Store
from auditor.cli import app
from tests.activity.ingest.fake_x import NOW, FakeX
from tests.activity.ingest.support import APP_ENV, FULL_ENV, SECRETS, USER_KEYS, Recorder, requests_to, scenario
from tests.activity.ingest.support import run_fetch as run

ROOT = Path(__file__).resolve().parents[3]
RESET = str(int(NOW.timestamp()) + 150)  # the fake's clock is NOW: 151 s of waiting per 429
RATE_LIMITED = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
USER_VARIABLES = ", ".join(USER_KEYS)
# What X answers when the app behind the keys may not use API v2 (no Project, or suspended).
CLIENT_FORBIDDEN = {
    "client_id": "12345", "title": "Client Forbidden", "reason": "client-not-enrolled",
    "required_enrollment": "Appropriate Level of API Access",
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
              "from a Twitter developer App that is attached to a Project.",
}


@dataclass
class Fault:
    path: str  # a fragment of the request path
    action: object  # an exception to raise, or (status, headers, body) -> (status, headers, body)
    times: int
    when: object = None  # (query) -> bool: only requests this accepts


@pytest.fixture
def x(api) -> FakeX:
    """The fake X API, with `x.faults`: transport faults applied to its answers."""
    fake = scenario()
    fake.faults = []
    answer = fake._answer

    def faulty(request):
        status, headers, body = answer(request)
        parts = urlsplit(request.url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        for fault in fake.faults:
            if fault.times > 0 and fault.path in parts.path and (fault.when is None or fault.when(query)):
                fault.times -= 1
                if isinstance(fault.action, BaseException):
                    raise fault.action
                return fault.action(status, headers, body)
        return status, headers, body

    fake._answer = faulty
    fake.install(api)
    return fake


def add_fault(fake: FakeX, path: str, action, times: int = 1, when=None) -> None:
    fake.faults.append(Fault(path, action, times, when))


def paged(query: dict) -> bool:
    return "pagination_token" in query or "next_token" in query


def rows(path: Path) -> tuple[list, list]:
    """Every event row and the fetch state, after checking that no event is there twice."""
    with sqlite3.connect(path) as db:
        events = db.execute("SELECT platform, kind, id, created_at, author, in_reply_to, has_text, json "
                            "FROM events ORDER BY kind, id").fetchall()
        distinct = db.execute("SELECT count(DISTINCT platform || ':' || kind || ':' || id) FROM events").fetchone()[0]
        state = db.execute("SELECT account, endpoint, user_id, newest_id, newest_time, run_since_id, run_newest_id, "
                           "next_token, params FROM fetch_state ORDER BY 1, 2").fetchall()
    assert distinct == len(events)
    return events, state


def gaps(path: Path) -> dict[tuple[str, str], str]:
    with Store(path) as store:
        return {(r.account, r.endpoint): r.reason for r in store.coverage() if r.status != "ok"}


@pytest.fixture
def whole(x, roster_policy, tmp_path):
    """The store an undisturbed run makes (11 events), and its rows; the fake's calls are then forgotten."""
    summary = run(roster_policy, tmp_path / "whole.db")
    assert summary.added == 11 and summary.failures == 0 and summary.exit_code == 0
    # jdoe's DMs are not fetched (the user keys are acme_support's): not needed, so not missing.
    assert summary.accounts[1].not_fetched == {"dms": "not fetched: the user-context keys are @acme_support's"}
    x.calls.clear()
    return rows(tmp_path / "whole.db")


NOT_FETCHED = {("jdoe", "dms"): "not fetched: the user-context keys are @acme_support's"}


# -- 429 ---------------------------------------------------------------------------------------


def test_a_429_storm_gives_up_after_bounded_fake_waits_and_a_later_run_gets_everything(x, whole, roster_policy, tmp_path):
    x.fail("/mentions", 429, body=RATE_LIMITED, headers={"x-rate-limit-reset": RESET, "x-rate-limit-remaining": "0"},
           times=1000)
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", env=APP_ENV, recorder=recorder)
    # One request and MAX_RATE_WAITS waits of 151 s for @acme_support's mentions; X's limits are per
    # endpoint and app, so @jdoe's mentions are not waited for again (with 100 accounts: 100 hours).
    assert len(requests_to(x, "/2/users/100/mentions")) == 1 + MAX_RATE_WAITS
    assert requests_to(x, "/2/users/101/mentions") == []
    assert recorder.sleeps == [60, 60, 31] * MAX_RATE_WAITS
    no_dms = "not fetched: no user-context credentials (X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, " \
             "X_ACCESS_TOKEN_SECRET, or X_OAUTH2_USER_TOKEN)"
    assert gaps(tmp_path / "s.db") == {
        ("acme_support", "mentions"): "still rate limited after 4 waits",
        ("jdoe", "mentions"): "still rate limited (gave up on get_users_mentions after 4 waits earlier in this run)",
        ("acme_support", "dms"): no_dms, ("jdoe", "dms"): no_dms}
    assert summary.line().endswith("; 2 endpoints missing") and summary.exit_code == 1
    x.faults.clear()
    x.injected.clear()  # the storm is over
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole
    assert gaps(tmp_path / "s.db") == NOT_FETCHED


@pytest.mark.parametrize(("reset", "sleeps"), [
    (str(int(NOW.timestamp()) + 10 * 86400), [60] * 16),  # a clock ten days off: at most 16 minutes
    (str(int(NOW.timestamp()) - 300), [1]),  # already past: a second
    ("soon", [60]),  # not a number (tweepy would raise ValueError on it): as if absent
    (None, [60]),  # absent: a minute
])
def test_a_429_waits_are_bounded_whatever_the_reset_header_says(x, whole, roster_policy, tmp_path, reset, sleeps):
    headers = {"x-rate-limit-remaining": "0"} | ({"x-rate-limit-reset": reset} if reset else {})
    x.fail("/2/users/100/tweets", 429, body=RATE_LIMITED, headers=headers)
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == sleeps and sum(sleeps) <= MAX_RATE_WAIT
    assert rows(tmp_path / "s.db") == whole
    assert gaps(tmp_path / "s.db") == NOT_FETCHED


# -- 5xx, timeouts, dropped connections ---------------------------------------------------------


def test_server_errors_are_retried_with_back_off_up_to_the_limit(x, whole, roster_policy, tmp_path):
    for status in (500, 502, 503, 504, 500):  # five in a row are retried ...
        x.fail("/2/users/100/tweets", status)
    x.fail("/2/users/101/tweets", 503, times=MAX_RETRIES + 1)  # ... the sixth gives up
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2, 4, 8, 16, 32] * 2
    assert "  @acme_support posts: 504 Gateway Timeout; retry 4/5 in 16s" in recorder.lines
    assert gaps(tmp_path / "s.db") == {("jdoe", "posts"): "503 Service Unavailable, 5 retries failed", **NOT_FETCHED}
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole


@pytest.mark.parametrize("error", [
    requests.exceptions.ReadTimeout("read timed out (60 s)"),
    requests.exceptions.ConnectTimeout("connect timed out"),
    requests.exceptions.ConnectionError("connection reset by peer"),
    requests.exceptions.ChunkedEncodingError("connection broken: IncompleteRead"),
], ids=lambda e: type(e).__name__)
def test_timeouts_and_dropped_connections_are_retried(x, whole, roster_policy, tmp_path, error):
    add_fault(x, "/2/users/100/mentions", error, times=2)
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2, 4]
    assert f"  @acme_support mentions: {type(error).__name__}; retry 2/5 in 4s" in recorder.lines
    assert rows(tmp_path / "s.db") == whole
    assert gaps(tmp_path / "s.db") == NOT_FETCHED


def test_a_connection_that_keeps_timing_out_is_a_gap_and_the_next_run_fills_it(x, whole, roster_policy, tmp_path):
    # Page 2 of @acme_support's posts never comes: page 1 is kept, and so is where to go on.
    add_fault(x, "/2/users/100/tweets", requests.exceptions.ReadTimeout("read timed out"), times=99, when=paged)
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2, 4, 8, 16, 32]
    assert gaps(tmp_path / "s.db") == {("acme_support", "posts"): "ReadTimeout, 5 retries failed", **NOT_FETCHED}
    with Store(tmp_path / "s.db") as store:
        assert store.fetch_state("acme_support", "posts").next_token == "p2"
    x.faults.clear()
    again = run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole
    assert summary.added + again.added == 11
    assert again.line().endswith("; resumed 1 interrupted endpoint fetch") and again.exit_code == 0


# -- bodies cut short or garbled -----------------------------------------------------------------


def truncated(status, headers, body):
    return status, headers, body[: len(body) // 2]


@pytest.mark.parametrize("garble", [
    truncated,
    lambda status, headers, body: (status, headers, ""),
    lambda status, headers, body: (status, {**headers, "content-type": "text/html"}, "<html><body>502 Bad Gateway</body></html>"),
    lambda status, headers, body: (status, headers, "[]"),
    lambda status, headers, body: (status, headers, json.dumps({"data": []})),  # no meta: not a page
], ids=["half", "empty", "html", "list", "no-meta"])
def test_a_page_cut_short_is_retried_not_taken_for_the_last_page(x, whole, roster_policy, tmp_path, garble):
    # Taking it for an empty last page would complete the endpoint past pages never read.
    add_fault(x, "/2/users/100/tweets", garble, when=paged)
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == [2]
    assert rows(tmp_path / "s.db") == whole
    assert gaps(tmp_path / "s.db") == NOT_FETCHED


def test_pages_that_stay_truncated_are_a_gap_resumed_by_the_next_run(x, whole, roster_policy, tmp_path):
    add_fault(x, "/search/recent", truncated, times=99, when=paged)
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert gaps(tmp_path / "s.db") == {
        ("acme_support", "conversations"): "truncated or invalid JSON in the response, 5 retries failed", **NOT_FETCHED}
    assert "  @acme_support conversations: truncated or invalid JSON in the response; retry 1/5 in 2s" in recorder.lines
    x.faults.clear()
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole


def test_a_page_of_errors_only_fails_that_endpoint_at_once(x, whole, roster_policy, tmp_path):
    x.fail("/2/users/101/tweets", 200, body={"errors": [{"title": "Authorization Error", "detail":
                                                         "Sorry, you are not authorized to see the user with id: [101]."}]})
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == []
    assert gaps(tmp_path / "s.db") == {
        ("jdoe", "posts"): "the API answered with errors only: Sorry, you are not authorized to see the user with id: [101].",
        **NOT_FETCHED}


# -- refused credentials -------------------------------------------------------------------------


def test_a_401_mid_run_stops_with_one_line_and_a_later_run_completes(x, whole, roster_policy, tmp_path):
    x.fail("/2/users/by/username/jdoe", 401, body={"title": "Unauthorized", "type": "about:blank", "status": 401,
                                                   "detail": "Unauthorized"})
    with pytest.raises(CredentialsError) as caught:
        run(roster_policy, tmp_path / "s.db")
    assert str(caught.value) == "the X API refused the credentials (401 Unauthorized) for @jdoe: check X_BEARER_TOKEN"
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {"post": 7, "dm": 3}  # all of @acme_support's, committed page by page
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole


def test_a_401_on_a_user_context_call_names_the_user_context_variables(x, roster_policy, tmp_path):
    x.fail("/2/dm_events", 401, body={"title": "Unauthorized", "detail": "Unauthorized"})
    with pytest.raises(CredentialsError) as caught:
        run(roster_policy, tmp_path / "s.db")
    assert str(caught.value) == f"the X API refused the credentials (401 Unauthorized) for @acme_support DMs: check {USER_VARIABLES}"


@pytest.mark.parametrize("body", [
    CLIENT_FORBIDDEN,
    {"errors": [{"code": 89, "message": "Invalid or expired token."}]},
    {"errors": [{"code": 64, "message": "Your account is suspended and is not permitted to access this feature"}]},
], ids=["client-forbidden", "expired-token", "suspended"])
def test_a_403_that_refuses_the_credentials_stops_the_run(x, roster_policy, tmp_path, body):
    x.fail("/2/users/100/tweets", 403, body=body, times=99)
    with pytest.raises(CredentialsError) as caught:
        run(roster_policy, tmp_path / "s.db", env=APP_ENV)
    message = str(caught.value)
    assert message.startswith("the X API refused the credentials (403 ")
    assert message.endswith("for @acme_support posts: check X_BEARER_TOKEN; "
                            "they must belong to an app in a Project with the access this needs")
    assert "\n" not in message and len(requests_to(x, "/tweets")) == 1  # not retried, not tried for @jdoe


def test_fetch_with_refused_credentials_exits_2_with_one_line_and_no_traceback(x, roster_policy, tmp_path):
    x.fail("/2/users/", 403, body={**CLIENT_FORBIDDEN, "detail": f"{CLIENT_FORBIDDEN['detail']} {SECRETS[0]}"})
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db")],
                                env=APP_ENV)
    assert result.exit_code == 2, result.output
    assert result.output == (
        "error: the X API refused the credentials (403 Client Forbidden: When authenticating requests to the Twitter "
        "API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. ***) "
        "for @acme_support: check X_BEARER_TOKEN; they must belong to an app in a Project with the access this needs\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_fetch_through_a_storm_of_server_errors_exits_2_naming_every_endpoint_and_never_sleeps(
        x, roster_policy, tmp_path, monkeypatch):
    slept = []
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.sleep", slept.append)  # the CLI's real sleep, faked
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)
    x.fail("/2/", 503, times=10_000)  # every request
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db")],
                                env=FULL_ENV)
    # Nothing could be read: CI must not go green on it.
    assert result.exit_code == 2, result.output
    assert result.stdout == ("fetched 2 accounts in 18 requests: 0 new events, 0 updated; 0 reads ($0.00); "
                             "8 endpoints missing\n")
    assert result.stderr.splitlines()[-2:] == [
        "missing (8): " + ", ".join(f"@{a} {e}" for a in ("acme_support", "jdoe")
                                    for e in ("posts", "mentions", "conversations", "dms"))
        + " (503 Service Unavailable, 5 retries failed)",
        "nothing could be read from the X API: no new events in the store"]
    assert slept == [2, 4, 8, 16, 32] * 3 and "Traceback" not in result.output  # the keys' owner, then each account


def test_fetch_that_cannot_reach_the_api_at_all_stops_after_the_first_requests_retries(x, roster_policy, tmp_path,
                                                                                        monkeypatch):
    # No network: each account's every request retried in turn took minutes an account (8 of them: 8 min 17 s).
    slept = []
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.sleep", slept.append)
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)
    add_fault(x, "/2/", requests.exceptions.ConnectionError("Name or service not known"), times=10_000)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db")],
                                env=FULL_ENV)
    assert result.exit_code == 2, result.output
    assert slept == [2, 4, 8, 16, 32]
    assert ("stopped: cannot reach the X API (ConnectionError, 5 retries failed): check the network, a proxy or a "
            "firewall") in result.stderr
    assert result.stderr.splitlines()[-1] == "nothing could be read from the X API: no new events in the store"
    assert "Traceback" not in result.output


def test_a_connection_lost_after_the_api_answered_is_a_gap_not_a_stop(x, whole, roster_policy, tmp_path):
    add_fault(x, "/2/users/101/", requests.exceptions.ConnectionError("connection reset by peer"), times=10_000)
    summary = run(roster_policy, tmp_path / "s.db")
    assert summary.stopped is None and summary.exit_code == 1


def test_fetch_with_one_endpoint_missing_exits_1_naming_it_and_keeps_the_rest(x, roster_policy, tmp_path, monkeypatch):
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.sleep", lambda s: None)
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)
    x.fail("/2/users/101/mentions", 503, times=10_000)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db")],
                                env=FULL_ENV)
    assert result.exit_code == 1, result.output
    assert result.stdout.endswith("; 1 endpoint missing\n")
    assert result.stderr.splitlines()[-2:] == [
        "missing (1): @jdoe mentions (503 Service Unavailable, 5 retries failed)",
        "the store keeps what was read; the next run resumes and fills in what is missing"]
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {"post": 7, "dm": 3}  # everything but @bob's mention of @jdoe


# -- killed mid-way ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "endpoint"), [
    ("/2/users/100/tweets", "posts"),
    ("/search/recent", "conversations"),
    ("/2/dm_events", "dms"),
])
def test_a_run_killed_between_pages_resumes_there(x, whole, roster_policy, tmp_path, path, endpoint):
    add_fault(x, path, KeyboardInterrupt(), when=paged)  # the process dies after page 1 was committed
    first = []
    with pytest.raises(KeyboardInterrupt):
        first.append(run(roster_policy, tmp_path / "s.db"))
    with Store(tmp_path / "s.db") as store:
        stored = sum(store.count().values())
        assert store.fetch_state("acme_support", endpoint).next_token == "p2"
    assert 0 < stored < 11
    x.calls.clear()
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert requests_to(x, path)[0].get("pagination_token", requests_to(x, path)[0].get("next_token")) == "p2"
    assert f"@acme_support {endpoint}: resuming an interrupted fetch" in recorder.lines
    assert rows(tmp_path / "s.db") == whole
    assert stored + summary.added == 11  # nothing lost, nothing twice
    assert summary.line() == (f"fetched 2 accounts in {summary.requests} requests: {11 - stored} new events, 0 updated; "
                              f"{summary.reads.line()}; resumed 1 interrupted endpoint fetch")
    assert summary.exit_code == 0


def test_a_run_killed_while_writing_a_page_loses_only_that_page_and_redoes_it(x, whole, roster_policy, tmp_path, monkeypatch):
    written = []
    save_state = Store.save_state

    def dying(self, state):
        written.append(state.endpoint)
        if len(written) == 3:  # the page's events are inserted, its state not yet: the transaction is open
            raise KeyboardInterrupt
        save_state(self, state)

    monkeypatch.setattr(Store, "save_state", dying)
    with pytest.raises(KeyboardInterrupt):
        run(roster_policy, tmp_path / "s.db")
    monkeypatch.setattr(Store, "save_state", save_state)
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {"post": 5}  # posts pages 1 and 2 (with the posts they reference); page 3 rolled back
        assert store.fetch_state("acme_support", "mentions") is None
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole


KILLED_CHILD = """
import os, signal, sys
import responses
from auditor.activity.ingest.x_api import fetch
from auditor.activity.store import Store
from auditor.policy.loader import load_policy
from tests.activity.ingest.fake_x import NOW
from tests.activity.ingest.support import FULL_ENV, scenario

put, pages = Store._put, []

def put_then_die(self, events, source_id):
    counts = put(self, events, source_id)
    pages.append(len(events))
    if len(pages) == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)  # rows inserted, transaction not committed
    return counts

Store._put = put_then_die
with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
    scenario().install(mock)
    fetch(load_policy(sys.argv[1]), sys.argv[2], env=FULL_ENV, clock=lambda: NOW.timestamp(),
          sleep=lambda s: None, progress=lambda line: None)
"""


def test_a_run_killed_by_sigkill_mid_transaction_resumes_with_nothing_lost_or_doubled(x, whole, roster_policy, tmp_path):
    target = tmp_path / "s.db"
    done = subprocess.run([sys.executable, "-c", KILLED_CHILD, str(roster_policy.path), str(target), "5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    with Store(target) as store:  # opening rolls the interrupted transaction back
        stored = sum(store.count().values())
    assert 0 < stored < 11
    summary = run(roster_policy, target)
    assert rows(target) == whole
    assert stored + summary.added == 11
    assert summary.resumed == 1


# -- pagination tokens the API refuses ---------------------------------------------------------------


def test_a_dm_paging_whose_tokens_are_always_refused_ends_instead_of_looping(x, roster_policy, tmp_path):
    refused = {"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
               "errors": [{"message": "The `pagination_token` query parameter value [p2] is not valid"}]}
    add_fault(x, "/2/dm_events", lambda status, headers, body: (400, headers, json.dumps(refused)), times=99, when=paged)
    run(roster_policy, tmp_path / "s.db")
    # Page 1, its token refused, page 1 again, refused again: then the endpoint is a gap (it looped for ever).
    assert [q.get("pagination_token") for q in requests_to(x, "/2/dm_events")] == [None, "p2", None, "p2"]
    assert gaps(tmp_path / "s.db")[("acme_support", "dms")] == "the API refused the saved pagination token twice"


def test_a_saved_token_refused_after_a_kill_restarts_that_paging_once(x, whole, roster_policy, tmp_path):
    add_fault(x, "/2/users/100/tweets", KeyboardInterrupt(), when=paged)
    with pytest.raises(KeyboardInterrupt):
        run(roster_policy, tmp_path / "s.db")
    expired = {"errors": [{"message": "The `pagination_token` query parameter value [p2] is not valid"}],
               "title": "Invalid Request", "detail": "One or more parameters to your request was invalid."}
    add_fault(x, "/2/users/100/tweets", lambda status, headers, body: (400, headers, json.dumps(expired)), when=paged)
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == whole
