"""benchmarks/peers/duckdb_sla.py: the audit's own response-time figures in SQL, equal to the audit's.

The benchmark prints how long the same figures take over columns; these tests hold the
SQL to the auditor's rule on a hand-made month and on random ones (answers to a later post
of the conversation, answers by DM, replies by another account, two accounts in one post,
episodes across the period's start in the policy's time zone, pending and overdue), on the wall
clock and on a calendar's open hours across a holiday, a closed day and the end of daylight
saving time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from auditor.cli import app
from tests.benchmarks.peers import load_peer

ROSTER = ("acme", "jdoe")
CUSTOMERS = ("bob", "carol", "dan")
POLICY = """\
name: response times
timezone: America/Toronto
accounts:
  - {handle: acme, kind: brand, team: support}
  - {handle: jdoe, kind: employee, team: sales}
rules:
  - id: answer-everyone
    type: response_time
    severity: high
    inbound: [mention, reply]
    within: 24h
    responders: account
    needs_answer: always
"""
# The same rule on a calendar: Ontario's holidays (Thanksgiving, 12 October 2026), a closed day, and the end of
# daylight saving time in Toronto (1 November 2026), where the hours of a local day move by one in UTC.
ON_A_CALENDAR = POLICY.replace("rules:\n", """calendars:
  support-hours:
    weekdays: [mon, tue, wed, thu, fri]
    hours: "09:00-17:00"
    holidays: {country: CA, subdivision: ON}
    closed: ["2026-10-20"]
