"""benchmarks/peers/polars_sla.py: the first direct reply per customer post, the figures the benchmark prints."""

from __future__ import annotations

import json

from tests.benchmarks.peers import load_peer


def post(id, author, at, in_reply_to=None, in_reply_to_author=None, mentions=()):
    return {"type": "post", "id": id, "author": author, "created_at": f"2026-10-{at}Z", "text": "t",
            "in_reply_to": in_reply_to, "in_reply_to_author": in_reply_to_author, "conversation_id": id,
            "mentions": list(mentions), "repost_of": None, "quote_of": None, "url": None, "platform": "x"}


def test_first_direct_reply_by_the_addressed_account(tmp_path):
    lines = [
        post("1", "bob", "05T10:00:00", mentions=["acme"]),                        # answered after 1 h: met
        post("2", "acme", "05T11:00:00", "1", "bob", ["bob"]),
        post("3", "acme", "05T12:00:00", "1", "bob", ["bob"]),                     # a second reply: not the first
        post("4", "carol", "05T10:00:00", mentions=["acme"]),                      # answered after 30 h: late
        post("5", "acme", "06T16:00:00", "4", "carol", ["carol"]),
        post("6", "dave", "05T10:00:00", "2", "acme", ["acme"]),                   # a reply to acme, answered by
        post("7", "jdoe", "05T10:30:00", "6", "dave", ["dave"]),                   # another roster account: unanswered
        post("8", "erin", "05T10:00:00", mentions=["someone"]),                    # addressed to nobody on the roster
        {"type": "dm", "id": "d1", "conversation_id": "acme:bob", "sender": "bob", "recipients": ["acme"],
         "created_at": "2026-10-05T10:00:00Z", "text": "hi", "platform": "x"},
    ]
    data = tmp_path / "month.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    figures = load_peer('polars_sla').first_replies(str(data), ["acme", "jdoe"], within_hours=24)
    assert figures == {"posts": 3, "answered": 2, "met": 1, "share_met": 0.3333}


def test_roster_handles_are_read_lower_case(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text("accounts:\n  - {handle: Acme_Support, kind: brand}\n  - {handle: jdoe, kind: employee}\n",
                      encoding="utf-8")
    assert load_peer('polars_sla').roster_handles(str(roster)) == ["acme_support", "jdoe"]
