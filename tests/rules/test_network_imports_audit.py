"""A mixed month whose Bluesky and Mastodon data come from the accounts' own exports: a repository export
(.car) and a Mastodon archive, beside X data in JSONL. Findings on each network, from `--data` and from a store.

Exports hold the owners' own posts (and the DMs a Mastodon owner sent), never what others wrote to
them, and nobody's DMs in full: a promise they do not show kept is `cannot_tell`, and the report says
which sources cannot show mentions, replies or DMs.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from auditor.activity.sources import read_sources
from auditor.activity.ingest.importing import import_sources
from auditor.cli import app
from tests.factories import policy, run_activity
from tests.activity.sources.car_builder import FAKE_CID, Repository
from tests.activity.ingest.fake_mastodon import FakeMastodon
from tests.activity.sources.mastodon_archive_builder import write_archive

ACCOUNTS = [
    {"handle": "acme_support", "kind": "brand", "team": "support"},
    {"handle": "acme.bsky.social", "platform": "bluesky", "did": "did:plc:acme", "kind": "brand", "team": "support"},
    {"handle": "@acme@mastodon.social", "platform": "mastodon", "kind": "brand", "team": "support"},
]
RULES = [
    {"id": "answer", "type": "response_time", "severity": "high", "within": "4h"},
    {"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h"},
    {"id": "tone", "type": "tone", "severity": "medium", "checks": {"banned": ["not my problem"]}},
]


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=timezone.utc)


@pytest.fixture
def month(tmp_path):
    """X in JSONL, Bluesky as acme's repository export, Mastodon as acme's archive."""
    x = tmp_path / "x.jsonl"
    x.write_text("\n".join(json.dumps(line) for line in [
        {"type": "post", "id": "1001", "author": "bob", "created_at": "2026-10-05T14:00:00Z",
         "text": "@acme_support where is my order?", "url": "https://x.com/bob/status/1001"},
        {"type": "post", "id": "2000", "author": "acme_support", "created_at": "2026-10-12T10:00:00Z",
         "text": "Weekly news", "url": "https://x.com/acme_support/status/2000"},
    ]) + "\n")
    repo = Repository("did:plc:acme")
    repo.post("@carol.bsky.social sorry about that, we'll get back to you", at(6, 9),
              reply_to=("at://did:plc:carol/app.bsky.feed.post/3kc", FAKE_CID), mentions={"carol.bsky.social": "did:plc:carol"})
    repo.post("Honestly, a slow courier is not my problem", at(7, 10))
    repo.write(tmp_path / "repo.car")
    fake = FakeMastodon()
    fake.add_account("1", "acme")
    fake.add_account("2", "dave")
    fake.add_account("3", "erin", "fosstodon.org")
    fake.status("1", "I'll DM you the tracking link", at(8, 9), mentions=("2",))
    fake.status("1", "here it is: 1Z999", at(8, 10), mentions=("2",), visibility="direct")
    fake.status("1", "we'll look into it and get back to you", at(9, 9), mentions=("3",))
    write_archive(tmp_path / "archive.zip", fake, "1")
    return [x, tmp_path / "repo.car", tmp_path / "archive.zip"]


EXPECTED = [
    ("bluesky", "promises", "cannot_tell", "acme.bsky.social", "carol.bsky.social"),
    ("bluesky", "tone", "violation", "acme.bsky.social", None),
    ("mastodon", "promises", "cannot_tell", "acme@mastodon.social", "erin@fosstodon.org"),
    ("x", "answer", "breached", "acme_support", "bob"),
]


def _findings(result):
    return sorted((f.platform, f.rule, f.status, f.account, f.counterpart) for f in result.findings)


def test_a_month_from_exports_has_findings_on_each_network(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    result = run_activity(loaded, read_sources(month, roster_ids=loaded.policy.roster_dids))
    assert _findings(result) == EXPECTED
    promises = {f.platform: f for f in result.findings if f.rule == "promises"}
    assert promises["bluesky"].message.endswith("no source holds the DMs of @acme.bsky.social")
    assert promises["mastodon"].message.endswith("no source holds the DMs of @acme@mastodon.social")
    [tone] = [f for f in result.findings if f.rule == "tone"]
    assert tone.evidence[0].url.startswith("https://bsky.app/profile/acme.bsky.social/post/")
    assert [(n.platform, n.accounts, n.posts, n.dms, n.dms_not_held) for n in result.data.networks] == [
        ("x", 1, 2, 0, ("acme_support",)), ("bluesky", 1, 2, 0, ("acme.bsky.social",)),
        ("mastodon", 1, 2, 1, ("acme@mastodon.social",))]
    # a JSONL file may hold any network's events: its mentions and replies count for each
    assert [(n.platform, n.channels_missing) for n in result.data.networks] == [
        ("x", ("dm",)), ("bluesky", ("dm",)), ("mastodon", ("dm",))]
    kinds = {s.kind: s for s in result.data.sources}
    assert (kinds["bluesky-car"].channels, kinds["mastodon-archive"].channels) == ((), ())


def test_the_same_month_from_a_store_and_through_the_cli(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    store = tmp_path / "s.db"
    imported = list(import_sources(month, store, dids={"did:plc:acme": "acme.bsky.social"}))
    assert [(r.kind, r.read, r.skipped) for r in imported] == [
        ("jsonl", 2, 0), ("bluesky-car", 2, 0), ("mastodon-archive", 3, 0)]
    stored = run_activity(loaded, read_sources([store], roster_ids=loaded.policy.roster_dids))
    assert _findings(stored) == EXPECTED
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["audit", "--policy", str(loaded.path), "--data", str(store), "--period",
                                      "2026-10", "--as-of", "2026-10-20T00:00:00Z", "--format", "json",
                                      "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(out.read_text())
    assert sorted((f["platform"], f["rule"]) for f in report["findings"]) == sorted(
        (e[0], e[1]) for e in EXPECTED)
    assert [n["platform"] for n in report["data"]["networks"]] == ["x", "bluesky", "mastodon"]
    direct = CliRunner().invoke(app, ["audit", "--policy", str(loaded.path), *sum((["--data", str(p)] for p in month), []),
                                      "--period", "2026-10", "--as-of", "2026-10-20T00:00:00Z", "--format", "json",
                                      "--out", str(tmp_path / "direct.json")])
    assert direct.exit_code == result.exit_code, direct.output
    assert [f["fingerprint"] for f in json.loads((tmp_path / "direct.json").read_text())["findings"]] == [
        f["fingerprint"] for f in report["findings"]]


def test_the_exports_say_what_they_cannot_show_in_the_report(tmp_path, month):
    loaded = policy(tmp_path, RULES, accounts=ACCOUNTS)
    out = tmp_path / "report.json"
    CliRunner().invoke(app, ["audit", "--policy", str(loaded.path), *sum((["--data", str(p)] for p in month), []),
                             "--period", "2026-10", "--format", "json", "--out", str(out)])
    sources = {s["kind"]: s for s in json.loads(out.read_text())["data"]["sources"]}
    assert sources["bluesky-car"]["channels"] == [] and sources["mastodon-archive"]["channels"] == []
    assert any("no DMs (chats are not part of a repository)" in note for note in sources["bluesky-car"]["notes"])
    assert any("the DMs they sent but not those they received" in note
               for note in sources["mastodon-archive"]["notes"])


def test_what_an_export_cannot_show_is_said_for_its_network_whatever_another_network_shows(tmp_path, month):
    """An X fetch shows mentions, replies and DMs on X; the exports show none of them on theirs."""
    from auditor.activity.model import Activity, Post, SourceInfo

    x = Activity(posts=[Post("1001", "bob", at(5, 14), "@acme_support where is my order?", mentions=("acme_support",),
                             real_id=True)],
                 sources=[SourceInfo("X API", "x-api", events=1, dm_accounts=frozenset({"acme_support"}))])
    activity = read_sources(month[1:], roster_ids={"did:plc:acme": "acme.bsky.social"})
    activity.extend(x)
    result = run_activity(policy(tmp_path, RULES, accounts=ACCOUNTS), activity)
    assert [(n.platform, n.channels_missing) for n in result.data.networks] == [
        ("x", ()), ("bluesky", ("mention", "reply", "dm")), ("mastodon", ("mention", "reply", "dm"))]
    assert result.data.channels_missing == ("mention", "reply", "dm")  # on Bluesky and Mastodon
    view = result.as_dict()["data"]["networks"]
    assert [list(n["channels_missing"]) for n in view] == [[], ["mention", "reply", "dm"], ["mention", "reply", "dm"]]
