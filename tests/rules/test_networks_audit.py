"""One policy, accounts on X, Bluesky and Mastodon: a mixed month audited from JSONL and from a store.

Counterparts are compared within a network: a customer on Bluesky is answered on Bluesky, and an
account on one network never stands for the account of the same spelling on another.
"""

from __future__ import annotations

import json

import pytest

from auditor.activity.sources import read_source
from auditor.activity.ingest.importing import import_sources
from auditor.render import render
from tests.factories import policy, run_activity
from tests.render.conftest import pdftotext

ACCOUNTS = [
    {"handle": "acme_support", "kind": "brand", "team": "support"},
    {"handle": "acme.bsky.social", "platform": "bluesky", "kind": "brand", "team": "support"},
    {"handle": "@acme@mastodon.social", "platform": "mastodon", "kind": "brand", "team": "support"},
]
RULES = [
    {"id": "answer", "type": "response_time", "severity": "high", "within": "4h"},
    {"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h"},
]
BSKY = "https://bsky.app/profile"


def line(**fields) -> dict:
    return {"type": "post", "created_at": "2026-10-05T14:00:00Z"} | fields


MONTH = [
    # X: a question nobody answers.
    line(id="1001", author="bob", text="@acme_support where is my order?", url="https://x.com/bob/status/1001"),
    # Bluesky: the account posts, a customer replies, nobody answers; the account invites a DM.
    line(id="at://did:plc:acme/app.bsky.feed.post/3a", author="acme.bsky.social", platform="bluesky",
         created_at="2026-10-04T10:00:00Z", text="Our new release is out", url=f"{BSKY}/acme.bsky.social/post/3a"),
    line(id="at://did:plc:carol/app.bsky.feed.post/3b", author="carol.bsky.social", platform="bluesky",
         in_reply_to="at://did:plc:acme/app.bsky.feed.post/3a", text="it broke my setup, how do I roll back?",
         url=f"{BSKY}/carol.bsky.social/post/3b"),
    line(id="at://did:plc:acme/app.bsky.feed.post/3c", author="acme.bsky.social", platform="bluesky",
         in_reply_to="at://did:plc:acme/app.bsky.feed.post/3a", created_at="2026-10-06T09:00:00Z",
         text="@erin.bsky.social sorry to hear that, DM us your order number", mentions=["erin.bsky.social"],
         url=f"{BSKY}/acme.bsky.social/post/3c"),
    # Mastodon: a mention written as Mastodon shows local accounts, and a DM; neither answered.
    line(id="https://mastodon.social/users/dave/statuses/1", author="dave@mastodon.social", platform="mastodon",
         text="@acme my parcel never came, what now?", url="https://mastodon.social/@dave/1"),
    {"type": "dm", "id": "https://mastodon.social/users/dave/statuses/2", "sender": "dave@mastodon.social",
     "recipients": ["acme@mastodon.social"], "created_at": "2026-10-05T15:00:00Z", "text": "order 5531",
     "platform": "mastodon"},
    # The same spelling on another network is another account: an X customer "carol" replying to nothing
    # of ours, and a Bluesky post by a stranger whose handle starts like the X account.
    line(id="1002", author="acme_support", text="@carol happy to help!", mentions=["carol"],
         created_at="2026-10-05T16:00:00Z", url="https://x.com/acme_support/status/1002"),
    line(id="at://did:plc:x/app.bsky.feed.post/9", author="acme-support.bsky.social", platform="bluesky",
         text="@acme.bsky.social hello?", url=f"{BSKY}/acme-support.bsky.social/post/9",
         created_at="2026-10-07T10:00:00Z"),
    line(id="at://did:plc:x/app.bsky.feed.post/10", author="acme.bsky.social", platform="bluesky",
         in_reply_to="at://did:plc:x/app.bsky.feed.post/9", text="@acme-support.bsky.social hi!",
         created_at="2026-10-07T11:00:00Z", url=f"{BSKY}/acme.bsky.social/post/10"),
    # Lines that would match across networks are refused, not read.
    line(id="1003", author="mallory", text="hi", mentions=["acme.bsky.social"]),
    line(id="5", author="acme_support", platform="bluesky", text="hi"),
]


# Moves the end of the data past every deadline.
LATER = line(id="2000", author="acme_support", text="Weekly news", created_at="2026-10-12T10:00:00Z")


@pytest.fixture
def month(tmp_path):
    path = tmp_path / "month.jsonl"
    path.write_text("\n".join(json.dumps(event) for event in MONTH) + "\n")
    return path


def _findings(result):
    return sorted((f.platform, f.rule, f.status, f.account, f.counterpart) for f in result.findings)


EXPECTED = [
    ("bluesky", "answer", "breached", "acme.bsky.social", "carol.bsky.social"),
    ("bluesky", "promises", "cannot_tell", "acme.bsky.social", "erin.bsky.social"),
    ("mastodon", "answer", "breached", "acme@mastodon.social", "dave@mastodon.social"),
    ("mastodon", "answer", "breached", "acme@mastodon.social", "dave@mastodon.social"),
    ("x", "answer", "breached", "acme_support", "bob"),
]


