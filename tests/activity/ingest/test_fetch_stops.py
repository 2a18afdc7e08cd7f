"""When X says no for the whole run (usage cap, no credits), for DMs (no permission), or when the DMs
between two fetches are gone: one clear line, the store intact, the next run resumes, and the audit's
data coverage says what is missing. Error bodies are those X sends (problem types `usage-capped`,
`credits`, `oauth1-permissions`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from typer.testing import CliRunner

from auditor.activity.store import Store
from auditor.activity.sources.store_reader import read_store
from auditor.cli import app
from tests.activity.ingest.fake_x import NOW
from tests.activity.ingest.support import FULL_ENV, Recorder, run_fetch as run

# 429 with requests left in the rate window: the plan's cap, not a rate limit (xdevplatform/xdk#25).
USAGE_CAPPED = {"account_id": "1234567890", "product_name": "standard-basic", "title": "UsageCapExceeded",
                "period": "Monthly", "scope": "Product", "detail": "Usage cap exceeded: Monthly product cap",
                "type": "https://api.twitter.com/2/problems/usage-capped"}
CREDITS_DEPLETED = {"account_id": 1234567890, "title": "CreditsDepleted",
                    "detail": "Your enrolled account [1234567890] does not have any credits to fulfill this request.",
                    "type": "https://api.twitter.com/2/problems/credits"}
NO_DM_PERMISSION = {"title": "Forbidden", "status": 403, "type": "https://api.twitter.com/2/problems/oauth1-permissions",
                    "detail": "Your client app is not configured with the appropriate oauth1 app permissions for this "
                              "endpoint."}


def rows(path):
    with sqlite3.connect(path) as db:
        events = db.execute("SELECT kind, id, json FROM events ORDER BY kind, id").fetchall()
        state = db.execute("SELECT account, endpoint, newest_id, next_token, params FROM fetch_state ORDER BY 1, 2").fetchall()
    return events, state


def statuses(path) -> dict:
    with Store(path) as store:
        return {(r.account, r.endpoint): (r.status, r.reason) for r in store.coverage()}


def test_the_usage_cap_ends_the_run_at_once_with_one_line_and_the_next_run_resumes(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "whole.db")
    fake.calls.clear()
    fake.fail("/2/users/101/tweets", 429, body=USAGE_CAPPED,
              headers={"x-rate-limit-limit": "40000", "x-rate-limit-remaining": "39999",
                       "x-rate-limit-reset": str(int(NOW.timestamp()) + 900)})
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert recorder.sleeps == []  # not waited on as a rate limit (up to an hour a call)
    assert summary.stopped == (
        "the X API usage cap is reached (Usage cap exceeded: Monthly product cap; Monthly Product): the plan's reads "
        "for this billing cycle are used up (pay-per-use plans read at most 3 million posts a month); the store keeps "
        "what was fetched and the next run resumes once the cap resets or the plan is raised")
    assert recorder.lines[-1] == f"stopped: {summary.stopped}"
    assert summary.exit_code == 1
    # Nothing was asked after the cap: the rest of @jdoe is a gap, resumable.
    assert [path for _, path, _ in fake.calls][-1] == "/2/users/101/tweets"
    assert statuses(tmp_path / "s.db")[("jdoe", "posts")][0] == "stopped"
    assert statuses(tmp_path / "s.db")[("jdoe", "mentions")] == (
        "stopped", "not read: the run stopped at the X API usage cap")
    assert statuses(tmp_path / "s.db")[("acme_support", "dms")] == ("ok", "")
    run(roster_policy, tmp_path / "s.db")
    assert rows(tmp_path / "s.db") == rows(tmp_path / "whole.db")


def test_depleted_credits_end_the_run_on_the_first_402_not_every_endpoint_of_every_account(
        fake, roster_policy, tmp_path, monkeypatch):
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)  # the fake API's "now"
    fake.fail("/2/users/100/mentions", 402, body=CREDITS_DEPLETED, times=1000)
    fake.fail("/2/users/101", 402, body=CREDITS_DEPLETED, times=1000)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db")],
                                env=FULL_ENV, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert ("stopped: out of X API credits (402 CreditsDepleted: Your enrolled account [1234567890] does not have any "
            "credits to fulfill this request.): add credits in the X Developer Console (console.x.com); the store "
            "keeps what was fetched and the next run resumes") in result.stderr.splitlines()
    assert sum(path.endswith("/mentions") for _, path, _ in fake.calls) == 1
    assert "/2/users/by/username/jdoe" not in [path for _, path, _ in fake.calls]
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {"post": 5}  # @acme_support's posts page and the posts it refers to, kept
        assert store.fetch_state("acme_support", "posts").newest_id is not None


def test_a_403_on_dms_says_the_app_may_not_read_dms(fake, roster_policy, tmp_path):
    fake.fail("/2/dm_events", 403, body=NO_DM_PERMISSION)
    summary = run(roster_policy, tmp_path / "s.db")
    status, reason = statuses(tmp_path / "s.db")[("acme_support", "dms")]
    assert status == "failed"
    assert reason == (
        "403 Forbidden: Your client app is not configured with the appropriate oauth1 app permissions for this "
        "endpoint.: these credentials may not read DMs: the app needs the 'Read, write and Direct Messages' "
        "permission (then new OAuth 1.0a access tokens), or an OAuth 2.0 user token with the dm.read scope "
        "(X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET)")
    assert "protected" not in reason
    assert summary.exit_code == 1 and summary.missing() == [f"@acme_support dms ({reason})"]


def test_dms_more_than_30_days_apart_warn_and_the_audit_coverage_says_the_gap(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    later = NOW + timedelta(days=45)
    fake.dm("bob", "acme_support", "still there?", later - timedelta(days=1))
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder, now=later)
    assert ("@acme_support DMs: the last DM fetch was 2026-10-20, more than 30 days ago: DMs from then to 2026-11-04 "
            "are gone from the X API and missing from the store (fetch at least weekly)") in recorder.lines
    with Store(tmp_path / "s.db") as store:
        spans = [(s.start.date().isoformat(), s.end.date().isoformat())
                 for s in store.spans("dms")[("acme_support", "dms")]]
    assert spans == [("2026-09-20", "2026-10-20"), ("2026-11-04", "2026-12-04")]
    gap = ("@acme_support dms: nothing fetched from 2026-10-20 12:00 to 2026-11-04 12:00 UTC (the X API keeps DMs "
           "for 30 days and fetches were further apart)")
    [source] = read_store(tmp_path / "s.db").sources
    assert gap in source.notes
    # The audit's data coverage carries it into every report.
    folder = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", "--policy", str(roster_policy.path), "--data", str(tmp_path / "s.db"),
                                      "--period", "2026-10", "--format", "json", "--out-dir", str(folder)])
    assert result.exit_code in (0, 1), result.output
    report = json.loads((folder / "report.json").read_text())
    assert any(gap in note for s in report["data"]["sources"] for note in s["notes"])


def test_dms_within_30_days_leave_no_gap(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder, now=NOW + timedelta(days=7))
    assert not any("more than 30 days ago" in line for line in recorder.lines)
    with Store(tmp_path / "s.db") as store:
        assert len(store.spans("dms")[("acme_support", "dms")]) == 1
    assert not any("nothing fetched from" in n for n in read_store(tmp_path / "s.db").sources[0].notes)


def test_what_a_hostile_server_says_reaches_no_terminal_as_control_characters(fake, roster_policy, tmp_path):
    fake.fail("/2/users/101/mentions", 403, body={"title": "Forbidden", "detail": "\x1b]52;c;cm0gLXJmIC8=\x07 \x1b[2J no"})
    recorder = Recorder()
    summary = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    fake.fail("/2/users/100/tweets", 402, body={**CREDITS_DEPLETED, "detail": "gone\x1b[31m red"})
    stopped = run(roster_policy, tmp_path / "s.db", recorder=recorder)
    shown = "\n".join(recorder.lines + summary.missing() + stopped.missing() + [stopped.stopped])
    assert "\x1b" not in shown and "\x07" not in shown
    assert "403 Forbidden: \\x1b]52;c;cm0gLXJmIC8=\\x07 \\x1b[2J no" in summary.missing()[0]
    assert "gone\\x1b[31m red" in stopped.stopped
    with Store(tmp_path / "s.db") as store:
        assert all("\x1b" not in row.reason for row in store.coverage())
