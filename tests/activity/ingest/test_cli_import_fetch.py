"""`auditor import` and `auditor fetch` as a user meets them: output, exit codes, one-line errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from auditor.activity.sources.store_reader import read_store
from auditor.cli import app
from tests.shared_data import shared
from tests.activity.ingest.support import BEARER, FULL_ENV, SECRETS
from tests.activity.ingest.fake_x import NOW

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_import_reads_each_source_and_says_what_it_gave(tmp_path):
    result = invoke("import", shared("x-archive", "andreruffert"), shared("twcs", "sample.csv"), "--store", tmp_path / "s.db")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("andreruffert (archive): 1986 events read, 0 skipped; store: 1986 new, 0 updated, 0 already there")
    assert "  note: an X archive holds @andreruffert's posts; mentions and replies by others are not in an archive" in lines
    assert any(line.endswith("sample.csv (csv): 93 events read, 0 skipped; store: 93 new, 0 updated, 0 already there") for line in lines)
    activity = read_store(tmp_path / "s.db")
    assert len(activity.posts) == 1986 + 93
    again = invoke("import", shared("twcs", "sample.csv"), "--store", tmp_path / "s.db", "--mapping", "twcs")
    assert "store: 0 new, 0 updated, 93 already there" in again.output


def test_import_prints_skipped_rows_with_their_lines(tmp_path):
    (tmp_path / "map.yaml").write_text("columns: {id: id, author: who, time: at, text: text}\n")
    (tmp_path / "d.csv").write_text("id,who,at,text\n1,bob,2026-10-05T10:00:00Z,hi\n2,bob,soon,hey\n3,bob\n")
    result = invoke("import", tmp_path / "d.csv", "--store", tmp_path / "s.db", "--mapping", tmp_path / "map.yaml")
    assert result.exit_code == 0, result.output
    assert "d.csv (csv): 1 events read, 2 skipped;" in result.output
    assert f"  skipped {tmp_path / 'd.csv'}:3: at 'soon' does not match iso" in result.output
    assert f"  skipped {tmp_path / 'd.csv'}:4: expected 4 fields, found 2" in result.output


def test_import_of_unreadable_input_exits_2_with_one_line(tmp_path):
    result = invoke("import", tmp_path / "nope.zip", "--store", tmp_path / "s.db")
    assert result.exit_code == 2
    assert result.output == f"{tmp_path / 'nope.zip'}: no such file or folder\n"
    (tmp_path / "map.yaml").write_text("columns: {id: id}\n")
    result = invoke("import", shared("twcs", "sample.csv"), "--store", tmp_path / "s.db", "--mapping", tmp_path / "map.yaml")
    assert result.exit_code == 2
    assert result.output == f"{tmp_path / 'map.yaml'}:1:10: columns: missing author, time, text\n"


def test_import_of_a_source_with_no_event_exits_2(tmp_path):
    """A CI import step must not go green on the wrong file: every line skipped, or nothing in it."""
    (tmp_path / "junk.jsonl").write_bytes(b"\x89garbage\nnot json either\n")
    result = invoke("import", tmp_path / "junk.jsonl", "--store", tmp_path / "s.db")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (f"{tmp_path / 'junk.jsonl'}: nothing to import: 0 events read, "
                                             "2 lines skipped (is it the right file?)")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    result = invoke("import", shared("twcs", "sample.csv"), tmp_path / "empty.jsonl", "--store", tmp_path / "s.db")
    assert result.exit_code == 2
    assert "sample.csv (csv): 93 events read" in result.output  # what the other source gave is still imported
    assert result.output.splitlines()[-1] == (f"{tmp_path / 'empty.jsonl'}: nothing to import: 0 events read, "
                                             "0 lines skipped (is it the right file?)")
    assert len(read_store(tmp_path / "s.db").posts) == 93


def test_fetch_without_credentials_exits_2_naming_the_variables(tmp_path, monkeypatch):
    for name in [*FULL_ENV, "X_OAUTH2_USER_TOKEN"]:
        monkeypatch.delenv(name, raising=False)
    result = invoke("fetch", "--policy", tmp_path / "p.yaml", "--store", tmp_path / "s.db")
    assert result.exit_code == 2
    assert result.output == ("error: no X API credentials: set X_BEARER_TOKEN (app), and for DMs X_CONSUMER_KEY, "
                             "X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context) or "
                             "X_OAUTH2_USER_TOKEN (OAuth 2.0 user context with dm.read)\n")
    assert not (tmp_path / "s.db").exists()


def test_fetch_prints_a_line_per_account_and_a_summary(fake, roster_policy, tmp_path, monkeypatch):
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)  # the fake API's "now"
    result = invoke("fetch", "--policy", roster_policy.path, "--store", tmp_path / "s.db", "--since", "2026-10-01", env=FULL_ENV)
    assert result.exit_code == 0, result.output
    assert "@acme_support: 3 posts, 2 mentions, 5 conversations, 3 dms (10 new, 0 updated)" in result.stderr
    assert "@jdoe: 1 posts, 1 mentions, 1 conversations (1 new, 0 updated); missing: dms (not fetched: the user-context keys are @acme_support's)" in result.stderr
    # A first fetch says where it starts; the summary says what it cost, by resource type. @acme_support's own
    # posts and mentions are read with its own keys, as owned reads (a post read twice in a day is billed once).
    assert "first fetch: from 2026-10-01 00:00 UTC (--since)" in result.stderr
    assert result.stdout == ("fetched 2 accounts in 13 requests: 11 new events, 0 updated; "
                             "13 reads ($0.074: 4 posts, 4 owned posts, 2 users, 3 DM events)\n")
    assert all(q.get("start_time", "2026-10-01") >= "2026-10-01" for _, _, q in fake.calls)
    assert not any(secret in result.output for secret in SECRETS)


def test_fetch_refused_credentials_exit_2_with_one_line(fake, roster_policy, tmp_path):
    fake.fail("/2/users/", 401, body={"title": "Unauthorized", "detail": f"Unauthorized {BEARER}"})
    result = invoke("fetch", "--policy", roster_policy.path, "--store", tmp_path / "s.db", env={"X_BEARER_TOKEN": BEARER})
    assert result.exit_code == 2
    assert result.output == "error: the X API refused the credentials (401 Unauthorized) for @acme_support: check X_BEARER_TOKEN\n"


def test_fetch_rejects_a_since_without_offset(roster_policy, tmp_path):
    result = invoke("fetch", "--policy", roster_policy.path, "--store", tmp_path / "s.db", "--since", "2026-10-01T10:00",
                    env={"X_BEARER_TOKEN": BEARER})
    assert result.exit_code == 2
    assert result.output == "error: --since has no UTC offset: '2026-10-01T10:00' (add Z or +00:00)\n"


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"])
def test_fetch_rejects_a_since_beyond_the_calendar_in_utc(roster_policy, tmp_path, since):
    # An internal error before (exit 3): the offset takes the time past year 1 or 9999 in UTC.
    result = invoke("fetch", "--policy", roster_policy.path, "--store", tmp_path / "s.db", "--since", since,
                    env={"X_BEARER_TOKEN": BEARER})
    assert result.exit_code == 2
    assert result.output == f"error: --since is out of range in UTC: {since!r}\n"
