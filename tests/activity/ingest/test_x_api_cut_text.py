"""A post whose text X cut inside an emoji: the JSON holds half of a UTF-16 pair."""

from __future__ import annotations

from datetime import timedelta

from auditor.activity.sources.store_reader import read_store
from tests.activity.ingest.fake_x import NOW
from tests.activity.ingest.support import run_fetch as run


def test_a_text_cut_inside_an_emoji_is_kept_with_a_replacement_character(fake, roster_policy, tmp_path):
    # One post carries "\ud83d" alone (the first half of 😀). UTF-8 cannot hold it: storing the
    # post failed, and with it the whole page of @acme_support's mentions ("unexpected TypeError").
    fake.tweet("bob", "@acme_support still waiting \ud83d", NOW - timedelta(hours=3))
    summary = run(roster_policy, tmp_path / "s.db")
    assert [account.failures for account in summary.accounts] == [{}, {}]
    texts = {post.text for post in read_store(tmp_path / "s.db").posts}
    assert "@acme_support still waiting \ufffd" in texts
    # The other mentions of the page are there too.
    assert "@acme_support my order 5531 is late & nobody answers" in texts


def test_a_whole_emoji_is_kept_as_it_is(fake, roster_policy, tmp_path):
    fake.tweet("bob", "@acme_support thanks \U0001f600", NOW - timedelta(hours=3))
    run(roster_policy, tmp_path / "s.db")
    assert "@acme_support thanks \U0001f600" in {post.text for post in read_store(tmp_path / "s.db").posts}