def test_a_mixed_jsonl_month_has_findings_on_each_network(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    activity = read_source(month)
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (10, "mentions: 'acme.bsky.social' is not an X handle (letters, digits and _): a Bluesky or Mastodon "
             "account needs its line's \"platform\""),
        (11, "author: 'acme_support' is not a Bluesky handle: write its full domain name, like alice.bsky.social"),
    ]
    result = run_activity(loaded, activity)
    assert _findings(result) == EXPECTED
    [bluesky] = [f for f in result.findings if f.platform == "bluesky" and f.rule == "answer"]
    assert [(e.id, e.url) for e in bluesky.evidence] == [
        ("at://did:plc:carol/app.bsky.feed.post/3b", f"{BSKY}/carol.bsky.social/post/3b")]
    # The Mastodon DM is evidence of its own finding; the account's DMs are in the file, the Bluesky one's are not.
    assert {e.type for f in result.findings if f.platform == "mastodon" for e in f.evidence} == {"post", "dm"}
    networks = {n.platform: n for n in result.data.networks}
    assert [(n.platform, n.accounts, n.posts, n.dms) for n in result.data.networks] == [
        ("x", 1, 2, 0), ("bluesky", 1, 5, 0), ("mastodon", 1, 1, 1)]
    assert networks["bluesky"].dms_not_held == ("acme.bsky.social",)
    assert networks["mastodon"].dms_not_held == ()
    assert {a.handle: a.platform for a in result.accounts} == {
        "acme_support": "x", "acme.bsky.social": "bluesky", "acme@mastodon.social": "mastodon"}
    report = result.as_dict()
    assert {(a["handle"], a["platform"]) for a in report["accounts"]} == {
        ("acme_support", "x"), ("acme.bsky.social", "bluesky"), ("acme@mastodon.social", "mastodon")}
    assert sorted(f["platform"] for f in report["findings"]) == sorted(e[0] for e in EXPECTED)


def test_the_same_month_from_a_store_gives_the_same_findings(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    [imported] = list(import_sources([month], tmp_path / "s.db"))
    assert (imported.read, imported.skipped) == (len(MONTH) - 2, 2)
    stored = run_activity(loaded, read_source(tmp_path / "s.db"))
    direct = run_activity(loaded, read_source(month))
    assert _findings(stored) == EXPECTED
    assert [f.fingerprint for f in stored.findings] == [f.fingerprint for f in direct.findings]
    assert [(e.id, e.url) for f in stored.findings for e in f.evidence] == [
        (e.id, e.url) for f in direct.findings for e in f.evidence]


def test_a_team_on_several_networks_answers_each_customer_on_the_customers_network(tmp_path):
    """A Bluesky DM to "bob.bsky.social" does not answer X's "bob", whatever the team."""
    loaded = policy(tmp_path, [RULES[0] | {"responders": "team"}], accounts=ACCOUNTS)
    events = [
        line(id="1", author="bob", text="@acme_support where is my refund?"),
        {"type": "dm", "id": "d1", "sender": "acme.bsky.social", "recipients": ["bob.bsky.social"],
         "created_at": "2026-10-05T14:30:00Z", "text": "hi bob", "platform": "bluesky"},
        LATER,
    ]
    path = tmp_path / "team.jsonl"
    path.write_text("\n".join(json.dumps(event) for event in events) + "\n")
    result = run_activity(loaded, read_source(path))
    assert _findings(result) == [("x", "answer", "breached", "acme_support", "bob")]


def test_ids_are_per_network_a_mastodon_reply_never_answers_an_x_post_of_the_same_id(tmp_path):
    loaded = policy(tmp_path, [RULES[0]], accounts=ACCOUNTS)
    events = [
        line(id="7", author="acme_support", text="We ship worldwide", created_at="2026-10-04T10:00:00Z"),
        line(id="8", author="bob", in_reply_to="7", text="do you ship to Chile?"),
        # Mastodon ids of the same spelling: "8" here replies to Mastodon's "7", which the data does not hold.
        line(id="8", author="dave@mastodon.social", platform="mastodon", in_reply_to="7",
             created_at="2026-10-05T15:00:00Z", text="and to Peru?"),
        LATER,
    ]
    path = tmp_path / "ids.jsonl"
    path.write_text("\n".join(json.dumps(event) for event in events) + "\n")
    result = run_activity(loaded, read_source(path))
    assert _findings(result) == [("x", "answer", "breached", "acme_support", "bob")]


def test_the_pdf_shows_each_network_beside_its_accounts_findings_and_coverage(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    text = " ".join(pdftotext(render(run_activity(loaded, read_source(month)), "pdf"), tmp_path, layout=False).split())
    # The cover: the coverage per network, in words that count right ("1 post", not "1 posts").
    assert "Bluesky 1 account audited; 5 events (5 posts, 0 direct messages); DMs not in the data: @acme.bsky.social" in text
    assert "Mastodon 1 account audited; 2 events (1 post, 1 direct message)" in text
    # Each finding names the account's network beside it.
    assert "BREACHED · HIGH · @acme.bsky.social Bluesky ↔ @carol.bsky.social" in text
    assert "BREACHED · HIGH · @acme@mastodon.social Mastodon ↔ @dave@mastodon.social" in text
    assert "CANNOT TELL · CRITICAL · @acme.bsky.social Bluesky ↔ @erin.bsky.social" in text
    # The methodology's table of networks (pdftotext reads its cells out of order).
    assert all(header in text for header in ("Networks", "Accounts audited", "Inbound no source shows",
                                             "DMs not in the data"))
