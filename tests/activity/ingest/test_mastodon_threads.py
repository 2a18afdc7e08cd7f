"""`auditor fetch` for Mastodon: a reply's thread is climbed, statuses the run has not seen looked up one by
one up to `MAX_ANCESTORS`, so the post an account answered and the posts above it link the thread to its root."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses

from auditor.activity.ingest import mastodon_api
from auditor.activity.sources.store_reader import read_store
from tests.factories import policy
from tests.activity.ingest.fake_mastodon import NOW, FakeMastodon
from tests.activity.ingest.test_mastodon_fetch import ACCOUNTS, run


@pytest.fixture
def loaded(tmp_path):
    return policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                  accounts=ACCOUNTS)


def thread(fake: FakeMastodon, length: int) -> list[dict]:
    """erin's post, then dave and erin answering each other `length - 1` times; acme answers the last."""
    fake.add_account("1", "acme")
    fake.add_account("2", "dave")
    fake.add_account("3", "erin", "fosstodon.org")
    fake.tokens["tok-acme"] = "1"
    statuses = [fake.status("3", "anyone else seeing outages?", NOW - timedelta(days=2))]
    for n in range(1, length):
        statuses.append(fake.status("2" if n % 2 else "3", f"reply {n}", NOW - timedelta(days=2, minutes=-n),
                                    reply_to=statuses[-1]))
    statuses.append(fake.status("1", "we're on it, sorry!", NOW - timedelta(days=1), reply_to=statuses[-1],
                                mentions=(statuses[-1]["account"]["id"],)))
    return statuses


def fetch(loaded, tmp_path, fake):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        assert run(loaded, tmp_path / "s.db").exit_code == 0
    return {p.id: p for p in read_store(tmp_path / "s.db").posts}


def test_the_thread_above_a_reply_is_looked_up_to_its_root(loaded, tmp_path):
    fake = FakeMastodon()
    statuses = thread(fake, 3)
    posts = fetch(loaded, tmp_path, fake)
    root, first, second, answer = (posts[s["uri"]] for s in statuses)
    assert (answer.in_reply_to, second.in_reply_to, first.in_reply_to, root.in_reply_to) == (
        second.id, first.id, root.id, None)
    assert (answer.in_reply_to_author, second.author, first.author, root.author) == (
        "erin@fosstodon.org", "erin@fosstodon.org", "dave@mastodon.social", "erin@fosstodon.org")
    lookups = [path for path, _ in fake.calls if path.startswith("/api/v1/statuses/")]
    assert lookups == [f"/api/v1/statuses/{s['id']}" for s in reversed(statuses[:-1])]


def test_the_climb_stops_after_max_ancestors(loaded, tmp_path):
    fake = FakeMastodon()
    statuses = thread(fake, 20)
    posts = fetch(loaded, tmp_path, fake)
    read = [s for s in statuses if s["uri"] in posts]
    assert read == statuses[-1 - mastodon_api.MAX_ANCESTORS:]
    top = posts[read[0]["uri"]]
    assert top.in_reply_to is None  # its parent was not looked up: the thread is cut there, not guessed
    assert len([p for p, _ in fake.calls if p.startswith("/api/v1/statuses/")]) == mastodon_api.MAX_ANCESTORS


def test_a_deleted_status_ends_the_climb(loaded, tmp_path):
    fake = FakeMastodon()
    statuses = thread(fake, 4)
    fake.statuses.remove(statuses[2])  # deleted: the lookup answers 404
    posts = fetch(loaded, tmp_path, fake)
    assert [s["uri"] for s in statuses if s["uri"] in posts] == [statuses[3]["uri"], statuses[4]["uri"]]
    assert posts[statuses[3]["uri"]].in_reply_to is None