rules:
""").replace("    within: 24h\n", "    within: 4h\n    clock: support-hours\n")
METRICS = ("episodes", "answered", "met", "breached", "pending", "median_response_seconds")


def post(id, author, at: datetime, mentions=(), parent=None, repost_of=None):
    return {"type": "post", "id": id, "author": author, "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": "hello", "mentions": list(mentions),
            "in_reply_to": parent["id"] if parent else None,
            "in_reply_to_author": parent["author"] if parent else None,
            "conversation_id": parent["conversation_id"] if parent else id,
            "repost_of": repost_of, "quote_of": None, "url": None, "platform": "x"}


def dm(id, sender, recipients, at: datetime):
    return {"type": "dm", "id": id, "conversation_id": ":".join(sorted({sender, *recipients})), "sender": sender,
            "recipients": list(recipients), "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": "hi",
            "platform": "x"}


def both_figures(tmp_path: Path, lines: list[dict], policy_text: str = POLICY) -> tuple[dict, dict]:
    """The audit's figures (its report.json) and the SQL's, for the same file."""
    data = tmp_path / "month.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy_text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", "--policy", str(policy), "--data", str(data), "--period", "2026-10",
                                      "--format", "json", "--out-dir", str(out), "--allow-empty", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    metrics = orjson.loads((out / "report.json").read_bytes())["rules"][0]["metrics"]
    peer = load_peer('duckdb_sla')
    start, end = peer.month_bounds("2026-10", "America/Toronto")
    if policy_text == POLICY:
        found = peer.response_times(str(data), peer.roster_handles(str(policy)), start, end, 24)
    else:
        from auditor.policy.loader import load_policy

        clock = load_policy(policy).policy.clock("support-hours")
        found = peer.response_times(str(data), peer.roster_handles(str(policy)), start, end, 4, clock)
    return {name: metrics[name] for name in METRICS}, found


def at(day: int, hour: float) -> datetime:
    return datetime(2026, 10, day, tzinfo=timezone.utc) + timedelta(hours=hour)


def test_a_hand_made_month_gives_the_audits_figures(tmp_path):
    asked = post("1", "bob", at(5, 10), ["acme"])
    again = post("2", "bob", at(5, 11), ["acme"], parent=asked)              # waits with 1 for the same answer
    answer = post("3", "acme", at(5, 12), ["bob"], parent=again)             # answers both: one episode
    late = post("4", "carol", at(6, 10), ["acme", "jdoe"])                   # an item for each account
    by_dm = dm("d1", "acme", ["carol"], at(6, 20))                           # acme answers carol by DM
    other = post("5", "jdoe", at(8, 12), ["carol"], parent=late)             # jdoe answers late: breached
    early = dm("d2", "acme", ["dan"], at(9, 9))                              # sent before dan asked: no answer
    unanswered = post("6", "dan", at(9, 10), ["acme"])                       # overdue by the end of the data
    before = post("7", "erin", at(1, 2), ["acme"])                           # 1 Oct 02:00 UTC: September in Toronto
    repost = post("8", "bob", at(10, 10), ["acme"], repost_of="1")           # not an item
    waiting = post("9", "bob", at(31, 20), ["jdoe"])                         # still within its 24 h: pending
    lines = [asked, again, answer, late, by_dm, other, early, unanswered, before, repost, waiting,
             post("10", "acme", at(31, 21), ["x"])]
    audit, sql = both_figures(tmp_path, lines)
    assert audit == sql
    assert audit["episodes"] == 5 and audit["pending"] == 1 and audit["breached"] == 2


@st.composite
def months(draw, days: int = 31):
    """A month of conversations on a coarse grid of times, so that items share their seconds."""
    moment = st.integers(-8, days * 24 * 2).map(lambda k: at(1, 0) + timedelta(minutes=30 * k))
    lines: list[dict] = []
    posts: list[dict] = []
    for n in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(("ask", "ask", "follow-up", "answer", "answer", "dm", "repost")))
        customer = draw(st.sampled_from(CUSTOMERS))
        account = draw(st.sampled_from(ROSTER))
        when = draw(moment)
        if kind == "ask" or not posts:
            mentions = draw(st.sampled_from(((account,), ROSTER, (account, "someone"))))
            posts.append(post(f"p{n}", customer, when, mentions))
        elif kind == "follow-up":  # somebody writes again in a conversation, replying to any post of it
            parent = draw(st.sampled_from(posts))
            author = draw(st.sampled_from(CUSTOMERS + (parent["author"],)))
            posts.append(post(f"p{n}", author, when, [parent["author"]], parent=parent))
        elif kind == "answer":  # a roster account replies to any post
            parent = draw(st.sampled_from(posts))
            posts.append(post(f"p{n}", account, when, [parent["author"]], parent=parent))
        elif kind == "repost":
            posts.append(post(f"p{n}", customer, when, [account], repost_of=draw(st.sampled_from(posts))["id"]))
        else:
            others = draw(st.lists(st.sampled_from(CUSTOMERS), min_size=1, max_size=2, unique=True))
            lines.append(dm(f"d{n}", account, others, when))
    return lines + posts


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=months())
def test_a_random_month_gives_the_audits_figures(tmp_path, lines):
    audit, sql = both_figures(tmp_path, lines)
    assert audit == sql


def test_on_a_calendar_a_hand_made_month_gives_the_audits_figures(tmp_path):
    friday = post("1", "bob", at(9, 20), ["acme"])               # Fri 9 Oct 16:00 in Toronto: one open hour left
    answer = post("2", "acme", at(13, 15), ["bob"], parent=friday)  # Tue 13 Oct 11:00 (Monday is Thanksgiving): 3h
    closed = post("3", "carol", at(20, 14), ["acme"])            # on the closed day: the clock starts on the 21st
    late = post("4", "acme", at(21, 19), ["carol"], parent=closed)  # Wed 21 Oct 15:00: 6h of open hours
    at_dst = post("5", "dan", at(30, 20), ["jdoe"])              # Fri 30 Oct 16:00 EDT; answered Mon 2 Nov 11:00 EST
    monday = at(31, 16) + timedelta(days=2)
    lines = [friday, answer, closed, late, at_dst, post("6", "jdoe", monday, ["dan"], parent=at_dst)]
    audit, sql = both_figures(tmp_path, lines, ON_A_CALENDAR)
    assert audit == sql
    assert (audit["met"], audit["breached"]) == (2, 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=months(days=36))  # into November: answers and the end of the data after the clocks go back
def test_on_a_calendar_a_random_month_gives_the_audits_figures(tmp_path, lines):
    audit, sql = both_figures(tmp_path, lines, ON_A_CALENDAR)
    assert audit == sql


# The end of the data exactly at the deadline is not past it, nor is the closed stretch after it: only more open
# time than the limit is.
@pytest.mark.parametrize(("asked", "data_end", "outcome"), [
    (at(6, 17), at(6, 21), "pending"),        # Tue 13:00 EDT, due at closing time 17:00 EDT, the data ends then
    (at(6, 17), at(6, 22), "pending"),        # ... and an hour later, closed: an answer now would still be met
    (at(6, 17), at(7, 13 + 1 / 60), "breached"),  # ... and a minute after Wednesday's opening
    (at(7, 12), at(7, 13), "pending"),        # Wed 08:00, before the opening, the data ends at 09:00
    (at(7, 13), at(7, 17), "pending"),        # Wed 09:00, due 13:00, the data ends at 13:00
    (at(7, 13), at(7, 17.5), "breached"),     # ... at 13:30
    (at(30, 19), at(31, 16) + timedelta(days=2), "pending"),    # Fri 15:00 EDT, due Mon 2 Nov 11:00 EST
    (at(30, 19), at(31, 17) + timedelta(days=2), "breached"),   # ... an hour after
])
def test_on_a_calendar_the_deadline_itself_is_not_past(tmp_path, asked, data_end, outcome):
    lines = [post("1", "bob", asked, ["acme"]), post("2", "acme", data_end, ["x"])]
    audit, sql = both_figures(tmp_path, lines, ON_A_CALENDAR)
    assert audit == sql
    assert audit[outcome] == 1
