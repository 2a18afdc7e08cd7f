"""benchmarks/peers/duckdb_sla.py: the audit's own response-time figures in SQL, equal to the audit's.

The benchmark prints how long the same figures take over columns; these tests hold the
SQL to the auditor's rule on a hand-made month and on random ones (answers to a later post
of the conversation, answers by DM, replies by another account, two accounts in one post,
episodes across the period's start in the policy's time zone, pending and overdue)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
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


def both_figures(tmp_path: Path, lines: list[dict]) -> tuple[dict, dict]:
    """The audit's figures (its report.json) and the SQL's, for the same file."""
    data = tmp_path / "month.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", "--policy", str(policy), "--data", str(data), "--period", "2026-10",
                                      "--format", "json", "--out-dir", str(out), "--allow-empty", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    metrics = orjson.loads((out / "report.json").read_bytes())["rules"][0]["metrics"]
    peer = load_peer('duckdb_sla')
    start, end = peer.month_bounds("2026-10", "America/Toronto")
    found = peer.response_times(str(data), peer.roster_handles(str(policy)), start, end, 24)
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
def months(draw):
    """A month of conversations on a coarse grid of times, so that items share their seconds."""
    moment = st.integers(-8, 31 * 24 * 2).map(lambda k: at(1, 0) + timedelta(minutes=30 * k))
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
