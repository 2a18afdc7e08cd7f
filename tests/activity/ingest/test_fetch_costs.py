"""What a fetch costs, and the brakes on it: reads counted as X bills them, --max-reads and --budget, the
first-fetch window, user ids kept in the store, owned reads, and `auditor fetch --dry-run`."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from auditor.activity.ingest.x_api_plan import estimate
from auditor.activity.ingest.x_costs import parse_budget, parse_prices
from auditor.activity.store import Store
from auditor.bundled import policies_folder
from auditor.cli import app
from auditor.errors import UsageError
from auditor.policy.loader import load_policy
from tests.activity.ingest.fake_x import NOW
from tests.activity.ingest.support import APP_ENV, FULL_ENV, Recorder, run_fetch as run, requests_to

ROSTER = ["acme_support", "acme", "jdoe", "mkhan", "lchen", "rpatel", "tnguyen", "bsmith"]


def rows(path) -> tuple[list, list]:
    with sqlite3.connect(path) as db:
        events = db.execute("SELECT platform, kind, id, created_at, author, in_reply_to, has_text, json "
                            "FROM events ORDER BY kind, id").fetchall()
        state = db.execute("SELECT account, endpoint, user_id, newest_id, newest_time, run_since_id, run_newest_id, "
                           "next_token, params FROM fetch_state ORDER BY 1, 2").fetchall()
        spans = db.execute("SELECT * FROM coverage_spans ORDER BY 1, 2, 3").fetchall()
    return events, state, spans


def reads_in_store(path) -> dict[tuple[str, str, str], tuple[int, int]]:
    with sqlite3.connect(path) as db:
        return {(a, e, r): (n, c) for a, e, r, n, c in
                db.execute("SELECT account, endpoint, resource, sum(reads), sum(cost_micro) FROM fetch_reads "
                           "GROUP BY 1, 2, 3")}


# -- reads and their cost ------------------------------------------------------------------------


def test_reads_are_counted_as_x_bills_them_and_kept_by_account_endpoint_and_resource(fake, roster_policy, tmp_path):
    summary = run(roster_policy, tmp_path / "s.db")
    # @acme_support's own keys read its posts and mentions (owned reads, $0.001); a post read twice in a
    # UTC day (in a timeline, then in search results) is billed once; referenced posts count as posts.
    assert summary.reads.line() == "13 reads ($0.074: 4 posts, 4 owned posts, 2 users, 3 DM events)"
    assert reads_in_store(tmp_path / "s.db") == {
        ("acme_support", "user id", "users"): (1, 10_000),
        ("acme_support", "posts", "owned_posts"): (3, 3_000),
        ("acme_support", "posts", "posts"): (2, 10_000),  # the posts its reply and its repost refer to
        ("acme_support", "mentions", "owned_posts"): (1, 1_000),
        ("acme_support", "conversations", "posts"): (1, 5_000),
        ("acme_support", "dms", "dm_events"): (3, 30_000),
        ("jdoe", "user id", "users"): (1, 10_000),
        ("jdoe", "mentions", "posts"): (1, 5_000),
    }
    # An incremental run reads little: whose keys these are, and the DM page that reaches what is stored.
    # (A run counts its own reads; across runs of one UTC day X may bill less than they count.)
    again = run(roster_policy, tmp_path / "s.db")
    assert again.reads.line() == "3 reads ($0.03: 1 user, 2 DM events)"


def test_prices_are_one_table_overridable_from_the_command_line():
    assert parse_prices() == {"posts": 5_000, "owned_posts": 1_000, "users": 10_000, "dm_events": 10_000}
    prices = parse_prices(["posts=0.004", "DM-events=$0.02"])
    assert (prices["posts"], prices["dm_events"], prices["users"]) == (4_000, 20_000, 10_000)
    for wrong in ("posts", "tweets=0.1", "posts=lots", "posts=-1"):
        with pytest.raises(UsageError):
            parse_prices([wrong])
    assert parse_budget("$2.50") == 2_500_000
    for wrong in ("0", "two", "-3"):
        with pytest.raises(UsageError):
            parse_budget(wrong)


def test_owned_reads_go_through_the_account_s_own_user_context(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    # OAuth 1.0a requests carry the signed keys; the app's bearer token reads the others.
    assert all(q["max_results"] == "100" for q in requests_to(fake, "/2/users/100/tweets"))
    assert {path for path, kinds in fake.auth_of.items() if kinds == {"oauth1"}} == {
        "/2/users/100/tweets", "/2/users/100/mentions", "/2/dm_events", "/2/users/me"}
    assert fake.auth_of["/2/users/101/tweets"] == fake.auth_of["/2/tweets/search/recent"] == {"app"}


# -- the first fetch's window; user ids kept --------------------------------------------------------------


def test_a_first_fetch_reads_the_last_30_days_and_says_so(fake, roster_policy, tmp_path):
    recorder = Recorder()
    run(roster_policy, tmp_path / "s.db", recorder=recorder)
    assert "first fetch: from 2026-09-20 12:00 UTC (the last 30 days; --since sets another start)" in recorder.lines
    starts = {q["start_time"] for _, path, q in fake.calls if path.endswith(("/tweets", "/mentions")) and "users" in path}
    assert starts == {"2026-09-20T12:00:00Z"}
    with Store(tmp_path / "s.db") as store:
        spans = store.spans()
    assert {key: [(s.start.isoformat(), s.end.isoformat()) for s in value] for key, value in spans.items()
            if key[0] == "acme_support"} == {
        ("acme_support", "posts"): [("2026-09-20T12:00:00+00:00", "2026-10-20T12:00:00+00:00")],
        ("acme_support", "mentions"): [("2026-09-20T12:00:00+00:00", "2026-10-20T12:00:00+00:00")],
        ("acme_support", "conversations"): [("2026-10-13T12:05:00+00:00", "2026-10-20T12:00:00+00:00")],
        ("acme_support", "dms"): [("2026-09-20T12:00:00+00:00", "2026-10-20T12:00:00+00:00")],
    }


def test_user_ids_are_kept_in_the_store_and_checked_again_after_30_days(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db", env=APP_ENV)
    assert len(requests_to(fake, "/users/by/username/")) == 2
    fake.calls.clear()
    run(roster_policy, tmp_path / "s.db", env=APP_ENV, now=NOW + timedelta(days=29))
    assert requests_to(fake, "/users/by/username/") == []
    run(roster_policy, tmp_path / "s.db", env=APP_ENV, now=NOW + timedelta(days=31))
    assert len(requests_to(fake, "/users/by/username/")) == 2


# -- --max-reads and --budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [{"max_reads": 16}, {"max_reads": 30}, {"budget": 100_000}],
                         ids=["16 reads", "30 reads", "$0.10"])
def test_a_limit_stops_the_run_before_it_is_passed_and_the_next_run_ends_as_one_uninterrupted_run(
        fake, roster_policy, tmp_path, limit):
    run(roster_policy, tmp_path / "whole.db")
    fake.calls.clear()
    fake.page_size = 100  # pages as X sends them: the limit, not the page size, cuts them
    recorder = Recorder()
    stopped = run(roster_policy, tmp_path / "s.db", recorder=recorder, **limit)
    assert stopped.exit_code == 1 and stopped.stopped.startswith("the next page could pass the limit (--")
    if "max_reads" in limit:
        assert stopped.reads.total <= limit["max_reads"]
    else:
        assert stopped.reads.total_cost <= limit["budget"]
    assert f"stopped: {stopped.stopped}" in recorder.lines
    with Store(tmp_path / "s.db") as store:
        statuses = {(r.account, r.endpoint): r.status for r in store.coverage()}
    assert "stopped" in statuses.values()
    resumed = run(roster_policy, tmp_path / "s.db")
    assert resumed.exit_code == 0
    whole_events, whole_state, whole_spans = rows(tmp_path / "whole.db")
    events, state, spans = rows(tmp_path / "s.db")
    assert (events, state, spans) == (whole_events, whole_state, whole_spans)


def test_a_page_asks_for_no_more_than_the_limit_leaves_room_for(fake, roster_policy, tmp_path):
    fake.page_size = 100
    # 1 user read (whose keys), then each post may bring 2 referenced posts: 3 reads an item at most.
    run(roster_policy, tmp_path / "s.db", max_reads=1 + 3 * 7)
    first = requests_to(fake, "/2/users/100/tweets")[0]
    assert first["max_results"] == "7"


def test_a_limit_too_small_for_any_page_reads_nothing_and_exits_2(fake, roster_policy, tmp_path):
    summary = run(roster_policy, tmp_path / "s.db", max_reads=3)
    assert summary.exit_code == 2 and summary.reads.total == 1  # whose keys these are: then no page fits
    assert requests_to(fake, "/tweets") == []


# -- the dry run ---------------------------------------------------------------------------------------


@pytest.fixture
def demo(fake):
    for number, handle in enumerate(ROSTER):
        if fake._id(handle) is None:
            fake.user(str(500 + number), handle)
    return load_policy(policies_folder() / "example.yaml")


def test_a_dry_run_on_the_demo_roster_looks_up_user_ids_only_and_bounds_each_endpoint(fake, demo, tmp_path):
    recorder = Recorder()
    plan = estimate(demo, tmp_path / "s.db", env=FULL_ENV, clock=NOW.timestamp, sleep=recorder.sleep,
                    progress=recorder.progress)
    assert {path for _, path, _ in fake.calls} == {"/2/users/me"} | {
        f"/2/users/by/username/{h}" for h in ROSTER if h != "acme_support"}
    lines = plan.lines()
    assert lines[0] == "dry run: nothing fetched but user ids (0 from the store, 8 looked up: 8 reads ($0.08: 8 users))"
    assert lines[1] == "a first fetch reads from 2026-09-20 12:00 UTC (the last 30 days; --since sets another start)"
    table = "\n".join(lines)
    assert "@acme_support  posts                  9,600        $35.20  first fetch, from 2026-09-20; owned reads" in table
    assert "@jdoe          posts                  9,600        $48.00  first fetch, from 2026-09-20" in table
    assert "@jdoe          mentions               2,400        $12.00  first fetch, from 2026-09-20" in table
    assert "@acme_support  dms                 no bound                DM events of the last 30 days" in table
    assert "@jdoe          dms                        0         $0.00  not fetched: the user-context keys are @acme_support's" in table
    assert ("total                                96,000       $464.00  plus conversation replies and DM events, "
            "which have no fixed bound") in table
    assert lines[-1] == ("prices a read: posts $0.005, owned posts $0.001, users $0.01, DM events $0.01 "
                         "(--price RESOURCE=DOLLARS to change)")
    # Nothing but the user ids is in the store; the next dry run pays only for whose keys these are.
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {} and store.coverage() == []
    fake.calls.clear()
    again = estimate(demo, tmp_path / "s.db", env=FULL_ENV, clock=NOW.timestamp, sleep=recorder.sleep,
                     progress=recorder.progress)
    assert [path for _, path, _ in fake.calls] == ["/2/users/me"]
    assert again.lines()[0].startswith("dry run: nothing fetched but user ids (8 from the store, 1 looked up")


def test_a_dry_run_after_a_fetch_says_since_when_and_what_the_last_run_read(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    plan = estimate(roster_policy, tmp_path / "s.db", env=FULL_ENV, clock=NOW.timestamp, sleep=lambda s: None,
                    progress=lambda line: None, max_reads=500)
    table = "\n".join(plan.lines())
    assert "since the last fetch; owned reads; the last run that read it: 5 reads" in table
    assert "the run stops before it passes its limit (--max-reads 500) and resumes from there next time" in table


def test_fetch_dry_run_on_the_command_line(fake, demo, tmp_path, monkeypatch):
    monkeypatch.setattr("auditor.activity.ingest.x_api.time.time", NOW.timestamp)
    result = CliRunner().invoke(app, ["fetch", "--policy", str(policies_folder() / "example.yaml"), "--store",
                                      str(tmp_path / "s.db"), "--dry-run", "--budget", "25"], env=FULL_ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("dry run: nothing fetched but user ids")
    assert "the run stops before it passes its limit (--budget $25.00)" in result.stdout
    assert not any(path.endswith(("/tweets", "/mentions", "/dm_events", "/recent")) for _, path, _ in fake.calls)


@pytest.mark.parametrize(("args", "message"), [
    (["--budget", "lots"], "error: --budget must be an amount of dollars, like 5 or 2.50, got 'lots'\n"),
    (["--max-reads", "0"], "error: --max-reads must be a whole number of reads, at least 1, got '0'\n"),
    (["--max-reads", "a lot"], "error: --max-reads must be a whole number of reads, at least 1, got 'a lot'\n"),
    (["--price", "tweets=1"], "error: --price must be RESOURCE=DOLLARS with RESOURCE one of posts, owned_posts, users, "
                              "dm_events, got 'tweets=1'\n"),
])
def test_a_wrong_limit_or_price_is_one_line_and_exit_2(roster_policy, tmp_path, args, message):
    result = CliRunner().invoke(app, ["fetch", "--policy", str(roster_policy.path), "--store", str(tmp_path / "s.db"),
                                      *args], env=APP_ENV)
    assert result.exit_code == 2
    assert result.output == message
    assert not (tmp_path / "s.db").exists()
